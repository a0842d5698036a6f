"""Where a measure stood at a date (a reporting round's, or today), and a sub-project's cell on the
board: the worst of its measures.

- milestone: `done` (done on or before the date), `late` (due before the date and not done),
  `due` (open, not yet due);
- indicator: the latest shown value on or before the date against the interim target that applies
  then (the soonest not yet due, else the last one): `on` or `off`; `no_target`, `no_data`; with the
  SPC signal of the series up to that date (`improvement`, `concern`, `common_cause`, `neither`);
- output: the count of the periods ended by the date against the plan due by then (the latest
  interim target on or before the date): `on` or `off`; `pending` while no target is due yet.

A cell's `level` is `ok`, `open` or `attention` (icon, colour and text on the board).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from vetopito import i18n
from vetopito.followup.model import Measure, Subproject, Target
from vetopito.regions import signals
from vetopito.stats import spc as spc_stats

LEVELS = ("ok", "open", "attention")
STATE_LEVEL = {"done": "ok", "on": "ok", "due": "open", "pending": "open", "no_data": "open",
               "no_target": "open", "late": "attention", "off": "attention"}


@dataclass(frozen=True)
class MeasureStatus:
    """`state` (see the module), its `level`, and the figures behind it for the texts."""

    measure_id: str
    kind: str
    state: str
    value: float | None = None          # indicator: the value; output: the count so far
    value_period: dt.date | None = None
    target: Target | None = None
    signal: str | None = None

    @property
    def level(self) -> str:
        return STATE_LEVEL[self.state]


def _applicable_target(targets: list[Target], at: dt.date) -> Target | None:
    if not targets:
        return None
    upcoming = [t for t in targets if t.date >= at]
    return upcoming[0] if upcoming else targets[-1]


def milestone_status(measure: Measure, at: dt.date) -> MeasureStatus:
    if measure.done_date is not None and measure.done_date <= at:
        state = "done"
    elif measure.due_date is not None and measure.due_date < at:
        state = "late"
    else:
        state = "due"
    return MeasureStatus(measure.measure_id, "milestone", state,
                         target=Target(measure.due_date, None, None) if measure.due_date else None)


def indicator_status(measure: Measure, at: dt.date) -> MeasureStatus:
    series = measure.series if measure.series is not None else pl.DataFrame()
    shown = series.filter(pl.col("value").is_not_null() & (pl.col("period_start") <= at)) if series.height else series
    if not shown.height or measure.meta is None:
        return MeasureStatus(measure.measure_id, "indicator", "no_data")
    value, period = shown["value"][-1], shown["period_start"][-1]
    frame = signals.spc_frame(series.filter(pl.col("period_start") <= at), measure.meta)
    signal = spc_stats.latest_signal(frame) if frame.height else None
    target = _applicable_target([t for t in measure.targets if t.value is not None], at)
    met = signals.target_met(value, target.value if target else None, measure.meta["direction"])
    state = "no_target" if met is None else ("on" if met else "off")
    return MeasureStatus(measure.measure_id, "indicator", state, value, period, target, signal)


def output_total(measure: Measure, at: dt.date) -> float:
    """The outputs counted in the periods that ended on or before `at`."""
    counts = measure.counts
    if counts is None or counts.is_empty():
        return 0.0
    return float(counts.filter(pl.col("period_end") <= at)["value"].sum() or 0.0)


def output_status(measure: Measure, at: dt.date) -> MeasureStatus:
    total = output_total(measure, at)
    planned = [t for t in measure.targets if t.value is not None]
    due = [t for t in planned if t.date <= at]
    if not due:
        return MeasureStatus(measure.measure_id, "output", "pending", total, None,
                             planned[0] if planned else None)
    target = due[-1]
    return MeasureStatus(measure.measure_id, "output", "on" if total >= target.value else "off", total, None, target)


def measure_status(measure: Measure, at: dt.date) -> MeasureStatus:
    if measure.kind == "milestone":
        return milestone_status(measure, at)
    if measure.kind == "output":
        return output_status(measure, at)
    return indicator_status(measure, at)


def cell_level(statuses: list[MeasureStatus]) -> str | None:
    """The worst level among a sub-project's measures (None when it has none)."""
    if not statuses:
        return None
    return max((s.level for s in statuses), key=LEVELS.index)


def subproject_statuses(sub: Subproject, at: dt.date) -> list[MeasureStatus]:
    return [measure_status(m, at) for m in sub.measures]


def _value(measure: Measure, value: float | None, lang: str | None) -> str:
    meta = measure.meta or {}
    return i18n.fmt_value(value, meta.get("unit", "count"), meta.get("decimals", 0), lang)


def status_text(measure: Measure, status: MeasureStatus, lang: str | None = None) -> str:
    """One line in words: `Tehty 3.5.2022`, `Myöhässä (määräpäivä 31.12.2022)`, `T3 12 pv (10/2022),
    tavoite 0 pv 31.12.2023: ei tavoitteessa; erityinen syy: huolestuttava`, `Osallistujia 320 / 300`."""
    t = lambda key, **v: i18n.t(f"followup.status.{key}", lang, **v)  # noqa: E731
    if status.kind == "milestone":
        if status.state == "done":
            return t("done", date=i18n.fmt_date(measure.done_date, lang))
        return t(status.state, date=i18n.fmt_date(measure.due_date, lang))
    if status.kind == "output":
        total = i18n.fmt_number(status.value, 0, lang)
        if status.target is None:
            return t("output_none", count=total)
        plan = i18n.fmt_number(status.target.value, 0, lang)
        return t(f"output_{status.state}", count=total, plan=plan, date=i18n.fmt_date(status.target.date, lang))
    if status.state == "no_data":
        return t("no_data")
    grain = measure.series["grain"][0] if measure.series is not None and measure.series.height else "month"
    text = t("indicator_value", value=_value(measure, status.value, lang),
             period=i18n.fmt_period(status.value_period, grain, lang))
    if status.target is not None:
        text += " · " + t(f"indicator_{status.state}", target=_value(measure, status.target.value, lang),
                          date=i18n.fmt_date(status.target.date, lang))
    if status.signal in ("improvement", "concern"):
        text += " · " + t(f"signal_{status.signal}")
    return text
