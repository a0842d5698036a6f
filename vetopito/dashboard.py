"""What the director's pages show, computed without Streamlit: region tiles, national and
YTA figures, the SPC frame of one indicator, the comparison of regions at one period and
the drill-down to organisational units.

Every function takes `run(name, **params) -> pl.DataFrame`: `vetopito.ui.query` in the
app (cached, scoped to the signed-in user), `runner(con, scope)` in tests and the command
line. Queries filter by unit or indicator first, so a page never scans all observations.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vetopito import access, i18n, privacy, stats
from vetopito.text import escape_markdown

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
    segment, chart` (`xmr`, or `p_prime` for a proportion with denominators), `observed` (the
    value as measured) and `seasonal` (`adjusted`, `too_short` or null).

    Proportions get Laney's p′ chart (`stats.p_prime_chart`): limits still follow each
    period's denominator, but widened by the between-period variation, since region-wide
    denominators (e.g. 100 000 sick-leave days a month) make binomial p-chart limits so
    tight that nearly every point would be a special cause (over-dispersion).

    A seasonal indicator (catalogue column `seasonal`) at a monthly or quarterly grain is
    judged on deseasonalised values (`stats.deseasonalise`): `value` is then the adjusted value
    (for a proportion, numerators adjusted to the deseasonalised share) and `seasonal` is
    `adjusted`; with too few years to estimate the season it stays as measured, `too_short`.
    `rebase_at` (definition-change dates) starts a new phase with its own limits."""
    if series.is_empty():
        return series.with_columns(
            *[pl.lit(None, dtype=pl.Float64).alias(c) for c in ("mean", "lower", "upper")],
            pl.lit(None, dtype=pl.Boolean).alias("special_cause"),
            pl.lit(None, dtype=pl.String).alias("rule"),
            pl.lit(None, dtype=pl.String).alias("variation"),
            pl.lit(False).alias("trial_limits"), pl.lit(0, dtype=pl.Int64).alias("segment"),
            pl.lit("xmr").alias("chart"), pl.lit(None, dtype=pl.Float64).alias("observed"),
            pl.lit(None, dtype=pl.String).alias("seasonal"))
    periods = series["period_start"].to_list()
    direction = meta["direction"]
    grain = series["grain"][0]
    observed = series["value"]
    adjusted, seasonal = None, None
    if meta.get("seasonal") and grain in stats.SEASONS_PER_YEAR:
        adjusted = stats.deseasonalise(observed, periods, grain)
        seasonal = "too_short" if adjusted is None else "adjusted"
    if uses_p_chart(meta, series):
        shown = series["value"].is_not_null()
        num = pl.Series([n if s else None for n, s in zip(series["numerator"], shown, strict=True)],
                        dtype=pl.Float64)
        if adjusted is not None:  # the deseasonalised share of each period's own denominator
            den = series["denominator"].cast(pl.Float64)
            share = pl.Series(adjusted.values / 100.0, dtype=pl.Float64, nan_to_null=True)
            num = (share * den).clip(0.0, None)
            num = pl.select(pl.min_horizontal(num, den)).to_series()
        result = stats.p_prime_chart(num, series["denominator"], direction=direction, periods=periods,
                                     rebase_at=list(rebase_at))
        out = result.select(
            pl.col("value_pct").alias("value"),
            *[(pl.col(c) * 100).alias(c) for c in ("mean", "lower", "upper")],
            "special_cause", "rule", "variation", "trial_limits", "segment",
        ).with_columns(pl.lit("p_prime").alias("chart"))
    else:
        values = observed if adjusted is None else pl.Series(adjusted.values, dtype=pl.Float64, nan_to_null=True)
        result = stats.spc(values, direction=direction, periods=periods, rebase_at=list(rebase_at))
        out = result.select("value", "mean", "lower", "upper", "special_cause", "rule", "variation",
                            "trial_limits", "segment").with_columns(pl.lit("xmr").alias("chart"))
    out = out.with_columns(observed.cast(pl.Float64).alias("observed"),
                           pl.lit(seasonal, dtype=pl.String).alias("seasonal"))
    return pl.concat([series.select("period_start", "grain"), out], how="horizontal")


def phase_starts(frame: pl.DataFrame) -> list[dt.date]:
    """Where an SPC frame's limits were recalculated (the first period of each later phase)."""
    if frame.is_empty():
        return []
    return stats.phase_starts(frame.select(pl.col("period_start").alias("period"), "segment"))


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
    signal_side: int = 0  # +1 when the latest special cause is high, -1 when low (the MDC H/L icon)
    seasonal: str | None = None  # `adjusted`: the signal comes from deseasonalised values
    sparkline: str = ""
    hidden: bool = False
    values: list[float | None] = field(default_factory=list)


def tile_attention(tile: Tile) -> str | None:
    """Whether a tile must stand out, and how: `concern` (orange) for a special cause of concern,
    a target the process reliably misses, or a target missed at its due date or, without
    assurance, by the latest value; `improvement` (blue) for a special cause of improvement;
    `neither` for a special cause with no direction; None for common-cause variation."""
    missed = tile.assurance == "fail" or (tile.target_met is False and (tile.target_expired or tile.assurance is None))
    if tile.variation == "concern" or missed:
        return "concern"
    if tile.variation in ("improvement", "neither"):
        return tile.variation
    return None


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

    def grains(self, indicator_id: str) -> list[str]:
        """The grains the indicator's chart can show, the tile's own first (`grains_of`)."""
        return grains_of(self.observations, indicator_id)

    def tiles_by_theme(self) -> list[tuple[str, list[Tile]]]:
        return [(theme, [t for t in self.tiles if t.theme == theme]) for theme in THEMES
                if any(t.theme == theme for t in self.tiles)]


GRAIN_ORDER = ("day", "round", "month", "quarter", "year")


def grains_of(observations: pl.DataFrame, indicator_id: str) -> list[str]:
    """The grains an indicator has values at, its own grain first (the grain of its latest period,
    the one its tile uses), then the others finest first: `["month", "year"]` for a monthly series
    with a Sotkanet export's yearly values beside it, `["year"]` for yearly values alone."""
    rows = observations.filter(pl.col("indicator_id") == indicator_id)
    if rows.is_empty():
        return []
    own = rows.sort("period_start")["grain"][-1]
    others = sorted((g for g in rows["grain"].unique().to_list() if g != own),
                    key=lambda g: GRAIN_ORDER.index(g) if g in GRAIN_ORDER else len(GRAIN_ORDER))
    return [own, *others]


def series_of(observations: pl.DataFrame, indicator_id: str, grain: str | None = None) -> pl.DataFrame:
    """One indicator's rows at `grain` (default: the grain of its latest period), oldest first,
    small numbers hidden."""
    rows = observations.filter(pl.col("indicator_id") == indicator_id)
    if rows.is_empty():
        return rows
    grains = grains_of(observations, indicator_id)
    grain = grain if grain in grains else grains[0]
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
    tile.seasonal = frame["seasonal"][0] if frame.height else None
    latest_row = frame.filter(pl.col("value").is_not_null())
    tile.variation = latest_row["variation"][-1] if not latest_row.is_empty() else None
    if tile.variation in ("improvement", "concern", "neither") and not latest_row.is_empty():
        tile.signal_side = 1 if latest_row["value"][-1] > latest_row["mean"][-1] else -1
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


def chart_data(view: RegionView, indicator_id: str, lang: str | None = None,
               grain: str | None = None) -> dict[str, Any]:
    """The frames and facts behind the trend chart of one indicator of a region, at `grain`
    (default: the indicator's own grain, as its tile)."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    meta = indicator_meta(view.indicators, indicator_id)
    series = series_of(view.observations, indicator_id, grain)
    changes = view.changes.filter(pl.col("indicator_id") == indicator_id)
    frame = spc_frame(series, meta, changes["valid_from"].to_list())
    grain = frame["grain"][0] if frame.height else "month"
    national = view.reference.filter((pl.col("unit_id") == "FI") & (pl.col("indicator_id") == indicator_id)
                                     & (pl.col("grain") == grain)).select("period_start", "value", "method")
    if frame.height and frame["seasonal"][0] == "adjusted":  # compare like with like
        national = deseasonalised_line(national, grain)
    latest = series.filter(pl.col("value").is_not_null())
    target = pick_target(view.targets, indicator_id,
                         latest["period_start"][-1] if not latest.is_empty() else None)
    if target is not None:
        text = target_text(target, meta, lang)
        target["legend"] = i18n.t("region.chart.target_expired", lang, target=text) if target["expired"] else text
    region_name = name(view.region, lang, "short")
    seasonal = frame["seasonal"][0] if frame.height else None
    return {
        "meta": meta,
        "title": i18n.t("region.chart.title_of", lang, indicator=name(meta, lang), region=region_name),
        "series_label": region_name,  # deseasonalised when `seasonal` says so (the subtitle says it)
        "spc": frame,
        "seasonal": seasonal,
        "notes": chart_notes(frame, lang),
        "national": national,
        "target": target,
        "changes": changes.select("valid_from", pl.col(f"note_{lang}").alias("note")),
        "ruleset": stats.RULESET_P_PRIME if frame.height and frame["chart"][0] == "p_prime" else RULESET,
        "trial_limits": bool(frame.height and frame["trial_limits"].any()),
        "p_chart": bool(frame.height and frame["chart"][0] in ("p", "p_prime")),
        "chart": frame["chart"][0] if frame.height else "xmr",
        "export": export_frame(series.with_columns(pl.lit(view.region["unit_id"]).alias("unit_id"))),
    }


def deseasonalised_line(line: pl.DataFrame, grain: str) -> pl.DataFrame:
    """A reference line (`period_start, value, …`, oldest first) less its own seasonal pattern,
    drawn beside a deseasonalised region; dropped when it is too short to estimate one."""
    line = line.sort("period_start")
    adjusted = stats.deseasonalise(line["value"], line["period_start"].to_list(), grain)
    if adjusted is None:
        return line.clear()
    return line.with_columns(pl.Series("value", adjusted.values, dtype=pl.Float64, nan_to_null=True))


def chart_notes(frame: pl.DataFrame, lang: str | None = None) -> list[str]:
    """What the chart must say about how it judges the series: the seasonal view (or why there is
    none yet) and each date from which the limits were recalculated, with its reason."""
    notes = []
    seasonal = frame["seasonal"][0] if frame.height else None
    if seasonal == "adjusted":
        notes.append(i18n.t("signals.chart.seasonal_quarter" if frame["grain"][0] == "quarter"
                            else "signals.chart.seasonal", lang))
    elif seasonal == "too_short":
        notes.append(i18n.t("signals.chart.seasonal_too_short", lang))
    for start in phase_starts(frame):
        notes.append(i18n.t("signals.chart.rebased", lang, date=i18n.fmt_date(start, lang),
                            reason=i18n.t("signals.chart.reason_definition", lang)))
    return notes


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

def target_verdict(tile: Tile, lang: str | None = None) -> str:
    """What the tile says about its target, and on what basis: Making Data Count assurance when the
    target is still ahead and the chart has limits ("Tavoite saavutetaan luotettavasti"), the value
    at the due date for a past target, else the latest value ("viimeisin arvo saavuttaa
    tavoitteen"); markdown, colour-coded for a missed target."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    if tile.assurance:
        return t(f"signals.assurance.{tile.assurance}")
    if tile.target_met is None:
        return f":gray[{t('region.tile.target_due_passed')}]" if tile.target_expired else ""
    if tile.target_expired:
        key = "region.tile.target_met_by_due" if tile.target_met else "region.tile.target_not_met_by_due"
    else:
        key = "signals.target.latest_met" if tile.target_met else "signals.target.latest_not_met"
    return f":blue[{t(key)}]" if tile.target_met else f":orange[{t(key)}]"


def tile_markdown(tile: Tile, lang: str | None = None) -> str:
    """The tile as compact Streamlit markdown, one fact per line (st.metric does not localise):
    title; value and period; changes; Finland and YTA; target and its verdict; sparkline. The
    signal and assurance icons are `tile_badges_html`."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = [f"**{escape_markdown(tile.title)}**"]   # an indicator's name is data; the figures are ours
    if tile.hidden:
        return "  \n".join([*lines, t("region.tile.hidden")])
    lines.append(f"#### {tile.latest} :gray[{tile.period}]")
    lines.append(f":small[{t('region.tile.change_previous_short')} {tile.change_previous} · "
                 f"{t('region.tile.change_year_short')} {tile.change_year}]")
    mean = " " + t("region.tile.mean_short") if "mean" in (tile.national_method, tile.yta_method) else ""
    lines.append(f":small[{t('region.tile.national')} {tile.national} · {t('region.tile.yta')} {tile.yta}{mean}]")
    if tile.target:
        verdict = target_verdict(tile, lang)
        lines.append(f":small[{tile.target}{' — ' + verdict if verdict else ''}]")
    else:
        lines.append(f":small[:gray[{t('region.tile.no_target')}]]")
    if tile.sparkline:
        lines.append(f"`{tile.sparkline}`")
    return "  \n".join(lines[:1]) + "\n\n" + lines[1] + "\n\n" + "  \n".join(lines[2:])


# --- the Making Data Count icons of a tile ------------------------------------------------------
#
# Drawn here as small inline SVG from constants only (no data reaches this HTML; the texts are the
# app's own messages, escaped all the same). Colours after NHS England's icons, darkened where
# needed for WCAG 2.1 AA non-text contrast (≥ 3:1 on white and on the tile's tint; the label text
# beside each icon is dark on light, ≥ 4.5:1): blue improvement / pass, orange concern / fail,
# grey common cause / hit-and-miss, purple a special cause with no direction.

ICON_COLOURS = {"improvement": "#005EB8", "concern": "#B25400", "common_cause": "#5F6B73",
                "neither": "#7A3E9D", "pass": "#005EB8", "fail": "#B25400", "hit_and_miss": "#5F6B73"}
TILE_TINTS = {"concern": "#FFF3E6", "improvement": "#EAF2FB", "neither": "#F5EEF9"}
TILE_CLASS = "vv-tile"  # container keys `vv-tile-<attention>-<indicator>` → CSS class st-key-…


def _icon_svg(colour: str, glyph: str) -> str:
    return ('<svg class="vv-icon" width="26" height="26" viewBox="0 0 26 26" aria-hidden="true" '
            f'focusable="false"><circle cx="13" cy="13" r="11" fill="#FFFFFF" stroke="{colour}" '
            f'stroke-width="2.5"/>{glyph}</svg>')


def _letter(colour: str, letter: str) -> str:
    return (f'<text x="13" y="17.5" text-anchor="middle" font-size="13" font-weight="700" '
            f'font-family="Arial, sans-serif" fill="{colour}">{letter}</text>')


def variation_icon(variation: str, side: int) -> str:
    """The MDC variation icon: a flat line for common cause, H or L (the side of the special
    cause) in blue for improvement, orange for concern, purple with no direction."""
    colour = ICON_COLOURS[variation]
    if variation == "common_cause":
        return _icon_svg(colour, f'<path d="M6 13 h14" stroke="{colour}" stroke-width="2.5" '
                                 'stroke-linecap="round"/>')
    return _icon_svg(colour, _letter(colour, "H" if side > 0 else "L"))


def assurance_icon(assurance: str) -> str:
    """The MDC assurance icon: P (passes) blue, F (fails) orange, ? (hit and miss) grey."""
    colour = ICON_COLOURS[assurance]
    return _icon_svg(colour, _letter(colour, {"pass": "P", "fail": "F", "hit_and_miss": "?"}[assurance]))


def tile_badges_html(tile: Tile, lang: str | None = None) -> str:
    """The tile's variation and assurance icons, each with its name beside it (and a prefix for
    screen readers saying which it is), or "" when the tile has neither. HTML from constants and
    the app's own messages only."""
    t = lambda key: html.escape(i18n.t(key, lang))  # noqa: E731
    parts = []
    if tile.variation:
        parts.append(f'<span class="vv-badge vv-{tile.variation}">{variation_icon(tile.variation, tile.signal_side)}'
                     f'<span class="vv-sr">{t("signals.sr.variation")} </span>'
                     f'<span>{t("region.variation_short." + tile.variation)}</span></span>')
    if tile.assurance:  # its name is read out only: the target line shows the verdict in words
        parts.append(f'<span class="vv-badge vv-{tile.assurance}">{assurance_icon(tile.assurance)}'
                     f'<span class="vv-sr">{t("signals.sr.assurance")} '
                     f'{t("signals.assurance." + tile.assurance)}</span></span>')
    if not parts:
        return ""
    seasonal = (f'<span class="vv-note">{t("signals.tile.seasonal")}</span>'
                if tile.seasonal == "adjusted" else "")
    return f'<div class="vv-badges">{"".join(parts)}{seasonal}</div>'


def tile_key(tile: Tile) -> str:
    """The key of a tile's container: its CSS class `st-key-<key>` carries the attention marker."""
    return f"{TILE_CLASS}-{tile_attention(tile) or 'plain'}-{tile.indicator_id}"


def tile_css() -> str:
    """The style of tiles that need attention: a thick border in the signal's colour and a light
    tint, and the icons' layout. Built from constants only."""
    rules = [f'[class*="st-key-{TILE_CLASS}-{kind}-"] {{ border: 3px solid {ICON_COLOURS[kind]} !important; '
             f'background-color: {tint}; }}' for kind, tint in TILE_TINTS.items()]
    rules += [
        ".vv-badges { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; "
        "font-size: 0.875rem; color: #1B1F24; margin-bottom: 0.25rem; }",
        ".vv-badge { display: inline-flex; align-items: center; gap: 0.3rem; font-weight: 600; }",
        ".vv-note { font-size: 0.8rem; color: #3D4650; }",
        ".vv-sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; "
        "clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }",
    ]
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def period_label(row: dict[str, Any], lang: str | None = None) -> str:
    return i18n.fmt_period(row["period_start"], row["grain"], lang)
