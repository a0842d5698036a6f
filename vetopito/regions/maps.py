"""The choropleth of the 22 regions with Altair/Vega (`mark_geoshape`), offline: no basemap, nothing fetched.

Boundaries come from `unit.boundary_geojson` (GeoJSON geometry, WGS84) and, where the
database has none, from the shipped `data/reference/regions/hyvinvointialueet.geojson`;
coordinates are rounded to 3 decimals (about 100 m, far below a pixel at country zoom) before
they are sent. Vega is already loaded for the page's other charts, so the map costs no
extra frontend bundle (pydeck's deck.gl was the page's slowest part to load).
Colours follow a colour-blind-safe sequential ramp (cividis-like, dark blue → yellow),
oriented so that the better value is always the darker blue. The region the director came
with is outlined in black, drawn last so no neighbour covers its outline.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Mapping
from functools import cache
from typing import Any

import altair as alt
import polars as pl

from vetopito import db, i18n
from vetopito.charts import base

GEOJSON = db.ROOT / "data" / "reference" / "regions" / "hyvinvointialueet.geojson"
# Cividis (Nuñez, Anderton & Renslow 2018) sampled at 6 stops: readable with every colour-vision deficiency.
RAMP = [(0, 34, 78), (40, 60, 110), (87, 92, 109), (124, 123, 120), (171, 160, 114), (253, 234, 69)]
NO_VALUE = (220, 220, 220)
SELECTION = "region"  # the map's point selection: the key of its `on_select` state
DECIMALS = 3  # coordinate rounding of what is sent (about 100 m)
STROKE = ("#ffffff", 0.8)  # every region's outline: colour, width (px)
CHOSEN_STROKE = ("#000000", 3.0)  # the chosen region's outline
# TM35FIN-like view: a transverse Mercator centred on 27° E, as Finnish maps are drawn
PROJECTION = {"type": "transverseMercator", "rotate": [-27, 0, 0]}


@cache
def shipped_geometries() -> dict[str, dict[str, Any]]:
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: f["geometry"] for f in data["features"]}


def _rounded(coords: Any) -> Any:
    """Coordinates rounded to `DECIMALS`, with repeated consecutive points dropped."""
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), DECIMALS) for c in coords]
    out: list[Any] = []
    for part in coords:
        item = _rounded(part)
        if not out or item != out[-1] or not isinstance(item[0], float):
            out.append(item)
    return out


def _shoelace(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))


def _d3_polygon(rings: list[Any]) -> list[Any]:
    """A polygon wound as Vega's d3-geo reads it: exterior ring clockwise, holes counter-clockwise.
    (RFC 7946 files wind the exterior counter-clockwise, which d3-geo reads as "everything but
    this" and fills the whole view.)"""
    out = []
    for index, ring in enumerate(rings):
        clockwise = _shoelace(ring) < 0
        out.append(ring if clockwise == (index == 0) else list(reversed(ring)))
    return out


def rounded_geometry(geom: dict[str, Any]) -> dict[str, Any]:
    """The geometry for Vega: coordinates rounded, rings wound as d3-geo expects (`_d3_polygon`)."""
    coords = _rounded(geom["coordinates"])
    if geom["type"] == "Polygon":
        coords = _d3_polygon(coords)
    elif geom["type"] == "MultiPolygon":
        coords = [_d3_polygon(polygon) for polygon in coords]
    return {"type": geom["type"], "coordinates": coords}


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


def _hex(rgba: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgba[:3])


def features(regions: pl.DataFrame, boundaries: pl.DataFrame | None, meta: dict[str, Any], *,
             lang: str | None = None, period_text: str = "", chosen: str | None = None) -> list[dict[str, Any]]:
    """One GeoJSON feature per region with a boundary: fill, outline, formatted value, rank and
    `chosen`; the chosen region last."""
    geoms = geometries(boundaries)
    values = regions["value"].drop_nulls()
    lo, hi = (values.min(), values.max()) if len(values) else (None, None)
    out = []
    for row in regions.iter_rows(named=True):
        geom = geoms.get(row["code"])
        if geom is None:
            continue
        text = row.get("value_text") or i18n.fmt_value(row["value"], meta["unit"], meta["decimals"], lang)
        if i18n.is_missing(row["value"]):
            text = i18n.t("compare.no_value", lang)
        is_chosen = chosen is not None and str(row["code"]) == str(chosen)
        stroke, width = CHOSEN_STROKE if is_chosen else STROKE
        out.append({"type": "Feature", "geometry": rounded_geometry(geom), "properties": {
            "code": row["code"], "unit_id": row["unit_id"], "name": row.get("name") or row["name_fi"],
            "value_text": text, "rank_text": "" if row.get("rank") is None else f"{row['rank']}/{values.len()}",
            "period": period_text, "chosen": is_chosen,
            "fill": _hex(colour(row["value"], lo or 0.0, hi or 0.0, meta["direction"])),
            "stroke": stroke, "stroke_width": width}})
    return sorted(out, key=lambda f: f["properties"]["chosen"])  # stable: the chosen one last


def choropleth(regions: pl.DataFrame, boundaries: pl.DataFrame | None, meta: dict[str, Any], *,
               lang: str | None = None, period_text: str = "", chosen: str | None = None,
               height: int = 560) -> alt.Chart:
    """The regions as Vega geoshapes coloured by value, the chosen region outlined, Finnish-formatted
    tooltips (name, value at the period, rank), no basemap; a click selects a region (`SELECTION`,
    read back by `selected_region`)."""
    collection = {"type": "FeatureCollection",
                  "features": features(regions, boundaries, meta, lang=lang, period_text=period_text, chosen=chosen)}
    data = alt.InlineData(values=collection, format=alt.DataFormat(property="features", type="json"))
    pick = alt.selection_point(name=SELECTION, fields=["code"], on="click", clear=False)
    chart = alt.Chart(data).mark_geoshape(cursor="pointer").transform_calculate(
        code="datum.properties.code",
    ).encode(
        fill=alt.Fill("properties.fill:N", scale=None, legend=None),
        stroke=alt.Stroke("properties.stroke:N", scale=None, legend=None),
        strokeWidth=alt.StrokeWidth("properties.stroke_width:Q", scale=None, legend=None),
        tooltip=[alt.Tooltip("properties.name:N", title=i18n.t("compare.region", lang)),
                 alt.Tooltip("properties.code:N", title=i18n.t("compare.code", lang)),
                 alt.Tooltip("properties.value_text:N", title=period_text or i18n.t("region.chart.value", lang)),
                 alt.Tooltip("properties.rank_text:N", title=i18n.t("compare.rank", lang))],
    ).add_params(pick).project(**PROJECTION).properties(height=height, width="container")
    return chart.configure(locale=i18n.vega_locale(lang), font=base.FONT, view=alt.ViewConfig(stroke=None))


def legend_html(regions: pl.DataFrame, meta: dict[str, Any], lang: str | None = None) -> str:
    """The colour legend (best first, then the 'no value' swatch) as HTML for `st.html`: markdown
    would need raw HTML for the swatches' colours, which costs the browser an HTML parser of its own
    (rehype-raw, 184 kB of script) on the comparison page alone. The swatches are decoration,
    hidden from screen readers; every text is escaped."""
    values = regions["value"].drop_nulls()
    stops = legend(values.min(), values.max(), meta, lang) if len(values) else []

    def swatch(colour: str, label: str) -> str:
        return f'<span style="color:{colour}" aria-hidden="true">■■</span> {html.escape(label)}'

    lines = [f"<strong>{html.escape(i18n.t('compare.legend_better', lang))}</strong>"]
    lines += [swatch(s["colour"], s["label"]) for s in stops]
    lines.append(f"<strong>{html.escape(i18n.t('compare.legend_worse', lang))}</strong>")
    lines.append(swatch("#dcdcdc", i18n.t("compare.no_value", lang)))
    return '<p class="vv-legend">' + "<br>".join(lines) + "</p>"


def selected_region(selection: Mapping[str, Any] | None, codes: Collection[str] | None = None) -> str | None:
    """The region code picked on the map, or None.

    `selection` is what `st.altair_chart(..., on_select="rerun")` returns (`{"selection":
    {"region": [{"code": "19"}]}}`) or its inner `selection`. A code not in `codes` (when given:
    the regions on the map) is ignored.
    """
    if not selection:
        return None
    inner = selection.get("selection", selection)
    picked = inner.get(SELECTION) if isinstance(inner, Mapping) else None
    if isinstance(picked, Mapping):  # an interval-like state: {"code": [...]}
        picked = [{"code": c} for c in (picked.get("code") or [])]
    for obj in picked or []:
        if not isinstance(obj, Mapping):
            continue
        code = obj.get("code")
        if code is not None and str(code) and (codes is None or str(code) in {str(c) for c in codes}):
            return str(code)
    return None
