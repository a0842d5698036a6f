"""The store: migrations, named queries with checked parameters, the data version, locks."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from vetopito import db


def test_fresh_file_is_migrated_to_the_latest_version(tmp_path):
    con = db.connect(tmp_path / "v.duckdb")
    assert db.schema_version(con) == db.latest_schema_version()
    assert set(db.row_counts(con)) >= {"indicator", "unit", "observation", "load", "target", "event"}


def test_opening_twice_does_not_reapply_migrations(tmp_path):
    path = tmp_path / "v.duckdb"
    db.connect(path).close()
    con = db.connect(path)
    assert db.schema_version(con) == db.latest_schema_version()


def test_older_file_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    first = db.migrations()[:1]
    monkeypatch.setattr(db, "migrations", lambda: first)
    db.connect(path).close()
    monkeypatch.undo()
    con = db.connect(path)
    assert db.schema_version(con) == db.latest_schema_version()


def test_newer_file_stops_with_a_clear_message(tmp_path):
    path = tmp_path / "new.duckdb"
    con = db.connect(path)
    db.execute(con, "meta/record_migration", version=db.latest_schema_version() + 1)
    con.close()
    with pytest.raises(db.SchemaTooNew, match="uudemmalla Vetovoimalla") as raised:
        db.connect(path)
    assert "newer Vetovoima" in raised.value.message("en")


def test_read_only_open_of_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(db.DatabaseError, match="vetopito init"):
        db.connect(tmp_path / "missing.duckdb", read_only=True)


def test_run_checks_parameter_names_before_executing():
    con = db.connect(":memory:")
    with pytest.raises(db.QueryParameterError, match=r"missing \$key"):
        db.run(con, "meta/get")
    with pytest.raises(db.QueryParameterError, match=r"unexpected \$other"):
        db.run(con, "meta/get", key="x", other=1)


def test_query_names_are_validated():
    with pytest.raises(ValueError):
        db.sql_text("../etc/passwd")
    with pytest.raises(FileNotFoundError):
        db.sql_text("no_such_query")


def test_parameters_in_comments_and_strings_are_not_parameters():
    assert db.query_parameters("meta/set") == {"key", "value"}
    assert db.query_parameters("meta/data_version") == frozenset()


def test_data_version_increments_and_rolls_back_with_the_transaction():
    con = db.connect(":memory:")
    assert db.data_version(con) == 0
    with db.transaction(con):
        db.bump_data_version(con)
    assert db.data_version(con) == 1
    with pytest.raises(RuntimeError), db.transaction(con):
        db.bump_data_version(con)
        raise RuntimeError("a failed load")
    assert db.data_version(con) == 1


def test_values_are_bound_not_formatted():
    con = db.connect(":memory:")
    hostile = "x'); drop table meta; --"
    db.set_meta(con, hostile, hostile)
    assert db.get_meta(con, hostile) == hostile
    assert db.row_counts(con)["load"] == 0


def test_database_target_prefers_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(db.ENV_VAR, str(tmp_path / "env.duckdb"))
    assert db.database_target() == str(tmp_path / "env.duckdb")
    assert db.database_target("md:vetovoima") == "md:vetovoima"
    assert not db.is_local_file("md:vetovoima")
    monkeypatch.delenv(db.ENV_VAR)
    assert db.database_target() == str(db.DEFAULT_DB)


def test_a_file_held_by_another_process_gives_a_plain_message(tmp_path):
    path = tmp_path / "held.duckdb"
    db.connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(db.DatabaseLocked, match="on toisen ohjelman käytössä") as raised:
            db.connect(path)
        assert f"(process {holder.pid})" in raised.value.message("en")
    finally:
        holder.communicate("")


def test_migrations_are_numbered_without_gaps():
    versions = [m.version for m in db.migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_connection_is_duckdb():
    assert isinstance(db.connect(":memory:"), duckdb.DuckDBPyConnection)
