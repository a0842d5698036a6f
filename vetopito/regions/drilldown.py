"""The drill-down from a region to its organisational units: which regions have unit data, and
each unit's series and latest value."""

from __future__ import annotations

from typing import Any

import polars as pl

from vetopito import i18n, privacy
from vetopito.scoped import Runner


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


def unit_process_changes(run: Runner, series: pl.DataFrame, meta: dict[str, Any],
                         lang: str | None = None) -> pl.DataFrame:
    """The process changes marked on the units of `series` for its indicator (or for all), each at
    the period that holds its date: `name, period_start, label` (plain text for Vega) for the rules
    the small multiples draw. The drill-down draws lines without control limits, so there is no
    phase to recalculate there; the mark says where the process changed."""
    from vetopito.regions import signals
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    schema = {"name": pl.String, "period_start": pl.Date, "label": pl.String}
    if series.is_empty():
        return pl.DataFrame(schema=schema)
    marked = run("region__process_changes", unit_ids=series["unit_id"].unique().to_list())
    marked = marked.filter(pl.col("indicator_id").is_null() | (pl.col("indicator_id") == meta["indicator_id"]))
    names = dict(zip(series["unit_id"].to_list(), series["name"].to_list(), strict=True))
    grain = series["grain"][0]
    rows = [{"name": names[r["unit_id"]], "period_start": signals.period_of(r["event_date"], grain),
             "label": i18n.t("signals.chart.process_change_label", lang, label=r["label"])}
            for r in marked.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=schema)


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
