"""Problems as the formats find them (a frame of row, column, value, message key and fields) and
as the user reads them (`Problem` lines in their language, the page's or the command line's words)."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from vetopito import i18n
from vetopito.ingest.result import Problem

ERROR_CAP = 100
ERROR_SCHEMA = {"row": pl.Int64, "column": pl.String, "value": pl.String, "key": pl.String,
                "fields": pl.String}


def surface_key(key: str, surface: str) -> str:
    """The message key for where the text is shown: on the upload page (`surface="page"`) a
    message that names a command-line option has a variant `<key>.page` naming the page's control."""
    if surface == "page" and i18n.has_text(f"{key}.page"):
        return f"{key}.page"
    return key


OPTION_COLUMNS = {"--indicator": "indicator", "--unit": "unit", "--period": "period",
                  "--map-indicator": "map_indicator"}


def surface_column(column: str | None, surface: str, lang: str | None) -> str | None:
    """A problem's column as the page names it: `--indicator` (the value came from an option)
    is the page's own control, `Indikaattori`."""
    if surface == "page" and column in OPTION_COLUMNS:
        return i18n.t(f"ingest.page.option.{OPTION_COLUMNS[column]}", lang).split(" (")[0]
    return column


def problems(frame: pl.DataFrame, key: str, column: pl.Expr | str, value: pl.Expr | str,
             **fields: pl.Expr) -> pl.DataFrame:
    """A problem frame (row, column, value, key, fields-as-JSON) for every row of `frame`."""
    col = pl.lit(column) if isinstance(column, str) else column
    val = pl.col(value) if isinstance(value, str) else value
    if frame.is_empty():
        return pl.DataFrame(schema=ERROR_SCHEMA)
    if fields:
        fields_expr = pl.struct(**{k: v.cast(pl.String) for k, v in fields.items()}).struct.json_encode()
    else:
        fields_expr = pl.lit("{}")
    return frame.select(
        pl.col("_row").cast(pl.Int64).alias("row"),
        col.cast(pl.String).alias("column"),
        val.cast(pl.String).alias("value"),
        pl.lit(key).alias("key"),
        fields_expr.alias("fields"),
    )


def no_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=ERROR_SCHEMA)


def file_problem(key: str, column: str | None = None, **fields: Any) -> pl.DataFrame:
    return pl.DataFrame([{"row": None, "column": column, "value": None, "key": key,
                          "fields": json.dumps({k: str(v) for k, v in fields.items()}, ensure_ascii=False)}],
                        schema=ERROR_SCHEMA)


# Problem fields that hold a number the loader computed (not a cell as the file wrote it).
COMPUTED_FIELDS = frozenset({"expected", "n_chars", "max_chars"})


def fmt_computed(value: Any, lang: str | None) -> str:
    """A computed number in the message's language, to at most 2 decimals: `30`, `33,33`, `1 234,5`."""
    number = float(value)
    decimals = len(f"{number:.2f}".rstrip("0").split(".")[1])
    return i18n.fmt_number(number, decimals, lang)


def numbers_in(fields: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """Message fields with every int or float formatted in the message's language (`1 234`)."""
    return {k: fmt_computed(v, lang) if isinstance(v, int | float) and not isinstance(v, bool) else v
            for k, v in fields.items()}


def collapse_every_row(errors: pl.DataFrame, rows: set[int]) -> pl.DataFrame:
    """One file-level problem (no row) for a problem that every row of the file has: the same
    message, column, value and fields on each of `rows` (the rows the format read). Its fields
    gain `_rows`, the row count, which the message's text then says. Problems of only some rows,
    and a file of one row, stay as they are."""
    if len(rows) < 2 or errors.height < len(rows):
        return errors
    group = ["key", "column", "value", "fields"]
    per_row = errors.filter(pl.col("row").is_not_null())
    counts = per_row.group_by(group).agg(pl.col("row").n_unique().alias("n"), pl.col("row").min().alias("first"))
    every = counts.filter(pl.col("n") == len(rows))
    if every.is_empty():
        return errors
    every_rows = set(per_row.join(every.select(group), on=group, how="semi", nulls_equal=True)["row"].to_list())
    if not every_rows >= rows:
        return errors
    kept = errors.join(every.select(group), on=group, how="anti", nulls_equal=True)
    whole = every.sort("first").select(
        pl.lit(None, pl.Int64).alias("row"), "column", "value", "key",
        pl.col("fields").map_elements(lambda f: json.dumps({**json.loads(f or "{}"), "_rows": str(len(rows))},
                                                           ensure_ascii=False), return_dtype=pl.String))
    return pl.concat([whole, kept.select(ERROR_SCHEMA.keys())])


def to_problems(errors: pl.DataFrame, lang: str | None, surface: str = "cli") -> tuple[list[Problem], int]:
    errors = errors.sort("row", nulls_last=False, maintain_order=True)
    listed = []
    for row in errors.head(ERROR_CAP).iter_rows(named=True):
        fields = json.loads(row["fields"] or "{}")
        every = fields.pop("_rows", None)
        fields = {k: fmt_computed(v, lang) if k in COMPUTED_FIELDS and v not in (None, "") else v
                  for k, v in fields.items()}
        column = surface_column(row["column"], surface, lang)
        text = i18n.t(surface_key(row["key"], surface), lang,
                      value=row["value"] if row["value"] is not None else "",
                      column=column or "", **{k: v for k, v in fields.items() if k not in ("value", "column")})
        if every is not None:
            text = i18n.t("ingest.line.every_row", lang, n=i18n.fmt_number(int(every), 0, lang), problem=text)
        listed.append(Problem(row["row"], column, row["value"], text))
    return listed, errors.height

