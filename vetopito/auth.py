"""The `vetopito users` commands (import a roles CSV, list, grant, revoke) and `vetopito audit`.
The work is done in `vetopito.access`; these functions only read the arguments and print."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from vetopito import access, db, i18n
from vetopito.access import (
    AuthConfigError,
    GrantError,
    audit_csv,
    audit_detail_text,
    audit_events,
    audit_fields,
    grant,
    list_users,
    parse_scope,
    revoke,
    startup_settings,
)
from vetopito.access.roles_import import import_roles_csv
from vetopito.limits import visible


def register(subparsers, add_db_option) -> None:
    users = subparsers.add_parser("users", help="users and their roles (import a CSV, list, grant, revoke)")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    imp = users_sub.add_parser("import", help="load roles from a CSV with columns email,role,scope[,name]")
    imp.add_argument("file", type=Path)
    imp.add_argument("--by", default=None, help="who is making the change (default: cli:$USER)")
    imp.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    imp.add_argument("--json", action="store_true")
    add_db_option(imp)
    imp.set_defaults(func=cmd_users_import)

    lst = users_sub.add_parser("list", help="every user and grant")
    lst.add_argument("--json", action="store_true")
    add_db_option(lst)
    lst.set_defaults(func=cmd_users_list)

    for name, func, helptext in (("grant", cmd_users_grant, "give a user a role over a scope"),
                                 ("revoke", cmd_users_revoke, "take a role over a scope away")):
        sub = users_sub.add_parser(name, help=helptext)
        sub.add_argument("email")
        sub.add_argument("role", choices=access.ROLES)
        sub.add_argument("scope", nargs="?", default="all",
                         help="all | region:15 | cohort:2024 | cohort:2024/YTA2 | team:T2024-01")
        sub.add_argument("--by", default=None)
        add_db_option(sub)
        sub.set_defaults(func=func)

    audit = subparsers.add_parser("audit", help="who loaded, undid or changed roles, when, and what")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    audit.add_argument("--csv", action="store_true", help="CSV for Finnish Excel")
    audit.add_argument("--limit", type=int, default=100_000)
    audit.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of the details (default fi)")
    add_db_option(audit)
    audit.set_defaults(func=cmd_audit)


def _cli_user(args) -> str:
    return args.by or f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'unknown'}"


def _open(args, read_only: bool = False):
    try:
        settings = startup_settings()
    except AuthConfigError as exc:
        raise db.DatabaseError(str(exc)) from exc
    return db.connect(args.db, read_only=read_only or settings.read_only)


def cmd_users_import(args) -> int:
    text = args.file.read_text(encoding="utf-8-sig")
    con = _open(args)
    try:
        report = import_roles_csv(con, text, by=_cli_user(args), file_name=args.file.name, dry_run=args.dry_run)
    finally:
        con.close()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for row, column, value, problem in report.errors:
            print(f"row {row}, column {column!r}: {value!r}: {problem}", file=sys.stderr)
        if report.ok:
            verb = "would grant" if args.dry_run else "granted"
            print(f"{report.file_name}: {report.n_rows} rows, {verb} {len(report.granted)}, "
                  f"revoked {len(report.revoked)}, unchanged {report.unchanged}")
    return 0 if report.ok else 1


def cmd_users_list(args) -> int:
    con = _open(args, read_only=True)
    try:
        frame = list_users(con)
    finally:
        con.close()
    if args.json:
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2))
    else:
        for row in frame.iter_rows(named=True):
            scope = "" if row["role"] is None else ("all" if row["scope_kind"] == "all"
                                                     else f"{row['scope_kind']}:{row['scope_value']}")
            print(f"{row['email']}\t{row['display_name'] or ''}\t{row['role'] or '-'}\t{scope}")
    return 0


def cmd_users_grant(args) -> int:
    con = _open(args)
    try:
        new = grant(con, args.email, args.role, args.scope, by=_cli_user(args))
    except GrantError as exc:
        print(f"vetopito: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print(f"granted: {new.describe()}")
    return 0


def cmd_users_revoke(args) -> int:
    con = _open(args)
    try:
        kind, value = parse_scope(con, args.role, args.scope)
        done = revoke(con, args.email, args.role, kind, value, by=_cli_user(args))
    except GrantError as exc:
        print(f"vetopito: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print("revoked" if done else "no such grant")
    return 0


def cmd_audit(args) -> int:
    con = _open(args, read_only=True)
    try:
        frame = audit_events(con, args.limit)
    finally:
        con.close()
    lang = args.lang or i18n.DEFAULT_LANGUAGE
    if args.csv:
        sys.stdout.buffer.write(audit_csv(frame, lang))
    elif args.json:
        for row in frame.iter_rows(named=True):
            fields = audit_fields(row["detail"])
            print(json.dumps({**row, "detail": row["detail"] if fields is None else fields},
                             ensure_ascii=False, default=str))
    else:
        for row in frame.iter_rows(named=True):
            # names and texts as stored, control characters escaped (a file name may hold terminal escapes)
            print(f"{row['happened_at']:%Y-%m-%d %H:%M:%S}  {visible(row['user_name']):<28} {row['action']:<12} "
                  f"{visible(row['target'])}  {visible(audit_detail_text(row['action'], row['detail'], lang))}")
    return 0
