"""XmR charts with NHS England's "Making Data Count" rules (``RULESET_SPC``), as the R package
NHSRplotthedots 0.2.2 implements them (used for region trends), without moving-range
screening, as in NHS England's own tool: limits, phases (segments), signals and assurance
against a target. See :func:`spc`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from vetopito.stats import core

RULESET_SPC = "NHS Making Data Count (XmR)"

# XmR constants (Wheeler): 2.66 = 3 / d2 with d2 = 1.128 for moving ranges of two.
XMR_LIMIT_FACTOR = 2.66
# Making Data Count: 7-point shift and trend rules (NHSRplotthedots default).
SPC_SHIFT_POINTS = 7
SPC_TREND_POINTS = 7
# Fewer than this many (non-null) points in a segment give trial limits (DESIGN.md and
# the MDC guidance "fewer than 12 points"; NHSRplotthedots warns at n < 13 in its code).
TRIAL_LIMITS_MIN_POINTS = 12


def _shift_sides(side: np.ndarray, min_len: int) -> np.ndarray:
    """Per point: +1/-1 when it belongs to a run of >= min_len equal non-zero sides."""
    out = np.zeros(len(side), dtype=int)
    for start, stop, code in core.runs_of_equal(side):
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
    for start, stop, code in core.runs_of_equal(d):  # runs over diffs; later ones overwrite
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


def classify(
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
        variations.append("common_cause" if rule is None else core.variation_of(s, dir_sign))
    return rules, variations, special

def limit_columns(mean, lower, upper, special, rule, variation, trial, segment) -> dict[str, tuple[Any, Any]]:
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
    y_all = core.as_float_array(values)
    n = len(y_all)
    period_list = core.period_list(periods, n)
    dir_sign = core.direction_sign(direction)
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

    starts = core.segment_starts(rebase_at, period_list, n) if n else [0]
    bounds = list(zip(starts, starts[1:] + [n], strict=True))
    for seg_no, (a, b) in enumerate(bounds):
        segment[a:b] = seg_no
        idx = np.arange(a, b)[~np.isnan(y_all[a:b])]
        y = y_all[idx]
        trial[a:b] = len(y) < TRIAL_LIMITS_MIN_POINTS
        if len(y) == 0:
            continue
        base = y if fix_after_n_points is None else y[:fix_after_n_points]
        centre = core.mean_r(base)
        if len(base) >= 2:
            amr = float(np.mean(np.abs(np.diff(base))))
            lo, hi = centre - XMR_LIMIT_FACTOR * amr, centre + XMR_LIMIT_FACTOR * amr
        else:
            amr, lo, hi = math.nan, math.nan, math.nan
        mean[a:b], lower[a:b], upper[a:b] = centre, lo, hi
        k = len(y)
        seg_rules, seg_var, seg_special = classify(
            y,
            np.full(k, centre),
            np.full(k, lo),
            np.full(k, hi),
            np.full(k, (hi - centre) / 3.0 if not math.isnan(hi) else math.nan),
            dir_sign,
        )
        for j, i in enumerate(idx):
            rule[i], variation[i], special[i] = seg_rules[j], seg_var[j], seg_special[j]

    return core.result_frame(period_list, {"value": (y_all, pl.Float64),
                                       **limit_columns(mean, lower, upper, special, rule, variation, trial, segment)})


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
    dir_sign = core.direction_sign(direction)
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


def phase_starts(frame: pl.DataFrame) -> list[Any]:
    """The first period of every segment after the first (where the limits were recalculated)
    of an :func:`spc` / :func:`vetopito.stats.pchart.p_chart` frame with a ``period`` column."""
    if frame.height == 0 or "period" not in frame.columns:
        return []
    seg = frame["segment"].to_list()
    per = frame["period"].to_list()
    return [per[i] for i in range(1, len(seg)) if seg[i] != seg[i - 1]]


def latest_signal(frame: pl.DataFrame) -> str | None:
    """``variation`` of the latest non-null point of an spc/p_chart/run_chart frame.

    One of ``improvement``, ``concern``, ``common_cause``, ``neither``; None when the
    frame has no non-null value.
    """
    d = frame.filter(pl.col("value").is_not_null())
    return d["variation"][-1] if d.height else None

