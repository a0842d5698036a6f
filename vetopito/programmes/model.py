"""A programme as one user may read it: its goals, sub-projects, measures, interim targets, output
counts, reporting rounds, round entries and the observations of its indicator measures
(suppressed by `vetopito.privacy` before anything else sees them). See the package docstring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from vetopito import privacy
from vetopito.scoped import Runner

MEASURE_KINDS = ("indicator", "milestone", "output")
# the queries of one programme's parts, each a field of `Programme`
PARTS = ("programmes/goals", "programmes/subprojects", "programmes/measures", "programmes/targets",
         "programmes/output_counts", "programmes/rounds", "programmes/entries", "programmes/observations")


@dataclass(frozen=True)
class Programme:
    """One programme's parts, each a frame of the named query of `queries/programmes/`."""

    info: dict[str, Any]
    goals: pl.DataFrame
    subprojects: pl.DataFrame
    measures: pl.DataFrame
    targets: pl.DataFrame
    output_counts: pl.DataFrame
    rounds: pl.DataFrame
    entries: pl.DataFrame
    observations: pl.DataFrame

    @property
    def id(self) -> str:
        return self.info["id"]

    @property
    def round_dates(self) -> list[dt.date]:
        return self.rounds["round_date"].to_list()


def programmes(query: Runner) -> pl.DataFrame:
    """The programmes the user may read, in name order."""
    return query("programmes/list")


def read_programme(query: Runner, programme_id: str) -> Programme | None:
    """Every part of one programme, or None when the user may not read it (or it does not exist)."""
    listed = programmes(query).filter(pl.col("id") == programme_id)
    if listed.is_empty():
        return None
    parts = {name.removeprefix("programmes/"): query(name, programme_id=programme_id) for name in PARTS}
    observations = parts.pop("observations")
    if not observations.is_empty():
        observations = privacy.suppress(observations)
    return Programme(info=listed.row(0, named=True), observations=observations,
                     **{**parts, "measures": _suppress_baselines(parts["measures"])})


def _suppress_baselines(measures: pl.DataFrame) -> pl.DataFrame:
    """An indicator measure's numeric baseline is a figure of its indicator: hidden (null, with
    `baseline_hidden_reason`) when it rests on too few persons, as the indicator's values are."""
    reasons = [privacy.suppress_value(r["baseline_value"], unit=r["indicator_unit"], min_persons=r["min_persons"])
               if r["kind"] == "indicator" and r["baseline_value"] is not None else None
               for r in measures.iter_rows(named=True)]
    hidden = pl.Series("baseline_hidden_reason", reasons, dtype=pl.String)
    return measures.with_columns(hidden, pl.when(hidden.is_not_null()).then(None).otherwise(pl.col("baseline_value"))
                                 .alias("baseline_value"))


def subproject_measures(programme: Programme, subproject_id: str) -> pl.DataFrame:
    return programme.measures.filter(pl.col("subproject_id") == subproject_id)


def measure(programme: Programme, subproject_id: str, measure_id: str) -> dict[str, Any] | None:
    rows = programme.measures.filter((pl.col("subproject_id") == subproject_id)
                                     & (pl.col("measure_id") == measure_id))
    return rows.row(0, named=True) if rows.height else None


def measure_targets(programme: Programme, subproject_id: str, measure_id: str) -> pl.DataFrame:
    """The interim targets of one measure (target_date, value, text), in date order."""
    return programme.targets.filter((pl.col("subproject_id") == subproject_id)
                                    & (pl.col("measure_id") == measure_id)).select("target_date", "value", "text")


def measure_counts(programme: Programme, subproject_id: str, measure_id: str) -> pl.DataFrame:
    """The output counts of one output measure (period_start, period_end, value)."""
    return programme.output_counts.filter((pl.col("subproject_id") == subproject_id)
                                          & (pl.col("measure_id") == measure_id)).select(
        "period_start", "period_end", "value")


def measure_series(programme: Programme, subproject_id: str, measure_id: str) -> pl.DataFrame:
    """The suppressed observations of an indicator measure's indicator and unit (empty for other
    kinds): period_start, grain, value, is_hidden, hidden_reason."""
    row = measure(programme, subproject_id, measure_id)
    columns = ["period_start", "grain", "value", "is_hidden", "hidden_reason"]
    if row is None or row["kind"] != "indicator" or programme.observations.is_empty():
        return pl.DataFrame(schema={"period_start": pl.Date, "grain": pl.String, "value": pl.Float64,
                                    "is_hidden": pl.Boolean, "hidden_reason": pl.String})
    return programme.observations.filter((pl.col("indicator_id") == row["indicator_id"])
                                         & (pl.col("unit_id") == row["unit_id"])).select(columns)


def entry(programme: Programme, subproject_id: str, round_date: dt.date) -> dict[str, Any] | None:
    """A sub-project's entry of one reporting round (text, author_email, written_at, load_id)."""
    rows = programme.entries.filter((pl.col("subproject_id") == subproject_id)
                                    & (pl.col("round_date") == round_date))
    return rows.row(0, named=True) if rows.height else None
