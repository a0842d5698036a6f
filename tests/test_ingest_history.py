"""The one history mechanism (`vetopito.ingest.history`): a table named once in `TRACKED` gets
exact undo, and a database written at schema 012 (before migration 013 merged the created-rows
records and moved the team units' names into `unit_history`) migrates exactly and every load in
it undoes exactly."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import polars as pl
import pytest

from tests import sql
from vetopito import db, ingest
from vetopito.ingest import history
from vetopito.ingest.parsing import registered

FIXTURE_012 = Path(__file__).parent / "fixtures" / "history_012"
# Tables whose rows hold clock times or the migration record: compared apart or not at all; and the
# id counters, which an undo leaves where they are (an id is never given twice).
UNCOMPARED = {"load", "meta", "schema_version", "id_counter"}


def snapshot(con) -> dict[str, list]:
    """Every row of every table but the timestamped ones, sorted."""
    names = db.run(con, "meta/tables")["table_name"].to_list()
    return {name: sorted(con.table(name).fetchall(), key=repr) for name in names if name not in UNCOMPARED}


# --- a new table gets undo by being named once ----------------------------------------------------

WIDGET = history.Tracked("widget", ("id",), ("colour", "size"), "widget_history", "recorded")


def _load_widgets(con, load_id: int, rows: list[tuple]) -> None:
    """A load of the test-only table, as a format commits one: keep what it replaces, write, record
    what it creates."""
    frame = pl.DataFrame(rows, schema={"id": pl.String, "colour": pl.String, "size": pl.Int64}, orient="row")
    stored = sql.fetch(con, "meta/widgets")
    known = frame.join(stored, on="id", how="semi")
    with db.transaction(con):
        history.save(con, "widget", load_id, known)
        with registered(con, "incoming_widgets", frame):
            sql.execute(con, "meta/upsert_widgets")
        history.record_created(con, "widget", load_id, frame.join(stored, on="id", how="anti"))


def test_a_table_named_once_in_the_tracked_list_gets_exact_undo(reference_db_path, tmp_path, monkeypatch):
    path = tmp_path / "db.duckdb"
    shutil.copy(reference_db_path, path)
    con = db.connect(path)
    try:
        sql.execute(con, "meta/create_widget")
        sql.execute(con, "meta/create_widget_history")
        with pytest.raises(ValueError, match="not a tracked table"):
            _load_widgets(con, 1, [("a", "red", 1)])
        assert sql.fetch(con, "meta/widgets").is_empty()
        monkeypatch.setattr(history, "TRACKED", (*history.TRACKED, WIDGET))  # the one line a new table needs
        undo = history.Undo(("widget",))
        states = [snapshot(con)]
        for load_id, rows in enumerate([[("a", "red", 1), ("b", "blue", None)],
                                        [("a", "green", 1), ("c", "grey", 3)],
                                        [("a", "black", None), ("c", "grey", 4), ("d", "white", 5)]], start=1):
            _load_widgets(con, load_id, rows)
            states.append(snapshot(con))
        assert sql.fetch(con, "meta/widgets").rows() == [
            ("a", "black", None), ("b", "blue", None), ("c", "grey", 4), ("d", "white", 5)]
        for load_id, counts in ((3, (2, 1)), (2, (1, 1)), (1, (0, 2))):
            with db.transaction(con):
                assert undo.undo(con, load_id) == counts
            assert snapshot(con) == states[load_id - 1], f"undo of load {load_id}"
        assert sql.fetch(con, "meta/widgets").is_empty()
    finally:
        con.close()


# --- migration 013 --------------------------------------------------------------------------------

def _files() -> list[Path]:
    return sorted(FIXTURE_012.glob("[0-9][0-9]_*.csv"))


def test_a_database_with_undoable_loads_at_012_migrates_and_undoes_exactly(reference_db_path, tmp_path):
    """`loads_012.duckdb.gz` holds one committed load of each numbered CSV beside it (units, values,
    targets, events, teams, aims, operating models, each first created and then changed), written
    by the code of schema 012 (`build.py`). After migration 013 it holds exactly what today's code
    stores for the same loads, and undoing them newest first leaves exactly what today's code leaves
    at each step: the data as before the load, and the same history and created-rows records."""
    old = tmp_path / "at_012.duckdb"
    with gzip.open(FIXTURE_012 / "loads_012.duckdb.gz") as packed, old.open("wb") as out:
        shutil.copyfileobj(packed, out)
    raw = db.connect(old, migrate_schema=False)
    assert db.schema_version(raw) == 12
    assert db.fetch(raw, "meta/has_table", table_name="unit_load").height == 1
    raw.close()
    migrated = db.connect(old)
    assert db.schema_version(migrated) == db.latest_schema_version() >= 13

    fresh_path = tmp_path / "today.duckdb"
    shutil.copy(reference_db_path, fresh_path)
    fresh = db.connect(fresh_path)
    try:
        before = [snapshot(fresh)]
        for path in _files():
            assert ingest.load(fresh, path, user="fixture").committed, path.name
            before.append(snapshot(fresh))
        assert len(before) == 14
        assert snapshot(migrated) == before[-1]
        # the migrations after the keyless one applied again to a file that has them move nothing (013
        # and 014 rebuilt keyed tables, so they no longer run on the keyless schema)
        for version in range(db.keyless_version() + 1, db.latest_schema_version() + 1):
            sql.execute(migrated, "meta/forget_migration", version=version)
        migrated.close()
        migrated = db.connect(old)
        assert snapshot(migrated) == before[-1]
        for load_id in range(len(_files()), 0, -1):
            expected = ingest.undo(fresh, load_id, user="t")
            done = ingest.undo(migrated, load_id, user="t")
            assert (done.restored, done.removed) == (expected.restored, expected.removed), load_id
            assert snapshot(migrated) == snapshot(fresh), f"undo of load {load_id}"
            now = snapshot(migrated)
            # the data exactly as before the load (the load scope record stays for the history)
            assert {t: rows for t, rows in now.items() if t != "load_unit"} == {
                t: rows for t, rows in before[load_id - 1].items() if t != "load_unit"}, f"undo of load {load_id}"
        assert ingest.loads(migrated)["status"].to_list() == ["undone"] * len(_files())
    finally:
        fresh.close()
        migrated.close()
