"""`vetopito check | load | loads | undo`: the loader for analysts who script their loads.

Exit codes: 0 every file would load (or loaded), 1 a file was rejected, 2 usage, I/O or database errors.
Without `--as EMAIL` a command has full scope (the analyst's own machine); with it, it works with
that user's role grants as the upload page does: only the units of their analyst grants are
loaded, undone or listed, and messages name only units of that scope.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vetopito import access, db, i18n, ingest
from vetopito.ingest import aliases, problems, report_view
from vetopito.limits import visible


def register(subparsers, add_db_option) -> None:
    for name, func, text in (("check", cmd_check, "validate files and print the plan; writes nothing"),
                             ("load", cmd_load, "validate files and commit each one that has no problems")):
        parser = subparsers.add_parser(name, help=text)
        parser.add_argument("files", nargs="+", metavar="FILE")
        add_db_option(parser)
        parser.add_argument("--indicator", help="indicator id for files that do not name it")
        parser.add_argument("--unit", help="unit id for files that do not name it")
        parser.add_argument("--period", help="period for files that do not name it (e.g. 2024, 3/2024)")
        parser.add_argument("--map-indicator", action="append", default=[], metavar="LABEL=ID",
                            help="the file's name LABEL means indicator ID (repeatable); a load saves it as an "
                                 "alias, undone with the load")
        parser.add_argument("--json", action="store_true", help="print one JSON report per file")
        parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None,
                            help="language of the messages (default fi)")
        parser.add_argument("--user", default="cli", help="who is loading (recorded with the load)")
        _add_as_option(parser)
        parser.set_defaults(func=func)
    history = subparsers.add_parser("loads", help="the load history, newest first")
    add_db_option(history)
    history.add_argument("--json", action="store_true")
    _add_as_option(history)
    history.set_defaults(func=cmd_loads)
    undo = subparsers.add_parser("undo", help="undo a committed load")
    undo.add_argument("load_id", type=int, metavar="LOAD_ID")
    add_db_option(undo)
    undo.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    undo.add_argument("--user", default="cli")
    undo.add_argument("--yes", action="store_true",
                      help="undo without asking (needed when standard input is not a terminal)")
    _add_as_option(undo)
    undo.set_defaults(func=cmd_undo)


def _add_as_option(parser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="EMAIL", default=None,
                        help="work with the role grants of this user, as the upload page would: only the "
                             "units of their analyst grants, and messages naming only those "
                             "(recorded as that user); without it the command has full scope")


def _scope(con, args: argparse.Namespace) -> access.Scope | None:
    """The load scope of `--as EMAIL` (None: the command line's full scope)."""
    if args.as_user is None:
        return None
    return access.scope_for(con, args.as_user).loading()


def _user(args: argparse.Namespace, scope: access.Scope | None) -> str:
    return scope.user if scope is not None else args.user


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


def _run(args: argparse.Namespace, commit: bool) -> int:
    lang = args.lang or i18n.DEFAULT_LANGUAGE  # explicit, so one command never changes another's language
    try:
        mappings = aliases.parse_map_option(args.map_indicator, lang)
    except aliases.MappingError as exc:  # a usage error
        print(f"vetopito: {exc}", file=sys.stderr)
        return 2
    options = ingest.Options(indicator=args.indicator, unit=args.unit, period=args.period, map_indicator=mappings)
    try:
        con = db.connect(args.db, create=False)  # a mistyped --db must not create a new database
        try:
            db.verify(con)  # a damaged file is refused before anything is planned or written
        except BaseException:
            con.close()
            raise
    except db.DatabaseError as exc:
        if args.json:  # a script reading stdout gets JSON too, not silence
            print(json.dumps({"error": exc.message(lang)}, ensure_ascii=False))
        raise
    worst = 0
    try:
        scope = _scope(con, args)
        for name in args.files:
            path = Path(name)
            if not path.is_file():
                message = i18n.t("ingest.cli.no_such_file", lang, file=visible(name))
                if args.json:
                    print(json.dumps({"file": name, "error": message}, ensure_ascii=False))
                print(f"vetopito: {message}", file=sys.stderr)
                worst = 2
                continue
            if commit:
                report = ingest.load(con, path, options=options, user=_user(args, scope), scope=scope, lang=lang)
            else:
                report = ingest.check(con, path, options=options, scope=scope, lang=lang)
            if args.json:
                print(json.dumps(report.to_dict(), ensure_ascii=False))
            else:
                _print_report(report, lang)
            if not report.ok():
                worst = max(worst, 1)
    finally:
        con.close()
    return worst


def cmd_check(args: argparse.Namespace) -> int:
    return _run(args, commit=False)


def cmd_load(args: argparse.Namespace) -> int:
    return _run(args, commit=True)


def cmd_loads(args: argparse.Namespace) -> int:
    con = db.connect(args.db, create=False, read_only=True)  # reads only: works on an unwritable file
    try:
        frame = ingest.loads(con, _scope(con, args))
    finally:
        con.close()
    if args.json:
        print(json.dumps(frame.with_columns(frame.select(["loaded_at", "undone_at"]).cast(str)).to_dicts(),
                         ensure_ascii=False))
        return 0
    for row in frame.iter_rows(named=True):
        print(f"{row['load_id']:>5}  {row['loaded_at']:%Y-%m-%d %H:%M}  {row['status']:<9}  {row['format']:<12}  "
              f"new {row['n_new']}, changed {row['n_changed']}, unchanged {row['n_unchanged']}  "
              f"{visible(row['file_name'])}  ({visible(row['user_name'])})")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    lang = args.lang or i18n.DEFAULT_LANGUAGE  # explicit, so one command never changes another's language
    con = db.connect(args.db, create=False)
    try:
        db.verify(con)  # an undo on a damaged file is refused before it writes
        if db.fetch(con, "ingest__load_by_id", load_id=args.load_id).is_empty():  # a usage error
            print(f"vetopito: {i18n.t('ingest.undo.no_such_load', lang, load_id=args.load_id)}", file=sys.stderr)
            return 2
        # without --as the command line runs with full scope (the analyst's own machine)
        scope = _scope(con, args)
        if not args.yes:
            preview = ingest.undo_preview(con, args.load_id, scope=scope, lang=lang)  # refusals first
            asked = _confirmed(preview.text(lang), args.load_id, lang)
            if asked is not None:
                return asked
        result = ingest.undo(con, args.load_id, user=_user(args, scope), scope=scope, lang=lang)
    except (ingest.UndoBlocked, ingest.UndoError) as exc:
        print(f"vetopito: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(result.message)
    return 0


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, OSError, ValueError):
        return False


def _confirmed(preview: str, load_id: int, lang: str) -> int | None:
    """Ask before an undo: None when the user typed yes; else the exit code (2 when standard input
    is not a terminal, so a script must say `--yes`; 1 when the user said no)."""
    if not _is_terminal(sys.stdin):
        print(preview, file=sys.stderr)
        print(f"vetopito: {i18n.t('ingest.cli.undo_needs_yes', lang, load_id=load_id)}", file=sys.stderr)
        return 2
    print(preview)
    try:
        answer = input(i18n.t("ingest.undo.confirm_prompt", lang))
    except EOFError:
        answer = ""
    if answer.strip().lower() in {i18n.t("ingest.undo.confirm_yes", lang), "y", "yes"}:
        return None
    print(i18n.t("ingest.undo.not_confirmed", lang, load_id=load_id))
    return 1
