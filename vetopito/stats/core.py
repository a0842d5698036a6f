"""Helpers the chart statistics share: direction signs, value arrays, runs of equal codes,
segments (phases) and the result frame."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

_DIRECTIONS = {
    "higher": 1,
    "increase": 1,
    "lower": -1,
    "decrease": -1,
    "neutral": 0,
}


def direction_sign(direction: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 for neutral."""
    try:
        return _DIRECTIONS[direction]
    except KeyError:
        raise ValueError(
            f"direction must be 'higher', 'lower' or 'neutral' (got {direction!r})"
        ) from None


def as_float_array(values: Any, name: str = "values") -> np.ndarray:
    """Values as float64 with NaN for null (None, NaN, polars null)."""
    if isinstance(values, pl.Series):
        values = values.cast(pl.Float64).to_list()
    out = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if out.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return out


def period_list(periods: Any, n: int) -> list[Any] | None:
    """The periods as a list of `n` items (None stays None): a chart's rows are labelled by them."""
    if periods is None:
        return None
    items = periods.to_list() if isinstance(periods, pl.Series) else list(periods)
    if len(items) != n:
        raise ValueError(f"periods has {len(items)} items, values has {n}")
    return items


def mean_r(x: np.ndarray) -> float:
    """Mean with R's second pass, so a constant series has exactly its value as mean."""
    m = math.fsum(x) / len(x)
    return m + math.fsum(x - m) / len(x)


def variation_of(side: int, dir_sign: int) -> str:
    """Classify a special-cause side (+1 above/rising, -1 below/falling) by direction."""
    if dir_sign == 0:
        return "neither"
    return "improvement" if side * dir_sign > 0 else "concern"


def segment_starts(rebase_at: Any, periods: Sequence[Any] | None, n: int) -> list[int]:
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


def runs_of_equal(codes: np.ndarray) -> list[tuple[int, int, int]]:
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


def result_frame(periods: list[Any] | None, columns: dict[str, tuple[Any, Any]]) -> pl.DataFrame:
    """A chart's frame: `period` first when given, then each (values, dtype) column; NaN in a
    float column reads as null."""
    series: dict[str, Any] = {} if periods is None else {"period": periods}
    for name, (values, dtype) in columns.items():
        series[name] = pl.Series(name, values, dtype=dtype, nan_to_null=dtype == pl.Float64)
    return pl.DataFrame(series)

