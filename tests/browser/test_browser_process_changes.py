"""Browser: the region page of Pohjois-Karjala draws the demo's process change on the T3 chart in
Chromium (a rule and its label where the new phase starts, the limits broken there) and says in the
subtitle that the limits were recalculated from 1.3.2024; leaves a picture of the chart in
tests/artifacts/screenshots/region_14_t3_process_change.png (looked at)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_region_chart_draws_the_process_change(tab):
    page = tab.open("/?region=14&indicator=t3_laakari", charts=1)
    tab.assert_clean()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    text = chart.locator("svg").first.text_content() if chart.locator("svg").count() else ""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / "region_14_t3_process_change.png"))
    if text:  # drawn as SVG: the texts are in the DOM (a canvas chart is judged by the picture alone)
        assert "Rajat laskettu uudelleen 1.3.2024 alkaen (prosessimuutos: Uusi ajanvarausmalli käyttöön)" in text
        assert "Prosessimuutos: Uusi ajanvarausmalli käyttöön" in text
