"""Undo respects the load scope: an analyst may undo only loads whose every unit they may load;
a refused undo writes nothing; the command line (no scope) may undo anything; the upload page
passes the signed-in user's scope and shows the refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vetopito import access, catalog, db, ingest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ROOT = Path(__file__).resolve().parent.parent
ADMIN = "admin@example.fi"
REGION_15 = FIXTURES / "long_bom.csv"  # one value of HVA15


def _grant(con) -> None:
    catalog.ensure_reference(con)
    access.grant(con, "analyst12@example.fi", "analyst", "region:12", by=ADMIN)
    access.grant(con, "analyst15@example.fi", "analyst", "region:15", by=ADMIN)
    access.grant(con, "director15@example.fi", "director", "region:15", by=ADMIN)


@pytest.fixture
def ref_con(empty_con):
    _grant(empty_con)
    return empty_con


def _loading(con, email: str) -> access.Scope:
    return access.scope_for(con, email).loading()


def _state(con):
    return db.row_counts(con), db.data_version(con), ingest.loads(con)["status"].to_list()


def test_analyst_of_region_12_cannot_undo_a_load_of_region_15(ref_con):
    report = ingest.load(ref_con, REGION_15, user="analyst15@example.fi",
                         scope=_loading(ref_con, "analyst15@example.fi"))
    assert report.committed
    before = _state(ref_con)
    with pytest.raises(ingest.UndoRefused) as refused:
        ingest.undo(ref_con, report.load_id, user="analyst12@example.fi",
                    scope=_loading(ref_con, "analyst12@example.fi"))
    assert refused.value.units == ["HVA15"]
    assert str(refused.value) == (f"Latausta {report.load_id} ei voi perua: se koskee yksiköitä, joiden tietoja "
                                  "sinulla ei ole oikeutta ladata (1: HVA15). Mitään ei muutettu.")
    assert _state(ref_con) == before  # nothing written: values, load status, data version
    assert isinstance(refused.value, ingest.UndoError)  # the page and the CLI catch UndoError


def test_refusal_in_swedish_and_english(ref_con):
    report = ingest.load(ref_con, REGION_15)
    scope = _loading(ref_con, "analyst12@example.fi")
    with pytest.raises(ingest.UndoRefused, match="den gäller enheter vars data du inte har rätt att ladda"):
        ingest.undo(ref_con, report.load_id, user="a", scope=scope, lang="sv")
    with pytest.raises(ingest.UndoRefused, match=r"it touched units whose data you may not load \(1: HVA15\)"):
        ingest.undo(ref_con, report.load_id, user="a", scope=scope, lang="en")


def test_the_right_analyst_can_undo(ref_con):
    before = db.row_counts(ref_con)["observation"]
    report = ingest.load(ref_con, REGION_15)  # loaded by the CLI (full scope)
    scope = _loading(ref_con, "analyst15@example.fi")
    result = ingest.undo(ref_con, report.load_id, user=scope.user, scope=scope)
    assert result.removed == 1 and db.row_counts(ref_con)["observation"] == before
    assert ingest.loads(ref_con)["status"].to_list() == ["undone"]


def test_a_user_who_may_not_load_cannot_undo(ref_con):
    report = ingest.load(ref_con, REGION_15)
    before = _state(ref_con)
    scope = _loading(ref_con, "director15@example.fi")  # sees region 15, may not load
    with pytest.raises(ingest.UndoRefused, match="sinulla ei ole oikeutta ladata tietoja"):
        ingest.undo(ref_con, report.load_id, user="director15@example.fi", scope=scope)
    assert _state(ref_con) == before


def test_units_loads_count_by_the_parent_and_renames_too(ref_con):
    created = ingest.load(ref_con, b"id,name_fi,parent\nHVA15-x,X-asema,HVA15\n", file_name="u.csv")
    renamed = ingest.load(ref_con, b"id,name_fi,parent\nHVA15-x,Uusi,HVA15\n", file_name="r.csv")
    other = _loading(ref_con, "analyst12@example.fi")
    for load_id in (renamed.load_id, created.load_id):
        with pytest.raises(ingest.UndoRefused):
            ingest.undo(ref_con, load_id, user="a12", scope=other)
    right = _loading(ref_con, "analyst15@example.fi")
    ingest.undo(ref_con, renamed.load_id, user="a15", scope=right)
    ingest.undo(ref_con, created.load_id, user="a15", scope=right)
    assert "HVA15-x" not in db.fetch(ref_con, "load/unit_names")["id"].to_list()


def test_command_line_undo_has_full_scope(ref_con):
    report = ingest.load(ref_con, REGION_15)
    assert ingest.undo(ref_con, report.load_id, user="cli").removed == 1


# --- the upload page, signed in ----------------------------------------------------------------

PROVIDER = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "vetovoima", "client_secret": "s",
                     "server_metadata_url": "https://login.example.fi/.well-known/openid-configuration"}}


@pytest.fixture
def signed_db(stores, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    path = stores.empty("scope")
    con = db.connect(path)
    _grant(con)
    ingest.load(con, REGION_15, user="analyst15@example.fi")
    con.close()
    app_env(path)
    return path


def _upload_page(email: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
    at.run()
    at.switch_page("pages/upload.py")
    return at.run()


def _page_state(path: Path):
    con = db.connect(path)
    try:
        return _state(con)
    finally:
        con.close()


def test_upload_page_neither_lists_nor_undoes_a_load_outside_the_scope(signed_db):
    """The region-15 load is not in a region-12 analyst's history, so there is nothing to undo
    (the loader itself refuses such an undo too: see the tests above)."""
    before = _page_state(signed_db)
    at = _upload_page("analyst12@example.fi")
    assert not at.exception
    assert not [b for b in at.button if b.key == "undo_button"]
    shown = [frame.value for frame in at.dataframe]
    assert not any("long_bom.csv" in str(frame) for frame in shown)
    assert _page_state(signed_db) == before


def test_upload_page_undo_by_the_right_analyst(signed_db):
    at = _upload_page("analyst15@example.fi")
    at.button(key="undo_button").click().run()
    at.button(key="undo_confirm").click().run()  # the undo asks first
    assert not at.exception
    assert any("Lataus 1 (long_bom.csv) peruttu" in s.value for s in at.success)
    assert _page_state(signed_db)[2] == ["undone"]


def test_the_load_history_shows_an_analyst_only_the_loads_of_their_scope(tmp_path):
    """An analyst of region 12 does not see who loaded region 15's figures, nor undo them."""
    from vetopito import access, catalog, db, ingest

    con = db.connect(tmp_path / "h.duckdb")
    catalog.ensure_reference(con)
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,15,2024-03,12\n", file_name="kski.csv")
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,12,2024-03,9\n", file_name="psavo.csv")
    everyone = access.full_scope(con)
    region12 = [u for u in everyone.unit_ids if u == "HVA12"]
    analyst12 = access.Scope(unit_ids=everyone.unit_ids, roles=frozenset({"analyst"}), can_load=True,
                             load_unit_ids=tuple(region12))
    assert ingest.loads(con)["file_name"].to_list() == ["psavo.csv", "kski.csv"]
    assert ingest.loads(con, everyone)["file_name"].to_list() == ["psavo.csv", "kski.csv"]
    assert ingest.loads(con, analyst12)["file_name"].to_list() == ["psavo.csv"]
    no_rights = access.Scope(unit_ids=everyone.unit_ids, roles=frozenset({"director"}))
    assert ingest.loads(con, no_rights).is_empty()


def test_migration_records_the_units_of_loads_made_before_it(tmp_path, monkeypatch):
    """A file from before migration 008 gets the units of its old loads filled in."""
    from vetopito import catalog, db, ingest

    files = [(b"indicator,unit,period,value\nt3_laakari,15,2024-03,12\n", "a.csv"),
             (b"indicator,unit,period,value\nt3_laakari,12,2024-03,9\nt3_laakari,15,2024-03,11\n", "b.csv")]

    def build(path):
        con = db.connect(path)
        catalog.ensure_reference(con)
        for data, name in files:
            ingest.load(con, data, file_name=name)
        return con

    fresh = build(tmp_path / "new.duckdb")
    expected = db.run(fresh, "load/load_units").rows()
    assert expected == [(1, "HVA15"), (2, "HVA12"), (2, "HVA15")]

    before_008 = [m for m in db.migrations() if m.version < 8]
    monkeypatch.setattr(db, "migrations", lambda: before_008)
    monkeypatch.setattr("vetopito.ingest.cycle.db.execute", _skip_recording(db.execute))
    build(tmp_path / "old.duckdb").close()
    monkeypatch.undo()
    migrated = db.connect(tmp_path / "old.duckdb")
    assert db.run(migrated, "load/load_units").rows() == expected


def _skip_recording(execute):
    """db.execute as it was before the load_unit table (migration 008) and the
    indicator_seasonality table (012) existed."""
    def run(con, name, /, **params):
        if name not in ("load/record_load_units", "catalog/sync/upsert_indicator_seasonality"):
            execute(con, name, **params)
    return run
