"""AppTest of the team page's measure form per role (pages/team.py): the team's coach adds a
measure of the team's own and sees it on the page at once; a director, another team's coach and a
viewer get no form, and a director of another region cannot reach the measure by URL nor see it in
the catalogue. And the catalogue page's leftovers: the form prefilled from `?new_indicator=`, a
dated definition change entered in the form."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import ROOT
from tests.test_auth_app import PROVIDER
from vetopito import access, catalog, db, ingest

TEAM = "T2024-17"       # region 15
COACH = "coach17@example.fi"
GRANTS = {COACH: ("coach", f"team:{TEAM}"), "coach02@example.fi": ("coach", "team:T2024-02"),
          "director15@example.fi": ("director", "region:15"), "director12@example.fi": ("director", "region:12"),
          "analyst15@example.fi": ("analyst", "region:15")}
NAME = "Työparityöskentely sujuu, % vastaajista"


@pytest.fixture
def page_db(demo_db_copy, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    con = db.connect(demo_db_copy)
    for email, (role, scope) in GRANTS.items():
        access.grant(con, email, role, scope, by="test")
    con.close()
    app_env(demo_db_copy)
    return demo_db_copy


def open_page(page: str, email: str | None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if email is not None:
        at.secrets.update(PROVIDER)
        at.user = {"is_logged_in": True, "email": email, "name": "x"}
    at.query_params.update(params)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _text(at: AppTest) -> str:
    return "\n".join(str(getattr(e, "value", "")) for kind in ("title", "subheader", "markdown", "caption", "info")
                     for e in getattr(at, kind))


def _open_form(at: AppTest) -> AppTest:
    """The form's toggle ("Lisää tiimin oma mittari") switched on."""
    at.toggle(key="team_measure_open").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_teams_coach_adds_a_measure_on_the_team_page_and_sees_it(page_db):
    at = open_page("pages/team.py", COACH, team=TEAM)
    assert not [e for e in at.markdown if NAME in str(e.value)]
    _open_form(at)
    at.text_input(key="team_measure_name_fi").set_value(NAME)
    at.selectbox(key="team_measure_unit").set_value("pct")
    at.text_input(key="team_measure_decimals").set_value("0")
    _button(at, "Tarkista").click().run()
    assert not at.exception, [e.message for e in at.exception]
    _button(at, "Tallenna mittari").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Tiimin mittari tallennettu (lataus" in s.value for s in at.success)
    assert f"#### {NAME}" in [e.value for e in at.markdown]          # the page shows it at once
    con = db.connect(page_db)
    try:
        row = catalog.indicator(con, "t2024_17_tyoparityoskentely_sujuu_vastaajista")
        assert (row["scope_kind"], row["scope_value"], row["unit"]) == ("team", TEAM, "pct")
        assert ingest.loads(con)["user_name"][0] == COACH
    finally:
        con.close()
    # its region's director sees it; a director of another region reaches neither the team nor it
    assert NAME in _text(open_page("pages/team.py", "director15@example.fi", team=TEAM))
    other = open_page("pages/team.py", "director12@example.fi", team=TEAM)
    assert NAME not in _text(other) and TEAM not in _text(other)
    catalogue = open_page("pages/catalog.py", "director12@example.fi")
    assert all(NAME not in d.value.to_csv() for d in catalogue.dataframe)
    present = open_page("pages/present.py", COACH, team=TEAM)
    assert NAME in _text(present)


@pytest.mark.parametrize("email", ["director15@example.fi", "director12@example.fi"])
def test_a_role_without_the_right_gets_no_measure_form(page_db, email):
    at = open_page("pages/team.py", email, team=TEAM)
    with pytest.raises(KeyError):
        at.toggle(key="team_measure_open")
    with pytest.raises(KeyError):
        at.text_input(key="team_measure_name_fi")


@pytest.mark.parametrize("email", ["analyst15@example.fi", "coach02@example.fi"])
def test_the_regions_analyst_and_a_coach_on_their_own_team_get_the_form(page_db, email):
    """(Another team's coach asking for this team by URL is shown their own team, with its form.)"""
    at = open_page("pages/team.py", email, team=TEAM)
    with pytest.raises(KeyError):   # built only once asked for: a new session draws no text input
        at.text_input(key="team_measure_name_fi")
    assert at.toggle(key="team_measure_open").label == "Lisää tiimin oma mittari"
    assert _open_form(at).text_input(key="team_measure_name_fi") is not None


def test_the_catalogue_form_starts_from_the_upload_pages_new_indicator_name(page_db):
    at = open_page("pages/catalog.py", None, new_indicator="Toteutuneet käynnit 0-7 vrk, %")
    assert at.text_input(key="catalog_form_name_fi_").value == "Toteutuneet käynnit 0-7 vrk, %"
    assert at.text_input(key="catalog_form_id_").value == "toteutuneet_kaynnit_0_7_vrk"


def test_a_dated_definition_change_is_entered_in_the_form_and_undone_with_its_load(page_db):
    import datetime as dt

    at = open_page("pages/catalog.py", None)
    at.selectbox(key="catalog_change_indicator").set_value("t3_laakari")
    at.date_input(key="catalog_change_valid_from").set_value(dt.date(2025, 1, 1))
    at.text_input(key="catalog_change_note_fi").set_value("Ajanvarausjärjestelmä vaihtui")
    _button(at, "Tarkista muutos").click().run()
    assert not at.exception, [e.message for e in at.exception]
    at.button(key="catalog_change_commit").click().run()
    assert any("Määritelmän muutos tallennettu" in s.value for s in at.success)
    con = db.connect(page_db)
    try:
        changes = catalog.definition_changes(con, "t3_laakari")
        assert dt.date(2025, 1, 1) in changes["valid_from"].to_list()
        ingest.undo(con, int(ingest.loads(con)["load_id"][0]), user="t")
        assert dt.date(2025, 1, 1) not in catalog.definition_changes(con, "t3_laakari")["valid_from"].to_list()
    finally:
        con.close()
