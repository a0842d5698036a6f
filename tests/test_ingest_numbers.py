"""How a number cell reads (`values.number_expr`): either decimal mark per cell, thousands grouped
by spaces, and a point or comma read as grouping only where it cannot be the decimal mark."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vetopito.ingest.values import number_expr


def _read(*cells: str) -> list[float | None]:
    return pl.DataFrame({"v": list(cells)}, schema={"v": pl.String}).select(number_expr("v"))["v"].to_list()


@pytest.mark.parametrize(("cell", "expected"), [
    ("83.193", 83.193),          # three decimals with a point (THL, Sotkanet): not 83 193
    ("2,650", 2.65),             # three decimals with a comma (Finnish Excel)
    ("74,29 %", 74.29),
    ("3.36 %", 3.36),
    ("4 315", 4315.0),
    ("4\u00a0315,5", 4315.5),
    ("1 234 567", 1234567.0),
    ("1.234,5", 1234.5),         # grouped by points beside a decimal comma
    ("1,234.5", 1234.5),         # grouped by commas beside a decimal point
    ("1.234.567", 1234567.0),    # a repeated point can only group
    ("1,234,567", 1234567.0),
    ("1.234.567,25", 1234567.25),
    ("\u22125,5", -5.5),
    ("-0.125", -0.125),
    ("182", 182.0),
    ("12.5.2024", None),
    ("1,2,3", None),
    ("..", None),
    ("", None),
])
def test_number_cells(cell, expected):
    assert _read(cell) == [expected]


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 3)))
def test_a_number_reads_back_with_either_decimal_mark(number):
    point = repr(number)
    comma = point.replace(".", ",")
    for read in _read(point, comma):
        assert read is not None and math.isclose(read, number, rel_tol=0, abs_tol=1e-9), (point, read)
