"""A load killed in the middle of its commit (SIGKILL of a separate process, no monkeypatching)
leaves the database either exactly as it was or exactly fully loaded, never partly loaded.

Two moments: as the loader reaches its commit step, and while DuckDB is writing the transaction
(the database file has started to grow, or its WAL exists: DuckDB writes the row groups of a
large insert into the file before the commit). On this machine both end "as before"; a commit
that had already finished is checked to be complete."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import sql
from vetopito import catalog, db, ingest

ROOT = Path(__file__).resolve().parent.parent
UNITS = [f"HVA{i:02d}" for i in range(1, 22)] + ["HVA90", "FI"]
DAYS = 6000  # 144,000 daily values: the commit takes several hundred milliseconds here

# The child loads the file and says COMMITTING on stdout when the loader reaches its commit step
# (progress 0.8, just before the transaction opens); the parent kills it at once.
CHILD = """
import sys
from vetopito import db, ingest
con = db.connect(sys.argv[1])
def progress(fraction, text):
    if fraction == 0.8:
        print("COMMITTING", flush=True)
report = ingest.load(con, sys.argv[2], user="killed", progress=progress)
print("DONE", report.load_id, flush=True)
"""


def _big_file(path: Path) -> tuple[int, float]:
    start = dt.date(2000, 1, 1)
    lines, total = ["indicator,unit,period,value"], 0.0
    for d in range(DAYS):
        day = (start + dt.timedelta(days=d)).isoformat()
        value = d % 90 + 1
        for unit in UNITS:
            lines.append(f"t3_laakari,{unit},{day},{value}")
            total += value
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1, total


def _snapshot(con) -> dict[str, list]:
    return {name: sorted(con.table(name).fetchall(), key=repr) for name in db.row_counts(con)}


def _wait_until_writing(child: subprocess.Popen, path: Path) -> None:
    """Until DuckDB writes: the WAL exists or the database file grows (or the child has ended)."""
    wal, size = Path(f"{path}.wal"), path.stat().st_size
    while child.poll() is None and not wal.exists() and path.stat().st_size == size:
        time.sleep(0.002)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("moment", ["commit_step", "while_writing"])
def test_killed_commit_leaves_the_database_before_or_fully_loaded(tmp_path, moment):
    path, csv = tmp_path / "kill.duckdb", tmp_path / "big.csv"
    n_rows, value_sum = _big_file(csv)
    con = db.connect(path)
    catalog.ensure_reference(con)
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-03,10\n", file_name="first.csv")
    before, version = _snapshot(con), db.data_version(con)
    con.close()

    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(csv)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "COMMITTING", f"the child ended before committing: {line!r}"
        if moment == "while_writing":
            _wait_until_writing(child, path)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        child.stdout.close()
    assert child.returncode in (-signal.SIGKILL, 0)

    con = db.connect(path)  # reopens, replays or discards the WAL, checks the schema version
    try:
        loads = ingest.loads(con)
        if loads.height == 1:  # killed before its transaction committed: exactly as before
            assert _snapshot(con) == before and db.data_version(con) == version
            assert not ingest.check(con, csv).already_loaded
        else:  # the commit had finished: all of it, with its load row
            assert loads.height == 2
            load = loads.row(0, named=True)
            assert (load["status"], load["n_new"], load["user_name"]) == ("committed", n_rows, "killed")
            stored = sql.fetch(con, "load/observations")
            assert stored.height == n_rows + 1
            assert stored["value"].sum() == pytest.approx(value_sum + 10)
            assert db.data_version(con) == version + 1
            assert ingest.check(con, csv).already_loaded
    finally:
        con.close()
