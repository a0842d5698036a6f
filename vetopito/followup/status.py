"""A measure's status at a date in words, and a sub-project's cell on the board: the worst level of
its measures. The statuses themselves are `vetopito.programmes.status` (milestone done / due /
late; indicator on or off its interim target with the SPC signal; output count against plan); a
status's `level` is `ok`, `open` or `attention` (icon, colour and word on the board)."""

from __future__ import annotations

import datetime as dt

from vetopito import i18n
from vetopito.followup.model import Followup, Measure, Subproject
from vetopito.programmes import status as programme_status
from vetopito.programmes.status import MeasureStatus

LEVELS = ("ok", "open", "attention")
STATE_LEVEL = {"done": "ok", "on_target": "ok", "on_plan": "ok",
               "due": "open", "no_target": "open", "no_data": "open", "no_plan": "open",
               "late": "attention", "off_target": "attention", "behind": "attention"}


def measure_status(followup: Followup, measure: Measure, at: dt.date) -> MeasureStatus:
    return programme_status.measure_status(followup.source, measure.row, at)


def level(status: MeasureStatus) -> str:
    return STATE_LEVEL.get(status.status, "open")


def subproject_statuses(followup: Followup, sub: Subproject, at: dt.date) -> list[MeasureStatus]:
    return [measure_status(followup, m, at) for m in sub.measures]


def cell_level(statuses: list[MeasureStatus]) -> str | None:
    """The worst level among a sub-project's measures (None when it has none)."""
    if not statuses:
        return None
    return max((level(s) for s in statuses), key=LEVELS.index)


def _value(measure: Measure, value: float | None, lang: str | None) -> str:
    meta = measure.meta or {}
    return i18n.fmt_value(value, meta.get("unit", "count"), int(meta.get("decimals") or 0), lang)


def status_text(measure: Measure, status: MeasureStatus, lang: str | None = None) -> str:
    """One line in words: `Tehty 1.9.2021`, `Myöhässä (määräpäivä 30.6.2022)`, `17 pv (1/2023) ·
    välitavoite 10 pv 31.12.2022: ei saavutettu · erityissyy: huolestuttava`, `250 / suunniteltu 300
    (31.12.2022 mennessä): jäljessä`."""
    t = lambda key, **v: i18n.t(f"followup.status.{key}", lang, **v)  # noqa: E731
    detail = status.detail
    if status.kind == "milestone":
        if status.status == "done":
            return t("done", date=i18n.fmt_date(measure.done_date, lang))
        return t(status.status, date=i18n.fmt_date(measure.due_date, lang))
    if status.kind == "output":
        total = i18n.fmt_number(detail.total or 0, 0, lang)
        if detail.planned is None:
            return t("output_none", count=total)
        if status.status == "no_data":
            return t("output_no_data", plan=i18n.fmt_number(detail.planned, 0, lang))
        return t(f"output_{status.status}", count=total, plan=i18n.fmt_number(detail.planned, 0, lang),
                 date=i18n.fmt_date(detail.planned_date, lang))
    if status.status == "no_data":
        return t("no_data")
    grain = measure.series["grain"][-1] if measure.series is not None and measure.series.height else "month"
    text = t("indicator_value", value=_value(measure, detail.value, lang),
             period=i18n.fmt_period(detail.period_start, grain, lang))
    if detail.target is not None:
        text += " · " + t(f"indicator_{status.status}", target=_value(measure, detail.target, lang),
                          date=i18n.fmt_date(detail.target_date, lang))
    if detail.signal in ("improvement", "concern"):
        text += " · " + t(f"signal_{detail.signal}")
    return text
