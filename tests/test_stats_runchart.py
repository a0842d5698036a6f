"""IHI run charts (vetopito.stats.runchart: run_chart, run_chart_summary): hand-worked vectors,
the runs table, and the runchart/qicharts2 reference vectors in tests/fixtures/stats."""

from __future__ import annotations

import datetime as dt
import json
from math import comb
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vetopito.stats import runchart, spc

FIXTURES = Path(__file__).parent / "fixtures" / "stats"


def rc(values, **kw):
    return runchart.run_chart(values, direction=kw.pop("direction", "higher"), **kw)


def idx(series):
    return [i for i, v in enumerate(series.to_list()) if v]


# ---------------------------------------------------------------------------
# median and baseline


def test_columns_median_and_default_baseline():
    f = rc([3, 1, 2, 5, 4])
    assert f.columns == [
        "value",
        "median",
        "baseline",
        "useful",
        "shift",
        "trend",
        "astronomical",
        "variation",
    ]
    assert f["median"].to_list() == [3.0] * 5
    assert f["baseline"].all()
    assert f["useful"].to_list() == [False, True, True, True, True]


def test_baseline_median_is_frozen_and_extended():
    values = [4, 6, 5, 7, 3, 20, 21, 22, 23, 24, 25, 26]
    f = rc(values, baseline_n=5, periods=list(range(12)))
    assert f.columns[0] == "period"
    assert f["median"].to_list() == [5.0] * 12  # median of 4, 6, 5, 7, 3
    assert f["baseline"].to_list() == [True] * 5 + [False] * 7
    # the seven later points are all above the frozen median: a shift
    assert idx(f["shift"]) == list(range(5, 12))


def test_baseline_counts_non_null_values():
    f = rc([4, None, 6, 5, 9, 9], baseline_n=3)
    assert f["median"][0] == 5.0
    assert f["baseline"].to_list() == [True, True, True, True, False, False]
    with pytest.raises(ValueError, match="baseline_n"):
        rc([1, 2], baseline_n=0)


# ---------------------------------------------------------------------------
# shift


def test_six_on_one_side_is_a_shift():
    # median 5 from a frozen baseline, then exactly 6 above
    g = rc([6, 4, 5, 6, 4] + [7, 8, 7, 8, 7, 8] + [3], baseline_n=5)
    assert g["median"][0] == 5.0
    assert idx(g["shift"]) == list(range(5, 11))
    assert g["variation"][5] == "improvement"
    assert (
        rc([6, 4, 5, 6, 4] + [7, 8, 7, 8, 7, 8] + [3], baseline_n=5, direction="lower")[
            "variation"
        ][5]
        == "concern"
    )


def test_five_on_one_side_is_not_a_shift():
    f = rc([6, 4, 5, 6, 4] + [7, 8, 7, 8, 7] + [3], baseline_n=5)
    assert not f["shift"].any()


def test_points_on_the_median_neither_count_nor_break_a_shift():
    # 3 above, 2 on the median, 3 above: 6 useful points on one side -> a shift
    f = rc([6, 4, 5, 6, 4] + [7, 8, 7, 5, 5, 8, 7, 8] + [3], baseline_n=5)
    assert idx(f["shift"]) == [5, 6, 7, 10, 11, 12]
    assert f["useful"][8] is False and f["shift"][8] is False  # on the median: not flagged
    # the same with only 2 + 3 useful points above: no shift
    g = rc([6, 4, 5, 6, 4] + [7, 8, 5, 8, 7, 8] + [3], baseline_n=5)
    assert not g["shift"].any()


# ---------------------------------------------------------------------------
# trend


def test_five_rising_is_a_trend_and_four_is_not():
    assert idx(rc([5, 3, 4, 5, 6, 7, 2])["trend"]) == [1, 2, 3, 4, 5]
    assert not rc([5, 3, 4, 5, 6, 2, 4])["trend"].any()


def test_five_falling_is_a_trend():
    f = rc([1, 9, 8, 7, 6, 5, 9], direction="lower")
    assert idx(f["trend"]) == [1, 2, 3, 4, 5]


def test_equal_neighbours_count_once_and_do_not_break_a_trend():
    # 1 2 3 3 4 5: five distinct rising values -> trend, the tie flagged inside it
    assert idx(rc([9, 1, 2, 3, 3, 4, 5, 0])["trend"]) == [1, 2, 3, 4, 5, 6]
    # 1 2 2 3 4: only four distinct values -> no trend
    assert not rc([9, 1, 2, 2, 3, 4, 0])["trend"].any()


def test_turning_point_belongs_to_both_trends():
    f = rc([1, 2, 3, 4, 5, 4, 3, 2, 1])
    assert f["trend"].all()


def test_run_chart_trend_differs_from_spc_on_ties():
    values = [10, 12] * 3 + [9, 9.5, 10, 10, 10.5, 11, 11.5, 12] + [10, 12] * 3
    assert rc(values)["trend"].any()  # IHI: the tie counts once
    assert "trend" not in spc.spc(values, direction="higher")["rule"].to_list()  # MDC: breaks


# ---------------------------------------------------------------------------
# astronomical points


def test_astronomical_point_beyond_far_out_fences():
    f = rc([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 100, 5])
    assert idx(f["astronomical"]) == [10]
    assert f["variation"][10] == "improvement"
    # below the fence, and judged against a frozen baseline
    g = rc([5, 6, 5, 7, 5, 6, 4, 6, 5, 6, 5, 7, -40, 6], baseline_n=12, direction="higher")
    assert idx(g["astronomical"]) == [12]
    assert g["variation"][12] == "concern"


def test_no_astronomical_points_with_a_short_or_flat_baseline():
    assert not rc([5, 6, 5, 6, 100])["astronomical"].any()  # fewer than 12 baseline values
    # an 8-point baseline is too short to judge: a team's ordinary noise was flagged
    assert not rc([33.3, 33.3, 33.3, 37.5, 46.4, 30.0, 20.8, 33.3, 35, 20.8], baseline_n=8)["astronomical"].any()
    assert not rc([5] * 10 + [100])["astronomical"].any()  # IQR 0


# ---------------------------------------------------------------------------
# runs and the runs table


def test_runs_count_skips_points_on_the_median():
    f = rc([1, 3, 5, 5, 3, 5, 1])  # median 3; useful: 1 | 5 5 | 5 | 1 -> sides - + + + -
    s = runchart.run_chart_summary(f)
    assert s["useful_points"] == 5
    assert s["runs"] == 3
    assert s["runs_expected_min"] is None and s["too_few_runs"] is None  # table starts at 10


@pytest.mark.parametrize(
    ("n", "limits"),
    [
        (9, None),
        (10, (3, 9)),
        (16, (5, 13)),
        (20, (6, 16)),
        (30, (11, 21)),
        (60, (24, 38)),
        (61, None),
    ],
)
def test_runs_table_lookups(n, limits):
    assert runchart.runs_limits(n) == limits


def test_runs_table_is_within_one_run_of_swed_eisenhart():
    """Sanity check of the transcription: every row within 1 of the exact 2.5 % tails."""

    def exact_limits(n_useful):
        n1, n2 = n_useful // 2, n_useful - n_useful // 2
        total = comb(n_useful, n1)
        pmf = {}
        for r in range(2, n_useful + 1):
            k = r // 2
            if r % 2 == 0:
                p = 2 * comb(n1 - 1, k - 1) * comb(n2 - 1, k - 1)
            else:
                p = comb(n1 - 1, k - 1) * comb(n2 - 1, k) + comb(n1 - 1, k) * comb(n2 - 1, k - 1)
            pmf[r] = p / total
        cdf, lo = 0.0, None
        for r in sorted(pmf):
            cdf += pmf[r]
            if cdf > 0.025:
                lo = r
                break
        cdf, hi = 0.0, None
        for r in sorted(pmf, reverse=True):
            cdf += pmf[r]
            if cdf > 0.025:
                hi = r
                break
        return lo, hi

    assert sorted(runchart.RUNS_TABLE) == list(range(10, 61))
    previous = (0, 0)
    for n, (lo, hi) in runchart.RUNS_TABLE.items():
        e_lo, e_hi = exact_limits(n)
        assert abs(lo - e_lo) <= 1 and abs(hi - e_hi) <= 1, n
        assert lo >= previous[0] and hi >= previous[1] and lo < hi
        previous = (lo, hi)


def test_too_few_runs():
    f = rc([1] * 10 + [9] * 10)  # median 5, 2 runs in 20 useful points
    s = runchart.run_chart_summary(f)
    assert (s["useful_points"], s["runs"]) == (20, 2)
    assert s["too_few_runs"] is True and s["too_many_runs"] is False


def test_too_many_runs():
    f = rc([1, 9] * 10)  # strict alternation: 20 runs in 20 useful points, table max 16
    s = runchart.run_chart_summary(f)
    assert (s["useful_points"], s["runs"]) == (20, 20)
    assert s["too_many_runs"] is True and s["too_few_runs"] is False
    assert s["shift"] is False and s["trend"] is False and s["signal_direction"] is None


def test_summary_signal_direction_follows_the_direction():
    values = [6, 4, 5, 6, 4] + [7, 8, 7, 8, 7, 8]
    assert runchart.run_chart_summary(rc(values, baseline_n=5))["signal_direction"] == "improvement"
    lower = rc(values, baseline_n=5, direction="lower")
    assert runchart.run_chart_summary(lower)["signal_direction"] == "concern"
    assert spc.latest_signal(lower) == "concern"
    neutral = rc(values, baseline_n=5, direction="neutral")
    assert runchart.run_chart_summary(neutral)["signal_direction"] is None
    assert spc.latest_signal(neutral) == "neither"


def test_nulls_are_skipped_and_kept_as_rows():
    f = rc([6, 4, 5, 6, 4] + [7, 8, None, 7, 8, 7, 8], baseline_n=5)
    assert f.height == 12
    assert f.row(7, named=True) | {"median": None, "baseline": None} == {
        "value": None,
        "median": None,
        "baseline": None,
        "useful": None,
        "shift": None,
        "trend": None,
        "astronomical": None,
        "variation": None,
    }
    assert idx(f["shift"]) == [5, 6, 8, 9, 10, 11]
    s = runchart.run_chart_summary(f)
    assert s["useful_points"] == 10 and s["runs"] == 5  # + - + - then 6 above


def test_empty_and_all_null():
    for values in ([], [None, None]):
        f = rc(values)
        s = runchart.run_chart_summary(f)
        assert s["useful_points"] == 0 and s["runs"] == 0 and s["signal_direction"] is None
        assert spc.latest_signal(f) is None


@settings(max_examples=30, deadline=None)
@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=40),
)
def test_constant_series_has_no_signal(value, n):
    f = rc([value] * n)
    s = runchart.run_chart_summary(f)
    assert not (f["shift"].any() or f["trend"].any() or f["astronomical"].any())
    assert s["useful_points"] == 0 and s["runs"] == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=40))
def test_runs_equal_crossings_plus_one(values):
    f = rc(values)
    s = runchart.run_chart_summary(f)
    a = runchart.anhoej_summary(f)
    assert s["useful_points"] == a["useful_points"]
    assert s["runs"] == (a["n_crossings"] + 1 if a["useful_points"] else 0)


# ---------------------------------------------------------------------------
# reference vectors (tests/fixtures/stats/README.md)

RC_CASES = json.loads((FIXTURES / "run_chart_reference_vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "case", [c for c in RC_CASES if c["rules"] == "ihi_perla2011"], ids=lambda c: c["id"]
)
def test_ihi_reference_vector(case):
    e = case["expected"]
    f = rc(case["values"], baseline_n=case["baseline_n"])
    s = runchart.run_chart_summary(f)
    assert f["median"][0] == pytest.approx(e["median"], abs=1e-9, rel=0)
    assert s["runs"] == e["runs"]
    assert s["useful_points"] == e["useful_observations"]
    assert f["trend"].to_list() == e["trend"]
    # Deliberate difference: runchart 0.2.0 also flags on-median points inside or right
    # after a shift; vetopito never flags points on the median (they are not in a run).
    on_median = e["on_median"]
    got = [g for g, m in zip(f["shift"].to_list(), on_median, strict=True) if not m]
    want = [w for w, m in zip(e["shift"], on_median, strict=True) if not m]
    assert got == want
    assert f["useful"].to_list() == [not m for m in on_median]
    # too_few_runs / too_many_runs are null in the vectors (no machine-readable Table 1)
    assert e["too_few_runs"] is None and e["too_many_runs"] is None


@pytest.mark.parametrize(
    "case", [c for c in RC_CASES if c["rules"] == "anhoej"], ids=lambda c: c["id"]
)
def test_anhoej_reference_vector(case):
    e = case["expected"]
    f = rc(case["values"], baseline_n=case["baseline_n"])
    a = runchart.anhoej_summary(f)
    assert f["median"][0] == pytest.approx(e["median"], abs=1e-9, rel=0)
    assert a["useful_points"] == e["useful_observations"]
    assert a["n_crossings"] + 1 == e["runs"]
    for key in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
        assert a[key] == e[key], key
    assert a["shift_signal"] == e["shift_signal"]
    assert a["too_few_crossings"] == e["too_few_runs"]
    assert a["runs_signal"] == e["runs_signal"]


def test_a_new_phase_has_its_own_median_and_no_rule_crosses_into_it():
    """A step at a process change (`rebase_at`): each phase its own median (the frozen baseline
    belongs to the first), so six high points after the step are no shift of the old median."""
    values = [5, 6, 5, 6, 5, 6, 9, 10, 9, 10, 9, 10]
    plain = rc(values, baseline_n=6)
    assert plain["shift"].to_list()[6:] == [True] * 6   # against the old median: a shift
    phased = rc(values, baseline_n=6, rebase_at=[6])
    assert phased["phase"].to_list() == [0] * 6 + [1] * 6
    assert phased["median"].to_list() == [5.5] * 6 + [9.5] * 6
    assert not any(phased["shift"].to_list()) and set(phased["variation"].to_list()) == {"common_cause"}
    assert phased["baseline"].to_list() == [True] * 6 + [False] * 6
    assert "phase" not in plain.columns   # the shape without phases is as it was
    months = [dt.date(2024, m, 1) for m in range(1, 13)]
    dated = runchart.run_chart(values, direction="higher", periods=months, rebase_at=[dt.date(2024, 6, 15)])
    assert dated["phase"].to_list() == phased["phase"].to_list()
    summary = runchart.run_chart_summary(phased)
    assert summary["useful_points"] == 6 and summary["signal_direction"] is None   # the latest phase's runs
