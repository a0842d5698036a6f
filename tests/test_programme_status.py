"""The status of a programme's measures at a round (vetopito.programmes.status): pure functions."""

from __future__ import annotations

import datetime as dt

import polars as pl

from vetopito.programmes import status

D = dt.date


def test_a_milestone_is_done_due_or_late_on_a_date():
    assert status.milestone_status(D(2022, 9, 30), D(2022, 9, 1), D(2022, 9, 30)) == "done"
    assert status.milestone_status(D(2022, 9, 30), D(2022, 10, 1), D(2022, 9, 30)) == "due"  # done after the round
    assert status.milestone_status(D(2022, 9, 30), None, D(2022, 10, 1)) == "late"
    assert status.milestone_status(None, None, D(2030, 1, 1)) == "due"


def _series(values):
    """Monthly values from January 2021."""
    periods = [D(2021 + i // 12, i % 12 + 1, 1) for i in range(len(values))]
    return pl.DataFrame({"period_start": periods, "value": values}, schema={"period_start": pl.Date, "value": pl.Float64})


def _targets(*items):
    return pl.DataFrame([{"target_date": d, "value": v} for d, v in items],
                        schema={"target_date": pl.Date, "value": pl.Float64})


def test_an_indicator_is_on_or_off_its_interim_target_in_its_direction():
    series = _series([20, 19, 18, 16, 15, 14, 12, 11, 10, 9, 8, 7, 6])
    targets = _targets((D(2021, 6, 30), 15), (D(2021, 12, 31), 5))
    on = status.indicator_status(series, targets, "lower", D(2021, 7, 15))
    assert (on.status, on.value, on.target, on.first_value) == ("on_target", 12.0, 15.0, 20.0)
    # before the first target's date the next target applies; later the latest one due
    assert status.indicator_status(series, targets, "lower", D(2021, 3, 1)).status == "off_target"
    late = status.indicator_status(series, targets, "lower", D(2022, 2, 1))
    assert (late.status, late.target) == ("off_target", 5.0)
    assert late.signal == "improvement"  # a run of falling points, lower is better
    assert status.indicator_status(series, targets, "higher", D(2021, 7, 15)).status == "off_target"
    assert status.indicator_status(series, _targets(), "lower", D(2021, 7, 15)).status == "no_target"


def test_hidden_values_are_never_compared():
    hidden = _series([None, None, None])
    assert status.indicator_status(hidden, _targets((D(2021, 12, 31), 5)), "lower", D(2022, 1, 1)).status == "no_data"


def test_an_output_count_against_a_plan_reached_evenly():
    counts = pl.DataFrame({"period_start": [D(2021, 1, 1), D(2021, 7, 1)], "period_end": [D(2021, 6, 30), D(2021, 12, 31)],
                           "value": [40.0, 70.0]})
    plan = _targets((D(2021, 12, 31), 100), (D(2022, 12, 31), 300))
    mid = status.output_status(counts, plan, D(2021, 7, 2))  # half a year of 100 planned: 50, counted 40
    assert (mid.status, mid.total, mid.planned) == ("behind", 40.0, 50.0)
    year = status.output_status(counts, plan, D(2021, 12, 31))
    assert (year.status, year.total, year.planned) == ("on_plan", 110.0, 100.0)
    assert status.output_status(counts, _targets(), D(2021, 12, 31)).status == "no_plan"
    assert status.output_status(counts, plan, D(2021, 3, 1)).status == "no_data"
    assert status.planned_by(plan, D(2021, 1, 1), D(2030, 1, 1)) == (300.0, D(2022, 12, 31))
