"""What the upload page shows of a report, as plain data: the detected format in words, the
changes as old → new with their filters, the error report, the load history. Kept here so the
page stays a thin drawing of these frames (and so they are tested without Streamlit)."""

from __future__ import annotations

import polars as pl

from vetopito import i18n
from vetopito.ingest.core import Report

DETECTED_PARTS = ("format", "layout", "encoding", "delimiter", "decimal")
_DELIMITER_WORDS = {";": "semicolon", ",": "comma", "\t": "tab"}


def _word(part: str, value: object, lang: str | None) -> str:
    if value is None:
        return i18n.t("ingest.word.unknown", lang)
    code = _DELIMITER_WORDS.get(str(value), str(value)) if part == "delimiter" else str(value)
    key = f"ingest.word.{part}.{code.replace('-', '_').replace(',', 'comma').replace('.', 'point')}"
    return i18n.t(key, lang) if i18n.has_text(key) else code


def detected_text(report: Report, lang: str | None = None) -> str:
    """`Havainnot (Sotkanet-vienti); pitkä: rivi per arvo; merkistö UTF-8; erotin puolipiste; …`."""
    words = {part: _word(part, report.detected.get(part), lang) for part in DETECTED_PARTS}
    return i18n.t("ingest.page.detected", lang, **words)


def changes_view(report: Report) -> pl.DataFrame:
    """One row per new or changed value: row, status, indicator, unit, period, old → new."""
    frame = report.changes
    if frame.is_empty() or "status" not in frame.columns:
        return pl.DataFrame(schema={"row": pl.Int64, "status": pl.String, "indicator": pl.String,
                                    "unit": pl.String, "period": pl.String, "old": pl.String, "new": pl.String})
    key_of = {"indicator": ("indicator_id",), "unit": ("unit_id", "id"),
              "period": ("period_start", "due_date", "event_date")}
    old_new = [("old_value", "value"), ("old_target_value", "target_value"), ("old_name_fi", "name_fi"),
               (None, "label")]
    exprs = [pl.col("row_number").alias("row"), pl.col("status")]
    for out, candidates in key_of.items():
        found = next((c for c in candidates if c in frame.columns), None)
        exprs.append((pl.col(found).cast(pl.String) if found else pl.lit(None, pl.String)).alias(out))
    old, new = next(((o, n) for o, n in old_new if n in frame.columns), (None, None))
    exprs.append((pl.col(old).cast(pl.String) if old and old in frame.columns else pl.lit(None, pl.String))
                 .alias("old"))
    exprs.append((pl.col(new).cast(pl.String) if new else pl.lit(None, pl.String)).alias("new"))
    return frame.select(exprs)


def filter_changes(view: pl.DataFrame, *, statuses=None, indicators=None, units=None) -> pl.DataFrame:
    """The changes the user asked to see (an empty choice means all)."""
    for column, chosen in (("status", statuses), ("indicator", indicators), ("unit", units)):
        if chosen:
            view = view.filter(pl.col(column).is_in(list(chosen)))
    return view


def filter_choices(view: pl.DataFrame) -> dict[str, list[str]]:
    return {column: sorted(v for v in view[column].unique().to_list() if v is not None)
            for column in ("status", "indicator", "unit")}


def error_report_csv(report: Report, lang: str | None = None) -> bytes:
    """The downloadable error report: every listed problem, with a header in the user's language,
    UTF-8 with BOM and `;` so that Finnish Excel opens it as it is."""
    frame = report.error_frame()
    names = {c: i18n.t(f"ingest.page.error_column.{c}", lang) for c in frame.columns}
    return ("\ufeff" + frame.rename(names).write_csv(separator=";")).encode("utf-8")


def history_view(loads: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The load history with a readable status and without the checksum."""
    status = {s: i18n.t(f"ingest.page.status.{s}", lang) for s in ("committed", "undone")}
    return loads.select("load_id", "file_name", "format", "user_name", "loaded_at", "n_rows", "n_new",
                        "n_changed", "n_unchanged",
                        pl.col("status").replace_strict(status, default=pl.col("status")).alias("status"),
                        "undone_at", "undone_by")
