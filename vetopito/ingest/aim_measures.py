"""A team's own measure defined in its aims file (issue 11 item 2): an aims row whose `indicator`
the catalogue does not know, with the measure's name, unit and direction beside it, creates that
team's own indicator in the same load, as the team page's form would (`catalogue_form.
team_measure_csv`: scope that team, id the row's `indicator` when it is an id, else made of the
team and the name; the development theme; not aggregated; the team as its source).

The row goes through the indicators format's own checks (`indicators.parse_indicators`) with the
loader's scope, so a coach defines a measure only for their own team, and each problem names the
aims file's row and column. The load writes the indicator rows as an indicators load does, so
undoing the aims load removes the measure with its baseline and aim."""

from __future__ import annotations

import polars as pl

from vetopito.ingest import catalogue_form, indicators
from vetopito.ingest.parsing import Context
from vetopito.ingest.read import Table

# the aims file's columns of a new measure (`teams.ALIASES`) → the indicators format's columns
MEASURE_FIELDS = ("measure_name", "measure_name_sv", "measure_name_en", "unit", "direction", "decimals")
_AS_INDICATOR = {"measure_name": "name_fi", "measure_name_sv": "name_sv", "measure_name_en": "name_en",
                 "unit": "unit", "direction": "direction", "decimals": "decimals"}
DEFAULT_DECIMALS = "1"  # as the catalogue form starts

# the columns a created measure's indicator row carries in the aims plan, `ind_` before each
CARRIED = (*indicators.COLUMNS, "name_sv_given", "name_en_given")


def wants_measure(work: pl.DataFrame) -> pl.Expr:
    """Rows that define a new measure: an `indicator` the catalogue does not know, with any of the
    measure's columns filled in (a row without them keeps its "unknown indicator" problem)."""
    given = pl.any_horizontal(*(pl.col(f).is_not_null() for f in MEASURE_FIELDS))
    return pl.col("indicator").is_not_null() & pl.col("indicator_id").is_null() & given


def new_measures(work: pl.DataFrame, table: Table, ctx: Context, header_of) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The indicator rows of the new measures `work`'s rows define (`row_number`, `ind_<column>`
    of `CARRIED`) and their problems (the aims file's row and column names: `header_of(field)`)."""
    rows = work.filter(wants_measure(work) & pl.col("team_id").is_not_null())
    empty = pl.DataFrame(schema={"row_number": pl.Int64, **{f"ind_{c}": pl.String for c in indicators.COLUMNS},
                                 "ind_name_sv_given": pl.Boolean, "ind_name_en_given": pl.Boolean})
    if rows.is_empty():
        return empty, pl.DataFrame()
    records = []
    for row in rows.iter_rows(named=True):
        written = row["indicator"]
        as_id = written if indicators.ID_PATTERN.fullmatch(written) else None
        values = {_AS_INDICATOR[f]: row[f] for f in MEASURE_FIELDS}
        values["name_fi"] = values["name_fi"] or (None if as_id else written)
        values["decimals"] = values["decimals"] or DEFAULT_DECIMALS
        values["id"] = as_id
        csv = pl.read_csv(catalogue_form.team_measure_csv(row["team_id"], values), infer_schema=False)
        records.append({"_row": row["_row"], **csv.row(0, named=True)})
    frame = pl.DataFrame(records, schema={"_row": pl.Int64, **{c: pl.String for c in indicators.COLUMNS}})
    synthetic = Table(header=list(indicators.COLUMNS),
                      frame=frame.select(*(pl.col(c).alias(f"c{i}") for i, c in enumerate(indicators.COLUMNS)),
                                         pl.col("_row")),
                      header_row=table.header_row, title_lines=[], encoding=table.encoding,
                      delimiter=table.delimiter, size_bytes=0, sha256="")
    parsed = indicators.parse_indicators(synthetic, ctx)
    heads = {column: header_of(field) for field, column in _AS_INDICATOR.items()}
    # what the row did not write (id, theme, source, …) is said of its `indicator` cell
    errors = parsed.errors.with_columns(
        pl.col("column").replace_strict(heads, default=header_of("indicator"), return_dtype=pl.String))
    created = parsed.rows.select(pl.col("row_number"), *(pl.col(c).alias(f"ind_{c}") for c in CARRIED))
    return created, errors


def indicator_plan(con, plan: pl.DataFrame) -> pl.DataFrame:
    """The indicators format's plan of the aims plan's created measures (`ind_` columns)."""
    rows = plan.filter(pl.col("ind_id").is_not_null())
    own = rows.select(*(pl.col(f"ind_{c}").alias(c) for c in CARRIED), "row_number")
    return indicators.plan_indicators(con, own)
