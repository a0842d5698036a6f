"""The `vetopito` command: the same work as the app's pages, for analysts who script it.

Every sub-command is listed here, in `vetopito` below; each lives in the module of its area
(`load`: check, load, loads, undo; `export`; `admin`: users, audit; `dev`: seed, init, bench; `ops`: maintain) and
calls the library. Errors are reported in one place (`common.Command`), in one shape under `--json`.
Exit codes: 0 success, 1 the data was rejected, 2 usage, I/O or database errors (a locked, damaged
or unwritable database, a full disk: one localised message, never a traceback).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import click

from vetopito import access, db, i18n
from vetopito.cli import admin, dev, export, load, ops
from vetopito.cli.common import (
    EXIT_USAGE,
    Group,
    db_option,
    json_option,
    lang_of,
    lang_option,
    say_error,
)


class Root(Group):
    """The `vetopito` group: run standalone (the installed command, click's `CliRunner`) it exits
    with the code `main` returns (a command's return value is its exit code)."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if standalone_mode:
            sys.exit(main(None if args is None else list(args)))
        return super().main(args, prog_name, complete_var, standalone_mode, **extra)


@click.group("vetopito", cls=Root, help=__doc__.splitlines()[0],
             context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 100,
                               "max_content_width": 100})
def vetopito() -> None:
    pass


@vetopito.command("info", help="schema version, row counts per table and the data version; reads every table "
                               "through once and says plainly when the file is damaged",
                  short_help="schema version, row counts and data version; says plainly when the file is damaged")
@db_option
@json_option()
@lang_option()
def info(db_path: str | None, as_json: bool, lang: str | None) -> int:
    """Read-only (an immutable file, a file another process reads): and the deep check first, so a
    damaged file is said plainly (exit 2) instead of "observation keys: ok"."""
    target = db_path
    con = db.connect(target, create=False, read_only=True)
    try:
        checks = db.check_tables(con)
        damaged = [c for c in checks if c.problem is not None]
        if damaged:
            return _report_damage(target, as_json, lang, damaged, checks)
        facts = {
            "database": db.database_target(target),
            "backend": "lake" if db.is_lake(con) else "file",
            "schema_version": db.schema_version(con),
            "data_version": db.data_version(con),
            "demo_only": db.get_meta(con, "demo_only") == "true",
            "row_counts": db.row_counts(con),
            "key_problems": db.key_problems(con).to_dicts(),
            "table_key_problems": db.table_key_problems(con).to_dicts(),
            "tables_read_through": len(checks),
        }
    finally:
        con.close()
    if as_json:
        print(json.dumps(facts, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"tables read:    {len(checks)} read through, no damage")
        print(f"database:       {facts['database']} ({facts['backend']})")
        print(f"schema version: {facts['schema_version']}")
        print(f"data version:   {facts['data_version']}")
        print(f"demo data only: {'yes' if facts['demo_only'] else 'no'}")
        problems = facts["key_problems"]
        print(f"observation keys: {'ok' if not problems else f'{len(problems)} problems'}")
        for problem in problems[:10]:
            print("  " + ", ".join(f"{k}={v}" for k, v in problem.items() if v is not None))
        table_problems = facts["table_key_problems"]
        print(f"other keys:     {'ok' if not table_problems else f'{len(table_problems)} stored twice'}")
        for problem in table_problems[:10]:
            print(f"  {problem['table_name']}: {problem['row_key']} ×{problem['n']}")
        print("rows per table:")
        width = max(len(name) for name in facts["row_counts"])
        for name, count in facts["row_counts"].items():
            print(f"  {name:<{width}}  {count:>10,}".replace(",", " "))
    return 0


def _report_damage(target: str | None, as_json: bool, lang: str | None,
                   damaged: list[db.TableCheck], checks: list[db.TableCheck]) -> int:
    """The damaged tables, plainly, on stderr (and as JSON on stdout with `--json`); exit 2."""
    lang = lang_of(lang)
    names = ", ".join(c.table for c in damaged)
    headline = i18n.t("db.check.damaged", lang, count=len(damaged), tables=names)
    if as_json:
        print(json.dumps({"database": db.database_target(target), "ok": False, "damaged": [
            {"table": c.table, "error": c.problem.message(lang)} for c in damaged],
            "tables_read_through": len(checks) - len(damaged),
            "errors": [{"code": "db.check.damaged", "message": headline, "tables": [c.table for c in damaged]},
                       *(c.problem.as_error(lang) | {"table": c.table} for c in damaged)]},
            ensure_ascii=False, indent=2))
    print(f"vetopito: {headline}", file=sys.stderr)
    print(f"vetopito: {damaged[0].problem.message(lang)}", file=sys.stderr)
    return 2


@vetopito.command("check-db", short_help="verify a database file (a backup): read every table through once; "
                                         "exit 0 when whole, 2 when damaged",
                  help="Open the database read-only and read every row of every table, so that "
                       "every block's checksum is verified. Writes nothing.")
@db_option
@json_option()
@lang_option()
def check_db(db_path: str | None, as_json: bool, lang: str | None) -> int:
    """Verify a database file, e.g. a backup: open it read-only and read every table through."""
    target = db_path
    lang = lang_of(lang)
    con = db.connect(target, create=False, read_only=True, migrate_schema=False)
    try:
        checks = db.check_tables(con)
    finally:
        con.close()
    damaged = [c for c in checks if c.problem is not None]
    if damaged:
        if not as_json:
            for c in checks:
                state = i18n.t("db.check.table_ok" if c.problem is None else "db.check.table_damaged", lang)
                print(f"  {c.table:<32} {state}")
        return _report_damage(target, as_json, lang, damaged, checks)
    rows = sum(c.rows or 0 for c in checks)
    if as_json:
        print(json.dumps({"database": db.database_target(target), "ok": True, "damaged": [],
                          "tables_read_through": len(checks), "rows": rows}, ensure_ascii=False, indent=2))
    else:
        for c in checks:
            print(f"  {c.table:<32} {c.rows:>12,}".replace(",", " "))
        print(i18n.t("db.check.ok", lang, tables=len(checks), rows=i18n.fmt_number(rows, 0, lang)))
    return 0


@vetopito.command("serve", short_help="serve the app (streamlit run app.py); extra options go to Streamlit",
                  help="Serve the app. Options after the command are passed to `streamlit run`, "
                       "e.g. `vetopito serve --server.port 8502`.",
                  context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--demo-open", is_flag=True,
              help="let the demo mode (no sign-in provider: every visitor gets every role) "
                   "listen beyond loopback; logged loudly (also VETOVOIMA_DEMO_OPEN=1)")
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def serve_command(demo_open: bool, streamlit_args: tuple[str, ...]) -> int:
    """Refuse to start on unsafe settings before Streamlit starts, so production is never
    silently open: a switch with an unknown value, `auth.required` without a provider, an
    incomplete provider, or the demo mode on an address beyond loopback without `--demo-open`."""
    settings = access.startup_settings(secrets=access.load_streamlit_secrets(db.ROOT / "app.py"))
    if demo_open:
        settings = dataclasses.replace(settings, demo_open=True)
    argv, exposed = serve_argv(list(streamlit_args), settings, configured=configured_address())
    if exposed:
        warning = i18n.t("auth.demo_open_banner", address=_flag_value(argv, "--server.address"),
                         override=access.ENV_DEMO_OPEN)
        print(f"vetopito: WARNING: {warning}", file=sys.stderr)
        os.environ[access.ENV_DEMO_OPEN] = "1"   # the app (this process) shows the same warning
    return serve(argv)


def _flag_value(argv: list[str], flag: str) -> str | None:
    """The value of `--flag value` or `--flag=value` in a Streamlit argument list (the last wins)."""
    value = None
    for i, item in enumerate(argv):
        if item == flag and i + 1 < len(argv):
            value = argv[i + 1]
        elif item.startswith(flag + "="):
            value = item[len(flag) + 1:]
    return value


def configured_address(environ=None, script: Path | None = None) -> str | None:
    """`server.address` as `streamlit run` would find it without a flag: the environment
    (`STREAMLIT_SERVER_ADDRESS`), else the last of ~/.streamlit, ./.streamlit and the app's own
    .streamlit/config.toml that sets it; None when nothing does (Streamlit: every interface)."""
    environ = os.environ if environ is None else environ
    if environ.get("STREAMLIT_SERVER_ADDRESS"):
        return environ["STREAMLIT_SERVER_ADDRESS"]
    script = script or db.ROOT / "app.py"
    address = None
    for folder in (Path.home(), Path.cwd(), script.resolve().parent):
        path = folder / ".streamlit" / "config.toml"
        try:
            with path.open("rb") as handle:
                server = tomllib.load(handle).get("server") or {}
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if "address" in server:
            address = str(server["address"])
    return address


def serve_argv(streamlit_args: list[str], settings, *, configured: str | None) -> tuple[list[str], bool]:
    """The options `vetopito serve` passes to `streamlit run`, and whether the open demo mode is
    reachable from the network. The address is always explicit: the one given, else the configured
    one (`configured_address`), else loopback. Raises `AuthConfigError` for the demo mode on an
    address beyond loopback without the override (`auth.check_exposure`)."""

    argv = list(streamlit_args)
    address = _flag_value(argv, "--server.address")
    if address is None:
        address = configured or access.LOOPBACK
        argv += ["--server.address", address]
    return argv, access.check_exposure(settings, address)


def serve(streamlit_args: list[str]) -> int:
    """Run `streamlit run app.py …` in this process, with the old `pages/` auto-discovery off.

    Streamlit decides once per process, before any script has run, whether the app uses the
    legacy `pages/` folder: a folder of that name next to app.py makes it run the *first*
    session's first script through its folder-based navigation, so a deep link such as
    `/tiimi` opened right after a start shows "Page not found" (and `/team` would run
    pages/team.py without app.py). app.py lists every page with `st.navigation`, so the flag is
    set to False here, before the server starts. `streamlit run app.py` still works; only that
    first deep link differs. Streamlit is imported here, not at the top: the other commands
    never load it.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    from vetopito.ui import static

    PagesManager.uses_pages_directory = False
    static.install(db.ROOT / "app.py")   # a deep link connects at once (vetopito.ui.static)
    sys.argv = ["streamlit", "run", str(db.ROOT / "app.py"), *streamlit_args]
    try:
        streamlit_cli.main(prog_name="streamlit")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# Every sub-command, in one place (the order of `vetopito --help`).
for command in (load.check, load.load, load.loads, load.undo, export.export,
                admin.users, admin.audit, dev.seed_command, dev.init, dev.copy_command, ops.maintain_command,
                dev.bench_command):
    vetopito.add_command(command)


def _wants_json(argv: list[str]) -> bool:
    return "--json" in argv


def _lang_in(argv: list[str]) -> str | None:
    for i, item in enumerate(argv):
        if item == "--lang" and i + 1 < len(argv) and argv[i + 1] in i18n.LANGUAGES:
            return argv[i + 1]
        if item.startswith("--lang=") and item[7:] in i18n.LANGUAGES:
            return item[7:]
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code (never `SystemExit`, so tests and scripts may call it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        result = vetopito.main(args=argv, prog_name="vetopito", standalone_mode=False)
    except click.UsageError as exc:  # found while parsing, before a command runs: reported here
        if _wants_json(argv):
            say_error(exc, as_json=True, lang=_lang_in(argv))
        else:
            exc.show()
        return EXIT_USAGE
    except click.Abort:
        print("vetopito: aborted", file=sys.stderr)
        return 1
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
