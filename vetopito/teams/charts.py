"""The coach's charts: a team measure as an IHI run chart, and its SPC view. Pure: a
`vetopito.teams.progress.Measure` (already suppressed) in, an Altair chart out."""

from __future__ import annotations

import altair as alt
import polars as pl

from vetopito import i18n, privacy
from vetopito.charts import base
from vetopito.regions.charts import PROCESS_CHANGE
from vetopito.stats import spc
from vetopito.text import escape_markdown

SIGNAL_COLOURS = {"improvement": base.IMPROVEMENT, "concern": base.CONCERN, "common_cause": base.NEUTRAL}
WORKSHOP_COLOUR = "#1b1f24"
EVENT_COLOUR = "#6a3d9a"


def run_chart(measure, events: pl.DataFrame | None = None, *, lang: str | None = None,
              height: int = 300, width: int | str = "container", font_scale: float = 1.0,
              configured: bool = True, titled: bool = True, period_title: bool = True) -> alt.TopLevelMixin:
    """Values (signals coloured), the frozen baseline median (solid over the baseline,
    dashed after it), the aim line, workshops and team events as labelled vertical rules,
    hidden values marked as such (never with their value); the rule set in the subtitle.
    `configured=False` leaves out the locale and fonts, for charts that go into a concatenation;
    `titled=False` leaves the title to the page (presentation mode draws it in large type);
    `period_title=False` leaves out the time axis' title (its labels are dates), to save height."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    fmt = base.number_format(measure.decimals)
    suffix = i18n.unit_suffix(measure.unit, lang)
    signal_labels = {k: t(f"team.signal.{k}") for k in SIGNAL_COLOURS}
    reasons = [privacy.hidden_reason_text(r, min_persons=measure.min_persons, lang=lang) if r else None
               for r in measure.points["hidden_reason"].to_list()]
    phased = "phase" in measure.points.columns   # a process change restarted the median (`build_measure`)
    points = measure.points.select(
        "period_start", "period_label", "value", "median", "baseline", "is_hidden", "variation",
        *(["phase"] if phased else []),
    ).with_columns(
        pl.col("variation").replace_strict(signal_labels, default=None).alias("signal"),
        pl.Series("hidden_text", reasons, dtype=pl.String),
    )
    # one tick per month (every 2nd or 3rd on long series): never two ticks with the same label;
    # a weekly measure (a Läpimurto team's own count per week) one per week or every few weeks
    n_periods = measure.points.height
    grain = measure.points["grain"][-1] if "grain" in measure.points.columns and n_periods else None
    step = 1 if n_periods <= 12 else 2 if n_periods <= 24 else 3
    axis = base.period_axis("week", n_periods, lang) if grain == "week" else \
        alt.Axis(format="%-m/%Y", tickCount={"interval": "month", "step": step})
    x = alt.X("period_start:T", title=t("team.chart.period") if period_title else None, axis=axis)
    # without a title the page shows the name above the chart; the axis then only needs the unit
    y_title = axis_title(measure.name, suffix) if titled else (suffix or t("team.chart.value"))
    chart_base = alt.Chart(points)
    layers = []
    baseline_rows = points.filter(pl.col("baseline"))
    if points["median"].drop_nulls().len():
        # the frozen baseline median solid over the baseline and dashed after it; a later phase's
        # own median solid over that phase, each phase's line apart (`detail`)
        later = pl.col("phase") > 0 if phased else pl.lit(False)
        first = ~later
        last_base = baseline_rows["period_start"].max() if baseline_rows.height else None
        solid = points.filter(pl.col("baseline") | later) if last_base is not None else points
        dashed = points.filter((pl.col("period_start") >= last_base) & first) if last_base is not None \
            else points.clear()
        median = {"x": x, "y": alt.Y("median:Q"), **({"detail": alt.Detail("phase:N")} if phased else {})}
        layers.append(alt.Chart(solid).mark_line(color=base.NEUTRAL, strokeWidth=2).encode(
            **median, tooltip=[alt.Tooltip("median:Q", title=t("team.chart.median"), format=fmt)]))
        if dashed.height:
            layers.append(alt.Chart(dashed).mark_line(color=base.NEUTRAL, strokeWidth=2, strokeDash=[6, 4]).encode(
                **median))
    layers.append(chart_base.transform_filter("datum.value != null").mark_line(
        color=base.SERIES, strokeWidth=2).encode(
        x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))))
    # the legend sits under the plot, where no event label can reach it
    colour = alt.Color("signal:N", title=t("team.chart.signal"),
                       scale=alt.Scale(domain=list(signal_labels.values()), range=list(SIGNAL_COLOURS.values())),
                       legend=alt.Legend(orient="bottom", direction="horizontal", titleOrient="left"))
    layers.append(chart_base.transform_filter("datum.value != null").mark_circle(size=70 * font_scale, opacity=1)
                  .encode(x=x, y=alt.Y("value:Q"), color=colour,
                          tooltip=[alt.Tooltip("period_label:N", title=t("team.chart.period")),
                                   alt.Tooltip("value:Q", title=t("team.chart.value"), format=fmt),
                                   alt.Tooltip("signal:N", title=t("team.chart.signal"))]))
    hidden = points.filter(pl.col("is_hidden"))
    if hidden.height:
        layers.append(alt.Chart(hidden.select("period_start", "period_label", "hidden_text")).mark_point(
            shape="cross", color=base.NEUTRAL, size=60 * font_scale, filled=True, yOffset=0)
            .encode(x=x, y=alt.YValue({"expr": "height - 8"}),
                    tooltip=[alt.Tooltip("period_label:N", title=t("team.chart.period")),
                             alt.Tooltip("hidden_text:N", title=t("team.chart.hidden"))]))
    if measure.aim_value is not None:
        label = f"{t('team.chart.aim')} {i18n.fmt_value(measure.aim_value, measure.unit, measure.decimals, lang)}"
        if measure.aim_date is not None:
            label += f" ({i18n.fmt_date(measure.aim_date, lang)})"
        aim = alt.Chart(pl.DataFrame({"aim": [measure.aim_value], "label": [label]}))
        layers.append(aim.mark_rule(color=base.TARGET, strokeWidth=2, strokeDash=[8, 3]).encode(y=alt.Y("aim:Q")))
        layers.append(aim.mark_text(color=base.TARGET, align="left", x=0, fontSize=11 * font_scale,
                                    **aim_label_offset(measure)).encode(y=alt.Y("aim:Q"), text=alt.Text("label:N")))
    shown = events_in_chart(measure, events)
    if shown.height:
        # short markers (T1, M1) on the plot, staggered over two rows; `event_key` spells them out
        first, last = measure.points["period_start"].min(), measure.points["period_start"].max()
        near_end = first + (last - first) * 0.9
        shown = shown.with_row_index("i").with_columns(
            (2 + 13 * font_scale * (pl.col("i") % 2)).alias("label_y"),
            pl.when(pl.col("event_date") > near_end).then(pl.lit("right")).otherwise(pl.lit("left")).alias("side"))
        ev = alt.Chart(shown.select("event_date", "kind", "display_label", "marker", "label_y", "side"))
        layers.append(ev.mark_rule(strokeWidth=1.5).encode(
            x=alt.X("event_date:T"),
            color=base.when("datum.kind == 'workshop'", WORKSHOP_COLOUR, EVENT_COLOUR),
            strokeDash=base.when("datum.kind == 'workshop'", [1, 0], [3, 3], alt.StrokeDashValue),
            tooltip=[alt.Tooltip("event_date:T", format=base.date_format()),
                     alt.Tooltip("display_label:N")]))
        # each marker beside its own rule, never across it: right of the rule, or left of it near
        # the right edge (where a right-hand label would run off the plot)
        for side, dx in (("left", 3), ("right", -3)):
            layers.append(ev.transform_filter(f"datum.side == '{side}'").mark_text(
                align=side, baseline="top", dx=dx, fontSize=11 * font_scale, fontWeight="bold").encode(
                x=alt.X("event_date:T"), y=alt.Y("label_y:Q", scale=None), text=alt.Text("marker:N"),
                tooltip=[alt.Tooltip("event_date:T", format=base.date_format()),
                         alt.Tooltip("display_label:N")],
                color=base.when("datum.kind == 'workshop'", WORKSHOP_COLOUR, EVENT_COLOUR)))
    changes = median_changes(measure, lang)
    if changes.height:   # a rule and a label where a process change restarted the median
        pchart = alt.Chart(changes)
        layers.append(pchart.mark_rule(color=PROCESS_CHANGE, strokeWidth=1.5, strokeDash=[5, 3]).encode(
            x=alt.X("period_start:T"), tooltip=[alt.Tooltip("period_start:T", format=base.date_format()),
                                         alt.Tooltip("note:N", title=t("signals.chart.process_change"))]))
        layers.append(pchart.mark_text(align="left", baseline="top", dx=3, y=30 * font_scale,
                                       color=PROCESS_CHANGE, fontSize=11 * font_scale, fontWeight="bold").encode(
            x=alt.X("period_start:T"), text=alt.TextDatum(t("signals.chart.process_change"))))  # the title says which
    notes = median_notes(measure, lang)
    title = alt.TitleParams(text=measure.name, subtitle=[t("team.chart.ruleset"), *notes], anchor="start",
                            fontSize=14 * font_scale, subtitleFontSize=10 * font_scale)
    if not titled and notes:   # the page draws the name; the chart still says where the median restarted
        title = alt.TitleParams(text=notes, anchor="start", fontSize=11 * font_scale, fontWeight="normal")
    chart = alt.layer(*layers).properties(height=height, width=width,
                                          **({"title": title} if titled or notes else {}))
    if not configured:
        return chart
    chart = base.localise(chart, lang)
    if font_scale != 1.0:
        # projector: large type, black on white (the default grey labels fade on a projector)
        chart = chart.configure_axis(labelFontSize=11 * font_scale, titleFontSize=12 * font_scale,
                                     labelColor="#000000", titleColor="#000000") \
            .configure_legend(labelFontSize=11 * font_scale, titleFontSize=12 * font_scale,
                              labelColor="#000000", titleColor="#000000") \
            .configure_title(color="#000000", subtitleColor="#000000")
    return chart


def _phase_frame(measure) -> pl.DataFrame:
    """`period_start, segment` of a measure whose median restarted (`signals.phase_starts` reads it)."""
    return measure.points.select("period_start", pl.col("phase").alias("segment"))


def median_changes(measure, lang: str | None = None) -> pl.DataFrame:
    """The process changes that restarted the run chart's median: `period_start, note, label` at the
    first period of each later phase (`signals.change_rules`); empty without one."""
    from vetopito.regions import signals
    if "phase" not in measure.points.columns or not measure.phases:
        return pl.DataFrame(schema={"period_start": pl.Date, "note": pl.String, "label": pl.String})
    return signals.change_rules(_phase_frame(measure), measure.phases, lang)


def median_notes(measure, lang: str | None = None) -> list[str]:
    """"Mediaani laskettu uudelleen 1.7.2024 alkaen (prosessimuutos: …)" for each phase the median
    restarted at (plain text, for Vega; escape it for markdown)."""
    rows = median_changes(measure, lang)
    return [i18n.t("team.chart.median_rebased_process", lang, date=i18n.fmt_date(r["period_start"], lang),
                   label=r["note"]) for r in rows.iter_rows(named=True)]


def aim_label_offset(measure) -> dict:
    """Where the aim's label sits: wholly above its line (text baseline on the line, lifted
    3 px), or wholly below it when the aim is above every value (the top of the plot), so the
    dashed line never runs through its own text at any font size."""
    values = measure.points["value"].drop_nulls()
    above_all = values.len() and measure.aim_value > values.max()
    return {"baseline": "top", "dy": 3} if above_all else {"baseline": "bottom", "dy": -3}


def axis_title(name: str, suffix: str) -> str:
    """The measure's name with its unit in brackets, unless the name already ends with the unit
    ("Palautuu hyvin työpäivästä, %" stays as it is, not "…, % (%)")."""
    if not suffix or name.rstrip().endswith(suffix):
        return name
    return f"{name} ({suffix})"


def events_in_chart(measure, events: pl.DataFrame | None) -> pl.DataFrame:
    """The events (with `marker`, `display_label`) that fall within the measure's periods."""
    if events is None or events.is_empty() or not measure.points.height:
        return pl.DataFrame(schema={"event_date": pl.Date, "kind": pl.String, "display_label": pl.String,
                                    "marker": pl.String})
    first, last = measure.points["period_start"].min(), measure.points["period_start"].max()
    return events.filter(pl.col("event_date").is_between(first, last.replace(day=28))).sort("event_date")


def event_key(measure, events: pl.DataFrame | None, lang: str | None = None, *, markdown: bool = False) -> str:
    """The markers of a run chart spelled out, for a caption under it (or a slide):
    "T1 Työpaja 1 (15.2.2024) · M1 Aamupalaveri (3.4.2024)"."""
    shown = events_in_chart(measure, events)
    bold = "**" if markdown else ""
    plain = escape_markdown if markdown else str   # an event's label is data: never markup
    return " · ".join(f"{bold}{plain(r['marker'])}{bold} {plain(r['display_label'])} "
                      f"({plain(i18n.fmt_date(r['event_date'], lang))})"
                      for r in shown.iter_rows(named=True))


PRESENT_FONT_SCALE = 1.6


def present_layout(n_measures: int) -> tuple[int, int]:
    """(columns, chart height in px: plot, axes and legend) of presentation mode's small multiples, so that a team's whole
    story (title, aim, markers, every measure's chart and summary) fits a 1920×1080 screen with
    no scrolling: one row of up to three charts, else 2×2 or 3×2 (the demo teams have 2–5)."""
    columns = max(1, n_measures) if n_measures <= 3 else 2 if n_measures == 4 else 3
    rows = -(-max(1, n_measures) // columns)
    return columns, 580 if rows == 1 else 260 if rows == 2 else 170


def present_chart_options(n_measures: int) -> dict:
    """The `run_chart` options of one chart in presentation mode (the page and the prefetch of
    the neighbouring teams ask for the same ones, so the cached spec is found)."""
    return {"height": present_layout(n_measures)[1], "font_scale": PRESENT_FONT_SCALE, "titled": False,
            "period_title": False}


def team_event_key(measures, events: pl.DataFrame | None, lang: str | None = None) -> str:
    """The markers of all of a team's charts spelled out once (presentation mode shows them
    once under the title instead of under every chart)."""
    shown = [events_in_chart(m, events) for m in measures]
    shown = [f for f in shown if f.height]
    if not shown:
        return ""
    frame = pl.concat(shown, how="vertical_relaxed").unique(["event_date", "marker"]).sort("event_date")
    return " · ".join(f"{r['marker']} {r['display_label']} ({i18n.fmt_date(r['event_date'], lang)})"
                      for r in frame.iter_rows(named=True))


def spc_data(measure, lang: str | None = None) -> dict:
    """The input of `vetopito.regions.charts.spc_chart` for a team measure (hidden values stay gaps):
    a new phase with its own limits from each process change marked on the team or its parent
    (`measure.phases`), drawn as a rule and a label and said in the subtitle."""
    from vetopito.regions import signals
    frame = spc.spc(measure.points["value"], direction=measure.direction or "neutral",
                    periods=measure.points["period_start"], rebase_at=signals.rebase_dates(measure.phases))
    frame = frame.rename({"period": "period_start"})
    notes = []
    if measure.phases and frame.height:
        framed = frame.with_columns(pl.lit(None, dtype=pl.String).alias("seasonal"))
        notes = signals.chart_notes(framed, lang, measure.phases)
    return {"meta": {"unit": measure.unit, "decimals": measure.decimals},
            "spc": frame,
            "target": {"target_value": measure.aim_value} if measure.aim_value is not None else None,
            "trial_limits": bool(frame["trial_limits"].any()) if frame.height else False,
            "notes": notes,
            "process_changes": signals.change_rules(frame, measure.phases, lang) if measure.phases else None}


def spc_chart(measure, *, lang: str | None = None) -> alt.TopLevelMixin:
    """The SPC (XmR) view of a team measure, drawn with the director's SPC chart."""
    from vetopito.regions import charts as region_charts
    return region_charts.spc_chart(spc_data(measure, lang), lang=lang)
