"""The two backends (vetopito/backend.py): what `VETOVOIMA_DB` names, the signed extensions from the
registry packages, the schema without keys that both run, and on the lake: making one at an older
schema and migrating it, `vetopito copy` both ways, read-only, a write conflict, an unreachable
catalog. The lake tests run under `make test-lake` (they need the PostgreSQL of tests/pg.py)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests import sql
from vetopito import backend, catalog, cli, db, transfer


def test_the_target_names_the_backend():
    assert backend.parse("data/vetovoima.duckdb").kind == "file"
    assert backend.parse(":memory:").kind == "file"
    lake = backend.parse("ducklake:postgres:dbname=v host=127.0.0.1 user=u port=5432")
    assert lake.is_lake and lake.catalog == "postgres:dbname=v host=127.0.0.1 user=u port=5432"
    assert not db.is_local_file(lake.target)


@pytest.mark.parametrize("name", ["ducklake", "postgres_scanner", "httpfs"])
def test_each_extension_is_the_signed_file_of_its_installed_package(name):
    path = Path(backend.extension_path(name))
    assert path.is_file() and f"v{duckdb.__version__}" in path.parts
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.load_extension(str(path))  # refused if unsigned: allow_unsigned_extensions stays off
    assert con.sql("select current_setting('allow_unsigned_extensions')").fetchone() == (False,)


def test_a_migrated_file_has_no_key_check_or_sequence_so_a_lake_can_be_made_of_it(tmp_path):
    con = db.connect(tmp_path / "keyless.duckdb")
    try:
        assert db.fetch(con, "meta/key_constraints").rows() == []
    finally:
        con.close()


KEYED = re.compile(r"\b(primary\s+key|unique|references|check\s*\(|create\s+sequence|nextval|create\s+index|"
                   r"create\s+type|on\s+conflict)\b", re.I)


def test_no_migration_after_the_keyless_one_uses_what_duckLake_lacks():
    after = [m for m in db.migrations() if m.version > db.keyless_version()]
    found = [f"{m.path.name}: {hit.group(0)}" for m in after
             for hit in KEYED.finditer(re.sub(r"--[^\n]*", "", m.path.read_text(encoding="utf-8")))]
    assert not found, found


def test_ids_come_from_the_counter_inside_the_transaction(empty_con):
    with db.transaction(empty_con):
        first = db.next_ids(empty_con, "event", 3)
        second = db.next_ids(empty_con, "event")
    assert (first, second) == (1, 4)
    assert db.table_key_problems(empty_con).is_empty()


# --- on the lake ---------------------------------------------------------------------------------

@pytest.fixture
def lake(backend, stores):
    if backend != "lake":
        pytest.skip("a lake test (make test-lake)")
    return stores


def test_a_lake_made_at_the_keyless_schema_migrates_to_the_latest(lake, monkeypatch):
    every, keyless = db.migrations(), db.keyless_version()
    target = lake.new("old")
    monkeypatch.setattr(db, "migrations", lambda: every[:keyless])  # an older release
    con = db.connect(target)
    catalog.ensure_reference(con)
    assert db.schema_version(con) == keyless
    assert db.fetch(con, "meta/has_table", table_name="id_counter").is_empty()
    units = db.row_counts(con)["unit"]
    con.close()
    monkeypatch.setattr(db, "migrations", lambda: every)
    con = db.connect(target)  # migrates
    try:
        assert db.is_lake(con)
        assert db.schema_version(con) == db.latest_schema_version()
        assert db.row_counts(con)["unit"] == units > 22  # the country, YTAs and regions, kept
        with db.transaction(con):
            assert db.next_ids(con, "load") == 1
    finally:
        con.close()


def _assert_same_database(original_path, copy_path) -> None:
    """The copy holds as many rows of each table as the original, at the same data version."""
    original, copy = db.connect(original_path, read_only=True), db.connect(copy_path, read_only=True)
    try:
        assert db.row_counts(copy) == db.row_counts(original)
        assert db.data_version(copy) == db.data_version(original)
    finally:
        original.close()
        copy.close()


def test_copy_moves_a_whole_database_to_a_lake_and_back(lake, demo_db_file, tmp_path, capsys):
    there = lake.new("copy")
    assert cli.main(["copy", "--from", str(demo_db_file), "--to", there]) == 0
    out = capsys.readouterr().out
    assert "observation" in out and "keys: ok" in out
    back = tmp_path / "back.duckdb"
    report = transfer.copy_database(there, str(back))
    assert report.ok and report.counts["observation"][0] > 50_000
    _assert_same_database(demo_db_file, back)
    # a destination that holds data is refused
    assert cli.main(["copy", "--from", str(demo_db_file), "--to", there]) == 2
    assert "on jo tietoja" in capsys.readouterr().err


def test_a_read_only_lake_refuses_writes(lake, demo_db_path):
    con = db.connect(demo_db_path, read_only=True)
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            with db.transaction(con):
                db.set_meta(con, "x", "y")
    finally:
        con.close()


def test_two_writers_of_one_id_conflict_at_commit_and_the_second_writes_nothing(lake, reference_db_path):
    target = lake.copy(reference_db_path, "ids")
    first, second = db.connect(target), db.connect(target)
    try:
        first.begin()
        second.begin()
        assert db.next_ids(first, "load") == db.next_ids(second, "load") == 1
        db.set_meta(second, "second", "was here")
        first.commit()
        with pytest.raises(duckdb.Error) as failed:
            second.commit()
        assert isinstance(db.classify(failed.value, target), db.WriteConflict)
    finally:
        first.close()
        second.close()
    con = db.connect(target, read_only=True)
    try:
        assert db.get_meta(con, "second") is None
        assert db.scalar(con, "meta/id_counter", counter="load") == 1
    finally:
        con.close()


def test_an_unreachable_or_empty_lake_is_said_plainly(lake, pg_cluster):
    with pytest.raises(db.DatabaseUnreachable):
        db.connect(pg_cluster.lake("no_such_database"))
    empty = lake.new("nothing")
    with pytest.raises(db.DatabaseError, match="init"):
        db.connect(empty, create=False)


def test_copy_from_a_file_into_a_file_reads_it_attached(demo_db_file, tmp_path):
    # the bulk path of `vetopito copy` (the source attached read-only, one INSERT … SELECT a table)
    copied = tmp_path / "copied.duckdb"
    report = transfer.copy_database(str(demo_db_file), str(copied))
    assert report.ok and report.counts["observation"][0] > 50_000
    _assert_same_database(demo_db_file, copied)


def test_a_lake_connection_gives_one_statement_cursors_from_a_pool(demo_db_file):
    # a DuckDB connection with a database attached as `lake` stands in for the lake's (no PostgreSQL)
    raw = duckdb.connect()
    backend.attach_file(raw, str(demo_db_file), backend.LAKE_ALIAS)
    raw.execute("use lake")  # as backend.open_connection leaves it
    con = backend.LakeConnection(raw)
    assert db.is_lake(con)
    version = db.run(con, "meta/data_version").item()
    pooled = list(con._pool.idle)
    assert len(pooled) == 1
    assert db.run(con, "meta/data_version").item() == version and con._pool.idle == pooled  # the same again
    with con.cursor() as cur:  # a cursor of the connection shares its pool
        assert db.run(cur, "meta/data_version").item() == version and con._pool.idle == pooled
        con._pool.close()
        assert db.run(cur, "meta/data_version").item() == version
        pooled = list(con._pool.idle)  # made while `cur` was open ...
    assert db.run(con, "meta/data_version").item() == version  # ... and not closed with it (the loader's work cursor)
    assert con._pool.idle == pooled
    with pytest.raises(db.QueryParameterError):  # a cursor whose statement failed is closed, not given back
        with con.statement_cursor() as cur:
            assert con._pool.idle == []
            db.fetch(cur, "meta/get")
    assert con._pool.idle == []
    db.run(con, "meta/data_version")
    pooled = list(con._pool.idle)
    con.close()
    with pytest.raises(duckdb.Error):
        db.fetch(pooled[0], "meta/data_version")  # closed with the connection


def _storage_version(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return sql.run(con, "meta/storage_version").item()
    finally:
        con.close()


def test_a_new_file_is_made_in_the_storage_format_that_compresses_text_fast(tmp_path):
    # DICT_FSST (storage v1.3.0) writes the text columns of a large load in about half the time;
    # a file made by an older release keeps its format until `vetopito copy` moves it to a new file
    made = tmp_path / "new.duckdb"
    db.connect(made).close()
    assert _storage_version(made) == f"{backend.FILE_STORAGE_VERSION}+"

    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))  # DuckDB's default format (v0.10.2)
    db.migrate(con)
    con.close()
    con = db.connect(old)  # opened and written by the app: the format stays
    catalog.ensure_reference(con)
    con.close()
    assert _storage_version(old) == "v1.0.0+"

    moved = tmp_path / "moved.duckdb"
    assert transfer.copy_database(str(old), str(moved)).ok
    assert _storage_version(moved) == f"{backend.FILE_STORAGE_VERSION}+"
    _assert_same_database(old, moved)
    storage = duckdb.connect(str(moved), read_only=True)
    try:
        compressions = set(sql.run(storage, "meta/text_compressions", table_name="indicator")["compression"])
    finally:
        storage.close()
    assert "DICT_FSST" in compressions and "Dictionary" not in compressions
