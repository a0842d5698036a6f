"""AppTest of the comparison page: the offline map, the ranking, the funnel plot and URL state."""

from __future__ import annotations

import json
import re

import pytest

from tests.apptest_helpers import app_test

pytestmark = pytest.mark.usefixtures("typed_channels")   # every chart here passes typed encodings


@pytest.fixture
def demo_app(app_env, demo_db_path):
    app_env(demo_db_path)


def test_map_offline_and_formatted(demo_app):
    """The map is a Vega geoshape chart (no deck.gl): no basemap, no URL in what it sends but the
    spec's `$schema` name, which Vega never fetches."""
    at = app_test("compare", query_params={"indicator": "hoitoonpaasy_pth_laakari_7vrk"})
    assert not at.exception
    assert not at.get("deck_gl_json_chart")
    charts = _charts(at)
    assert set(charts) == {"compare_map", "compare_bar", "compare_funnel"}  # map, ranking and funnel plot
    map_spec = dict(charts["compare_map"]["spec"])
    map_spec.pop("$schema")
    assert not re.search(r"https?://", json.dumps(map_spec)), "the map must fetch nothing"
    assert map_spec["mark"]["type"] == "geoshape" and map_spec["projection"]["type"] == "transverseMercator"
    features = _features(charts["compare_map"])
    assert len(features) == 22
    texts = [f["properties"]["value_text"] for f in features]
    assert all(re.fullmatch(r"\d+,\d\u00a0%|ei arvoa", t) for t in texts), texts[:3]
    assert len(charts["compare_map"]["text"]) < 120_000, "boundaries are sent rounded"
    assert "period" in at.query_params
    # the demo regions vary more than chance: the caption says the limits were widened (Spiegelhalter 2005)
    assert any("levennetty alueiden välisellä luonnollisella vaihtelulla" in c.value for c in at.caption)
    for chart in at.get("vega_lite_chart"):
        assert json.loads(chart.proto.spec)["config"]["locale"]["number"]["decimal"] == ","
    assert len(at.get("download_button")) == 2


def test_period_and_indicator_from_url(demo_app):
    at = app_test("compare", query_params={"indicator": "t3_laakari", "period": "2024-06"})
    assert not at.exception
    assert at.selectbox(key="w_period").value == "2024-06"
    assert set(_charts(at)) == {"compare_map", "compare_bar"}  # no funnel for days
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
    chart = next(el for el in at.get("vega_lite_chart") if '"geoshape"' in el.proto.spec)
    assert list(chart.proto.selection_mode) == ["region"]  # on_select="rerun" with the map's point selection
    assert chart.proto.id and "compare_map" in chart.proto.id
    params = json.loads(chart.proto.spec)["params"]
    assert params[0]["name"] == "region" and params[0]["select"]["fields"] == ["code"]
    # no selection: the page stays (the first run on the default page put region=… in the URL)
    assert at.selectbox(key="w_period") and not [s for s in at.selectbox if s.key == "w_region"]


# --- the director's region is kept and shown ------------------------------

def _charts(at) -> dict[str, dict]:
    """The page's Vega-Lite charts by role (map, ranking, funnel): the spec and every dataset it carries (inline
    `datasets` of the spec and the Arrow tables Streamlit sent), as lists of row dicts."""
    import polars as pl
    import pyarrow as pa

    out = {}
    for el in at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        rows = {name: values for name, values in (spec.get("datasets") or {}).items()}
        for d in el.proto.datasets:
            rows[d.name or d.data_id] = pl.from_arrow(pa.ipc.open_stream(d.data.data).read_all()).to_dicts()
        key = ("compare_map" if '"geoshape"' in el.proto.spec else
               "compare_funnel" if '"denominator"' in el.proto.spec else "compare_bar")
        out[key] = {"spec": spec, "data": rows, "text": el.proto.spec}
    return out


def _features(chart: dict) -> list[dict]:
    for values in chart["data"].values():
        if isinstance(values, dict) and values.get("type") == "FeatureCollection":
            return values["features"]
    raise AssertionError("the map carries no FeatureCollection")


def _rows_with(chart: dict, column: str) -> list[dict]:
    return [r for values in chart["data"].values() if isinstance(values, list)
            for r in values if isinstance(r, dict) and column in r]


def _layers(spec: dict) -> list[dict]:
    found, todo = [], [spec]
    while todo:
        node = todo.pop()
        found.append(node)
        todo += node.get("layer", [])
    return found


def _marks(spec: dict) -> list[str]:
    return [m if isinstance(m, str) else m.get("type") for m in (n.get("mark") for n in _layers(spec)) if m]


def test_region_page_links_to_compare_with_its_region(demo_app):
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    assert not at.exception
    links = [link for link in at.get("page_link") if link.proto.page in ("vertailu", "compare")]
    assert links, "the region page links to the comparison"
    assert "region=15" in links[0].proto.query_string, links[0].proto.query_string


def test_compare_keeps_the_region_after_sidebar_navigation(demo_app):
    """The sidebar drops the query string: the region chosen on the region page (its session key)
    comes back into the comparison page's URL."""
    at = app_test(query_params={"region": "15", "indicator": "hoitoonpaasy_pth_laakari_7vrk"})
    at.query_params.clear()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert str(at.query_params.get("region")).strip("[]'") == "15"


def test_compare_highlights_the_region_on_map_ranking_and_funnel(demo_app):
    at = app_test("compare", query_params={"region": "15", "indicator": "hoitoonpaasy_pth_laakari_7vrk"})
    assert not at.exception
    charts = _charts(at)
    assert set(charts) == {"compare_map", "compare_bar", "compare_funnel"}
    # map: the chosen region has its own outline (colour and width), drawn last so no neighbour covers it
    features = _features(charts["compare_map"])
    assert len(features) == 22
    chosen = [f for f in features if f["properties"]["chosen"]]
    assert [f["properties"]["code"] for f in chosen] == ["15"]
    others = {(f["properties"]["stroke"], f["properties"]["stroke_width"]) for f in features if f not in chosen}
    assert (chosen[0]["properties"]["stroke"], chosen[0]["properties"]["stroke_width"]) not in others
    assert chosen[0]["properties"]["stroke_width"] > max(w for _, w in others)
    assert features[-1] is chosen[0]
    # ranking: the region's bar is marked (its own colour by the `chosen` field)
    bars = _rows_with(charts["compare_bar"], "chosen")
    assert [r["code"] for r in bars if r["chosen"]] == ["15"]
    assert "datum.chosen" in charts["compare_bar"]["text"] and "condition" in charts["compare_bar"]["text"]
    # funnel: a labelled point names the region
    funnel = charts["compare_funnel"]
    assert "text" in _marks(funnel["spec"])
    labels = _rows_with(funnel, "label_text")
    assert [r["code"] for r in labels] == ["15"] and "Keski-Suomi" in labels[0]["label_text"]


def test_funnel_tooltip_names_the_region_and_axis_starts_near_smallest_denominator(demo_app):
    at = app_test("compare", query_params={"indicator": "hoitoonpaasy_pth_laakari_7vrk"})
    assert not at.exception
    funnel = _charts(at)["compare_funnel"]
    points = _rows_with(funnel, "share")
    assert points and all(p["name"] for p in points)
    layers = _layers(funnel["spec"])
    tooltips = [layer["encoding"]["tooltip"] for layer in layers if "tooltip" in layer.get("encoding", {})]
    assert any(tips[0]["field"] == "name" for tips in tooltips), tooltips
    smallest = min(p["denominator"] for p in points)
    domains = [layer["encoding"]["x"]["scale"]["domain"] for layer in layers
               if "scale" in layer.get("encoding", {}).get("x", {}) and "domain" in layer["encoding"]["x"]["scale"]]
    assert domains, "the x scale has an explicit domain"
    lo = domains[0][0]
    assert 0.5 * smallest <= lo <= smallest, (lo, smallest)


def test_national_target_drawn_on_ranking_and_funnel(demo_app):
    """`hoitoonpaasy_pth_laakari_14vrk` has a national target (90 % by 31.12.2025, unit FI)."""
    at = app_test("compare", query_params={"indicator": "hoitoonpaasy_pth_laakari_14vrk"})
    assert not at.exception
    charts = _charts(at)
    for key in ("compare_bar", "compare_funnel"):
        targets = _rows_with(charts[key], "target_value")
        assert [r["target_value"] for r in targets] == [90.0], (key, targets)
        assert "Valtakunnallinen tavoite" in targets[0]["target_label"]
        assert "rule" in _marks(charts[key]["spec"])


def test_no_target_rule_without_a_target(demo_app):
    at = app_test("compare", query_params={"indicator": "hoitoonpaasy_mielenterveys_14vrk"})
    assert not at.exception
    for chart in _charts(at).values():
        assert not _rows_with(chart, "target_value")


def test_no_markdown_on_the_page_asks_for_raw_html(demo_app):
    """Raw HTML inside markdown makes the browser load an HTML parser for that page alone
    (rehype-raw, 184 kB of script): the map's legend is `st.html` instead, its texts escaped."""
    at = app_test("compare", query_params={"indicator": "hoitoonpaasy_pth_laakari_7vrk"})
    assert not at.exception
    assert not [m.value for m in at.markdown if m.proto.allow_html] + [c.value for c in at.caption if c.proto.allow_html]
    legend = next(h.proto.body for h in at.get("html") if 'class="vv-legend"' in h.proto.body)
    assert "parempi" in legend and "ei arvoa" in legend
