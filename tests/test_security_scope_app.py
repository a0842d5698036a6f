"""On the demo database: a director of region 15 cannot reach region 12's team data through URL
parameters, the page's choices or an export."""

from __future__ import annotations

import io
from pathlib import Path

import pptx
import pytest
from streamlit.testing.v1 import AppTest

from vetopito import access, db
from vetopito.export import slides

ROOT = Path(__file__).resolve().parent.parent
PROVIDER = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "vetovoima", "client_secret": "s",
                     "server_metadata_url": "https://login.example.fi/.well-known/openid-configuration"}}
DIRECTOR = "director15@example.fi"
OTHER_TEAM = "T2024-02"        # a region 12 team in the seed (Mikkeli)
OTHER_PLACE = "Mikkeli"


@pytest.fixture
def scoped_db(demo_db_copy, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    con = db.connect(demo_db_copy)
    access.grant(con, DIRECTOR, "director", "region:15", by="test")
    con.close()
    app_env(demo_db_copy)
    return demo_db_copy


def all_text(at: AppTest) -> str:
    parts = [str(getattr(e, "value", "")) for kind in ("title", "subheader", "markdown", "caption", "info")
             for e in getattr(at, kind)]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def signed_in_page(email: str, page: str, **params: str) -> AppTest:
    """`page` as the signed-in `email` sees it, opened with the URL parameters `params`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": email, "name": "Johtaja"}
    at.query_params.update(params)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_director_cannot_open_another_regions_team_by_url(scoped_db):
    at = signed_in_page(DIRECTOR, "pages/team.py", team=OTHER_TEAM)
    text = all_text(at)
    assert OTHER_TEAM not in text and OTHER_PLACE not in text
    choices = at.selectbox(key="w_team").options if at.selectbox else []
    assert choices and all("T20" in c for c in choices)


def test_scope_keeps_other_regions_teams_out_of_queries_and_exports(scoped_db):
    con = db.connect(scoped_db)
    try:
        scope = access.scope_for(con, DIRECTOR)
        assert not scope.allows(OTHER_TEAM) and scope.allows("HVA12")   # regional figures only
        data = slides.slide_bytes(con, team_id=None, cohort=2024, lang="fi", kind="pptx", scope=scope)
    finally:
        con.close()
    deck = pptx.Presentation(io.BytesIO(data))
    text = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)
    assert OTHER_PLACE not in text and OTHER_TEAM not in text


def test_a_team_measure_of_region_15_stays_out_of_another_regions_pages_and_decks(scoped_db):
    """Issue 11 item 2: a measure of a region 15 team's own is seen by region 15's director on the
    team page, and by nobody of region 12 through any page, URL or deck."""
    from vetopito import ingest
    from vetopito.ingest import catalogue_form

    team, name = "T2024-17", "Oma mittari: kirjaamisen viive, pv"
    con = db.connect(scoped_db)
    try:
        access.grant(con, "director12@example.fi", "director", "region:12", by="test")
        csv = catalogue_form.team_measure_csv(team, {"name_fi": name, "unit": "days", "direction": "lower",
                                                     "decimals": "0"})
        assert ingest.load(con, csv, file_name="lomake.csv").committed
        other = access.scope_for(con, "director12@example.fi")
        decks = [slides.slide_bytes(con, team_id=None, cohort=2024, lang="fi", kind="pptx", scope=other)]
    finally:
        con.close()
    for data in decks:
        deck = pptx.Presentation(io.BytesIO(data))
        assert name not in "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes
                                     if s.has_text_frame)
    for page in ("pages/team.py", "pages/present.py", "pages/cohort.py", "pages/catalog.py", "pages/region.py"):
        at = signed_in_page("director12@example.fi", page, team=team, region="15")
        assert name not in all_text(at) and all(name not in d.value.to_csv() for d in at.dataframe), page
    assert name in all_text(signed_in_page(DIRECTOR, "pages/team.py", team=team))
