"""One programme's follow-up read whole: its goals, sub-projects, measures (with interim targets,
the followed indicator's series with small numbers hidden, output counts), reporting rounds and
every round's entry. `programme_followup(run, programme_id, lang, today)` → `Followup`; the pages
cache it (`ui.store.cached_build`), the report writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vetopito import i18n, privacy
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


def programme_list(run: Runner) -> pl.DataFrame:
    """Every programme with the region ids it covers (`pages/programme/programmes`), by name."""
    return run("pages/programme/programmes")


def _lang(lang: str | None) -> str:
    return lang if lang in i18n.LANGUAGES else i18n.get_language()


def _indicator_meta(row: dict[str, Any], lang: str) -> dict[str, Any] | None:
    if not row.get("indicator_id") or row.get("unit") is None:
        return None
    return {"indicator_id": row["indicator_id"], "name": row.get(f"indicator_name_{lang}"),
            "unit": row["unit"], "direction": row["direction"], "decimals": row["decimals"],
            "aggregation": row["aggregation"], "min_persons": row["min_persons"], "seasonal": row["seasonal"]}


def _series(observations: pl.DataFrame, indicator_id: str, unit_id: str) -> pl.DataFrame:
    rows = observations.filter((pl.col("indicator_id") == indicator_id) & (pl.col("unit_id") == unit_id))
    return overview.series_of(rows, indicator_id) if rows.height else privacy.suppress(rows)


def programme_followup(run: Runner, programme_id: str, lang: str | None = None,
                       today: dt.date | None = None) -> Followup | None:
    """The follow-up of one programme (None when there is no such programme): 9 queries, each by
    programme. Figures from the followed indicators go through `privacy.suppress`."""
    lang = _lang(lang)
    today = today or dt.date.today()
    listing = programme_list(run).filter(pl.col("programme_id") == programme_id)
    if listing.is_empty():
        return None
    programme = listing.row(0, named=True)
    targets = run("pages/programme/targets", programme_id=programme_id)
    counts = run("pages/programme/output_counts", programme_id=programme_id)
    observations = run("pages/programme/indicator_series", programme_id=programme_id)
    measures: dict[str, list[Measure]] = {}
    for row in run("pages/programme/measures", programme_id=programme_id).iter_rows(named=True):
        key = (pl.col("subproject_id") == row["subproject_id"]) & (pl.col("measure_id") == row["measure_id"])
        measure = Measure(
            subproject_id=row["subproject_id"], measure_id=row["measure_id"], position=row["position"],
            kind=row["kind"], name=row["name"], method=row["method"], baseline_text=row["baseline_text"],
            baseline_value=row["baseline_value"], baseline_date=row["baseline_date"], due_date=row["due_date"],
            done_date=row["done_date"], output_kind=row["output_kind"], indicator_id=row["indicator_id"],
            unit_id=row["unit_id"], unit_name=row.get(f"unit_name_{lang}"), meta=_indicator_meta(row, lang),
            targets=[Target(t["target_date"], t["value"], t["text"]) for t in targets.filter(key).iter_rows(named=True)],
        )
        if measure.kind == "indicator" and measure.indicator_id and measure.unit_id:
            measure.series = _series(observations, measure.indicator_id, measure.unit_id)
        if measure.kind == "output":
            measure.counts = counts.filter(key).select("period_start", "period_end", "value")
        measures.setdefault(measure.subproject_id, []).append(measure)
    entries: dict[str, dict[dt.date, Entry]] = {}
    for row in run("pages/programme/entries", programme_id=programme_id).iter_rows(named=True):
        entries.setdefault(row["subproject_id"], {})[row["round_date"]] = Entry(
            row["round_date"], row["text"], row["author_email"], row["written_at"])
    goals = [Goal(g["goal_id"], g["position"], g["name"])
             for g in run("pages/programme/goals", programme_id=programme_id).iter_rows(named=True)]
    by_goal = {g.goal_id: g for g in goals}
    for row in run("pages/programme/subprojects", programme_id=programme_id).iter_rows(named=True):
        sub = Subproject(row["subproject_id"], row["goal_id"], row["position"], row["name"], row["scope_name"],
                         list(row["unit_ids"] or []), measures.get(row["subproject_id"], []),
                         entries.get(row["subproject_id"], {}))
        goal = by_goal.get(sub.goal_id)
        if goal is None:   # a sub-project under a goal the file did not name: its own heading
            goal = by_goal[sub.goal_id] = Goal(sub.goal_id, len(goals) + 1, sub.goal_id)
            goals.append(goal)
        goal.subprojects.append(sub)
    rounds = [Round(r["round_date"], r["name"])
              for r in run("pages/programme/rounds", programme_id=programme_id).iter_rows(named=True)]
    return Followup(programme, goals, rounds, today, lang)
