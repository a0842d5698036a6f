"""`vetopito bench --ingest`: the loader against DuckDB's `read_csv` and a plain pandas load.

On a generated canonical long CSV (`--rows`, cached by size), each in fresh copies of a database
holding the reference data and the CSV's organisational units: a warm-up run, then the median of
`--ingest-runs`; the peak memory of the upload page's path and the refusal of a hostile file; and
the loader on a monthly extract into the `--size` benchmark database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vetopito import catalog, db, ingest
from vetopito.bench.database import Size, default_db_path, ensure_database
from vetopito.bench.report import mark, spaced

INGEST_BUDGET = {"read_csv_ratio": 2.0, "pandas_ratio": 1.0}  # issue 12: 1.5 × withdrawn for a loader that checks every row
INGEST_GENERATOR_VERSION = "2"
INGEST_MONTHS = 120           # 2015-01 … 2024-12
INGEST_FIRST_YEAR = 2015


def ingest_csv_path(rows: int) -> Path:
    return default_db_path("ingest").with_name(f"ingest-{rows}-v{INGEST_GENERATOR_VERSION}.csv")


def _reference_database(path: Path, per_region: int) -> None:
    """A database with the reference data and `per_region` organisational units under each region."""
    con = db.connect(path)
    try:
        catalog.ensure_reference(con)
        if per_region:
            with db.transaction(con):
                db.execute(con, "bench/insert_org_units", per_region=per_region, infix="-b", digits=2)  # short ids: the file stays under the upload limit
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
        indicators = db.run(con, "bench/ingest_indicators")
        units = db.run(con, "bench/ingest_units")["id"]
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
    target = work / f"{name}.duckdb"
    shutil.copyfile(template, target)
    return target


def _time_loader(path: Path, csv_path: Path) -> tuple[float, dict[str, Any]]:
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


# The loader's progress steps (`ingest.cycle`): reading at 0.05, checking at 0.25, planning at 0.6,
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
        db.execute(con, "bench/read_csv", path=str(csv_path))
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
        db.execute(con, "bench/insert_pandas_frame")
        elapsed = time.perf_counter() - started
        con.unregister("frame")
        return elapsed
    finally:
        con.close()


INGEST_RUNS = 3


def _median_run(label: str, time_one, template: Path, work: Path, runs: int, verbose: bool, fresh=None):
    """`time_one(database, csv)` once to warm up (imports, caches, DuckDB's and polars' first
    calls; not counted), then `runs` times, each in a fresh copy of the template (`fresh(name)`
    makes it, a file copy by default): the run whose time is the median (its seconds first)."""
    fresh = fresh or (lambda name: _fresh_copy(template, work, name))
    timed = []
    for attempt in range(runs + 1):
        if verbose:
            print(f"timing {label} ({'warm-up' if attempt == 0 else f'{attempt}/{runs}'}) …", file=sys.stderr)
        result = time_one(fresh(f"{label.split()[0]}-{attempt}".replace(" ", "_")))
        if attempt:
            timed.append(result if isinstance(result, tuple) else (result,))
    timed.sort(key=lambda result: result[0])
    return timed[(len(timed) - 1) // 2], [round(result[0], 3) for result in timed]


def monthly_extract(database: Path, csv_path: Path) -> tuple[int, int]:
    """The newest month of `database`'s monthly values as next month's canonical CSV: its rows,
    and the observations the database holds."""
    con = db.connect(database, read_only=True)
    try:
        extract = db.fetch(con, "bench/monthly_extract")
        observations = int(db.fetch(con, "bench/sizes")["observations"][0])
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
        rows, observations = monthly_extract(path, csv_path)
        (seconds, loaded), times = _median_run(
            "the loader (monthly extract)", lambda copy: _time_loader(copy, csv_path), path, work, runs, verbose)
    return {"size": size.name, "observations": observations, "rows": rows, "loader_s": round(seconds, 3),
            "runs_s": times, "loader": loaded}


# The upload page's path for one file, in a process of its own so that its peak memory is its own:
# the file's bytes held (as Streamlit holds an upload), the check, the table of changes the page
# keeps, then the held check let go and the load (`ui.uploads.load_upload`). Peak RSS in MB after each step.
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


def run_ingest_benchmark(rows: int, *, verbose: bool, runs: int = INGEST_RUNS, lake: bool = False) -> dict[str, Any]:
    """Time the loader, DuckDB's read_csv and pandas on the same generated CSV, each in fresh
    copies of a database holding the reference data (and the organisational units the CSV
    names): a warm-up run, then the median of `runs`. `lake`: the loader and read_csv also on
    fresh lakes holding the same (`bench.lake`), beside the file's figures."""
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
        on_lake = _on_lake(template, csv_path, runs, verbose, read_csv_s, loader_s) if lake else None
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
        **({"lake": on_lake} if on_lake else {}),
    }


def _on_lake(*args) -> dict[str, Any]:
    from vetopito.bench import lake as bench_lake
    return bench_lake.ingest_on_lake(*args)


def _lake_lines(report: dict[str, Any]) -> list[str]:
    from vetopito.bench import lake as bench_lake
    return bench_lake.ingest_lines(report)


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
                     + mark(upload.get("load_mb", upload["check_mb"]) >= UPLOAD_PEAK_BUDGET_MB, None))
    if "error" in hostile:
        lines.append(f"  hostile files             ERROR {hostile['error']}")
    else:
        lines.append(f"  hostile files: {spaced(hostile['lines'])} lines of ';;;' ({hostile['mb']} MB) "
                     f"{'refused' if hostile['refused'] else 'NOT refused'} in {hostile['check_s']:.2f} s, "
                     f"peak RSS {hostile['check_mb']:.0f} MB")
    return lines


UPLOAD_PEAK_BUDGET_MB = 1000


def format_ingest_report(report: dict[str, Any]) -> str:
    loaded = report["loader"]
    status = "committed" if loaded["committed"] else f"NOT committed ({loaded['error_total']} problems)"
    lines = [
        f"Vetovoima ingest benchmark: {spaced(report['rows'])} rows, {report['file_mb']} MB",
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
        + mark(report["ratio_read_csv"] > INGEST_BUDGET["read_csv_ratio"], None),
        f"  loader / pandas    {report['ratio_pandas']:6.2f}  (budget ≤ {INGEST_BUDGET['pandas_ratio']})  "
        + mark(report["ratio_pandas"] > INGEST_BUDGET["pandas_ratio"], None),
        *_memory_lines(report.get("memory")),
        *_lake_lines(report),
    ]
    monthly = report.get("monthly")
    if monthly:
        done = monthly["loader"]
        status = "committed" if done["committed"] else f"NOT committed ({done['error_total']} problems)"
        lines += [
            "",
            f"monthly extract: next month of every unit and indicator, into the {monthly['size']} database "
            f"({spaced(monthly['observations'])} observations)",
            f"  loader (check + commit)   {monthly['loader_s']:8.2f} s  {status}, {spaced(monthly['rows'])} values",
            *(f"    {name:<22}{seconds:8.2f} s" for name, seconds in done.get("phases_s", {}).items()),
            "  runs:    " + "  ".join(f"{seconds:.2f}" for seconds in monthly["runs_s"]),
        ]
    return "\n".join(lines)

