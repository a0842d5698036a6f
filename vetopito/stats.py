"""SPC (XmR, p-chart) and run-chart statistics: pure functions, numpy and polars only.

Two rule sets, each named on the charts that use it:

* ``RULESET_SPC``: NHS England's "Making Data Count" XmR rules as implemented by the
  R package NHSRplotthedots 0.2.2 (used for region trends), without moving-range
  screening, as in NHS England's own tool. See :func:`spc`.
* ``RULESET_RUN``: IHI run-chart rules (Perla, Provost & Murray, BMJ Qual Saf 2011;
  20:46-51), per point as in the R package runchart 0.2.0, runs counted as in
  qicharts2 0.8.1 (used for Läpimurto team progress). See :func:`run_chart`.

The reference outputs these functions are tested against live in
``tests/fixtures/stats/`` (see its README). Nothing here imports Streamlit or touches
the database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

RULESET_SPC = "NHS Making Data Count (XmR)"
RULESET_RUN = "IHI run chart (Perla, Provost & Murray 2011)"

# XmR constants (Wheeler): 2.66 = 3 / d2 with d2 = 1.128 for moving ranges of two.
XMR_LIMIT_FACTOR = 2.66
# Making Data Count: 7-point shift and trend rules (NHSRplotthedots default).
SPC_SHIFT_POINTS = 7
SPC_TREND_POINTS = 7
# Laney's p′ chart (Laney DB. Improved control charts for attributes. Quality Engineering
# 2002;14(4):531-537): σ_z = mean moving range of the standardised values z_i / d2, d2 =
# 1.128 for moving ranges of two (the XmR constant above is 3 / d2).
LANEY_D2 = 1.128
# Laney's paper uses σ_z as it comes, so under-dispersion (σ_z < 1) narrows the limits below
# the binomial ones. We floor σ_z at 1 ("only widen", a common convention, not Laney's): the
# p′ chart is here to correct over-dispersion, and limits narrower than binomial sampling
# alone allows would flag chance. `p_chart(..., laney=True, widen_only=False)` gives
# Laney's original.
LANEY_WIDEN_ONLY = True
RULESET_P_PRIME = "NHS Making Data Count rules on a Laney p′ chart (Laney 2002)"

# Fewer than this many (non-null) points in a segment give trial limits (DESIGN.md and
# the MDC guidance "fewer than 12 points"; NHSRplotthedots warns at n < 13 in its code).
TRIAL_LIMITS_MIN_POINTS = 12

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

_DIRECTIONS = {
    "higher": 1,
    "increase": 1,
    "lower": -1,
    "decrease": -1,
    "neutral": 0,
}


# ---------------------------------------------------------------------------
# small helpers


def _direction_sign(direction: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 for neutral."""
    try:
        return _DIRECTIONS[direction]
    except KeyError:
        raise ValueError(
            f"direction must be 'higher', 'lower' or 'neutral' (got {direction!r})"
        ) from None


def _as_float_array(values: Any, name: str = "values") -> np.ndarray:
    """Values as float64 with NaN for null (None, NaN, polars null)."""
    if isinstance(values, pl.Series):
        values = values.cast(pl.Float64).to_list()
    out = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if out.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return out


def _mean(x: np.ndarray) -> float:
    """Mean with R's second pass, so a constant series has exactly its value as mean."""
    m = math.fsum(x) / len(x)
    return m + math.fsum(x - m) / len(x)


def _variation(side: int, dir_sign: int) -> str:
    """Classify a special-cause side (+1 above/rising, -1 below/falling) by direction."""
    if dir_sign == 0:
        return "neither"
    return "improvement" if side * dir_sign > 0 else "concern"


def _segment_starts(rebase_at: Any, periods: Sequence[Any] | None, n: int) -> list[int]:
    """Row indices where a new segment begins (always including 0)."""
    starts = {0}
    for item in rebase_at or ():
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            idx = int(item)
            if not 0 <= idx < n:
                raise ValueError(f"rebase_at index {idx} is outside 0..{n - 1}")
        else:
            if periods is None:
                raise ValueError(
                    f"rebase_at entry {item!r} is not an index and no periods were given"
                )
            later = [i for i, p in enumerate(periods) if p is not None and _ge(p, item)]
            if not later:
                continue  # change after the last period: no new segment on this chart
            idx = later[0]
        starts.add(idx)
    return sorted(starts)


def _ge(period: Any, item: Any) -> bool:
    """period >= item, comparing dates with datetimes by their date."""
    if isinstance(period, dt.datetime) and not isinstance(item, dt.datetime):
        period = period.date()
    if isinstance(item, dt.datetime) and not isinstance(period, dt.datetime):
        item = item.date()
    return period >= item


def _runs_of_equal(codes: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, stop, code) for each maximal run of equal codes (stop exclusive)."""
    out = []
    n = len(codes)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and codes[j + 1] == codes[i]:
            j += 1
        out.append((i, j + 1, int(codes[i])))
        i = j + 1
    return out


# ---------------------------------------------------------------------------
# XmR rules on one segment (compressed: no nulls)


def _shift_sides(side: np.ndarray, min_len: int) -> np.ndarray:
    """Per point: +1/-1 when it belongs to a run of >= min_len equal non-zero sides."""
    out = np.zeros(len(side), dtype=int)
    for start, stop, code in _runs_of_equal(side):
        if code != 0 and stop - start >= min_len:
            out[start:stop] = code
    return out


def _trend_sides_strict(y: np.ndarray, min_points: int) -> np.ndarray:
    """Per point: +1/-1 when in >= min_points strictly rising/falling points.

    A tie (equal neighbours) breaks the trend (NHSRplotthedots). A turning point that
    ends one trend and starts another gets the direction of the trend to its right.
    """
    n = len(y)
    out = np.zeros(n, dtype=int)
    if n < 2:
        return out
    d = np.sign(np.diff(y)).astype(int)
    for start, stop, code in _runs_of_equal(d):  # runs over diffs; later ones overwrite
        if code != 0 and stop - start >= min_points - 1:
            out[start : stop + 1] = code
    return out


def _two_of_three_sides(side: np.ndarray, close: np.ndarray) -> np.ndarray:
    """Per point: +1/-1 when it is a close-to-limit point of a 2-of-3 window.

    A window is 3 consecutive points all on the same side of the centre line with at
    least 2 of them in the outer third but inside the limits (points beyond a limit do
    not count, as in NHSRplotthedots); only the close points are flagged.
    """
    n = len(side)
    out = np.zeros(n, dtype=int)
    for i in range(n - 2):
        s = side[i : i + 3]
        c = close[i : i + 3]
        if s[0] != 0 and np.all(s == s[0]) and c.sum() >= 2:
            for k in range(3):
                if c[k]:
                    out[i + k] = s[0]
    return out


def _classify(
    y: np.ndarray,
    centre: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    sigma: np.ndarray,
    dir_sign: int,
) -> tuple[list[str | None], list[str], list[bool]]:
    """Rules and variation for one segment with no nulls (arrays of equal length).

    Precedence per point: beyond limits > trend > two of three > shift.
    """
    n = len(y)
    with np.errstate(invalid="ignore"):
        side = np.sign(y - centre).astype(int)
        has_limits = ~np.isnan(upper)
        above = has_limits & (y > upper)
        below = has_limits & (y < lower)
        # "close to limits": in the outer third but not outside the limits
        close = has_limits & (np.abs(y - centre) > 2.0 * sigma) & ~above & ~below
    shift = _shift_sides(side, SPC_SHIFT_POINTS)
    trend = _trend_sides_strict(y, SPC_TREND_POINTS)
    two3 = _two_of_three_sides(side, close)
    rules: list[str | None] = []
    variations: list[str] = []
    special: list[bool] = []
    for i in range(n):
        if above[i] or below[i]:
            rule, s = "beyond_limits", (1 if above[i] else -1)
        elif trend[i]:
            rule, s = "trend", trend[i]
        elif two3[i]:
            rule, s = "two_of_three", two3[i]
        elif shift[i]:
            rule, s = "shift", shift[i]
        else:
            rule, s = None, 0
        rules.append(rule)
        special.append(rule is not None)
        variations.append("common_cause" if rule is None else _variation(s, dir_sign))
    return rules, variations, special


# ---------------------------------------------------------------------------
# public API


def _result_frame(period_list: list[Any] | None, columns: dict[str, tuple[Any, Any]]) -> pl.DataFrame:
    """A chart's frame: `period` first when given, then each (values, dtype) column; NaN in a
    float column reads as null."""
    series: dict[str, Any] = {} if period_list is None else {"period": period_list}
    for name, (values, dtype) in columns.items():
        series[name] = pl.Series(name, values, dtype=dtype, nan_to_null=dtype == pl.Float64)
    return pl.DataFrame(series)


def _limit_columns(mean, lower, upper, special, rule, variation, trial, segment) -> dict[str, tuple[Any, Any]]:
    """The columns an SPC chart (`spc`, `p_chart`) adds after its values: centre line, limits, signals."""
    return {"mean": (mean, pl.Float64), "lower": (lower, pl.Float64), "upper": (upper, pl.Float64),
            "special_cause": (special, pl.Boolean), "rule": (rule, pl.String), "variation": (variation, pl.String),
            "trial_limits": (trial, pl.Boolean), "segment": (segment, pl.Int64)}


def spc(
    values: Sequence[float | None] | pl.Series | np.ndarray,
    *,
    direction: str,
    target: float | None = None,
    periods: Sequence[Any] | pl.Series | None = None,
    rebase_at: Sequence[Any] = (),
    fix_after_n_points: int | None = None,
) -> pl.DataFrame:
    """XmR chart with NHS "Making Data Count" rules (``RULESET_SPC``), as NHSRplotthedots.

    One row per input point, in input order, with columns ``period`` (only when
    ``periods`` is given), ``value, mean, lower, upper, special_cause, rule, variation,
    trial_limits, segment``.

    * ``mean`` is the segment mean; ``lower``/``upper`` = mean ∓ 2.66 × mean moving range
      of consecutive non-null points of the segment. Moving ranges are not screened for
      outliers (NHS England's tool; NHSRplotthedots' ``screen_outliers = FALSE``).
    * ``rule``: ``beyond_limits`` (strictly outside a limit; on a limit is inside),
      ``trend`` (7+ points strictly rising or falling; a tie breaks it; may cross the
      mean), ``two_of_three`` (in 3 consecutive points all on one side of the mean, 2+
      lie beyond mean ± 2/3 of the limit distance but inside the limits; only those are
      flagged), ``shift``
      (7+ points in a row on one side; a point exactly on the mean breaks the run), or
      null. Precedence per point: beyond_limits > trend > two_of_three > shift.
    * ``variation``: ``improvement``/``concern`` by ``direction`` (``'higher'`` or
      ``'lower'``; NHSRplotthedots' ``'increase'``/``'decrease'`` are accepted too),
      ``common_cause``; with ``direction='neutral'`` special causes are ``neither``
      (as NHSRplotthedots' ``special_cause_neither``).
    * ``rebase_at``: row indices (ints), or period values (a new segment starts at the
      first period >= the value, e.g. a definition-change date), where a new segment
      with its own mean and limits begins; rules never cross a segment boundary.
      ``segment`` numbers them 0, 1, …
    * ``fix_after_n_points``: the mean and limits of each segment come from its first
      n non-null points only (a fixed baseline); later points are judged against them.
    * ``trial_limits``: the segment has fewer than 12 non-null points (NHSRplotthedots
      itself warns below 13; the MDC guidance and DESIGN.md say fewer than 12).
    * Nulls (hidden or missing values, NaN) are skipped: moving ranges join the
      neighbouring non-null points and runs continue across the gap. Their rows stay,
      with null ``value, special_cause, rule, variation`` and the segment's mean and
      limits (so limit lines run through the gap).

    ``target`` does not change the rows; pass it to :func:`assurance`.
    """
    del target  # accepted for symmetry with the chart call; assurance() uses it
    y_all = _as_float_array(values)
    n = len(y_all)
    period_list = None
    if periods is not None:
        period_list = periods.to_list() if isinstance(periods, pl.Series) else list(periods)
        if len(period_list) != n:
            raise ValueError(f"periods has {len(period_list)} items, values has {n}")
    dir_sign = _direction_sign(direction)
    if fix_after_n_points is not None and fix_after_n_points < 2:
        raise ValueError("fix_after_n_points must be at least 2")

    mean = np.full(n, np.nan)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    segment = np.zeros(n, dtype=int)
    trial = np.zeros(n, dtype=bool)
    rule: list[str | None] = [None] * n
    variation: list[str | None] = [None] * n
    special: list[bool | None] = [None] * n

    starts = _segment_starts(rebase_at, period_list, n) if n else [0]
    bounds = list(zip(starts, starts[1:] + [n], strict=True))
    for seg_no, (a, b) in enumerate(bounds):
        segment[a:b] = seg_no
        idx = np.arange(a, b)[~np.isnan(y_all[a:b])]
        y = y_all[idx]
        trial[a:b] = len(y) < TRIAL_LIMITS_MIN_POINTS
        if len(y) == 0:
            continue
        base = y if fix_after_n_points is None else y[:fix_after_n_points]
        centre = _mean(base)
        if len(base) >= 2:
            amr = float(np.mean(np.abs(np.diff(base))))
            lo, hi = centre - XMR_LIMIT_FACTOR * amr, centre + XMR_LIMIT_FACTOR * amr
        else:
            amr, lo, hi = math.nan, math.nan, math.nan
        mean[a:b], lower[a:b], upper[a:b] = centre, lo, hi
        k = len(y)
        seg_rules, seg_var, seg_special = _classify(
            y,
            np.full(k, centre),
            np.full(k, lo),
            np.full(k, hi),
            np.full(k, (hi - centre) / 3.0 if not math.isnan(hi) else math.nan),
            dir_sign,
        )
        for j, i in enumerate(idx):
            rule[i], variation[i], special[i] = seg_rules[j], seg_var[j], seg_special[j]

    return _result_frame(period_list, {"value": (y_all, pl.Float64),
                                       **_limit_columns(mean, lower, upper, special, rule, variation, trial, segment)})


def assurance(frame: pl.DataFrame, target: float | None, direction: str) -> str | None:
    """Whether the process meets ``target``: ``pass``, ``fail``, ``hit_and_miss`` or None.

    Uses the limits of the last row that has limits (the latest segment; for a p-chart
    the latest point's own limits), as NHSRplotthedots does. For ``direction='higher'``:
    target below the lower limit = ``pass`` (consistently passes), above the upper limit
    = ``fail``; the reverse for ``'lower'``; otherwise, including a target exactly on a
    limit, ``hit_and_miss``. None when there is no target, no limits, or the direction is
    ``'neutral'``.
    """
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return None
    dir_sign = _direction_sign(direction)
    if dir_sign == 0:
        return None
    with_limits = frame.filter(pl.col("lower").is_not_null() & pl.col("upper").is_not_null())
    if with_limits.height == 0:
        return None
    lo = with_limits["lower"][-1]
    hi = with_limits["upper"][-1]
    if target > hi:
        return "fail" if dir_sign > 0 else "pass"
    if target < lo:
        return "pass" if dir_sign > 0 else "fail"
    return "hit_and_miss"


# ---------------------------------------------------------------------------
# seasonal view: deseasonalised values for indicators with a known yearly pattern
#
# A seasonal indicator (sick leave peaks in winter and dips in summer) breaks the XmR rules'
# assumption of a stable process: half a year below the mean is a "shift", the summer dip a
# point "beyond limits", though nothing changed. Of the two views the issue allows (the same
# month a year earlier, or deseasonalised values) we use the deseasonalised one, because it keeps
# the indicator's own units and level, so the target, the national line and assurance still
# apply: the classical additive decomposition (e.g. Hyndman & Athanasopoulos, Forecasting:
# principles and practice, 3rd ed., §3.4): the trend is a centred 2×12 (2×4) moving average,
# each season's index is the median over the years of value − trend (the median, so one odd
# January does not move every January), the indices are centred to sum to zero, and the
# adjusted value is value − its season's index. Year-over-year differences would turn one
# outlier into two signals a year apart and leave no level to hold a target against.

SEASONS_PER_YEAR = {"month": 12, "quarter": 4}
# Each season's index needs at least this many estimates (value − trend), i.e. about three
# years of monthly data: with one, the index is that one year's noise.
SEASONAL_MIN_ESTIMATES = 2


@dataclass(frozen=True)
class Deseasonalised:
    """``values``: the adjusted series (NaN where the input was null); ``indices``: the
    additive index of each season (January … December, or Q1 … Q4), summing to zero;
    ``seasons``: each point's season (0-based)."""

    values: np.ndarray
    indices: np.ndarray
    seasons: np.ndarray


def season_of(period: dt.date, grain: str) -> int:
    """0-based season of a period start: the month (0–11) or the quarter (0–3)."""
    return period.month - 1 if grain == "month" else (period.month - 1) // 3


def seasonal_indices(values: Any, periods: Sequence[dt.date], grain: str) -> np.ndarray | None:
    """Additive seasonal indices (see above), or None when the grain has no seasons or some
    season has fewer than ``SEASONAL_MIN_ESTIMATES`` estimates. Periods need not be consecutive:
    the values are placed on a regular calendar, and a moving-average window that meets a gap
    or a null gives no estimate."""
    k = SEASONS_PER_YEAR.get(grain)
    if k is None:
        return None
    y = _as_float_array(values)
    if len(periods) != len(y):
        raise ValueError(f"periods has {len(periods)} items, values has {len(y)}")
    if len(y) == 0:
        return None
    slots = [p.year * k + season_of(p, grain) for p in periods]
    first = min(slots)
    grid = np.full(max(slots) - first + 1, np.nan)
    for slot, v in zip(slots, y, strict=True):
        grid[slot - first] = v
    half = k // 2
    weights = np.r_[0.5, np.ones(k - 1), 0.5] / k  # 2×k centred moving average
    estimates: list[list[float]] = [[] for _ in range(k)]
    for i in range(half, len(grid) - half):
        window = grid[i - half : i + half + 1]
        if np.isnan(window).any():
            continue
        estimates[(first + i) % k].append(float(grid[i] - window @ weights))
    if min(len(e) for e in estimates) < SEASONAL_MIN_ESTIMATES:
        return None
    idx = np.array([float(np.median(e)) for e in estimates])
    return idx - idx.mean()


def deseasonalise(values: Any, periods: Sequence[dt.date], grain: str) -> Deseasonalised | None:
    """The series less its seasonal index (:func:`seasonal_indices`), or None when there are
    not enough years to estimate the indices (the caller then shows the plain series and says
    so). Nulls stay null (NaN)."""
    idx = seasonal_indices(values, periods, grain)
    if idx is None:
        return None
    y = _as_float_array(values)
    seasons = np.array([season_of(p, grain) for p in periods], dtype=int)
    return Deseasonalised(values=y - idx[seasons], indices=idx, seasons=seasons)


def phase_starts(frame: pl.DataFrame) -> list[Any]:
    """The first period of every segment after the first (where the limits were recalculated)
    of an :func:`spc` / :func:`p_chart` frame with a ``period`` column."""
    if frame.height == 0 or "period" not in frame.columns:
        return []
    seg = frame["segment"].to_list()
    per = frame["period"].to_list()
    return [per[i] for i in range(1, len(seg)) if seg[i] != seg[i - 1]]


def p_chart(
    numerators: Sequence[float | None] | pl.Series | np.ndarray,
    denominators: Sequence[float | None] | pl.Series | np.ndarray,
    *,
    direction: str,
    periods: Sequence[Any] | pl.Series | None = None,
    rebase_at: Sequence[Any] = (),
    laney: bool = False,
    widen_only: bool = LANEY_WIDEN_ONLY,
) -> pl.DataFrame:
    """Proportion (p) chart whose limits follow each period's denominator.

    One row per point with columns ``period`` (if given), ``numerator, denominator,
    value`` (share 0–1), ``value_pct`` (0–100), ``mean`` (p̄ = Σ numerators / Σ
    denominators of the segment, 0–1), ``lower, upper`` (p̄ ∓ 3·√(p̄(1−p̄)/nᵢ), clipped to
    [0, 1], per point), ``special_cause, rule, variation, trial_limits, segment``, the
    same meanings as in :func:`spc`. Rules (``RULESET_SPC`` with per-point limits):
    ``beyond_limits`` against the point's own limits, ``trend`` and ``shift`` (7 points),
    ``two_of_three`` beyond p̄ ± 2σᵢ (unclipped). A point with a null or non-positive
    denominator or a null numerator is kept with null outputs.

    ``laney=True`` gives Laney's p′ chart (Laney 2002) for over-dispersed data, where
    large denominators make binomial limits far tighter than the real between-period
    variation: per segment z_i = (p_i − p̄)/σ_i, σ_z = mean |z_i − z_{i−1}| (consecutive
    valid points) / 1.128, and every σ_i is multiplied by σ_z — limits p̄ ∓ 3·σ_i·σ_z,
    the outer third beyond p̄ ± 2·σ_i·σ_z; the limits still follow each denominator.
    With ``widen_only`` (default, see ``LANEY_WIDEN_ONLY``) σ_z is never below 1. The
    frame then has a last column ``sigma_z`` (per point, the segment's factor; null
    where a segment has fewer than two valid points, which keeps the p-chart limits).
    See :func:`p_prime_chart`.
    """
    num = _as_float_array(numerators, "numerators")
    den = _as_float_array(denominators, "denominators")
    n = len(num)
    if len(den) != n:
        raise ValueError(f"numerators has {n} items, denominators has {len(den)}")
    period_list = None
    if periods is not None:
        period_list = periods.to_list() if isinstance(periods, pl.Series) else list(periods)
        if len(period_list) != n:
            raise ValueError(f"periods has {len(period_list)} items, values has {n}")
    dir_sign = _direction_sign(direction)
    valid = ~np.isnan(num) & ~np.isnan(den) & (np.nan_to_num(den) > 0)
    share = np.where(valid, num / np.where(valid, den, 1.0), np.nan)

    mean = np.full(n, np.nan)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    segment = np.zeros(n, dtype=int)
    trial = np.zeros(n, dtype=bool)
    rule: list[str | None] = [None] * n
    variation: list[str | None] = [None] * n
    special: list[bool | None] = [None] * n
    sigma_z_col = np.full(n, np.nan)

    starts = _segment_starts(rebase_at, period_list, n) if n else [0]
    bounds = list(zip(starts, starts[1:] + [n], strict=True))
    for seg_no, (a, b) in enumerate(bounds):
        segment[a:b] = seg_no
        idx = np.arange(a, b)[valid[a:b]]
        trial[a:b] = len(idx) < TRIAL_LIMITS_MIN_POINTS
        if len(idx) == 0:
            continue
        pbar = float(num[idx].sum() / den[idx].sum())
        mean[a:b] = pbar
        sigma = np.sqrt(pbar * (1.0 - pbar) / den[idx])
        if laney:
            factor = laney_sigma_z(share[idx], pbar, sigma, widen_only=widen_only)
            if factor is not None:
                sigma = sigma * factor
                sigma_z_col[idx] = factor
        lo = np.clip(pbar - 3.0 * sigma, 0.0, 1.0)
        hi = np.clip(pbar + 3.0 * sigma, 0.0, 1.0)
        lower[idx], upper[idx] = lo, hi
        seg_rules, seg_var, seg_special = _classify(
            share[idx], np.full(len(idx), pbar), lo, hi, sigma, dir_sign
        )
        for j, i in enumerate(idx):
            rule[i], variation[i], special[i] = seg_rules[j], seg_var[j], seg_special[j]

    columns = {"numerator": (num, pl.Float64), "denominator": (den, pl.Float64), "value": (share, pl.Float64),
               "value_pct": (share * 100.0, pl.Float64),
               **_limit_columns(mean, lower, upper, special, rule, variation, trial, segment)}
    if laney:
        columns["sigma_z"] = (sigma_z_col, pl.Float64)
    return _result_frame(period_list, columns)


def laney_sigma_z(share: np.ndarray, pbar: float, sigma: np.ndarray, *,
                  widen_only: bool = LANEY_WIDEN_ONLY) -> float | None:
    """Laney's σ_z for one segment's valid points (in order): the mean moving range of
    z_i = (p_i − p̄)/σ_i divided by 1.128; at least 1 with ``widen_only``. None when it
    cannot be estimated (fewer than two points, or p̄ of 0 or 1 so that σ_i = 0)."""
    if len(share) < 2 or not np.all(sigma > 0):
        return None
    z = (share - pbar) / sigma
    sigma_z = float(np.mean(np.abs(np.diff(z))) / LANEY_D2)
    return max(sigma_z, 1.0) if widen_only else sigma_z


def p_prime_chart(
    numerators: Sequence[float | None] | pl.Series | np.ndarray,
    denominators: Sequence[float | None] | pl.Series | np.ndarray,
    *,
    direction: str,
    periods: Sequence[Any] | pl.Series | None = None,
    rebase_at: Sequence[Any] = (),
    widen_only: bool = LANEY_WIDEN_ONLY,
) -> pl.DataFrame:
    """Laney's p′ chart: :func:`p_chart` with ``laney=True`` (see there)."""
    return p_chart(numerators, denominators, direction=direction, periods=periods,
                   rebase_at=rebase_at, laney=True, widen_only=widen_only)


# ---------------------------------------------------------------------------
# run charts


def _run_shift_sides(side: np.ndarray, min_len: int) -> np.ndarray:
    """Per point: +1/-1 for useful points in a run of >= min_len on one side.

    Points on the median (side 0) are skipped: they neither count nor break a run, and
    are not flagged themselves.
    """
    out = np.zeros(len(side), dtype=int)
    useful = np.flatnonzero(side != 0)
    for start, stop, code in _runs_of_equal(side[useful]):
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
    for start, stop, code in _runs_of_equal(d):
        if stop - start >= min_points - 1:
            out[level_start[start] : level_stop[stop]] = code
    return out


def run_chart(
    values: Sequence[float | None] | pl.Series | np.ndarray,
    *,
    baseline_n: int | None = None,
    direction: str,
    periods: Sequence[Any] | pl.Series | None = None,
) -> pl.DataFrame:
    """IHI run chart (``RULESET_RUN``: Perla, Provost & Murray 2011), one row per point.

    Columns: ``period`` (if given), ``value, median, baseline, useful, shift, trend,
    astronomical, variation``.

    * ``median``: median of the first ``baseline_n`` non-null values (frozen baseline,
      extended to every later point; qicharts2 ``freeze``); all values when None.
      ``baseline`` marks the rows up to the ``baseline_n``-th non-null value.
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
    outputs apart from ``median`` and ``baseline``. Use :func:`run_chart_summary` for
    the runs analysis.
    """
    y_all = _as_float_array(values)
    n = len(y_all)
    period_list = None
    if periods is not None:
        period_list = periods.to_list() if isinstance(periods, pl.Series) else list(periods)
        if len(period_list) != n:
            raise ValueError(f"periods has {len(period_list)} items, values has {n}")
    dir_sign = _direction_sign(direction)
    present = np.flatnonzero(~np.isnan(y_all))
    y = y_all[present]
    if baseline_n is not None and baseline_n < 1:
        raise ValueError("baseline_n must be at least 1")
    k = len(y) if baseline_n is None else min(baseline_n, len(y))
    base = y[:k]
    med = float(np.median(base)) if k else math.nan
    baseline = np.zeros(n, dtype=bool)
    if k:
        baseline[: present[k - 1] + 1] = True

    side = np.sign(y - med).astype(int) if k else np.zeros(len(y), dtype=int)
    shift = _run_shift_sides(side, RUN_SHIFT_POINTS)
    trend = _run_trend_sides(y, RUN_TREND_POINTS)
    astro = np.zeros(len(y), dtype=int)
    if k >= ASTRONOMICAL_MIN_BASELINE:
        q1, q3 = np.quantile(base, [0.25, 0.75])
        iqr = q3 - q1
        if iqr > 0:
            astro[y > q3 + ASTRONOMICAL_IQR_FACTOR * iqr] = 1
            astro[y < q1 - ASTRONOMICAL_IQR_FACTOR * iqr] = -1

    def spread(per_point: Sequence[Any]) -> list[Any]:
        """Values for the non-null points placed on their rows; null elsewhere."""
        out: list[Any] = [None] * n
        for j, i in enumerate(present):
            out[i] = per_point[j]
        return out

    variation_present = []
    for j in range(len(y)):
        s = astro[j] or shift[j] or trend[j]
        variation_present.append("common_cause" if s == 0 else _variation(int(s), dir_sign))

    return _result_frame(period_list, {
        "value": (y_all, pl.Float64),
        "median": ([med] * n, pl.Float64),
        "baseline": (baseline, pl.Boolean),
        "useful": (spread((side != 0).tolist()), pl.Boolean),
        "shift": (spread((shift != 0).tolist()), pl.Boolean),
        "trend": (spread((trend != 0).tolist()), pl.Boolean),
        "astronomical": (spread((astro != 0).tolist()), pl.Boolean),
        "variation": (spread(variation_present), pl.String),
    })


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
    when there is no signal or the direction is neutral.
    """
    useful_points = int(frame["useful"].fill_null(False).sum())
    runs = count_runs(frame)
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


def latest_signal(frame: pl.DataFrame) -> str | None:
    """``variation`` of the latest non-null point of an spc/p_chart/run_chart frame.

    One of ``improvement``, ``concern``, ``common_cause``, ``neither``; None when the
    frame has no non-null value.
    """
    d = frame.filter(pl.col("value").is_not_null())
    return d["variation"][-1] if d.height else None


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
    longest = max(stop - start for start, stop, _ in _runs_of_equal(side))
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


# ---------------------------------------------------------------------------
# funnel plots: over-dispersion between units
#
# Spiegelhalter DJ. Handling over-dispersion of performance indicators. Qual Saf Health Care
# 2005;14:347-351 (and Spiegelhalter DJ. Funnel plots for comparing institutional performance.
# Stat Med 2005;24:1185-1202). With thousands of appointments per region, binomial limits are so
# narrow that most regions fall outside them: regions really do differ by more than sampling
# chance. The paper estimates that extra variation from the data and widens the limits by it.
#
# Of its two ways we use the additive random-effects one (the paper's preference: "a stronger
# conceptual foundation"; adopted by the Healthcare Commission, and what the R package
# FunnelPlotR draws): limits p ± z·sqrt(s_i² + τ²). The multiplicative one, p ± z·sqrt(φ)·s_i,
# still shrinks to nothing as n grows, so the largest regions would stay "special"; the
# additive τ² is a between-region spread that does not shrink with the size of the region.
# Scale: the proportion itself, as the plain limits here (FunnelPlotR uses arcsine-square-root
# for proportions; with shares well inside 0-100 % and n in the hundreds the two agree closely).

# Winsorise the z-scores at the 10th and 90th percentiles (10 % at each end), so that a few
# genuinely divergent regions do not make the limits wide for everyone.
FUNNEL_WINSOR = 0.10
# With fewer units than this there is nothing to estimate a spread between them from.
FUNNEL_MIN_UNITS = 3
RULESET_FUNNEL_OD = "Spiegelhalter 2005: additive random effects, z-scores winsorised at 10 %"


def funnel_overdispersion(
    numerators: Sequence[float | None] | pl.Series | np.ndarray,
    denominators: Sequence[float | None] | pl.Series | np.ndarray,
    p: float,
    *,
    winsor: float = FUNNEL_WINSOR,
) -> dict[str, Any]:
    """How much more the units' proportions vary around ``p`` than binomial chance allows.

    z_i = (y_i − p) / s_i with s_i² = p(1 − p)/n_i; the z-scores winsorised at the ``winsor``
    and 1 − ``winsor`` quantiles (linear interpolation, R's type 7 as in FunnelPlotR);
    φ = Σ z_i² / k over the winsorised scores; and, when φ > 1, the DerSimonian-Laird
    between-unit variance τ² = (kφ − (k − 1)) / (Σw − Σw²/Σw) with w_i = 1/s_i²
    (Spiegelhalter 2005, see above). Units with a missing numerator or a denominator ≤ 0 are
    left out. Returns ``k``, ``phi`` (None when not estimated: fewer than
    ``FUNNEL_MIN_UNITS`` units, or p of 0 or 1), ``tau2`` (the variance to add to s_i² for the
    limits, on the proportion scale; 0.0 unless over-dispersed), ``overdispersed`` (φ > 1)
    and the winsorising bounds ``z_low``/``z_high``.
    """
    num = _as_float_array(numerators, "numerators")
    den = _as_float_array(denominators, "denominators")
    if num.shape != den.shape:
        raise ValueError(f"numerators ({num.size}) and denominators ({den.size}) differ in length")
    keep = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    num, den = num[keep], den[keep]
    k = int(num.size)
    result: dict[str, Any] = {"k": k, "phi": None, "tau2": 0.0, "overdispersed": False,
                              "z_low": None, "z_high": None}
    if k < FUNNEL_MIN_UNITS or not 0.0 < p < 1.0:
        return result
    s2 = p * (1.0 - p) / den
    z = (num / den - p) / np.sqrt(s2)
    z_low, z_high = (float(q) for q in np.quantile(z, [winsor, 1.0 - winsor]))
    phi = float(np.sum(np.clip(z, z_low, z_high) ** 2) / k)
    result.update(phi=phi, z_low=z_low, z_high=z_high)
    if phi > 1.0:
        w = 1.0 / s2
        # kφ > k > k − 1 here, so τ² > 0
        result.update(tau2=float((k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum())),
                      overdispersed=True)
    return result
