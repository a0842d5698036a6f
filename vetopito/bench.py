"""`vetopito bench`: how fast the pages and their queries are on a national-scale database.

The generator builds (or reuses, cached by size) a synthetic database: the shipped reference
data (`catalog.ensure_reference`), the demo seed through the real loader (teams, targets,
events), then synthetic organisational units and indicators up to the wanted counts and
monthly observations for every unit, inserted set-based by the `queries/bench__*.sql`
statements. The national size is about 10 M observations (22 regions,
~2,000 organisational units, 40 indicators, 10 years monthly).

Then it renders every page of app.py with Streamlit's AppTest: once cold (recording every
named query the page runs, with its real parameters), then `--runs` times warm, and prints
the median. Each recorded query is then timed `--query-runs` times on its own cursor and its
95th percentile printed, and finally the peak memory of this process. The generator runs in a
child process, so its memory does not count. This is a benchmark, not a test: it prints figures
against the budget and marks those over it; it does not fail.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from vetopito import db

BUDGET = {"page_ms": 300.0, "query_ms": 50.0, "memory_mb": 500.0}
GENERATOR_VERSION = "2"
APP = db.ROOT / "app.py"


@dataclass(frozen=True)
class Size:
    name: str
    per_region: int      # organisational units under each region
    indicators: int      # indicators in total (catalogue + synthetic)
    first_month: date
    months: int


SIZES = {
    # 22 regions × 91 = 2,002 synthetic organisational units (plus the demo's); about
    # 2,050 units × 40 indicators × 120 months ≈ 9.8 M observations, ending where the demo data ends
    "national": Size("national", per_region=91, indicators=40, first_month=date(2016, 11, 1), months=120),
    "small": Size("small", per_region=2, indicators=8, first_month=date(2024, 11, 1), months=24),
}


def default_db_path(size: str) -> Path:
    """Where the generated database of a size is cached between runs."""
    base = Path(os.environ.get("VETOPITO_BENCH_DIR") or Path(tempfile.gettempdir()) / "vetopito-bench")
    return base / f"bench-{size}.duckdb"


# --- generation ----------------------------------------------------------------------------------

def _is_current(path: Path, size: Size) -> bool:
    if not path.exists():
        return False
    try:
        con = db.connect(path, read_only=True)
    except Exception:
        return False
    try:
        return db.get_meta(con, "bench_size") == f"{size.name}:{GENERATOR_VERSION}"
    except Exception:
        return False
    finally:
        con.close()


def generate(path: str | os.PathLike[str], size: Size, *, progress=None) -> None:
    """Build the benchmark database at `path` from scratch (into a temporary file, then swap)."""
    from vetopito import aggregates, catalog, seed
    from vetopito.ingest import cycle as ingest_core

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    for stale in (tmp, Path(str(tmp) + ".wal")):
        stale.unlink(missing_ok=True)
    con = db.connect(tmp)
    try:
        catalog.ensure_reference(con)
        # the demo data set through the real loader gives the teams, targets and events the team
        # pages need; the synthetic rows below fill the rest (and skip what the seed already has)
        for file in seed.seed_files():
            report = ingest_core.load(con, file, user="vetopito bench", is_demo=True)
            if not report.ok():
                raise db.DatabaseError("bench.error.seed_rejected", file=file.name)
        with db.transaction(con):
            db.execute(con, "bench__insert_indicators", n_indicators=size.indicators)
            db.execute(con, "bench__insert_org_units", per_region=size.per_region, infix="-bench-", digits=3)
            db.execute(con, "bench__insert_load", n_rows=0)
        load_id = int(db.scalar(con, "bench__last_load_id"))
        indicator_ids = db.run(con, "bench__indicator_ids")["id"].to_list()
        for number, indicator_id in enumerate(indicator_ids, 1):
            with db.transaction(con):
                db.execute(con, "bench__insert_observations", indicator_id=indicator_id,
                           first_month=size.first_month, months=size.months, load_id=load_id)
            if progress:
                progress(f"  {number}/{len(indicator_ids)} {indicator_id}")
        with db.transaction(con):
            aggregates.refresh(con)  # the rows above bypass the loader: rebuild the derived tables
            db.set_meta(con, "bench_size", f"{size.name}:{GENERATOR_VERSION}")
            db.bump_data_version(con)
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(tmp, path)


def _generate_child(path: str, size_name: str, verbose: bool) -> None:
    os.dup2(2, 1)  # DuckDB's progress bar writes to stdout; keep stdout for the report
    generate(path, SIZES[size_name], progress=(lambda m: print(m, file=sys.stderr)) if verbose else None)


def ensure_database(path: Path, size: Size, *, verbose: bool) -> tuple[Path, float | None]:
    """Reuse the cached database of this size, or generate it in a child process."""
    if _is_current(path, size):
        return path, None
    started = time.perf_counter()
    if verbose:
        print(f"generating the {size.name} benchmark database at {path} …", file=sys.stderr)
    child = multiprocessing.get_context("spawn").Process(
        target=_generate_child, args=(str(path), size.name, verbose))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise db.DatabaseError("bench.error.generator_failed", exit_code=str(child.exitcode))
    return path, time.perf_counter() - started


# --- measuring -----------------------------------------------------------------------------------

def app_pages() -> dict[str, str]:
    """url path → page file (`pages/x.py`) as listed in app.py."""
    text = APP.read_text(encoding="utf-8")
    found = re.findall(r'(?:st\.Page\(\s*"pages/|\bpage\(\s*")(\w+)(?:\.py)?".*?url_path="([^"]+)"([^)]*)\)',
                       text, flags=re.S)
    # the default page is served at the root: its own url_path is never an address
    return {("" if "default=True" in rest else url): f"pages/{name}.py" for name, url, rest in found}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=20, method="inclusive")[18]


class QueryRecorder:
    """Wraps `db.run` while the pages render cold, keeping each (query, parameters) they use."""

    def __init__(self) -> None:
        self.calls: dict[str, list[dict[str, Any]]] = {}
        self.pages: dict[str, set[str]] = {}
        self.current_page = ""
        self._original = None

    def __enter__(self):
        self._original = db.run
        original = self._original

        def recording_run(con, name, /, **params):
            seen = self.calls.setdefault(name, [])
            if params not in seen:
                seen.append(dict(params))
            self.pages.setdefault(name, set()).add(self.current_page)
            return original(con, name, **params)

        db.run = recording_run
        return self

    def __exit__(self, *exc):
        db.run = self._original


def time_pages(pages: dict[str, str], runs: int, recorder: QueryRecorder) -> dict[str, dict[str, Any]]:
    """Render each page cold once (recording its queries), then `runs` times warm."""
    import streamlit as st
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    results: dict[str, dict[str, Any]] = {}
    for url, file in pages.items():
        # clearing caches outside a server warns "No runtime found" (and AppTest's runs set the
        # log level back, so this is said before every page)
        set_log_level("error")
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=120)
        recorder.current_page = url
        try:
            with recorder:
                at.run()
                at.switch_page(file)
                started = time.perf_counter()
                at.run()
                cold = time.perf_counter() - started
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                at.run()
                timings.append(time.perf_counter() - started)
            errors = [str(e.value)[:200] for e in at.exception]
            median = _ms(statistics.median(timings)) if timings else None
            results[url] = {
                "page": file,
                "median_ms": median,
                "cold_ms": _ms(cold),
                "runs": len(timings),
                "over_budget": median is not None and median > BUDGET["page_ms"],
                "error": errors[0] if errors else None,
            }
        except Exception as exc:  # a page that cannot run is reported, not fatal
            results[url] = {"page": file, "median_ms": None, "cold_ms": None, "runs": 0,
                            "over_budget": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return results


def _reads_data(name: str) -> bool:
    text = re.sub(r"--[^\n]*", "", db.sql_text(name)).strip().lower()
    return text.startswith(("select", "with", "from", "(")) and not name.startswith("bench__")


def time_queries(con, recorder: QueryRecorder, runs: int) -> dict[str, dict[str, Any]]:
    """The p95 of every query the pages ran, with the parameters they ran it with."""
    results: dict[str, dict[str, Any]] = {}
    for name in sorted(recorder.calls):
        if not _reads_data(name):
            continue
        param_sets = recorder.calls[name]
        timings = []
        try:
            db.run(con, name, **param_sets[0])  # not timed: first read of the columns
            for i in range(runs):
                params = param_sets[i % len(param_sets)]
                started = time.perf_counter()
                db.run(con, name, **params)
                timings.append(time.perf_counter() - started)
            value = _ms(p95(timings))
            results[name] = {"p95_ms": value, "median_ms": _ms(statistics.median(timings)),
                             "runs": runs, "parameter_sets": len(param_sets),
                             "pages": sorted(recorder.pages.get(name, ())),
                             "over_budget": value > BUDGET["query_ms"], "error": None}
        except Exception as exc:
            results[name] = {"p95_ms": None, "median_ms": None, "runs": 0,
                             "parameter_sets": len(param_sets),
                             "pages": sorted(recorder.pages.get(name, ())), "over_budget": False,
                             "error": f"{type(exc).__name__}: {exc}"[:200]}
    return results


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_benchmark(path: Path, size: Size, *, pages: bool, runs: int, query_runs: int,
                  generated_s: float | None) -> dict[str, Any]:
    os.environ[db.ENV_VAR] = str(path)
    con = db.connect(path)
    try:
        counts = db.run(con, "bench__sizes").row(0, named=True)
    finally:
        con.close()
    recorder = QueryRecorder()
    page_results = time_pages(app_pages(), runs if pages else 0, recorder)
    if not pages:
        page_results = {}
    con = db.connect(path)
    try:
        query_results = time_queries(con, recorder, query_runs)
    finally:
        con.close()
    memory = peak_memory_mb()
    return {
        "size": size.name,
        "database": str(path),
        "generated_s": None if generated_s is None else round(generated_s, 1),
        "observations": counts["observations"],
        "units": counts["units"],
        "indicators": counts["indicators"],
        "budget": BUDGET,
        "pages": page_results,
        "queries": query_results,
        "memory": {"peak_rss_mb": memory, "over_budget": memory > BUDGET["memory_mb"]},
    }


# --- ingest benchmark (`--ingest`) -----------------------------------------------------------------

INGEST_BUDGET = {"read_csv_ratio": 1.5, "pandas_ratio": 1.0}
INGEST_GENERATOR_VERSION = "2"
INGEST_MONTHS = 120           # 2015-01 … 2024-12
INGEST_FIRST_YEAR = 2015


def ingest_csv_path(rows: int) -> Path:
    return default_db_path("ingest").with_name(f"ingest-{rows}-v{INGEST_GENERATOR_VERSION}.csv")


def _reference_database(path: Path, per_region: int) -> None:
    """A database with the reference data and `per_region` organisational units under each region."""
    from vetopito import catalog

    con = db.connect(path)
    try:
        catalog.ensure_reference(con)
        if per_region:
            with db.transaction(con):
                db.execute(con, "bench__insert_org_units", per_region=per_region, infix="-b", digits=2)  # short ids: the file stays under the upload limit
        con.execute("checkpoint")
    finally:
        con.close()


def _per_region(rows: int, n_indicators: int) -> int:
    per_unit = n_indicators * INGEST_MONTHS
    units = -(-rows // per_unit)
    return max(0, -(-(units - 22) // 22))


def generate_ingest_csv(path: Path, rows: int, template: Path) -> None:
    """The canonical long CSV of `rows` rows (indicator, unit, period, value, numerator,
    denominator) over the catalogue's indicators, the regions and the template's organisational
    units, monthly; deterministic (a seeded generator), written to a temporary file, then swapped."""
    import numpy as np
    import polars as pl

    con = db.connect(template, read_only=True)
    try:
        indicators = db.run(con, "bench__ingest_indicators")
        units = db.run(con, "bench__ingest_units")["id"]
    finally:
        con.close()
    months = pl.DataFrame({"period": [f"{INGEST_FIRST_YEAR + m // 12}-{m % 12 + 1:02d}"
                                      for m in range(INGEST_MONTHS)]})
    frame = (units.to_frame("unit").join(indicators.rename({"id": "indicator", "unit": "measure"}), how="cross")
             .join(months, how="cross").head(rows))
    rng = np.random.default_rng(20261123)
    n = frame.height
    denominator = rng.integers(20, 400, n)
    numerator = (rng.random(n) * (denominator + 1)).astype(np.int64).clip(0, denominator)
    amount = rng.integers(0, 120, n)
    pct = pl.col("measure") == "pct"
    frame = frame.with_columns(pl.Series("num", numerator), pl.Series("den", denominator),
                               pl.Series("amount", amount))
    frame = frame.select(
        "indicator", "unit", "period",
        pl.when(pct & (pl.col("decimals") == 0)).then((100 * pl.col("num") / pl.col("den")).round(0))
        .when(pct).then((100 * pl.col("num") / pl.col("den")).round(1))
        .otherwise(pl.col("amount").cast(pl.Float64)).alias("value"),
        pl.when(pct).then(pl.col("num")).alias("numerator"),
        pl.when(pct).then(pl.col("den")).alias("denominator"),
    )
    frame = frame.with_columns(_plain_number("value"))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    frame.write_csv(tmp)
    os.replace(tmp, path)


def _plain_number(column: str):
    """A float column as an analyst's file writes it: integer values without a trailing `.0`."""
    import polars as pl

    value = pl.col(column)
    return (pl.when(value == value.round(0)).then(value.cast(pl.Int64).cast(pl.String))
            .otherwise(value.cast(pl.String)).alias(column))


def _fresh_copy(template: Path, work: Path, name: str) -> Path:
    import shutil

    target = work / f"{name}.duckdb"
    shutil.copyfile(template, target)
    return target


def _time_loader(path: Path, csv_path: Path) -> tuple[float, dict[str, Any]]:
    from vetopito import ingest

    con = db.connect(path)
    marks: dict[float, float] = {}
    try:
        started = time.perf_counter()
        report = ingest.load(con, csv_path, user="vetopito bench",
                             progress=lambda fraction, _text: marks.setdefault(fraction, time.perf_counter()))
        elapsed = time.perf_counter() - started
    finally:
        con.close()
    return elapsed, {"ok": report.ok(), "committed": report.committed, "counts": dict(report.counts),
                     "errors": [p.problem for p in report.errors[:3]], "error_total": report.error_total,
                     "phases_s": _phases(started, marks)}


# The loader's progress steps (`ingest.core`): reading at 0.05, checking at 0.25, planning at 0.6,
# committing at 0.8, done at 1.0; each phase runs from its step to the next.
LOADER_PHASES = (("read", 0.05, 0.25), ("check", 0.25, 0.6), ("plan", 0.6, 0.8), ("commit", 0.8, 1.0))


def _phases(started: float, marks: dict[float, float]) -> dict[str, float]:
    """Seconds per loader phase, from the times its progress steps were reached."""
    marks = {0.05: started, **marks}
    return {name: round(marks[end] - marks[begin], 3) for name, begin, end in LOADER_PHASES
            if begin in marks and end in marks}


def _time_read_csv(path: Path, csv_path: Path) -> float:
    con = db.connect(path)
    try:
        started = time.perf_counter()
        db.execute(con, "bench__read_csv", path=str(csv_path))
        return time.perf_counter() - started
    finally:
        con.close()


def _time_pandas(path: Path, csv_path: Path) -> float:
    import pandas as pd

    con = db.connect(path)
    try:
        started = time.perf_counter()
        frame = pd.read_csv(csv_path)
        con.register("frame", frame)
        db.execute(con, "bench__insert_pandas_frame")
        elapsed = time.perf_counter() - started
        con.unregister("frame")
        return elapsed
    finally:
        con.close()


INGEST_RUNS = 3


def _median_run(label: str, time_one, template: Path, work: Path, runs: int, verbose: bool):
    """`time_one(database, csv)` once to warm up (imports, caches, DuckDB's and polars' first
    calls; not counted), then `runs` times, each in a fresh copy of the template: the run whose
    time is the median (its seconds first)."""
    timed = []
    for attempt in range(runs + 1):
        if verbose:
            print(f"timing {label} ({'warm-up' if attempt == 0 else f'{attempt}/{runs}'}) …", file=sys.stderr)
        result = time_one(_fresh_copy(template, work, f"{label.split()[0]}-{attempt}"))
        if attempt:
            timed.append(result if isinstance(result, tuple) else (result,))
    timed.sort(key=lambda result: result[0])
    return timed[(len(timed) - 1) // 2], [round(result[0], 3) for result in timed]


def _monthly_extract(database: Path, csv_path: Path) -> tuple[int, int]:
    """The newest month of `database`'s monthly values as next month's canonical CSV: its rows,
    and the observations the database holds."""
    con = db.connect(database, read_only=True)
    try:
        extract = db.fetch(con, "bench__monthly_extract")
        observations = int(db.fetch(con, "bench__sizes")["observations"][0])
    finally:
        con.close()
    extract.with_columns(_plain_number(c) for c in ("value", "numerator", "denominator")).write_csv(csv_path)
    return extract.height, observations


def run_monthly_benchmark(size: Size, *, verbose: bool, runs: int = INGEST_RUNS) -> dict[str, Any]:
    """Time the loader on what an analyst loads each month: next month's values of every unit and
    indicator of the `size` benchmark database, into fresh copies of that database."""
    path, _generated = ensure_database(default_db_path(size.name), size, verbose=verbose)
    with tempfile.TemporaryDirectory(prefix="vetopito-bench-monthly-") as tmp:
        work = Path(tmp)
        csv_path = work / "monthly.csv"
        rows, observations = _monthly_extract(path, csv_path)
        (seconds, loaded), times = _median_run(
            "the loader (monthly extract)", lambda copy: _time_loader(copy, csv_path), path, work, runs, verbose)
    return {"size": size.name, "observations": observations, "rows": rows, "loader_s": round(seconds, 3),
            "runs_s": times, "loader": loaded}


# The upload page's path for one file, in a process of its own so that its peak memory is its own:
# the file's bytes held (as Streamlit holds an upload), the check, the table of changes the page
# keeps, then the held check let go and the load (`ui.load_upload`). Peak RSS in MB after each step.
_UPLOAD_PATH = """
import json, sys, time
def peak():  # VmHWM: this program's own high-water mark (ru_maxrss would carry the parent's across exec)
    with open("/proc/self/status") as status:
        return round(next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024, 1)
import vetopito
from vetopito import db, ingest
from vetopito.ingest import report_view as present
con = db.connect(sys.argv[2])
data = open(sys.argv[1], "rb").read()
out = {"start_mb": peak()}
started = time.perf_counter()
report = ingest.check(con, data, file_name="upload.csv")
out["check_s"] = round(time.perf_counter() - started, 3)
view = present.changes_view(report, con=con) if report.ok() else None
out["check_mb"] = peak()
out["refused"] = not report.ok()
out["problem"] = report.errors[0].problem if report.errors else None
del report, view
if sys.argv[3] == "load" and not out["refused"]:
    ingest.load(con, data, file_name="upload.csv")
    out["load_mb"] = peak()
print(json.dumps(out))
"""


def _upload_path(csv_path: Path, database: Path, *, load: bool) -> dict[str, Any]:
    import subprocess

    done = subprocess.run([sys.executable, "-c", _UPLOAD_PATH, str(csv_path), str(database), "load" if load else "check"],
                          capture_output=True, text=True, check=False, cwd=db.ROOT)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


HOSTILE_LINES = 12_000_000


def run_memory_benchmark(csv_path: Path, template: Path, work: Path) -> dict[str, Any]:
    """Peak memory of the upload page's path for the benchmark's file (check, then load), and the
    time and peak of refusing a hostile file: `HOSTILE_LINES` lines of `;;;` (the row limit, from a
    count of its bytes before any table is built)."""
    upload = _upload_path(csv_path, _fresh_copy(template, work, "memory"), load=True)
    hostile_path = work / "hostile.csv"
    hostile_path.write_bytes(b"a;b;c;d\n" + b";;;\n" * HOSTILE_LINES)
    hostile = _upload_path(hostile_path, _fresh_copy(template, work, "hostile"), load=False)
    return {"upload": upload, "hostile": {"lines": HOSTILE_LINES, "mb": round(hostile_path.stat().st_size / 2**20, 1),
                                          **hostile}}


def run_ingest_benchmark(rows: int, *, verbose: bool, runs: int = INGEST_RUNS) -> dict[str, Any]:
    """Time the loader, DuckDB's read_csv and pandas on the same generated CSV, each in fresh
    copies of a database holding the reference data (and the organisational units the CSV
    names): a warm-up run, then the median of `runs`."""
    from vetopito import catalog

    with tempfile.TemporaryDirectory(prefix="vetopito-bench-ingest-") as tmp:
        work = Path(tmp)
        template = work / "template.duckdb"
        n_indicators = len(catalog.indicator_frame())
        _reference_database(template, _per_region(rows, n_indicators))
        csv_path = ingest_csv_path(rows)
        generated_s = None
        if not csv_path.exists():
            if verbose:
                print(f"generating {rows:,} rows at {csv_path} …", file=sys.stderr)
            started = time.perf_counter()
            generate_ingest_csv(csv_path, rows, template)
            generated_s = round(time.perf_counter() - started, 1)
        (loader_s, loaded), loader_runs = _median_run(
            "the loader", lambda path: _time_loader(path, csv_path), template, work, runs, verbose)
        (read_csv_s,), read_csv_runs = _median_run(
            "DuckDB read_csv", lambda path: _time_read_csv(path, csv_path), template, work, runs, verbose)
        (pandas_s,), pandas_runs = _median_run(
            "pandas read_csv + insert", lambda path: _time_pandas(path, csv_path), template, work, runs, verbose)
        if verbose:
            print("measuring the upload path's memory and a hostile file …", file=sys.stderr)
        memory = run_memory_benchmark(csv_path, template, work)
    ratio_read_csv = loader_s / read_csv_s
    ratio_pandas = loader_s / pandas_s
    return {
        "rows": rows,
        "file": str(csv_path),
        "file_mb": round(csv_path.stat().st_size / (1024 * 1024), 1),
        "generated_s": generated_s,
        "runs": runs,
        "loader_s": round(loader_s, 3),
        "read_csv_s": round(read_csv_s, 3),
        "pandas_s": round(pandas_s, 3),
        "runs_s": {"loader": loader_runs, "read_csv": read_csv_runs, "pandas": pandas_runs},
        "ratio_read_csv": round(ratio_read_csv, 2),
        "ratio_pandas": round(ratio_pandas, 2),
        "budget": INGEST_BUDGET,
        "within_budget": ratio_read_csv <= INGEST_BUDGET["read_csv_ratio"]
        and ratio_pandas <= INGEST_BUDGET["pandas_ratio"],
        "loader": loaded,
        "memory": memory,
    }


def _memory_lines(memory: dict[str, Any] | None) -> list[str]:
    if not memory:
        return []
    upload, hostile = memory["upload"], memory["hostile"]
    lines = [""]
    if "error" in upload:
        lines.append(f"  upload page path          ERROR {upload['error']}")
    else:
        lines.append(f"  upload page path, peak RSS  check {upload['check_mb']:.0f} MB, then load "
                     f"{upload.get('load_mb', upload['check_mb']):.0f} MB  (budget < {UPLOAD_PEAK_BUDGET_MB} MB)  "
                     + _mark(upload.get("load_mb", upload["check_mb"]) >= UPLOAD_PEAK_BUDGET_MB, None))
    if "error" in hostile:
        lines.append(f"  hostile files             ERROR {hostile['error']}")
    else:
        lines.append(f"  hostile files: {_n(hostile['lines'])} lines of ';;;' ({hostile['mb']} MB) "
                     f"{'refused' if hostile['refused'] else 'NOT refused'} in {hostile['check_s']:.2f} s, "
                     f"peak RSS {hostile['check_mb']:.0f} MB")
    return lines


UPLOAD_PEAK_BUDGET_MB = 1000


def format_ingest_report(report: dict[str, Any]) -> str:
    loaded = report["loader"]
    status = "committed" if loaded["committed"] else f"NOT committed ({loaded['error_total']} problems)"
    lines = [
        f"Vetovoima ingest benchmark: {_n(report['rows'])} rows, {report['file_mb']} MB",
        f"file: {report['file']}" + ("" if report["generated_s"] is None
                                     else f" (generated in {report['generated_s']} s)"),
        "",
        f"median of {report['runs']} runs, each after a warm-up run and in a fresh copy of the database",
        "",
        f"  loader (check + commit)   {report['loader_s']:8.2f} s  {status}",
        *(f"    {name:<22}{seconds:8.2f} s" for name, seconds in loaded.get("phases_s", {}).items()),
        f"  DuckDB read_csv           {report['read_csv_s']:8.2f} s",
        f"  pandas read_csv + insert  {report['pandas_s']:8.2f} s",
        "",
        *(f"  runs, {name + ':':<9} " + "  ".join(f"{seconds:.2f}" for seconds in times)
          for name, times in report["runs_s"].items()),
        "",
        f"  loader / read_csv  {report['ratio_read_csv']:6.2f}  (budget ≤ {INGEST_BUDGET['read_csv_ratio']})  "
        + _mark(report["ratio_read_csv"] > INGEST_BUDGET["read_csv_ratio"], None),
        f"  loader / pandas    {report['ratio_pandas']:6.2f}  (budget ≤ {INGEST_BUDGET['pandas_ratio']})  "
        + _mark(report["ratio_pandas"] > INGEST_BUDGET["pandas_ratio"], None),
        *_memory_lines(report.get("memory")),
    ]
    monthly = report.get("monthly")
    if monthly:
        done = monthly["loader"]
        status = "committed" if done["committed"] else f"NOT committed ({done['error_total']} problems)"
        lines += [
            "",
            f"monthly extract: next month of every unit and indicator, into the {monthly['size']} database "
            f"({_n(monthly['observations'])} observations)",
            f"  loader (check + commit)   {monthly['loader_s']:8.2f} s  {status}, {_n(monthly['rows'])} values",
            *(f"    {name:<22}{seconds:8.2f} s" for name, seconds in done.get("phases_s", {}).items()),
            "  runs:    " + "  ".join(f"{seconds:.2f}" for seconds in monthly["runs_s"]),
        ]
    return "\n".join(lines)


# --- printing ------------------------------------------------------------------------------------

def _mark(over: bool, error: str | None) -> str:
    if error:
        return f"ERROR {error}"
    return "OVER BUDGET" if over else "ok"


def _n(value: int) -> str:
    """`9 931 511`."""
    return f"{value:,}".replace(",", " ")


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"Vetovoima benchmark, size {report['size']}: {_n(report['observations'])} observations, "
        f"{_n(report['units'])} units, {_n(report['indicators'])} indicators",
        f"database: {report['database']}"
        + ("" if report["generated_s"] is None else f" (generated in {report['generated_s']} s)"),
    ]
    if report["pages"]:
        runs = max((p["runs"] for p in report["pages"].values()), default=0)
        lines += ["", f"pages: median of {runs} warm AppTest runs (budget {BUDGET['page_ms']:.0f} ms)"]
        width = max(len(k) for k in report["pages"])
        for url, page in report["pages"].items():
            value = "-" if page["median_ms"] is None else f"{page['median_ms']:8.1f} ms"
            lines.append(f"  /{url:<{width}}  {value:>11}  {_mark(page['over_budget'], page['error'])}")
    if report["queries"]:
        lines += ["", f"queries: p95 (budget {BUDGET['query_ms']:.0f} ms)"]
        width = max(len(k) for k in report["queries"])
        for name, query in report["queries"].items():
            value = "-" if query["p95_ms"] is None else f"{query['p95_ms']:8.1f} ms"
            lines.append(f"  {name:<{width}}  {value:>11}  {_mark(query['over_budget'], query['error'])}")
    memory = report["memory"]
    lines += ["", f"peak memory: {memory['peak_rss_mb']:.1f} MB (budget {BUDGET['memory_mb']:.0f} MB)  "
              f"{_mark(memory['over_budget'], None)}"]
    return "\n".join(lines)
