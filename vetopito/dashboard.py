"""What the director's pages show, computed without Streamlit: region tiles, national and
YTA figures, the SPC frame of one indicator, the comparison of regions at one period and
the drill-down to organisational units.

Every function takes `run(name, **params) -> pl.DataFrame`: `vetopito.ui.query` in the
app (cached, scoped to the signed-in user), `runner(con, scope)` in tests and the command
line. Queries filter by unit or indicator first, so a page never scans all observations.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vetopito import access, i18n, privacy, stats

Runner = Callable[..., pl.DataFrame]
THEMES = ("access", "wellbeing", "retention", "development")
TILES_PER_ROW = 3
TILE_HEIGHT = 344  # px: every tile the same height, rows aligned (room for a wrapped target line)
RULESET = stats.RULESET_SPC


def runner(con, scope: access.Scope | None = None) -> Runner:
    """A `run(name, **params)` for library code and tests: scoped, uncached."""
    scope = scope or access.full_scope(con)

    def run(name: str, /, **params: Any) -> pl.DataFrame:
        return access.run_scoped(con, name, scope, **params)

    return run


# --- choices ---------------------------------------------------------------------------------

def regions(run: Runner) -> pl.DataFrame:
    return run("region__regions")


def region_code(regions_frame: pl.DataFrame, wanted: str | None) -> str | None:
    """The official code for what a URL or a command line gave: `15`, `HVA15`, `5` → `15`."""
    if wanted is None:
        return None
    text = str(wanted).strip().upper()
    codes = regions_frame["code"].to_list()
    ids = regions_frame["unit_id"].to_list()
    if text in codes:
        return text
    if text in ids:
        return codes[ids.index(text)]
    if text.isdigit() and text.zfill(2) in codes:
        return text.zfill(2)
    return None


def region_row(regions_frame: pl.DataFrame, code: str) -> dict[str, Any]:
    return regions_frame.filter(pl.col("code") == code).row(0, named=True)


def indicators(run: Runner) -> pl.DataFrame:
    return run("region__indicators")


def indicator_meta(indicators_frame: pl.DataFrame, indicator_id: str) -> dict[str, Any]:
    return indicators_frame.filter(pl.col("indicator_id") == indicator_id).row(0, named=True)


def name(row: dict[str, Any], lang: str | None = None, prefix: str = "name") -> str:
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    return row.get(f"{prefix}_{lang}") or row.get(f"name_{lang}") or ""


# --- periods ---------------------------------------------------------------------------------

def period_token(start: dt.date, grain: str) -> str:
    """A period for URLs and files: `2024`, `2024Q1`, `2024-03`, `2024-03-15`."""
    if grain == "year":
        return f"{start.year}"
    if grain == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if grain in ("month", "round"):
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def year_ago(start: dt.date) -> dt.date:
    try:
        return start.replace(year=start.year - 1)
    except ValueError:  # 29 February
        return start.replace(year=start.year - 1, day=28)


# --- statistics of one series ----------------------------------------------------------------

def uses_p_chart(meta: dict[str, Any], series: pl.DataFrame) -> bool:
    """A p-type chart for a percentage with numerators and denominators on every shown point
    (the region trend draws Laney's p′ chart, see `spc_frame`)."""
    if meta["unit"] != "pct" or meta["aggregation"] != "ratio" or series.is_empty():
        return False
    shown = series.filter(pl.col("value").is_not_null())
    return shown.height > 0 and shown["numerator"].null_count() == 0 and \
        shown["denominator"].null_count() == 0 and bool((shown["denominator"] > 0).all())


def spc_frame(series: pl.DataFrame, meta: dict[str, Any], rebase_at=()) -> pl.DataFrame:
    """The series (one grain, oldest first) with SPC columns in the indicator's own units:
    `period_start, value, mean, lower, upper, special_cause, rule, variation, trial_limits,
    segment, chart` (`xmr`, or `p_prime` for a proportion with denominators).

    Proportions get Laney's p′ chart (`stats.p_prime_chart`): limits still follow each
    period's denominator, but widened by the between-period variation, since region-wide
    denominators (e.g. 100 000 sick-leave days a month) make binomial p-chart limits so
    tight that nearly every point would be a special cause (over-dispersion)."""
    if series.is_empty():
        return series.with_columns(
            *[pl.lit(None, dtype=pl.Float64).alias(c) for c in ("mean", "lower", "upper")],
            pl.lit(None, dtype=pl.Boolean).alias("special_cause"),
            pl.lit(None, dtype=pl.String).alias("rule"),
            pl.lit(None, dtype=pl.String).alias("variation"),
            pl.lit(False).alias("trial_limits"), pl.lit(0, dtype=pl.Int64).alias("segment"),
            pl.lit("xmr").alias("chart"))
    periods = series["period_start"].to_list()
    direction = meta["direction"]
    if uses_p_chart(meta, series):
        shown = series["value"].is_not_null()
        num = pl.Series([n if s else None for n, s in zip(series["numerator"], shown, strict=True)],
                        dtype=pl.Float64)
        result = stats.p_prime_chart(num, series["denominator"], direction=direction, periods=periods,
                                     rebase_at=list(rebase_at))
        out = result.select(
            pl.col("value_pct").alias("value"),
            *[(pl.col(c) * 100).alias(c) for c in ("mean", "lower", "upper")],
            "special_cause", "rule", "variation", "trial_limits", "segment",
        ).with_columns(pl.lit("p_prime").alias("chart"))
    else:
        result = stats.spc(series["value"], direction=direction, periods=periods, rebase_at=list(rebase_at))
        out = result.select("value", "mean", "lower", "upper", "special_cause", "rule", "variation",
                            "trial_limits", "segment").with_columns(pl.lit("xmr").alias("chart"))
    return pl.concat([series.select("period_start", "grain"), out], how="horizontal")


TARGET_SCOPES = {1: "own", 2: "yta", 3: "national"}  # `level` of region__targets


def pick_target(targets: pl.DataFrame, indicator_id: str, at: dt.date | None) -> dict[str, Any] | None:
    """The target of an indicator not yet due at `at` (the latest period's start), soonest
    first; when every target is past due, the last one, marked `expired`. The row gets
    `expired` (bool) and `scope`: `own`, `yta` or `national` (from the query's `level`:
    region__targets already keeps only the nearest level that has targets)."""
    rows = targets.filter(pl.col("indicator_id") == indicator_id).sort("due_date")
    if rows.is_empty():
        return None
    upcoming = rows if at is None else rows.filter(pl.col("due_date") >= at)
    row = upcoming.row(0, named=True) if not upcoming.is_empty() else rows.row(-1, named=True)
    row["expired"] = upcoming.is_empty()
    row["scope"] = TARGET_SCOPES.get(row.get("level") or 1, "own")
    return row


def value_at(series: pl.DataFrame, day: dt.date) -> float | None:
    """The latest shown value of a period starting on or before `day` (the value at, or just
    before, a target's due date)."""
    shown = series.filter(pl.col("value").is_not_null() & (pl.col("period_start") <= day))
    return None if shown.is_empty() else shown["value"][-1]


def target_text(target: dict[str, Any], meta: dict[str, Any], lang: str | None = None) -> str:
    """`Tavoite 80,0 % 31.12.2026 mennessä`, `Valtakunnallinen tavoite 90,0 % …`."""
    return i18n.t(f"region.tile.target_{target['scope']}", lang,
                  value=i18n.fmt_value(target["target_value"], meta["unit"], meta["decimals"], lang),
                  date=i18n.fmt_date(target["due_date"], lang))


def target_met(value: float | None, target: float | None, direction: str) -> bool | None:
    if i18n.is_missing(value) or target is None or direction == "neutral":
        return None
    return value >= target if direction == "higher" else value <= target


# --- the region dashboard --------------------------------------------------------------------

@dataclass
class Tile:
    """One indicator of one region, with every figure already formatted for the page."""

    indicator_id: str
    theme: str
    title: str
    latest: str = "–"
    period: str = ""
    change_previous: str = "–"
    change_year: str = "–"
    national: str = "–"
    national_method: str | None = None
    yta: str = "–"
    yta_method: str | None = None
    target: str | None = None
    target_met: bool | None = None  # now (a target not yet due) or at the due date (expired)
    target_expired: bool = False
    variation: str | None = None
    assurance: str | None = None
    sparkline: str = ""
    hidden: bool = False
    values: list[float | None] = field(default_factory=list)


@dataclass
class RegionView:
    region: dict[str, Any]
    indicators: pl.DataFrame
    observations: pl.DataFrame
    reference: pl.DataFrame
    targets: pl.DataFrame
    changes: pl.DataFrame
    tiles: list[Tile]

    def indicator_ids(self) -> list[str]:
        present = set(self.observations["indicator_id"].unique().to_list())
        return [i for i in self.indicators["indicator_id"].to_list() if i in present]

    def tiles_by_theme(self) -> list[tuple[str, list[Tile]]]:
        return [(theme, [t for t in self.tiles if t.theme == theme]) for theme in THEMES
                if any(t.theme == theme for t in self.tiles)]


def series_of(observations: pl.DataFrame, indicator_id: str) -> pl.DataFrame:
    """One indicator's rows at its finest recent grain, oldest first, small numbers hidden."""
    rows = observations.filter(pl.col("indicator_id") == indicator_id)
    if rows.is_empty():
        return rows
    grain = rows.sort("period_start")["grain"][-1]
    rows = rows.filter(pl.col("grain") == grain).sort("period_start")
    return privacy.suppress(rows)


def _sparkline(values: list[float | None], width: int = 24) -> str:
    blocks = "▁▂▃▄▅▆▇█"
    shown = [v for v in values[-width:]]
    real = [v for v in shown if not i18n.is_missing(v)]
    if not real:
        return ""
    lo, hi = min(real), max(real)
    span = hi - lo or 1.0
    return "".join(" " if i18n.is_missing(v) else blocks[min(7, int((v - lo) / span * 7.999))] for v in shown)


def _change(now: float | None, then: float | None, unit: str, decimals: int, lang: str) -> str:
    if i18n.is_missing(now) or i18n.is_missing(then):
        return "–"
    diff = now - then
    if unit == "pct":
        return f"{i18n.fmt_number(diff, decimals, lang, sign=True)}\u00a0{i18n.t('region.unit.pct_points', lang)}"
    return i18n.fmt_value(diff, unit, decimals, lang, sign=True)


def reference_value(reference: pl.DataFrame, unit_id: str, indicator_id: str, start: dt.date,
                    grain: str) -> tuple[float | None, str | None]:
    row = reference.filter((pl.col("unit_id") == unit_id) & (pl.col("indicator_id") == indicator_id)
                           & (pl.col("period_start") == start) & (pl.col("grain") == grain))
    if row.is_empty():
        return None, None
    return row["value"][0], row["method"][0]


def build_tile(meta: dict[str, Any], series: pl.DataFrame, reference: pl.DataFrame,
               targets: pl.DataFrame, changes: pl.DataFrame, region: dict[str, Any], lang: str) -> Tile:
    unit, decimals, direction = meta["unit"], meta["decimals"], meta["direction"]
    tile = Tile(indicator_id=meta["indicator_id"], theme=meta["theme"], title=name(meta, lang, "short"))
    shown = series.filter(pl.col("value").is_not_null())
    tile.values = series["value"].to_list()
    tile.sparkline = _sparkline(tile.values)
    if shown.is_empty():
        tile.hidden = bool(series.height and series["is_hidden"].any())
        return tile
    last = shown.row(-1, named=True)
    start, grain, value = last["period_start"], last["grain"], last["value"]
    tile.latest = i18n.fmt_value(value, unit, decimals, lang)
    tile.period = i18n.fmt_period(start, grain, lang)
    if shown.height > 1:
        tile.change_previous = _change(value, shown["value"][-2], unit, decimals, lang)
    ago = shown.filter(pl.col("period_start") == year_ago(start))
    if not ago.is_empty():
        tile.change_year = _change(value, ago["value"][0], unit, decimals, lang)
    national, tile.national_method = reference_value(reference, "FI", meta["indicator_id"], start, grain)
    tile.national = i18n.fmt_value(national, unit, decimals, lang)
    yta, tile.yta_method = reference_value(reference, region["yta_id"], meta["indicator_id"], start, grain)
    tile.yta = i18n.fmt_value(yta, unit, decimals, lang)
    target = pick_target(targets, meta["indicator_id"], start)
    rebase = changes.filter(pl.col("indicator_id") == meta["indicator_id"])["valid_from"].to_list()
    frame = spc_frame(series, meta, rebase)
    latest_row = frame.filter(pl.col("value").is_not_null())
    tile.variation = latest_row["variation"][-1] if not latest_row.is_empty() else None
    if target is not None:
        tile.target = target_text(target, meta, lang)
        tile.target_expired = target["expired"]
        if target["expired"]:  # judged at its due date; no assurance against a past target
            tile.target_met = target_met(value_at(shown, target["due_date"]), target["target_value"], direction)
        else:
            tile.target_met = target_met(value, target["target_value"], direction)
            tile.assurance = stats.assurance(frame, target["target_value"], direction)
    return tile


def region_view(run: Runner, region: dict[str, Any], lang: str | None = None) -> RegionView:
    """Everything the region page needs for one region: 5 queries, each filtered by unit or indicator."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    inds = indicators(run)
    obs = run("region__observations", unit_id=region["unit_id"])
    present = [i for i in inds["indicator_id"].to_list() if i in set(obs["indicator_id"].unique().to_list())]
    # every indicator, not just this region's: one cached result serves all 22 regions
    reference = run("region__reference_series", indicator_ids=inds["indicator_id"].to_list())
    targets = run("region__targets", unit_id=region["unit_id"])
    changes = run("region__definition_changes")
    tiles = []
    for meta in inds.filter(pl.col("indicator_id").is_in(present)).iter_rows(named=True):
        tiles.append(build_tile(meta, series_of(obs, meta["indicator_id"]), reference, targets,
                                changes, region, lang))
    # keep only what this region's chart reads (the view is cached per region and language)
    reference = reference.filter(pl.col("unit_id").is_in(["FI", region["yta_id"]]))
    return RegionView(region, inds, obs, reference, targets, changes, tiles)


def chart_data(view: RegionView, indicator_id: str, lang: str | None = None) -> dict[str, Any]:
    """The frames and facts behind the trend chart of one indicator of a region."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    meta = indicator_meta(view.indicators, indicator_id)
    series = series_of(view.observations, indicator_id)
    changes = view.changes.filter(pl.col("indicator_id") == indicator_id)
    frame = spc_frame(series, meta, changes["valid_from"].to_list())
    grain = frame["grain"][0] if frame.height else "month"
    national = view.reference.filter((pl.col("unit_id") == "FI") & (pl.col("indicator_id") == indicator_id)
                                     & (pl.col("grain") == grain)).select("period_start", "value", "method")
    latest = series.filter(pl.col("value").is_not_null())
    target = pick_target(view.targets, indicator_id,
                         latest["period_start"][-1] if not latest.is_empty() else None)
    if target is not None:
        text = target_text(target, meta, lang)
        target["legend"] = i18n.t("region.chart.target_expired", lang, target=text) if target["expired"] else text
    region_name = name(view.region, lang, "short")
    return {
        "meta": meta,
        "title": i18n.t("region.chart.title_of", lang, indicator=name(meta, lang), region=region_name),
        "series_label": region_name,
        "spc": frame,
        "national": national,
        "target": target,
        "changes": changes.select("valid_from", pl.col(f"note_{lang}").alias("note")),
        "ruleset": stats.RULESET_P_PRIME if frame.height and frame["chart"][0] == "p_prime" else RULESET,
        "trial_limits": bool(frame.height and frame["trial_limits"].any()),
        "p_chart": bool(frame.height and frame["chart"][0] in ("p", "p_prime")),
        "chart": frame["chart"][0] if frame.height else "xmr",
        "export": export_frame(series.with_columns(pl.lit(view.region["unit_id"]).alias("unit_id"))),
    }


def export_frame(series: pl.DataFrame) -> pl.DataFrame:
    """Rows in the canonical long format the loader reads: indicator, unit, period, value,
    numerator, denominator, and respondents and flag where any row has them (so the file
    reloads with no changes); hidden values stay out."""
    shown = series.filter(pl.col("value").is_not_null()) if "value" in series.columns else series
    extra = [c for c in ("respondents", "flag") if c in shown.columns and shown[c].null_count() < shown.height]
    return shown.select(
        pl.col("indicator_id").alias("indicator"),
        pl.col("unit_id").alias("unit"),
        pl.struct("period_start", "grain").map_elements(
            lambda r: period_token(r["period_start"], r["grain"]), return_dtype=pl.String).alias("period"),
        "value", "numerator", "denominator", *extra,
    )


# --- comparison of regions -------------------------------------------------------------------

def periods(run: Runner, indicator_id: str) -> pl.DataFrame:
    frame = run("compare__periods", indicator_id=indicator_id)
    return frame.with_columns(pl.struct("period_start", "grain").map_elements(
        lambda r: period_token(r["period_start"], r["grain"]), return_dtype=pl.String).alias("token"))


def comparison(run: Runner, indicator_id: str, start: dt.date, grain: str,
               lang: str | None = None, chosen: str | None = None) -> dict[str, Any]:
    """Every region at one period, ranked best first, with the national figure, 95 %/99.8 %
    funnel limits around it for proportions, and the targets to draw (`comparison_targets`).
    `chosen` (an official region code, e.g. the director's own region) marks that region's
    rows (`chosen` = True) so the map, the ranking and the funnel show it."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    meta = indicator_meta(indicators(run), indicator_id)
    rows = run("compare__region_values", indicator_id=indicator_id, period_start=start, grain=grain)
    rows = privacy.suppress(rows.with_columns(pl.lit(meta["unit"]).alias("unit"),
                                              pl.lit(meta["min_persons"], dtype=pl.Int64).alias("min_persons")))
    ref = run("region__reference_series", indicator_ids=[indicator_id])
    national, method = reference_value(ref, "FI", indicator_id, start, grain)
    descending = meta["direction"] != "lower"
    rows = rows.with_columns(pl.col(f"short_{lang}").alias("name"),
                             pl.col("value").map_elements(
                                 lambda v: i18n.fmt_value(v, meta["unit"], meta["decimals"], lang),
                                 return_dtype=pl.String).fill_null("–").alias("value_text"),
                             (pl.col("code") == (chosen or "")).alias("chosen"))
    ranked = rows.sort("value", descending=descending, nulls_last=True).with_columns(
        pl.when(pl.col("value").is_not_null()).then(pl.int_range(1, pl.len() + 1)).alias("rank"))
    funnel = None
    if uses_p_chart(meta, rows) and national is not None:
        funnel = funnel_frame(rows, national / 100.0)
    chosen_row = rows.filter(pl.col("chosen"))
    targets = comparison_targets(run, meta, start, None if chosen_row.is_empty() else chosen_row.row(0, named=True),
                                 lang)
    return {"meta": meta, "regions": ranked, "national": national, "national_method": method,
            "funnel": funnel, "targets": targets,
            "chosen": None if chosen_row.is_empty() else chosen_row["code"][0], "period_text": i18n.fmt_period(start, grain, lang),
            "export": export_frame(rows.with_columns(pl.lit(indicator_id).alias("indicator_id"),
                                                     pl.lit(start).alias("period_start"),
                                                     pl.lit(grain).alias("grain")))}


def comparison_targets(run: Runner, meta: dict[str, Any], start: dt.date, chosen: dict[str, Any] | None,
                       lang: str | None = None) -> pl.DataFrame:
    """The targets drawn on the comparison: the national (or interim national) target of the
    indicator, and the chosen region's own or its YTA's target where it has one; each the one
    not yet due at `start`, else the last one (`pick_target`). Columns `target_value,
    target_label, scope`."""
    rows: list[dict[str, Any]] = []
    national = pick_target(run("region__targets", unit_id="FI"), meta["indicator_id"], start)
    if national is not None:
        national["scope"] = "national"  # level 1 of FI itself
        rows.append(national)
    if chosen is not None:
        own = pick_target(run("region__targets", unit_id=chosen["unit_id"]), meta["indicator_id"], start)
        if own is not None and own["scope"] != "national":
            rows.append(own)
    labels = []
    for row in rows:
        text = target_text(row, meta, lang)
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
    over-dispersed (`stats.funnel_overdispersion`; 0 gives the plain binomial limits)."""
    sd = math.sqrt(p * (1 - p) / n + tau2) if n > 0 else float("nan")
    clip = lambda x: min(100.0, max(0.0, 100 * x))  # noqa: E731
    return {"lower95": clip(p - Z_95 * sd), "upper95": clip(p + Z_95 * sd),
            "lower998": clip(p - Z_998 * sd), "upper998": clip(p + Z_998 * sd)}


def funnel_frame(rows: pl.DataFrame, p: float) -> dict[str, Any]:
    """Regions as points (denominator, %) with how far out they are, and the limit curves.

    When the regions vary more than chance allows (φ > 1, `stats.funnel_overdispersion`), the
    limits, and each region's class, include the between-region variance τ² (Spiegelhalter's
    additive random effects); otherwise they are the plain binomial ones. `adjusted`, `phi`
    and `tau2` say which."""
    shown = rows.filter(pl.col("value").is_not_null() & (pl.col("denominator") > 0))
    points = shown.with_columns((pl.col("numerator") / pl.col("denominator") * 100).alias("share"))
    spread = stats.funnel_overdispersion(points["numerator"], points["denominator"], p)
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


# --- organisational units --------------------------------------------------------------------

def org_units(run: Runner, region_id: str) -> pl.DataFrame:
    return run("units__org_units", region_id=region_id)


def regions_with_units(run: Runner) -> dict[str, int]:
    """Region code → how many of its organisational units have data, in code order."""
    frame = run("units__regions_with_data")
    return dict(zip(frame["code"].to_list(), frame["n_units"].to_list(), strict=True))


def region_label(short_name: str, code: str, n_units: int | None, lang: str | None = None) -> str:
    """`Keski-Suomi (15) · 6 yksikköä` for a region with unit data, else `Itä-Uusimaa (01)`."""
    text = f"{short_name} ({code})"
    return text if not n_units else text + " · " + i18n.t("units.n_units", lang, n=n_units)


def unit_indicator_ids(run: Runner, region_id: str, indicators_frame: pl.DataFrame) -> list[str]:
    present = set(run("units__indicator_ids", region_id=region_id)["indicator_id"].to_list())
    return [i for i in indicators_frame["indicator_id"].to_list() if i in present]


def unit_series(run: Runner, region_id: str, meta: dict[str, Any], lang: str | None = None) -> pl.DataFrame:
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    rows = run("units__series", region_id=region_id, indicator_id=meta["indicator_id"])
    rows = rows.with_columns(pl.lit(meta["unit"]).alias("unit"),
                             pl.lit(meta["min_persons"], dtype=pl.Int64).alias("min_persons"))
    return privacy.suppress(rows).with_columns(pl.col(f"name_{lang}").alias("name"))


def unit_table(series: pl.DataFrame, meta: dict[str, Any], lang: str | None = None) -> pl.DataFrame:
    """Latest value per organisational unit, formatted, for a table."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    if series.is_empty():
        return pl.DataFrame()
    latest = series.filter(pl.col("value").is_not_null()).sort("period_start").group_by(
        "unit_id", maintain_order=True).last().sort("name")
    t = i18n.t
    return pl.DataFrame([{
        t("units.col.unit", lang): r["name"],
        t("units.col.period", lang): i18n.fmt_period(r["period_start"], r["grain"], lang),
        t("units.col.value", lang): i18n.fmt_value(r["value"], meta["unit"], meta["decimals"], lang),
    } for r in latest.iter_rows(named=True)])


# --- tiles as text -----------------------------------------------------------------------------

VARIATION_ICONS = {"improvement": ":blue[:material/trending_up:]", "concern": ":orange[:material/warning:]",
                   "common_cause": ":gray[:material/horizontal_rule:]", "neither": ":violet[:material/swap_vert:]"}
ASSURANCE_ICONS = {"pass": ":blue[:material/check_circle:]", "fail": ":orange[:material/cancel:]",
                   "hit_and_miss": ":gray[:material/change_circle:]"}


def tile_markdown(tile: Tile, lang: str | None = None) -> str:
    """The tile as compact Streamlit markdown, one fact per line (st.metric does not localise):
    title; value and period; changes; Finland and YTA; target; signal icons; sparkline."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = [f"**{tile.title}**"]
    if tile.hidden:
        return "  \n".join([*lines, t("region.tile.hidden")])
    lines.append(f"#### {tile.latest} :gray[{tile.period}]")
    lines.append(f":small[{t('region.tile.change_previous_short')} {tile.change_previous} · "
                 f"{t('region.tile.change_year_short')} {tile.change_year}]")
    mean = " " + t("region.tile.mean_short") if "mean" in (tile.national_method, tile.yta_method) else ""
    lines.append(f":small[{t('region.tile.national')} {tile.national} · {t('region.tile.yta')} {tile.yta}{mean}]")
    if tile.target:
        by_due = "_by_due" if tile.target_expired else ""
        if tile.target_met is None:
            met = f" — :gray[{t('region.tile.target_due_passed')}]" if tile.target_expired else ""
        elif tile.target_met:
            met = f" — :blue[{t('region.tile.target_met' + by_due)}]"
        else:
            met = f" — :orange[{t('region.tile.target_not_met' + by_due)}]"
        lines.append(f":small[{tile.target}{met}]")
    else:
        lines.append(f":small[:gray[{t('region.tile.no_target')}]]")
    icons = []
    if tile.variation:
        icons.append(f"{VARIATION_ICONS[tile.variation]} {t('region.variation_short.' + tile.variation)}")
    if tile.assurance:
        icons.append(f"{ASSURANCE_ICONS[tile.assurance]} {t('region.assurance_short.' + tile.assurance)}")
    lines.append(f":small[{' · '.join(icons)}]" if icons else "\u00a0")
    if tile.sparkline:
        lines.append(f"`{tile.sparkline}`")
    return "  \n".join(lines[:1]) + "\n\n" + lines[1] + "\n\n" + "  \n".join(lines[2:])


def period_label(row: dict[str, Any], lang: str | None = None) -> str:
    return i18n.fmt_period(row["period_start"], row["grain"], lang)
