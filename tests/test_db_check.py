"""Corruption is noticed: with random bytes written into a data block of a copy
of the demo database, `vetopito info` and `vetopito check-db` say the file is damaged (exit 2)
instead of "observation keys: ok", a load refuses to commit, and the app says so at start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests import db_damage
from tests.apptest_helpers import app_test
from vetopito import cli, db

pytestmark = pytest.mark.file_only  # the file itself: its bytes, locks and damage

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
TARGETS = str(FIXTURES / "targets_good.csv")


@pytest.fixture
def corrupted(demo_db_path, tmp_path):
    return db_damage.corrupted(demo_db_path, tmp_path / "rikki.duckdb", "observation")


def test_the_deep_check_reads_every_table_of_a_whole_file(demo_con):
    checks = db.check_tables(demo_con)
    tables = db.run(demo_con, "meta/tables")["table_name"].to_list()
    assert [c.table for c in checks] == tables and "observation" in tables and len(tables) > 20
    assert all(c.problem is None for c in checks)
    counts = db.row_counts(demo_con)
    assert {c.table: c.rows for c in checks if c.table in counts} == counts


def test_a_count_alone_would_not_notice(corrupted):
    """Why the check hashes every column: DuckDB answers `count(*)` from metadata, so the damaged
    block is read only by a scan of its values."""
    con = db.connect(corrupted, read_only=True)
    try:
        assert db.row_counts(con)["observation"] > 0  # no error
        damaged = [c for c in db.check_tables(con) if c.problem is not None]
    finally:
        con.close()
    assert [c.table for c in damaged] == ["observation"]
    assert isinstance(damaged[0].problem, db.DatabaseDamaged)
    assert "taulua observation ei voi lukea loppuun" in damaged[0].problem.message("fi")


def test_info_says_the_file_is_damaged(corrupted, capsys):
    assert cli.main(["info", "--db", str(corrupted)]) == 2
    out, err = capsys.readouterr()
    assert "observation keys: ok" not in out
    assert err.startswith("vetopito: TIETOKANTA ON VIOITTUNUT: 1 taulua ei voitu lukea läpi: observation\n"), err
    assert "Palauta tiedosto varmuuskopiosta" in err


def test_check_db_lists_the_damaged_table(corrupted, capsys):
    assert cli.main(["check-db", "--db", str(corrupted), "--lang", "en"]) == 2
    out, err = capsys.readouterr()
    assert "  observation                      DAMAGED" in out
    assert "  unit                             ok" in out
    assert "THE DATABASE IS DAMAGED: 1 tables could not be read through: observation" in err


def test_check_db_json(corrupted, demo_db_path, capsys):
    assert cli.main(["check-db", "--db", str(corrupted), "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and [d["table"] for d in report["damaged"]] == ["observation"]
    assert cli.main(["check-db", "--db", str(demo_db_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["damaged"] == [] and report["rows"] > 50_000


def test_check_db_of_a_whole_backup_is_exit_0_and_writes_nothing(demo_db_path, tmp_path, capsys):
    backup = tmp_path / "varmuuskopio.duckdb"
    shutil.copy(demo_db_path, backup)
    before = backup.read_bytes()
    assert cli.main(["check-db", "--db", str(backup)]) == 0
    out = capsys.readouterr().out
    tables = _table_count(backup)
    assert out.splitlines()[-1].startswith(f"tietokanta luettu läpi: {tables} taulua") and out.endswith("ei vikoja\n")
    assert backup.read_bytes() == before and not Path(f"{backup}.wal").exists()


def test_info_of_a_whole_file_still_reports_the_keys(demo_db_copy, capsys):
    assert cli.main(["info", "--db", str(demo_db_copy)]) == 0
    out = capsys.readouterr().out
    tables = _table_count(demo_db_copy)
    assert "observation keys: ok" in out and f"tables read:    {tables} read through, no damage" in out


def _table_count(path) -> int:
    con = db.connect(path, read_only=True)
    try:
        return len(db.check_tables(con))
    finally:
        con.close()


@pytest.mark.parametrize("command", ["load", "check", "undo"])
def test_a_load_refuses_to_commit_on_a_damaged_file(demo_db_path, tmp_path, capsys, command):
    """The damaged table (operating models) is one an observation load never reads: before the check,
    the load committed on the damaged file and only the pages failed later."""
    broken = db_damage.corrupted(demo_db_path, tmp_path / "rikki.duckdb", "operating_model")
    loads_before = _loads(broken)
    args = {"load": ["load", TARGETS], "check": ["check", TARGETS], "undo": ["undo", "9"]}[command]
    assert cli.main([*args, "--db", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "on vioittunut: taulua operating_model ei voi lukea loppuun" in err and "Mitään ei muutettu" in err
    assert _loads(broken) == loads_before


def _loads(path: Path) -> list[tuple]:
    con = db.connect(path, read_only=True)
    try:
        return db.run(con, "load/loads").select("load_id", "status").rows()
    finally:
        con.close()


def test_the_app_says_so_at_start(app_env, corrupted):
    app_env(corrupted)
    at = app_test()
    assert not at.exception
    assert "taulun observation tarkistussumma ei täsmää" in " ".join(e.value for e in at.error)


def test_the_app_reads_the_file_through_once_per_process(app_env, demo_db_copy, monkeypatch):
    app_env(demo_db_copy)
    calls = []
    real = db.verify
    monkeypatch.setattr(db, "verify", lambda con: calls.append(1) or real(con))
    for page in (None, "team", "compare"):
        at = app_test(page)
        assert not at.exception
    assert calls == [1]


def test_an_unchanged_file_is_not_read_again_when_the_connection_is_opened_again(
        app_env, demo_db_copy, corrupted, monkeypatch):
    # the caches dropped (as every AppTest test does): the file is as it was read, so it is not
    # read again; written since (bytes over a data block, in place), it is read again and refused
    calls = []
    real = db.verify
    monkeypatch.setattr(db, "verify", lambda con: calls.append(1) or real(con))
    app_env(demo_db_copy)
    assert not app_test().exception
    app_env(demo_db_copy)
    assert not app_test().exception
    assert calls == [1]
    shutil.copyfile(corrupted, demo_db_copy)  # the same file (inode), other bytes
    app_env(demo_db_copy)
    at = app_test()
    assert not at.exception and calls == [1, 1]
    assert "taulun observation tarkistussumma ei täsmää" in " ".join(e.value for e in at.error)


def test_a_file_s_state_moves_with_every_write_to_it_or_its_log(demo_db_copy):
    before = db.file_state(demo_db_copy)
    assert before is not None and db.file_state(demo_db_copy) == before
    con = db.connect(demo_db_copy)
    db.set_meta(con, "probe", "1")  # committed to the write-ahead log, the file itself untouched
    assert db.file_state(demo_db_copy) != before
    con.close()
    assert db.file_state("ducklake:postgres:dbname=x") is None and db.file_state(":memory:") is None
    assert db.file_state(demo_db_copy.parent / "missing.duckdb") is None
