"""The comparison of regions at one period: every region ranked, the national figure, the
targets to draw, and for proportions the funnel plot's points and limits."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

from vetopito import i18n, privacy
from vetopito.regions import base, overview, signals
from vetopito.scoped import Runner
from vetopito.stats import funnel as funnel_stats


def periods(run: Runner, indicator_id: str) -> pl.DataFrame:
    frame = run("pages/compare/periods", indicator_id=indicator_id)
    return frame.with_columns(pl.struct("period_start", "grain").map_elements(
        lambda r: base.period_token(r["period_start"], r["grain"]), return_dtype=pl.String).alias("token"))


def comparison(run: Runner, indicator_id: str, start: dt.date, grain: str,
               lang: str | None = None, chosen: str | None = None) -> dict[str, Any]:
    """Every region at one period, ranked best first, with the national figure, 95 %/99.8 %
    funnel limits around it for proportions, and the targets to draw (`comparison_targets`).
    `chosen` (an official region code, e.g. the director's own region) marks that region's
    rows (`chosen` = True) so the map, the ranking and the funnel show it."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    meta = base.indicator_meta(base.national_indicators(run), indicator_id)
    rows = run("pages/compare/region_values", indicator_id=indicator_id, period_start=start, grain=grain)
    rows = privacy.suppress(rows.with_columns(pl.lit(meta["unit"]).alias("unit"),
                                              pl.lit(meta["min_persons"], dtype=pl.Int64).alias("min_persons")))
    ref = run("pages/region/reference_series", indicator_ids=[indicator_id])
    national, method = overview.reference_value(ref, "FI", indicator_id, start, grain)
    descending = meta["direction"] != "lower"
    rows = rows.with_columns(pl.col(f"short_{lang}").alias("name"),
                             pl.col("value").map_elements(
                                 lambda v: i18n.fmt_value(v, meta["unit"], meta["decimals"], lang),
                                 return_dtype=pl.String).fill_null("–").alias("value_text"),
                             (pl.col("code") == (chosen or "")).alias("chosen"))
    ranked = rows.sort("value", descending=descending, nulls_last=True).with_columns(
        pl.when(pl.col("value").is_not_null()).then(pl.int_range(1, pl.len() + 1)).alias("rank"))
    funnel = None
    if signals.uses_p_chart(meta, rows) and national is not None:
        funnel = funnel_frame(rows, national / 100.0)
    chosen_row = rows.filter(pl.col("chosen"))
    targets = comparison_targets(run, meta, start, None if chosen_row.is_empty() else chosen_row.row(0, named=True),
                                 lang)
    return {"meta": meta, "regions": ranked, "national": national, "national_method": method,
            "funnel": funnel, "targets": targets,
            "chosen": None if chosen_row.is_empty() else chosen_row["code"][0], "period_text": i18n.fmt_period(start, grain, lang),
            "export": base.export_frame(rows.with_columns(pl.lit(indicator_id).alias("indicator_id"),
                                                     pl.lit(start).alias("period_start"),
                                                     pl.lit(grain).alias("grain")))}


def comparison_targets(run: Runner, meta: dict[str, Any], start: dt.date, chosen: dict[str, Any] | None,
                       lang: str | None = None) -> pl.DataFrame:
    """The targets drawn on the comparison: the national (or interim national) target of the
    indicator, and the chosen region's own or its YTA's target where it has one; each the one
    not yet due at `start`, else the last one (`pick_target`). Columns `target_value,
    target_label, scope`."""
    rows: list[dict[str, Any]] = []
    national = signals.pick_target(run("pages/region/targets", unit_id="FI"), meta["indicator_id"], start)
    if national is not None:
        national["scope"] = "national"  # level 1 of FI itself
        rows.append(national)
    if chosen is not None:
        own = signals.pick_target(run("pages/region/targets", unit_id=chosen["unit_id"]), meta["indicator_id"], start)
        if own is not None and own["scope"] != "national":
            rows.append(own)
    labels = []
    for row in rows:
        text = signals.target_text(row, meta, lang)
        labels.append(text if row["scope"] == "national" else
                      i18n.t("compare.own_target", lang, name=chosen["name"], target=text))
    return pl.DataFrame({"target_value": [float(r["target_value"]) for r in rows], "target_label": labels,
                         "scope": [r["scope"] for r in rows]},
                        schema={"target_value": pl.Float64, "target_label": pl.String, "scope": pl.String})


Z_95 = 1.959964
Z_998 = 3.090232


def funnel_limits(p: float, n: float, tau2: float = 0.0) -> dict[str, float]:
    """Normal-approximation funnel limits (Spiegelhalter 2005) around `p` for denominator `n`, in %:
    p ± z·sqrt(p(1 − p)/n + τ²), with `tau2` the between-region variance when the regions are
    over-dispersed (`funnel_stats.funnel_overdispersion`; 0 gives the plain binomial limits)."""
    sd = math.sqrt(p * (1 - p) / n + tau2) if n > 0 else float("nan")
    clip = lambda x: min(100.0, max(0.0, 100 * x))  # noqa: E731
    return {"lower95": clip(p - Z_95 * sd), "upper95": clip(p + Z_95 * sd),
            "lower998": clip(p - Z_998 * sd), "upper998": clip(p + Z_998 * sd)}


def funnel_frame(rows: pl.DataFrame, p: float) -> dict[str, Any]:
    """Regions as points (denominator, %) with how far out they are, and the limit curves.

    When the regions vary more than chance allows (φ > 1, `funnel_stats.funnel_overdispersion`), the
    limits, and each region's class, include the between-region variance τ² (Spiegelhalter's
    additive random effects); otherwise they are the plain binomial ones. `adjusted`, `phi`
    and `tau2` say which."""
    shown = rows.filter(pl.col("value").is_not_null() & (pl.col("denominator") > 0))
    points = shown.with_columns((pl.col("numerator") / pl.col("denominator") * 100).alias("share"))
    spread = funnel_stats.funnel_overdispersion(points["numerator"], points["denominator"], p)
    tau2 = spread["tau2"] if spread["overdispersed"] else 0.0
    adjustment = {"adjusted": spread["overdispersed"], "phi": spread["phi"], "tau2": tau2}
    outside = []
    for r in points.iter_rows(named=True):
        lim = funnel_limits(p, r["denominator"], tau2)
        outside.append("out998" if not lim["lower998"] <= r["share"] <= lim["upper998"] else
                       "out95" if not lim["lower95"] <= r["share"] <= lim["upper95"] else "inside")
    points = points.with_columns(pl.Series("outside", outside, dtype=pl.String))
    if points.is_empty():
        return {"points": points, "limits": pl.DataFrame(), **adjustment}
    lo, hi = max(1.0, points["denominator"].min() * 0.8), points["denominator"].max() * 1.1
    steps = [lo * (hi / lo) ** (k / 60) for k in range(61)]
    limits = pl.DataFrame([{"denominator": n, **funnel_limits(p, n, tau2)} for n in steps])
    return {"points": points, "limits": limits, "centre": p * 100, **adjustment}


def funnel_note(funnel: dict[str, Any], lang: str | None = None) -> str:
    """The caption under the funnel plot: what the limits are, and whether they were widened."""
    return i18n.t("compare.funnel_note_widened" if funnel.get("adjusted") else "compare.funnel_note", lang)
