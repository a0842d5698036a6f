"""What the observation key used to enforce, now kept by the loader (queries/schema/009_observation_unkeyed.sql):
one row per (indicator, unit, period, grain), and only indicator and unit ids that exist, after loads,
reloads, changes, undos, units loads and loads racing each other from several threads."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from tests import sql
from vetopito import cli, db, ingest


@pytest.fixture(scope="module")
def template(reference_db_path) -> Path:
    """The reference-only database (conftest), copied by each test that writes."""
    return reference_db_path


@pytest.fixture
def con(template, tmp_path):
    path = tmp_path / "db.duckdb"
    shutil.copy(template, path)
    connection = db.connect(path)
    yield connection
    connection.close()


def csv(*rows: str) -> bytes:
    return ("indicator;unit;period;value\n" + "\n".join(rows) + "\n").encode()


def test_the_schema_has_no_key_on_observation_and_the_loader_keeps_one(con):
    """The premise: DuckDB itself would now store a key twice (so the loader must not)."""
    db.execute(con, "bench/insert_load", id=db.next_ids(con, "load"), n_rows=0)
    for _ in range(2):
        sql.execute(con, "load/insert_observation", indicator_id="t3_laakari", unit_id="HVA15",
                   period_start=dt.date(2024, 3, 1), figure=1.0, load_id=1)
    problems = db.key_problems(con)
    assert problems.select("problem", "indicator_id", "unit_id", "n").rows() == [
        ("duplicate", "t3_laakari", "HVA15", 2)]


def test_loads_reloads_changes_and_undos_keep_one_row_per_key(con):
    first = ingest.load(con, csv("t3_laakari;HVA13;3/2024;10", "t3_laakari;HVA15;4/2024;11"), file_name="a.csv")
    assert first.committed and first.counts["new"] == 2
    again = ingest.load(con, csv("t3_laakari;Pohjois-Savo;2024-03;10", "t3_laakari;15;2024M04;11"), file_name="b.csv")
    assert again.already_loaded and not again.committed
    changed = ingest.load(con, csv("t3_laakari;HVA13;3/2024;12", "t3_laakari;HVA15;5/2024;13"), file_name="c.csv")
    assert (changed.counts["changed"], changed.counts["new"]) == (1, 1)
    assert db.key_problems(con).is_empty()
    assert db.row_counts(con)["observation"] == 3
    ingest.undo(con, changed.load_id, user="test")
    assert db.key_problems(con).is_empty()
    assert db.row_counts(con)["observation"] == 2
    restored = ingest.load(con, csv("t3_laakari;HVA13;3/2024;12"), file_name="d.csv")
    assert restored.counts["changed"] == 1 and db.key_problems(con).is_empty()


def test_a_duplicate_in_the_file_spelled_two_ways_is_a_row_error_and_nothing_is_written(con):
    report = ingest.load(con, csv("t3_laakari;HVA13;3/2024;10", "t3_laakari;Pohjois-Savo;2024-03;11"), file_name="d.csv")
    assert not report.committed
    assert [(p.row, p.column) for p in report.errors] == [(3, "value")]
    assert db.row_counts(con)["observation"] == 0


def test_loads_racing_from_several_threads_store_each_key_once(con):
    """Sessions of the app load at the same moment: each load plans and commits under the loader's
    lock, so the second one finds the first one's values stored (unchanged), never inserts them again."""
    files = [csv(*(f"t3_laakari;HVA{u:02d};{m}/2024;{10 + n}" for u in range(1, 22) for m in range(1, 13)))
             for n in range(4)]
    reports: list[ingest.Report] = []
    errors: list[BaseException] = []

    def load(data: bytes, name: str) -> None:
        cursor = con.cursor()
        try:
            reports.append(ingest.load(cursor, data, file_name=name, user=name))
        except (duckdb.Error, RuntimeError) as exc:  # a transaction conflict would be honest too
            errors.append(exc)
        finally:
            cursor.close()

    threads = [threading.Thread(target=load, args=(data, f"race{n}.csv")) for n, data in enumerate(files)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(r.counts["new"] for r in reports) == 21 * 12
    assert db.key_problems(con).is_empty()
    assert db.row_counts(con)["observation"] == 21 * 12


def test_a_units_load_whose_unit_holds_values_cannot_be_undone_so_no_value_loses_its_unit(con):
    units = ingest.load(con, b"id,name,parent,kind\nHVA15-testi,Testiasema,HVA15,org_unit\n", file_name="units.csv")
    assert units.committed
    values = ingest.load(con, csv("t3_laakari;HVA15-testi;3/2024;10"), file_name="values.csv")
    assert values.committed
    with pytest.raises(ingest.UndoBlocked) as blocked:
        ingest.undo(con, units.load_id, user="test", lang="en")
    assert blocked.value.blocking == [values.load_id]
    assert db.key_problems(con).is_empty()
    ingest.undo(con, values.load_id, user="test")
    ingest.undo(con, units.load_id, user="test")
    assert db.key_problems(con).is_empty()


def test_info_reports_the_keys(template, tmp_path, capsys):
    path = tmp_path / "info.duckdb"
    shutil.copy(template, path)
    con = db.connect(path)
    ingest.load(con, csv("t3_laakari;HVA15;3/2024;10"), file_name="a.csv")
    con.close()
    assert cli.main(["info", "--db", str(path)]) == 0
    assert "observation keys: ok" in capsys.readouterr().out


def test_the_demo_database_keeps_its_keys(demo_con):
    assert db.key_problems(demo_con).is_empty()


def test_a_preliminary_and_a_final_figure_of_one_month_in_one_file_are_one_key(con):
    """PxWeb marks a preliminary month `2023M09*`: with `2023M09` in the same file it is the same
    stored key, so the second is a duplicate (before, both reached the insert)."""
    report = ingest.check(con, b"indicator;unit;period;value\nt3_laakari;HVA15;2023M09*;10\nt3_laakari;HVA15;2023M09;11\n",
                          file_name="pre.csv", lang="en")
    assert [(p.row, p.column, p.value) for p in report.errors] == [(3, "value", "11")]
    assert "row 2" in report.errors[0].problem
