"""AppTest of the comparison page: the offline map, the ranking, the funnel plot and URL state."""

from __future__ import annotations

import json
import re

import pytest

from tests.apptest_helpers import app_test


@pytest.fixture
def demo_app(app_env, demo_db_path):
    app_env(demo_db_path)


def test_map_offline_and_formatted(demo_app):
    at = app_test("compare", query_params={"indicator": "hoitoonpaasy_pth_laakari_7vrk"})
    assert not at.exception
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    deck_json = decks[0].proto.json
    assert not re.search(r"https?://", deck_json), "the map must fetch nothing"
    deck = json.loads(deck_json)
    # map_provider=None and no map_style: no basemap at all (stack-notes §6)
    assert "mapProvider" not in deck and deck.get("mapStyle") in (None, "", "__MAP_STYLE__")
    features = deck["layers"][0]["data"]["features"]
    assert len(features) == 22
    texts = [f["properties"]["value_text"] for f in features]
    assert all(re.fullmatch(r"\d+,\d\u00a0%|ei arvoa", t) for t in texts), texts[:3]
    assert "period" in at.query_params
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # ranking and funnel plot
    # the demo regions vary more than chance: the caption says the limits were widened (Spiegelhalter 2005)
    assert any("levennetty alueiden välisellä luonnollisella vaihtelulla" in c.value for c in at.caption)
    for chart in charts:
        assert json.loads(chart.proto.spec)["config"]["locale"]["number"]["decimal"] == ","
    assert len(at.get("download_button")) == 2


def test_period_and_indicator_from_url(demo_app):
    at = app_test("compare", query_params={"indicator": "t3_laakari", "period": "2024-06"})
    assert not at.exception
    assert at.selectbox(key="w_period").value == "2024-06"
    assert len(at.get("vega_lite_chart")) == 1  # no funnel for days
    at.selectbox(key="w_indicator").set_value("hoitoonpaasy_pth_laakari_7vrk").run()
    assert not at.exception
    assert "hoitoonpaasy_pth_laakari_7vrk" in str(at.query_params["indicator"])


def test_links_open_region_dashboard(demo_app):
    """Each ranked region is a button that opens its dashboard in the app (`/?region=…&indicator=…`):
    a page link to the default page would carry the relative href `?region=…`, wrong from /vertailu."""
    at = app_test("compare", query_params={"indicator": "t3_laakari"})
    buttons = [b for b in at.button if b.key and b.key.startswith("open_")]
    assert len(buttons) >= 20
    assert buttons[0].label.startswith("1. ")
    assert not at.get("page_link") or all("region=" not in link.proto.query_string for link in at.get("page_link"))
    at.button(key="open_14").click().run()
    assert not at.exception
    assert at.selectbox(key="w_region").value == "14"
    assert at.selectbox(key="w_indicator").value == "t3_laakari"
    assert str(at.query_params["region"]).strip("[]'") == "14"


def test_map_is_selectable(demo_app):
    """The map is a selection widget (a click reruns and opens the region, see
    `maps.selected_region`); AppTest cannot click it, the browser test does."""
    at = app_test("compare", query_params={"indicator": "t3_laakari"})
    assert not at.exception
    deck = at.get("deck_gl_json_chart")[0]
    assert list(deck.proto.selection_mode)  # on_select="rerun" with a selection mode
    assert deck.proto.id and "compare_map" in deck.proto.id
    assert json.loads(deck.proto.json)["layers"][0]["id"] == "regions"
    # no selection: the page stays (the first run on the default page put region=… in the URL)
    assert at.selectbox(key="w_period") and not [s for s in at.selectbox if s.key == "w_region"]
