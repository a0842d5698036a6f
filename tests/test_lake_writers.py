"""Writers serialise, readers never wait, on the real PostgreSQL lake (issue 12, item 2; `make
test-lake`): two `vetopito load` processes of overlapping files at once, 20 trials, each ending with
exactly the values of one serial order; a writer killed with SIGKILL at several moments leaves the
lake readable and holding exactly what it held before, or all of the load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import sql
from vetopito import db, ingest

ROOT = Path(__file__).resolve().parent.parent
VETOPITO = [sys.executable, "-m", "vetopito.cli"]
REGIONS = [f"HVA{i:02d}" for i in range(1, 22)]
TRIALS = 20


@pytest.fixture
def lakes(backend, stores, reference_db_path):
    """New lakes holding the reference data, each a copy of the template lake made once per test
    process (a catalog database copied by PostgreSQL, no Python work): `lakes()` gives one (the
    session's `backend` must be "lake")."""
    if backend != "lake":
        pytest.skip("on the lake only: make test-lake")
    return lambda: stores.copy(reference_db_path, "writers")


@pytest.fixture
def lake(lakes):
    """A lake of its own holding the reference data."""
    return lakes()


def _file(path: Path, months: range, value: int, *, units=REGIONS) -> Path:
    lines = ["indicator,unit,period,value"]
    lines += [f"t3_laakari,{unit},{2020 + m // 12}-{m % 12 + 1:02d},{value + m % 7}" for unit in units for m in months]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _values(con) -> dict:
    return {(r["unit_id"], r["period_start"]): r["value"] for r in sql.run(con, "load/observations").iter_rows(named=True)}


def _expected(*files: Path) -> dict:
    """The values after loading `files` one after another (the later value wins)."""
    import datetime as dt

    values: dict = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            _indicator, unit, period, value = line.split(",")
            year, month = map(int, period.split("-"))
            values[(unit, dt.date(year, month, 1))] = float(value)
    return values


def _load(target: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen([*VETOPITO, "load", str(path), "--db", target, "--json"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "VETOVOIMA_DB": target})


def test_two_loads_of_overlapping_files_at_once_end_in_one_serial_order(lakes, tmp_path):
    """Each trial starts from the reference data on a fresh copy of the template lake (a reset that
    costs PostgreSQL a file copy instead of two undos); the files are small (the race is in the
    plan and the commit, not in the rows): 3 units × 9 months each, 4 months of them in both."""
    first = _file(tmp_path / "first.csv", range(0, 9), 10, units=REGIONS[:3])    # 2020-01 … 2020-09
    second = _file(tmp_path / "second.csv", range(5, 14), 50, units=REGIONS[:3])  # 2020-06 … 2021-02
    orders = {"first, second": _expected(first, second), "second, first": _expected(second, first)}
    seen = []
    for trial in range(TRIALS):
        lake = lakes()
        children = [_load(lake, first), _load(lake, second)]
        outputs = [child.communicate(timeout=600) for child in children]
        for child, (out, err) in zip(children, outputs, strict=True):
            assert child.returncode == 0, (trial, out, err[-2000:])
        con = db.connect(lake)
        try:
            values = _values(con)
            order = next((name for name, expected in orders.items() if values == expected), None)
            assert order is not None, f"trial {trial}: the values are of no serial order"
            assert db.key_problems(con).is_empty(), trial
            assert ingest.loads(con).filter(status="committed").height == 2, trial
            latest = ingest.loads(con).row(0, named=True)
            assert order.endswith(latest["file_name"].removesuffix(".csv")), (trial, order, latest)
            seen.append(order)
            if trial == TRIALS - 1:  # undo stays exact: undoing the later load leaves exactly the earlier one's values
                earlier = first if order.startswith("first") else second
                ingest.undo(con, latest["load_id"], user="test")
                assert _values(con) == _expected(earlier)
        finally:
            con.close()
    print(f"serial orders over {TRIALS} trials: {sorted((o, seen.count(o)) for o in set(seen))}")


# The child loads the file and names each step as it reaches it on stdout; the parent kills it there.
CHILD = """
import sys
from vetopito import db, ingest
con = db.connect(sys.argv[1])
steps = {0.25: "CHECKING", 0.8: "COMMITTING", 1.0: "COMMITTED"}
def progress(fraction, text):
    if fraction in steps:
        print(steps[fraction], flush=True)
report = ingest.load(con, sys.argv[2], user="killed", progress=progress)
print("DONE", report.load_id, flush=True)
"""


def _data_files() -> set[Path]:
    from vetopito import backend as store

    return set(Path(os.environ[store.DATA_PATH_VAR]).rglob("*.parquet"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("moment", ["CHECKING", "COMMITTING", "writing", "COMMITTED"])
def test_a_writer_killed_leaves_the_lake_readable_and_before_or_after(lake, tmp_path, moment):
    big = _file(tmp_path / "big.csv", range(0, 120), 5, units=REGIONS * 1)
    con = db.connect(lake)
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2030-03,10\n", file_name="first.csv")
    before, version = _values(con), db.data_version(con)
    con.close()
    files = _data_files()
    child = subprocess.Popen([sys.executable, "-c", CHILD, lake, str(big)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        wanted = "COMMITTING" if moment == "writing" else moment
        while (line := child.stdout.readline()) and line.strip() != wanted:
            pass
        assert line.strip() == wanted, f"the child ended before {wanted}"
        if moment == "writing":  # DuckLake writes the Parquet files before the catalog's commit
            while child.poll() is None and _data_files() == files:
                time.sleep(0.002)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=120)
        child.stdout.close()
    assert child.returncode in (-signal.SIGKILL, 0)

    con = db.connect(lake)
    try:
        assert db.verify(con)   # every table reads through (raises on a damaged one)
        values = _values(con)
        if values == before:
            assert db.data_version(con) == version and ingest.loads(con).height == 1
        else:
            assert values == {**before, **_expected(big)} and db.data_version(con) == version + 1
        assert db.key_problems(con).is_empty()
        again = ingest.load(con, big, user="again")   # the lake takes the next load as ever
        assert again.committed or again.already_loaded
        assert _values(con) == {**before, **_expected(big)}
    finally:
        con.close()
