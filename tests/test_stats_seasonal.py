"""Signals a director can trust: seasonal indicators judged on deseasonalised values, limits
recalculated from a known step, and assurance against a target on constructed series
(vetopito.stats.season.seasonal_indices / deseasonalise, vetopito.stats.spc.spc / assurance)."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from vetopito.stats import season, spc

# A sick-leave-like pattern (percentage points): winter peak, summer dip.
SEASON = {1: 1.1, 2: 1.0, 3: 0.5, 4: 0.0, 5: 0.0, 6: -0.5, 7: -1.2, 8: -0.5, 9: 0.0, 10: 0.0, 11: 0.3, 12: 0.6}


def months(first: tuple[int, int], n: int) -> list[dt.date]:
    y, m = first
    out = []
    for _ in range(n):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def seasonal_series(n: int = 67, seed: int = 5, noise: float = 0.12) -> tuple[list[dt.date], list[float]]:
    """Monthly values from 2021-01 with a summer dip; the last point is July."""
    rng = random.Random(seed)
    periods = months((2021, 1), n)
    values = [6.0 + SEASON[p.month] + rng.gauss(0, noise) for p in periods]
    return periods, values


def test_summer_dip_fires_raw_xmr_but_not_the_seasonal_view():
    periods, values = seasonal_series()
    assert periods[-1].month == 7
    raw = spc.spc(values, direction="lower", periods=periods)
    # lower is better: the summer dip reads as "improvement" on a plain XmR chart
    assert spc.latest_signal(raw) == "improvement"
    adjusted = season.deseasonalise(values, periods, "month")
    assert adjusted is not None
    view = spc.spc(adjusted.values, direction="lower", periods=periods)
    assert spc.latest_signal(view) == "common_cause"
    summer = [i for i, p in enumerate(periods) if p.month in (6, 7, 8)]
    assert any(raw["special_cause"][i] for i in summer)  # every summer flagged on the raw chart
    assert not any(view["special_cause"][i] for i in summer)  # none once the season is taken out


def test_seasonal_indices_recover_the_pattern_and_keep_the_level():
    periods, values = seasonal_series(noise=0.05)
    adjusted = season.deseasonalise(values, periods, "month")
    centred = np.array([SEASON[m] for m in range(1, 13)]) - np.mean(list(SEASON.values()))
    assert np.allclose(adjusted.indices, centred, atol=0.1)
    assert abs(sum(adjusted.indices)) < 1e-9  # the adjusted series keeps the series' level
    assert np.mean(adjusted.values) == pytest.approx(np.mean(values), abs=0.05)


def test_a_real_change_still_shows_through_the_seasonal_view():
    periods, values = seasonal_series()
    values[-1] -= 3.0  # a July far below any July before
    adjusted = season.deseasonalise(values, periods, "month")
    view = spc.spc(adjusted.values, direction="lower", periods=periods)
    assert view["rule"][-1] == "beyond_limits" and spc.latest_signal(view) == "improvement"


def test_quarterly_series_and_too_short_series():
    rng = random.Random(3)
    quarters = [dt.date(2019 + i // 4, 3 * (i % 4) + 1, 1) for i in range(24)]
    values = [3.0 + (0.8 if q.month == 7 else 0.0) + rng.gauss(0, 0.1) for q in quarters]
    adjusted = season.deseasonalise(values, quarters, "quarter")
    assert adjusted is not None and len(adjusted.indices) == 4
    assert int(np.argmax(adjusted.indices)) == 2  # Q3: summer leavers
    periods, short = seasonal_series(n=30)
    assert season.deseasonalise(short, periods, "month") is None  # not two estimates per month
    assert season.deseasonalise([1.0, 2.0], [dt.date(2020, 1, 1), dt.date(2021, 1, 1)], "year") is None


def test_hidden_values_stay_hidden_and_do_not_break_the_estimate():
    periods, values = seasonal_series()
    values[20] = None
    adjusted = season.deseasonalise(values, periods, "month")
    assert adjusted is not None
    assert np.isnan(adjusted.values[20]) and not np.isnan(adjusted.values[21])


# ---------------------------------------------------------------------------
# a step at a known change


def step_series() -> tuple[list[dt.date], list[float]]:
    """36 quiet months around 20, then from 2024-01 a level of 12 (a definition change)."""
    periods = months((2021, 1), 60)
    values = [(20.0 if p < dt.date(2024, 1, 1) else 12.0) + (0.6 if i % 2 else -0.6) for i, p in enumerate(periods)]
    return periods, values


def test_limits_recalculated_from_the_step_and_no_false_run_signals_after_it():
    periods, values = step_series()
    plain = spc.spc(values, direction="lower", periods=periods)
    assert plain["rule"].drop_nulls().to_list()  # one set of limits: shifts on both sides
    phased = spc.spc(values, direction="lower", periods=periods, rebase_at=[dt.date(2024, 1, 1)])
    assert phased["segment"].unique().to_list() == [0, 1]
    before = phased.filter(phased["segment"] == 0)
    after = phased.filter(phased["segment"] == 1)
    assert before["mean"][0] == pytest.approx(20.0) and after["mean"][0] == pytest.approx(12.0)
    assert after["upper"][0] < before["lower"][0]
    assert not any(phased["special_cause"].to_list())
    assert spc.phase_starts(phased) == [dt.date(2024, 1, 1)]


# ---------------------------------------------------------------------------
# assurance: reliably met, reliably missed, hit and miss


@pytest.mark.parametrize(("target", "expected"), [(8.0, "pass"), (14.0, "hit_and_miss"), (20.0, "fail")])
def test_assurance_on_constructed_series(target, expected):
    # higher is better; values 14 ± 1 alternate (limits 14 ∓ 5.32): a target of 8 is always met,
    # 20 never, 14 half the time, whatever the latest month happens to be
    values = [13.0, 15.0] * 12
    frame = spc.spc(values, direction="higher")
    assert spc.assurance(frame, target, "higher") == expected


def test_one_good_month_is_not_assurance():
    values = [13.0, 15.0] * 12 + [18.5]
    frame = spc.spc(values, direction="higher")
    assert values[-1] >= 18.0  # the latest month meets a target of 18 …
    assert spc.assurance(frame, 18.0, "higher") == "hit_and_miss"  # … the process does not reliably


def test_assurance_of_the_seasonal_view_uses_its_narrower_limits():
    periods, values = seasonal_series()
    target = 6.8  # lower is better: the winter peaks pass it, the deseasonalised process stays below
    raw = spc.spc(values, direction="lower", periods=periods)
    assert spc.assurance(raw, target, "lower") == "hit_and_miss"
    adjusted = season.deseasonalise(values, periods, "month")
    view = spc.spc(adjusted.values, direction="lower", periods=periods)
    assert spc.assurance(view, target, "lower") == "pass"
