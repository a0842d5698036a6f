"""Units files: the DuckDB 2.0 behaviour with a unit CHECK that reads parent_id (reproduced in a
few lines; the schema no longer has that check, so renames work), and the loader's renames with
undo, its refusal to move a unit, and its own rule that only the country has no parent."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vetopito import catalog, db, ingest
from vetopito.ingest import report_view as present

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


def _unit(con, unit_id: str) -> dict:
    frame = db.fetch(con, "load/unit_names")
    return frame.filter(frame["id"] == unit_id).row(0, named=True)


def test_the_schema_has_no_check_that_blocks_renames(units_con):
    """The real unit table now renames a unit that data and a child refer to in place."""
    ingest.load(units_con, b"id,name_fi,parent\nHVA15-y,Y-asema,HVA15-x\n", file_name="child.csv")
    report = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,Uusi nimi,HVA15\n", file_name="r.csv")
    assert report.ok() and report.committed
    assert _unit(units_con, "HVA15-x")["name_fi"] == "Uusi nimi"


def test_rename_is_a_changed_row_with_old_and_new_and_undo_restores(units_con):
    before = _unit(units_con, "HVA15-x")
    rows = db.row_counts(units_con)
    text = b"id,name_fi,name_sv,short_fi,org_kind,parent\nHVA15-x,Uusi nimi,Nytt namn,Uusi,asema,HVA15\n"
    plan = ingest.check(units_con, text, file_name="r.csv")
    assert plan.ok() and plan.counts == {"rows": 1, "new": 0, "changed": 1, "unchanged": 0, "rejected": 0}
    view = present.changes_view(plan)
    assert view.row(0, named=True) == {
        "row": 2, "status": "changed", "indicator": None, "unit": "HVA15-x", "period": None,
        "old": "name_fi: X-asema; name_sv: X-asema; short_fi: –; org_kind: –",
        "new": "name_fi: Uusi nimi; name_sv: Nytt namn; short_fi: Uusi; org_kind: asema"}
    assert ingest.changes_table(plan).select("old_name_fi", "name_fi").row(0) == ("X-asema", "Uusi nimi")
    report = ingest.load(units_con, text, file_name="r.csv")
    assert report.committed and report.counts["changed"] == 1
    after = _unit(units_con, "HVA15-x")
    assert (after["name_fi"], after["name_sv"], after["name_en"], after["short_fi"], after["org_kind"]) == (
        "Uusi nimi", "Nytt namn", "X-asema", "Uusi", "asema")  # a column the file lacks keeps its value
    # the observation on the unit is untouched, and the unit is found by its new name
    assert ingest.check(units_con, b"indicator,unit,period,value\nt3_laakari,Uusi nimi,2024,3\n").already_loaded
    result = ingest.undo(units_con, report.load_id, user="t")
    assert (result.restored, result.removed) == (1, 0)
    assert _unit(units_con, "HVA15-x") == before
    assert {**db.row_counts(units_con), "load": rows["load"]} == rows  # unit_history emptied again


def test_undo_of_a_rename_is_blocked_by_a_later_rename(units_con):
    first = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,Toinen,HVA15\n", file_name="a.csv")
    second = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,Kolmas,HVA15\n", file_name="b.csv")
    with pytest.raises(ingest.UndoBlocked) as blocked:
        ingest.undo(units_con, first.load_id, user="t")
    assert blocked.value.blocking == [second.load_id]
    assert _unit(units_con, "HVA15-x")["name_fi"] == "Kolmas"
    ingest.undo(units_con, second.load_id, user="t")
    ingest.undo(units_con, first.load_id, user="t")
    assert _unit(units_con, "HVA15-x")["name_fi"] == "X-asema"


def test_a_unit_without_parent_is_an_error(units_con):
    report = ingest.load(units_con, b"id,name_fi,parent\nHVA15-z,Z-asema,\n", file_name="p.csv")
    assert report.load_id is None and report.error_total == 1
    assert report.errors[0].line() == ('rivi 2, sarake "parent": yläyksikkö puuttuu; jokaisella yksiköllä on '
                                       'yläyksikkö (vain maalla ei ole)')
    assert report.errors[0].to_dict()["column"] == "parent"


def test_move_is_refused_with_the_reason(units_con):
    report = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,X-asema,HVA14\n", file_name="m.csv")
    assert report.load_id is None
    assert report.errors[0].line().startswith('rivi 2, sarake "parent": yksikön yläyksikköä ei voi vaihtaa '
                                              'latauksella (nyt HVA15): tietokanta (DuckDB)')


def test_unchanged_unit_file_changes_nothing(units_con):
    report = ingest.load(units_con, b"id,name_fi,parent\nHVA15-x,X-asema,HVA15\n", file_name="same.csv")
    assert report.ok() and report.already_loaded and report.load_id is None
