"""AppTest of the upload page: history and undo on a fresh database."""

from __future__ import annotations

from conftest import app_test

from vetopito import catalog, db, ingest


def test_upload_page_shows_history_and_undoes(tmp_path, app_env):
    path = tmp_path / "page.duckdb"
    con = db.connect(path)
    catalog.ensure_reference(con)
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,3\n", file_name="p.csv")
    con.close()
    app_env(path)
    at = app_test("upload")
    assert not at.exception
    assert at.dataframe[0].value.shape[0] == 1
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert any("peruttu" in s.value for s in at.success)
