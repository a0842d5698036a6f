"""The data behind a chart as CSV for Finnish Excel and as XLSX, and the chart as PNG.

CSV for Finnish Excel: `;` between fields, decimal comma, UTF-8 with a BOM (Excel then
reads ä and ö right), CRLF line ends. Numbers keep their full precision, so an exported
observation file reloads through the loader with no changes. Text cells and headers go through
`export.safe.neutralise_cell` (one that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading apostrophe), so a spreadsheet never runs them as formulas; XLSX text is
written as strings, never as formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any

import polars as pl

from vetopito.export.safe import neutralise_cell

BOM = "\ufeff"
CANONICAL_COLUMNS = ("indicator", "unit", "period", "value", "numerator", "denominator")
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
    """An Altair chart as PNG bytes (vl-convert, offline); a container-wide chart gets `width` px."""
    import vl_convert as vlc

    spec = chart.to_dict() if hasattr(chart, "to_dict") else dict(chart)
    if spec.get("width") == "container":
        spec["width"] = width
    return vlc.vegalite_to_png(spec, scale=scale)


def observations_csv(frame: pl.DataFrame) -> bytes:
    """Observations in the canonical long format (`indicator;unit;period;value;numerator;denominator`,
    then `respondents` and `flag` when the frame has them)."""
    missing = [c for c in CANONICAL_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"Export needs the columns {', '.join(CANONICAL_COLUMNS)}; missing {', '.join(missing)}")
    extra = [c for c in ("respondents", "flag") if c in frame.columns]
    return to_csv(frame.select(*CANONICAL_COLUMNS, *extra))
