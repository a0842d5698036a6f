"""`vetopito seed | init | bench`: the demo data and the benchmark, for developers and `make run`."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from vetopito import catalog, db, demo, transfer
from vetopito.bench import browser as bench_browser
from vetopito.bench import browser_report
from vetopito.bench import database as bench_database
from vetopito.bench import ingest as bench_ingest
from vetopito.bench import pages as bench_pages
from vetopito.cli.common import Command, db_option, json_option, say_error


@click.command("seed", cls=Command, help="regenerate the demo CSVs in data/seed/ and build the demo database")
@db_option
@click.option("--no-build", is_flag=True, help="only write the CSVs")
@json_option("say what was written and built as one JSON object")
def seed_command(db_path: str | None, no_build: bool, as_json: bool) -> int:
    written = [path.relative_to(db.ROOT) if path.is_relative_to(db.ROOT) else path for path in demo.generate()]
    if not as_json:
        for path in written:
            print(f"wrote {path}")
    built = None if no_build else _build(db.database_target(db_path), as_json=as_json)
    if not no_build and built is None:
        return 1
    if as_json:
        print(json.dumps({"ok": True, "written": [str(p) for p in written],
                          "built": None if built is None else str(built)}, ensure_ascii=False))
    elif built is not None:
        print(f"built {built} from {len(demo.seed_files())} seed files (demo data only)")
    return 0


def _build(target: str, *, as_json: bool) -> Path | None:
    """The demo database built; None when a seed file is rejected (said on stdout, as `vetopito seed`
    always has; under `--json` in the one error shape, the message on stderr)."""
    try:
        return demo.build_database(target)
    except demo.SeedError as exc:
        if as_json:
            say_error(exc, as_json=True, lang="en")
        else:
            print(f"vetopito: {exc}")
        return None


@click.command("init", cls=Command,
               help="build the demo database if the file does not exist, else migrate it; on a lake "
                    "(ducklake:postgres:…, with VETOVOIMA_DATA_PATH when new) create or migrate the "
                    "schema and the reference data")
@db_option
@json_option("say what was done as one JSON object")
def init(db_path: str | None, as_json: bool) -> int:
    target = db.database_target(db_path)
    if db.is_local_file(target) and not Path(target).exists():
        built = _build(target, as_json=as_json)
        if built is None:
            return 1
        print(json.dumps({"ok": True, "database": str(built), "created": True}, ensure_ascii=False) if as_json
              else f"created {built} with the demo data ({len(demo.seed_files())} seed files)")
        return 0
    con = db.connect(target)
    try:
        version = db.schema_version(con)
        # the reference units; the shipped catalogue only as the seed of a database with none, as
        # its first loads (a catalogue analysts may have edited is never overwritten)
        changed = catalog.ensure_reference(con, indicators=False)
        from vetopito.ingest.cycle import WRITE_LOCK, seed_catalogue

        with WRITE_LOCK:
            changed = bool(seed_catalogue(con)) or changed
    finally:
        con.close()
    if as_json:
        print(json.dumps({"ok": True, "database": target, "created": False, "schema_version": version,
                          "reference_updated": bool(changed)}, ensure_ascii=False, default=str))
    else:
        print(f"{target} exists: schema version {version}"
              + ("; reference data updated" if changed else "; reference data up to date"))
    return 0


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """While measuring, anything written to stdout (DuckDB's progress bar on a slow query,
    Streamlit) goes to stderr, so that stdout holds only the report (`--json` stays parseable)."""
    sys.stdout.flush()
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved_stdout, 1)
        os.close(saved_stdout)


@click.command("bench", cls=Command, help="how fast the pages and their queries are on a national-scale database",
               short_help="time every page and query on a generated national-scale database")
@db_option
@click.option("--size", type=click.Choice(sorted(bench_database.SIZES)), default="national",
              help="national: about 10 M observations; small: a quick run (default: national)")
@click.option("--pages", is_flag=True, help="also time the warm render of every page")
@click.option("--runs", type=int, default=5, help="warm renders per page (default 5)")
@click.option("--query-runs", type=int, default=20, help="runs per query (default 20)")
@json_option()
@click.option("--regenerate", is_flag=True, help="build the database again")
@click.option("--quiet", is_flag=True, help="no progress on stderr")
@click.option("--ingest", is_flag=True,
              help="instead: time the loader against DuckDB's read_csv and pandas on a generated CSV, "
                   "and on a monthly extract into the --size database")
@click.option("--rows", type=int, default=1_000_000, help="rows of the --ingest CSV (default 1 000 000)")
@click.option("--browser", is_flag=True,
              help="instead: time every page's new session, a widget change and a presentation step "
                   "in headless Chromium against a one-chart Streamlit page (the floor)")
@click.option("--browser-runs", type=int, default=3,
              help="--browser: new sessions (and widget changes) per page; the median counts (default 3)")
@click.option("--browser-pages", default=None, metavar="PATHS",
              help="--browser: only these pages, comma-separated (e.g. /,/esitys; default every page)")
@click.option("--ingest-runs", type=int, default=bench_ingest.INGEST_RUNS,
              help=f"--ingest: timed runs of each load after a warm-up run; the median counts "
                   f"(default {bench_ingest.INGEST_RUNS})")
@click.option("--backend", type=click.Choice(["file", "lake"]), default="file",
              help="lake: the same figures also on a lake (DuckLake, a throw-away PostgreSQL catalog, a local "
                   "data path) beside the file's, with the ratios; --pages adds 4 app processes and 2 writers "
                   "at once (needs Debian's postgresql)")
@click.option("--loaded-seconds", type=float, default=60.0,
              help="--backend lake --pages: how long the app processes and writers run at once (default 60)")
def bench_command(db_path: str | None, size: str, pages: bool, runs: int, query_runs: int, as_json: bool,
                  regenerate: bool, quiet: bool, ingest: bool, rows: int, browser: bool, browser_runs: int,
                  browser_pages: str | None, ingest_runs: int, backend: str, loaded_seconds: float) -> int:
    if ingest:
        with _stdout_to_stderr():
            report = bench_ingest.run_ingest_benchmark(max(rows, 1), verbose=not quiet, runs=max(ingest_runs, 1),
                                                       lake=backend == "lake")
            report["monthly"] = bench_ingest.run_monthly_benchmark(bench_database.SIZES[size], verbose=not quiet,
                                                            runs=max(ingest_runs, 1))
        print(json.dumps(report, ensure_ascii=False, indent=2) if as_json else bench_ingest.format_ingest_report(report))
        return 0
    if browser:
        return _browser_bench(db_path, as_json=as_json, quiet=quiet, runs=browser_runs, only=browser_pages)
    chosen = bench_database.SIZES[size]
    if db_path and Path(db_path).exists() and not regenerate:
        # an existing file named on purpose is measured as it is, never overwritten
        path, generated_s = Path(db_path), None
    else:
        path = Path(db_path) if db_path else bench_database.default_db_path(chosen.name)
        if regenerate:
            path.unlink(missing_ok=True)
        path, generated_s = bench_database.ensure_database(path, chosen, verbose=not quiet)
    with _stdout_to_stderr():
        report = bench_pages.run_benchmark(path, chosen, pages=pages, runs=max(runs, 1),
                                     query_runs=max(query_runs, 1), generated_s=generated_s)
        if backend == "lake":
            from vetopito.bench import lake as bench_lake
            report["lake"] = bench_lake.run_pages_beside(path, chosen, pages=pages, runs=max(runs, 1),
                                                         query_runs=max(query_runs, 1), verbose=not quiet,
                                                         concurrent_s=loaded_seconds if pages else 0,
                                                         rebuild=regenerate)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(bench_pages.format_report(report))
        if "lake" in report:
            from vetopito.bench import lake as bench_lake
            print(bench_lake.format_beside(report, report["lake"]))
    return 0


def _browser_bench(db_path: str | None, *, as_json: bool, quiet: bool, runs: int, only: str | None) -> int:
    """The demo database (built on first use, as `make run` does) unless --db names another."""
    path = Path(db.database_target(db_path))
    if not path.exists():
        demo.build_database(str(path))
    with _stdout_to_stderr():
        pages = {p.strip() for p in only.split(",")} if only else None
        report = bench_browser.run_browser_benchmark(path, runs=max(runs, 1), verbose=not quiet, only=pages)
    print(json.dumps(report, ensure_ascii=False, indent=2) if as_json
          else browser_report.format_browser_report(report))
    return 0


@click.command("copy", cls=Command,
               help="move a whole database to a new, empty one (file → lake, lake → file): every "
                    "table's rows counted on both sides and every key checked; exit 1 when they differ")
@click.option("--from", "source", required=True, metavar="DB", help="the database to copy (file or lake)")
@click.option("--to", "destination", required=True, metavar="DB",
              help="the new database (a new file, or a lake whose catalog database is empty)")
@json_option("print the counts and key checks as one JSON object")
def copy_command(source: str, destination: str, as_json: bool) -> int:
    report = transfer.copy_database(source, destination)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False, default=str))
    else:
        print(f"copied {report.source} -> {report.destination}")
        width = max((len(t) for t in report.counts), default=5)
        for table, (there, here) in report.counts.items():
            mark = "" if there == here else "   DIFFERS"
            print(f"  {table:<{width}}  {there:>10,} -> {here:>10,}{mark}".replace(",", " "))
        print("keys: ok" if not report.key_problems else f"keys: {len(report.key_problems)} problems")
        for problem in report.key_problems[:10]:
            print("  " + ", ".join(f"{k}={v}" for k, v in problem.items() if v is not None))
    return 0 if report.ok else 1
