"""In Chromium: a team measure added with the team page's form (issue 11 item 2) shows on the team
page, in presentation mode and in the team's slides at once (a server of its own on its own copy of
the demo database: the test changes data). The browser runs the local demo mode, whose user holds
every right; the form's rights per role (the team's coach, its analysts, nobody else) are tested by
AppTest in tests/test_team_measure_form.py, since a browser cannot sign in without a provider."""

from __future__ import annotations

import io
import re
import shutil

import pptx
import pytest

from tests.browser.conftest import RENDER_TIMEOUT_MS, VIEWPORT, serve, wait_rendered

pytestmark = pytest.mark.browser

TEAM = "T2024-17"
NAME = "Työparityöskentely sujuu <b>hyvin</b>, % vastaajista"


@pytest.fixture(scope="module")
def measure_server(demo_db_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("browser_team_measure") / "vetovoima.duckdb"
    shutil.copy(demo_db_path, path)
    with serve(path) as server:
        yield server


def _main(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_team_measure_added_on_the_team_page_shows_there_in_presentation_and_in_the_slides(
        chromium, measure_server):
    from tests.browser.conftest import SCREENSHOTS

    context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki",
                                   accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(measure_server.url + f"/tiimi?team={TEAM}", wait_until="domcontentloaded")
        wait_rendered(page)
        page.get_by_text("Lisää tiimin oma mittari").click()
        page.get_by_label("Nimi suomeksi (pakollinen)").fill(NAME)
        wait_rendered(page)   # a rerun still under way (the presentation prefetch, URL state) would drop the click
        page.get_by_role("button", name="Tarkista", exact=True).click()
        save = page.get_by_role("button", name="Tallenna mittari")
        try:
            save.wait_for()
        except Exception:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "team_measure_no_plan.png"), full_page=True)
            raise
        wait_rendered(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "team_measure_plan.png"), full_page=True)
        save.click()
        page.get_by_text(re.compile(r"Tiimin mittari tallennettu \(lataus \d+\)\.")).wait_for()
        wait_rendered(page)
        page.screenshot(path=str(SCREENSHOTS / "team_measure_team_page.png"), full_page=True)
        assert NAME in _main(page)
        assert page.locator('[data-testid="stMain"] b:text("hyvin")').count() == 0   # text, not markup
        assert page.locator('[data-testid="stException"]').count() == 0

        with page.expect_download() as caught:
            page.get_by_role("button", name="Lataa diat (PPTX)").click()
        deck = pptx.Presentation(io.BytesIO(caught.value.path().read_bytes()))
        text = "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
        assert NAME in text

        page.goto(measure_server.url + f"/esitys?team={TEAM}", wait_until="domcontentloaded")
        wait_rendered(page)
        seen = _main(page)
        for _ in range(8):   # presentation mode shows a measure at a time: step until it comes
            if NAME in seen:
                break
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(500)
            wait_rendered(page)
            seen = _main(page)
        page.screenshot(path=str(SCREENSHOTS / "team_measure_present.png"), full_page=True)
        assert NAME in seen, seen[:2000]
        assert page.locator('[data-testid="stException"]').count() == 0
        assert errors == []
    finally:
        context.close()
