"""One programme's follow-up arranged as the board, the sub-project page and the report show it:
goal by goal, each sub-project with its measures (interim targets, the followed indicator's series
at one grain with small numbers hidden, output counts) and every round's entry. Read through
`vetopito.programmes.model.read_programme` (the user's programme scope applies there);
`programme_followup(run, programme_id, lang, today)` → `Followup`, cached by the pages
(`ui.store.cached_build`) and written by the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vetopito import i18n
from vetopito.programmes import model as programmes_model
from vetopito.regions import overview
from vetopito.scoped import Runner


@dataclass(frozen=True)
class Target:
    """An interim target: a value (or a text alone, for a milestone) due at `date`."""

    date: dt.date
    value: float | None
    text: str | None


@dataclass
class Measure:
    """A measure of a sub-project: `kind` is `indicator`, `milestone` or `output`."""

    subproject_id: str
    measure_id: str
    position: int
    kind: str
    name: str
    method: str | None = None
    baseline_text: str | None = None
    baseline_value: float | None = None
    baseline_date: dt.date | None = None
    due_date: dt.date | None = None
    done_date: dt.date | None = None
    output_kind: str | None = None
    indicator_id: str | None = None
    unit_id: str | None = None
    unit_name: str | None = None
    meta: dict[str, Any] | None = None      # the indicator's catalogue facts (pages/region/indicators' columns)
    targets: list[Target] = field(default_factory=list)
    series: pl.DataFrame | None = None      # indicator: one grain, oldest first, small numbers hidden
    counts: pl.DataFrame | None = None      # output: period_start, period_end, value
    row: dict[str, Any] | None = None       # the row of `programmes.model.Programme.measures`

    @property
    def indicator_name(self) -> str:
        return (self.meta or {}).get("name") or self.indicator_id or ""


@dataclass(frozen=True)
class Entry:
    round_date: dt.date
    text: str
    author_email: str
    written_at: dt.datetime | None


@dataclass
class Subproject:
    subproject_id: str
    goal_id: str
    position: int
    name: str
    scope_name: str | None
    unit_ids: list[str]
    measures: list[Measure] = field(default_factory=list)
    entries: dict[dt.date, Entry] = field(default_factory=dict)

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.measure_id == measure_id), None)


@dataclass
class Goal:
    goal_id: str
    position: int
    name: str
    subprojects: list[Subproject] = field(default_factory=list)


@dataclass(frozen=True)
class Round:
    date: dt.date
    name: str | None

    def label(self, lang: str | None = None) -> str:
        """`30.9.2022` or `30.9.2022 (väliraportti)`: the date, as these reports name a round."""
        day = i18n.fmt_date(self.date, lang)
        return f"{day} ({self.name})" if self.name else day


@dataclass
class Followup:
    """Everything the board, the sub-project page and the report show of one programme."""

    programme: dict[str, Any]
    goals: list[Goal]
    rounds: list[Round]
    today: dt.date
    lang: str
    source: programmes_model.Programme | None = None   # what it was read from (the statuses read it)
    region_names: dict[str, str] = field(default_factory=dict)   # region unit id → short name in `lang`
    region_official_names: dict[str, str] = field(default_factory=dict)   # → official name (the report)

    @property
    def programme_id(self) -> str:
        return self.programme["programme_id"]

    def subprojects(self) -> list[Subproject]:
        return [s for g in self.goals for s in g.subprojects]

    def subproject(self, subproject_id: str) -> Subproject | None:
        return next((s for s in self.subprojects() if s.subproject_id == subproject_id), None)

    def round(self, round_date: dt.date | None) -> Round | None:
        return next((r for r in self.rounds if r.date == round_date), None)

    def latest_round(self) -> Round | None:
        """The latest round on or before today, else the first."""
        past = [r for r in self.rounds if r.date <= self.today]
        return past[-1] if past else (self.rounds[0] if self.rounds else None)


def _lang(lang: str | None) -> str:
    return lang if lang in i18n.LANGUAGES else i18n.get_language()


def _indicator_meta(row: dict[str, Any], catalogue: pl.DataFrame, lang: str) -> dict[str, Any] | None:
    """The catalogue facts `regions.signals.spc_frame` and the charts read, with the name in `lang`."""
    found = catalogue.filter(pl.col("indicator_id") == row.get("indicator_id")) if row.get("indicator_id") else None
    if found is None or found.is_empty():
        return None
    meta = found.row(0, named=True)
    return {**meta, "name": meta.get(f"short_{lang}") or meta.get(f"name_{lang}") or meta["indicator_id"]}


def _series(observations: pl.DataFrame, indicator_id: str, unit_id: str) -> pl.DataFrame:
    """One grain (the latest period's) of the followed indicator at the measure's unit, oldest
    first; `observations` were suppressed by `programmes.model.read_programme`, and stay so."""
    if observations.is_empty():
        return observations
    rows = observations.filter((pl.col("indicator_id") == indicator_id) & (pl.col("unit_id") == unit_id))
    return overview.series_of(rows, indicator_id) if rows.height else rows


def programme_followup(run: Runner, programme_id: str, lang: str | None = None,
                       today: dt.date | None = None) -> Followup | None:
    """The follow-up of one programme the user reads (None otherwise): `programmes.model.read_programme`
    (figures suppressed there) arranged goal by goal, with the indicators' catalogue facts and the
    followed units' names."""
    lang = _lang(lang)
    today = today or dt.date.today()
    programme = programmes_model.read_programme(run, programme_id)
    if programme is None:
        return None
    catalogue = run("pages/region/indicators")
    unit_ids = sorted({u for u in programme.measures["unit_id"].to_list() if u})
    names = {r["unit_id"]: r[f"name_{lang}"] for r in run("catalog/programme_unit_names", unit_ids=unit_ids)
             .iter_rows(named=True)}
    measures: dict[str, list[Measure]] = {}
    for row in programme.measures.iter_rows(named=True):
        sub, mid = row["subproject_id"], row["measure_id"]
        targets = programmes_model.measure_targets(programme, sub, mid)
        measure = Measure(
            subproject_id=sub, measure_id=mid, position=row["position"], kind=row["kind"], name=row["name"],
            method=row["method"], baseline_text=row["baseline_text"], baseline_value=row["baseline_value"],
            baseline_date=row["baseline_date"], due_date=row["due_date"], done_date=row["done_date"],
            output_kind=row["output_kind"], indicator_id=row["indicator_id"], unit_id=row["unit_id"],
            unit_name=names.get(row["unit_id"]), meta=_indicator_meta(row, catalogue, lang), row=row,
            targets=[Target(t["target_date"], t["value"], t["text"]) for t in targets.iter_rows(named=True)],
        )
        if measure.kind == "indicator" and measure.indicator_id and measure.unit_id:
            measure.series = _series(programme.observations, measure.indicator_id, measure.unit_id)
        if measure.kind == "output":
            measure.counts = programmes_model.measure_counts(programme, sub, mid)
        measures.setdefault(sub, []).append(measure)
    entries: dict[str, dict[dt.date, Entry]] = {}
    for row in programme.entries.iter_rows(named=True):
        entries.setdefault(row["subproject_id"], {})[row["round_date"]] = Entry(
            row["round_date"], row["text"], row["author_email"], row["written_at"])
    goals = [Goal(g["goal_id"], g["position"], g["name"]) for g in programme.goals.iter_rows(named=True)]
    by_goal = {g.goal_id: g for g in goals}
    for row in programme.subprojects.iter_rows(named=True):
        sub = Subproject(row["subproject_id"], row["goal_id"], row["position"], row["name"], row["scope_name"],
                         list(row["unit_ids"] or []), measures.get(row["subproject_id"], []),
                         entries.get(row["subproject_id"], {}))
        goal = by_goal.get(sub.goal_id)
        if goal is None:   # a sub-project under a goal the files did not name: a heading of its own
            goal = by_goal[sub.goal_id] = Goal(sub.goal_id, len(goals) + 1, sub.goal_id)
            goals.append(goal)
        goal.subprojects.append(sub)
    rounds = [Round(r["round_date"], r["name"]) for r in programme.rounds.iter_rows(named=True)]
    regions = run("catalog/regions")
    region_names = {r["id"]: r.get(f"short_{lang}") or r[f"name_{lang}"] for r in regions.iter_rows(named=True)}
    official = {r["id"]: r[f"name_{lang}"] for r in regions.iter_rows(named=True)}
    return Followup({**programme.info, "programme_id": programme.id}, goals, rounds, today, lang, programme,
                    region_names, official)
