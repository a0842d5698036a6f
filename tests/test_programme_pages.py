"""The programme page per role (the board, a sub-project, the report buttons), the region page's
links to it, and the follow-up report: DOCX opened with python-docx, PDF rendered with pdftoppm
(pages kept in `tests/artifacts/programme_report/` to look at), CSV for Finnish Excel."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import programme_data as data
from vetopito import access, db
from vetopito.followup import board, model, report
from vetopito.scoped import runner

pytestmark = pytest.mark.usefixtures("typed_channels")   # every chart here passes typed encodings

ROOT = Path(__file__).resolve().parent.parent
PROVIDER = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "vetovoima", "client_secret": "s",
                     "server_metadata_url": "https://login.example.fi/.well-known/openid-configuration"}}
MANAGER = "pm@example.fi"           # programme_manager of TESTI
OTHER_MANAGER = "pm2@example.fi"    # programme_manager of MUU
DIRECTOR = "director14@example.fi"  # director of region 14 (TESTI's region)
STRANGER = "director15@example.fi"  # director of region 15 (MUU's region only)
TODAY = dt.date(2023, 1, 10)
ROUND = data.ROUNDS[2]              # 30.9.2022
SAVE = "Tallenna"                   # the entry form's save (programme.entry.save)


@pytest.fixture(scope="module")
def programme_db(demo_db_path, session_stores) -> Path:
    path = session_stores.copy(demo_db_path, "programme")
    con = db.connect(path)
    data.add_programmes(con)
    access.grant(con, MANAGER, "programme_manager", f"programme:{data.PROGRAMME}", by="test")
    access.grant(con, OTHER_MANAGER, "programme_manager", f"programme:{data.OTHER}", by="test")
    access.grant(con, DIRECTOR, "director", "region:14", by="test")
    access.grant(con, STRANGER, "director", "region:15", by="test")
    con.close()
    return path


@pytest.fixture
def signed_in(programme_db, app_env, monkeypatch):
    """An AppTest of the programme page for a signed-in user (None: the local demo mode)."""
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    app_env(programme_db)

    def open_page(email: str | None, **params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if email:
            at.secrets.update(PROVIDER)
            at.user = {"is_logged_in": True, "email": email, "name": email}
        at.query_params.update(params)
        at.run()
        if at.exception:
            return at
        at.switch_page("pages/programme.py")
        at.run()
        return at
    return open_page


def board_html(at: AppTest) -> str:
    return "\n".join(el.proto.body for el in at.get("html") if "vv-board" in el.proto.body)


def texts(at: AppTest) -> str:
    parts = [str(getattr(e, "value", "")) for kind in ("title", "header", "subheader", "markdown", "caption", "info")
             for e in getattr(at, kind)]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts) + board_html(at)


def test_board_shows_goals_subprojects_rounds_and_escaped_texts(signed_in):
    at = signed_in(None, ohjelma=data.PROGRAMME)
    assert not at.exception, [e.message for e in at.exception]
    html = board_html(at)
    for text in ("Hoitoonpääsyn parantaminen", "15&#46;5&#46;2021",
                 "30&#46;9&#46;2022", "Vaatii huomiota", "Tavoitteessa", "<details>"):
        assert text in html, text
    assert "**lihava**" not in html and "<b>x</b>" not in html and ":red[" not in html
    assert "&#42;&#42;lihava&#42;&#42;" in html and "&#60;b&#62;x&#60;/b&#62;" in html
    assert 'title="Ajanvaraus uudistettu&#46; Hoitoonp' in html        # the round's entry on hover
    assert [b.label for b in at.get("download_button")] == [
        "Lataa raportti (DOCX)", "Lataa raportti (PDF)", "Lataa raportti (CSV)"]


def test_subproject_view_draws_measure_charts_timeline_and_entries(signed_in):
    at = signed_in(None, ohjelma=data.PROGRAMME, osahanke="1.2")
    assert not at.exception, [e.message for e in at.exception]
    assert at.header[0].value == "Osahanke 1.2 Yhteydenottokanavat"
    assert len(at.get("vega_lite_chart")) == 1          # the milestones' timeline
    entries = at.markdown[-1].value
    assert "Chat-palvelu suunniteltu." in entries and entries.count("#####") == len(data.ROUNDS)
    at = signed_in(None, ohjelma=data.PROGRAMME, osahanke="1.1")
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 1          # the indicator's SPC chart
    assert "\\# ei otsikko" in at.markdown[-1].value     # a line of the entry, never a heading


@pytest.mark.parametrize(("email", "sees", "hidden"), [
    (MANAGER, data.PROGRAMME, data.OTHER),
    (OTHER_MANAGER, data.OTHER, data.PROGRAMME),
    (DIRECTOR, data.PROGRAMME, data.OTHER),
])
def test_each_role_sees_only_its_programmes(signed_in, email, sees, hidden):
    at = signed_in(email, ohjelma=hidden)            # asking for the other one by URL shows one's own
    assert not at.exception, [e.message for e in at.exception]
    names = {data.PROGRAMME: "Tulevaisuuden sote-keskus (testi)", data.OTHER: "Toinen ohjelma"}
    options = at.selectbox(key="w_ohjelma").options   # labels; the demo programme (region 14) may be there too
    assert names[sees] in options and names[hidden] not in options, options
    shown = texts(at)
    assert "Toinen ohjelma" not in shown if hidden == data.OTHER else "(testi)" not in shown


def test_director_of_another_region_sees_nothing_of_it(signed_in):
    at = signed_in(STRANGER, ohjelma=data.PROGRAMME, osahanke="1.1")
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "Tulevaisuuden" not in shown and "Hoitoonpääsyn" not in shown and "Ajanvaraus" not in shown
    assert at.selectbox(key="w_ohjelma").value == data.OTHER


def test_manager_of_one_programme_may_not_edit_another(programme_db):
    con = db.connect(programme_db)
    try:
        manager, other = access.scope_for(con, MANAGER), access.scope_for(con, OTHER_MANAGER)
        director = access.scope_for(con, DIRECTOR)
    finally:
        con.close()
    assert manager.may_edit_programme(data.PROGRAMME) and not manager.may_edit_programme(data.OTHER)
    assert other.may_edit_programme(data.OTHER) and not other.may_edit_programme(data.PROGRAMME)
    assert not director.may_edit_programme(data.PROGRAMME)


def test_region_page_links_the_subproject_that_aims_to_move_a_tile(signed_in):
    at = signed_in(None, region="14", indicator="t3_laakari")
    at.switch_page("pages/region.py")
    at.run()
    assert not at.exception
    linked = [m.value for m in at.markdown if "ohjelma?ohjelma=TESTI&osahanke=1.1" in m.value]
    assert len(linked) == 1          # the programmes' list; the tiles are one HTML element
    grid = next(h.proto.body for h in at.get("html") if 'class="vv-grid"' in h.proto.body)
    tile = re.search(r'<li [^>]*data-indicator="t3_laakari">(.*?)</li>', grid, re.S).group(1)
    assert "<strong>T3 lääkäri</strong>" in tile and 'href="ohjelma?ohjelma=TESTI&amp;osahanke=1.1"' in tile


# ---- the report ---------------------------------------------------------------------------

@pytest.fixture
def report_con(programme_db):
    """Read-write, as the app's own connection (one process may not mix the two on a file)."""
    con = db.connect(programme_db)
    yield con
    con.close()


def test_docx_has_headings_per_goal_and_subproject_a_table_the_entries_and_pictures(report_con):
    import docx

    document = docx.Document(io.BytesIO(report.report_bytes(report_con, data.PROGRAMME, ROUND, kind="docx",
                                                             today=TODAY)))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Tulevaisuuden sote-keskus (testi): seurantaraportti")
    assert ("Heading 1", "Hyötytavoite 1: Saatavuus, oikea-aikaisuus ja jatkuvuus") in headings
    assert ("Heading 1", f"Hyötytavoite 2: Osaaminen {data.HOSTILE}") in headings    # text, as typed
    assert [t for s, t in headings if s == "Heading 2"] == [
        "Osahanke 1.1 Hoitoonpääsyn parantaminen", "Osahanke 1.2 Yhteydenottokanavat",
        f"Osahanke 2.1 Kotihoidon koulutus {data.HOSTILE}"]
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Mittari / kriteeri", "Tiedonkeruu", "Lähtötaso",
                                                     "Välitavoitteet", "Tilanne 30.9.2022"]
    assert first.rows[1].cells[0].text == "T3 lääkäri" and first.rows[1].cells[1].text == "AvoHilmo"
    assert "välitavoite 10\u00a0pv 31.12.2022" in first.rows[1].cells[4].text
    body = "\n".join(p.text for p in document.paragraphs)
    assert "T3 laski 12 päivään." in body and "Hoitoonpääsy 7 vrk:ssa 59 % → 70 %." in body
    assert "4. raportti" not in body                      # rounds after the chosen one are left out
    assert "Pohjois-Karjalan hyvinvointialue" in body    # a report names a region by its official name
    assert len(document.inline_shapes) == 2                # the indicator's and the output's chart
    descr = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert all(descr) and "T3" in descr[0]


def test_pdf_renders_and_its_pages_are_kept_to_look_at(report_con, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    pdf = report.report_bytes(report_con, data.PROGRAMME, ROUND, kind="pdf", today=TODAY, lang="sv")
    assert pdf.startswith(b"%PDF")
    out = ROOT / "tests" / "artifacts" / "programme_report"   # git-ignored
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(out / "report.pdf"), str(out / "page")], check=True)
    pages = sorted(out.glob("page-*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 10_000 for p in pages)
    text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True).stdout \
        if shutil.which("pdftotext") else ""
    if text:
        assert "Uppföljningsrapport" in text or "uppföljningsrapport" in text
        assert "Delprojekt 1.1 Hoitoonpääsyn parantaminen" in text


def test_csv_is_for_finnish_excel_and_neutralises_formulas(report_con):
    raw = report.report_bytes(report_con, data.PROGRAMME, data.ROUNDS[1], kind="csv", today=TODAY)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:5] == ["ohjelma", "hyötytavoite", "osahanke", "osahankkeen nimi", "mittari"]
    assert "'=SUM(1) Koulutettu 130" in text               # a formula-looking entry stays text
    rows = [line.split(";") for line in text.splitlines()[1:]]
    t3 = next(r for r in rows if r[4] == "T3 lääkäri")
    assert "," in t3[header.index("arvo")] or t3[header.index("arvo")].isdigit()


def test_report_refuses_a_round_or_programme_the_user_does_not_read(report_con):
    stranger = access.scope_for(report_con, STRANGER)
    with pytest.raises(report.UnknownRound):
        report.report_bytes(report_con, data.PROGRAMME, ROUND, kind="docx", scope=stranger)
    with pytest.raises(report.UnknownRound):
        report.report_bytes(report_con, data.PROGRAMME, dt.date(2022, 1, 1), kind="csv")


def test_board_cells_follow_the_round_dates(report_con):
    view = model.programme_followup(runner(report_con), data.PROGRAMME, "en", TODAY)
    cells = board.board_cells(view)
    milestones = cells["1.2"]
    # chat done 1.9.2021, channels due 30.6.2022: open at round 1, late from round 3, upcoming round 4
    assert [c.level for c in milestones] == ["open", "open", "attention", "upcoming", "attention"]
    # 130 counted by 30.9.2022 against about 250 planned by then (100 by 2021, 300 by 2022, reached evenly)
    assert cells["2.1"][2].level == "attention" and cells["2.1"][-1].level == "attention"
    assert board.level_counts(view) == {"ok": 0, "open": 0, "attention": 3}


def test_manager_writes_an_entry_and_ticks_a_milestone_and_the_board_changes(demo_db_copy, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    con = db.connect(demo_db_copy)
    data.add_programmes(con)
    access.grant(con, MANAGER, "programme_manager", f"programme:{data.PROGRAMME}", by="test")
    con.close()
    app_env(demo_db_copy)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets.update(PROVIDER)
    at.user = {"is_logged_in": True, "email": MANAGER, "name": "Hankepäällikkö"}
    at.query_params.update({"ohjelma": data.PROGRAMME, "osahanke": "1.2"})
    at.run()
    at.switch_page("pages/programme.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Kirjoita kierroksen raportti" in [h.value for h in at.subheader]
    round_key = next(s.key for s in at.selectbox if s.key and s.key.startswith("prog_entry_round"))
    at.selectbox(key=round_key).set_value(data.ROUNDS[3])
    at.run()
    at.text_area(key=f"prog_entry_text_{data.ROUNDS[3].isoformat()}").input("Kanavat otettu käyttöön\n\nkaikilla asemilla.")
    at.checkbox(key="prog_entry_done_kanavat").check()
    next(b for b in at.button if b.label == SAVE).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Kanavat otettu käyttöön" in at.markdown[-1].value or any(
        "Kanavat otettu käyttöön" in m.value for m in at.markdown)
    con = db.connect(demo_db_copy)   # the app's own connection is read-write: the same configuration
    try:
        view = model.programme_followup(runner(con), data.PROGRAMME, "fi")
    finally:
        con.close()
    sub = view.subproject("1.2")
    assert sub.measure("kanavat").done_date is not None
    assert sub.entries[data.ROUNDS[3]].author_email == MANAGER
    assert board.board_cells(view)["1.2"][-1].level == "ok"      # both milestones done today


def test_director_reads_the_subproject_without_the_form(signed_in):
    at = signed_in(DIRECTOR, ohjelma=data.PROGRAMME, osahanke="1.2")
    assert not at.exception, [e.message for e in at.exception]
    assert "Kirjoita kierroksen raportti" not in [h.value for h in at.subheader]
    assert not at.text_area and not [b for b in at.button if b.label == SAVE]
