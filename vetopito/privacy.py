"""Small-number suppression: hide a team-level value that rests on too few persons.

Rules (see ../shared/reference/small_number_suppression.md):

* **Counts about persons** (indicator unit `count` or `persons` with `min_persons` set,
  e.g. sick-leave episodes, leavers): a value of 1 to `min_persons − 1` is hidden
  (THL: "alle viiden tapauksen … tietoja ei julkisteta"). Zero is shown.
* **Survey figures** (a row with `respondents`): hidden when there are fewer respondents
  than the indicator's `min_persons`, or 10 when the catalogue gives none (TTL: "Tarkkoja
  lukuja ei raportoida alle 10 vastaajan yksiköistä").
* **Rates from a numerator about persons** (indicator with `min_persons`, not a survey):
  hidden when the numerator is 1 to `min_persons − 1`.
* **Anything a hidden value could be worked back from**: a hidden row loses its
  numerator, denominator and respondents as well; in a table with totals, a group where
  exactly one cell is hidden gets a second, complementary hidden cell
  (`complementary_suppression`, Statistics Finland's secondary suppression).

Suppression runs in the library on the frames that pages, charts and exports receive;
a hidden value is null with `is_hidden = true` and a `hidden_reason`
(`few_persons`, `few_respondents`, `complementary`) that the UI explains via
`hidden_reason_text`.
"""

from __future__ import annotations

import polars as pl

from vetopito import i18n

SURVEY_MIN_RESPONDENTS = 10
COUNT_MIN_PERSONS = 5
PERSON_COUNT_UNITS = ("count", "persons")
REASONS = ("few_persons", "few_respondents", "complementary")
DETAIL_COLUMNS = ("numerator", "denominator", "respondents")


def _col_or_null(frame: pl.DataFrame, name: str, dtype) -> pl.Expr:
    return pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype=dtype)


def hidden_reason(frame: pl.DataFrame) -> pl.Expr:
    """The primary-suppression reason per row (null when the row may be shown).

    Needs `value`; uses `respondents`, `numerator`, `unit` (the indicator's unit),
    `min_persons` and `min_respondents` when present.
    """
    value = _col_or_null(frame, "value", pl.Float64)
    respondents = _col_or_null(frame, "respondents", pl.Float64)
    numerator = _col_or_null(frame, "numerator", pl.Float64)
    unit = _col_or_null(frame, "unit", pl.String)
    min_persons = _col_or_null(frame, "min_persons", pl.Float64)
    # the indicator's own minimum of respondents (the catalogue's `min_respondents`) where it has one
    survey_min = pl.coalesce(_col_or_null(frame, "min_respondents", pl.Float64), min_persons,
                             pl.lit(SURVEY_MIN_RESPONDENTS, dtype=pl.Float64))
    is_person_count = unit.is_in(PERSON_COUNT_UNITS) & min_persons.is_not_null()
    return (
        pl.when(respondents.is_not_null() & (respondents < survey_min))
        .then(pl.lit("few_respondents"))
        .when(is_person_count & (value > 0) & (value < min_persons))
        .then(pl.lit("few_persons"))
        .when(respondents.is_null() & min_persons.is_not_null() & (numerator > 0) & (numerator < min_persons))
        .then(pl.lit("few_persons"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def suppress(frame: pl.DataFrame, *, value_columns: tuple[str, ...] = ("value",)) -> pl.DataFrame:
    """Null every value (and the numerator, denominator and respondents behind it) that
    rests on too few persons; add `is_hidden` and `hidden_reason`.

    A frame that already went through `suppress` keeps its earlier reasons.
    """
    reason = hidden_reason(frame)
    if "hidden_reason" in frame.columns:
        reason = pl.coalesce(pl.col("hidden_reason"), reason)
    out = frame.with_columns(reason.alias("hidden_reason"))
    return _apply(out, value_columns)


def _apply(frame: pl.DataFrame, value_columns: tuple[str, ...]) -> pl.DataFrame:
    hidden = pl.col("hidden_reason").is_not_null()
    wipe = [c for c in (*value_columns, *DETAIL_COLUMNS) if c in frame.columns]
    return frame.with_columns(
        *[pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in wipe],
        hidden.alias("is_hidden"),
    )


def suppress_value(value: float | None, *, unit: str | None, min_persons: int | None,
                   respondents: int | None = None) -> str | None:
    """The reason a single figure (e.g. a team's baseline) must be hidden, or None."""
    frame = pl.DataFrame({"value": [value], "unit": [unit], "min_persons": [min_persons],
                          "respondents": [respondents]},
                         schema={"value": pl.Float64, "unit": pl.String, "min_persons": pl.Int64,
                                 "respondents": pl.Int64})
    return frame.select(hidden_reason(frame)).item()


def complementary_suppression(frame: pl.DataFrame, group_by: list[str], *,
                              value_column: str = "value") -> pl.DataFrame:
    """Secondary suppression for tables that also show a total per group.

    Where a group has exactly one hidden cell, the smallest other shown cell of the group
    is hidden too (reason `complementary`), so the hidden one cannot be worked out as
    total minus the others. Needs the output of `suppress`.
    """
    if frame.is_empty():
        return frame
    ordered = frame.with_row_index("_row")
    stats = ordered.group_by(group_by).agg(pl.col("is_hidden").sum().alias("_n_hidden"))
    ordered = ordered.join(stats, on=group_by, how="left")
    candidates = (
        ordered.filter((pl.col("_n_hidden") == 1) & ~pl.col("is_hidden") & pl.col(value_column).is_not_null())
        .sort([*group_by, value_column, "_row"])
        .group_by(group_by, maintain_order=True)
        .first()
        .select("_row")
    )
    rows = set(candidates["_row"].to_list())
    out = ordered.with_columns(
        pl.when(pl.col("_row").is_in(list(rows))).then(pl.lit("complementary"))
        .otherwise(pl.col("hidden_reason")).alias("hidden_reason")
    ).drop("_row", "_n_hidden")
    return _apply(out, (value_column,))


def group_total(frame: pl.DataFrame, group_by: list[str], *, value_column: str = "value") -> pl.DataFrame:
    """The sum per group, null where any cell of the group is hidden and a total would
    still expose it (only one hidden cell left after complementary suppression is
    impossible, so a total is shown when at least two cells are hidden or none)."""
    return frame.group_by(group_by, maintain_order=True).agg(
        pl.col(value_column).sum().alias("total"),
        pl.col("is_hidden").sum().alias("n_hidden"),
    ).with_columns(
        pl.when(pl.col("n_hidden") == 1).then(None).otherwise(pl.col("total")).alias("total")
    )


def hidden_reason_text(reason: str | None, *, min_persons: int | None = None, lang: str | None = None) -> str:
    """Why a value is hidden, in the user's language."""
    if reason is None:
        return ""
    threshold = min_persons or (SURVEY_MIN_RESPONDENTS if reason == "few_respondents" else COUNT_MIN_PERSONS)
    return i18n.t(f"privacy.reason.{reason}", lang, n=threshold)
