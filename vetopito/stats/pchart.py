"""Proportion charts whose limits follow each period's denominator: the p chart and Laney's
p′ chart for over-dispersed data, judged by the Making Data Count rules of :mod:`.spc`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from vetopito.stats import core
from vetopito.stats.spc import TRIAL_LIMITS_MIN_POINTS, classify, limit_columns

# Laney's p′ chart (Laney DB. Improved control charts for attributes. Quality Engineering
# 2002;14(4):531-537): σ_z = mean moving range of the standardised values z_i / d2, d2 =
# 1.128 for moving ranges of two (the XmR constant `spc.XMR_LIMIT_FACTOR` is 3 / d2).
LANEY_D2 = 1.128
# Laney's paper uses σ_z as it comes, so under-dispersion (σ_z < 1) narrows the limits below
# the binomial ones. We floor σ_z at 1 ("only widen", a common convention, not Laney's): the
# p′ chart is here to correct over-dispersion, and limits narrower than binomial sampling
# alone allows would flag chance. `p_chart(..., laney=True, widen_only=False)` gives
# Laney's original.
LANEY_WIDEN_ONLY = True
RULESET_P_PRIME = "NHS Making Data Count rules on a Laney p′ chart (Laney 2002)"


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
    same meanings as in :func:`vetopito.stats.spc.spc`. Rules (``RULESET_SPC`` with per-point limits):
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
    num = core.as_float_array(numerators, "numerators")
    den = core.as_float_array(denominators, "denominators")
    n = len(num)
    if len(den) != n:
        raise ValueError(f"numerators has {n} items, denominators has {len(den)}")
    period_list = core.period_list(periods, n)
    dir_sign = core.direction_sign(direction)
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

    starts = core.segment_starts(rebase_at, period_list, n) if n else [0]
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
        seg_rules, seg_var, seg_special = classify(
            share[idx], np.full(len(idx), pbar), lo, hi, sigma, dir_sign
        )
        for j, i in enumerate(idx):
            rule[i], variation[i], special[i] = seg_rules[j], seg_var[j], seg_special[j]

    columns = {"numerator": (num, pl.Float64), "denominator": (den, pl.Float64), "value": (share, pl.Float64),
               "value_pct": (share * 100.0, pl.Float64),
               **limit_columns(mean, lower, upper, special, rule, variation, trial, segment)}
    if laney:
        columns["sigma_z"] = (sigma_z_col, pl.Float64)
    return core.result_frame(period_list, columns)


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
