"""Every page in real headless Chromium: it renders, shows no exception, fetches nothing from the
internet, and leaves a screenshot in tests/artifacts/screenshots/ (git-ignored).

All browser tests live in this one file so that `pytest -n 2 --dist loadfile` keeps them on one
worker, which then starts one server.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ROOT, SCREENSHOTS, wait_rendered
from vetopito.ui import static

pytestmark = pytest.mark.browser

# url path → screenshot name; the url paths are the ones app.py gives st.Page
PAGES = {
    "alue": "region",
    "vertailu": "compare",
    "yksikot": "units",
    "tiimi": "team",
    "kohortti": "cohort",
    "esitys": "present",
    "lataa": "upload",
    "mittarit": "catalog",
    "yllapito": "admin",
    "ohjelma": "programme",
}
# the default page is served at the root URL; `/alue` is a hidden page that leads there
DEFAULT_PAGE = "alue"
FINNISH_DECIMAL = re.compile(r"\d,\d")


def test_every_page_of_app_py_is_covered():
    paths = set(static.page_paths(ROOT / "app.py")) - {"tilanne"}   # the default page's own
    assert paths == set(PAGES)


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders(tab, path):
    page = tab.open("/" if path == DEFAULT_PAGE else f"/{path}", heading=False)
    tab.screenshot(PAGES[path])
    tab.assert_clean()
    # the frontend knows the app's base (vetopito.ui.static): no probe of the page's own path first
    assert not [r for r in tab.requests if "/_stcore/" in r and f"/{path}/_stcore/" in r], tab.requests
    assert page.locator('[data-testid="stMain"] [data-testid="stHeading"]').count() >= 1, \
        f"/{path} has no title"


@pytest.mark.parametrize(("path", "base"), [
    ("/", "/"), ("/tiimi", "/"), ("/tiimi/", "/"), ("/alue", "/"),
    ("/vetovoima", "/vetovoima/"), ("/vetovoima/", "/vetovoima/"), ("/vetovoima/tiimi", "/vetovoima/"),
    ("/ei-sivu", "/ei-sivu/"),   # not a page: its own base, and the frontend still tries the parent
])
def test_the_base_a_page_path_names(chromium, path, base):
    """The script `vetopito serve` puts into Streamlit's page (vetopito.ui.static), run in Chromium:
    a page's path without the page, behind a proxy's prefix too."""
    body = static.script(static.page_paths(ROOT / "app.py")).removeprefix("<script>").removesuffix("</script>")
    body = body.replace("location.pathname", "asked").replace("location.origin", "'http://x'")
    page = chromium.new_page()
    try:
        assert page.evaluate(f"(asked) => {{ {body}; return window.__streamlit.BACKEND_BASE_URL; }}", path) \
            == "http://x" + base
    finally:
        page.close()


def test_region_view_opens_from_url_in_finnish(tab):
    page = tab.open("/?region=15&indicator=t3_laakari", charts=1)
    tab.screenshot("region_15_t3")
    tab.assert_clean()
    main = page.locator('[data-testid="stMain"]').inner_text()
    chosen = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stSelectbox"]')]
        .map(el => el.textContent + ' ' + [...el.querySelectorAll('input')].map(i => i.value).join(' '))
        .join(' | ')""")
    assert "Keski-Suomi" in chosen, chosen  # official code 15
    assert FINNISH_DECIMAL.search(main), "no number with a decimal comma on the region page"
    assert "region=15" in page.url and "indicator=t3_laakari" in page.url
    # the SPC chart lies below the tiles, outside the viewport: keep a picture of it too
    page.locator('[data-testid="stVegaLiteChart"]').last.screenshot(
        path=str(SCREENSHOTS / "region_15_t3_chart.png"))


def test_alue_address_leads_to_the_region_view(tab):
    """A typed or shared `/alue?region=15&indicator=t3_laakari` opens that view, no "not found"."""
    page = tab.open("/alue?region=15&indicator=t3_laakari", charts=1)
    tab.assert_clean()
    body = page.inner_text("body")
    assert "Page not found" not in body and "does not seem to exist" not in body
    assert "Keski-Suomi" in body
    assert "region=15" in page.url and "indicator=t3_laakari" in page.url


def test_region_page_in_swedish(tab):
    page = tab.open("/?region=15&indicator=t3_laakari&lang=sv", charts=1)
    tab.screenshot("region_sv")
    tab.assert_clean()
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Områdets" in main or "område" in main.lower(), main[:500]
    assert FINNISH_DECIMAL.search(main), "Swedish in Finland also writes a decimal comma"


MAP = '.st-key-compare_map [data-testid="stVegaLiteChart"]'


def _map_box(page):
    """The drawn map (Vega geoshapes, no deck.gl): its bounding box."""
    drawn = page.locator(f"{MAP} svg.marks, {MAP} canvas").first
    drawn.wait_for(state="visible")
    box = drawn.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200
    return box


def test_compare_map_renders_offline(tab):
    page = tab.open("/vertailu", charts=3)
    _map_box(page)
    assert page.locator('[data-testid="stDeckGlJsonChart"]').count() == 0
    tab.screenshot("compare_map")
    tab.assert_clean()


def test_compare_keeps_the_directors_region(tab):
    """From the region page's link the comparison keeps the region: outlined on the map, marked in
    the ranking, labelled in the funnel; the national figure and limits drawn (screenshot looked at)."""
    indicator = "hoitoonpaasy_pth_laakari_7vrk"
    page = tab.open(f"/?region=15&indicator={indicator}", charts=1)
    page.get_by_role("link", name="Vertaa alueita").click()
    page.wait_for_url(re.compile(r"/vertailu\?"))
    wait_rendered(page, charts=3)
    assert "region=15" in page.url and f"indicator={indicator}" in page.url, page.url
    main = page.locator('[data-testid="stMain"]')
    assert "Valittu alue: Keski-Suomi" in main.inner_text()
    # the funnel's label of the chosen point is drawn text in the funnel chart
    funnel = page.locator('[data-testid="stVegaLiteChart"]').nth(2)
    funnel.locator("svg.marks, canvas").first.wait_for(state="visible")
    page.set_viewport_size({"width": 1400, "height": 2600})
    wait_rendered(page, charts=3)
    tab.screenshot("compare_region_15")
    tab.assert_clean()


def test_compare_map_click_opens_region(tab):
    """A click on a region of the map opens that region's dashboard (the default page at `/`) with
    the compare page's indicator. Lappi fills the top of the map: (50 %, 20 %) of the drawing."""
    indicator = "hoitoonpaasy_pth_laakari_7vrk"
    page = tab.open(f"/vertailu?indicator={indicator}", charts=3)
    box = _map_box(page)
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2
    page.mouse.move(x, y)  # the hover tooltip names the region under the pointer
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.filter(has_text="Lappi").wait_for(state="visible")
    code = re.search(r"Koodi\s*(\d\d)", tooltip.inner_text()).group(1)  # "21" in the demo data
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"/\?(.*&)?region={code}(&|$)"))
    wait_rendered(page, charts=1)
    assert f"indicator={indicator}" in page.url
    assert page.locator("h1").first.inner_text().strip() == "Alueen tilanne"
    region_box = page.locator(".st-key-w_region")
    shown = (region_box.text_content() or "") + " ".join(
        i.input_value() for i in region_box.locator("input").all())
    assert f"Lappi ({code})" in shown, shown
    tab.screenshot("compare_map_click")
    tab.assert_clean()
    # back to the comparison: the old pick must not send the user to Lappi again
    page.go_back()
    page.wait_for_url(re.compile(r"/vertailu"))
    wait_rendered(page, charts=3)
    page.wait_for_timeout(1000)
    assert "/vertailu" in page.url, page.url
    # …and a new click on the same region opens it again
    box = _map_box(page)
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2
    page.mouse.move(x, y)
    tooltip.filter(has_text="Lappi").wait_for(state="visible")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"/\?(.*&)?region={code}(&|$)"))
    wait_rendered(page, charts=1)
    tab.assert_clean()


def test_upload_of_a_bad_csv_shows_finnish_row_errors(tab):
    bad = ROOT / "tests" / "fixtures" / "ingest" / "observations_bad.csv"
    page = tab.open("/lataa")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(bad))
    page.get_by_text("Tiedostoa ei voi ladata").wait_for()
    wait_rendered(page)
    tab.screenshot("upload_rejected")
    tab.assert_clean()
    # the error table is a static table: every problem is there in full, the longest included
    table = page.locator('[data-testid="stTable"]').first
    text = table.text_content()
    assert re.search(r'"12\.5\.2024" ei ole luku', text), text[:2000]
    closest = table.get_by_text(re.compile(r'tuntematon yksikkö "Pohjois-Savoo"; lähimmät tunnetut: Pohjois-Savo'))
    box, cell = table.bounding_box(), closest.bounding_box()
    assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1  # wrapped within the table, not cut off


# A Finnish Excel "CSV (semicolon)" file: Windows-1252, CRLF, `;`, decimal comma, `74,29 %`, `4 315`.
# Päijät-Häme, nurse in 7 days: 9/2026 as stored, 10/2026 changed (72,49 → 73,09), 11/2026 and
# 12/2026 new. No other browser test looks at this region and indicator, and the test undoes it.
GOOD_UPLOAD = ROOT / "tests" / "fixtures" / "ingest" / "browser_upload_good.csv"
GOOD_UPLOAD_VIEW = "/?region=09&indicator=hoitoonpaasy_pth_hoitaja_7vrk"


def _metrics(page) -> dict[str, str]:
    """`{"Uusia": "2", …}` from the st.metric elements on the page."""
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=True)}


def _grid_text(page, which: str) -> str:
    """The cells of the page's `first` or `last` st.dataframe (a canvas grid; its cells are also
    in its accessible DOM). On /lataa the load history is always the last one."""
    return getattr(page.locator('[data-testid="stDataFrame"]'), which).text_content()


def _undo_choice(page) -> str:
    """What the load history's undo selectbox shows as chosen."""
    return page.locator('[data-testid="stSelectbox"]', has_text="Peruttava lataus").evaluate(
        "el => el.textContent + ' ' + [...el.querySelectorAll('input')].map(i => i.value).join(' ')")


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_upload_of_a_good_csv_plans_commits_shows_and_undoes(tab):
    page = tab.open("/lataa")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(GOOD_UPLOAD))
    confirm = page.get_by_role("button", name="Tallenna muutokset")
    confirm.wait_for()
    wait_rendered(page)
    tab.screenshot("upload_plan")
    tab.assert_clean()
    main = _main_text(page)
    assert "merkistö Windows-1252" in main and "erotin puolipiste (;)" in main, main[:1500]
    assert "desimaalimerkki pilkku (2,5)" in main, main[:1500]
    assert _metrics(page) == {"Rivejä": "4", "Uusia": "2", "Muuttuvia": "1", "Ennallaan": "1",
                              "Hylättyjä": "0"}
    changes = _grid_text(page, "first")
    for seen in ("muuttuu", "uusi", "Päijät-Häme", "10/2026", "72,5", "73,1", "11/2026", "74,3",
                 "12/2026", "76,9"):
        assert seen in changes, f"{seen!r} not in the table of changes: {changes[:2000]}"

    confirm.click()
    done = page.get_by_text(re.compile(r"Tallennettu latauksena \d+\. Kaikki sivut näyttävät nyt uudet tiedot\."))
    done.wait_for()
    wait_rendered(page)
    tab.screenshot("upload_committed")
    tab.assert_clean()
    load_id = re.search(r"latauksena (\d+)\.", done.inner_text()).group(1)
    main = _main_text(page)
    # the file is still in the uploader: checked again, it is recognised and changes nothing
    assert f"Sama tiedosto on jo ladattu (lataus {load_id}, {GOOD_UPLOAD.name}): mikään ei muutu." in main
    assert page.get_by_role("button", name="Tallenna muutokset").count() == 0
    history = _grid_text(page, "last")
    assert GOOD_UPLOAD.name in history and "tallennettu" in history, history[:2000]
    undone_before = history.count("peruttu")   # the header of `undone at`, if the grid drew it
    # in the same session the undo choice moves to the new load (it was the newest seed load before)
    assert f"{load_id}: {GOOD_UPLOAD.name}" in _undo_choice(page)

    # every page shows the new data at once: the region's tile has 12/2026 as its latest value
    page = tab.open(GOOD_UPLOAD_VIEW, charts=1)
    tab.screenshot("upload_committed_region")
    tab.assert_clean()
    main = _main_text(page)
    assert re.search(r"76,9\s*%\s*12/2026", main), main[:3000]

    # undo through the load history: the newest load is the one offered first
    page = tab.open("/lataa")
    assert f"{load_id}: {GOOD_UPLOAD.name}" in _undo_choice(page)
    page.get_by_role("button", name="Peru lataus").click()
    dialog = page.get_by_role("dialog")  # the undo asks first, naming the load and what it removes
    dialog.get_by_role("button", name="Kyllä, peru lataus").wait_for()
    wait_rendered(page)
    tab.screenshot("upload_undo_confirm")
    asked = dialog.inner_text()
    assert f"Lataus {load_id} ({GOOD_UPLOAD.name}, ladattu " in asked, asked
    assert "2 arvoa poistetaan ja 1 arvo palautetaan aiempaan" in asked, asked
    dialog.get_by_role("button", name="Kyllä, peru lataus").click()
    undone = page.get_by_text(f"Lataus {load_id} ({GOOD_UPLOAD.name}) peruttu: 1 arvo palautettu, 2 poistettu.")
    undone.wait_for()
    wait_rendered(page)
    tab.screenshot("upload_undone")
    tab.assert_clean()
    history = _grid_text(page, "last")
    assert history.count("peruttu") == undone_before + 1, history[:2000]   # status: peruttu

    page = tab.open(GOOD_UPLOAD_VIEW, charts=1)
    tab.assert_clean()
    main = _main_text(page)
    assert "12/2026" not in main and re.search(r"72,5\s*%\s*10/2026", main), main[:3000]


def test_presentation_mode_has_no_sidebar_and_big_text(tab):
    page = tab.open("/esitys?team=T2024-01")
    tab.screenshot("present_team")
    tab.assert_clean()
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.count() == 0 or not sidebar.is_visible() or \
        sidebar.get_attribute("aria-expanded") == "false"
    biggest = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] p, '
        + '[data-testid="stMain"] [data-testid="stMetricValue"]')]
        .map(el => parseFloat(getComputedStyle(el).fontSize) || 0))""")
    assert biggest >= 40, f"largest text on the presentation page is {biggest}px"


def test_region_tiles_with_signals_stand_out(tab):
    """Tiles with a special cause or a missed target get a thick border in the MDC colour, a tint
    and an icon with text; a tile with common-cause variation and no target stays plain."""
    page = tab.open("/?region=06&indicator=sairauspoissaolot_pct", charts=1)
    tab.assert_clean()
    styles = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('li.vv-tile')]
        .map(el => { const kind = [...el.classList].find(c => c.startsWith('vv-tile-')).slice('vv-tile-'.length);
                     const s = getComputedStyle(el);
                     return [kind + '-' + el.dataset.indicator,
                             [s.borderTopWidth, s.borderTopColor, s.backgroundColor]]; }))""")
    concern = styles["concern-sairauspoissaolot_pct"]
    assert concern[0] == "3px" and concern[1] == "rgb(178, 84, 0)" and concern[2] == "rgb(255, 243, 230)", styles
    plain = styles["plain-tyopajat_osallistujat"]
    assert plain[0] != "3px" and plain[1] != "rgb(178, 84, 0)", styles
    tile = page.locator('li.vv-tile[data-indicator="sairauspoissaolot_pct"]')
    icon = tile.locator(".vv-icon").first   # drawn by CSS: a ring in the signal's colour, hidden from readers
    assert icon.get_attribute("aria-hidden") == "true"
    assert icon.evaluate("el => getComputedStyle(el).borderTopColor") == "rgb(178, 84, 0)"
    assert "Vaihtelu:" in tile.locator(".vv-sr").first.text_content()  # read out, not shown
    assert tile.locator(".vv-sr").first.bounding_box()["width"] <= 1
    tile.scroll_into_view_if_needed()
    page.locator('[data-testid="stMain"] h3').filter(has_text="Hoitoonpääsy").first.scroll_into_view_if_needed()
    tab.screenshot("region_06_signals")
    tile.scroll_into_view_if_needed()
    tab.screenshot("region_06_signals_wellbeing")


def test_region_chart_says_limits_recalculated_at_the_definition_change(tab):
    page = tab.open("/?region=15&indicator=hoitoonpaasy_pth_laakari_7vrk", charts=1)
    tab.assert_clean()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    text = chart.inner_text() + " " + (chart.locator("svg").first.text_content() or "")
    assert "Rajat laskettu uudelleen 1.9.2023 alkaen: mittarin määritelmä muuttui" in text
    assert "Kausivaihtelu huomioitu" in text
    chart.screenshot(path=str(SCREENSHOTS / "region_15_access_phases_chart.png"))
