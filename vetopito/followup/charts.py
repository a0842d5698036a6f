"""A sub-project's charts: an indicator measure as the region page's SPC chart
(`regions.charts.spc_chart`: values, mean, limits, signals) with the baseline, the interim targets
and the reporting rounds drawn over it; an output measure's running count against its plan; the
milestones as a timeline. Pure: a `Measure` in, an Altair chart (and its text alternative) out."""

from __future__ import annotations

import datetime as dt
from functools import partial

import altair as alt
import polars as pl

from vetopito import alt_text, i18n
from vetopito.charts import base
from vetopito.followup import status as st_
from vetopito.followup.model import Followup, Measure
from vetopito.programmes import status as programme_status
from vetopito.regions import charts as region_charts
from vetopito.regions import signals

ROUND = "#5B3A8C"      # reporting rounds: dark violet, as the process changes' rules
BASELINE = "#1B1F24"
HISTORY_BEFORE_BASELINE = 365   # days of the series shown before the baseline (or the programme's start)


def _t(key: str, lang: str | None, **values) -> str:
    return i18n.t(f"followup.chart.{key}", lang, **values)


def _rounds_frame(followup: Followup) -> pl.DataFrame:
    return pl.DataFrame({"date": [r.date for r in followup.rounds],
                         "label": [r.label(followup.lang) for r in followup.rounds],
                         "ypix": [8 + 12 * (i % 2) for i in range(len(followup.rounds))]},   # staggered labels
                        schema={"date": pl.Date, "label": pl.String, "ypix": pl.Int64})


def _round_layers(followup: Followup, lang: str, *, labels: bool = True) -> list[alt.Chart]:
    rounds = _rounds_frame(followup)
    if rounds.is_empty():
        return []
    chart = alt.Chart(rounds)
    tip = [alt.Tooltip("date:T", title=_t("round", lang), format=base.date_format()),
           alt.Tooltip("label:N", title=" ")]
    rules = [chart.mark_rule(color=ROUND, strokeDash=[2, 3], strokeWidth=1.2).encode(x=alt.X("date:T"), tooltip=tip)]
    if not labels:
        return rules
    return [*rules, chart.mark_text(align="left", dx=3, color=ROUND, fontSize=10).encode(
                x=alt.X("date:T"), y=alt.Y("ypix:Q", scale=None, axis=None), text=alt.Text("label:N"))]


def _start(measure: Measure, followup: Followup) -> dt.date | None:
    first = measure.baseline_date or followup.programme.get("period_start")
    return first - dt.timedelta(days=HISTORY_BEFORE_BASELINE) if first else None


def indicator_data(measure: Measure, followup: Followup) -> dict:
    """The frames of an indicator measure's chart (the region page's `chart_data` shape, for
    `regions.charts.spc_chart` and `alt_text.region_trend`): the series from a year before the
    baseline, its SPC columns, no national line."""
    lang = followup.lang
    meta = {**(measure.meta or {}), f"name_{lang}": measure.indicator_name}
    series = measure.series if measure.series is not None else pl.DataFrame()
    start = _start(measure, followup)
    if series.height:   # from a year before the baseline up to the view's today
        series = series.filter(pl.col("period_start") <= followup.today)
        if start is not None:
            series = series.filter(pl.col("period_start") >= start)
    frame = signals.spc_frame(series, meta)
    title = _t("indicator_title", lang, indicator=measure.indicator_name, unit=measure.unit_name or measure.unit_id or "")
    return {"meta": meta, "title": title, "series_label": measure.unit_name or measure.unit_id or "", "spc": frame,
            "seasonal": frame["seasonal"][0] if frame.height else None,
            "notes": signals.chart_notes(frame, lang, []), "phase_notes": [], "national": None, "target": None,
            "changes": None, "process_changes": None,
            "trial_limits": bool(frame.height and frame["trial_limits"].any()),
            "chart": frame["chart"][0] if frame.height else "xmr"}


def indicator_chart(measure: Measure, followup: Followup, *, height: int = 320) -> alt.TopLevelMixin:
    """The SPC chart of the followed indicator with the baseline (a black ring), every interim
    target (a green diamond with its value) and the reporting rounds (violet rules) over it."""
    lang = followup.lang
    data = indicator_data(measure, followup)
    chart = region_charts.spc_chart(data, lang=lang, height=height)
    meta = data["meta"]
    fmt = base.number_format(meta.get("decimals") or 0)
    extra: list[alt.Chart] = []
    targets = pl.DataFrame({"date": [t.date for t in measure.targets if t.value is not None],
                            "value": [float(t.value) for t in measure.targets if t.value is not None],
                            "text": [t.text or "" for t in measure.targets if t.value is not None]},
                           schema={"date": pl.Date, "value": pl.Float64, "text": pl.String})
    if targets.height:
        tchart = alt.Chart(targets)
        extra.append(tchart.mark_point(shape="diamond", size=120, filled=True, color=base.TARGET).encode(
            x=alt.X("date:T"), y=alt.Y("value:Q"),
            tooltip=[alt.Tooltip("date:T", title=_t("target_date", lang), format=base.date_format()),
                     alt.Tooltip("value:Q", title=_t("target", lang), format=fmt),
                     alt.Tooltip("text:N", title=" ")]))
        extra.append(tchart.mark_text(dy=-12, color=base.TARGET, fontSize=11, fontWeight="bold").encode(
            x=alt.X("date:T"), y=alt.Y("value:Q"), text=alt.Text("value:Q", format=fmt)))
    if measure.baseline_value is not None and measure.baseline_date is not None:
        bchart = alt.Chart(pl.DataFrame({"date": [measure.baseline_date], "value": [float(measure.baseline_value)],
                                         "text": [measure.baseline_text or ""]}))
        extra.append(bchart.mark_point(shape="circle", size=160, filled=False, strokeWidth=2.5, color=BASELINE).encode(
            x=alt.X("date:T"), y=alt.Y("value:Q"),
            tooltip=[alt.Tooltip("date:T", title=_t("baseline", lang), format=base.date_format()),
                     alt.Tooltip("value:Q", title=_t("baseline_value", lang), format=fmt),
                     alt.Tooltip("text:N", title=" ")]))
    extra.extend(_round_layers(followup, lang))
    chart.layer = [*chart.layer, *extra]
    return chart


def running_count(counts: pl.DataFrame, start: dt.date | None) -> pl.DataFrame:
    """`date, total`: the count so far at the end of each counted period (`counts` sorted by
    `period_end`), from zero at `start` or at the first period's start if that is earlier: nothing
    is counted before the programme starts, so a single count is a step, not a lone dot."""
    running = counts.select(pl.col("period_end").alias("date"),
                            pl.col("value").cum_sum().cast(pl.Float64).alias("total"))
    starts = [d for d in (start, counts["period_start"].min() if counts.height else None) if d is not None]
    if not starts:
        return running
    zero = pl.DataFrame({"date": [min(starts)], "total": [0.0]}, schema=running.schema)
    return pl.concat([zero, running])


def output_chart(measure: Measure, followup: Followup, *, height: int = 260) -> alt.TopLevelMixin:
    """An output measure: the running count at the end of each counted period (a step line from
    zero at the programme's start) and the plan's interim targets (green diamonds), the rounds as rules."""
    lang = followup.lang
    counts = (measure.counts if measure.counts is not None else pl.DataFrame(
        schema={"period_start": pl.Date, "period_end": pl.Date, "value": pl.Float64})).sort("period_end")
    running = running_count(counts, followup.programme.get("period_start"))
    x = alt.X("date:T", title=_t("date", lang), axis=alt.Axis(format="%Y", tickCount="year"))
    y_title = measure.output_kind or _t("count", lang)
    layers = [alt.Chart(running).mark_line(interpolate="step-after", point=True, color=base.SERIES).encode(
        x=x, y=alt.Y("total:Q", title=y_title),
        tooltip=[alt.Tooltip("date:T", title=_t("date", lang), format=base.date_format()),
                 alt.Tooltip("total:Q", title=_t("total", lang), format=",.0f")])]
    plan = pl.DataFrame({"date": [t.date for t in measure.targets if t.value is not None],
                         "value": [float(t.value) for t in measure.targets if t.value is not None]},
                        schema={"date": pl.Date, "value": pl.Float64})
    if plan.height:
        layers.append(alt.Chart(plan).mark_point(shape="diamond", size=120, filled=True, color=base.TARGET).encode(
            x=x, y=alt.Y("value:Q"), tooltip=[alt.Tooltip("date:T", title=_t("target_date", lang), format=base.date_format()),
                                      alt.Tooltip("value:Q", title=_t("plan", lang), format=",.0f")]))
    layers.extend(_round_layers(followup, lang))
    title = alt.TitleParams(text=measure.name, subtitle=[_t("output_subtitle", lang)], anchor="start")
    return base.localise(alt.layer(*layers).properties(height=height, width="container", title=title), lang)


def milestone_frame(measures: list[Measure], followup: Followup) -> pl.DataFrame:
    """One row per milestone: its name, due and done dates and its state today (`status`)."""
    rows = []
    for m in measures:
        if m.kind != "milestone":
            continue
        state = programme_status.milestone_status(m.due_date, m.done_date, followup.today)
        rows.append({"name": m.name, "due": m.due_date, "done": m.done_date, "state": state,
                     "state_text": i18n.t(f"followup.board.state.{state}", followup.lang),
                     "date": m.done_date or m.due_date})
    return pl.DataFrame(rows, schema={"name": pl.String, "due": pl.Date, "done": pl.Date, "state": pl.String,
                                      "state_text": pl.String, "date": pl.Date})


STATE_COLOURS = {"done": base.TARGET, "due": base.NEUTRAL, "late": "#B35C00"}
STATE_SHAPES = {"done": "circle", "due": "circle", "late": "triangle-down"}


def milestone_timeline(measures: list[Measure], followup: Followup) -> alt.TopLevelMixin | None:
    """The milestones on a time line: a filled dot where done, a hollow one where due, an orange
    triangle where late; a thin line from due to done; rounds and today as rules. None without
    milestones."""
    lang = followup.lang
    frame = milestone_frame(measures, followup)
    if frame.is_empty():
        return None
    states = [s for s in ("done", "due", "late") if s in set(frame["state"].to_list())]
    labels = [i18n.t(f"followup.board.state.{s}", lang) for s in states]
    y = alt.Y("name:N", title=None, sort=frame["name"].to_list(), axis=alt.Axis(labelLimit=320))
    tip = [alt.Tooltip("name:N", title=" "), alt.Tooltip("state_text:N", title=_t("state", lang)),
           alt.Tooltip("due:T", title=_t("due", lang), format=base.date_format()),
           alt.Tooltip("done:T", title=_t("done", lang), format=base.date_format())]
    span = alt.Chart(frame.filter(pl.col("due").is_not_null() & pl.col("done").is_not_null())).mark_rule(
        color=base.NEUTRAL).encode(x=alt.X("due:T"), x2=alt.X2("done:T"), y=y)
    dots = alt.Chart(frame).mark_point(size=140, filled=True, opacity=1).encode(
        x=alt.X("date:T", title=_t("date", lang), axis=alt.Axis(format="%Y", tickCount="year")), y=y,
        color=alt.Color("state_text:N", title=_t("state", lang), scale=alt.Scale(
            domain=labels, range=[STATE_COLOURS[s] for s in states]), legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("state_text:N", scale=alt.Scale(domain=labels, range=[STATE_SHAPES[s] for s in states]),
                        legend=None),
        tooltip=tip)
    today = alt.Chart(pl.DataFrame({"date": [followup.today]})).mark_rule(color=BASELINE, strokeWidth=1.5).encode(
        x=alt.X("date:T"), tooltip=[alt.Tooltip("date:T", title=_t("today", lang), format=base.date_format())])
    # the rounds as rules with a tooltip, no label: a label's pixel height would need a y scale of
    # its own, and Streamlit then draws the nested layer a few pixels high
    chart = alt.layer(span, dots, today, *_round_layers(followup, lang, labels=False)).properties(
        height=190 + 46 * frame.height, width="container",
        title=alt.TitleParams(_t("milestones_title", lang), anchor="start"))
    return base.localise(chart, lang)


def measure_chart(measure: Measure, followup: Followup, *, height: int = 440) -> alt.TopLevelMixin | None:
    """A measure's chart (None for a milestone). In the app `height` holds the title, the legends and
    the axes too (Streamlit fits a container-wide chart into it), so it is generous."""
    if measure.kind == "indicator":
        return indicator_chart(measure, followup, height=height)
    if measure.kind == "output":
        return output_chart(measure, followup, height=min(height, 340))
    return None


def measure_alternative(measure: Measure, followup: Followup) -> alt_text.TextAlternative:
    """The text alternative of a measure's chart: the region trend's for an indicator (latest
    value, signal), the running count against the plan for an output."""
    lang = followup.lang
    if measure.kind == "indicator":
        return alt_text.region_trend(indicator_data(measure, followup), lang)
    s = st_.measure_status(followup, measure, followup.today)
    counts = measure.counts if measure.counts is not None else pl.DataFrame()
    return alt_text.TextAlternative(f"{measure.name}: {st_.status_text(measure, s, lang)}",
                                    partial(_counts_table, counts, lang))


def _counts_table(counts: pl.DataFrame, lang: str) -> pl.DataFrame:
    if counts.is_empty():
        return pl.DataFrame({_t("period", lang): [], _t("count", lang): []})
    return counts.select(
        (pl.col("period_start").map_elements(lambda d: i18n.fmt_date(d, lang), return_dtype=pl.String) + " – "
         + pl.col("period_end").map_elements(lambda d: i18n.fmt_date(d, lang), return_dtype=pl.String))
        .alias(_t("period", lang)),
        pl.col("value").map_elements(lambda v: i18n.fmt_number(v, 0, lang), return_dtype=pl.String)
        .alias(_t("count", lang)))


def milestone_alternative(measures: list[Measure], followup: Followup) -> alt_text.TextAlternative:
    lang = followup.lang
    frame = milestone_frame(measures, followup)
    counts = {s: frame.filter(pl.col("state") == s).height for s in ("done", "due", "late")}
    summary = _t("milestones_summary", lang, done=counts["done"], due=counts["due"], late=counts["late"])

    def table() -> pl.DataFrame:
        return frame.select(pl.col("name").alias(_t("milestone", lang)),
                            pl.col("state_text").alias(_t("state", lang)),
                            pl.col("due").map_elements(lambda d: i18n.fmt_date(d, lang), return_dtype=pl.String)
                            .alias(_t("due", lang)),
                            pl.col("done").map_elements(lambda d: i18n.fmt_date(d, lang), return_dtype=pl.String)
                            .alias(_t("done", lang)))
    return alt_text.TextAlternative(summary, table)
