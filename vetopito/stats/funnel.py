"""Funnel plots: how much more units' proportions vary than binomial chance allows.

Spiegelhalter DJ. Handling over-dispersion of performance indicators. Qual Saf Health Care
2005;14:347-351 (and Spiegelhalter DJ. Funnel plots for comparing institutional performance.
Stat Med 2005;24:1185-1202). With thousands of appointments per region, binomial limits are so
narrow that most regions fall outside them: regions really do differ by more than sampling
chance. The paper estimates that extra variation from the data and widens the limits by it.

Of its two ways we use the additive random-effects one (the paper's preference: "a stronger
conceptual foundation"; adopted by the Healthcare Commission, and what the R package
FunnelPlotR draws): limits p ± z·sqrt(s_i² + τ²). The multiplicative one, p ± z·sqrt(φ)·s_i,
still shrinks to nothing as n grows, so the largest regions would stay "special"; the
additive τ² is a between-region spread that does not shrink with the size of the region.
Scale: the proportion itself, as the plain limits here (FunnelPlotR uses arcsine-square-root
for proportions; with shares well inside 0-100 % and n in the hundreds the two agree closely).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from vetopito.stats import core

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
    num = core.as_float_array(numerators, "numerators")
    den = core.as_float_array(denominators, "denominators")
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
