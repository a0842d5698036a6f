"""The choropleth of the 22 regions with pydeck, offline: no basemap, nothing fetched.

Boundaries come from `unit.boundary_geojson` (GeoJSON geometry, WGS84) and, where the
database has none, from the shipped `data/reference/regions/hyvinvointialueet.geojson`.
Colours follow a colour-blind-safe sequential ramp (cividis-like, dark blue → yellow),
oriented so that the better value is always the darker blue.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Mapping
from functools import cache
from typing import Any

import polars as pl
import pydeck as pdk

from vetopito import db, i18n

GEOJSON = db.ROOT / "data" / "reference" / "regions" / "hyvinvointialueet.geojson"
# Cividis (Nuñez, Anderton & Renslow 2018) sampled at 6 stops: readable with every colour-vision deficiency.
RAMP = [(0, 34, 78), (40, 60, 110), (87, 92, 109), (124, 123, 120), (171, 160, 114), (253, 234, 69)]
NO_VALUE = (220, 220, 220)
LAYER_ID = "regions"  # the GeoJsonLayer's id: the key of a selection's objects
VIEW = pdk.ViewState(latitude=64.9, longitude=25.8, zoom=3.9, min_zoom=3, max_zoom=8)


@cache
def shipped_geometries() -> dict[str, dict[str, Any]]:
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: f["geometry"] for f in data["features"]}


def geometries(boundaries: pl.DataFrame | None) -> dict[str, dict[str, Any]]:
    """Geometry per region code: the database's where present, else the shipped file's."""
    found = dict(shipped_geometries())
    if boundaries is not None and not boundaries.is_empty():
        for row in boundaries.iter_rows(named=True):
            if row.get("boundary_geojson"):
                geom = json.loads(row["boundary_geojson"])
                found[row["code"]] = geom.get("geometry", geom) if geom.get("type") == "Feature" else geom
    return found


def colour(value: float | None, lo: float, hi: float, direction: str) -> list[int]:
    """The ramp colour of `value`: the better end (by direction) is the darkest blue."""
    if i18n.is_missing(value):
        return [*NO_VALUE, 200]
    share = 0.5 if hi == lo else (value - lo) / (hi - lo)
    if direction != "lower":
        share = 1 - share  # higher is better → high values dark
    pos = share * (len(RAMP) - 1)
    i = min(int(pos), len(RAMP) - 2)
    f = pos - i
    return [round(RAMP[i][k] + (RAMP[i + 1][k] - RAMP[i][k]) * f) for k in range(3)] + [230]


def legend(lo: float | None, hi: float | None, meta: dict[str, Any], lang: str | None = None) -> list[dict[str, Any]]:
    """Legend stops from best to worst: hex colour and formatted value."""
    if lo is None or hi is None:
        return []
    better_high = meta["direction"] != "lower"
    stops = [hi - (hi - lo) * k / 4 for k in range(5)] if better_high else [lo + (hi - lo) * k / 4 for k in range(5)]
    out = []
    for v in stops:
        r, g, b, _ = colour(v, lo, hi, meta["direction"])
        out.append({"colour": f"#{r:02x}{g:02x}{b:02x}",
                    "label": i18n.fmt_value(v, meta["unit"], meta["decimals"], lang)})
    return out


def choropleth(regions: pl.DataFrame, boundaries: pl.DataFrame | None, meta: dict[str, Any], *,
               lang: str | None = None, period_text: str = "") -> pdk.Deck:
    """A GeoJsonLayer of the regions coloured by value, with Finnish-formatted tooltips and no basemap."""
    geoms = geometries(boundaries)
    values = regions["value"].drop_nulls()
    lo, hi = (values.min(), values.max()) if len(values) else (None, None)
    features = []
    for row in regions.iter_rows(named=True):
        geom = geoms.get(row["code"])
        if geom is None:
            continue
        text = row.get("value_text") or i18n.fmt_value(row["value"], meta["unit"], meta["decimals"], lang)
        if i18n.is_missing(row["value"]):
            text = i18n.t("compare.no_value", lang)
        # the tooltip below is HTML (deck.gl sets innerHTML): every text in it is escaped
        features.append({"type": "Feature", "geometry": geom, "properties": {
            "code": html.escape(str(row["code"])), "unit_id": row["unit_id"],
            "name": html.escape(str(row.get("name") or row["name_fi"])),
            "value_text": html.escape(text),
            "rank_text": "" if row.get("rank") is None else f"{row['rank']}/{values.len()}",
            "period": html.escape(period_text),
            "fill": colour(row["value"], lo or 0.0, hi or 0.0, meta["direction"])}})
    layer = pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=LAYER_ID,
                      pickable=True, stroked=True, filled=True, get_fill_color="properties.fill",
                      get_line_color=[255, 255, 255], line_width_min_pixels=1, auto_highlight=True)
    tooltip = {"html": "<b>{name}</b> ({code})<br/>{period}: {value_text}<br/>{rank_text}",
               "style": {"fontSize": "13px"}}
    return pdk.Deck(layers=[layer], initial_view_state=VIEW, map_provider=None, tooltip=tooltip)


def legend_markdown(regions: pl.DataFrame, meta: dict[str, Any], lang: str | None = None) -> str:
    """The colour legend as markdown (best first), with the 'no value' swatch."""
    values = regions["value"].drop_nulls()
    stops = legend(values.min(), values.max(), meta, lang) if len(values) else []
    lines = [f"**{i18n.t('compare.legend_better', lang)}**"]
    lines += [f"<span style='color:{s['colour']}'>■■</span> {s['label']}" for s in stops]
    lines.append(f"**{i18n.t('compare.legend_worse', lang)}**")
    lines.append(f"<span style='color:#dcdcdc'>■■</span> {i18n.t('compare.no_value', lang)}")
    return "  \n".join(lines)


def selected_region(selection: Mapping[str, Any] | None, codes: Collection[str] | None = None) -> str | None:
    """The region code of the feature picked on the map, or None.

    `selection` is what `st.pydeck_chart(..., on_select="rerun")` returns (`{"selection":
    {"indices": {...}, "objects": {"regions": [feature, ...]}}}`) or its inner `selection`. A picked
    object is the GeoJSON feature (code under `properties`) or, flattened, its properties. A code
    not in `codes` (when given: the regions on the map) is ignored.
    """
    if not selection:
        return None
    inner = selection.get("selection", selection)
    objects = (inner.get("objects") or {}) if isinstance(inner, Mapping) else {}
    for obj in objects.get(LAYER_ID) or []:
        if not isinstance(obj, Mapping):
            continue
        props = obj.get("properties") if isinstance(obj.get("properties"), Mapping) else obj
        code = props.get("code")
        if code is not None and str(code) and (codes is None or str(code) in {str(c) for c in codes}):
            return str(code)
    return None
