"""AppTest of the catalogue page's form (pages/catalog.py): an analyst adds an indicator and edits
one through the loader's check → plan → commit, a meaning change is refused while values exist,
the new indicator is in the catalogue, its loads table and the export at once, and a role without
rights sees no form."""

from __future__ import annotations

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import ROOT
from tests.test_auth_app import PROVIDER
from vetopito import access, catalog, db, i18n, ingest


@pytest.fixture
def page_db(demo_db_path, stores, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    path = stores.copy(demo_db_path, "vetovoima")
    app_env(path)
    return path


def catalogue_page(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if user is not None:
        at.secrets.update(PROVIDER)
        at.user = user
    at.run()
    at.switch_page("pages/catalog.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _frame(at: AppTest, column: str):
    """The shown table holding `column` (AppTest gives st.dataframe no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _fill(at: AppTest, editing: str, **values: str) -> None:
    for column, value in values.items():
        if column in ("theme", "unit", "direction", "aggregation", "seasonal"):
            at.selectbox(key=f"catalog_form_{column}_{editing}").set_value(value)
        else:
            at.text_input(key=f"catalog_form_{column}_{editing}").set_value(value)


def _stored(path, indicator_id):
    con = db.connect(path)
    try:
        return catalog.indicator(con, indicator_id), ingest.loads(con)
    finally:
        con.close()


def test_an_analyst_adds_an_indicator_sees_the_plan_and_saves_it(page_db):
    at = catalogue_page()
    _fill(at, "", id="etavastaanotot_pct", name_fi="Etävastaanottojen osuus", name_en="Share of remote visits",
          unit="pct", direction="neutral", aggregation="ratio", decimals="1", source="Alueen potilastietojärjestelmä",
          min_persons="5", seasonal="yes")
    _button(at, "Tarkista").click().run()
    assert not at.exception, [e.message for e in at.exception]
    plan = _frame(at, "Kenttä")
    planned = dict(zip(plan["Kenttä"], plan["Uusi"], strict=True))   # field labels, choices by name, "—" for none
    assert planned["Nimi suomeksi (pakollinen)"] == "Etävastaanottojen osuus"
    assert planned[i18n.t("catalog.form.field.unit", "fi")] == i18n.t("catalog.unit.pct", "fi")
    assert "None" not in set(plan["Nyt"]) | set(plan["Uusi"]) and set(plan["Nyt"]) == {"—"}
    assert _stored(page_db, "etavastaanotot_pct")[0] is None      # nothing written before the save
    _button(at, "Tallenna mittari").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Mittari tallennettu (lataus" in s.value for s in at.success)
    row, loads = _stored(page_db, "etavastaanotot_pct")
    assert (row["unit"], row["direction"], row["min_persons"], row["name_sv_given"]) == ("pct", "neutral", 5, False)
    assert (loads["format"][0], loads["file_name"][0]) == ("indicators", "lomake.csv")
    # the catalogue and its loads table show it at once; the Swedish name is marked as Finnish
    table = _frame(at, "Teema")
    assert "Etävastaanottojen osuus" in table["Mittari"].to_list()
    made = _frame(at, "Lataus")
    assert ("etavastaanotot_pct", "loi") in set(zip(made["Tunnus"], made["Muutos"], strict=True))
    con = db.connect(page_db)
    try:
        shown = catalog.catalogue_table(catalog.indicators(con), "sv")
    finally:
        con.close()
    assert "Etävastaanottojen osuus (på finska)" in shown["Mätare"].to_list()


def test_the_form_names_bad_fields_with_the_loaders_messages_and_saves_nothing(page_db):
    at = catalogue_page()
    _fill(at, "", id="Huono Tunnus", name_fi="", source="x", decimals="7")
    _button(at, "Tarkista").click().run()
    assert any(e.value == "Mittaria ei voi tallentaa:" for e in at.error)
    shown = at.table[0].value
    problems = [str(v) for v in shown.iloc[:, -1].tolist()]
    assert any('"Huono Tunnus" ei kelpaa mittarin tunnukseksi' in p for p in problems), problems
    assert any("arvo puuttuu; tämä sarake on pakollinen" in p for p in problems), problems
    assert any('"7" ei kelpaa desimaalien määräksi; odotettiin kokonaislukua 0–3' in p for p in problems), problems
    assert not [b for b in at.button if b.label == "Tallenna mittari"]
    assert _stored(page_db, "huono_tunnus")[1].height == _stored(page_db, "t3_laakari")[1].height


def test_an_edit_of_a_name_saves_and_a_meaning_change_is_refused_while_values_exist(page_db):
    at = catalogue_page()
    at.selectbox(key="catalog_form_pick").set_value("t3_laakari").run()
    assert at.text_input(key="catalog_form_name_fi_t3_laakari").value == catalog.indicator_frame().filter(
        pl.col("id") == "t3_laakari")["name_fi"][0]
    _fill(at, "t3_laakari", unit="count")
    _button(at, "Tarkista").click().run()
    problems = [str(v) for v in at.table[0].value.iloc[:, -1].tolist()]
    assert problems == ['mittarille on jo ladattu arvoja, joten "days" ei voi muuttua arvoksi "count" (se '
                        'muuttaisi ladattujen arvojen merkityksen); lisää päivätty määritelmän muutos tai uusi '
                        'mittari'], problems
    _fill(at, "t3_laakari", unit="days", short_fi="T3 lääkäri (muokattu)")
    _button(at, "Tarkista").click().run()
    plan = _frame(at, "Kenttä")
    assert plan.to_dict("list") == {"Kenttä": [i18n.t("catalog.form.field.short_fi", "fi")], "Nyt": ["T3 lääkäri"],
                                    "Uusi": ["T3 lääkäri (muokattu)"]}
    _button(at, "Tallenna mittari").click().run()
    row, loads = _stored(page_db, "t3_laakari")
    assert row["short_fi"] == "T3 lääkäri (muokattu)" and row["unit"] == "days"
    # undone from the load history, the shipped name is back
    con = db.connect(page_db)
    try:
        ingest.undo(con, int(loads["load_id"][0]), user="t")
        assert catalog.indicator(con, "t3_laakari")["short_fi"] == "T3 lääkäri"
    finally:
        con.close()


@pytest.mark.parametrize("email", ["viewer@example.fi", "director15@example.fi", "coach@example.fi"])
def test_a_role_without_rights_sees_no_form(page_db, email):
    con = db.connect(page_db)
    try:
        access.grant(con, "admin@example.fi", "admin", by="bootstrap")
        access.grant(con, "viewer@example.fi", "viewer", by="admin@example.fi")
        access.grant(con, "director15@example.fi", "director", "region:15", by="admin@example.fi")
        access.grant(con, "coach@example.fi", "coach", "cohort:2024", by="admin@example.fi")
    finally:
        con.close()
    at = catalogue_page({"is_logged_in": True, "email": email, "name": "x"})
    assert len(_frame(at, "Teema")) > 0
    assert not [s for s in at.subheader if s.value == "Lisää tai muokkaa mittaria"]
    assert not [b for b in at.button if b.label == "Tarkista"]
    with pytest.raises(KeyError):
        at.selectbox(key="catalog_form_pick")
