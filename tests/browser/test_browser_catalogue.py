"""In Chromium: an analyst adds an indicator with the catalogue page's form, loads one value for it
on the upload page, and sees it on the region page at once (a server of its own on its own copy of
the demo database: the test changes data)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import RENDER_TIMEOUT_MS, VIEWPORT, serve, wait_rendered

pytestmark = pytest.mark.browser

INDICATOR = "chat_yhteydenotot_pct"
NAME = "Chat-yhteydenotoista ratkaistu <b>heti</b> %"


@pytest.fixture(scope="module")
def catalogue_server(demo_db_path, session_stores):
    path = session_stores.copy(demo_db_path, "browser_catalogue")
    with serve(path) as server:
        yield server


def _main(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_an_indicator_added_in_the_form_gets_a_value_and_shows_on_the_region_page(chromium, catalogue_server,
                                                                                tmp_path):
    from tests.browser.conftest import SCREENSHOTS

    context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(catalogue_server.url + "/mittarit", wait_until="domcontentloaded")
        wait_rendered(page)
        page.get_by_label("Tunnus (a–z, 0–9, _)").fill(INDICATOR)
        page.get_by_label("Nimi suomeksi (pakollinen)").fill(NAME)
        page.get_by_label("Lähde (pakollinen)").fill("Alueen asiointipalvelu")
        page.get_by_label("Desimaalit (0–3)").fill("1")
        page.get_by_role("button", name="Tarkista", exact=True).click()
        save = page.get_by_role("button", name="Tallenna mittari")
        save.wait_for()
        wait_rendered(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "catalogue_form_plan.png"), full_page=True)
        save.click()
        page.get_by_text(re.compile(r"Mittari tallennettu \(lataus \d+\)\.")).wait_for()
        wait_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        # the name from the form is text: no <b> element came of it
        assert page.locator('[data-testid="stMain"] b:text("heti")').count() == 0

        value = tmp_path / "chat.csv"
        value.write_text(f"indikaattori;alue;ajanjakso;arvo\n{INDICATOR};Pohjois-Karjala;12/2026;63,4\n",
                         encoding="utf-8")
        page.goto(catalogue_server.url + "/lataa", wait_until="domcontentloaded")
        wait_rendered(page)
        page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(value))
        confirm = page.get_by_role("button", name="Tallenna muutokset")
        confirm.wait_for()
        confirm.click()
        page.get_by_text(re.compile(r"Tallennettu latauksena \d+\.")).wait_for()
        wait_rendered(page)

        page.goto(catalogue_server.url + f"/?region=14&indicator={INDICATOR}", wait_until="domcontentloaded")
        wait_rendered(page, charts=1)
        page.screenshot(path=str(SCREENSHOTS / "catalogue_new_indicator_region.png"), full_page=True)
        main = _main(page)
        assert NAME in main, main[:3000]
        assert re.search(r"63,4\s*%\s*12/2026", main), main[:3000]
        assert page.locator('[data-testid="stException"]').count() == 0
        assert errors == []
    finally:
        context.close()
