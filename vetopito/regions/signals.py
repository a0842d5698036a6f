"""What one region's series says: its SPC frame (XmR, or Laney's p′ chart for a proportion;
deseasonalised for a seasonal indicator), the phases where the limits were recalculated, the
target it is held against and the notes its chart must carry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from vetopito import i18n
from vetopito.stats import pchart, season, spc

RULESET = spc.RULESET_SPC


def uses_p_chart(meta: dict[str, Any], series: pl.DataFrame) -> bool:
    """A p-type chart for a percentage with numerators and denominators on every shown point
    (the region trend draws Laney's p′ chart, see `spc_frame`)."""
    if meta["unit"] != "pct" or meta["aggregation"] != "ratio" or series.is_empty():
        return False
    shown = series.filter(pl.col("value").is_not_null())
    return shown.height > 0 and shown["numerator"].null_count() == 0 and \
        shown["denominator"].null_count() == 0 and bool((shown["denominator"] > 0).all())


def spc_frame(series: pl.DataFrame, meta: dict[str, Any], rebase_at=()) -> pl.DataFrame:
    """The series (one grain, oldest first) with SPC columns in the indicator's own units:
    `period_start, value, mean, lower, upper, special_cause, rule, variation, trial_limits,
    segment, chart` (`xmr`, or `p_prime` for a proportion with denominators), `observed` (the
    value as measured) and `seasonal` (`adjusted`, `too_short` or null).

    Proportions get Laney's p′ chart (`pchart.p_prime_chart`): limits still follow each
    period's denominator, but widened by the between-period variation, since region-wide
    denominators (e.g. 100 000 sick-leave days a month) make binomial p-chart limits so
    tight that nearly every point would be a special cause (over-dispersion).

    A seasonal indicator (catalogue column `seasonal`) at a monthly or quarterly grain is
    judged on deseasonalised values (`season.deseasonalise`): `value` is then the adjusted value
    (for a proportion, numerators adjusted to the deseasonalised share) and `seasonal` is
    `adjusted`; with too few years to estimate the season it stays as measured, `too_short`.
    `rebase_at` (definition-change dates and the periods of marked process changes, `phase_changes`)
    starts a new phase with its own limits."""
    if series.is_empty():
        return series.with_columns(
            *[pl.lit(None, dtype=pl.Float64).alias(c) for c in ("mean", "lower", "upper")],
            pl.lit(None, dtype=pl.Boolean).alias("special_cause"),
            pl.lit(None, dtype=pl.String).alias("rule"),
            pl.lit(None, dtype=pl.String).alias("variation"),
            pl.lit(False).alias("trial_limits"), pl.lit(0, dtype=pl.Int64).alias("segment"),
            pl.lit("xmr").alias("chart"), pl.lit(None, dtype=pl.Float64).alias("observed"),
            pl.lit(None, dtype=pl.String).alias("seasonal"))
    periods = series["period_start"].to_list()
    direction = meta["direction"]
    grain = series["grain"][0]
    observed = series["value"]
    adjusted, seasonal = None, None
    if meta.get("seasonal") and grain in season.SEASONS_PER_YEAR:
        adjusted = season.deseasonalise(observed, periods, grain)
        seasonal = "too_short" if adjusted is None else "adjusted"
    if uses_p_chart(meta, series):
        shown = series["value"].is_not_null()
        num = pl.Series([n if s else None for n, s in zip(series["numerator"], shown, strict=True)],
                        dtype=pl.Float64)
        if adjusted is not None:  # the deseasonalised share of each period's own denominator
            den = series["denominator"].cast(pl.Float64)
            share = pl.Series(adjusted.values / 100.0, dtype=pl.Float64, nan_to_null=True)
            num = (share * den).clip(0.0, None)
            num = pl.select(pl.min_horizontal(num, den)).to_series()
        result = pchart.p_prime_chart(num, series["denominator"], direction=direction, periods=periods,
                                     rebase_at=list(rebase_at))
        out = result.select(
            pl.col("value_pct").alias("value"),
            *[(pl.col(c) * 100).alias(c) for c in ("mean", "lower", "upper")],
            "special_cause", "rule", "variation", "trial_limits", "segment",
        ).with_columns(pl.lit("p_prime").alias("chart"))
    else:
        values = observed if adjusted is None else pl.Series(adjusted.values, dtype=pl.Float64, nan_to_null=True)
        result = spc.spc(values, direction=direction, periods=periods, rebase_at=list(rebase_at))
        out = result.select("value", "mean", "lower", "upper", "special_cause", "rule", "variation",
                            "trial_limits", "segment").with_columns(pl.lit("xmr").alias("chart"))
    out = out.with_columns(observed.cast(pl.Float64).alias("observed"),
                           pl.lit(seasonal, dtype=pl.String).alias("seasonal"))
    return pl.concat([series.select("period_start", "grain"), out], how="horizontal")


def phase_starts(frame: pl.DataFrame) -> list[dt.date]:
    """Where an SPC frame's limits were recalculated (the first period of each later phase)."""
    if frame.is_empty():
        return []
    return spc.phase_starts(frame.select(pl.col("period_start").alias("period"), "segment"))


def deseasonalised_line(line: pl.DataFrame, grain: str) -> pl.DataFrame:
    """A reference line (`period_start, value, …`, oldest first) less its own seasonal pattern,
    drawn beside a deseasonalised region; dropped when it is too short to estimate one."""
    line = line.sort("period_start")
    adjusted = season.deseasonalise(line["value"], line["period_start"].to_list(), grain)
    if adjusted is None:
        return line.clear()
    return line.with_columns(pl.Series("value", adjusted.values, dtype=pl.Float64, nan_to_null=True))


PROCESS_CHANGE_COLUMNS = {"unit_id": pl.String, "event_date": pl.Date, "indicator_id": pl.String,
                          "label": pl.String}


def no_process_changes() -> pl.DataFrame:
    """An empty frame of `pages/region/process_changes` (a unit with no process change marked)."""
    return pl.DataFrame(schema=PROCESS_CHANGE_COLUMNS)


def period_of(day: dt.date, grain: str) -> dt.date:
    """The start of the period at `grain` that holds `day`: an event on 15.3.2024 belongs to the
    month 3/2024, the quarter 2024Q1, the year 2024, the ISO week 2024-W11 (its Monday, 11.3.2024);
    a day or survey round keeps its date."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if grain == "year":
        return dt.date(day.year, 1, 1)
    return day


def phase_changes(definition_changes: pl.DataFrame | None, process_changes: pl.DataFrame, indicator_id: str,
                  grain: str) -> list[dict[str, Any]]:
    """Where an indicator's series at `grain` starts a new SPC phase, oldest first: each definition
    change (`catalog/definition_changes`: from its `valid_from`, at the first period starting on or
    after it, as before) and each process change an analyst marked on the unit for this indicator
    or for all (`pages/region/process_changes`: from the period that holds the event's date). Each item
    is `{"date", "reason": "definition" | "process", "label"}`.

    A phase follows the rule of the definition changes: it starts whatever its length; a phase of
    fewer than `spc.TRIAL_LIMITS_MIN_POINTS` (12) points has trial limits, which the chart says."""
    defined = definition_changes.filter(pl.col("indicator_id") == indicator_id) \
        if definition_changes is not None else pl.DataFrame()
    out = [{"date": row["valid_from"], "reason": "definition", "label": None} for row in defined.iter_rows(named=True)]
    marked = process_changes.filter(pl.col("indicator_id").is_null() | (pl.col("indicator_id") == indicator_id))
    out += [{"date": period_of(row["event_date"], grain), "reason": "process", "label": row["label"]}
            for row in marked.iter_rows(named=True)]
    return sorted(out, key=lambda c: (c["date"], c["reason"], c["label"] or ""))


def rebase_dates(changes: list[dict[str, Any]]) -> list[dt.date]:
    """The dates `spc_frame` starts a new phase at (`rebase_at`)."""
    return [c["date"] for c in changes]


def change_rules(frame: pl.DataFrame, changes: list[dict[str, Any]], lang: str | None = None) -> pl.DataFrame:
    """The process changes drawn on the chart (a rule and a label at the first period of the phase
    each one started): `period_start, label, note` (`label` the text at the rule, `note` the analyst's
    own label for the tooltip; plain text for Vega, never markdown)."""
    starts = set(phase_starts(frame))
    periods = frame["period_start"].to_list() if frame.height else []
    rows = []
    for change in changes:
        if change["reason"] != "process":
            continue
        later = [p for p in periods if p >= change["date"]]
        if later and later[0] in starts:
            rows.append({"period_start": later[0], "note": change["label"],
                         "label": i18n.t("signals.chart.process_change_label", lang, label=change["label"])})
    return pl.DataFrame(rows, schema={"period_start": pl.Date, "note": pl.String, "label": pl.String})


def chart_notes(frame: pl.DataFrame, lang: str | None = None,
                changes: list[dict[str, Any]] | None = None) -> list[str]:
    """What the chart must say about how it judges the series: the seasonal view (or why there is
    none yet) and each date from which the limits were recalculated, with its reason: a definition
    change, or a process change with the analyst's label (`phase_changes`; without `changes` every
    phase is a definition change's). The texts are plain (the caller escapes them for markdown)."""
    notes = []
    seasonal = frame["seasonal"][0] if frame.height else None
    if seasonal == "adjusted":
        notes.append(i18n.t("signals.chart.seasonal_quarter" if frame["grain"][0] == "quarter"
                            else "signals.chart.seasonal", lang))
    elif seasonal == "too_short":
        notes.append(i18n.t("signals.chart.seasonal_too_short", lang))
    return notes + phase_notes(frame, lang, changes)


def phase_notes(frame: pl.DataFrame, lang: str | None = None,
                changes: list[dict[str, Any]] | None = None) -> list[str]:
    """Each date from which the limits were recalculated, with its reason (the part of
    `chart_notes` the chart's summary sentence repeats)."""
    notes: list[str] = []
    periods = frame["period_start"].to_list() if frame.height else []
    for start in phase_starts(frame):
        reasons: dict[str, list[str]] = {}
        for change in changes or ():
            later = [p for p in periods if p >= change["date"]]
            if later and later[0] == start:
                reasons.setdefault(change["reason"], []).append(change["label"] or "")
        date = i18n.fmt_date(start, lang)
        if changes is None or "definition" in reasons:
            notes.append(i18n.t("signals.chart.rebased", lang, date=date,
                                reason=i18n.t("signals.chart.reason_definition", lang)))
        if "process" in reasons:
            notes.append(i18n.t("signals.chart.rebased_process", lang, date=date,
                                label="; ".join(reasons["process"])))
    return notes


TARGET_SCOPES = {1: "own", 2: "yta", 3: "national"}  # `level` of pages/region/targets


def pick_target(targets: pl.DataFrame, indicator_id: str, at: dt.date | None) -> dict[str, Any] | None:
    """The target of an indicator not yet due at `at` (the latest period's start), soonest
    first; when every target is past due, the last one, marked `expired`. The row gets
    `expired` (bool) and `scope`: `own`, `yta` or `national` (from the query's `level`:
    pages/region/targets already keeps only the nearest level that has targets)."""
    rows = targets.filter(pl.col("indicator_id") == indicator_id).sort("due_date")
    if rows.is_empty():
        return None
    upcoming = rows if at is None else rows.filter(pl.col("due_date") >= at)
    row = upcoming.row(0, named=True) if not upcoming.is_empty() else rows.row(-1, named=True)
    row["expired"] = upcoming.is_empty()
    row["scope"] = TARGET_SCOPES.get(row.get("level") or 1, "own")
    return row


def value_at(series: pl.DataFrame, day: dt.date) -> float | None:
    """The latest shown value of a period starting on or before `day` (the value at, or just
    before, a target's due date)."""
    shown = series.filter(pl.col("value").is_not_null() & (pl.col("period_start") <= day))
    return None if shown.is_empty() else shown["value"][-1]


def target_text(target: dict[str, Any], meta: dict[str, Any], lang: str | None = None) -> str:
    """`Tavoite 80,0 % 31.12.2026 mennessä`, `Valtakunnallinen tavoite 90,0 % …`."""
    return i18n.t(f"region.tile.target_{target['scope']}", lang,
                  value=i18n.fmt_value(target["target_value"], meta["unit"], meta["decimals"], lang),
                  date=i18n.fmt_date(target["due_date"], lang))


def target_met(value: float | None, target: float | None, direction: str) -> bool | None:
    if i18n.is_missing(value) or target is None or direction == "neutral":
        return None
    return value >= target if direction == "higher" else value <= target
