"""The choropleth: colour-blind-safe ramp oriented by direction, shipped boundaries, nothing fetched."""

from __future__ import annotations

import json
import re

import polars as pl

from vetopito.regions import maps

META_HIGHER = {"unit": "pct", "decimals": 1, "direction": "higher"}
META_LOWER = {"unit": "days", "decimals": 0, "direction": "lower"}


def _darkness(rgba) -> float:
    r, g, b = rgba[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_better_is_darker_either_direction():
    assert _darkness(maps.colour(90, 10, 90, "higher")) < _darkness(maps.colour(10, 10, 90, "higher"))
    assert _darkness(maps.colour(10, 10, 90, "lower")) < _darkness(maps.colour(90, 10, 90, "lower"))
    assert maps.colour(None, 0, 1, "higher")[:3] == list(maps.NO_VALUE)


def test_legend_runs_best_first_in_finnish():
    stops = maps.legend(10.0, 90.0, META_HIGHER, "fi")
    assert stops[0]["label"] == "90,0\u00a0%" and stops[-1]["label"] == "10,0\u00a0%"
    assert maps.legend(1.0, 9.0, META_LOWER, "fi")[0]["label"] == "1\u00a0pv"


def _regions(codes: list[str], values: list[float | None], ranks: list[int | None]) -> pl.DataFrame:
    return pl.DataFrame({"unit_id": [f"HVA{c}" for c in codes], "code": codes, "name": codes,
                         "name_fi": codes, "value": values, "rank": ranks})


def _collection(spec: dict) -> dict:
    return next(v for v in spec["datasets"].values() if isinstance(v, dict) and v.get("type") == "FeatureCollection")


def test_choropleth_from_shipped_boundaries_offline():
    codes = sorted(maps.shipped_geometries())
    assert len(codes) == 22
    regions = _regions(codes, [float(i) if i else None for i in range(22)], [None, *range(1, 22)])
    spec = maps.choropleth(regions, None, META_HIGHER, lang="fi", period_text="3/2024").to_dict()
    assert spec["mark"]["type"] == "geoshape"
    rest = {k: v for k, v in spec.items() if k != "$schema"}  # a name, never fetched
    assert not re.search(r"https?://", json.dumps(rest))
    props = [f["properties"] for f in _collection(spec)["features"]]
    assert props[0]["value_text"] == "ei arvoa" and props[1]["value_text"] == "1,0\u00a0%"
    assert props[1]["period"] == "3/2024"
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_boundaries_are_sent_rounded():
    """3 decimals (about 100 m) and no repeated points: a fraction of the 5-decimal source."""
    codes = sorted(maps.shipped_geometries())
    regions = _regions(codes, [1.0] * 22, list(range(1, 23)))
    collection = _collection(maps.choropleth(regions, None, META_HIGHER, lang="fi").to_dict())
    text = json.dumps(collection, separators=(",", ":"))
    assert not re.search(r"\d\.\d{4,}", json.dumps([f["geometry"] for f in collection["features"]]))
    assert len(text) < 0.85 * maps.GEOJSON.stat().st_size, len(text)


def test_chosen_region_outlined_and_drawn_last():
    codes = sorted(maps.shipped_geometries())
    regions = _regions(codes, [float(i) for i in range(22)], list(range(1, 23)))
    features = maps.features(regions, None, META_HIGHER, lang="fi", chosen="12")
    assert features[-1]["properties"]["code"] == "12" and features[-1]["properties"]["chosen"]
    assert features[-1]["properties"]["stroke"] == maps.CHOSEN_STROKE[0]
    assert all(f["properties"]["stroke"] == maps.STROKE[0] for f in features[:-1])
    assert not any(f["properties"]["chosen"] for f in maps.features(regions, None, META_HIGHER, lang="fi"))


def test_selected_region_from_a_map_selection():
    """What `st.altair_chart(on_select="rerun")` returns → the region to open (AppTest cannot click)."""
    picked = {"selection": {maps.SELECTION: [{"code": "19"}]}}
    assert maps.selected_region(picked) == "19"
    assert maps.selected_region(picked["selection"]) == "19"  # the inner state works too
    assert maps.selected_region({"selection": {maps.SELECTION: [{"code": "01"}]}}) == "01"


def test_selected_region_none_without_a_usable_pick():
    assert maps.selected_region(None) is None
    assert maps.selected_region({}) is None
    assert maps.selected_region({"selection": {}}) is None
    assert maps.selected_region({"selection": {maps.SELECTION: []}}) is None
    assert maps.selected_region({"selection": {"other": [{"code": "19"}]}}) is None
    assert maps.selected_region({"selection": {maps.SELECTION: [{}]}}) is None
    # a code that is not on the map (e.g. outside the user's scope) is ignored
    picked = {"selection": {maps.SELECTION: [{"code": "19"}]}}
    assert maps.selected_region(picked, codes=["01", "02"]) is None
    assert maps.selected_region(picked, codes=["19"]) == "19"


def test_choropleth_is_selectable():
    """Selections need a named point selection on the region code; the name is the key `selected_region` reads."""
    codes = sorted(maps.shipped_geometries())[:2]
    spec = maps.choropleth(_regions(codes, [1.0, 2.0], [1, 2]), None, META_HIGHER, lang="fi").to_dict()
    param = spec["params"][0]
    assert param["name"] == maps.SELECTION and param["select"]["type"] == "point"
    assert param["select"]["fields"] == ["code"]
    assert {"calculate": "datum.properties.code", "as": "code"} in spec["transform"]


def test_rings_wound_for_vega():
    """d3-geo (Vega) wants exterior rings clockwise; the shipped RFC 7946 file has them counter-clockwise,
    which would fill the whole view instead of the region."""
    codes = sorted(maps.shipped_geometries())
    regions = _regions(codes, [1.0] * 22, list(range(1, 23)))
    for feature in maps.features(regions, None, META_HIGHER, lang="fi"):
        polygons = feature["geometry"]["coordinates"]
        polygons = polygons if feature["geometry"]["type"] == "MultiPolygon" else [polygons]
        for polygon in polygons:
            assert maps._shoelace(polygon[0]) < 0, feature["properties"]["code"]
