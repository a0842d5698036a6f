"""The programme entry form per role (issue 13), on the demo database: the programme's manager
writes a round's entry and ticks a milestone (two loads, in the history under their name, undone by
the form); the manager of another programme and a director of another region see nothing of it;
a director of its region reads it without the form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_security_scope_app import PROVIDER
from vetopito import access, db, ingest, scoped
from vetopito.programmes import model

PAGE = Path(__file__).resolve().parent / "pages" / "programme_entry_page.py"
PROGRAMME = "DEMO-TULEVAISUUS"
MANAGER = "hankepaallikko@example.fi"
GRANTS = {MANAGER: ("programme_manager", f"programme:{PROGRAMME}"),
          "muu.hanke@example.fi": ("programme_manager", "programme:MUU-OHJELMA"),
          "johtaja14@example.fi": ("director", "region:14"),
          "johtaja15@example.fi": ("director", "region:15")}


@pytest.fixture
def entry_db(demo_db_copy, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    con = db.connect(demo_db_copy)
    for email, (role, scope) in GRANTS.items():
        access.grant(con, email, role, scope, by="test")
    con.close()
    app_env(demo_db_copy)
    return demo_db_copy


def page(email: str) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=90)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": email, "name": email}
    at.query_params.update({"programme": PROGRAMME, "subproject": "1.3"})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def stored(path) -> model.Programme:
    con = db.connect(path)  # as the app opened it (DuckDB shares one instance in a process)
    try:
        return model.read_programme(scoped.runner(con), PROGRAMME)
    finally:
        con.close()


def test_the_manager_writes_an_entry_and_ticks_a_milestone_and_undoes_it(entry_db):
    before = stored(entry_db)
    at = page(MANAGER)
    assert at.title[0].value.startswith("Esimerkkiohjelma")
    last_round = dt.date(2023, 12, 15)
    assert at.selectbox(key="prog_entry_round").value == last_round
    area = at.text_area(key=f"prog_entry_text_{last_round.isoformat()}")
    area.set_value("Chat-palvelu käytössä.\nKaikki asemat mukana; 57 työpajaa.")
    at.checkbox(key="prog_entry_done_M2").check()
    at.date_input(key="prog_entry_day_M2").set_value(dt.date(2023, 11, 30))
    at.button[0].click()  # the form's save
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Tallennettu" in at.success[0].value
    after = stored(entry_db)
    assert model.entry(after, "1.3", last_round)["text"] == "Chat-palvelu käytössä.\nKaikki asemat mukana; 57 työpajaa."
    assert model.entry(after, "1.3", last_round)["author_email"] == MANAGER
    assert model.measure(after, "1.3", "M2")["done_date"] == dt.date(2023, 11, 30)
    con = db.connect(entry_db)
    history = ingest.loads(con).head(2)
    con.close()
    assert set(history["user_name"].to_list()) == {MANAGER}
    assert sorted(history["format"].to_list()) == ["programme_measures", "round_entries"]
    at.button(key="prog_entry_undo").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    undone = stored(entry_db)
    assert undone.entries.equals(before.entries) and undone.measures.equals(before.measures)
    assert undone.targets.equals(before.targets)


def test_a_director_of_the_region_reads_without_the_form(entry_db):
    at = page("johtaja14@example.fi")
    assert at.title[0].value.startswith("Esimerkkiohjelma")
    assert [c.value for c in at.caption] == ["Kirjaukset kirjoittavat ohjelman hankepäälliköt."]
    assert not at.text_area and not at.button


@pytest.mark.parametrize("email", ["muu.hanke@example.fi", "johtaja15@example.fi"])
def test_others_see_nothing_of_the_programme(entry_db, email):
    at = page(email)
    assert not at.title and [i.value for i in at.info] == ["no programme"]
    assert not at.text_area and not at.button


def test_the_programme_page_draws_the_form_for_its_manager_only(entry_db):
    def programme_page(email: str) -> AppTest:
        at = AppTest.from_file(str(PAGE.parents[2] / "app.py"), default_timeout=120)
        at.secrets.update(PROVIDER)
        at.user = {"is_logged_in": True, "email": email, "name": email}
        at.query_params.update({"ohjelma": PROGRAMME, "osahanke": "1.3"})
        at.run()
        at.switch_page("pages/programme.py")
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    manager = programme_page(MANAGER)
    assert manager.text_area(key="prog_entry_text_2023-12-15").value.startswith("Chat-palvelu pilotoitu")
    director = programme_page("johtaja14@example.fi")
    assert not director.text_area


def test_the_manager_loads_a_programme_file_on_the_upload_page(entry_db):
    at = AppTest.from_file(str(PAGE.parents[2] / "app.py"), default_timeout=120)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": MANAGER, "name": MANAGER}
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    entries = ("programme,subproject,round_date,text,author\n"
               f"{PROGRAMME},2.2,15.12.2023,\"Työpajoja 57.\nPalaute käsitellään.\",{MANAGER}\n").encode()
    at.file_uploader(key="upload").set_value(("kirjaukset.csv", entries, "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    at.button(key="upload_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert model.entry(stored(entry_db), "2.2", dt.date(2023, 12, 15))["text"] == "Työpajoja 57.\nPalaute käsitellään."
    other = ("programme,subproject,round_date,text,author\n"
             f"MUU-OHJELMA,1.1,15.12.2023,x,{MANAGER}\n").encode()
    at.file_uploader(key="upload").set_value(("muu.csv", other, "text/csv"))
    at.run()
    assert not at.exception
    assert "upload_confirm" not in [b.key for b in at.button]
