"""AppTest of the upload page: upload, see the detected format, the plan and the changes, confirm,
see the history, undo (and a blocked undo); a bad file gives Finnish row errors and a report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.apptest_helpers import app_test, reference_db, upload
from vetopito import catalog, db, ingest
from vetopito.ingest import report_view as present

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SAMPLES = Path(__file__).parent / "fixtures" / "samples"


@pytest.fixture
def page_db(stores, app_env):
    return app_env(reference_db(stores.empty("page")))


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _state(path: Path):
    con = db.connect(path)  # same configuration as the app's connection, so both share the instance
    try:
        return db.row_counts(con), db.data_version(con)
    finally:
        con.close()


def test_good_upload_shows_plan_then_commits_and_undoes(page_db):
    at = app_test("upload")
    assert not at.exception
    assert any("Yhtään latausta" in c.value for c in at.caption)
    upload(at, "leveä.csv", (FIXTURES / "wide_indicator_good.csv").read_bytes())
    assert not at.exception
    detected = " ".join(i.value for i in at.info)
    assert "havainnot" in detected and "leveä (sarake per indikaattori)" in detected
    assert "sekä pilkku että piste" in detected
    assert _metrics(at) == {"Rivejä": "2", "Uusia": "4", "Muuttuvia": "0", "Ennallaan": "0", "Hylättyjä": "0"}
    changes = at.dataframe[0].value
    assert list(changes.columns) == ["rivi", "tila", "indikaattori", "yksikkö", "ajanjakso", "vanha", "uusi"]
    assert len(changes) == 4 and set(changes["tila"]) == {"uusi"}
    assert changes["vanha"].tolist() == ["–"] * 4  # a new row has no old value: a dash, not "None"
    assert "–" not in changes["uusi"].tolist()
    assert set(changes["indikaattori"]) == {"T3 lääkäri", "Hoitoonpääsy: lääkäri 7 vrk"}  # names, not ids
    at.multiselect(key="upload_filter_indicator").set_value(["T3 lääkäri"]).run()
    assert set(at.dataframe[0].value["indikaattori"]) == {"T3 lääkäri"}
    before = _state(page_db)
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert any("Tallennettu latauksena 1" in s.value for s in at.success)
    history = at.dataframe[0].value
    assert list(history.columns) == ["lataus", "tiedosto", "tila", "ladattu", "käyttäjä", "muoto", "rivejä", "uusia",
                                     "muuttuneita", "ennallaan", "hylättyjä", "peruttu", "perui"]
    assert history["tiedosto"].tolist() == ["leveä.csv"] and history["tila"].tolist() == ["tallennettu"]
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}\.20\d\d \d\d:\d\d", history["ladattu"][0])  # 15.3.2024 12:30
    assert history["muoto"][0].startswith("havainnot") and history["peruttu"][0] == "–"
    counts, version = _state(page_db)
    assert counts["observation"] == before[0]["observation"] + 4 and version == before[1] + 1
    # the same file again: nothing changes, and the page says so
    assert any("Sama tiedosto on jo ladattu (lataus 1" in i.value for i in at.info)
    at.button(key="undo_button").click().run()
    at.button(key="undo_confirm").click().run()  # the undo asks first
    assert not at.exception
    assert any("Lataus 1 (leveä.csv) peruttu" in s.value for s in at.success)
    after = _state(page_db)[0]
    assert {**after, "load": 0} == before[0] and after["load"] == 1  # the load stays in history, undone


def test_bad_upload_lists_finnish_errors_with_report(page_db):
    at = app_test("upload")
    before = _state(page_db)
    upload(at, "huono.csv", (FIXTURES / "observations_bad.csv").read_bytes())
    assert not at.exception
    assert at.error[0].value.startswith("Tiedostoa ei voi ladata: 9 virhettä")
    errors = at.table[0].value  # a static table: the problem texts wrap instead of being cut off
    assert list(errors.columns) == ["rivi", "sarake", "arvo", "ongelma"]
    assert errors.iloc[2].tolist() == ["4", "arvo", "12.5.2024", '"12.5.2024" ei ole luku']
    report = at.get("download_button")[0]
    assert report.proto.label == "Lataa virheraportti (CSV)"
    assert len(at.button) == 0 or "upload_confirm" not in [b.key for b in at.button]
    assert _state(page_db) == before


def test_a_row_wider_than_the_header_is_one_error_without_a_column(page_db):
    at = app_test("upload")
    upload(at, "pilkku.csv", (FIXTURES / "comma_decimal_in_comma_file_bad.csv").read_bytes())
    assert not at.exception
    problem = at.table[0].value.iloc[0].tolist()
    assert problem[:3] == ["2", "–", "5"] and "desimaalipilkku on myös erotin" in problem[3]


def test_blocked_undo_says_which_load(page_db):
    con = db.connect(page_db)
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,3\n", file_name="a.csv")
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,4\n", file_name="b.csv")
    con.close()
    at = app_test("upload")
    at.selectbox(key="undo_choice").set_value(1).run()
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Latausta 1 ei voi perua: myöhempi lataus 2 (b.csv)")


def test_options_expander_completes_a_thl_file(page_db):
    at = app_test("upload")
    upload(at, "thl.csv", (SAMPLES / "thl_esh_surgery_waiting_over180d_pct_2015_2018.csv").read_bytes())
    problems = at.table[0].value["ongelma"].tolist()
    assert len(problems) == 2 and "Lisävalinnat → Indikaattori" in problems[0] and "Lisävalinnat → Yksikkö" in problems[1]
    at.text_input(key="upload_indicator").set_value("hoitoonpaasy_pth_laakari_7vrk")
    at.text_input(key="upload_unit").set_value("FI").run()
    assert not at.exception
    assert _metrics(at)["Uusia"] == "10"
    at.button(key="upload_confirm").click().run()
    assert any("Tallennettu" in s.value for s in at.success)


def test_history_and_error_headers_in_swedish_and_english(tmp_path):
    from vetopito.ingest import report_view as present

    con = db.connect(tmp_path / "h.duckdb")
    catalog.ensure_reference(con)
    ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,3\n", file_name="a.csv", user="ana")
    history = ingest.loads(con)
    english = present.history_view(history, "en")
    assert english.columns[:5] == ["load", "file", "status", "loaded", "user"]
    assert english["status"].to_list() == ["committed"]
    assert present.history_view(history, "sv")["status"].to_list() == ["sparad"]
    bad = ingest.check(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,abc\n")
    assert present.error_view(bad, "sv").columns == ["rad", "kolumn", "värde", "problem"]
    assert bad.to_dict()["errors"][0].keys() == {"row", "column", "value", "problem"}  # JSON keys stay English
    con.close()


def test_changes_view_shows_a_dash_for_a_missing_old_value(empty_con):
    first = ingest.load(empty_con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-01,3\n", file_name="a.csv")
    assert first.committed, first.to_dict()
    plan = ingest.check(empty_con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-01,4\n"
                                   b"t3_laakari,HVA15,2024-02,5\n", file_name="b.csv")
    view = present.changes_view(plan, "fi", con=empty_con).sort("row")
    assert view["status"].to_list() == ["changed", "new"]
    old, new = view["old"].to_list(), view["new"].to_list()
    assert old[1] == "–" and old[0] not in ("–", None) and "–" not in new
    units = ingest.check(empty_con, b"id,name_fi,parent\nHVA15-uusi,Uusi asema,HVA15\n", file_name="u.csv")
    assert present.changes_view(units)["old"].to_list() == ["–"]
    assert "None" not in present.labelled(view).to_pandas().to_string()


def test_a_large_file_is_checked_once_and_its_table_is_capped_with_every_change_in_the_csv(page_db, monkeypatch):
    """3 000 changes: the table sends the first 2 000 and says so, the CSV has all 3 000; choosing
    a filter reruns the page without reading and planning the file again."""
    rows = [f"t3_laakari;HVA{u:02d};{1 + d % 28}.{1 + m}.{2000 + y}" + f";{10 + d % 50}"
            for u in range(1, 21) for y in range(3) for m in range(5) for d in range(10)]
    data = ("indikaattori;alue;ajanjakso;arvo\n" + "\n".join(rows) + "\n").encode()
    calls = []
    real_check = ingest.check
    monkeypatch.setattr(ingest, "check", lambda *a, **k: calls.append(1) or real_check(*a, **k))
    at = app_test("upload")
    upload(at, "iso.csv", data)
    assert not at.exception and len(calls) == 1
    assert _metrics(at)["Uusia"] == "3\u00a0000"
    assert len(at.dataframe[0].value) == present.CHANGES_SHOWN == 2000
    assert any("2\u00a0000 ensimmäistä muutosta 3\u00a0000 muutoksesta" in c.value for c in at.caption)
    at.multiselect(key="upload_filter_unit").set_value(["Keski-Suomi"]).run()
    assert not at.exception and len(calls) == 1  # the held check, not a new one
    assert len(at.dataframe[0].value) == 150 and not any("ensimmäistä" in c.value for c in at.caption)
    con = db.connect(page_db)
    try:
        everything = present.changes_csv(present.changes_view(real_check(con, data, file_name="iso.csv"), "fi"))
    finally:
        con.close()
    assert everything.startswith("\ufeff".encode()) and everything.count(b"\n") == 3001
    assert "_upload_checked" in at.session_state
    at.file_uploader(key="upload").set_value(None).run()  # the file removed: its held check goes too
    assert not at.exception and "_upload_checked" not in at.session_state
