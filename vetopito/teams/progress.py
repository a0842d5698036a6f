"""A Läpimurto team's progress: its facts, its measures with suppressed values and run charts,
and summaries in plain language. Every function takes `query(name, **params)`, which runs a
named query for the current user (`ui.store.query` in the app, `vetopito.scoped.runner(con, scope)`
in exports and tests), so the user's scope always applies.

Small-number suppression (`vetopito.privacy`) runs on the measurements before any statistic
is computed: a hidden value is a gap in the run chart, never a point, a median or a total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vetopito import i18n, privacy
from vetopito.regions import signals
from vetopito.scoped import Runner
from vetopito.stats import runchart, spc

SPC_MIN_POINTS = 12


def team_list(query: Runner, lang: str | None = None) -> pl.DataFrame:
    """Every team the user may see, with `name` and `region_name` in the user's language."""
    lang = lang or i18n.get_language()
    frame = query("pages/team/list")
    if frame.is_empty():
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias("name"),
                                  pl.lit(None, dtype=pl.String).alias("region_name"))
    return frame.with_columns(pl.col(f"name_{lang}").alias("name"),
                              pl.col(f"region_short_{lang}").alias("region_name"),
                              pl.col(f"yta_name_{lang}").alias("yta_name"))


@dataclass
class Measure:
    """One measure of a team, ready for a chart, a slide and a table row."""

    indicator_id: str
    name: str
    unit: str
    direction: str
    decimals: int
    min_persons: int | None
    baseline_value: float | None
    baseline_hidden: str | None
    baseline_period: dt.date | None
    aim_value: float | None
    aim_date: dt.date | None
    points: pl.DataFrame            # period_start, grain, period_label, value, is_hidden, hidden_reason + run chart
    summary: dict[str, Any]
    text: str
    latest_value: float | None = None
    progress: float | None = None   # share of the way from baseline to aim (1 = aim reached)
    aim_reached_on: dt.date | None = None
    aim_met: str | None = None      # "reliably" | "latest" | None: see `aim_met`
    # where the run chart's median and the SPC view's limits restart: process changes marked on the team or its parent
    # (`regions.signals.phase_changes`; a team measure has no definition changes of its own)
    phases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def n_visible(self) -> int:
        return int(self.points["value"].is_not_null().sum())

    @property
    def n_hidden(self) -> int:
        return int(self.points["is_hidden"].sum())

    @property
    def spc_possible(self) -> bool:
        return self.n_visible >= SPC_MIN_POINTS


@dataclass
class TeamReport:
    team: dict[str, Any]
    measures: list[Measure]
    events: pl.DataFrame
    models: pl.DataFrame
    notes: list[str] = field(default_factory=list)


def _workshops(events: pl.DataFrame) -> list[tuple[int, dt.date]]:
    days = events.filter(pl.col("kind") == "workshop")["event_date"].to_list()
    return list(enumerate(sorted(days), start=1))


def event_labels(events: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """Events with the label to show (workshops numbered in the user's language) and a short
    `marker` to draw on a chart: workshops T1, T2…, other events M1, M2… in date order."""
    numbers = {day: n for n, day in _workshops(events)}
    labels, markers, changes = [], [], 0
    for row in events.iter_rows(named=True):
        if row["kind"] == "workshop":
            labels.append(i18n.t("team.workshop_n", lang, n=numbers[row["event_date"]]))
            markers.append(i18n.t("team.workshop_marker", lang, n=numbers[row["event_date"]]))
        else:
            changes += 1
            labels.append(row["label"])
            markers.append(i18n.t("team.event_marker", lang, n=changes))
    return events.with_columns(pl.Series("display_label", labels, dtype=pl.String),
                               pl.Series("marker", markers, dtype=pl.String))


def build_measure(meta: dict, observations: pl.DataFrame, events: pl.DataFrame, started_on: dt.date | None,
                  lang: str | None = None, process_changes: pl.DataFrame | None = None) -> Measure:
    """Suppress, compute the run chart on what may be shown, and say what it means; `process_changes`
    (`pages/team/process_changes`) start new phases of the measure: the run chart's median and the
    SPC view's limits restart from each."""
    lang = lang or i18n.get_language()
    observations = observations.sort("period_start")
    if observations.height and observations["grain"].n_unique() > 1:
        # one grain on one run chart, the latest period's (a team that moved from monthly to
        # weekly counts, as Läpimurto teams measure, charts its weeks)
        observations = observations.filter(pl.col("grain") == observations["grain"][-1])
    obs = privacy.suppress(observations)
    periods = obs["period_start"].to_list()
    visible = obs["value"]
    baseline_n = None
    if started_on is not None:
        before = obs.filter((pl.col("period_start") < started_on) & pl.col("value").is_not_null()).height
        baseline_n = before or None
    # a process change marked on the team or its parent starts a new phase with its own median (and
    # the SPC view's limits), as on the region page
    phases = signals.phase_changes(None, process_changes, meta["indicator_id"], obs["grain"][-1]) \
        if process_changes is not None and obs.height else []
    chart = runchart.run_chart(visible, baseline_n=baseline_n, direction=meta["direction"] or "neutral",
                               periods=obs["period_start"], rebase_at=signals.rebase_dates(phases)).drop("period")
    points = pl.concat([
        obs.select("period_start", "grain", "value", "is_hidden", "hidden_reason"),
        chart.drop("value").with_columns(pl.col("median").fill_nan(None)),
    ], how="horizontal").with_columns(
        pl.Series("period_label", [i18n.fmt_period(p, g, lang) for p, g in zip(periods, obs["grain"].to_list(),
                                                                                strict=True)], dtype=pl.String)
    )
    summary = runchart.run_chart_summary(chart) if obs.height else {}
    baseline_hidden = privacy.suppress_value(meta["baseline_value"], unit=meta["unit"],
                                             min_persons=meta["min_persons"])
    baseline = None if baseline_hidden else meta["baseline_value"]
    measure = Measure(
        indicator_id=meta["indicator_id"], name=meta.get(f"name_{lang}") or meta["name_fi"], unit=meta["unit"],
        direction=meta["direction"], decimals=int(meta["decimals"]), min_persons=meta["min_persons"],
        baseline_value=baseline, baseline_hidden=baseline_hidden, baseline_period=meta["baseline_period"],
        aim_value=meta["aim_value"], aim_date=meta["aim_date"], points=points, summary=summary, text="",
    )
    shown = points.filter(pl.col("value").is_not_null())
    measure.latest_value = shown["value"][-1] if shown.height else None
    sign = -1 if meta["direction"] == "lower" else 1
    if measure.aim_value is not None and shown.height:
        after = shown.filter(pl.col("period_start") >= (started_on or dt.date.min))
        hits = after.filter((pl.col("value") - measure.aim_value) * sign >= 0)
        measure.aim_reached_on = hits["period_start"][0] if hits.height else None
    measure.phases = phases
    measure.aim_met = aim_met(measure, started_on)
    if baseline is not None and measure.aim_value is not None and measure.latest_value is not None \
            and measure.aim_value != baseline:
        measure.progress = (measure.latest_value - baseline) / (measure.aim_value - baseline)
    measure.text = summary_text(measure, events, lang)
    return measure


def aim_met(m: Measure, started_on: dt.date | None = None) -> str | None:
    """Whether the measure meets its aim now, not whether it touched it once:

    * ``"reliably"``: the process since the team started meets the aim (MDC assurance
      ``pass``, `spc.assurance`: the XmR limits of the values since the start lie beyond the
      aim on its good side), judged only on at least `SPC_MIN_POINTS` shown values since the
      start, the same rule that offers the SPC view (no trial limits);
    * ``"latest"``: otherwise, the value of the last period meets the aim (a hidden last
      value says nothing);
    * None: neither, or no aim or no direction.
    """
    if m.aim_value is None or m.direction not in ("higher", "lower") or not m.points.height:
        return None
    sign = -1 if m.direction == "lower" else 1
    since = m.points.filter(pl.col("value").is_not_null()
                            & (pl.col("period_start") >= (started_on or dt.date.min)))
    if since.height >= SPC_MIN_POINTS:
        frame = spc.spc(since["value"], direction=m.direction)
        if spc.assurance(frame, m.aim_value, m.direction) == "pass":
            return "reliably"
    last = m.points["value"][-1]
    if last is not None and (last - m.aim_value) * sign >= 0:
        return "latest"
    return None


def summary_text(m: Measure, events: pl.DataFrame, lang: str | None = None) -> str:
    """"Parannuksen signaali työpajan 2 jälkeen; tavoite saavutettu 4/2025." and the like."""
    parts = []
    if m.n_visible == 0:
        parts.append(i18n.t("team.summary.no_values", lang))
    else:
        direction = m.summary.get("signal_direction")
        if direction in ("improvement", "concern"):
            first = m.points.filter(pl.col("variation") == direction)["period_start"][0]
            earlier = [n for n, day in _workshops(events) if day <= first]
            key = f"team.summary.{direction}"
            if earlier:
                parts.append(i18n.t(f"{key}_since", lang, n=earlier[-1]))
            else:
                parts.append(i18n.t(key, lang, period=i18n.fmt_period(first, "month", lang)))
        else:
            parts.append(i18n.t("team.summary.no_signal", lang, n=m.n_visible))
        if m.summary.get("too_few_runs"):
            parts.append(i18n.t("team.summary.too_few_runs", lang))
        if m.summary.get("too_many_runs"):
            parts.append(i18n.t("team.summary.too_many_runs", lang))
    if m.aim_value is not None:
        aim = i18n.fmt_value(m.aim_value, m.unit, m.decimals, lang)
        if m.aim_reached_on is not None:
            # touched once is not met: the same rule as the cohort board's ✓ (`aim_met`)
            held = m.aim_met is not None or m.direction not in ("higher", "lower")
            parts.append(i18n.t("team.summary.aim_reached" if held else "team.summary.aim_not_held", lang,
                                aim=aim, period=i18n.fmt_period(m.aim_reached_on, "month", lang)))
        else:
            parts.append(i18n.t("team.summary.aim_not_yet", lang, aim=aim,
                                date=i18n.fmt_date(m.aim_date, lang)))
    if m.n_hidden:
        reason = m.points.filter(pl.col("is_hidden"))["hidden_reason"][0]
        parts.append(i18n.t("privacy.hidden_note", lang, n=m.n_hidden,
                            reason=privacy.hidden_reason_text(reason, min_persons=m.min_persons, lang=lang)))
    return " ".join(p.rstrip(".") + "." for p in parts)


def team_report(query: Runner, team_id: str, lang: str | None = None) -> TeamReport | None:
    """Everything the team page, the presentation and the slides show for one team."""
    lang = lang or i18n.get_language()
    teams = team_list(query, lang).filter(pl.col("team_id") == team_id)
    if teams.is_empty():
        return None
    team = teams.row(0, named=True)
    events = event_labels(query("pages/team/events", team_id=team_id), lang)
    process_changes = query("pages/team/process_changes", team_id=team_id)
    observations = query("pages/team/observations", team_id=team_id, cohort_year=None)
    measures = []
    for meta in query("pages/team/measures", team_id=team_id, cohort_year=None).iter_rows(named=True):
        obs = observations.filter(pl.col("indicator_id") == meta["indicator_id"])
        measures.append(build_measure(meta, obs, events, team["started_on"], lang, process_changes))
    # measurements without a baseline/aim row are measures too
    known = {m.indicator_id for m in measures}
    extra = observations.filter(~pl.col("indicator_id").is_in(list(known)))
    if not extra.is_empty():
        names = db_indicator_names(query)
        for indicator_id in extra["indicator_id"].unique(maintain_order=True).to_list():
            obs = extra.filter(pl.col("indicator_id") == indicator_id)
            first = obs.row(0, named=True)
            meta = {"indicator_id": indicator_id, **names.get(indicator_id, {"name_fi": indicator_id}),
                    "unit": first["unit"], "direction": first["direction"], "decimals": first["decimals"],
                    "min_persons": first["min_persons"], "baseline_value": None, "baseline_period": None,
                    "aim_value": None, "aim_date": None}
            measures.append(build_measure(meta, obs, events, team["started_on"], lang, process_changes))
    models = query("pages/team/operating_models", team_id=team_id)
    return TeamReport(team=team, measures=measures, events=events, models=models)


def db_indicator_names(query: Runner) -> dict[str, dict[str, str]]:
    frame = query("catalog/indicators")
    return {r["id"]: {"name_fi": r["name_fi"], "name_sv": r["name_sv"], "name_en": r["name_en"]}
            for r in frame.iter_rows(named=True)}


def theme_name(theme: str, lang: str | None = None) -> str:
    return i18n.t(f"team.theme.{theme}", lang)
