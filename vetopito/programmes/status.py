"""The status of a programme's measures at a reporting round: a milestone done, due or late; an
indicator on or off its interim target, with the SPC signal of its series; an output count against
its plan; and the board of every measure × round. Pure functions (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from vetopito.programmes.model import (
    Programme,
    entry,
    measure_counts,
    measure_series,
    measure_targets,
)
from vetopito.stats import spc

SPC_MIN_POINTS = 2  # spc needs two points for a moving range; fewer than 12 give trial limits


def milestone_status(due_date: dt.date | None, done_date: dt.date | None, on: dt.date) -> str:
    """`done` when done on or before `on`, `late` when its due date passed before `on`, else `due`."""
    if done_date is not None and done_date <= on:
        return "done"
    if due_date is not None and due_date < on:
        return "late"
    return "due"


def target_in_effect(targets: pl.DataFrame, on: dt.date) -> dict[str, Any] | None:
    """The interim target that applies on `on`: the latest one due by then, else the next one."""
    if targets.is_empty():
        return None
    ordered = targets.sort("target_date")
    passed = ordered.filter(pl.col("target_date") <= on)
    chosen = passed.tail(1) if passed.height else ordered.head(1)
    return chosen.row(0, named=True)


def meets(value: float, target: float, direction: str | None) -> bool:
    """Does `value` meet `target` in the indicator's direction (lower is better: at most)?"""
    return value <= target if direction == "lower" else value >= target


@dataclass(frozen=True)
class IndicatorStatus:
    status: str  # on_target | off_target | no_target | no_data
    value: float | None = None
    period_start: dt.date | None = None
    target: float | None = None
    target_date: dt.date | None = None
    signal: str | None = None  # spc.latest_signal of the series by `on`
    first_value: float | None = None  # the earliest shown value: how far the indicator moved


def indicator_status(series: pl.DataFrame, targets: pl.DataFrame, direction: str | None,
                     on: dt.date) -> IndicatorStatus:
    """An indicator measure at `on`: its latest shown value by then against the target in effect.

    `series`: period_start, value (suppressed: hidden values are null and never compared);
    `targets`: target_date, value."""
    shown = series.filter((pl.col("period_start") <= on) & pl.col("value").is_not_null()).sort("period_start")
    if shown.is_empty():
        return IndicatorStatus("no_data")
    latest = shown.row(-1, named=True)
    signal = None
    if shown.height >= SPC_MIN_POINTS:
        chart = spc.spc(shown["value"], direction=direction or "neutral", periods=shown["period_start"])
        signal = spc.latest_signal(chart)
    numeric = targets.filter(pl.col("value").is_not_null()) if not targets.is_empty() else targets
    target = target_in_effect(numeric, on)
    base = {"value": latest["value"], "period_start": latest["period_start"], "signal": signal,
            "first_value": shown["value"][0]}
    if target is None:
        return IndicatorStatus("no_target", **base)
    ok = meets(latest["value"], target["value"], direction)
    return IndicatorStatus("on_target" if ok else "off_target", target=target["value"],
                           target_date=target["target_date"], **base)


@dataclass(frozen=True)
class OutputStatus:
    status: str  # on_plan | behind | no_plan | no_data
    total: float | None = None
    planned: float | None = None  # planned by the date asked (`planned_by`)
    planned_date: dt.date | None = None  # the date of the planned count it is on the way to


def planned_by(targets: pl.DataFrame, start: dt.date, on: dt.date) -> tuple[float, dt.date] | None:
    """The outputs planned by `on`: a planned count is reached evenly from the previous one (or
    zero at `start`, the first counted period's start) to its date; after the last, the last."""
    ordered = targets.filter(pl.col("value").is_not_null()).sort("target_date") if not targets.is_empty() \
        else targets
    if ordered.is_empty():
        return None
    prev_date, prev_value = start, 0.0
    for row in ordered.iter_rows(named=True):
        day, value = row["target_date"], float(row["value"])
        if on <= day:
            span = (day - prev_date).days
            share = 1.0 if span <= 0 else max(0.0, (on - prev_date).days / span)
            return prev_value + (value - prev_value) * share, day
        prev_date, prev_value = day, value
    return prev_value, prev_date


def output_status(counts: pl.DataFrame, targets: pl.DataFrame, on: dt.date) -> OutputStatus:
    """Outputs counted in periods ending by `on` (cumulative) against the count planned by then
    (`planned_by`: the plan reached evenly between its dates)."""
    done = counts.filter(pl.col("period_end") <= on) if not counts.is_empty() else counts
    total = float(done["value"].sum()) if done.height else None
    start = counts["period_start"].min() if not counts.is_empty() else on
    plan = planned_by(targets, start, on)
    if total is None:
        return OutputStatus("no_data", planned=plan[0] if plan else None)
    if plan is None:
        return OutputStatus("no_plan", total=total)
    return OutputStatus("on_plan" if total >= plan[0] else "behind", total=total, planned=round(plan[0], 1),
                        planned_date=plan[1])


@dataclass(frozen=True)
class MeasureStatus:
    kind: str
    status: str
    detail: IndicatorStatus | OutputStatus | None = None

    @property
    def label_key(self) -> str:
        """The i18n key of the status's words (`programme.status.<status>`)."""
        return f"programme.status.{self.status}"


def measure_status(programme: Programme, row: dict[str, Any], on: dt.date) -> MeasureStatus:
    """One measure (a row of `programme.measures`) at `on`."""
    sub, mid = row["subproject_id"], row["measure_id"]
    if row["kind"] == "milestone":
        return MeasureStatus("milestone", milestone_status(row["due_date"], row["done_date"], on))
    if row["kind"] == "output":
        detail = output_status(measure_counts(programme, sub, mid), measure_targets(programme, sub, mid), on)
        return MeasureStatus("output", detail.status, detail)
    detail = indicator_status(measure_series(programme, sub, mid), measure_targets(programme, sub, mid),
                              row["direction"], on)
    return MeasureStatus("indicator", detail.status, detail)


BOARD_SCHEMA = {"goal_id": pl.String, "subproject_id": pl.String, "measure_id": pl.String, "kind": pl.String,
                "round_date": pl.Date, "status": pl.String, "signal": pl.String, "text": pl.String}


def board(programme: Programme) -> pl.DataFrame:
    """One row per measure × reporting round, goals and sub-projects in their order: the status
    at the round's date, the SPC signal of an indicator, and the sub-project's entry of the round."""
    goal_of = dict(zip(programme.subprojects["subproject_id"].to_list(),
                       programme.subprojects["goal_id"].to_list(), strict=True))
    order = {s: i for i, s in enumerate(programme.subprojects["subproject_id"].to_list())}
    rows = []
    for row in sorted(programme.measures.iter_rows(named=True),
                      key=lambda r: (order.get(r["subproject_id"], len(order)), r["position"], r["measure_id"])):
        for on in programme.round_dates:
            cell = measure_status(programme, row, on)
            written = entry(programme, row["subproject_id"], on)
            rows.append({"goal_id": goal_of.get(row["subproject_id"]), "subproject_id": row["subproject_id"],
                         "measure_id": row["measure_id"], "kind": cell.kind, "round_date": on,
                         "status": cell.status, "signal": getattr(cell.detail, "signal", None),
                         "text": written["text"] if written else None})
    return pl.DataFrame(rows, schema=BOARD_SCHEMA)
