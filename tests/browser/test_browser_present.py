"""Presentation mode on a projector (1920×1080) and the cohort board, in Chromium: one team's
whole story with no scrolling for every demo team, arrow keys and buttons step through the
cohort, a team page opens it at its team, and both pages work from the keyboard alone."""

from __future__ import annotations

import functools
import textwrap

import pytest

from vetopito import scoped
from vetopito.teams import charts as team_charts
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


def _step(tab, key: str, expected_title: str) -> None:
    tab.page.keyboard.press(key)
    tab.page.wait_for_function("([sel, want]) => document.querySelector(sel)?.innerText.trim() === want",
                               arg=[TITLE, expected_title])
    from tests.browser.conftest import wait_rendered
    wait_rendered(tab.page)


# The page's text sizes and widths at 1920 px (pages/present.py's CSS): font px of the title, the
# facts line, the caption, a measure's name and its summary; the share of the width of the title's
# column; the main area's width. A character is about half an em wide.
_FONT = {"title": 44, "facts": 22, "caption": 18, "name": 24, "summary": 22}
_TITLE_SHARE = 8 / (1.3 + 8 + 1.3)
_MAIN_PX = 1920 - 2 * 33
_LINE = 1.3


def _lines(text: str, font_px: int, width_px: float) -> int:
    """Lines `text` takes when wrapped at word boundaries into `width_px` (hard breaks kept)."""
    per_line = max(1, int(width_px / (font_px * 0.5)))
    return sum(max(1, len(textwrap.wrap(part, per_line))) for part in text.split("\n"))


def story_height(report, n_teams: int) -> float:
    """Estimated px of a team's story on a 1920 px wide projector, by the page's own pieces: title,
    facts (position, keys, aim), markers caption, and each row of small multiples (the tallest cell:
    name, chart, summary). Only the text varies between teams of one layout."""
    from vetopito import i18n

    t = functools.partial(i18n.t, lang="fi")
    columns, chart_px = team_charts.present_layout(len(report.measures))
    facts = t("present.page.position", i=n_teams, n=n_teams) + " · " + t("present.page.keys")
    if report.team["aim_text"]:
        facts += f"\n{t('team.page.aim')}: {report.team['aim_text']}"
    key = team_charts.team_event_key(report.measures, report.events, "fi")
    caption = t("team.chart.markers", key=key) + " · " + t("team.chart.ruleset") if key else t("team.chart.ruleset")
    height = (_lines(report.team["name"], _FONT["title"], _MAIN_PX * _TITLE_SHARE) * _FONT["title"] * 1.2
              + _lines(facts, _FONT["facts"], _MAIN_PX) * _FONT["facts"] * _LINE
              + _lines(caption, _FONT["caption"], _MAIN_PX) * _FONT["caption"] * _LINE)
    cell_px = _MAIN_PX / columns
    for start in range(0, len(report.measures), columns):
        height += max(_lines(m.name, _FONT["name"], cell_px) * _FONT["name"] * _LINE + chart_px
                      + _lines(m.text, _FONT["summary"], cell_px) * _FONT["summary"] * _LINE
                      for m in report.measures[start:start + columns])
    return height


def _check_fit(projector, team_id: str, name: str, n_charts: int) -> None:
    page = projector.page
    assert page.inner_text(TITLE).strip() == name
    assert f"team={team_id}" in page.url
    fit = page.evaluate(FIT)
    assert fit["charts"] == n_charts, (team_id, fit)
    assert fit["main"] <= 0 and fit["app"] <= 0 and fit["page"] <= 0, (team_id, fit)
    assert fit["lowest"] <= fit["height"], (team_id, fit)     # every chart and summary on screen


def test_presentation_fits_a_projector_for_every_demo_team(projector, demo_con):
    """Every demo team's whole story fits 1920×1080 with no scrolling, proven without a browser
    step per team (58 steps took 520–690 s under load; a page load costs about three steps): a
    story's height is its layout's charts (`present_layout`: columns and chart height by the number
    of measures) plus its text (title, aim, markers, names and summaries), so for each layout that
    a demo team has, the team with the most text by `story_height` (the page's own pieces, fonts
    and widths) is opened in Chromium and measured, and every other team is shown, by the same
    estimate, to have no more text than the one measured of its layout. The steps (arrow keys back
    and forth, the last team wrapping to the first) are driven in both cohorts, each team they
    reach measured as well."""
    scope_query = scoped.runner(demo_con)
    names = _names(demo_con)
    reports = {team_id: progress.team_report(scope_query, team_id, "fi") for team_id in names}
    cohort_size = {year: sum(1 for _, y in names.values() if y == year) for _, year in names.values()}
    layouts = {team_id: team_charts.present_layout(len(r.measures)) for team_id, r in reports.items()}
    heights = {team_id: story_height(r, cohort_size[names[team_id][1]]) for team_id, r in reports.items()}
    measured: list[str] = []
    for layout in sorted(set(layouts.values())):
        measured.append(min((t for t in layouts if layouts[t] == layout), key=lambda t: (-heights[t], t)))
    for team_id, report in reports.items():        # the pure part: every team, by its computed layout
        columns, _ = layouts[team_id]
        assert 1 <= len(report.measures) <= columns * 2, (team_id, layouts[team_id])   # at most two rows
        worst = max(heights[t] for t in measured if layouts[t] == layouts[team_id])
        assert heights[team_id] <= worst, (team_id, heights[team_id], worst)
    assert len(set(layouts.values())) >= 3 and len(measured) < len(names) / 5

    for team_id in measured:                        # the browser part: the tallest of each layout
        projector.open(f"/esitys?team={team_id}")
        _check_fit(projector, team_id, names[team_id][0], len(reports[team_id].measures))
        projector.screenshot(f"present_1920_{team_id}")
    for cohort in (2024, 2025):
        ids = sorted(t for t, (_, year) in names.items() if year == cohort)
        projector.open(f"/esitys?team={ids[-1]}")
        _check_fit(projector, ids[-1], names[ids[-1]][0], len(reports[ids[-1]].measures))
        for key, team_id in (("ArrowLeft", ids[-2]), ("ArrowRight", ids[-1]),   # back and forth
                             ("ArrowRight", ids[0])):                           # the last one wraps to the first
            _step(projector, key, names[team_id][0])
            _check_fit(projector, team_id, names[team_id][0], len(reports[team_id].measures))
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
