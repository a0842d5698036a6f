"""Pickers in real Chromium: typing a region's common, Swedish or code name finds it; the Finnish UI
shows no English "No results", skip link or file-uploader text; a language switch relabels the
chosen values at once."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_rendered

pytestmark = pytest.mark.browser

REGION = ".st-key-w_region"


def _type(page, box: str, text: str) -> list[str]:
    """Type into a selectbox and return the options it offers."""
    field = page.locator(f"{box} input")
    field.click()
    field.fill(text)
    page.wait_for_function(
        "() => document.querySelector('[role=\"listbox\"] [role=\"option\"]') !== null")
    page.wait_for_timeout(300)
    options = page.locator('[role="listbox"] [role="option"]').all_inner_texts()
    return options


def _after_text(page, selector: str) -> str:
    return page.locator(selector).first.evaluate(
        "e => getComputedStyle(e, '::after').content + '|' + getComputedStyle(e).fontSize")


def test_typing_any_name_of_a_region_finds_it(tab):
    """Each name typed into the same page's picker (one page load, not one per name)."""
    page = tab.open("/?region=15", charts=1)
    for typed in ("Siun sote", "Norra Karelen", "HVA14", "972", "14"):
        options = _type(page, REGION, typed)
        assert options and options[0].startswith("Pohjois-Karjala (14)"), (typed, options)
        assert len(options) == 1, (typed, options)   # the other regions' many names do not match it
        if typed == "Siun sote":
            tab.screenshot("pickers_siun_sote")
        page.keyboard.press("Escape")
        assert "region=15" in page.url, typed        # nothing was chosen: the next name starts afresh
    tab.assert_clean()


def test_choosing_the_found_region_opens_it(tab):
    page = tab.open("/?region=15", charts=1)
    _type(page, REGION, "Siun sote")
    page.locator('[role="listbox"] [role="option"]').first.click()
    wait_rendered(page, charts=1)
    assert "region=14" in page.url
    assert page.locator(f"{REGION} input").input_value().startswith("Pohjois-Karjala (14) — Siun sote")


def test_a_search_that_finds_nothing_says_so_in_finnish(tab):
    page = tab.open("/?region=15", charts=1)
    field = page.locator(f"{REGION} input")
    field.click()
    field.fill("qqqzzz")
    empty = '[role="listbox"][data-empty="true"] [role="option"] > span'
    page.wait_for_selector(empty)
    content, size = _after_text(page, empty).split("|")
    assert content == '"Ei osumia"' and size == "0px", (content, size)
    assert page.locator(empty).bounding_box()["width"] > 0
    tab.screenshot("pickers_no_results_fi")
    assert field.get_attribute("placeholder") == "Valitse tai kirjoita hakusana"


def test_skip_link_and_file_uploader_read_finnish(tab):
    page = tab.open("/lataa")
    content, size = _after_text(page, 'a[data-testid="stSkipToContent"]').split("|")
    assert content == '"Siirry pääsisältöön"' and size == "0px"
    button = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] ' \
             '[data-testid="stMarkdownContainer"] p'
    assert _after_text(page, button).split("|") == ['"Valitse tiedosto"', "0px"]
    limit = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    assert _after_text(page, limit).split("|") == ['"CSV- tai tekstitiedosto, enintään 50 Mt"', "0px"]
    tab.screenshot("pickers_uploader_fi")
    tab.assert_clean()


def test_english_ui_keeps_streamlits_own_texts(tab):
    page = tab.open("/lataa?lang=en")
    assert _after_text(page, 'a[data-testid="stSkipToContent"]').split("|")[0] in ("none", "normal")


def test_language_switch_relabels_every_picker_at_once(tab):
    page = tab.open("/?region=14&indicator=t3_laakari", charts=1)
    assert page.locator(f"{REGION} input").input_value().startswith("Pohjois-Karjala (14)")
    language = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
    language.click()
    page.locator('[role="listbox"] [role="option"]', has_text="Svenska").click()
    page.wait_for_selector('[data-testid="stMain"] .st-key-w_region label:has-text("Välfärdsområde")')
    wait_rendered(page, charts=1)
    region, indicator = ".st-key-w_region input", ".st-key-w_indicator input"
    assert page.locator(region).input_value().startswith("Norra Karelen (14) — Siun sote")
    assert page.locator(indicator).input_value().startswith("T3 läkare — ")
    assert page.locator(".st-key-w_lang label").inner_text() == "Språk"
    tab.screenshot("pickers_after_switch_sv")
    tab.assert_clean()


def test_a_multiselect_that_finds_nothing_says_so_in_finnish(tab):
    from tests.browser.test_browser_pages import GOOD_UPLOAD

    page = tab.open("/lataa")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(GOOD_UPLOAD))
    page.get_by_role("button", name="Tallenna muutokset").wait_for()
    wait_rendered(page)
    field = page.locator(".st-key-upload_filter input")
    field.click()
    field.fill("qqqzzz")
    empty = '[role="listbox"][data-empty="true"] [role="option"] > span'
    page.wait_for_selector(empty)
    assert _after_text(page, empty).split("|") == ['"Ei osumia"', "0px"]
    tab.screenshot("pickers_multiselect_no_results_fi")
