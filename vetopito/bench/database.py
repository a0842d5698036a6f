"""The benchmark database: the reference data, the demo seed through the real loader, then
synthetic organisational units and indicators up to a size's counts and monthly observations for
every unit, inserted set-based by the `queries/bench__*.sql` statements. The national size is
about 10 M observations (22 regions, ~2,000 organisational units, 40 indicators, 10 years
monthly). Built in a child process (its memory does not count against the pages') and cached by
size between runs.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vetopito import aggregates, catalog, db, demo
from vetopito.ingest import cycle

GENERATOR_VERSION = "2"


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


def bench_dir() -> Path:
    """Where the benchmark keeps what it builds between runs (`VETOPITO_BENCH_DIR`, else a folder
    of the system's temporary directory)."""
    return Path(os.environ.get("VETOPITO_BENCH_DIR") or Path(tempfile.gettempdir()) / "vetopito-bench")


def default_db_path(size: str) -> Path:
    """Where the generated database of a size is cached between runs."""
    return bench_dir() / f"bench-{size}.duckdb"


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
        for file in demo.seed_files():
            report = cycle.load(con, file, user="vetopito bench", is_demo=True)
            if not report.ok():
                raise db.DatabaseError("bench.error.seed_rejected", file=file.name)
        with db.transaction(con):
            db.execute(con, "bench/insert_indicators", n_indicators=size.indicators)
            db.execute(con, "bench/insert_org_units", per_region=size.per_region, infix="-bench-", digits=3)
            db.execute(con, "bench/insert_load", id=db.next_ids(con, "load"), n_rows=0)
        load_id = int(db.scalar(con, "bench/last_load_id"))
        indicator_ids = db.run(con, "bench/indicator_ids")["id"].to_list()
        for number, indicator_id in enumerate(indicator_ids, 1):
            with db.transaction(con):
                db.execute(con, "bench/insert_observations", indicator_id=indicator_id,
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
