"""Mapping an unknown indicator label in real Chromium (issue 11 item 3): a THL-cube-style export
names its measure by THL's label; the analyst picks the indicator in the upload page's select,
checks again, commits, and sees the new values on the region page. A server of its own, on its
own copy of the demo database (the load changes data)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.browser.conftest import VIEWPORT, AppServer, Tab, record_outside, serve, wait_rendered

pytestmark = pytest.mark.browser

LABEL = "Toteutuneet käynnit 0-7 vrk, %"
ACCESS = "hoitoonpaasy_pth_laakari_7vrk"
CUBE = ("Hyvinvointialue;Kuukausi;Mittari;val\n"
        f"Päijät-Hämeen hyvinvointialue;2026 Lokakuu;{LABEL};81.4\n"
        f"Kaikki alueet;2026 Lokakuu;{LABEL};77.0\n")
REGION_VIEW = f"/?region=09&indicator={ACCESS}"


@pytest.fixture(scope="module")
def alias_server(demo_db_path, session_stores) -> Iterator[AppServer]:
    path = session_stores.copy(demo_db_path, "browser_aliases")
    with serve(path) as server:
        yield server


@pytest.fixture
def alias_tab(chromium, alias_server) -> Iterator[Tab]:
    context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
    page = context.new_page()
    page.set_default_timeout(60_000)
    recorder = Tab(page=page, server=alias_server)
    page.on("pageerror", lambda e: recorder.page_errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and recorder.console_errors.append(m.text))

    record_outside(context, recorder.blocked)
    yield recorder
    context.close()


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_an_unknown_label_mapped_in_chromium_shows_on_the_region_page(alias_tab, tmp_path):
    cube = tmp_path / "thl_kuutio_lokakuu.csv"
    cube.write_text(CUBE, encoding="utf-8")
    page = alias_tab.open("/lataa")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(cube))
    select = page.locator('[data-testid="stSelectbox"]', has_text=LABEL)
    select.wait_for()
    wait_rendered(page)
    main = _main_text(page)
    assert "Tuntemattomat indikaattorinimet" in main and f'"{LABEL}" (2 riviä, sarake "Mittari")' in main, main[:2000]
    assert page.get_by_role("button", name="Tallenna muutokset").count() == 0
    alias_tab.screenshot("aliases_unknown_label")

    select.click()
    page.keyboard.type(ACCESS)
    page.get_by_role("option", name=re.compile(re.escape(f"({ACCESS})"))).click()
    wait_rendered(page)
    page.get_by_role("button", name="Käytä valintoja ja tarkista uudelleen").click()
    confirm = page.get_by_role("button", name="Tallenna muutokset")
    confirm.wait_for()
    wait_rendered(page)
    main = _main_text(page)
    assert f'Latauksen mukana tallentuu uusi indikaattorinimi: "{LABEL}" → {ACCESS}' in main, main[:2000]
    assert '1 yhteensä-rivi ("Kaikki alueet") luettiin koko maan lukuna' in main, main[:2000]
    alias_tab.screenshot("aliases_mapped_plan")
    confirm.click()
    page.get_by_text(re.compile(r"Tallennettu latauksena \d+\.")).wait_for()
    wait_rendered(page)

    page = alias_tab.open(REGION_VIEW, charts=1)
    alias_tab.screenshot("aliases_region_page")
    main = _main_text(page)
    assert re.search(r"81,4\s*%\s*10/2026", main), main[:3000]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert alias_tab.page_errors == [] and alias_tab.blocked == []


NEW_LABEL = "Etäasioinnin osuus käynneistä, %"
NEW_ID = "etaasioinnin_osuus_kaynneista"
REMOTE = ("Hyvinvointialue;Kuukausi;Mittari;val\n"
          f"Päijät-Hämeen hyvinvointialue;2026 Lokakuu;{NEW_LABEL};31.6\n")


def test_a_new_indicator_from_an_unknown_label_and_back_to_the_waiting_upload(alias_tab, tmp_path):
    """The upload page's link opens the catalogue form with the label as its Finnish name and an
    ASCII id made of it; after the save the way back leads to the same file, the label mapped."""
    remote = tmp_path / "thl_etaasiointi.csv"
    remote.write_text(REMOTE, encoding="utf-8")
    page = alias_tab.open("/lataa")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(remote))
    page.locator('[data-testid="stSelectbox"]', has_text=NEW_LABEL).wait_for()
    wait_rendered(page)
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Mittarit", exact=True).click()
    name = page.get_by_label("Nimi suomeksi (pakollinen)")
    name.wait_for()
    wait_rendered(page)
    assert "new_indicator=" in page.url
    assert name.input_value() == NEW_LABEL
    assert page.get_by_label("Tunnus (a–z, 0–9, _)").input_value() == NEW_ID
    main = _main_text(page)
    assert f'Tiedosto "{remote.name}" odottaa' in main, main[:2000]
    name.scroll_into_view_if_needed()
    alias_tab.screenshot("catalogue_form_prefilled")

    page.get_by_label("Lähde (pakollinen)").fill("THL, hoitoonpääsy perusterveydenhuollossa")
    page.get_by_role("button", name="Tarkista", exact=True).click()
    save = page.get_by_role("button", name="Tallenna mittari")
    save.wait_for()
    wait_rendered(page)
    save.click()
    page.get_by_text(re.compile(r"Mittari tallennettu \(lataus \d+\)\.")).wait_for()
    wait_rendered(page)
    assert f"yhdistetään mittariin {NEW_ID}" in _main_text(page)
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Palaa lataukseen").first.click()

    confirm = page.get_by_role("button", name="Tallenna muutokset")
    confirm.wait_for()
    wait_rendered(page)
    main = _main_text(page)
    assert f'Jatketaan tiedostolla "{remote.name}"' in main, main[:2000]
    assert "Tuntemattomat indikaattorinimet" not in main, main[:2000]  # nothing to choose again
    alias_tab.screenshot("aliases_new_indicator_back")
    confirm.click()
    page.get_by_text(re.compile(r"Tallennettu latauksena \d+\.")).wait_for()
    wait_rendered(page)

    page = alias_tab.open(f"/?region=09&indicator={NEW_ID}", charts=1)
    main = _main_text(page)
    assert re.search(r"31,6\s*%\s*10/2026", main), main[:3000]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert alias_tab.page_errors == [] and alias_tab.blocked == []
