"""`vetopito check | load | loads | undo`: the loader for analysts who script their loads.

Exit codes: 0 every file would load (or loaded), 1 a file was rejected, 2 usage, I/O or database errors.
Without `--as EMAIL` a command has full scope (the analyst's own machine); with it, it works with
that user's role grants as the upload page does: only the units of their analyst grants are
loaded, undone or listed, and messages name only units of that scope.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from vetopito import access, db, i18n, ingest
from vetopito.cli.common import (
    EXIT_REJECTED,
    EXIT_USAGE,
    Command,
    Failed,
    db_option,
    json_option,
    lang_of,
    lang_option,
    say_error,
)
from vetopito.ingest import aliases, problems, report_view
from vetopito.limits import visible


def as_option(func):
    return click.option("--as", "as_user", metavar="EMAIL", default=None,
                        help="work with the role grants of this user, as the upload page would: only the "
                             "units of their analyst grants, and messages naming only those "
                             "(recorded as that user); without it the command has full scope")(func)


def _file_command(name: str, help_text: str):
    """`check` and `load`: the same options, one writes."""
    def decorate(func):
        for option in reversed((
            click.argument("files", nargs=-1, required=True, metavar="FILE..."),
            db_option,
            click.option("--indicator", help="indicator id for files that do not name it"),
            click.option("--unit", help="unit id for files that do not name it"),
            click.option("--period", help="period for files that do not name it (e.g. 2024, 3/2024)"),
            click.option("--map-indicator", "map_indicator", multiple=True, metavar="LABEL=ID",
                         help="the file's name LABEL means indicator ID (repeatable); a load saves it as an "
                              "alias, undone with the load"),
            json_option("print one JSON report per file"),
            lang_option(),
            click.option("--user", default="cli", show_default=True, help="who is loading (recorded with the load)"),
            as_option,
        )):
            func = option(func)
        return click.command(name, cls=Command, help=help_text)(func)
    return decorate


def _scope(con, as_user: str | None) -> access.Scope | None:
    """The load scope of `--as EMAIL` (None: the command line's full scope)."""
    if as_user is None:
        return None
    return access.scope_for(con, as_user).loading()


def _user(user: str, scope: access.Scope | None) -> str:
    return scope.user if scope is not None else user


def _print_report(report: ingest.Report, lang: str | None) -> None:
    """Human-readable lines in the user's language (Finnish by default); the file's name, cells and
    notes quoting it show their control characters escaped (`visible`), never as terminal escapes."""
    print(f"{visible(report.file)}: {report_view.detected_text(report, lang)}")
    print("  " + i18n.t("ingest.cli.counts", lang, **problems.numbers_in(report.counts, lang)))
    for note in report.notes:
        print(f"  {visible(note)}")
    for problem in report.errors:
        print(f"  {visible(problem.line(lang))}")
    more = report.error_total - len(report.errors)
    if more > 0:
        print("  " + i18n.t_plural("ingest.cli.more", more, lang, count=i18n.fmt_number(more, 0, lang)))
    if report.load_id is not None:
        print("  " + i18n.t("ingest.cli.committed", lang, load_id=report.load_id))
    elif not report.ok():
        print("  " + i18n.t_plural("ingest.cli.rejected", report.error_total, lang,
                                   total=i18n.fmt_number(report.error_total, 0, lang)))


def _run(files, db_path, indicator, unit, period, map_indicator, as_json, lang, user, as_user, *,
         commit: bool) -> int:
    lang = lang_of(lang)
    try:
        mappings = aliases.parse_map_option(map_indicator, lang)
    except aliases.MappingError as exc:  # a usage error
        raise Failed("ingest.cli.map_option_form", lang=lang, value=exc.value) from exc
    options = ingest.Options(indicator=indicator, unit=unit, period=period, map_indicator=mappings)
    con = db.connect(db_path, create=False)  # a mistyped --db must not create a new database
    try:
        db.verify(con)  # a damaged file is refused before anything is planned or written
    except BaseException:
        con.close()
        raise
    worst = 0
    try:
        scope = _scope(con, as_user)
        for name in files:
            path = Path(name)
            if not path.is_file():
                say_error(Failed("ingest.cli.no_such_file", lang=lang, file=visible(name)),
                          as_json=as_json, lang=lang, file=name)
                worst = EXIT_USAGE
                continue
            if commit:
                report = ingest.load(con, path, options=options, user=_user(user, scope), scope=scope, lang=lang)
            else:
                report = ingest.check(con, path, options=options, scope=scope, lang=lang)
            if as_json:
                print(json.dumps({**report.to_dict(), "ok": report.ok()}, ensure_ascii=False))
            else:
                _print_report(report, lang)
            if not report.ok():
                worst = max(worst, EXIT_REJECTED)
    finally:
        con.close()
    return worst


@_file_command("check", "validate files and print the plan; writes nothing")
def check(**options) -> int:
    return _run(**options, commit=False)


@_file_command("load", "validate files and commit each one that has no problems")
def load(**options) -> int:
    return _run(**options, commit=True)


@click.command("loads", cls=Command, help="the load history, newest first")
@db_option
@json_option("print one JSON list")
@as_option
def loads(db_path: str | None, as_json: bool, as_user: str | None) -> int:
    con = db.connect(db_path, create=False, read_only=True)  # reads only: works on an unwritable file
    try:
        frame = ingest.loads(con, _scope(con, as_user))
    finally:
        con.close()
    if as_json:
        print(json.dumps(frame.with_columns(frame.select(["loaded_at", "undone_at"]).cast(str)).to_dicts(),
                         ensure_ascii=False))
        return 0
    for row in frame.iter_rows(named=True):
        print(f"{row['load_id']:>5}  {row['loaded_at']:%Y-%m-%d %H:%M}  {row['status']:<9}  {row['format']:<12}  "
              f"new {row['n_new']}, changed {row['n_changed']}, unchanged {row['n_unchanged']}  "
              f"{visible(row['file_name'])}  ({visible(row['user_name'])})")
    return 0


@click.command("undo", cls=Command, help="undo a committed load")
@click.argument("load_id", type=int, metavar="LOAD_ID")
@db_option
@lang_option(None)
@click.option("--user", default="cli", show_default=True, help="who is undoing (recorded with the undo)")
@click.option("--yes", is_flag=True, help="undo without asking (needed when standard input is not a terminal)")
@json_option("print the result as one JSON object")
@as_option
def undo(load_id: int, db_path: str | None, lang: str | None, user: str, yes: bool, as_json: bool,
         as_user: str | None) -> int:
    lang = lang_of(lang)
    con = db.connect(db_path, create=False)
    try:
        db.verify(con)  # an undo on a damaged file is refused before it writes
        if db.fetch(con, "ingest__load_by_id", load_id=load_id).is_empty():  # a usage error
            raise Failed("ingest.undo.no_such_load", lang=lang, load_id=load_id)
        # without --as the command line runs with full scope (the analyst's own machine)
        scope = _scope(con, as_user)
        if not yes:
            preview = ingest.undo_preview(con, load_id, scope=scope, lang=lang)  # refusals first
            asked = _confirmed(preview.text(lang), load_id, lang, as_json=as_json)
            if asked is not None:
                return asked
        result = ingest.undo(con, load_id, user=_user(user, scope), scope=scope, lang=lang)
    finally:
        con.close()
    print(json.dumps({**result.to_dict(), "ok": True}, ensure_ascii=False) if as_json else result.message)
    return 0


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, OSError, ValueError):
        return False


def _confirmed(preview: str, load_id: int, lang: str, *, as_json: bool = False) -> int | None:
    """Ask before an undo: None when the user typed yes; else the exit code (2 when standard input
    is not a terminal, so a script must say `--yes`; 1 when the user said no)."""
    if as_json or not _is_terminal(sys.stdin):  # a script reading JSON cannot answer a question
        print(preview, file=sys.stderr)
        say_error(Failed("ingest.cli.undo_needs_yes", lang=lang, load_id=load_id), as_json=as_json, lang=lang)
        return EXIT_USAGE
    print(preview)
    try:
        answer = input(i18n.t("ingest.undo.confirm_prompt", lang))
    except EOFError:
        answer = ""
    if answer.strip().lower() in {i18n.t("ingest.undo.confirm_yes", lang), "y", "yes"}:
        return None
    print(i18n.t("ingest.undo.not_confirmed", lang, load_id=load_id))
    return 1
