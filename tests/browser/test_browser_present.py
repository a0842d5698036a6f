"""Presentation mode on a projector (1920×1080) and the cohort board, in Chromium: one team's
whole story with no scrolling for every demo team, arrow keys and buttons step through the
cohort, a team page opens it at its team, and both pages work from the keyboard alone."""

from __future__ import annotations

import pytest

from vetopito import scoped
from vetopito.teams import cohorts, progress

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
TITLE = '[data-testid="stMain"] h1'
# how far the main area (the element that scrolls in Streamlit) could scroll, and the lowest
# bottom edge of a chart or a summary paragraph
FIT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const app = document.querySelector('[data-testid="stAppViewContainer"]');
  const bottoms = [...document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stMarkdownContainer"]')]
    .map(el => el.getBoundingClientRect().bottom);
  return {main: main.scrollHeight - main.clientHeight, app: app.scrollHeight - app.clientHeight,
          page: document.scrollingElement.scrollHeight - document.scrollingElement.clientHeight,
          lowest: Math.max(...bottoms), height: window.innerHeight,
          charts: document.querySelectorAll('[data-testid="stVegaLiteChart"]').length};
}"""


@pytest.fixture
def projector(tab):
    tab.page.set_viewport_size(PROJECTOR)
    return tab


def _names(demo_con) -> dict[str, tuple[str, int]]:
    query = scoped.runner(demo_con)
    listing = progress.team_list(query, "fi")
    return {r["team_id"]: (r["name"], r["cohort_year"]) for r in listing.iter_rows(named=True)}


def _measures(demo_con, team_id: str) -> int:
    return len(progress.team_report(scoped.runner(demo_con), team_id, "fi").measures)


def _step(tab, key: str, expected_title: str) -> None:
    tab.page.keyboard.press(key)
    tab.page.wait_for_function("([sel, want]) => document.querySelector(sel)?.innerText.trim() === want",
                               arg=[TITLE, expected_title])
    from tests.browser.conftest import wait_rendered
    wait_rendered(tab.page)


def test_presentation_fits_a_projector_for_every_demo_team(projector, demo_con):
    names = _names(demo_con)
    shots = {"T2024-01", "T2024-06", "T2025-05", "T2025-21"}
    for cohort in (2024, 2025):
        ids = sorted(t for t, (_, year) in names.items() if year == cohort)
        page = projector.open(f"/esitys?team={ids[0]}")
        for i, team_id in enumerate(ids):
            if i:
                _step(projector, "ArrowRight", names[team_id][0])
            assert page.inner_text(TITLE).strip() == names[team_id][0]
            assert f"team={team_id}" in page.url
            fit = page.evaluate(FIT)
            assert fit["charts"] == _measures(demo_con, team_id), (team_id, fit)
            assert fit["main"] <= 0 and fit["app"] <= 0 and fit["page"] <= 0, (team_id, fit)
            assert fit["lowest"] <= fit["height"], (team_id, fit)     # every chart and summary on screen
            if team_id in shots:
                projector.screenshot(f"present_1920_{team_id}")
        _step(projector, "ArrowLeft", names[ids[-2]][0])               # and back
        _step(projector, "ArrowRight", names[ids[-1]][0])
        _step(projector, "ArrowRight", names[ids[0]][0])               # the last one wraps to the first
    projector.assert_clean()


def test_presentation_opens_at_the_team_of_its_team_page(projector, demo_con):
    names = _names(demo_con)
    page = projector.open("/tiimi?team=T2024-10")
    page.get_by_role("link", name="Näytä esitystilassa").click()
    page.wait_for_url("**/esitys?**")
    page.wait_for_function("([sel, want]) => document.querySelector(sel)?.innerText.trim() === want",
                           arg=[TITLE, names["T2024-10"][0]])
    from tests.browser.conftest import wait_rendered
    wait_rendered(page)
    assert "team=T2024-10" in page.url
    assert page.evaluate(FIT)["main"] <= 0
    projector.screenshot("present_from_team_page")
    projector.assert_clean()


FOCUSED = """() => { const e = document.activeElement; return {tag: e.tagName, text: (e.innerText || '').trim(),
  outline: getComputedStyle(e).outlineStyle, width: parseFloat(getComputedStyle(e).outlineWidth) || 0,
  grid: !!e.closest('[data-testid="stDataFrame"]')}; }"""


def _tab_until(page, wanted, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the element; last focus {focused}")


def test_presentation_from_the_keyboard_alone(projector, demo_con):
    names = _names(demo_con)
    page = projector.open("/esitys?team=T2024-02")
    previous = _tab_until(page, lambda f: f["tag"] == "BUTTON" and "Edellinen" in f["text"])
    assert previous["outline"] != "none" and previous["width"] >= 2, previous          # focus is visible
    following = _tab_until(page, lambda f: f["tag"] == "BUTTON", limit=3)              # the next stop
    assert "Seuraava" in following["text"], following
    projector.screenshot("present_keyboard_focus")
    page.keyboard.press("Enter")
    page.wait_for_function("([sel, want]) => document.querySelector(sel)?.innerText.trim() === want",
                           arg=[TITLE, names["T2024-03"][0]])
    _step(projector, "ArrowLeft", names["T2024-02"][0])
    _step(projector, "ArrowRight", names["T2024-03"][0])
    projector.assert_clean()


def test_cohort_board_opens_a_team_from_the_keyboard(tab, demo_con):
    names = _names(demo_con)
    page = tab.open("/kohortti?cohort=2024&sort=name")
    totals = page.locator('.st-key-board_totals table')
    assert totals.is_visible() and "Kaikki tiimit" in totals.inner_text()
    box = totals.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]        # totals seen without scrolling
    tab.screenshot("cohort_board_totals")
    _tab_until(page, lambda f: f["grid"] and f["tag"] == "CANVAS")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")                                        # the third row
    # the grid has moved its cell there (it then focuses that cell of its accessible table, where
    # Enter must work as on the canvas: a user presses it after seeing the cell move)
    page.wait_for_function("() => [...document.querySelectorAll('.st-key-board td[aria-selected=\"true\"]')]"
                           ".some(td => /^glide-cell-\\d+-2$/.test(td.id))")
    tab.screenshot("cohort_board_keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tiimi?**")
    from tests.browser.conftest import wait_rendered
    wait_rendered(page)
    opened = page.url.split("team=")[1].split("&")[0]
    board = cohorts.filter_board(cohorts.cohort_board(scoped.runner(demo_con), 2024, "fi"), sort="name")
    assert names[opened][0] == board["team"][2]                            # the team of the third row
    heading = page.locator('[data-testid="stMain"] h3').first.inner_text().strip()
    assert heading == names[opened][0]
    tab.assert_clean()
