"""The programme page in real Chromium, on a copy of the demo database with the test programmes
(`tests/programme_data.py`; the local demo mode reads every programme): the board opens a cell to
its round's entry by click and by keyboard, shows the entry on hover, opens a sub-project with its
charts, downloads the follow-up report in all three formats, passes axe-core; and where the
programme manager's entry form is there, a round's entry written and a milestone ticked change the
board. Screenshots in tests/artifacts/screenshots/programme_*.png."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import programme_data as data
from tests.browser.conftest import AppServer, serve, wait_rendered
from tests.browser.test_browser_axe import apps_own, axe_violations
from tests.browser.test_browser_downloads import click_download, csv_cells
from vetopito import db

pytestmark = pytest.mark.browser
BOARD = "/ohjelma?ohjelma=" + data.PROGRAMME


@pytest.fixture(scope="module")
def programme_db(demo_db_path, session_stores) -> Path:
    path = session_stores.copy(demo_db_path, "browser_programme")
    con = db.connect(path)
    try:
        data.add_programmes(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def app_server(programme_db) -> Iterator[AppServer]:
    with serve(programme_db) as server:
        yield server


@pytest.fixture(scope="module")
def warm_server(app_server) -> AppServer:
    return app_server


def test_board_cell_opens_its_round_entry_on_click_and_from_the_keyboard(tab):
    page = tab.open(BOARD)
    board = page.locator(".vv-board")
    board.wait_for()
    tab.screenshot("programme_board")
    wrap = page.locator(".vv-board-wrap")   # four rounds and today fit the page without a scroll bar
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), wrap.evaluate("e => [e.scrollWidth, e.clientWidth]")
    row = board.locator("tbody tr", has_text="Hoitoonpääsyn parantaminen")
    first = row.locator("td").first
    summary = first.locator("summary")
    assert summary.get_attribute("title").startswith("Ajanvaraus uudistettu.")     # the entry on hover
    assert not first.locator(".vv-entry").is_visible()
    summary.click()
    entry = first.locator(".vv-entry")
    entry.wait_for(state="visible")
    assert "Hoitoonpääsy 7 vrk:ssa 59 % → 70 %." in entry.inner_text()
    assert "# ei otsikko" in entry.inner_text()                                   # a line, not a heading
    hostile = board.locator("tr.vv-goal", has_text="Osaaminen").inner_text()
    assert "**lihava** :red[punainen] <b>x</b>" in hostile                        # data shows as typed
    second = row.locator("td").nth(1).locator("summary")
    second.focus()
    page.keyboard.press("Enter")
    row.locator("td").nth(1).locator(".vv-entry").wait_for(state="visible")
    tab.screenshot("programme_board_open")
    tab.assert_clean()


def test_subproject_view_from_the_region_tile_and_the_board(tab):
    page = tab.open("/?region=14&indicator=t3_laakari", charts=1)
    link = page.locator('li.vv-tile[data-indicator="t3_laakari"] a[href*="ohjelma=TESTI&osahanke=1.1"]').first
    assert link.get_attribute("href").startswith("ohjelma?ohjelma=TESTI&osahanke=1.1")
    page.goto(tab.server.url + "/" + link.get_attribute("href"), wait_until="domcontentloaded")
    wait_rendered(page, charts=1)
    assert "Osahanke 1.1 Hoitoonpääsyn parantaminen" in page.locator('[data-testid="stHeading"]').all_inner_texts()
    tab.screenshot("programme_subproject")
    tab.open(BOARD + "&osahanke=1.2", charts=1)
    tab.screenshot("programme_milestones")
    tab.assert_clean()


def test_report_downloads_in_three_formats(tab):
    import docx

    tab.open(BOARD + "&kierros=2022-09-30")
    name, raw = click_download(tab, "report_docx")
    assert name == "TESTI_2022-09-30.docx"
    document = docx.Document(io.BytesIO(raw))
    assert any(p.style.name == "Heading 2" and p.text.startswith("Osahanke 1.1") for p in document.paragraphs)
    assert len(document.inline_shapes) == 2
    name, raw = click_download(tab, "report_pdf")
    assert name.endswith(".pdf") and raw.startswith(b"%PDF")
    name, raw = click_download(tab, "report_csv")
    cells = csv_cells(raw)
    assert cells[0][0] == "ohjelma" and any(row[4] == "T3 lääkäri" for row in cells[1:])


@pytest.mark.parametrize("path", [BOARD, BOARD + "&osahanke=1.1", BOARD + "&osahanke=1.2"])
def test_axe_finds_no_violation_on_the_programme_page(tab, path):
    page = tab.open(path)
    page.locator(".vv-board summary").first.click() if "osahanke" not in path else None
    found = apps_own(page, axe_violations(page))
    assert found == [], f"{path}: {len(found)} WCAG 2.1 AA violations\n" + "\n".join(found)



def test_entry_written_and_milestone_ticked_change_the_board_and_the_report(tab):
    """Last in this module: it changes the data of the module's server."""
    page = tab.open(BOARD + "&osahanke=1.2", charts=1)
    last = data.ROUNDS[-1].isoformat()
    text = page.locator(f".st-key-prog_entry_text_{last} textarea")
    text.fill("Kanavat käytössä kaikilla asemilla.\nPalaute kerätty.")
    page.locator(".st-key-prog_entry_done_kanavat label").first.click()
    tab.screenshot("programme_entry_form")
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.locator('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentError"]').first.wait_for()
    wait_rendered(page, charts=1)
    tab.screenshot("programme_entry_saved")
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, page.inner_text('[data-testid="stMain"]')
    assert "Kanavat käytössä kaikilla asemilla." in page.inner_text('[data-testid="stMain"]')
    page = tab.open(BOARD)
    row = page.locator(".vv-board tbody tr", has_text="Yhteydenottokanavat")
    cells = row.locator("td")
    assert "Tavoitteessa" in cells.last.inner_text()                                   # today: both done
    assert cells.nth(3).locator("summary").get_attribute("title").startswith("Kanavat käytössä")
    tab.screenshot("programme_board_after_entry")
    page.locator(".st-key-w_kierros").click()
    page.get_by_role("option", name="15.12.2023 (4. raportti)").click()
    wait_rendered(page)
    name, raw = click_download(tab, "report_csv")
    assert name == f"TESTI_{last}.csv"
    assert any("Kanavat käytössä kaikilla asemilla." in cell for row in csv_cells(raw) for cell in row)
    tab.assert_clean()
