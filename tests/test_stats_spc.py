"""XmR / p-chart statistics (vetopito.stats.spc: spc, assurance; vetopito.stats.pchart:
p_chart): hand-worked vectors for every rule, and the NHSRplotthedots reference vectors in
tests/fixtures/stats."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vetopito.stats import pchart, runchart, spc

FIXTURES = Path(__file__).parent / "fixtures" / "stats"

# A quiet base: alternating 10, 12 (moving range 2) keeps limits about mean ± 5.3.
QUIET = [10, 12]


def rules(values, **kw):
    return spc.spc(values, direction=kw.pop("direction", "higher"), **kw)["rule"].to_list()


def flagged(values, **kw):
    return {i: r for i, r in enumerate(rules(values, **kw)) if r is not None}


# ---------------------------------------------------------------------------
# limits


def test_columns_and_hand_worked_limits():
    # mean 13/5 = 2.6; moving ranges 2, 1, 2, 1 -> mean MR 1.5; limits 2.6 ∓ 2.66 × 1.5
    f = spc.spc([1, 3, 2, 4, 3], direction="higher")
    assert f.columns == [
        "value",
        "mean",
        "lower",
        "upper",
        "special_cause",
        "rule",
        "variation",
        "trial_limits",
        "segment",
    ]
    assert f["mean"].to_list() == pytest.approx([2.6] * 5)
    assert f["lower"].to_list() == pytest.approx([2.6 - 3.99] * 5)
    assert f["upper"].to_list() == pytest.approx([2.6 + 3.99] * 5)
    assert f["special_cause"].to_list() == [False] * 5
    assert f["variation"].to_list() == ["common_cause"] * 5
    assert f["trial_limits"].to_list() == [True] * 5
    assert f["segment"].to_list() == [0] * 5


def test_periods_column_comes_first():
    periods = [dt.date(2024, m, 1) for m in range(1, 6)]
    f = spc.spc([1, 3, 2, 4, 3], direction="lower", periods=periods)
    assert f.columns[0] == "period"
    assert f["period"].to_list() == periods


def test_bad_direction_and_period_length_are_errors():
    with pytest.raises(ValueError, match="direction"):
        spc.spc([1, 2, 3], direction="up")
    with pytest.raises(ValueError, match="periods"):
        spc.spc([1, 2, 3], direction="higher", periods=[1, 2])


def test_rule_set_names():
    assert spc.RULESET_SPC == "NHS Making Data Count (XmR)"
    assert runchart.RULESET_RUN == "IHI run chart (Perla, Provost & Murray 2011)"


# ---------------------------------------------------------------------------
# each rule alone


def test_beyond_upper_limit_alone():
    # 5/17 alternate around the mean; 60 replaces a 5: mean 231/16 = 14.4375,
    # moving ranges 13 × 12 + 2 × 43 -> mean MR 242/15, upper = 14.4375 + 2.66 × 16.133 = 57.35
    values = [5, 17] * 4 + [60] + [17, 5, 17, 5, 17, 5, 17]
    f = spc.spc(values, direction="higher")
    assert f["mean"][0] == pytest.approx(14.4375)
    assert f["upper"][0] == pytest.approx(14.4375 + 2.66 * 242 / 15)
    assert flagged(values) == {8: "beyond_limits"}
    assert f["variation"][8] == "improvement"
    assert spc.spc(values, direction="lower")["variation"][8] == "concern"


def test_beyond_lower_limit_alone():
    values = [-v for v in [5, 17] * 4 + [60] + [17, 5, 17, 5, 17, 5, 17]]
    assert flagged(values) == {8: "beyond_limits"}
    assert spc.spc(values, direction="higher")["variation"][8] == "concern"
    assert spc.spc(values, direction="lower")["variation"][8] == "improvement"


def test_point_exactly_on_a_limit_is_inside():
    # mean 2, moving ranges all 1 (on 0,1,... no): build 1,2,1,2 ... then check directly
    f = spc.spc([1, 2] * 7, direction="higher")
    upper = f["upper"][0]
    g = spc.spc([1, 2] * 7 + [upper], direction="higher", fix_after_n_points=14)
    assert g["upper"][-1] == pytest.approx(upper)
    assert g["rule"][-1] is None


SHIFT_ABOVE = [13, 9, 13, 9, 13, 9] + [12, 12.5, 12, 12.5, 12, 12.5, 12] + [9, 13, 9, 13, 9, 13, 9]


def test_shift_of_seven_above_the_mean():
    # mean 226.5 / 20 = 11.325; points 6..12 are the only 7 in a row above it
    assert flagged(SHIFT_ABOVE) == {i: "shift" for i in range(6, 13)}
    f = spc.spc(SHIFT_ABOVE, direction="higher")
    assert f["mean"][0] == pytest.approx(11.325)
    assert set(f["variation"][6:13].to_list()) == {"improvement"}


def test_shift_below_the_mean_is_concern_when_higher_is_better():
    values = [-v for v in SHIFT_ABOVE]
    assert flagged(values) == {i: "shift" for i in range(6, 13)}
    assert set(spc.spc(values, direction="higher")["variation"][6:13].to_list()) == {"concern"}


def test_six_in_a_row_is_not_a_shift():
    values = [13, 9, 13, 9, 13, 9] + [12, 12.5, 12, 12.5, 12, 12.5] + [9, 13, 9, 13, 9, 13, 9]
    assert flagged(values) == {}


def test_point_on_the_mean_breaks_a_shift():
    # total 176 over 16 points: the mean is exactly 11, and point 9 is exactly on it
    on_mean = [13, 9, 13, 9, 13, 9] + [12, 12.5, 12, 11, 12.5, 12, 12.5] + [9, 8.5, 8]
    f = spc.spc(on_mean, direction="higher")
    assert f["mean"][0] == 11.0
    assert flagged(on_mean) == {}
    # control: the same point just above the mean (mean still exactly 11) makes the run
    near_mean = [13, 9, 13, 9, 13, 9] + [12, 12.5, 12, 11.5, 12.5, 12, 12.5] + [9, 8.5, 7.5]
    assert spc.spc(near_mean, direction="higher")["mean"][0] == 11.0
    assert flagged(near_mean) == {i: "shift" for i in range(6, 13)}


TREND_UP = [10, 12] * 3 + [9, 9.5, 10, 10.5, 11, 11.5, 12] + [10, 12] * 3


def test_trend_of_seven_rising():
    assert flagged(TREND_UP) == {i: "trend" for i in range(6, 13)}
    f = spc.spc(TREND_UP, direction="lower")
    assert set(f["variation"][6:13].to_list()) == {"concern"}


def test_trend_of_seven_falling():
    values = [-v for v in TREND_UP]
    assert flagged(values) == {i: "trend" for i in range(6, 13)}
    assert set(spc.spc(values, direction="lower")["variation"][6:13].to_list()) == {"improvement"}


def test_six_rising_is_not_a_trend():
    values = [10, 12] * 3 + [9, 9.5, 10, 10.5, 11, 11.5] + [10, 12] * 3
    assert flagged(values) == {}


def test_tie_breaks_a_trend():
    # eight points rising but for one tie: neither part has 7 strictly rising points
    values = [10, 12] * 3 + [9, 9.5, 10, 10, 10.5, 11, 11.5, 12] + [10, 12] * 3
    assert flagged(values) == {}


def test_two_of_three_in_the_outer_third():
    # mean ≈ 11.52, upper ≈ 18.17: outer third above ≈ 15.96; 16, 12, 16 all above the mean
    values = QUIET * 6 + [16, 12, 16] + QUIET * 3
    assert flagged(values) == {12: "two_of_three", 14: "two_of_three"}
    assert spc.spc(values, direction="higher")["variation"][12] == "improvement"


def test_two_of_three_on_opposite_sides_is_no_signal():
    # 16 is in the upper outer third and 6.2 in the lower one, but the window is not on one side
    values = QUIET * 6 + [16, 12, 6.2] + QUIET * 3
    f = spc.spc(values, direction="higher")
    m, lo, hi = f["mean"][0], f["lower"][0], f["upper"][0]
    assert 16 > m + 2 * (hi - m) / 3 and lo < 6.2 < m - 2 * (m - lo) / 3
    assert flagged(values) == {}


# ---------------------------------------------------------------------------
# precedence: beyond limits > trend > two of three > shift


def test_beyond_limits_wins_over_trend():
    values = QUIET * 5 + [9, 10, 11, 12, 13, 14, 25] + QUIET * 3
    got = flagged(values)
    assert got == {**{i: "trend" for i in range(10, 16)}, 16: "beyond_limits"}


def test_two_of_three_wins_over_shift():
    values = QUIET * 5 + [11.8, 16, 11.8, 16, 11.8, 12, 11.8] + QUIET * 3
    got = flagged(values)
    assert got[11] == got[13] == "two_of_three"
    assert {i for i, r in got.items() if r == "shift"} == {9, 10, 12, 14, 15, 16}


def test_trend_wins_over_shift():
    values = [11, 10] * 6 + [11.6, 11.7, 11.8, 11.9, 12.0, 12.1, 12.2] + [10, 11] * 3
    assert flagged(values) == {i: "trend" for i in range(11, 19)}


# ---------------------------------------------------------------------------
# short series, nulls, rebase, fixed baseline, neutral direction


@pytest.mark.parametrize(("n", "trial"), [(5, True), (11, True), (12, False), (20, False)])
def test_fewer_than_12_points_give_trial_limits(n, trial):
    f = spc.spc(([10, 12, 11] * 7)[:n], direction="higher")
    assert f["trial_limits"].to_list() == [trial] * n


def test_short_series_still_gets_limits_and_signals():
    f = spc.spc([10, 12, 10, 9, 9.5, 10, 10.5, 11, 11.5, 12], direction="higher")
    assert f["trial_limits"].all()
    assert f["lower"][0] < f["mean"][0] < f["upper"][0]
    assert f["rule"].to_list() == [None] * 3 + ["trend"] * 7


def test_nulls_are_skipped_and_kept_as_rows():
    with_nulls = SHIFT_ABOVE[:9] + [None] + SHIFT_ABOVE[9:] + [float("nan")]
    f = spc.spc(with_nulls, direction="higher")
    plain = spc.spc(SHIFT_ABOVE, direction="higher")
    assert f.height == len(SHIFT_ABOVE) + 2
    assert f["mean"][0] == pytest.approx(plain["mean"][0])
    assert f["upper"][0] == pytest.approx(plain["upper"][0])
    for i in (9, 21):
        row = f.row(i, named=True)
        assert row["value"] is None
        assert row["special_cause"] is None and row["rule"] is None and row["variation"] is None
        assert row["mean"] == pytest.approx(plain["mean"][0])  # limit lines run through gaps
    # the shift runs across the gap: 7 flagged points, the null row not among them
    got = flagged(with_nulls)
    assert got == {i: "shift" for i in [6, 7, 8, 10, 11, 12, 13]}
    # trial limits count non-null points only
    assert spc.spc([1, None, 2, None] * 5, direction="higher")["trial_limits"].all()


def test_all_null_series():
    f = spc.spc([None, None], direction="higher")
    assert f["mean"].to_list() == [None, None]
    assert spc.latest_signal(f) is None
    assert spc.assurance(f, 5, "higher") is None
    assert spc.spc([], direction="higher").height == 0


def test_constant_series_has_zero_width_limits_and_no_signal():
    f = spc.spc([5.0] * 15, direction="higher")
    assert f["lower"].to_list() == f["upper"].to_list() == [5.0] * 15
    assert not f["special_cause"].any()


def test_rebase_gives_each_segment_its_own_limits_and_rules_do_not_cross():
    first = [10, 12] * 6 + [11.5, 11.6, 11.7, 11.8]  # 16 points, ends rising
    second = [31.9, 32, 30, 32, 30, 32, 30, 32, 30, 32, 30, 32]  # starts rising
    f = spc.spc(first + second, direction="higher", rebase_at=[16])
    assert f["segment"].to_list() == [0] * 16 + [1] * 12
    assert f["mean"][0] == pytest.approx(sum(first) / 16)
    assert f["mean"][20] == pytest.approx(sum(second) / 12)
    # without the rebase, the jump is a shift and beyond the limits; with it, nothing
    assert flagged(first + second) != {}
    assert flagged(first + second, rebase_at=[16]) == {}
    # the 3 + 2 rising points around the boundary would be a trend only if rules crossed
    assert f["trial_limits"].to_list() == [False] * 16 + [False] * 12


def test_rebase_by_period_date():
    periods = [dt.date(2023, m, 1) for m in range(1, 13)] + [
        dt.date(2024, m, 1) for m in range(1, 13)
    ]
    values = [10, 12] * 6 + [20, 22] * 6
    # a definition change on 15.12.2023 starts the new segment at the first later period
    f = spc.spc(values, direction="higher", periods=periods, rebase_at=[dt.date(2023, 12, 15)])
    assert f["segment"].to_list() == [0] * 12 + [1] * 12
    assert f["mean"].unique().sort().to_list() == [11.0, 21.0]
    # a change after the last period adds no segment; rebase at 0 is a no-op
    g = spc.spc(values, direction="higher", periods=periods, rebase_at=[dt.date(2030, 1, 1), 0])
    assert g["segment"].max() == 0
    with pytest.raises(ValueError, match="outside"):
        spc.spc(values, direction="higher", rebase_at=[24])


def test_fix_after_n_points_judges_later_points_against_the_baseline():
    values = [10, 12] * 6 + [20] * 3
    f = spc.spc(values, direction="higher", fix_after_n_points=12)
    assert f["mean"].to_list() == [11.0] * 15
    assert f["upper"][0] == pytest.approx(11 + 2.66 * 2)
    assert f["rule"][12:].to_list() == ["beyond_limits"] * 3


def test_neutral_direction_gives_neither():
    f = spc.spc(TREND_UP, direction="neutral")
    assert set(f["variation"][6:13].to_list()) == {"neither"}
    assert spc.assurance(f, 100, "neutral") is None


def test_nhsrplotthedots_direction_names_are_accepted():
    a = spc.spc(TREND_UP, direction="increase")
    b = spc.spc(TREND_UP, direction="higher")
    assert a.equals(b)


# ---------------------------------------------------------------------------
# assurance and latest signal


@pytest.mark.parametrize(
    ("target", "direction", "expected"),
    [
        (1.0, "higher", "pass"),  # below the lower limit: always met
        (1.0, "lower", "fail"),
        (30.0, "higher", "fail"),  # above the upper limit: never met
        (30.0, "lower", "pass"),
        (11.0, "higher", "hit_and_miss"),
        (11.0, "lower", "hit_and_miss"),
        (None, "higher", None),
        (float("nan"), "higher", None),
    ],
)
def test_assurance(target, direction, expected):
    f = spc.spc([10, 12] * 8, direction=direction)  # limits 11 ∓ 5.32
    assert spc.assurance(f, target, direction) == expected


def test_assurance_target_on_a_limit_is_hit_and_miss():
    f = spc.spc([10, 12] * 8, direction="higher")
    assert spc.assurance(f, f["upper"][0], "higher") == "hit_and_miss"
    assert spc.assurance(f, f["lower"][0], "lower") == "hit_and_miss"


def test_assurance_uses_the_latest_segment():
    values = [10, 12] * 8 + [30, 32] * 8
    f = spc.spc(values, direction="higher", rebase_at=[16])
    assert spc.assurance(f, 20, "higher") == "pass"  # 20 < 31 - 5.32
    assert spc.assurance(spc.spc(values, direction="higher"), 20, "higher") == "hit_and_miss"


def test_latest_signal_skips_trailing_nulls():
    values = [10, 12] * 5 + [9, 10, 11, 12, 13, 14, 15, None]
    f = spc.spc(values, direction="lower")
    assert spc.latest_signal(f) == "concern"
    assert spc.latest_signal(spc.spc([10, 12] * 8, direction="higher")) == "common_cause"


# ---------------------------------------------------------------------------
# p-chart


def test_p_chart_limits_follow_each_denominator():
    f = pchart.p_chart([10, 20, 30], [100, 200, 300], direction="higher")
    assert f.columns == [
        "numerator",
        "denominator",
        "value",
        "value_pct",
        "mean",
        "lower",
        "upper",
        "special_cause",
        "rule",
        "variation",
        "trial_limits",
        "segment",
    ]
    # p̄ = 60 / 600 = 0.1; σ_i = sqrt(0.09 / n_i) = 0.03, 0.02121, 0.01732
    assert f["mean"].to_list() == pytest.approx([0.1] * 3)
    assert f["value"].to_list() == pytest.approx([0.1] * 3)
    assert f["value_pct"].to_list() == pytest.approx([10.0] * 3)
    for n, lo, hi in zip([100, 200, 300], f["lower"], f["upper"], strict=True):
        half = 3 * math.sqrt(0.09 / n)
        assert lo == pytest.approx(0.1 - half) and hi == pytest.approx(0.1 + half)
    assert f["upper"][0] > f["upper"][1] > f["upper"][2]


def test_p_chart_limits_are_clipped_to_zero_and_one():
    f = pchart.p_chart([1, 0, 1], [10, 10, 10], direction="lower")
    assert f["lower"].to_list() == [0.0, 0.0, 0.0]
    g = pchart.p_chart([9, 10, 10], [10, 10, 10], direction="higher")
    assert g["upper"].to_list() == [1.0, 1.0, 1.0]


def test_p_chart_judges_each_point_against_its_own_limits():
    # the same 20 % is inside the limits with n = 50 but beyond them with n = 5000
    nums = [100, 1000, 100, 100, 10, 1000, 100, 100]
    dens = [1000, 10000, 1000, 1000, 50, 5000, 1000, 1000]
    f = pchart.p_chart(nums, dens, direction="lower", periods=list(range(8)))
    assert f["value"][4] == f["value"][5] == pytest.approx(0.2)
    assert f["rule"][4] is None
    assert f["rule"][5] == "beyond_limits"
    assert f["variation"][5] == "concern"
    assert f["trial_limits"].all()
    assert f.columns[0] == "period"


def test_p_chart_shift_and_nulls():
    nums = [10, 10, 10, 10, 10, 10, 12, 12, 12, 12, 12, 12, 12, None, 10]
    dens = [100] * 13 + [100, 0]
    f = pchart.p_chart(nums, dens, direction="higher")
    assert f["rule"].to_list()[6:13] == ["shift"] * 7
    assert f["value"][13] is None and f["value"][14] is None  # null numerator, zero denominator
    assert f["special_cause"][14] is None
    assert f["mean"][0] == pytest.approx(144 / 1300)


# ---------------------------------------------------------------------------
# properties


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=2, max_size=40))
def test_limits_are_symmetric_about_the_mean(values):
    f = spc.spc(values, direction="higher")
    m, lo, hi = f["mean"][0], f["lower"][0], f["upper"][0]
    assert lo <= m <= hi
    assert (hi - m) == pytest.approx(m - lo, rel=1e-9, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(finite, st.integers(min_value=1, max_value=40))
def test_constant_series_has_no_signal(value, n):
    f = spc.spc([value] * n, direction="lower")
    assert not f["special_cause"].any()
    assert set(f["variation"].to_list()) == {"common_cause"}


@settings(max_examples=30, deadline=None)
@given(st.lists(finite, min_size=2, max_size=30))
def test_mirroring_the_series_swaps_improvement_and_concern(values):
    up = spc.spc(values, direction="higher")
    down = spc.spc([-v for v in values], direction="lower")
    assert up["rule"].to_list() == down["rule"].to_list()
    assert up["variation"].to_list() == down["variation"].to_list()


# ---------------------------------------------------------------------------
# NHSRplotthedots reference vectors (tests/fixtures/stats/README.md)

SPC_CASES = json.loads((FIXTURES / "spc_reference_vectors.json").read_text(encoding="utf-8"))
_CASE_IDS = {c["id"] for c in SPC_CASES}
POINT_TYPE = {
    "common_cause": "common_cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
}
RULE = {
    "Above UCL": "beyond_limits",
    "Below LCL": "beyond_limits",
    "7 Point Trend (Increasing)": "trend",
    "7 Point Trend (Decreasing)": "trend",
    "2 in 3 Above CL": "two_of_three",
    "2 in 3 Below CL": "two_of_three",
    "7 Points Above CL": "shift",
    "7 Points Below CL": "shift",
    "Common Cause": None,
}
ASSURANCE = {
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "inconsistent": "hit_and_miss",
    None: None,
}


def _spc_params() -> list:
    params = []
    for case in SPC_CASES:
        marks = []
        if case["id"] + "__unscreened" in _CASE_IDS:
            marks.append(
                pytest.mark.skip(
                    reason="screened moving ranges differ; vetopito does not screen (as NHS "
                    "England's tool): compared with the __unscreened twin instead"
                )
            )
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


@pytest.mark.parametrize("case", _spc_params())
def test_spc_reference_vector(case):
    e = case["expected"]
    direction = {"increase": "higher", "decrease": "lower"}[case["improvement_direction"]]
    f = spc.spc(
        case["values"],
        direction=direction,
        target=case["target"],
        rebase_at=case["rebase"],
        fix_after_n_points=case["options"]["fix_after_n_points"],
    )
    assert f["mean"].to_list() == pytest.approx(e["mean"], abs=1e-9, rel=0)
    assert f["lower"].to_list() == pytest.approx(e["lpl"], abs=1e-9, rel=0)
    assert f["upper"].to_list() == pytest.approx(e["upl"], abs=1e-9, rel=0)
    assert f["special_cause"].to_list() == e["special_cause"]
    assert f["rule"].to_list() == [RULE[r] for r in e["rule_per_point"]]
    assert f["variation"].to_list() == [POINT_TYPE[t] for t in e["point_type"]]
    assert f["segment"].to_list() == e["rebase_group"]
    assert spc.assurance(f, case["target"], direction) == ASSURANCE[e["assurance"]]
    assert spc.latest_signal(f) == POINT_TYPE[e["variation_latest"]]
    # Deliberate difference: trial limits below 12 points (DESIGN.md, MDC guidance);
    # NHSRplotthedots' short_group_warning fires below 13. They agree except at exactly 12.
    sizes = f.group_by("segment").len()
    size_of = dict(zip(sizes["segment"], sizes["len"], strict=True))
    for seg, trial, warned in zip(
        f["segment"], f["trial_limits"], e["short_group_warning"], strict=True
    ):
        assert trial == (size_of[seg] < 12)
        if size_of[seg] != 12:
            assert trial == warned


def test_reference_vectors_cover_the_twelve_point_boundary():
    case = next(c for c in SPC_CASES if c["id"] == "mdc_number_of_points_12__unscreened")
    f = spc.spc(case["values"], direction="higher")
    assert all(case["expected"]["short_group_warning"])
    assert not f["trial_limits"].any()
    assert isinstance(f, pl.DataFrame)


# ---------------------------------------------------------------------------
# Laney p′ chart (Laney 2002, Quality Engineering 14(4):531-537)


def test_p_prime_hand_worked_limits_follow_denominators():
    # p̄ = 200 / 1000 = 0.2; σ_i = √(0.16/n) = 0.04 (n = 100) and 0.02 (n = 400)
    # z = (−0.06/0.04, 0.02/0.02, 0.06/0.04, −0.02/0.02) = (−1.5, 1, 1.5, −1)
    # moving ranges 2.5, 0.5, 2.5 → mean 11/6 → σ_z = (11/6) / 1.128 = 1.625296
    nums, dens = [14, 88, 26, 72], [100, 400, 100, 400]
    f = pchart.p_chart(nums, dens, direction="higher", laney=True)
    sigma_z = (11 / 6) / 1.128
    assert f.columns[-1] == "sigma_z"
    assert f["sigma_z"].to_list() == pytest.approx([sigma_z] * 4)
    assert sigma_z == pytest.approx(1.625296, abs=1e-6)
    assert f["mean"].to_list() == pytest.approx([0.2] * 4)
    assert f["lower"].to_list() == pytest.approx([0.004965, 0.102482, 0.004965, 0.102482], abs=1e-6)
    assert f["upper"].to_list() == pytest.approx([0.395035, 0.297518, 0.395035, 0.297518], abs=1e-6)
    # the same data on a plain p-chart: 0.2 ∓ 0.12 and 0.2 ∓ 0.06, no sigma_z column
    g = pchart.p_chart(nums, dens, direction="higher")
    assert "sigma_z" not in g.columns
    assert g["lower"].to_list() == pytest.approx([0.08, 0.14, 0.08, 0.14])
    assert g["upper"].to_list() == pytest.approx([0.32, 0.26, 0.32, 0.26])
    assert g["rule"][2] is None and f["rule"][2] is None
    # p_prime_chart is the same chart
    assert pchart.p_prime_chart(nums, dens, direction="higher").equals(f)


def test_p_prime_widen_only_keeps_binomial_limits_when_under_dispersed():
    # z = (0, 0.25, 0, −0.25): moving ranges 0.25 each → σ_z = 0.25 / 1.128 = 0.221631 < 1
    nums, dens = [20, 21, 20, 19], [100] * 4
    f = pchart.p_chart(nums, dens, direction="lower", laney=True)
    assert f["sigma_z"].to_list() == pytest.approx([1.0] * 4)
    assert f["upper"].to_list() == pytest.approx([0.32] * 4)
    raw = pchart.p_chart(nums, dens, direction="lower", laney=True, widen_only=False)
    assert raw["sigma_z"][0] == pytest.approx(0.25 / 1.128)
    assert raw["upper"][0] == pytest.approx(0.2 + 3 * 0.04 * 0.25 / 1.128)
    assert pchart.LANEY_WIDEN_ONLY is True


def test_p_prime_two_of_three_uses_the_widened_sigma():
    # σ_z = 1.625296 as above: the outer third starts at 2·σ_i·σ_z = 0.130024 (n = 100)
    nums, dens = [14, 88, 26, 72], [100, 400, 100, 400]
    f = pchart.p_chart(nums, dens, direction="higher", laney=True)
    assert f["rule"].to_list() == [None] * 4
    g = pchart.p_chart(nums, dens, direction="higher")  # 0.26 vs 0.2 ± 0.08: not close either
    assert g["rule"].to_list() == [None] * 4


def test_p_prime_per_segment_nulls_and_degenerate_segments():
    nums = [14, 88, None, 26, 72, 0, 0, 0]
    dens = [100, 400, 100, 100, 400, 50, 50, 50]
    f = pchart.p_chart(nums, dens, direction="higher", laney=True, periods=list(range(8)), rebase_at=[5])
    # segment 0 skips the null: z = (−1.5, 1, 1.5, −1) as before
    sz = f["sigma_z"].to_list()
    assert [sz[i] for i in (0, 1, 3, 4)] == pytest.approx([(11 / 6) / 1.128] * 4)
    assert sz[2] is None and f["lower"][2] is None
    assert f["upper"][3] == pytest.approx(0.395035, abs=1e-6)
    # segment 1: p̄ = 0, σ_i = 0: no σ_z, the p-chart's zero-width limits
    assert f["sigma_z"].to_list()[5:] == [None] * 3
    assert f["upper"].to_list()[5:] == [0.0] * 3


def test_p_prime_tames_over_dispersion_on_big_denominators():
    """Monthly sick leave of ~100 000 days: real between-month spread (sd 0.5 points) swamps
    the binomial σ of 0.07 points, so nearly every point of a plain p-chart is special."""
    rng = np.random.default_rng(7)
    dens = [100_000] * 36
    shares = 0.05 + rng.normal(0, 0.005, 36)
    nums = [round(s * d) for s, d in zip(shares, dens, strict=True)]
    plain = pchart.p_chart(nums, dens, direction="lower")
    prime = pchart.p_prime_chart(nums, dens, direction="lower")
    assert plain["special_cause"].sum() >= 18
    assert prime["special_cause"].sum() <= 3
    assert prime["sigma_z"][0] > 3
