"""AppTest of mapping an unknown indicator name on the upload page (issue 11 item 3): the plan
lists the name once with a select of the closest indicators; the choice re-plans the file, the
load saves it as an alias, and the next file of the same source loads with no question."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import sql
from tests.apptest_helpers import app_test, reference_db, upload
from vetopito import db

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
LABEL = "Toteutuneet käynnit 0-7 vrk, %"
ACCESS = "hoitoonpaasy_pth_laakari_7vrk"


@pytest.fixture
def page_db(tmp_path, app_env):
    return app_env(reference_db(tmp_path / "page.duckdb"))


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _stored(path: Path) -> tuple[list, list]:
    con = db.connect(path)
    try:
        values = sql.fetch(con, "load/observation_rows").select("unit_id", "value").rows()
        aliases = db.fetch(con, "load/indicator_aliases").select("alias", "indicator_id").rows()
        return values, aliases
    finally:
        con.close()


def test_an_unknown_label_is_mapped_with_a_select_and_the_next_file_asks_nothing(page_db):
    at = app_test("upload")
    upload(at, "thl_maaliskuu.csv", (FIXTURES / "thl_cube_access_2024_03.csv").read_bytes())
    assert not at.exception
    assert [s.value for s in at.subheader][:1] == ["Tuntemattomat indikaattorinimet"]
    select = at.selectbox(key="upload_map_0")
    assert select.label == f'"{LABEL}" (4 riviä, sarake "Mittari")'
    # the closest indicators first, named in the user's language, then the rest of the catalogue
    assert select.options[0] == "Hoitoonpääsy: lääkäri 7 vrk (hoitoonpaasy_pth_laakari_7vrk)"
    assert len(select.options) == 24
    assert "upload_confirm" not in [b.key for b in at.button]   # nothing to commit before the mapping
    assert _metrics(at)["Hylättyjä"] == "4"
    # the link to the catalogue page (the sidebar's own navigation links are page links too)
    assert "Mittarit" in [link.label for link in at.get("page_link")]

    select.set_value(ACCESS).run()
    at.button(key="upload_map_apply").click().run()
    assert not at.exception
    assert _metrics(at) == {"Rivejä": "4", "Uusia": "4", "Muuttuvia": "0", "Ennallaan": "0", "Hylättyjä": "0"}
    notes = " ".join(i.value for i in at.info)
    assert "Latauksen mukana tallentuu uusi indikaattorinimi" in notes and "koko maan lukuna" in notes
    assert "upload_map_0" not in [s.key for s in at.selectbox]
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert any("Tallennettu latauksena 1" in s.value for s in at.success)
    values, aliases = _stored(page_db)
    assert len(values) == 4 and aliases == [(LABEL, ACCESS)]

    upload(at, "thl_huhtikuu.csv", (FIXTURES / "thl_cube_access_2024_04.csv").read_bytes())
    assert not at.exception
    assert "upload_map_0" not in [s.key for s in at.selectbox]
    assert _metrics(at)["Uusia"] == "4" and _metrics(at)["Hylättyjä"] == "0"
    at.button(key="upload_confirm").click().run()
    assert len(_stored(page_db)[0]) == 8


NEW_ID = "toteutuneet_kaynnit_0_7_vrk"


def test_a_new_indicator_made_from_the_unknown_name_maps_the_waiting_upload_with_no_retyping(page_db):
    """The upload page's link to the catalogue page: the form starts with the name (fi) and an
    ASCII id made of it; after the save the upload page goes on with the same file, the name
    mapped to the new indicator, nothing to choose or upload again."""
    at = app_test("upload")
    upload(at, "thl_maaliskuu.csv", (FIXTURES / "thl_cube_access_2024_03.csv").read_bytes())
    assert _metrics(at)["Hylättyjä"] == "4"
    assert "Mittarit" in [link.label for link in at.get("page_link")]

    at.query_params["new_indicator"] = LABEL  # what the link passes
    at.switch_page("pages/catalog.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.text_input(key="catalog_form_name_fi_").value == LABEL
    assert at.text_input(key="catalog_form_id_").value == NEW_ID
    waiting = " ".join(i.value for i in at.info)
    assert 'Tiedosto "thl\\_maaliskuu.csv" odottaa' in waiting or 'Tiedosto "thl_maaliskuu.csv" odottaa' in waiting, waiting
    assert "Palaa lataukseen" in [link.label for link in at.get("page_link")]
    # the analyst names it their own way: the file's name then needs the alias the upload saves
    at.text_input(key="catalog_form_name_fi_").set_value("Lääkärikäynnit 7 vrk:n kuluessa (THL:n kuutio)")
    at.text_input(key="catalog_form_source_").set_value("THL, hoitoonpääsy perusterveydenhuollossa (kuutio)")
    next(b for b in at.button if b.label == "Tarkista").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "catalog_form_commit" in [b.key for b in at.button], [e.value for e in at.error] + [
        str(t.value) for t in at.table]
    at.button(key="catalog_form_commit").click().run()
    assert not at.exception, [e.message for e in at.exception]
    shown = " ".join(s.value for s in at.success)
    assert "Mittari tallennettu" in shown and f"mittariin {NEW_ID}" in shown.replace("\\_", "_"), shown
    assert "new_indicator" not in at.query_params  # the form starts empty again
    assert at.text_input(key="catalog_form_name_fi_").value == ""

    at.switch_page("pages/upload.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Jatketaan tiedostolla" in i.value for i in at.info)
    assert "upload_map_0" not in [s.key for s in at.selectbox]  # nothing to choose again
    assert _metrics(at) == {"Rivejä": "4", "Uusia": "4", "Muuttuvia": "0", "Ennallaan": "0", "Hylättyjä": "0"}
    notes = " ".join(i.value for i in at.info).replace("\\_", "_")
    assert f'Latauksen mukana tallentuu uusi indikaattorinimi: "{LABEL}" → {NEW_ID}' in notes, notes
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    values, aliases = _stored(page_db)
    assert len(values) == 4 and aliases == [(LABEL, NEW_ID)]

    at.button(key="upload_resumed_drop").click().run()  # the held file goes when its user says so
    assert not at.exception and not any("Jatketaan tiedostolla" in i.value for i in at.info)


def test_a_file_removed_from_the_uploader_is_not_brought_back(page_db):
    at = app_test("upload")
    upload(at, "thl_maaliskuu.csv", (FIXTURES / "thl_cube_access_2024_03.csv").read_bytes())
    assert _metrics(at)["Hylättyjä"] == "4"
    at.file_uploader(key="upload").set_value(None)
    at.run()
    assert not at.exception
    assert not at.metric and not any("Jatketaan tiedostolla" in i.value for i in at.info)
