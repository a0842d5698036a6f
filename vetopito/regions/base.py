"""The regions and indicators a director chooses from, their keys in URLs and files, and the
rows a page offers for download."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from vetopito import i18n
from vetopito.scoped import Runner


def regions(run: Runner) -> pl.DataFrame:
    """The regions in scope as a director's pages key them: unit_id, code, names, short names (the
    name where there is none) and YTA, in code order."""
    frame = run("catalog/regions")
    return frame.select(
        pl.col("id").alias("unit_id"), "code", "name_fi", "name_sv", "name_en",
        *(pl.coalesce(f"short_{lang}", f"name_{lang}").alias(f"short_{lang}") for lang in ("fi", "sv", "en")),
        "yta_id",
    ).sort("code", "unit_id")


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
    """The indicators the user sees (`pages/region/indicators`), with their scope."""
    return run("pages/region/indicators")


def national_indicators(run: Runner) -> pl.DataFrame:
    """The national indicators only: the national comparison never shows a region's or a team's
    own indicator, not even to a user who sees it."""
    return indicators(run).filter(pl.col("scope_kind") == "national")


def indicator_meta(indicators_frame: pl.DataFrame, indicator_id: str) -> dict[str, Any]:
    return indicators_frame.filter(pl.col("indicator_id") == indicator_id).row(0, named=True)


def name(row: dict[str, Any], lang: str | None = None, prefix: str = "name") -> str:
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    return row.get(f"{prefix}_{lang}") or row.get(f"name_{lang}") or ""


def period_token(start: dt.date, grain: str) -> str:
    """A period for URLs and files: `2024`, `2024Q1`, `2024-03`, `2024-W05` (ISO week), `2024-03-15`."""
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "year":
        return f"{start.year}"
    if grain == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if grain in ("month", "round"):
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def period_label(row: dict[str, Any], lang: str | None = None) -> str:
    return i18n.fmt_period(row["period_start"], row["grain"], lang)


def year_ago(start: dt.date, grain: str | None = None) -> dt.date:
    """The same period a year before: the same ISO week of the year before for a week (its Monday;
    week 53 of a year whose year before has 52 is that year's week 52), else the same day."""
    if grain == "week":
        year, week, _ = start.isocalendar()
        try:
            return dt.date.fromisocalendar(year - 1, week, 1)
        except ValueError:
            return dt.date.fromisocalendar(year - 1, 52, 1)
    try:
        return start.replace(year=start.year - 1)
    except ValueError:  # 29 February
        return start.replace(year=start.year - 1, day=28)


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
