"""Text alternatives of the charts (WCAG 2.1 AA, 1.1.1 non-text content): for each chart a short
summary sentence (what it shows, the latest value, the signal) and its data as a table.

Pure functions from the frames the pages already have to a `TextAlternative`; no Streamlit. The
table is a function so that it is built only when the user opens it (`ui.widgets.chart_alternative`).
The summary is plain text that may hold names from data: escape it before rendering markdown.
Hidden values (too few persons) stay hidden here too: the table says why, never the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import polars as pl

from vetopito import i18n


@dataclass(frozen=True)
class TextAlternative:
    summary: str
    table: Callable[[], pl.DataFrame]


def _name(meta: dict[str, Any], lang: str) -> str:
    return meta.get(f"name_{lang}") or meta.get("name_fi") or meta.get("indicator_id", "")


def _value(value: Any, meta: dict[str, Any], lang: str) -> str:
    return i18n.fmt_value(value, meta.get("unit") or "", int(meta.get("decimals") or 0), lang)


def _col(key: str, lang: str) -> str:
    return i18n.t(f"alt.col.{key}", lang)


def _hidden(row: dict[str, Any], lang: str) -> str | None:
    if row.get("is_hidden"):
        return i18n.t("alt.hidden", lang)
    return None


def _cell(row: dict[str, Any], meta: dict[str, Any], lang: str, column: str = "value") -> str:
    return _hidden(row, lang) or _value(row.get(column), meta, lang)


def region_trend(data: dict[str, Any], lang: str) -> TextAlternative:
    """The region page's SPC chart (`regions.overview.chart_data`): latest value, its class, the target."""
    frame: pl.DataFrame = data["spc"]
    meta = data["meta"]
    shown = frame.filter(pl.col("value").is_not_null()) if frame.height else frame
    if shown.is_empty():
        summary = i18n.t("alt.no_values", lang, what=data["title"])
    else:
        last = shown.row(-1, named=True)
        summary = i18n.t(
            "alt.region_trend", lang, what=data["title"], n=shown.height,
            first=i18n.fmt_period(shown["period_start"][0], last["grain"], lang),
            period=i18n.fmt_period(last["period_start"], last["grain"], lang),
            value=_value(last["value"], meta, lang),
            signal=i18n.t(f"region.variation_short.{last['variation'] or 'common_cause'}", lang))
        target = data.get("target")
        if target:
            summary += " " + target["legend"] + "."
        for note in data.get("phase_notes") or ():  # limits recalculated at a definition or process change
            summary += " " + note + "."
    return TextAlternative(summary, partial(region_trend_table, frame, meta, lang))


def region_trend_table(frame: pl.DataFrame, meta: dict[str, Any], lang: str) -> pl.DataFrame:
    rows = [{
        _col("period", lang): i18n.fmt_period(r["period_start"], r["grain"], lang),
        _col("value", lang): _value(r["value"], meta, lang),
        _col("mean", lang): _value(r["mean"], meta, lang),
        _col("lower", lang): _value(r["lower"], meta, lang),
        _col("upper", lang): _value(r["upper"], meta, lang),
        _col("signal", lang): i18n.t(f"region.variation_short.{r['variation'] or 'common_cause'}", lang),
    } for r in frame.iter_rows(named=True)]
    return _frame(rows, ["period", "value", "mean", "lower", "upper", "signal"], lang)


def _frame(rows: list[dict[str, str]], keys: list[str], lang: str) -> pl.DataFrame:
    columns = [_col(k, lang) for k in keys]
    return pl.DataFrame(rows, schema={c: pl.String for c in columns}) if rows else \
        pl.DataFrame(schema={c: pl.String for c in columns})


def _ranked(regions: pl.DataFrame) -> pl.DataFrame:
    return regions.filter(pl.col("value").is_not_null() & ~pl.col("is_hidden").fill_null(False)).sort("rank")


def comparison(data: dict[str, Any], lang: str, *, chart: str) -> TextAlternative:
    """The comparison page's map (`chart="map"`) or ranking (`chart="ranking"`)
    (`regions.compare.comparison`): the highest and lowest region, the country, the chosen region."""
    meta, regions = data["meta"], data["regions"]
    ranked = _ranked(regions)
    what = i18n.t(f"alt.chart.{chart}", lang, indicator=_name(meta, lang), period=data["period_text"])
    if ranked.is_empty():
        return TextAlternative(i18n.t("alt.no_values", lang, what=what),
                               partial(comparison_table, regions, meta, lang))
    top, bottom = ranked.row(0, named=True), ranked.row(-1, named=True)
    summary = i18n.t("alt.comparison", lang, what=what, n=ranked.height,
                     top=top["name"], top_value=top["value_text"],
                     bottom=bottom["name"], bottom_value=bottom["value_text"],
                     national=_value(data.get("national"), meta, lang))
    chosen = regions.filter(pl.col("chosen"))
    if chosen.height:
        row = chosen.row(0, named=True)
        summary += " " + i18n.t("alt.comparison_chosen", lang, name=row["name"],
                                value=_cell(row, meta, lang), rank=row["rank"] or "–", n=ranked.height)
    return TextAlternative(summary, partial(comparison_table, regions, meta, lang))


def comparison_table(regions: pl.DataFrame, meta: dict[str, Any], lang: str) -> pl.DataFrame:
    rows = [{
        _col("rank", lang): str(r["rank"]) if r["rank"] is not None and not r["is_hidden"] else "–",
        _col("region", lang): f"{r['name']} ({r['code']})",
        _col("value", lang): _cell(r, meta, lang),
    } for r in regions.sort("rank", nulls_last=True).iter_rows(named=True)]
    return _frame(rows, ["rank", "region", "value"], lang)


def funnel(data: dict[str, Any], lang: str) -> TextAlternative:
    """The funnel plot: how many regions lie inside the limits, and which lie outside."""
    meta, funnel_data = data["meta"], data["funnel"]
    points: pl.DataFrame = funnel_data["points"]
    outside = {kind: points.filter(pl.col("outside") == kind)["name"].to_list() for kind in ("out95", "out998")}
    none = i18n.t("alt.nobody", lang)
    summary = i18n.t("alt.funnel", lang, indicator=_name(meta, lang), period=data["period_text"],
                     n=points.height, centre=_value(funnel_data["centre"], meta, lang),
                     inside=points.filter(pl.col("outside") == "inside").height,
                     out95=", ".join(outside["out95"]) or none, out998=", ".join(outside["out998"]) or none)
    return TextAlternative(summary, partial(funnel_table, points, meta, lang))


def funnel_table(points: pl.DataFrame, meta: dict[str, Any], lang: str) -> pl.DataFrame:
    rows = [{
        _col("region", lang): f"{r['name']} ({r['code']})",
        _col("value", lang): _cell(r, meta, lang),
        _col("denominator", lang): i18n.fmt_number(r["denominator"], 0, lang),
        _col("limits", lang): i18n.t(f"alt.funnel_{r['outside']}", lang),
    } for r in points.sort("denominator").iter_rows(named=True)]
    return _frame(rows, ["region", "value", "denominator", "limits"], lang)


def units(series: pl.DataFrame, meta: dict[str, Any], lang: str) -> TextAlternative:
    """The units page's small multiples (`regions.drilldown.unit_series`): each unit's latest value."""
    what = _name(meta, lang)
    visible = series.filter(pl.col("value").is_not_null() & ~pl.col("is_hidden").fill_null(False))
    if visible.is_empty():
        return TextAlternative(i18n.t("alt.no_values", lang, what=what), partial(units_table, series, meta, lang))
    latest = visible.sort("period_start").group_by("unit_id", maintain_order=True).last().sort("value")
    period = visible["period_start"].max()
    grain = visible["grain"][0]
    low, high = latest.row(0, named=True), latest.row(-1, named=True)
    summary = i18n.t("alt.units", lang, indicator=what, n=latest.height,
                     period=i18n.fmt_period(period, grain, lang),
                     top=high["name"], top_value=_value(high["value"], meta, lang),
                     top_period=i18n.fmt_period(high["period_start"], grain, lang),
                     bottom=low["name"], bottom_value=_value(low["value"], meta, lang),
                     bottom_period=i18n.fmt_period(low["period_start"], grain, lang))
    return TextAlternative(summary, partial(units_table, series, meta, lang))


def units_table(series: pl.DataFrame, meta: dict[str, Any], lang: str) -> pl.DataFrame:
    rows = [{
        _col("unit", lang): r["name"],
        _col("period", lang): i18n.fmt_period(r["period_start"], r["grain"], lang),
        _col("value", lang): _cell(r, meta, lang),
    } for r in series.sort("name", "period_start").iter_rows(named=True)]
    return _frame(rows, ["unit", "period", "value"], lang)


def _team_signal(measure: Any, lang: str) -> str:
    summary = measure.summary or {}
    found = [i18n.t(f"alt.team_signal.{rule}", lang) for rule in ("shift", "trend", "astronomical")
             if summary.get(rule)]
    if summary.get("too_few_runs") or summary.get("too_many_runs"):
        found.append(i18n.t("alt.team_signal.runs", lang))
    return ", ".join(found) if found else i18n.t("alt.team_signal.none", lang)


def team_measure(measure: Any, lang: str) -> TextAlternative:
    """A team's run chart (`teams.progress.Measure`): the latest visible value, baseline and aim, signal."""
    meta = {"unit": measure.unit, "decimals": measure.decimals}
    points: pl.DataFrame = measure.points
    visible = points.filter(pl.col("value").is_not_null() & ~pl.col("is_hidden").fill_null(False))
    if visible.is_empty():
        summary = i18n.t("alt.no_values", lang, what=measure.name)
    else:
        last = visible.row(-1, named=True)
        summary = i18n.t("alt.team", lang, measure=measure.name, n=visible.height,
                         period=last["period_label"], value=_value(last["value"], meta, lang),
                         baseline=_value(measure.baseline_value, meta, lang) if not measure.baseline_hidden
                         else i18n.t("alt.hidden", lang),
                         aim=_value(measure.aim_value, meta, lang),
                         aim_date=i18n.fmt_date(measure.aim_date, lang) if isinstance(measure.aim_date, dt.date)
                         else "–",
                         signal=_team_signal(measure, lang))
        from vetopito.teams import charts as team_charts
        summary = " ".join([summary, *(note + "." for note in team_charts.median_notes(measure, lang))])
    return TextAlternative(summary, partial(team_table, points, meta, lang))


def team_table(points: pl.DataFrame, meta: dict[str, Any], lang: str) -> pl.DataFrame:
    rows = [{
        _col("period", lang): r["period_label"],
        _col("value", lang): _cell(r, meta, lang),
        _col("median", lang): _value(r["median"], meta, lang),
        _col("phase", lang): i18n.t("alt.phase.baseline" if r["baseline"] else "alt.phase.follow_up", lang),
        _col("signal", lang): ", ".join(i18n.t(f"alt.team_signal.{rule}", lang)
                                        for rule in ("shift", "trend", "astronomical") if r[rule]) or "–",
    } for r in points.iter_rows(named=True)]
    return _frame(rows, ["period", "value", "median", "phase", "signal"], lang)
