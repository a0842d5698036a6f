"""AppTest of the region dashboard and the organisational-unit drill-down on the demo database."""

from __future__ import annotations

import json
import re

import pytest

from tests.apptest_helpers import app_test

pytestmark = pytest.mark.usefixtures("typed_channels")   # every chart here passes typed encodings


@pytest.fixture
def demo_app(app_env, demo_db_path):
    app_env(demo_db_path)


def _markdown(at) -> str:
    """The page's markdown texts and HTML elements (the tile grid is one HTML element)."""
    return "\n".join([m.value for m in at.markdown] + [h.proto.body for h in at.get("html")])


def test_url_opens_region_and_indicator(demo_app):
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    assert not at.exception
    assert at.selectbox(key="w_region").value == "15"
    assert at.selectbox(key="w_indicator").value == "t3_laakari"
    text = _markdown(at)
    assert "\u00a0%" in text and "Koko maa" in text and "/2026" in text
    assert any(w.value.startswith("Esimerkkiaineisto") for w in at.warning)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "NHS Making Data Count" in json.dumps(spec["title"])
    assert len(at.get("download_button")) == 3


def test_region_id_in_url_becomes_code(demo_app):
    at = app_test(query_params={"region": "HVA15"})
    assert not at.exception
    assert at.selectbox(key="w_region").value == "15"
    assert at.query_params["region"] == ["15"] or at.query_params["region"] == "15"


def test_region_and_indicator_switch_update_url(demo_app):
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    before = _markdown(at)
    at.selectbox(key="w_region").set_value("01").run()
    assert not at.exception
    assert str(at.query_params["region"]).strip("[]'") == "01"
    assert _markdown(at) != before
    at.selectbox(key="w_indicator").set_value("hoitoonpaasy_pth_laakari_7vrk").run()
    assert not at.exception
    assert "hoitoonpaasy_pth_laakari_7vrk" in str(at.query_params["indicator"])
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "p′-kaavio (Laney)" in json.dumps(spec["title"], ensure_ascii=False)


def test_swedish(demo_app):
    at = app_test(query_params={"region": "15", "lang": "sv"})
    assert not at.exception
    assert "Hela landet" in _markdown(at)


def test_units_page(demo_app):
    at = app_test("units", query_params={"region": "15"})
    assert not at.exception
    assert at.selectbox(key="w_region").value == "15"
    if at.info:  # no unit-level data in this region
        return
    assert not at.dataframe and _units_table(at).count("\n") >= 2   # one table in markdown, no data grid
    assert len(at.get("vega_lite_chart")) == 1


def _units_table(at) -> str:
    """The units page's table of the latest value per unit (one markdown table)."""
    return next(m.value for m in at.markdown if m.value.startswith("| "))


def test_chart_above_tiles_names_indicator_and_region(demo_app):
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["title"]["text"].endswith("— Keski-Suomi") and "T3" in spec["title"]["text"]
    legend_lines = next(layer for layer in spec["layer"] if layer["encoding"].get("strokeDash"))
    domain = legend_lines["encoding"]["strokeDash"]["scale"]["domain"]
    assert {"Keski-Suomi", "Keskiarvo", "Ohjausrajat", "Koko maa"} <= set(domain)


def test_tile_control_chooses_the_indicator(demo_app):
    """The tiles' one control ("Näytä kaaviossa", instead of a button per tile) follows the chart's
    indicator, the chart's tile says so, and choosing another tile's indicator redraws the chart."""
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    control = at.selectbox(key="w_tile_chart")
    assert control.value == "t3_laakari" and control.label == "Näytä kaaviossa"
    grid = next(h.proto.body for h in at.get("html") if 'class="vv-grid"' in h.proto.body)
    chosen = re.findall(r'<li class="vv-tile [^"]*vv-chosen" data-indicator="([^"]+)">(.*?)</li>', grid, re.S)
    assert [ind for ind, _ in chosen] == ["t3_laakari"] and "Kaaviossa yllä" in chosen[0][1]
    control.select("hoitoonpaasy_pth_laakari_7vrk").run()
    assert not at.exception
    assert at.selectbox(key="w_indicator").value == "hoitoonpaasy_pth_laakari_7vrk"
    assert at.selectbox(key="w_tile_chart").value == "hoitoonpaasy_pth_laakari_7vrk"
    assert "hoitoonpaasy_pth_laakari_7vrk" in str(at.query_params["indicator"])
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "p′-kaavio (Laney)" in json.dumps(spec["title"], ensure_ascii=False)


def test_units_page_defaults_to_a_region_with_unit_data(demo_app):
    """From the sidebar (no query string; the region page's default 01 carried in the session),
    the units page opens the first region that has organisational-unit data."""
    at = app_test()
    assert at.selectbox(key="w_region").value == "01"
    at.query_params.clear()
    at.switch_page("pages/units.py").run()
    assert not at.exception
    assert at.selectbox(key="w_region").value == "05"  # the first region with organisational units
    assert not at.info and _units_table(at).startswith("| Yksikkö |")
    assert any("Keski-Suomi (15)" in c.value and "Helsinki (90)" in c.value for c in at.caption)


def test_units_page_keeps_the_url_choice_and_lists_regions_with_data(demo_app):
    at = app_test("units", query_params={"region": "01"})
    assert not at.exception
    assert at.selectbox(key="w_region").value == "01"
    assert at.info and "yksikkötason" in at.info[0].value
    assert any("Varsinais-Suomi (05)" in c.value for c in at.caption)


def test_units_back_button_opens_the_region(demo_app):
    at = app_test("units", query_params={"region": "15"})
    at.button(key="back_to_region").click().run()
    assert not at.exception
    assert at.selectbox(key="w_region").value == "15"
    assert at.get("vega_lite_chart")


def test_the_charts_table_toggle_reruns_only_its_fragment(demo_app):
    """The text alternative's table is built when its toggle is switched on; the toggle is a
    fragment of its own, so the switch draws the table and leaves the rest of the page as it is."""
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    assert not at.dataframe   # the page's only table is the chart's, built once asked for
    at.toggle(key="alt_table_region_chart").set_value(True).run()
    assert not at.exception
    (table,) = at.dataframe
    assert table.value.shape[0] > 12
    assert len(at.get("vega_lite_chart")) == 1 and at.selectbox(key="w_indicator").value == "t3_laakari"
