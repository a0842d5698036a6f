"""AppTest of the region dashboard and the organisational-unit drill-down on the demo database."""

from __future__ import annotations

import json

import pytest

from tests.apptest_helpers import app_test


@pytest.fixture
def demo_app(app_env, demo_db_path):
    app_env(demo_db_path)


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


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
    assert "p-kaavio" in json.dumps(spec["title"])


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
    assert len(at.dataframe) == 1
    assert len(at.get("vega_lite_chart")) == 1
