"""Why a load may create units but not rename or move them: the DuckDB 2.0 behaviour, reproduced
in a few lines, and the loader's refusals that follow from it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vetopito import catalog, ingest

REFUSED = "is still referenced by a foreign key"
REPRO = Path(__file__).parent / "fixtures" / "ingest" / "duckdb_unit_update_repro.sql"


def _statements() -> dict[str, str]:
    found, name = {}, None
    for line in REPRO.read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name: "):
            name = line.removeprefix("-- name: ").strip()
        elif name and line.strip() and not line.startswith("--"):
            found[name] = line
    return found


SQL = _statements()


def _tree(check: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in ("tree_with_check" if check else "tree_without_check", "referencing_table", "insert_country",
                 "insert_child", "insert_reference"):
        con.execute(SQL[name])
    return con


def test_duckdb_renames_a_referenced_row_in_place_without_the_parent_check():
    con = _tree(check=False)
    con.execute(SQL["rename"])
    assert con.execute(SQL["name_of_a"]).fetchall() == [("B",)]


@pytest.mark.parametrize("name", ["rename", "upsert_rename"])
def test_duckdb_refuses_any_update_of_a_referenced_row_when_a_check_reads_parent_id(name):
    """The unit table's check `(kind = 'country') = (parent_id is null)` turns every UPDATE into
    delete + insert, and the delete is refused while a row references the unit."""
    with pytest.raises(duckdb.ConstraintException, match=REFUSED):
        _tree(check=True).execute(SQL[name])


def test_duckdb_refuses_moving_a_referenced_row():
    with pytest.raises(duckdb.ConstraintException, match=REFUSED):
        _tree(check=False).execute(SQL["move"])


@pytest.fixture
def units_con(empty_con):
    catalog.ensure_reference(empty_con)
    ingest.load(empty_con, b"id,name_fi,parent\nHVA15-x,X-asema,HVA15\n", file_name="u.csv")
    ingest.load(empty_con, b"indicator,unit,period,value\nt3_laakari,HVA15-x,2024,3\n", file_name="o.csv")
    return empty_con


def test_rename_is_refused_with_the_reason(units_con):
    report = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,Uusi nimi,HVA15\n", file_name="r.csv")
    assert report.load_id is None
    line = report.errors[0].line()
    assert line.startswith('rivi 2, sarake "name_fi": yksikkö on jo olemassa nimellä "X-asema"')
    assert "tietokanta (DuckDB) ei salli muuttaa yksikköriviä, johon tiedot viittaavat" in line


def test_move_is_refused_with_the_reason(units_con):
    report = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,X-asema,HVA14\n", file_name="m.csv")
    assert report.load_id is None
    assert report.errors[0].line().startswith('rivi 2, sarake "parent": yksikön yläyksikköä ei voi vaihtaa '
                                              'latauksella (nyt HVA15): tietokanta (DuckDB)')


def test_unchanged_unit_file_changes_nothing(units_con):
    report = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,X-asema,HVA15\n", file_name="same.csv")
    assert report.ok() and report.already_loaded and report.load_id is None
