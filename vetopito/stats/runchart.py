"""IHI run charts (``RULESET_RUN``: Perla, Provost & Murray, BMJ Qual Saf 2011;20:46-51), per
point as in the R package runchart 0.2.0, runs counted as in qicharts2 0.8.1 (used for Läpimurto
team progress), and Anhøj's rules for comparison. See :func:`run_chart`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from vetopito.stats import core

RULESET_RUN = "IHI run chart (Perla, Provost & Murray 2011)"

# IHI run chart rules (Perla, Provost & Murray 2011).
RUN_SHIFT_POINTS = 6
RUN_TREND_POINTS = 5
# Astronomical point: beyond Tukey's far-out fences of the baseline (Q1 - 3 IQR,
# Q3 + 3 IQR), judged only when the baseline has at least this many values.
ASTRONOMICAL_IQR_FACTOR = 3.0
ASTRONOMICAL_MIN_BASELINE = 12  # with 8, ~12 % of stable 18-point series had a false one

# Perla, Provost & Murray 2011, Table 1 "Table for checking for too many or too few runs
# on a run chart" (after Swed & Eisenhart 1943, about 5 % risk of a false signal):
# number of useful observations (not on the median) -> (lower limit, upper limit) of the
# number of runs. Fewer runs than the lower limit = too few; more than the upper = too many.
# Transcribed from the table as reproduced in IHI run-chart teaching material; it could not
# be checked against the paper here (no machine-readable copy, see
# tests/fixtures/stats/README.md). Every row lies within one run of the exact
# Swed-Eisenhart 2.5 %-per-tail limits for n1 = floor(N/2), n2 = ceil(N/2), which
# tests/test_stats_runchart.py checks.
RUNS_TABLE_SOURCE = (
    "Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning "
    "from variation in healthcare processes. BMJ Qual Saf 2011;20:46-51, Table 1"
)
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9),
    11: (3, 10),
    12: (3, 11),
    13: (4, 11),
    14: (4, 12),
    15: (5, 12),
    16: (5, 13),
    17: (5, 13),
    18: (6, 14),
    19: (6, 15),
    20: (6, 16),
    21: (7, 16),
    22: (7, 17),
    23: (7, 17),
    24: (8, 18),
    25: (8, 18),
    26: (9, 19),
    27: (10, 19),
    28: (10, 20),
    29: (10, 20),
    30: (11, 21),
    31: (11, 22),
    32: (11, 22),
    33: (11, 23),
    34: (12, 23),
    35: (13, 24),
    36: (13, 24),
    37: (13, 25),
    38: (14, 26),
    39: (14, 26),
    40: (15, 27),
    41: (15, 27),
    42: (16, 28),
    43: (16, 28),
    44: (17, 29),
    45: (17, 30),
    46: (17, 30),
    47: (18, 31),
    48: (18, 31),
    49: (19, 32),
    50: (19, 32),
    51: (20, 33),
    52: (20, 33),
    53: (21, 34),
    54: (21, 35),
    55: (22, 35),
    56: (22, 36),
    57: (23, 36),
    58: (23, 37),
    59: (24, 38),
    60: (24, 38),
}


def _run_shift_sides(side: np.ndarray, min_len: int) -> np.ndarray:
    """Per point: +1/-1 for useful points in a run of >= min_len on one side.

    Points on the median (side 0) are skipped: they neither count nor break a run, and
    are not flagged themselves.
    """
    out = np.zeros(len(side), dtype=int)
    useful = np.flatnonzero(side != 0)
    for start, stop, code in core.runs_of_equal(side[useful]):
        if stop - start >= min_len:
            out[useful[start:stop]] = code
    return out


def _run_trend_sides(y: np.ndarray, min_points: int) -> np.ndarray:
    """Per point: +1/-1 for points in >= min_points rising/falling values (IHI).

    Equal consecutive values count once: they neither count nor break the trend, and
    are flagged when they lie inside it. A turning point may belong to two trends; it
    keeps the direction of the later one.
    """
    n = len(y)
    out = np.zeros(n, dtype=int)
    if n < 2:
        return out
    # collapse runs of equal values into one "level"
    level_start = [0] + [i for i in range(1, n) if y[i] != y[i - 1]]
    level_stop = level_start[1:] + [n]
    levels = y[level_start]
    if len(levels) < 2:
        return out
    d = np.sign(np.diff(levels)).astype(int)
    for start, stop, code in core.runs_of_equal(d):
        if stop - start >= min_points - 1:
            out[level_start[start] : level_stop[stop]] = code
    return out


def run_chart(
    values: Sequence[float | None] | pl.Series | np.ndarray,
    *,
    baseline_n: int | None = None,
    direction: str,
    periods: Sequence[Any] | pl.Series | None = None,
    rebase_at: Sequence[Any] = (),
) -> pl.DataFrame:
    """IHI run chart (``RULESET_RUN``: Perla, Provost & Murray 2011), one row per point.

    Columns: ``period`` (if given), ``value, median, baseline, useful, shift, trend,
    astronomical, variation`` and, where ``rebase_at`` starts a later phase, ``phase``.

    * ``median``: median of the first ``baseline_n`` non-null values (frozen baseline,
      extended to every later point; qicharts2 ``freeze``); all values when None.
      ``baseline`` marks the rows up to the ``baseline_n``-th non-null value.
    * ``rebase_at``: row indices, or period values (a new phase starts at the first period
      >= the value, e.g. the date of a process change), where a new phase begins with its
      own median (of all its values: the frozen baseline belongs to the first phase), as
      qicharts2's ``part``; no rule crosses a phase boundary. ``phase`` numbers them 0, 1, …
    * ``useful``: the value is not on the median (null for null values).
    * ``shift``: the point belongs to 6 or more consecutive useful points on one side of
      the median. Points on the median neither count nor break a run and are never
      flagged (runchart 0.2.0 also flags on-median points inside or right after a shift;
      that display convention is not followed).
    * ``trend``: the point belongs to 5 or more points rising or falling; equal
      neighbours count once (neither count nor break) and are flagged inside a trend.
    * ``astronomical``: outside Tukey's far-out fences of the baseline values
      (Q1 − 3·IQR, Q3 + 3·IQR, quartiles as R type 7), judged only when the baseline has
      at least 12 values and a non-zero IQR (IHI leaves "astronomical" to judgement;
      neither runchart nor qicharts2 implements it).
    * ``variation``: ``improvement``/``concern``/``neither`` (neutral direction) for a
      signal point, by the side or direction of its signal (precedence astronomical >
      shift > trend), else ``common_cause``.

    Nulls (hidden or missing) are skipped in every rule and kept as rows with null
    outputs apart from ``median``, ``baseline`` and ``phase``. Use :func:`run_chart_summary`
    for the runs analysis.
    """
    y_all = core.as_float_array(values)
    n = len(y_all)
    period_list = core.period_list(periods, n)
    dir_sign = core.direction_sign(direction)
    if baseline_n is not None and baseline_n < 1:
        raise ValueError("baseline_n must be at least 1")
    median = np.full(n, np.nan)
    baseline = np.zeros(n, dtype=bool)
    phase = np.zeros(n, dtype=int)
    per_point: dict[str, list[Any]] = {k: [None] * n for k in ("useful", "shift", "trend", "astronomical",
                                                             "variation")}
    starts = core.segment_starts(rebase_at, period_list, n) if n else [0]
    for number, (a, b) in enumerate(zip(starts, starts[1:] + [n], strict=True)):
        phase[a:b] = number
        present = a + np.flatnonzero(~np.isnan(y_all[a:b]))
        result = _phase_rules(y_all[present], baseline_n if number == 0 else None, dir_sign)
        if result is None:   # a phase with no values: the median of the phase before goes on
            median[a:b] = median[a - 1] if a else np.nan
            continue
        median[a:b], k = result["median"], result["k"]
        if number == 0:
            baseline[: present[k - 1] + 1] = True
        for name, column in per_point.items():
            for j, i in enumerate(present):
                column[i] = result[name][j]

    return core.result_frame(period_list, {
        "value": (y_all, pl.Float64),
        "median": (median, pl.Float64),
        "baseline": (baseline, pl.Boolean),
        **{name: (column, pl.String if name == "variation" else pl.Boolean) for name, column in per_point.items()},
        **({"phase": (phase, pl.Int64)} if len(starts) > 1 else {}),
    })


def _phase_rules(y: np.ndarray, baseline_n: int | None, dir_sign: int) -> dict[str, Any] | None:
    """The median (of the first `baseline_n` values, or all) and each value's rules, for the
    non-null values of one phase; None when it has none."""
    if not len(y):
        return None
    k = len(y) if baseline_n is None else min(baseline_n, len(y))
    base = y[:k]
    med = float(np.median(base))
    side = np.sign(y - med).astype(int)
    shift = _run_shift_sides(side, RUN_SHIFT_POINTS)
    trend = _run_trend_sides(y, RUN_TREND_POINTS)
    astro = np.zeros(len(y), dtype=int)
    if k >= ASTRONOMICAL_MIN_BASELINE:
        q1, q3 = np.quantile(base, [0.25, 0.75])
        iqr = q3 - q1
        if iqr > 0:
            astro[y > q3 + ASTRONOMICAL_IQR_FACTOR * iqr] = 1
            astro[y < q1 - ASTRONOMICAL_IQR_FACTOR * iqr] = -1
    variation = []
    for j in range(len(y)):
        s = astro[j] or shift[j] or trend[j]
        variation.append("common_cause" if s == 0 else core.variation_of(int(s), dir_sign))
    return {"median": med, "k": k, "useful": (side != 0).tolist(), "shift": (shift != 0).tolist(),
            "trend": (trend != 0).tolist(), "astronomical": (astro != 0).tolist(), "variation": variation}


def runs_limits(useful_points: int) -> tuple[int, int] | None:
    """(lower, upper) expected number of runs from Perla et al. 2011 Table 1, or None.

    The table covers 10 to 60 useful observations; outside that range there is no limit.
    """
    return RUNS_TABLE.get(int(useful_points))


def count_runs(frame: pl.DataFrame) -> int:
    """Number of runs of useful points (sides of the median; on-median points skipped).

    Equals qicharts2's ``n.crossings + 1`` (0 when there are no useful points).
    """
    d = frame.filter(pl.col("value").is_not_null() & pl.col("useful"))
    if d.height == 0:
        return 0
    side = np.sign(d["value"].to_numpy() - d["median"].to_numpy())
    return int(1 + np.count_nonzero(side[1:] != side[:-1]))


def run_chart_summary(frame: pl.DataFrame) -> dict[str, Any]:
    """Runs analysis of a :func:`run_chart` frame (``RULESET_RUN``).

    Returns ``useful_points`` (values not on the median), ``runs`` (runs of useful
    points, qicharts2 ``n.crossings + 1``), ``runs_expected_min``/``runs_expected_max``
    (Perla et al. 2011 Table 1; None outside 10–60 useful points), ``too_few_runs``/
    ``too_many_runs`` (runs < min / runs > max; None when the table has no row),
    ``shift``/``trend``/``astronomical`` (any point flagged), and ``signal_direction``:
    the ``variation`` (``improvement``/``concern``) of the latest signal point, or None
    when there is no signal or the direction is neutral. With phases (``rebase_at``) the runs
    are those of the latest phase (the table is for one median), the signals those of every phase.
    """
    latest = frame.filter(pl.col("phase") == pl.col("phase").max()) if "phase" in frame.columns else frame
    useful_points = int(latest["useful"].fill_null(False).sum())
    runs = count_runs(latest)
    limits = runs_limits(useful_points)
    lo, hi = limits if limits else (None, None)
    signals = frame.filter(pl.col("variation").is_in(["improvement", "concern"]))
    return {
        "useful_points": useful_points,
        "runs": runs,
        "runs_expected_min": lo,
        "runs_expected_max": hi,
        "too_few_runs": None if lo is None else runs < lo,
        "too_many_runs": None if hi is None else runs > hi,
        "shift": bool(frame["shift"].fill_null(False).any()),
        "trend": bool(frame["trend"].fill_null(False).any()),
        "astronomical": bool(frame["astronomical"].fill_null(False).any()),
        "signal_direction": signals["variation"][-1] if signals.height else None,
    }

def anhoej_summary(frame: pl.DataFrame) -> dict[str, Any]:
    """Anhøj's run-chart rules (qicharts2 0.8.1 ``method = "anhoej"``) for comparison.

    Not the project's rule set (that is ``RULESET_RUN``); provided so the same frame can
    be checked against qicharts2. Returns ``useful_points``, ``longest_run``,
    ``longest_run_max`` (round(log2(n)) + 3), ``n_crossings``, ``n_crossings_min``
    (the 5 % quantile of Binomial(n − 1, 0.5)), ``shift_signal`` (longest run > max),
    ``too_few_crossings`` and ``runs_signal`` (either).
    """
    d = frame.filter(pl.col("value").is_not_null() & pl.col("useful"))
    n = d.height
    if n == 0:
        return {
            "useful_points": 0,
            "longest_run": 0,
            "longest_run_max": None,
            "n_crossings": 0,
            "n_crossings_min": None,
            "shift_signal": False,
            "too_few_crossings": False,
            "runs_signal": False,
        }
    side = np.sign(d["value"].to_numpy() - d["median"].to_numpy()).astype(int)
    longest = max(stop - start for start, stop, _ in core.runs_of_equal(side))
    crossings = int(np.count_nonzero(side[1:] != side[:-1]))
    longest_max = int(np.round(np.log2(n))) + 3
    # qbinom(0.05, n - 1, 0.5): smallest k with P(X <= k) >= 0.05
    trials = n - 1
    cdf, crossings_min = 0.0, 0
    for k in range(trials + 1):
        cdf += math.comb(trials, k) / 2.0**trials
        if cdf >= 0.05 - 1e-12:
            crossings_min = k
            break
    shift_signal = longest > longest_max
    too_few = crossings < crossings_min
    return {
        "useful_points": n,
        "longest_run": int(longest),
        "longest_run_max": longest_max,
        "n_crossings": crossings,
        "n_crossings_min": crossings_min,
        "shift_signal": shift_signal,
        "too_few_crossings": too_few,
        "runs_signal": shift_signal or too_few,
    }
