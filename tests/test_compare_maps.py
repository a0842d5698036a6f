"""The choropleth: colour-blind-safe ramp oriented by direction, shipped boundaries, nothing fetched."""

from __future__ import annotations

import json
import re

import polars as pl

from vetopito import maps

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


def test_choropleth_from_shipped_boundaries_offline():
    codes = sorted(maps.shipped_geometries())
    assert len(codes) == 22
    regions = pl.DataFrame({"unit_id": [f"HVA{c}" for c in codes], "code": codes, "name": codes,
                            "name_fi": codes, "value": [float(i) if i else None for i in range(22)],
                            "rank": [None, *range(1, 22)]})
    deck = maps.choropleth(regions, None, META_HIGHER, lang="fi", period_text="3/2024")
    text = deck.to_json()
    assert not re.search(r"https?://", text)
    spec = json.loads(text)
    assert "mapProvider" not in spec
    props = [f["properties"] for f in spec["layers"][0]["data"]["features"]]
    assert props[0]["value_text"] == "ei arvoa" and props[1]["value_text"] == "1,0\u00a0%"
    assert props[1]["period"] == "3/2024"


def _feature(code: str) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [25.0, 65.0]},
            "properties": {"code": code, "name": f"Alue {code}"}}


def test_selected_region_from_a_pydeck_selection():
    """What `st.pydeck_chart(on_select="rerun")` returns → the region to open (AppTest cannot click)."""
    picked = {"selection": {"indices": {maps.LAYER_ID: [18]}, "objects": {maps.LAYER_ID: [_feature("19")]}}}
    assert maps.selected_region(picked) == "19"
    assert maps.selected_region(picked["selection"]) == "19"  # the inner state works too
    # a flattened object (properties only) and a numeric-looking code
    flat = {"selection": {"indices": {maps.LAYER_ID: [0]}, "objects": {maps.LAYER_ID: [{"code": "01"}]}}}
    assert maps.selected_region(flat) == "01"


def test_selected_region_none_without_a_usable_pick():
    empty = {"selection": {"indices": {}, "objects": {}}}
    assert maps.selected_region(None) is None
    assert maps.selected_region({}) is None
    assert maps.selected_region(empty) is None
    assert maps.selected_region({"selection": {"objects": {maps.LAYER_ID: []}}}) is None
    assert maps.selected_region({"selection": {"objects": {"other": [_feature("19")]}}}) is None
    assert maps.selected_region({"selection": {"objects": {maps.LAYER_ID: [{"properties": {}}]}}}) is None
    # a code that is not on the map (e.g. outside the user's scope) is ignored
    picked = {"selection": {"objects": {maps.LAYER_ID: [_feature("19")]}}}
    assert maps.selected_region(picked, codes=["01", "02"]) is None
    assert maps.selected_region(picked, codes=["19"]) == "19"


def test_choropleth_layer_is_selectable():
    """Selections need a pickable layer with an id; the id is the key `selected_region` reads."""
    codes = sorted(maps.shipped_geometries())[:2]
    regions = pl.DataFrame({"unit_id": [f"HVA{c}" for c in codes], "code": codes, "name": codes,
                            "name_fi": codes, "value": [1.0, 2.0], "rank": [1, 2]})
    layer = json.loads(maps.choropleth(regions, None, META_HIGHER, lang="fi").to_json())["layers"][0]
    assert layer["id"] == maps.LAYER_ID and layer["pickable"] is True
    feature = layer["data"]["features"][0]
    picked = {"selection": {"objects": {maps.LAYER_ID: [feature]}}}
    assert maps.selected_region(picked) == codes[0]
