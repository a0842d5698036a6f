"""Over-dispersion of funnel plots (Spiegelhalter 2005, additive random effects): the estimate on
hand-worked numbers, and the comparison's funnel limits and classes built on it."""

from __future__ import annotations

import math

import polars as pl
import pytest

from vetopito import scoped
from vetopito.regions import charts as region_charts
from vetopito.regions import compare
from vetopito.stats import funnel as funnel_stats

Z95, Z998 = 1.959964, 3.090232


def _rows(numerators, denominators) -> pl.DataFrame:
    return pl.DataFrame({"name": [f"R{i}" for i in range(len(numerators))],
                         "numerator": [float(x) for x in numerators],
                         "denominator": [float(n) for n in denominators],
                         "value": [100.0 * x / n for x, n in zip(numerators, denominators, strict=True)]})


# p = 0.5, n = 100: s = 0.05, so numerator 50 + 5z gives the z-score z.
SPREAD = ([40, 45, 50, 55, 60], [100] * 5)  # z = -2, -1, 0, 1, 2


def test_overdispersed_equal_denominators_by_hand():
    """z = −2…2; 10th/90th percentiles (type 7) at positions 0.4 and 3.6 → ±1.6; winsorised
    Σz² = 2.56 + 1 + 0 + 1 + 2.56 = 7.12, φ = 7.12/5 = 1.424. w = 1/0.05² = 400 each: Σw = 2000,
    Σw²/Σw = 400, so τ² = (7.12 − 4)/(2000 − 400) = 0.00195."""
    od = funnel_stats.funnel_overdispersion(*SPREAD, 0.5)
    assert od["k"] == 5 and od["overdispersed"] is True
    assert od["z_low"] == pytest.approx(-1.6) and od["z_high"] == pytest.approx(1.6)
    assert od["phi"] == pytest.approx(1.424)
    assert od["tau2"] == pytest.approx(0.00195)


def test_unequal_denominators_weight_tau2_by_hand():
    """p = 0.2, n = 100, 400, 1600: s = 0.04, 0.02, 0.01; shares 0.32, 0.14, 0.23 give z = 3, −3, 3.
    Percentiles at positions 0.2 and 1.8 of (−3, 3, 3): −1.8 and 3, so Σz² = 9 + 3.24 + 9 = 21.24,
    φ = 7.08. w = 625, 2500, 10000: Σw = 13125, Σw² / Σw = 106640625 / 13125 = 8125, so
    τ² = (21.24 − 2)/(13125 − 8125) = 0.003848."""
    od = funnel_stats.funnel_overdispersion([32, 56, 368], [100, 400, 1600], 0.2)
    assert od["z_low"] == pytest.approx(-1.8) and od["z_high"] == pytest.approx(3.0)
    assert od["phi"] == pytest.approx(7.08)
    assert od["tau2"] == pytest.approx(0.003848)


def test_no_overdispersion_keeps_binomial_limits():
    """p = 0.5, n = 400 (s = 0.025), z = −1, −0.5, 0, 0.5, 1: winsorised at ±0.8, Σz² = 1.78,
    φ = 0.356 ≤ 1: no τ², and the funnel's limits and classes are the plain binomial ones."""
    numerators, denominators = [190, 195, 200, 205, 210], [400] * 5
    od = funnel_stats.funnel_overdispersion(numerators, denominators, 0.5)
    assert od["phi"] == pytest.approx(0.356)
    assert od["overdispersed"] is False and od["tau2"] == 0.0
    funnel = compare.funnel_frame(_rows(numerators, denominators), 0.5)
    assert funnel["adjusted"] is False and funnel["tau2"] == 0.0 and funnel["phi"] == pytest.approx(0.356)
    for row in funnel["limits"].iter_rows(named=True):
        assert row == pytest.approx({"denominator": row["denominator"], **compare.funnel_limits(0.5, row["denominator"])})
    # 47.5–52.5 % at n = 400 lie within 50 ± 1.96 · 2.5 = 50 ± 4.9
    assert funnel["points"]["outside"].to_list() == ["inside"] * 5


def test_winsorising_keeps_one_wild_region_from_widening_everyones_limits():
    """p = 0.5, n = 10 000 (s = 0.005), z = −1, 0 ×7, 1 and 20. Raw φ = (1 + 1 + 400)/10 = 40.2;
    the percentiles at positions 0.9 and 8.1 are −0.1 and 1 + 0.1 · 19 = 2.9, so winsorised
    Σz² = 0.01 + 1 + 8.41 = 9.42 and φ = 0.942: not over-dispersed, and the wild region stays
    beyond the plain 99.8 % limits."""
    numerators, denominators = [4950] + [5000] * 7 + [5050, 6000], [10_000] * 10
    od = funnel_stats.funnel_overdispersion(numerators, denominators, 0.5)
    assert od["z_low"] == pytest.approx(-0.1) and od["z_high"] == pytest.approx(2.9)
    assert od["phi"] == pytest.approx(0.942)
    assert od["overdispersed"] is False and od["tau2"] == 0.0
    assert funnel_stats.funnel_overdispersion(numerators, denominators, 0.5, winsor=0.0)["phi"] == pytest.approx(40.2)
    funnel = compare.funnel_frame(_rows(numerators, denominators), 0.5)
    assert funnel["adjusted"] is False
    assert funnel["points"]["outside"].to_list() == ["inside"] * 9 + ["out998"]


@pytest.mark.parametrize("numerators, denominators", [([], []), ([10], [100]), ([10, 90], [100, 100])])
def test_fewer_than_three_regions_are_not_adjusted(numerators, denominators):
    od = funnel_stats.funnel_overdispersion(numerators, denominators, 0.5)
    assert od == {"k": len(numerators), "phi": None, "tau2": 0.0, "overdispersed": False,
                  "z_low": None, "z_high": None}


def test_missing_and_empty_regions_do_not_count():
    """A suppressed numerator or a zero denominator is left out: two usable regions remain."""
    od = funnel_stats.funnel_overdispersion([10, None, 90, 0], [100, 100, 100, 0], 0.5)
    assert od["k"] == 2 and od["phi"] is None and od["overdispersed"] is False


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_a_national_share_of_0_or_100_percent_is_not_adjusted(p):
    assert funnel_stats.funnel_overdispersion([0, 50, 100], [100, 100, 100], p)["overdispersed"] is False


def test_lengths_must_match():
    with pytest.raises(ValueError, match="differ in length"):
        funnel_stats.funnel_overdispersion([1, 2, 3], [10, 10], 0.5)


def test_funnel_limits_add_tau2_to_the_binomial_variance():
    sd = math.sqrt(0.5 * 0.5 / 100 + 0.00195)  # 0.066708…
    lim = compare.funnel_limits(0.5, 100, 0.00195)
    assert lim["lower95"] == pytest.approx(100 * (0.5 - Z95 * sd))  # 36.925 %
    assert lim["upper998"] == pytest.approx(100 * (0.5 + Z998 * sd))  # 70.614 %
    assert compare.funnel_limits(0.5, 100, 0.0) == compare.funnel_limits(0.5, 100)


def test_overdispersed_funnel_uses_widened_limits_for_curves_and_classes():
    """The ±2 regions of SPREAD (40 % and 60 % at n = 100) lie outside the plain 95 % limits
    (50 ± 9.8) but inside the widened ones (50 ± 1.96 · 6.67 = 50 ± 13.07)."""
    rows = _rows(*SPREAD)
    plain = compare.funnel_limits(0.5, 100)
    assert not plain["lower95"] <= 40.0 and not 60.0 <= plain["upper95"]
    funnel = compare.funnel_frame(rows, 0.5)
    assert funnel["adjusted"] is True
    assert funnel["phi"] == pytest.approx(1.424) and funnel["tau2"] == pytest.approx(0.00195)
    assert funnel["points"]["outside"].to_list() == ["inside"] * 5
    for row in funnel["limits"].iter_rows(named=True):
        widened = compare.funnel_limits(0.5, row["denominator"], 0.00195)
        assert row["upper95"] == pytest.approx(widened["upper95"])
        assert row["lower998"] == pytest.approx(widened["lower998"])


def test_empty_funnel_says_not_adjusted():
    funnel = compare.funnel_frame(_rows([], []).cast({"value": pl.Float64}), 0.5)
    assert funnel["points"].is_empty() and funnel["adjusted"] is False and funnel["phi"] is None


@pytest.mark.parametrize("lang, phrase", [("fi", "levennetty alueiden välisellä luonnollisella vaihtelulla"),
                                          ("sv", "breddats med den naturliga variationen"),
                                          ("en", "widened by the natural variation between regions")])
def test_caption_says_when_limits_were_widened(lang, phrase):
    assert phrase in compare.funnel_note({"adjusted": True}, lang)
    assert "Spiegelhalter 2005" in compare.funnel_note({"adjusted": True}, lang)
    assert phrase not in compare.funnel_note({"adjusted": False}, lang)


@pytest.mark.parametrize("numerators, denominators, limit_labels", [
    (SPREAD[0], SPREAD[1], ["95 %:n rajat, levennetyt", "99,8 %:n rajat, levennetyt"]),
    ([190, 195, 200, 205, 210], [400] * 5, ["95 %:n rajat", "99,8 %:n rajat"]),
])
def test_chart_legend_names_widened_limits(numerators, denominators, limit_labels):
    data = {"meta": {"decimals": 1, "unit": "pct"},
            "funnel": compare.funnel_frame(_rows(numerators, denominators), 0.5)}
    lines, _ = region_charts.funnel_plot(data, lang="fi").to_dict()["layer"]
    assert lines["encoding"]["strokeDash"]["scale"]["domain"] == ["Koko maa", *limit_labels]


def test_demo_regions_are_not_all_special(demo_con):
    """The demo's doctor-access indicator, latest month: with plain binomial limits 19 of 22 regions
    lie beyond 99.8 %; the widened limits leave the spread the regions share out of it."""
    run = scoped.runner(demo_con)
    indicator = "hoitoonpaasy_pth_laakari_7vrk"
    latest = compare.periods(run, indicator).row(0, named=True)
    data = compare.comparison(run, indicator, latest["period_start"], latest["grain"], "fi")
    funnel, p = data["funnel"], data["national"] / 100
    points = funnel["points"]
    plain_out = sum(not (lim := compare.funnel_limits(p, r["denominator"]))["lower998"] <= r["share"] <= lim["upper998"]
                    for r in points.iter_rows(named=True))
    assert funnel["adjusted"] is True and funnel["phi"] > 10 and funnel["tau2"] > 0
    assert plain_out > points.height / 2
    assert (points["outside"] == "out998").sum() < plain_out
    assert (points["outside"] == "inside").sum() > points.height / 2
