"""`vetopito users …` and `vetopito audit`: roles and the audit log, for the administrator.

    vetopito users import roles.csv [--dry-run]     # columns email,role,scope[,name]
    vetopito users list | grant EMAIL ROLE [SCOPE] | revoke EMAIL ROLE [SCOPE]
    vetopito audit [--json | --csv]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from vetopito import access, db
from vetopito.access import roles_import
from vetopito.cli.common import Command, Group, db_option, json_option, lang_of, lang_option
from vetopito.limits import visible


def _cli_user(by: str | None) -> str:
    return by or f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'unknown'}"


def _open(db_path: str | None, read_only: bool = False):
    """The database, read-only when the settings say so (an unsafe setting stops here: exit 2)."""
    settings = access.startup_settings()
    return db.connect(db_path, read_only=read_only or settings.read_only)


@click.group("users", cls=Group, help="users and their roles (import a CSV, list, grant, revoke)")
def users() -> None:
    pass


@users.command("import", help="load roles from a CSV with columns email,role,scope[,name]")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--by", default=None, help="who is making the change (default: cli:$USER)")
@click.option("--dry-run", is_flag=True, help="check and report, write nothing")
@json_option("print the report as one JSON object")
@db_option
def users_import(file: Path, by: str | None, dry_run: bool, as_json: bool, db_path: str | None) -> int:
    data = file.read_bytes()   # the loader's reader finds the encoding and the separator
    con = _open(db_path)
    try:
        report = roles_import.import_roles_csv(con, data, by=_cli_user(by), file_name=file.name, dry_run=dry_run)
    finally:
        con.close()
    if as_json:
        print(json.dumps({**report.as_dict(), "ok": report.ok}, ensure_ascii=False, indent=2))
    else:
        for problem in report.errors:
            print(problem.line(), file=sys.stderr)
        if report.ok:
            verb = "would grant" if dry_run else "granted"
            print(f"{report.file_name}: {report.n_rows} rows, {verb} {len(report.granted)}, "
                  f"revoked {len(report.revoked)}, unchanged {report.unchanged}")
    return 0 if report.ok else 1


@users.command("list", help="every user and grant")
@json_option("print one JSON list")
@db_option
def users_list(as_json: bool, db_path: str | None) -> int:
    con = _open(db_path, read_only=True)
    try:
        frame = access.list_users(con)
    finally:
        con.close()
    if as_json:
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2))
    else:
        for row in frame.iter_rows(named=True):
            scope = "" if row["role"] is None else ("all" if row["scope_kind"] == "all"
                                                     else f"{row['scope_kind']}:{row['scope_value']}")
            print(f"{row['email']}\t{row['display_name'] or ''}\t{row['role'] or '-'}\t{scope}")
    return 0


def _grant_command(name: str, help_text: str):
    def decorate(func):
        for option in reversed((
            click.argument("email"),
            click.argument("role", type=click.Choice(access.ROLES)),
            click.argument("scope", required=False, default="all"),
            click.option("--by", default=None, help="who is making the change (default: cli:$USER)"),
            json_option("print the result as one JSON object"),
            db_option,
        )):
            func = option(func)
        return users.command(name, cls=Command, help=help_text + "; SCOPE is all (the default) | region:15 | "
                             "cohort:2024 | cohort:2024/YTA2 | team:T2024-01 | programme:ID (programme_manager only)")(func)
    return decorate


@_grant_command("grant", "give a user a role over a scope")
def users_grant(email: str, role: str, scope: str, by: str | None, as_json: bool, db_path: str | None) -> int:
    con = _open(db_path)
    try:
        new = access.grant(con, email, role, scope, by=_cli_user(by))
    finally:
        con.close()
    print(json.dumps({"ok": True, "granted": new.describe()}, ensure_ascii=False) if as_json
          else f"granted: {new.describe()}")
    return 0


@_grant_command("revoke", "take a role over a scope away")
def users_revoke(email: str, role: str, scope: str, by: str | None, as_json: bool, db_path: str | None) -> int:
    con = _open(db_path)
    try:
        kind, value = access.parse_scope(con, role, scope)
        done = access.revoke(con, email, role, kind, value, by=_cli_user(by))
    finally:
        con.close()
    print(json.dumps({"ok": True, "revoked": done}) if as_json else "revoked" if done else "no such grant")
    return 0


@click.command("audit", cls=Command, help="who loaded, undid or changed roles, when, and what")
@json_option("one JSON object per line")
@click.option("--csv", "as_csv", is_flag=True, help="CSV for Finnish Excel")
@click.option("--limit", type=int, default=100_000, show_default=True, help="at most this many events, newest first")
@lang_option("language of the details (default fi)")
@db_option
def audit(as_json: bool, as_csv: bool, limit: int, lang: str | None, db_path: str | None) -> int:
    con = _open(db_path, read_only=True)
    try:
        frame = access.audit_events(con, limit)
    finally:
        con.close()
    lang = lang_of(lang)
    if as_csv:
        sys.stdout.buffer.write(access.audit_csv(frame, lang))
    elif as_json:
        for row in frame.iter_rows(named=True):
            fields = access.audit_fields(row["detail"])
            print(json.dumps({**row, "detail": row["detail"] if fields is None else fields},
                             ensure_ascii=False, default=str))
    else:
        for row in frame.iter_rows(named=True):
            # names and texts as stored, control characters escaped (a file name may hold terminal escapes)
            print(f"{row['happened_at']:%Y-%m-%d %H:%M:%S}  {visible(row['user_name']):<28} {row['action']:<12} "
                  f"{visible(row['target'])}  {visible(access.audit_detail_text(row['action'], row['detail'], lang))}")
    return 0
