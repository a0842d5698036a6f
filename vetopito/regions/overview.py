"""The region page of a director, computed without Streamlit: one tile per indicator (latest
value against the national and YTA figures and the region's target, with its signal), and the
frames behind the trend chart of one indicator.

Every function takes `run(name, **params) -> pl.DataFrame`: `vetopito.ui.store.query` in the app
(cached, scoped to the signed-in user), `vetopito.scoped.runner(con, scope)` in tests and the
command line. Queries filter by unit or indicator first, so a page never scans all observations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vetopito import i18n, privacy
from vetopito.regions import base, signals
from vetopito.scoped import Runner
from vetopito.stats import pchart, spc

THEMES = ("access", "wellbeing", "retention", "development")


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
    # process changes an analyst marked on the region (`pages/region/process_changes`): new SPC phases
    process_changes: pl.DataFrame = field(default_factory=signals.no_process_changes)

    def indicator_ids(self) -> list[str]:
        present = set(self.observations["indicator_id"].unique().to_list())
        return [i for i in self.indicators["indicator_id"].to_list() if i in present]

    def grains(self, indicator_id: str) -> list[str]:
        """The grains the indicator's chart can show, the tile's own first (`grains_of`)."""
        return grains_of(self.observations, indicator_id)

    def tiles_by_theme(self) -> list[tuple[str, list[Tile]]]:
        return [(theme, [t for t in self.tiles if t.theme == theme]) for theme in THEMES
                if any(t.theme == theme for t in self.tiles)]


GRAIN_ORDER = ("day", "round", "week", "month", "quarter", "year")


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
               targets: pl.DataFrame, changes: pl.DataFrame, region: dict[str, Any], lang: str,
               process_changes: pl.DataFrame | None = None) -> Tile:
    """The tile of one indicator; its signal is judged within the latest phase (limits recalculated
    at each definition change and each process change marked on the region)."""
    unit, decimals, direction = meta["unit"], meta["decimals"], meta["direction"]
    tile = Tile(indicator_id=meta["indicator_id"], theme=meta["theme"], title=base.name(meta, lang, "short"))
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
    ago = shown.filter(pl.col("period_start") == base.year_ago(start, grain))
    if not ago.is_empty():
        tile.change_year = _change(value, ago["value"][0], unit, decimals, lang)
    national, tile.national_method = reference_value(reference, "FI", meta["indicator_id"], start, grain)
    tile.national = i18n.fmt_value(national, unit, decimals, lang)
    yta, tile.yta_method = reference_value(reference, region["yta_id"], meta["indicator_id"], start, grain)
    tile.yta = i18n.fmt_value(yta, unit, decimals, lang)
    target = signals.pick_target(targets, meta["indicator_id"], start)
    phases = signals.phase_changes(changes, signals.no_process_changes() if process_changes is None
                                   else process_changes, meta["indicator_id"], grain)
    frame = signals.spc_frame(series, meta, signals.rebase_dates(phases))
    tile.seasonal = frame["seasonal"][0] if frame.height else None
    latest_row = frame.filter(pl.col("value").is_not_null())
    tile.variation = latest_row["variation"][-1] if not latest_row.is_empty() else None
    if tile.variation in ("improvement", "concern", "neither") and not latest_row.is_empty():
        tile.signal_side = 1 if latest_row["value"][-1] > latest_row["mean"][-1] else -1
    if target is not None:
        tile.target = signals.target_text(target, meta, lang)
        tile.target_expired = target["expired"]
        if target["expired"]:  # judged at its due date; no assurance against a past target
            tile.target_met = signals.target_met(signals.value_at(shown, target["due_date"]), target["target_value"], direction)
        else:
            tile.target_met = signals.target_met(value, target["target_value"], direction)
            tile.assurance = spc.assurance(frame, target["target_value"], direction)
    return tile


def region_view(run: Runner, region: dict[str, Any], lang: str | None = None) -> RegionView:
    """Everything the region page needs for one region: 6 queries, each filtered by unit or indicator."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    inds = base.indicators(run)
    obs = run("pages/region/observations", unit_id=region["unit_id"])
    present = [i for i in inds["indicator_id"].to_list() if i in set(obs["indicator_id"].unique().to_list())]
    # every indicator, not just this region's: one cached result serves all 22 regions
    reference = run("pages/region/reference_series", indicator_ids=inds["indicator_id"].to_list())
    targets = run("pages/region/targets", unit_id=region["unit_id"])
    changes = run("catalog/definition_changes", indicator=None).select(
        "indicator_id", "valid_from", "note_fi", "note_sv", "note_en") \
        .sort("indicator_id", "valid_from", maintain_order=True)
    process_changes = run("pages/region/process_changes", unit_ids=[region["unit_id"]])
    tiles = []
    for meta in inds.filter(pl.col("indicator_id").is_in(present)).iter_rows(named=True):
        tiles.append(build_tile(meta, series_of(obs, meta["indicator_id"]), reference, targets,
                                changes, region, lang, process_changes))
    # keep only what this region's chart reads (the view is cached per region and language)
    reference = reference.filter(pl.col("unit_id").is_in(["FI", region["yta_id"]]))
    return RegionView(region, inds, obs, reference, targets, changes, tiles, process_changes)


def chart_data(view: RegionView, indicator_id: str, lang: str | None = None,
               grain: str | None = None) -> dict[str, Any]:
    """The frames and facts behind the trend chart of one indicator of a region, at `grain`
    (default: the indicator's own grain, as its tile)."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    meta = base.indicator_meta(view.indicators, indicator_id)
    series = series_of(view.observations, indicator_id, grain)
    changes = view.changes.filter(pl.col("indicator_id") == indicator_id)
    phases = signals.phase_changes(view.changes, view.process_changes, indicator_id,
                                   series["grain"][0] if series.height else "month")
    frame = signals.spc_frame(series, meta, signals.rebase_dates(phases))
    grain = frame["grain"][0] if frame.height else "month"
    national = view.reference.filter((pl.col("unit_id") == "FI") & (pl.col("indicator_id") == indicator_id)
                                     & (pl.col("grain") == grain)).select("period_start", "value", "method")
    if frame.height and frame["seasonal"][0] == "adjusted":  # compare like with like
        national = signals.deseasonalised_line(national, grain)
    latest = series.filter(pl.col("value").is_not_null())
    target = signals.pick_target(view.targets, indicator_id,
                         latest["period_start"][-1] if not latest.is_empty() else None)
    if target is not None:
        text = signals.target_text(target, meta, lang)
        target["legend"] = i18n.t("region.chart.target_expired", lang, target=text) if target["expired"] else text
    region_name = base.name(view.region, lang, "short")
    seasonal = frame["seasonal"][0] if frame.height else None
    return {
        "meta": meta,
        "title": i18n.t("region.chart.title_of", lang, indicator=base.name(meta, lang), region=region_name),
        "series_label": region_name,  # deseasonalised when `seasonal` says so (the subtitle says it)
        "spc": frame,
        "seasonal": seasonal,
        "notes": signals.chart_notes(frame, lang, phases),
        "phase_notes": signals.phase_notes(frame, lang, phases),  # repeated in the summary sentence
        "national": national,
        "target": target,
        "changes": changes.select("valid_from", pl.col(f"note_{lang}").alias("note")),
        "process_changes": signals.change_rules(frame, phases, lang),
        "ruleset": pchart.RULESET_P_PRIME if frame.height and frame["chart"][0] == "p_prime" else signals.RULESET,
        "trial_limits": bool(frame.height and frame["trial_limits"].any()),
        "p_chart": bool(frame.height and frame["chart"][0] in ("p", "p_prime")),
        "chart": frame["chart"][0] if frame.height else "xmr",
        "export": base.export_frame(series.with_columns(pl.lit(view.region["unit_id"]).alias("unit_id"))),
    }
