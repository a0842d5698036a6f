"""The data behind a chart as CSV for Finnish Excel and as XLSX, and the chart as PNG.

CSV for Finnish Excel: `;` between fields, decimal comma, UTF-8 with a BOM (Excel then
reads ä and ö right), CRLF line ends. Numbers keep their full precision, so an exported
observation file reloads through the loader with no changes. Text cells and headers go through
`export.safe.neutralise_cell` (one that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading apostrophe), so a spreadsheet never runs them as formulas; XLSX text is
written as strings, never as formulas.

The observation downloads (region and comparison pages, `vetopito export data --lang`) are in the
user's language: headers from the message files (`export.column.*`), and the indicator's and the
unit's name in that language beside each code (`observations_frame`). Finnish and Swedish CSV keep
`;` and the decimal comma; English CSV is what Excel in an English locale opens as columns (`,`
and the decimal point). The loader knows these headers in all three languages and leaves the name
columns alone (the codes are the key; a name differs by language and when the catalogue renames a
unit, and must not refuse or change a reload), so every such download reloads with no changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from vetopito import i18n
from vetopito.export.safe import neutralise_cell

BOM = "\ufeff"
CANONICAL_COLUMNS = ("indicator", "unit", "period", "value", "numerator", "denominator")
EXTRA_COLUMNS = ("respondents", "flag")
NAME_COLUMNS = {"indicator": "indicator_name", "unit": "unit_name"}  # a code column → the name beside it
neutralise = neutralise_cell  # the name this module gave the rule before `export.safe` held it


def _number(value: float | int, decimal: str) -> str:
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    else:
        text = str(value)
    return text.replace(".", decimal)


def _cell(value: Any, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return _number(value, decimal)
    if isinstance(value, dt.datetime):
        return value.strftime("%-d.%-m.%Y %H:%M")
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    return neutralise(str(value))


def to_csv(frame: pl.DataFrame, *, decimal: str = ",", separator: str = ";", bom: bool = True) -> bytes:
    """The frame as CSV bytes for Finnish Excel (the defaults) or another dialect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(c) for c in frame.columns])
    for row in frame.iter_rows():
        writer.writerow([_cell(v, decimal) for v in row])
    return ((BOM if bom else "") + buffer.getvalue()).encode("utf-8")


def to_xlsx(frame: pl.DataFrame, *, sheet: str = "data") -> bytes:
    """The frame as an Excel workbook: numbers as numbers, dates as dates, text never a formula."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "nan_inf_to_errors": False})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "d.m.yyyy"})
    for col, name in enumerate(frame.columns):
        ws.write_string(0, col, neutralise(name), bold)
        ws.set_column(col, col, max(10, min(40, len(name) + 2)))
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif isinstance(value, dt.datetime | dt.date):
                ws.write_datetime(r, c, value if isinstance(value, dt.datetime)
                                  else dt.datetime(value.year, value.month, value.day), date_format)
            else:
                ws.write_string(r, c, neutralise(str(value)))
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def chart_png(chart, *, width: int = 900, scale: float = 2.0) -> bytes:
    """An Altair chart (or a call that builds one, so a page builds it only when the PNG is asked
    for) as PNG bytes (vl-convert, offline: a spec naming any outside address is refused);
    a container-wide chart gets `width` px."""
    import vl_convert as vlc

    if callable(chart):
        chart = chart()
    spec = chart.to_dict() if hasattr(chart, "to_dict") else dict(chart)
    if spec.get("width") == "container":
        spec["width"] = width
    return vlc.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])  # data inline; no fetch


@dataclass(frozen=True)
class ExportNames:
    """Indicator and unit names in one language, for the name columns beside the codes."""

    lang: str
    indicators: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


def export_names(run: Callable[..., pl.DataFrame], lang: str) -> ExportNames:
    """Every indicator's and unit's name in `lang` (the full name; the Finnish one, then the short
    one where that language has none), from the catalogue queries the loader resolves names with.
    `run(name, **params)` is a named-query runner (`ui.store.query`, `vetopito.scoped.runner(con)`)."""
    lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE

    def names(frame: pl.DataFrame) -> dict[str, str]:
        columns = (f"name_{lang}", "name_fi", f"short_{lang}", "short_fi")
        return {row["id"]: next((row[c] for c in columns if row.get(c)), row["id"])
                for row in frame.iter_rows(named=True)}

    return ExportNames(lang, names(run("load/indicator_names")), names(run("load/unit_names")))


def observations_frame(frame: pl.DataFrame, lang: str | None = None, names: ExportNames | None = None) -> pl.DataFrame:
    """The canonical long rows as a download shows them. Without a language: the loader's
    canonical format (`indicator, unit, period, value, numerator, denominator`, then
    `respondents` and `flag` when the frame has them), as scripts and the seed files write it.
    With one: the indicator's and the unit's name (from `names`, in that language) beside each
    code, and every header in that language (`indikaattori, indikaattorin nimi, yksikkö, …`)."""
    missing = [c for c in CANONICAL_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"Export needs the columns {', '.join(CANONICAL_COLUMNS)}; missing {', '.join(missing)}")
    columns = [*CANONICAL_COLUMNS, *(c for c in EXTRA_COLUMNS if c in frame.columns)]
    if lang is None:
        return frame.select(columns)
    names = names or ExportNames(lang)
    lookup = {"indicator": names.indicators, "unit": names.units}
    exprs: list[pl.Expr] = []
    for column in columns:
        exprs.append(pl.col(column))
        if column in NAME_COLUMNS:
            exprs.append(pl.col(column).cast(pl.String).replace_strict(lookup[column], default=None,
                                                                        return_dtype=pl.String)
                         .alias(NAME_COLUMNS[column]))
    shown = frame.select(exprs)
    return shown.rename({c: i18n.t(f"export.column.{c}", lang) for c in shown.columns})


def csv_dialect(lang: str | None) -> dict[str, str]:
    """`to_csv`'s separator and decimal mark for a download in `lang`: `;` and `,` for Finnish and
    Swedish Excel (and the canonical format), `,` and `.` for English."""
    return {"separator": ",", "decimal": "."} if lang == "en" else {"separator": ";", "decimal": ","}


def observations_csv(frame: pl.DataFrame, lang: str | None = None, names: ExportNames | None = None) -> bytes:
    """Observations as CSV (`observations_frame`): canonical without a language, else in it."""
    return to_csv(observations_frame(frame, lang, names), **csv_dialect(lang))


def observations_xlsx(frame: pl.DataFrame, lang: str | None = None, names: ExportNames | None = None, *,
                      sheet: str = "data") -> bytes:
    """Observations as an Excel workbook (`observations_frame`): numbers as numbers."""
    return to_xlsx(observations_frame(frame, lang, names), sheet=sheet)
