"""Formula neutralising: the one rule every CSV and XLSX the app or the command line writes goes through.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula (and Excel drops a
leading tab or carriage return and looks again), so a team name, a file name or a cell of an
uploaded file such as `=HYPERLINK("http://x")` would become a live formula in whoever opens the
download. OWASP's advice ("CSV injection"): put an apostrophe before such a text cell; a
spreadsheet shows the text as it is and runs nothing.

Numbers stay numbers: only text is touched, and a text that is a plain negative number
(`-5`, `-3,25`, `-3.25`: what a CSV writes for a number anyway) is left as it is. `-5 kg`,
`-1+1` and `-SUM(1)` are text and get the apostrophe. The loader drops that apostrophe again
where an export is meant to be reloaded (a flag, `ingest/observations.py`), so a reload of an
export changes nothing.
"""

from __future__ import annotations

import re

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# `[0-9]`, not `\d`: the same digits in Python's `re` and in polars' (Rust) regex
PLAIN_NEGATIVE = re.compile(r"-[0-9]+(?:[.,][0-9]+)?")
_STARTS_PATTERN = r"^[=+\-@\t\r]"
_PLAIN_NEGATIVE_PATTERN = r"^-[0-9]+(?:[.,][0-9]+)?$"


def neutralise_cell(text: str) -> str:
    """`=SUM(A1)` → `'=SUM(A1)`: a text cell a spreadsheet would take for a formula; other text
    (and a plain negative number such as `-3,25`) as it is."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NEGATIVE.fullmatch(text):
        return "'" + text
    return text


def neutralise_expr(column: pl.Expr) -> pl.Expr:
    """`neutralise_cell` over a text column, in polars (a million-row changes CSV stays fast)."""
    risky = column.str.contains(_STARTS_PATTERN) & ~column.str.contains(_PLAIN_NEGATIVE_PATTERN)
    return pl.when(risky).then(pl.lit("'") + column).otherwise(column)


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell and header neutralised (`neutralise_cell`); text columns
    only (categorical ones become text), so numbers, dates and booleans keep their types."""
    text_columns = [name for name, dtype in frame.schema.items()
                    if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)]
    if text_columns:
        frame = frame.with_columns(neutralise_expr(pl.col(name).cast(pl.String)).alias(name) for name in text_columns)
    names = {name: neutralise_cell(name) for name in frame.columns}
    return frame.rename({old: new for old, new in names.items() if old != new})
