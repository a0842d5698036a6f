"""Deseasonalised values for indicators with a known yearly pattern.

A seasonal indicator (sick leave peaks in winter and dips in summer) breaks the XmR rules'
assumption of a stable process: half a year below the mean is a "shift", the summer dip a
point "beyond limits", though nothing changed. Of the two usual views (the same
month a year earlier, or deseasonalised values) this uses the deseasonalised one, because it keeps
the indicator's own units and level, so the target, the national line and assurance still
apply: the classical additive decomposition (e.g. Hyndman & Athanasopoulos, Forecasting:
principles and practice, 3rd ed., §3.4): the trend is a centred 2×12 (2×4) moving average,
each season's index is the median over the years of value − trend (the median, so one odd
January does not move every January), the indices are centred to sum to zero, and the
adjusted value is value − its season's index. Year-over-year differences would turn one
outlier into two signals a year apart and leave no level to hold a target against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vetopito.stats import core

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
    y = core.as_float_array(values)
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
    y = core.as_float_array(values)
    seasons = np.array([season_of(p, grain) for p in periods], dtype=int)
    return Deseasonalised(values=y - idx[seasons], indices=idx, seasons=seasons)

