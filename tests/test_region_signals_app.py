"""AppTest of the region page's signals on the demo database: seasonal indicators judged on
deseasonalised values, limits recalculated at a definition change and said on the chart, target
assurance on the tiles, and tiles with a signal or a missed target marked so they stand out."""

from __future__ import annotations

import json
import re

import pytest

from tests.apptest_helpers import app_test

SICK = "sairauspoissaolot_pct"
TILE_CLASS = "vv-tile"  # a tile is `<li class="vv-tile vv-tile-<attention>…" data-indicator="<id>">`
TILE = re.compile(r'<li class="vv-tile vv-tile-(\w+)[^"]*" data-indicator="([^"]+)">(.*?)</li>', re.S)


@pytest.fixture
def demo_app(app_env, demo_db_path):
    app_env(demo_db_path)


def grid_html(at) -> str:
    """The tile grid: one HTML element holding every tile (`tiles.tiles_html`)."""
    grids = [h.proto.body for h in at.get("html") if 'class="vv-grid"' in h.proto.body]
    assert len(grids) == 1, len(grids)
    return grids[0]


def tile_of(at, indicator: str) -> tuple[str, str]:
    """(attention, the HTML of the tile) of one indicator's tile."""
    for attention, ind, body in TILE.findall(grid_html(at)):
        if ind == indicator:
            return attention, body
    raise AssertionError(f"no tile for {indicator}")


@pytest.mark.parametrize("code", ["03", "11", "13", "90"])
def test_sick_leave_summer_half_is_no_improvement(demo_app, code):
    """Flat regions: April–October below a mean raised by the winter peak read as a 7-point
    "improvement" shift on a plain XmR chart. Judged deseasonalised, it is common cause."""
    at = app_test(query_params={"region": code, "indicator": SICK})
    assert not at.exception
    attention, text = tile_of(at, SICK)
    assert attention == "plain"
    assert "Parantuminen" not in text and "Tavanomainen vaihtelu" in text
    assert "Kausitasoitettu" in text
    spec = json.dumps(json.loads(at.get("vega_lite_chart")[0].proto.spec)["title"], ensure_ascii=False)
    assert "Kausivaihtelu huomioitu" in spec and "kausitasoitus" in spec


def test_worsening_sick_leave_is_flagged_with_marker_icon_and_text(demo_app):
    at = app_test(query_params={"region": "06", "indicator": SICK})
    assert not at.exception
    attention, text = tile_of(at, SICK)
    assert attention == "concern"
    assert 'class="vv-badge vv-concern"' in text and 'class="vv-icon vv-icon-concern" aria-hidden="true"' in text
    assert '<span class="vv-sr">Vaihtelu: </span><span>Huolestuttava</span>' in text
    css = "\n".join(h.proto.body for h in at.get("html"))
    assert f".{TILE_CLASS}-concern {{ border: 3px solid" in css


def test_tile_without_signal_or_target_is_plain(demo_app):
    at = app_test(query_params={"region": "03", "indicator": SICK})
    attention, text = tile_of(at, "tyopajat_osallistujat")
    assert attention == "plain" and "vv-concern" not in text and "vv-improvement" not in text


def test_target_verdict_is_assurance_in_three_languages(demo_app):
    """Region 15's access target (80 % by 2026) is judged by the process's limits, not by the
    latest month."""
    texts = {"fi": "Tavoite jää luotettavasti saavuttamatta", "sv": "Målet nås tillförlitligt inte",
             "en": "The target is reliably missed"}
    for lang, expected in texts.items():
        at = app_test(query_params={"region": "15", "indicator": SICK, "lang": lang})
        assert not at.exception
        attention, text = tile_of(at, "hoitoonpaasy_pth_laakari_7vrk")
        assert expected in text and attention == "concern", text
        assert 'class="vv-badge vv-fail"' in text


def test_limits_recalculated_at_a_definition_change_are_said_on_the_chart(demo_app):
    at = app_test(query_params={"region": "15", "indicator": "hoitoonpaasy_pth_laakari_7vrk"})
    assert not at.exception
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    title = json.dumps(spec["title"], ensure_ascii=False)
    assert "Rajat laskettu uudelleen 1.9.2023 alkaen: mittarin määritelmä muuttui" in title
