"""Every download button of every page, clicked in real Chromium: the file arrives, opens (CSV as
the project writes it: UTF-8 with a BOM and `;`; XLSX with openpyxl; PPTX with python-pptx; PDF by
its signature; PNG by its), holds what the page shows, and no cell of a CSV or XLSX is a formula
even where the data is hostile (`=HYPERLINK("http://x")`, `+SUM(1)`, `@SUM(1)`, `-1+1` as flags,
a file name, a user, event labels, cells of a rejected file); the page shows no exception after
the click and the server logged none.

This module changes its data (a hostile load before the server starts, then uploads and a commit
in the browser), so it serves a database of its own on a server of its own: the demo's with two
teams (`TEAMS`), so that a cohort's decks are quick to make.
"""

from __future__ import annotations

import ast
import csv
import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import small_cohort
from tests.browser.conftest import ROOT, AppServer, serve, wait_rendered
from vetopito import db, ingest
from vetopito.export import safe

pytestmark = pytest.mark.browser

HOSTILE = ('=HYPERLINK("http://x")', "+SUM(1)", "@SUM(1)", "-1+1")
HOSTILE_FILE = '=HYPERLINK("http://x").csv'
HOSTILE_USER = "+SUM(1)"
# flags on Keski-Suomi's T3 and sick leave for 11/2026 and 12/2026 (the demo data ends at 10/2026)
HOSTILE_LOAD = "indicator;unit;period;value;flag\n" + "".join(
    f'{indicator};HVA15;{period};{value};"{flag.replace(chr(34), chr(34) * 2)}"\n'
    for (indicator, period, value), flag in zip(
        (("t3_laakari", "2026-11", "12"), ("t3_laakari", "2026-12", "14"),
         ("sairauspoissaolot_pv_htv", "2026-11", "8,5"), ("sairauspoissaolot_pv_htv", "2026-12", "9,5")),
        HOSTILE, strict=True))
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# the teams of the served database: the 2024 cohort's deck is one team's (its pictures are the
# team page's, drawn once), not the whole demo cohort's ~75 pictures (250 s a test under load)
TEAMS = {"T2024-01": None, "T2025-01": None}


@pytest.fixture(scope="module")
def downloads_db(tmp_path_factory) -> Path:
    """The demo database with two teams (`TEAMS`, all their measures) and one hostile load: flags,
    file name and user."""
    path = small_cohort.build(tmp_path_factory.mktemp("browser_downloads"), TEAMS)
    con = db.connect(path)
    try:
        report = ingest.load(con, HOSTILE_LOAD.encode("utf-8"), file_name=HOSTILE_FILE, user=HOSTILE_USER)
        assert report.committed, [p.line() for p in report.errors]
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def app_server(downloads_db) -> Iterator[AppServer]:
    with serve(downloads_db) as server:
        yield server


@pytest.fixture(scope="module")
def warm_server(app_server) -> AppServer:
    return app_server


# --- what a download is ---------------------------------------------------------------------------

# generous waits, not timed assertions: a cohort's deck took 116 s on this shared machine under load,
# a table is made in well under a second; a download that fails never arrives, so keep that wait short
DECK_WAIT_MS = 900_000
TABLE_WAIT_MS = 180_000


def click_download(tab, key: str) -> tuple[str, bytes]:
    """Click the download button `key` as a user does; the file's suggested name and bytes. Then
    the page must have settled with no exception, and the server logged no failed download."""
    page = tab.page
    button = page.locator(f".st-key-{key} button")
    button.wait_for()
    deck = key.endswith(("pptx", "pdf"))
    try:
        with page.expect_download(timeout=DECK_WAIT_MS if deck else TABLE_WAIT_MS) as info:
            button.click()
        download = info.value
    except PlaywrightTimeout:
        pytest.fail(f"no file arrived from {key!r}; server log:\n{tab.server.log_tail()}")
    assert download.failure() is None, download.failure()
    data = Path(download.path()).read_bytes()
    wait_rendered(page, heading=False)
    tab.assert_clean()
    log = tab.server.log_tail(400)
    assert "Traceback" not in log and "Callable execution failed" not in log, log
    return download.suggested_filename, data


def csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_rows(data: bytes) -> list[list]:
    import openpyxl

    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()]


def assert_no_formula_cell(cells: list[list[str]]) -> None:
    for row in cells:
        for cell in row:
            assert not cell.startswith(safe.FORMULA_STARTS) or safe.PLAIN_NEGATIVE.fullmatch(cell), (cell, row)


def assert_xlsx_safe(rows: list[list]) -> None:
    """No formula cell; every text is a string cell and none would run as a formula."""
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.value
            if cell.data_type == "s":
                assert not str(cell.value).startswith(safe.FORMULA_STARTS), cell.value


def pptx_text(data: bytes) -> str:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) >= 1
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)


# --- every button of app.py's pages is clicked below ------------------------------------------------

CLICKED = {("region.py", "export_csv"), ("region.py", "export_xlsx"), ("region.py", "export_png"),
           ("compare.py", "export_csv"), ("compare.py", "export_xlsx"),
           ("team.py", "dl_pptx"), ("team.py", "dl_pdf"),
           ("cohort.py", "dl_cohort_pptx"), ("cohort.py", "dl_cohort_pdf"),
           ("upload.py", "upload_changes_csv"), ("upload.py", "upload_error_report"),
           ("admin.py", "w_admin_audit_csv"), ("catalog.py", "catalog_export"),
           # the programme report's three: clicked in test_browser_programme.py, on test programmes
           ("programme_views.py", "report_docx"), ("programme_views.py", "report_pdf"),
           ("programme_views.py", "report_csv")}


def test_every_download_button_of_the_pages_is_clicked_here():
    found = set()
    for path in sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "vetopito" / "ui").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                key = next((k.value.value for k in node.keywords if k.arg == "key"), None)
                found.add((path.name, key))
    assert found == CLICKED


def test_region_page_downloads(tab):
    tab.open("/?region=15&indicator=t3_laakari", charts=1)
    name, data = click_download(tab, "export_csv")
    assert name == "15_t3_laakari.csv"
    cells = csv_cells(data)
    # the page's language (Finnish), the unit's and the indicator's names beside their codes
    assert cells[0][:8] == ["indikaattori", "indikaattorin nimi", "yksikkö", "yksikön nimi", "ajanjakso", "arvo",
                            "osoittaja", "nimittäjä"]
    assert {(row[2], row[3]) for row in cells[1:]} == {("HVA15", "Keski-Suomen hyvinvointialue")}
    assert {row[4] for row in cells[1:]} >= {"2026-11", "2026-12"} and len(cells) > 20
    flags = [row[cells[0].index("merkintä")] for row in cells[1:]]
    assert {"'" + HOSTILE[0], "'" + HOSTILE[1]} <= set(flags), flags
    assert_no_formula_cell(cells)

    name, data = click_download(tab, "export_xlsx")
    assert name == "15_t3_laakari.xlsx"
    rows = xlsx_rows(data)
    assert [c.value for c in rows[0]] == cells[0]
    assert len(rows) == len(cells) and all(row[5].data_type == "n" for row in rows[1:])
    assert {"'" + HOSTILE[0], "'" + HOSTILE[1]} <= {row[cells[0].index("merkintä")].value for row in rows[1:]}
    assert_xlsx_safe(rows)

    name, data = click_download(tab, "export_png")
    assert name == "15_t3_laakari.png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    tab.screenshot("downloads_region")


def test_compare_page_downloads(tab):
    tab.open("/vertailu?indicator=sairauspoissaolot_pv_htv&period=2026-11", charts=1)
    name, data = click_download(tab, "export_csv")
    assert name == "sairauspoissaolot_pv_htv_2026-11.csv"
    cells = csv_cells(data)
    header = cells[0]
    mine = [row for row in cells[1:] if row[header.index("yksikkö")] == "HVA15"]
    assert mine and mine[0][header.index("arvo")] == "8,5"
    assert mine[0][header.index("yksikön nimi")] == "Keski-Suomen hyvinvointialue"
    assert mine[0][header.index("merkintä")] == "'" + HOSTILE[2]
    assert_no_formula_cell(cells)
    name, data = click_download(tab, "export_xlsx")
    assert name.endswith(".xlsx")
    rows = xlsx_rows(data)
    assert len(rows) == len(cells)
    assert [c.value for c in rows[0]] == header
    assert 8.5 in [row[header.index("arvo")].value for row in rows[1:]]
    assert all(row[header.index("arvo")].data_type == "n" for row in rows[1:])   # numbers stay numbers
    assert_xlsx_safe(rows)
    tab.screenshot("downloads_compare")


def test_team_page_downloads(tab):
    tab.open("/tiimi?team=T2024-01")
    name, data = click_download(tab, "dl_pptx")
    assert name == "T2024-01.pptx" and zipfile.is_zipfile(io.BytesIO(data))
    assert pptx_text(data).strip()
    name, data = click_download(tab, "dl_pdf")
    assert name == "T2024-01.pdf" and data.startswith(b"%PDF")


def test_cohort_page_downloads(tab):
    tab.open("/kohortti?cohort=2024")
    name, data = click_download(tab, "dl_cohort_pptx")
    assert name == "vetoa-ja-pitoa-2024.pptx" and "2024" in pptx_text(data)
    name, data = click_download(tab, "dl_cohort_pdf")
    assert name == "vetoa-ja-pitoa-2024.pdf" and data.startswith(b"%PDF")


def _events_file(tmp_path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "date", "kind", "label"])
    for day, label in enumerate(HOSTILE, start=1):
        writer.writerow(["HVA15", f"{day}.11.2026", "note", label])
    path = tmp_path / "tapahtumat.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "huono.csv"
    path.write_text("indicator;unit;period;value\n"
                    '"=HYPERLINK(""http://x"")";HVA15;2024;1\nt3_laakari;+SUM(1);2024;1\n'
                    "t3_laakari;HVA15;@SUM(1);1\nt3_laakari;HVA15;2024;-1+1\n", encoding="utf-8")
    return path


UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


def test_upload_page_downloads_after_a_commit(tab, tmp_path):
    """The changes CSV after a load has been committed in this session (it never downloaded: the
    history's undo choice had taken its variable), then the error report of a rejected file."""
    page = tab.open("/lataa")
    page.set_input_files(UPLOAD_INPUT, str(ROOT / "tests" / "fixtures" / "ingest" / "browser_upload_good.csv"))
    page.get_by_role("button", name="Tallenna muutokset").click()
    page.get_by_text("Tallennettu latauksena").wait_for()
    wait_rendered(page)

    page.set_input_files(UPLOAD_INPUT, str(_events_file(tmp_path)))
    page.locator(".st-key-upload_changes_csv").wait_for()
    wait_rendered(page)
    name, data = click_download(tab, "upload_changes_csv")
    assert name == "tapahtumat.csv.muutokset.csv"
    cells = csv_cells(data)
    assert cells[0] == ["rivi", "tila", "indikaattori", "yksikkö", "ajanjakso", "vanha", "uusi"]
    assert [row[-1] for row in cells[1:]] == ["'" + h for h in HOSTILE]
    assert {row[1] for row in cells[1:]} == {"uusi"}
    assert_no_formula_cell(cells)
    tab.screenshot("downloads_upload_changes")

    page.set_input_files(UPLOAD_INPUT, str(_bad_file(tmp_path)))
    page.locator(".st-key-upload_error_report").wait_for()
    wait_rendered(page)
    name, data = click_download(tab, "upload_error_report")
    assert name == "huono.csv.virheet.csv"
    cells = csv_cells(data)
    assert cells[0] == ["rivi", "sarake", "arvo", "ongelma"]
    assert {row[2] for row in cells[1:]} >= {"'" + h for h in HOSTILE}, cells
    assert_no_formula_cell(cells)
    tab.screenshot("downloads_upload_errors")


def test_admin_page_audit_download(tab):
    tab.open("/yllapito")
    name, data = click_download(tab, "w_admin_audit_csv")
    assert name == "vetovoima-loki.csv"
    cells = csv_cells(data)
    assert len(cells) > 2 and len(cells[0]) >= 4
    flat = {cell for row in cells[1:] for cell in row}
    assert "'" + HOSTILE_USER in flat, sorted(flat)[:40]
    assert_no_formula_cell(cells)
    tab.screenshot("downloads_admin")


def test_catalogue_page_download_loads_back_with_nothing_to_change(tab, demo_db_path, tmp_path):
    tab.open("/mittarit")
    name, data = click_download(tab, "catalog_export")
    assert name == "mittarit.csv"
    # the catalogue's own file format (as data/reference/indicators.csv): comma, UTF-8, no BOM
    cells = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert cells[0][:2] == ["id", "name_fi"]
    assert_no_formula_cell(cells)
    copy = tmp_path / "catalogue.duckdb"
    shutil.copy(demo_db_path, copy)
    con = db.connect(copy)
    try:
        report = ingest.check(con, data, file_name=name)
        assert report.errors == []
        assert report.counts["rows"] == len(cells) - 1 > 20
        assert report.counts["new"] == report.counts["changed"] == report.counts["rejected"] == 0
    finally:
        con.close()
    tab.screenshot("downloads_catalogue")
