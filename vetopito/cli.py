"""The `vetopito` command: the same work as the app's pages, for analysts who script it.

Each area of the library adds its own sub-commands through a `register(subparsers)`
function listed in `COMMAND_MODULES`; this module only parses and dispatches.
Exit codes: 0 success, 1 the data was rejected, 2 usage, I/O or database errors (a locked, damaged
or unwritable database, a full disk: one localised message, never a traceback).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import sys
import tomllib
from pathlib import Path

import duckdb

from vetopito import db, i18n

COMMAND_MODULES = (
    "vetopito.seed",
    "vetopito.ingest.cli",
    "vetopito.export.cli",
    "vetopito.bench",
    "vetopito.auth",
)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, metavar="PATH",
                        help="database file or DuckDB connection string "
                             f"(default: ${db.ENV_VAR}, else data/vetovoima.duckdb)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vetopito", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = sub.add_parser("info", help="schema version, row counts per table and the data version; reads "
                                       "every table through once and says plainly when the file is damaged")
    add_db_option(info)
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of the messages (default fi)")
    info.set_defaults(func=cmd_info)

    check = sub.add_parser("check-db", help="verify a database file (a backup): read every table through once; "
                                            "exit 0 when whole, 2 when damaged",
                           description="Open the database read-only and read every row of every table, so that "
                                       "every block's checksum is verified. Writes nothing.")
    add_db_option(check)
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of the messages (default fi)")
    check.set_defaults(func=cmd_check_db)

    serve = sub.add_parser(
        "serve", help="serve the app (streamlit run app.py); extra options go to Streamlit",
        description="Serve the app. Options after the command are passed to `streamlit run`, "
                    "e.g. `vetopito serve --server.port 8502`.")
    serve.add_argument("--demo-open", action="store_true",
                       help="let the demo mode (no sign-in provider: every visitor gets every role) "
                            "listen beyond loopback; logged loudly (also VETOVOIMA_DEMO_OPEN=1)")
    serve.set_defaults(func=cmd_serve)

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that area is not built yet
            raise
        register = getattr(module, "register", None)
        if register is not None:
            register(sub, add_db_option)
    return parser


def cmd_info(args: argparse.Namespace) -> int:
    """Read-only (an immutable file, a file another process reads): and the deep check first, so a
    damaged file is said plainly (exit 2) instead of "observation keys: ok"."""
    con = db.connect(args.db, create=False, read_only=True)
    try:
        checks = db.check_tables(con)
        damaged = [c for c in checks if c.problem is not None]
        if damaged:
            return _report_damage(args, damaged, checks)
        facts = {
            "database": db.database_target(args.db),
            "schema_version": db.schema_version(con),
            "data_version": db.data_version(con),
            "demo_only": db.get_meta(con, "demo_only") == "true",
            "row_counts": db.row_counts(con),
            "key_problems": db.key_problems(con).to_dicts(),
            "tables_read_through": len(checks),
        }
    finally:
        con.close()
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"tables read:    {len(checks)} read through, no damage")
        print(f"database:       {facts['database']}")
        print(f"schema version: {facts['schema_version']}")
        print(f"data version:   {facts['data_version']}")
        print(f"demo data only: {'yes' if facts['demo_only'] else 'no'}")
        problems = facts["key_problems"]
        print(f"observation keys: {'ok' if not problems else f'{len(problems)} problems'}")
        for problem in problems[:10]:
            print("  " + ", ".join(f"{k}={v}" for k, v in problem.items() if v is not None))
        print("rows per table:")
        width = max(len(name) for name in facts["row_counts"])
        for name, count in facts["row_counts"].items():
            print(f"  {name:<{width}}  {count:>10,}".replace(",", " "))
    return 0


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or i18n.DEFAULT_LANGUAGE


def _report_damage(args: argparse.Namespace, damaged: list[db.TableCheck], checks: list[db.TableCheck]) -> int:
    """The damaged tables, plainly, on stderr (and as JSON on stdout with `--json`); exit 2."""
    lang = _lang(args)
    names = ", ".join(c.table for c in damaged)
    headline = i18n.t("db.check.damaged", lang, count=len(damaged), tables=names)
    if getattr(args, "json", False):
        print(json.dumps({"database": db.database_target(args.db), "ok": False, "damaged": [
            {"table": c.table, "error": c.problem.message(lang)} for c in damaged],
            "tables_read_through": len(checks) - len(damaged)}, ensure_ascii=False, indent=2))
    print(f"vetopito: {headline}", file=sys.stderr)
    print(f"vetopito: {damaged[0].problem.message(lang)}", file=sys.stderr)
    return 2


def cmd_check_db(args: argparse.Namespace) -> int:
    """Verify a database file, e.g. a backup: open it read-only and read every table through."""
    lang = _lang(args)
    con = db.connect(args.db, create=False, read_only=True, migrate_schema=False)
    try:
        checks = db.check_tables(con)
    finally:
        con.close()
    damaged = [c for c in checks if c.problem is not None]
    if damaged:
        if not args.json:
            for c in checks:
                state = i18n.t("db.check.table_ok" if c.problem is None else "db.check.table_damaged", lang)
                print(f"  {c.table:<32} {state}")
        return _report_damage(args, damaged, checks)
    rows = sum(c.rows or 0 for c in checks)
    if args.json:
        print(json.dumps({"database": db.database_target(args.db), "ok": True, "damaged": [],
                          "tables_read_through": len(checks), "rows": rows}, ensure_ascii=False, indent=2))
    else:
        for c in checks:
            print(f"  {c.table:<32} {c.rows:>12,}".replace(",", " "))
        print(i18n.t("db.check.ok", lang, tables=len(checks), rows=i18n.fmt_number(rows, 0, lang)))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Refuse to start on unsafe settings before Streamlit starts, so production is never
    silently open: a switch with an unknown value, `auth.required` without a provider, an
    incomplete provider, or the demo mode on an address beyond loopback without `--demo-open`."""
    from vetopito.access import settings as auth

    try:
        settings = auth.startup_settings(secrets=auth.load_streamlit_secrets(db.ROOT / "app.py"))
        if args.demo_open:
            settings = dataclasses.replace(settings, demo_open=True)
        argv, exposed = serve_argv(args.streamlit_args, settings, configured=configured_address())
    except auth.AuthConfigError as exc:
        print(f"vetopito: {exc.message()}", file=sys.stderr)
        return 2
    if exposed:
        warning = i18n.t("auth.demo_open_banner", address=_flag_value(argv, "--server.address"),
                         override=auth.ENV_DEMO_OPEN)
        print(f"vetopito: WARNING: {warning}", file=sys.stderr)
        os.environ[auth.ENV_DEMO_OPEN] = "1"   # the app (this process) shows the same warning
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
    from vetopito.access import settings as auth

    argv = list(streamlit_args)
    address = _flag_value(argv, "--server.address")
    if address is None:
        address = configured or auth.LOOPBACK
        argv += ["--server.address", address]
    return argv, auth.check_exposure(settings, address)


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

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(db.ROOT / "app.py"), *streamlit_args]
    try:
        streamlit_cli.main(prog_name="streamlit")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "serve":
        args.streamlit_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args) or 0)
    except (db.DatabaseError, duckdb.Error) as exc:
        # every command: database trouble met anywhere (open, read, commit) is one localised message
        problem = db.classify(exc, getattr(args, "db", None))
        if problem is None:
            raise  # not trouble with the file: a bug, and its traceback says where
        print(f"vetopito: {problem.message(getattr(args, 'lang', None))}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"vetopito: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
