"""Writers serialise (issue 12, item 2): a load or undo plans against one data version and commits
only on it. When another writer commits between a load's check and its commit, the load checks the
file again against the new data and commits that, saying so; never a duplicate key nor a lost value,
and undo stays exact. Here the other writer is a second connection in the same process (a file has
one writing process; on a lake, `make test-lake`, they are two DuckDB instances on one lake); the
lake's processes are in tests/test_lake_writers.py."""

from __future__ import annotations

import duckdb
import pytest

from tests import sql
from vetopito import db, ingest
from vetopito.ingest import replan


@pytest.fixture
def writers(reference_db_path, stores):
    """Two connections on one copy of the reference database: the load's and the other writer's."""
    path = stores.copy(reference_db_path, "replan")
    con, other = db.connect(path), db.connect(path)
    yield con, other
    con.close()
    other.close()


def csv(*rows: str) -> bytes:
    return ("indicator;unit;period;value\n" + "\n".join(rows) + "\n").encode()


MINE = csv("t3_laakari;HVA13;3/2024;10", "t3_laakari;HVA15;3/2024;11", "t3_laakari;HVA15;4/2024;12")
THEIRS = csv("t3_laakari;HVA15;3/2024;21", "t3_laakari;HVA15;4/2024;12", "t3_laakari;HVA16;3/2024;23")


def _values(con) -> dict:
    return {(r["unit_id"], str(r["period_start"])): r["value"] for r in sql.run(con, "load/observations").iter_rows(named=True)}


def _load_with_a_writer_in_between(con, other, data: bytes, between: bytes):
    """Load `data` on `con`; when it reaches its commit step (checked, planned, not yet in its
    transaction) `other` loads `between` and commits first."""
    fired = []

    def progress(fraction, _text):
        if fraction == 0.8 and not fired:
            fired.append(ingest.load(other, between, file_name="theirs.csv", user="other"))

    mine = ingest.load(con, data, file_name="mine.csv", user="me", progress=progress)
    return mine, fired[0]


def test_a_load_that_another_commit_overtook_plans_again_and_commits(writers):
    con, other = writers
    mine, theirs = _load_with_a_writer_in_between(con, other, MINE, THEIRS)
    assert theirs.committed and mine.committed
    # the serial order: theirs, then mine, planned against theirs
    assert _values(con) == {("HVA13", "2024-03-01"): 10.0, ("HVA15", "2024-03-01"): 11.0,
                            ("HVA15", "2024-04-01"): 12.0, ("HVA16", "2024-03-01"): 23.0}
    assert (mine.counts["new"], mine.counts["changed"], mine.counts["unchanged"]) == (1, 1, 1)
    assert any("checked again" in n or "tarkistettiin uudelleen" in n for n in mine.notes)
    assert db.key_problems(con).is_empty()
    ingest.undo(con, mine.load_id, user="me")    # exact: theirs stays as it was
    assert _values(con) == {("HVA15", "2024-03-01"): 21.0, ("HVA15", "2024-04-01"): 12.0,
                            ("HVA16", "2024-03-01"): 23.0}
    assert db.key_problems(con).is_empty()


def test_a_load_overtaken_by_the_same_file_stores_nothing_twice(writers):
    con, other = writers
    mine, theirs = _load_with_a_writer_in_between(con, other, MINE, MINE)
    assert theirs.committed and not mine.committed and mine.already_loaded
    assert len(sql.run(con, "load/observations")) == 3
    assert db.key_problems(con).is_empty()


def test_an_undo_overtaken_by_a_load_judges_again(writers):
    """An undo checked before a later load over the same values is refused as that load now blocks it."""
    con, other = writers
    first = ingest.load(con, MINE, file_name="mine.csv")
    real = replan.planned_version
    calls: list = []

    def planned_then_overtaken(work):
        version = real(work)
        if not calls:
            calls.append(None)   # before the nested load, which plans too
            calls[0] = ingest.load(other, THEIRS, file_name="theirs.csv")
        return version

    replan.planned_version = planned_then_overtaken
    try:
        with pytest.raises(ingest.UndoBlocked):
            ingest.undo(con, first.load_id, user="me")
    finally:
        replan.planned_version = real
    assert calls[0].committed


def test_attempts_give_up_after_so_many_conflicts():
    tried = []

    def always_overtaken(attempt):
        tried.append(attempt)
        raise replan.Replan

    with pytest.raises(replan.TooManyConflicts):
        replan.attempts(always_overtaken, tries=3)
    assert tried == [0, 1, 2]
    conflict = duckdb.TransactionException("Failed to commit DuckLake transaction. Transaction conflict - …")
    assert replan.is_conflict(conflict)
    assert not replan.is_conflict(duckdb.TransactionException("cannot rollback - no transaction is active"))
    assert not replan.is_conflict(duckdb.ConstraintException("CHECK constraint failed"))
