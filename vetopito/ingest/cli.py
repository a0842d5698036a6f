"""`vetopito check | load | loads | undo`: the loader for analysts who script their loads.

Exit codes: 0 every file would load (or loaded), 1 a file was rejected, 2 usage, I/O or database errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vetopito import db, i18n, ingest
from vetopito.ingest import core, present
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
        parser.add_argument("--json", action="store_true", help="print one JSON report per file")
        parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None,
                            help="language of the messages (default fi)")
        parser.add_argument("--user", default="cli", help="who is loading (recorded with the load)")
        parser.set_defaults(func=func)
    history = subparsers.add_parser("loads", help="the load history, newest first")
    add_db_option(history)
    history.add_argument("--json", action="store_true")
    history.set_defaults(func=cmd_loads)
    undo = subparsers.add_parser("undo", help="undo a committed load")
    undo.add_argument("load_id", type=int, metavar="LOAD_ID")
    add_db_option(undo)
    undo.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    undo.add_argument("--user", default="cli")
    undo.set_defaults(func=cmd_undo)


def _print_report(report: ingest.Report, lang: str | None) -> None:
    """Human-readable lines in the user's language (Finnish by default); the file's name, cells and
    notes quoting it show their control characters escaped (`visible`), never as terminal escapes."""
    print(f"{visible(report.file)}: {present.detected_text(report, lang)}")
    print("  " + i18n.t("ingest.cli.counts", lang, **core.numbers_in(report.counts, lang)))
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
    options = ingest.Options(indicator=args.indicator, unit=args.unit, period=args.period)
    try:
        con = db.connect(args.db, create=False)  # a mistyped --db must not create a new database
    except db.DatabaseError as exc:
        if args.json:  # a script reading stdout gets JSON too, not silence
            print(json.dumps({"error": exc.message(lang)}, ensure_ascii=False))
        raise
    worst = 0
    try:
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
                report = ingest.load(con, path, options=options, user=args.user, lang=lang)
            else:
                report = ingest.check(con, path, options=options, lang=lang)
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
    con = db.connect(args.db, create=False)
    try:
        frame = ingest.loads(con)
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
        if db.fetch(con, "ingest__load_by_id", load_id=args.load_id).is_empty():  # a usage error
            print(f"vetopito: {i18n.t('ingest.undo.no_such_load', lang, load_id=args.load_id)}", file=sys.stderr)
            return 2
        # no scope: the command line runs with full scope (the analyst's own machine)
        result = ingest.undo(con, args.load_id, user=args.user, lang=lang)
    except (ingest.UndoBlocked, ingest.UndoError) as exc:
        print(f"vetopito: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(result.message)
    return 0
