"""Browser: a Sotkanet export's yearly values, loaded through the upload page with the indicator
given under Lisävalinnat, show on the region page through its grain choice; the load is then
undone through the confirmation dialog, so the shared server's database is as it was."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ROOT, wait_rendered

pytestmark = pytest.mark.browser

YEARLY = ROOT / "tests" / "fixtures" / "ingest" / "sotkanet_yearly_one_indicator.csv"
VIEW = "/?region=05&indicator=hoitoonpaasy_pth_laakari_7vrk"


def _save(tab, page, confirm) -> str:
    """Click the upload page's save, wait for its message and return the new load's id."""
    confirm.click()
    done = page.get_by_text(re.compile(r"Tallennettu latauksena \d+\."))
    done.wait_for()
    load_id = re.search(r"latauksena (\d+)\.", done.inner_text()).group(1)
    wait_rendered(page)
    tab.assert_clean()
    return load_id


def test_yearly_values_show_on_the_region_page_through_the_grain_choice(tab):
    page = tab.open("/lataa")
    page.get_by_text("Lisävalinnat").first.click()
    field = page.get_by_role("textbox", name="Indikaattori")
    field.fill("hoitoonpaasy_pth_laakari_7vrk")
    field.press("Enter")
    wait_rendered(page)
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(YEARLY))
    confirm = page.get_by_role("button", name="Tallenna muutokset")
    confirm.wait_for()
    wait_rendered(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Lisävalintojen indikaattorin mukaan" in main and "--indicator" not in main, main[:2000]
    load_id = _save(tab, page, confirm)

    try:
        page = tab.open(VIEW, charts=1)
        grain = page.locator('[data-testid="stSelectbox"]', has_text="Aikataso")
        shown = grain.evaluate("el => [...el.querySelectorAll('input')].map(i => i.value).join(' ') + el.textContent")
        assert "Kuukausi" in shown, shown  # the tile's own grain first
        grain.click()
        page.get_by_role("option", name="Vuosi").click()
        wait_rendered(page, charts=1)
        assert "grain=year" in page.url
        tab.screenshot("region_grain_year")
        tab.assert_clean()
    finally:
        page = tab.open("/lataa")
        page.get_by_role("button", name="Peru lataus").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text(f"Lataus {load_id} ({YEARLY.name}", exact=False).wait_for()  # drawn after its title
        dialog.get_by_role("button", name="Kyllä, peru lataus").click()
        page.get_by_text(f"Lataus {load_id} ({YEARLY.name}) peruttu").wait_for()


def test_a_weekly_cube_export_shows_on_the_region_page_at_its_own_grain(tab, tmp_path):
    # THL's cube shape (`Hyvinvointialue;Viikko;Mittari;val`), the measure by the catalogue's own
    # name, weeks after the demo's last month: the week is the tile's grain, the months the other
    weekly = tmp_path / "thl_kuutio_viikot.csv"
    weekly.write_text("Hyvinvointialue;Viikko;Mittari;val\n" + "".join(
        f"Varsinais-Suomen hyvinvointialue;Vuosi 2026 Viikko {w:02d};Hoitoonpääsy: lääkäri 7 vrk;{60 + w % 5}.5\n"
        for w in range(41, 53)), encoding="utf-8")
    page = tab.open("/lataa")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(weekly))
    confirm = page.get_by_role("button", name="Tallenna muutokset")
    try:
        confirm.wait_for()
    except Exception:
        tab.screenshot("region_grain_week_upload")  # what the page showed instead
        raise
    wait_rendered(page)
    load_id = _save(tab, page, confirm)

    try:
        page = tab.open(VIEW, charts=1)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert re.search(r"62,5\s*%\s*vk 52/2026", main), main[:3000]  # the tile: the latest week
        grain = page.locator('[data-testid="stSelectbox"]', has_text="Aikataso")
        shown = grain.evaluate("el => [...el.querySelectorAll('input')].map(i => i.value).join(' ') + el.textContent")
        assert "Viikko" in shown, shown  # the tile's own grain first
        tab.screenshot("region_grain_week")
        grain.click()
        page.get_by_role("option", name="Kuukausi").click()
        wait_rendered(page, charts=1)
        assert "grain=month" in page.url
        tab.assert_clean()
    finally:
        page = tab.open("/lataa")
        page.get_by_role("button", name="Peru lataus").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text(f"Lataus {load_id} ({weekly.name}", exact=False).wait_for()
        dialog.get_by_role("button", name="Kyllä, peru lataus").click()
        page.get_by_text(f"Lataus {load_id} ({weekly.name}) peruttu").wait_for()
