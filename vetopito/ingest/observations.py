"""Observation files in every layout: canonical long, wide by indicator, wide by period,
Sotkanet and Statistics Finland PxWeb exports. Each layout is turned into one long frame of
raw strings (with the header each cell came from), then resolved and validated together."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl

from vetopito import db, i18n
from vetopito.ingest.core import (
    Context,
    Format,
    Options,
    Parsed,
    blockers_by,
    file_problem,
    no_problems,
    problems,
    register_flavour,
    register_format,
    registered,
    undo_by,
)
from vetopito.ingest.read import Table, detect_decimal
from vetopito.ingest.values import (
    DAY_UNITS,
    WHOLE_UNITS,
    is_marker_expr,
    norm,
    number_expr,
    parse_period,
    plausibility_checks,
    split_period_header,
)

INDICATOR = {"indicator", "indicator_id", "indikaattori", "mittari", "indikator", "mätare", "tunnusluku"}
UNIT = {"unit", "unit_id", "yksikkö", "alue", "region", "område", "enhet", "hyvinvointialue",
        "välfärdsområde", "toimipiste", "organisaatio", "organisation", "organisaatioyksikkö"}
PERIOD = {"period", "ajanjakso", "kausi", "jakso", "vuosi", "year", "år", "kuukausi", "month", "månad",
          "aika", "time", "tid", "kk", "pvm", "date", "päivämäärä", "datum", "quarter", "neljännes",
          "kvartal", "tilastovuosi", "vuosineljännes"}
# A unit or period given in two columns: the finer one names the unit (a station within its region);
# a year with a month or quarter column (`vuosi;kuukausi`, as HR systems write it) is one period.
REGION_COLUMNS = {"alue", "region", "område", "hyvinvointialue", "välfärdsområde"}
ORG_COLUMNS = {"toimipiste", "organisaatio", "organisation", "organisaatioyksikkö"}
YEAR_COLUMNS = {"vuosi", "year", "år", "tilastovuosi"}
MONTH_COLUMNS = {"kuukausi", "month", "månad", "kk"}
QUARTER_COLUMNS = {"quarter", "neljännes", "kvartal", "vuosineljännes"}
VALUE = {"value", "arvo", "värde", "val", "pros", "primary value", "primary.value", "luku", "value_pct"}
NUMERATOR = {"numerator", "osoittaja", "täljare", "absolute value", "absolute.value", "absvalue"}
DENOMINATOR = {"denominator", "nimittäjä", "nämnare"}
RESPONDENTS = {"respondents", "vastaajat", "vastaajia", "vastaajamäärä", "svarande", "n_respondents"}
FLAG = {"flag", "merkintä", "lippu", "status"}
GENDER = {"gender", "sukupuoli", "kön", "sex"}


def _export_headers(field: str) -> set[str]:
    """The header the app's observation exports give `field` in fi, sv and en (`export.column.*`):
    an export in any language reloads. Their name columns (`yksikön nimi`, …) are no field: the
    code beside them is the key, and the loader leaves them alone."""
    return {i18n.t(f"export.column.{field}", lang).lower() for lang in i18n.LANGUAGES}


for _names, _field in ((INDICATOR, "indicator"), (UNIT, "unit"), (PERIOD, "period"), (VALUE, "value"),
                       (NUMERATOR, "numerator"), (DENOMINATOR, "denominator"), (RESPONDENTS, "respondents"),
                       (FLAG, "flag")):
    _names |= _export_headers(_field)

SOTKANET = {"indicator", "region", "year", "gender"}

FIELDS = ("indicator", "unit", "period", "value", "numerator", "denominator", "respondents", "flag")
COUNT_UNITS = {"days", "count", "persons", "days_per_person_year", "hours"}
T3_SENTINEL = 182.0
# The six regional state administrative agencies' areas (AVI), used by older THL cubes: not units.
AVI_AREAS = {"etelä-suomi", "lounais-suomi", "itä-suomi", "länsi- ja sisä-suomi", "pohjois-suomi", "lappi",
             "etelä-suomen avi", "lounais-suomen avi", "itä-suomen avi", "länsi- ja sisä-suomen avi",
             "pohjois-suomen avi", "lapin avi"}


def _find(header: list[str], names: set[str]) -> int | None:
    for index, cell in enumerate(header):
        if cell in names:
            return index
    return None


def _raw_long(table: Table, columns: dict[str, int | None], constants: dict[str, str | None]) -> pl.DataFrame:
    """One row per value: `<field>` strings and `col_<field>` header names, from a long table."""
    exprs = [pl.col("_row")]
    for name in FIELDS:
        index = columns.get(name)
        if index is not None:
            exprs += [pl.col(f"c{index}").alias(name), pl.lit(table.header[index]).alias(f"col_{name}")]
        else:
            exprs += [pl.lit(constants.get(name), dtype=pl.String).alias(name),
                      pl.lit(None, dtype=pl.String).alias(f"col_{name}")]
    return table.frame.select(exprs)


# --- detection -------------------------------------------------------------------------------

def _long_columns(header: list[str]) -> dict[str, int | None]:
    return {"indicator": _find(header, INDICATOR), "unit": _find(header, UNIT),
            "period": _find(header, PERIOD), "value": _find(header, VALUE),
            "numerator": _find(header, NUMERATOR), "denominator": _find(header, DENOMINATOR),
            "respondents": _find(header, RESPONDENTS), "flag": _find(header, FLAG)}


def _repeated_fields(header: list[str]) -> list[list[int]]:
    """The header positions of each field that more than one column names, but for a region
    column beside a station column, and a year column beside a month or quarter column."""
    found = [[i for i, cell in enumerate(header) if cell in names]
             for names in (INDICATOR, UNIT, PERIOD, VALUE, NUMERATOR, DENOMINATOR, RESPONDENTS, FLAG)]
    return [indices for indices in found if len(indices) > 1
            and _finer_unit(header, indices) is None and _split_period(header, indices) is None]


def _finer_unit(header: list[str], indices: list[int]) -> int | None:
    """Of a region column and a station column, the station's position."""
    kinds = [header[i] in REGION_COLUMNS for i in indices]
    org = [i for i in indices if header[i] in ORG_COLUMNS]
    return org[0] if len(indices) == 2 and len(org) == 1 and kinds.count(True) == 1 else None


def _split_period(header: list[str], indices: list[int]) -> tuple[int, int, str] | None:
    """A year column and a month or quarter column: (year position, the other's, `month`|`quarter`)."""
    if len(indices) != 2:
        return None
    years = [i for i in indices if header[i] in YEAR_COLUMNS]
    parts = [(i, "month" if header[i] in MONTH_COLUMNS else "quarter") for i in indices
             if header[i] in MONTH_COLUMNS | QUARTER_COLUMNS]
    return (years[0], *parts[0]) if len(years) == 1 and len(parts) == 1 else None


def _joined_period(table: Table, year: int, part: int, kind: str) -> Table:
    """The table with one more column, the period of a year and a month or quarter column: the
    part as it is when it holds its year (`2024M03`, `3/2024`), else `3/2024`, `Q1/2024` or
    `maaliskuu 2024`; its header is the part's (problems name that column)."""
    y, p = pl.col(f"c{year}").str.strip_chars(), pl.col(f"c{part}").str.strip_chars()
    joined = (pl.when(p.str.contains(r"\d{4}")).then(p)
              .when(p.str.contains(r"^\d{1,2}$")).then(pl.concat_str([pl.lit("Q" if kind == "quarter" else ""), p,
                                                                     pl.lit("/"), y]))
              .when(p.str.contains(r"^[QqKk][1-4]$")).then(pl.concat_str([p, pl.lit("/"), y]))
              .when(p != "").then(pl.concat_str([p, pl.lit(" "), y]))
              .otherwise(pl.lit("")))
    return replace(table, header=[*table.header, table.header[part]],
                   frame=table.frame.with_columns(joined.alias(f"c{len(table.header)}")))


def _is_pxweb(table: Table) -> bool:
    if table.title_lines:
        return True
    sample = table.frame.head(20)
    return any(sample[c].str.contains(r"^(MK\d{2}|HVA\d{2}|SSS) \w").any() for c in sample.columns if c != "_row")


def detect_sotkanet(header, table, options) -> bool:
    return SOTKANET <= set(header) and bool(set(header) & VALUE)


def detect_long(header, table, options: Options) -> bool:
    cols = _long_columns(header)
    has = {k: cols[k] is not None for k in cols}
    value_ok = has["value"] or (_is_pxweb(table) and has["unit"] and has["period"])
    # a value column with a unit or a period column is a long file even when the indicator, unit or
    # period must come from an option (THL's `kk,pros`): parse_long then names the missing option
    return value_ok and (has["unit"] or has["period"] or options.unit is not None
                         or options.period is not None)


def _indicator_columns(header: list[str], table: Table, ctx_lookup) -> dict[int, str]:
    found = {}
    for index, cell in enumerate(table.header):
        indicator = ctx_lookup.indicator(cell) if ctx_lookup is not None else None
        if indicator:
            found[index] = indicator
    return found


def detect_wide_indicator(header, table, options) -> bool:
    cols = _long_columns(header)
    if cols["value"] is not None or cols["indicator"] is not None:
        return False
    others = [i for i, _ in enumerate(header) if i not in (cols["unit"], cols["period"])]
    return ((cols["unit"] is not None or options.unit is not None)
            and (cols["period"] is not None or options.period is not None) and bool(others)
            and not any(split_period_header(table.header[i]) for i in others))


def detect_wide_period(header, table, options) -> bool:
    periods = [i for i, cell in enumerate(table.header) if i > 0 and split_period_header(cell)]
    return len(periods) >= 1 and split_period_header(table.header[0]) is None


# --- parsing: each layout to one raw long frame ---------------------------------------------------

def parse_long(table: Table, ctx: Context) -> Parsed:
    header = [h.lower() for h in table.header]
    cols = _long_columns(header)
    pxweb = _is_pxweb(table)
    region_column = None
    if not pxweb:
        units = [i for i, cell in enumerate(header) if cell in UNIT]
        station = _finer_unit(header, units)
        if station is not None:
            cols["unit"], region_column = station, next(i for i in units if i != station)
        split = _split_period(header, [i for i, cell in enumerate(header) if cell in PERIOD])
        if split is not None:
            table = _joined_period(table, *split)
            cols["period"] = len(table.header) - 1
    constants = {"indicator": ctx.options.indicator, "unit": ctx.options.unit, "period": ctx.options.period}
    if cols["value"] is None:  # PxWeb: the last column holds the figure, its header names it
        cols["value"] = len(header) - 1
        if cols["indicator"] is None and ctx.options.indicator is None:
            constants["indicator"] = table.header[-1]
    if pxweb and cols["indicator"] is None and constants["indicator"] is None:
        constants["indicator"] = table.title_lines[0] if table.title_lines else None
    fmt_name = "pxweb" if pxweb else "observations"
    missing = [file_problem(f"ingest.error.needs_{name}", option=f"--{name}")
               for name in ("indicator", "unit", "period")
               if cols[name] is None and constants[name] is None]
    if not pxweb:  # two columns for one field (`arvo;arvo`, `alue;toimipiste`): which one is meant?
        missing += [file_problem("ingest.error.ambiguous_columns", column=table.header[indices[1]],
                                 columns=", ".join(f'"{table.header[i]}"' for i in indices))
                    for indices in _repeated_fields(header)]
    if missing:
        return Parsed(rows=pl.DataFrame(), errors=pl.concat(missing), layout="long", n_rows=table.frame.height,
                      decimal=detect_decimal(table.frame[f"c{cols['value']}"]), format_name=fmt_name)
    raw = _raw_long(table, cols, constants)
    if cols["indicator"] is None and ctx.options.indicator is None:  # named by a header or title line
        raw = raw.with_columns(pl.lit(table.header[cols["value"]]).alias("col_indicator"))
    parsed = validate(raw, ctx, layout="long")
    parsed.format_name = fmt_name
    if region_column is not None:
        _check_station_regions(table, region_column, parsed, ctx)
    return parsed


def _region_of(unit_id: str | None, ctx: Context) -> str | None:
    seen = set()
    while unit_id is not None and unit_id not in seen and ctx.lookup.unit_kinds.get(unit_id) != "region":
        seen.add(unit_id)
        unit_id = ctx.lookup.unit_parents.get(unit_id)
    return unit_id


def _check_station_regions(table: Table, region_column: int, parsed: Parsed, ctx: Context) -> None:
    """With a region column beside the station column, each station must lie in its row's region:
    a row whose station is elsewhere (a mistyped code) is a problem, not a value for that station."""
    rows = parsed.rows.select("row_number", "unit_id").join(
        table.frame.select(pl.col("_row").alias("row_number"), pl.col(f"c{region_column}").alias("region")),
        on="row_number", how="left")
    named = {cell: ctx.unit(cell) for cell in rows["region"].unique().to_list() if cell}
    stations = {unit: _region_of(unit, ctx) for unit in rows["unit_id"].unique().to_list()}
    region_id = pl.col("region").replace_strict(named, default=None, return_dtype=pl.String)
    station_region = pl.col("unit_id").replace_strict(stations, default=None, return_dtype=pl.String)
    wrong = rows.filter((pl.col("region").fill_null("") != "") & region_id.ne_missing(station_region))
    if wrong.is_empty():
        return
    # a region the user may not load is that (the station is in scope: other rows are refused already)
    outside = region_id.is_not_null() & ~region_id.is_in(list(ctx.scope_units))
    wrong = wrong.rename({"row_number": "_row"})
    found = pl.concat([
        problems(wrong.filter(outside), "ingest.error.out_of_scope", table.header[region_column], "region"),
        problems(wrong.filter(~outside), "ingest.error.station_elsewhere", table.header[region_column], "region",
                 station=pl.col("unit_id")),
    ])
    parsed.errors = pl.concat([parsed.errors, found]) if parsed.errors.height else found
    parsed.rows = parsed.rows.filter(~pl.col("row_number").is_in(wrong["_row"].implode()))


def parse_sotkanet(table: Table, ctx: Context) -> Parsed:
    header = [h.lower() for h in table.header]
    cols = {"indicator": header.index("indicator"), "unit": header.index("region"),
            "period": header.index("year"), "value": _find(header, VALUE),
            "numerator": _find(header, NUMERATOR), "denominator": None, "respondents": None, "flag": None}
    gender = header.index("gender")
    keep = table.frame.filter(pl.col(f"c{gender}").str.to_lowercase() == "total")
    dropped = table.frame.height - keep.height
    if dropped:
        ctx.note("ingest.note.gender_refused", count=dropped)
    problem = _sotkanet_option(keep, f"c{cols['indicator']}", ctx)  # --indicator for a one-indicator export
    if problem is not None:
        return Parsed(rows=pl.DataFrame(), errors=problem, layout="long", n_rows=table.frame.height,
                      format_name="sotkanet")
    sub = replace(table, frame=keep)
    raw = _raw_long(sub, cols, {})
    parsed = validate(raw, ctx, layout="long", sotkanet=True)
    parsed.n_rows = table.frame.height
    parsed.format_name = "sotkanet"
    return parsed


def _sotkanet_option(frame: pl.DataFrame, column: str, ctx: Context) -> pl.DataFrame | None:
    """With `--indicator`, a Sotkanet export of one indicator id is read as that catalogue
    indicator (a note names the mapping); a problem when the option names no catalogue
    indicator or the file holds several Sotkanet ids."""
    option = ctx.options.indicator
    if option is None:
        return None
    indicator = ctx.lookup.indicator(option)
    if indicator is None:
        return file_problem("ingest.error.unknown_option_indicator", column="--indicator", indicator=option,
                            closest=", ".join(ctx.closest_indicators(option)) or "–")
    ids = sorted(v for v in frame[column].str.strip_chars().unique().to_list() if v)
    if len(ids) > 1:
        return file_problem("ingest.error.sotkanet_many_indicators", column="--indicator", indicator=option,
                            count=len(ids), ids=", ".join(ids[:10]))
    info = ctx.lookup.indicator_info.get(indicator, {})
    for sotkanet_id in ids:
        ctx.lookup.sotkanet_indicators[sotkanet_id] = indicator
        ctx.note("ingest.note.sotkanet_mapped", sotkanet=sotkanet_id, indicator=indicator,
                 name=info.get(f"name_{i18n.get_language() if ctx.lang is None else ctx.lang}") or indicator)
    return None


def parse_wide_indicator(table: Table, ctx: Context) -> Parsed:
    header = [h.lower() for h in table.header]
    cols = _long_columns(header)
    frames = []
    for index, name in enumerate(table.header):
        if index in (cols["unit"], cols["period"]):
            continue
        columns = {"unit": cols["unit"], "period": cols["period"], "value": index}
        part = _raw_long(table, columns, {"unit": ctx.options.unit, "period": ctx.options.period,
                                          "indicator": name})
        frames.append(part.with_columns(pl.lit(name).alias("col_indicator")))
    raw = pl.concat(frames)
    parsed = validate(raw, ctx, layout="wide_indicator", skip_empty=True)
    parsed.n_rows = table.frame.height
    parsed.format_name = "observations"
    return parsed


def parse_wide_period(table: Table, ctx: Context) -> Parsed:
    header = [h.lower() for h in table.header]
    unit_index = _find(header, UNIT)
    if unit_index is None:
        unit_index = 0
    indicator_index = _find(header, INDICATOR)
    frames = []
    errors = []
    for index, name in enumerate(table.header):
        split = split_period_header(name) if index not in (unit_index, indicator_index) else None
        if split is None:
            continue
        prefix, _period = split
        indicator = ctx.options.indicator
        if indicator is None and prefix:
            indicator = prefix
        if indicator is None and indicator_index is None:
            errors.append(file_problem("ingest.error.indicator_needed", column=name))
            continue
        if ctx.options.indicator is None and indicator_index is None and ctx.lookup.indicator(indicator) is None:
            errors.append(file_problem("ingest.error.wide_period_unknown_indicator", column=name, indicator=indicator,
                                       closest=", ".join(ctx.closest_indicators(indicator)) or "–"))
            continue  # one error for the file, not one per column
        period_text = name[len(name) - len(name.lstrip()):].strip()[len(prefix):].strip(" -:_")
        columns = {"unit": unit_index, "value": index, "indicator": indicator_index}
        part = _raw_long(table, columns, {"indicator": indicator, "period": period_text})
        frames.append(part.with_columns(pl.lit(name).alias("col_period"),
                                        pl.lit(name).alias("col_indicator")
                                        if indicator_index is None else pl.col("col_indicator")))
    if errors:
        values = pl.concat([table.frame[c] for c in table.frame.columns if c not in ("_row", f"c{unit_index}")])
        return Parsed(rows=pl.DataFrame(), errors=pl.concat(errors[:1]), layout="wide_period",
                      n_rows=table.frame.height, decimal=detect_decimal(values), format_name="observations")
    raw = pl.concat(frames)
    parsed = validate(raw, ctx, layout="wide_period", skip_empty=True)
    parsed.n_rows = table.frame.height
    parsed.format_name = "observations"
    return parsed


# --- resolution and validation -------------------------------------------------------------------

def per_distinct(frame: pl.DataFrame, derivations: dict) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """Columns derived from each distinct cell of some columns, given back to every row (and the
    distinct cells of each column).

    `derivations` maps a column to `derive`, which gets the column's distinct non-null cells (a
    frame of that one column) and returns them with new columns, in the same order. An extract
    repeats its names, periods and values many times over, so the work (Python resolvers, number
    parsing) runs once per distinct cell; the result reaches the rows by the cell's position among
    them (null cells get nulls). Polars finds the distinct cells and the positions of all the
    columns at once, in parallel."""
    columns = list(derivations)
    found = frame.select(pl.col(c).drop_nulls().unique(maintain_order=True).implode() for c in columns).row(0)
    distinct = {c: pl.Series(c, cells, dtype=pl.String) for c, cells in zip(columns, found, strict=True)}
    derived = {c: derive(distinct[c].to_frame()).drop(c) for c, derive in derivations.items()}
    positions = frame.select(
        # a column without cells is all nulls (a literal would make a frame of no rows one row long)
        pl.col(c).cast(pl.Enum(distinct[c])).to_physical() if distinct[c].len() else pl.col(c).cast(pl.UInt32)
        for c in columns)
    gathered = positions.select(pl.lit(derived[c][name]).gather(pl.col(c)).alias(name)
                                for c in columns for name in derived[c].columns)
    return gathered, distinct


def _resolved(resolve, out: str):
    def derive(cells: pl.DataFrame) -> pl.DataFrame:
        column = cells.columns[0]
        return cells.with_columns(pl.Series(out, [resolve(v) for v in cells[column].to_list()], dtype=pl.String))
    return derive


def _number_cells(name: str):
    """Per distinct cell of `name`: `<name>_num` (the number, null when none), `<name>_bad`
    (neither empty, a marker nor a number) and, for the value, `value_marker` (the missing marker
    as written, stripped: it becomes the flag)."""
    def derive(cells: pl.DataFrame) -> pl.DataFrame:
        marker = is_marker_expr(name)
        derived = cells.with_columns(
            number_expr(name).alias(f"{name}_num"),
            pl.when(marker).then(pl.col(name).str.strip_chars()).alias(f"{name}_marker"),
        ).with_columns(
            ((pl.col(name) != "") & pl.col(f"{name}_marker").is_null() & pl.col(f"{name}_num").is_null())
            .alias(f"{name}_bad"))
        return derived if name == "value" else derived.drop(f"{name}_marker")
    return derive


def _has_repeats(keys: pl.Series) -> bool:
    """Whether a non-negative integer key occurs twice: counted in an array as long as the key
    space when that is small (one pass), else by the number of distinct keys."""
    if keys.is_empty():
        return False
    top = int(keys.max())
    if top < 50_000_000:
        return bool((np.bincount(keys.to_numpy(), minlength=1) > 1).any())
    return keys.n_unique() != keys.len()


def validate(raw: pl.DataFrame, ctx: Context, *, layout: str, sotkanet: bool = False,
             skip_empty: bool = False) -> Parsed:
    """Resolve names and periods, cast numbers, and find every problem at once."""
    lookup = ctx.lookup
    n_rows = raw.height if layout == "long" else raw["_row"].n_unique()  # long: one row, one value
    errors = []

    def resolve_indicator(text: str) -> str | None:
        if sotkanet:
            return lookup.sotkanet_indicators.get(text.strip())
        return lookup.indicator(text)

    def resolve_unit(text: str) -> str | None:
        if sotkanet:
            return lookup.sotkanet_units.get(norm(text)) or None
        return ctx.unit(text)

    def resolve_period(text: str):
        period = parse_period(text)
        return None if period is None else f"{period.start.isoformat()}|{period.grain}|{int(period.preliminary)}"

    info = {i: (r["unit"], r["decimals"]) for i, r in lookup.indicator_info.items()}
    allowed = set(ctx.scope.unit_ids) if ctx.scope is not None else None

    def indicators(cells: pl.DataFrame) -> pl.DataFrame:
        cells = _resolved(resolve_indicator, "indicator_id")(cells)
        ids = cells["indicator_id"].to_list()
        unit = pl.col("indicator_unit")
        return cells.with_columns(
            pl.Series("indicator_unit", [info.get(i, (None, None))[0] for i in ids], dtype=pl.String),
            pl.Series("decimals", [info.get(i, (None, None))[1] for i in ids], dtype=pl.Int64),
        ).with_columns(  # what the checks ask of the indicator's unit, as booleans per row
            (unit == "pct").fill_null(False).alias("unit_is_pct"),
            unit.is_in(list(COUNT_UNITS)).fill_null(False).alias("unit_is_count"),
            unit.is_in(list(DAY_UNITS)).fill_null(False).alias("unit_is_days"),
            unit.is_in(list(WHOLE_UNITS)).fill_null(False).alias("unit_is_whole"),
            pl.col("indicator_id").str.starts_with("t3").fill_null(False).alias("is_t3"),
            pl.col("indicator_id").rank("dense").cast(pl.Int64).alias("indicator_n")).drop("indicator_unit")

    def units(cells: pl.DataFrame) -> pl.DataFrame:
        cells = _resolved(resolve_unit, "unit_id")(cells).with_columns(
            pl.col("unit_id").rank("dense").cast(pl.Int64).alias("unit_n"))
        return cells if allowed is None else cells.with_columns(pl.col("unit_id").is_in(list(allowed)).alias("in_scope"))

    def periods(cells: pl.DataFrame) -> pl.DataFrame:
        cells = _resolved(resolve_period, "period_key")(cells)
        parts = pl.col("period_key").str.split("|")
        return cells.with_columns(
            parts.list.get(0, null_on_oob=True).str.to_date().alias("period_start"),
            parts.list.get(1, null_on_oob=True).alias("grain"),
            (parts.list.get(2, null_on_oob=True) == "1").alias("preliminary"),
            # the key's period is its start and grain: `2023M09*` (preliminary) and `2023M09` are one
            pl.col("period_key").str.replace(r"\|[01]$", "").rank("dense").cast(pl.Int64).alias("period_n"),
        ).drop("period_key")

    def flags(cells: pl.DataFrame) -> pl.DataFrame:
        # `'-` / `'=arvio`: the apostrophe a spreadsheet (and our own CSV export) puts before a text
        # that would start like a formula is not part of the flag
        text = pl.col("flag").str.strip_chars()
        text = pl.when(text.str.contains(r"^'[=+\-@]")).then(text.str.slice(1)).otherwise(text)
        return cells.with_columns((text != "").alias("has_flag"), text.alias("flag_text"))

    derived, distinct = per_distinct(raw, {"indicator": indicators, "unit": units, "period": periods, "flag": flags,
                                           **{name: _number_cells(name)
                                              for name in ("value", "numerator", "denominator", "respondents")}})
    decimal = detect_decimal(pl.concat([distinct[c] for c in ("value", "numerator", "denominator")]))
    frame = pl.concat([raw, derived], how="horizontal").with_columns(
        pl.col("has_flag").fill_null(False), pl.col("value_marker").is_not_null().alias("value_is_marker"))
    filled = raw.select(pl.col("value").fill_null("") != "").to_series()
    if not filled.all():  # a row without a value is no observation (wide layouts: a blank cell)
        if skip_empty:
            ctx.note("ingest.note.blank_cells", count=int((~filled).sum()))
        raw, frame = raw.filter(filled), frame.filter(filled)

    # Every check of a row, as (message key, field, predicate, extra fields). One pass over all
    # rows finds the rows any of them flags; the checks, and the names of the closest known units
    # and indicators, then run over those rows only (none, in a clean extract).
    pct = pl.col("unit_is_pct")
    value = pl.col("value_num")
    expected = 100 * pl.col("numerator_num") / pl.col("denominator_num")
    tolerance = pl.max_horizontal(pl.lit(0.05), 0.5 * pl.lit(10.0).pow(-pl.col("decimals").fill_null(1))) + 1e-9
    row_checks = [("ingest.error.unknown_period", "period", pl.col("period_start").is_null(), {}),
                  ("ingest.error.not_a_number", "value", pl.col("value_bad"), {})]
    for name in ("numerator", "denominator", "respondents"):
        row_checks += [("ingest.error.not_a_number", name, pl.col(f"{name}_bad"), {}),
                       ("ingest.error.negative_count", name, pl.col(f"{name}_num") < 0, {})]
    row_checks += [
        ("ingest.error.pct_range", "value", pct & ((value < 0) | (value > 100)), {}),
        ("ingest.error.negative", "value", pl.col("unit_is_count") & (value < 0), {}),
        *((key, name, bad, {}) for key, name, bad in plausibility_checks()),  # values.py
        ("ingest.error.numerator_over", "numerator", pl.col("numerator_num") > pl.col("denominator_num"),
         {"denominator": pl.col("denominator")}),
        ("ingest.error.value_contradicts", "value",
         pct & (pl.col("denominator_num") > 0) & value.is_not_null()
         & (pl.col("numerator_num") <= pl.col("denominator_num")) & ((value - expected).abs() > tolerance),
         {"expected": expected.round(2)}),
    ]
    names_unknown = pl.col("indicator_id").is_null() | pl.col("unit_id").is_null()
    if ctx.scope is not None:
        names_unknown = names_unknown | (pl.col("unit_id").is_not_null() & ~pl.col("in_scope"))
    flagged = frame.select(pl.any_horizontal(names_unknown, *(check for _, _, check, _ in row_checks))
                           .fill_null(False)).to_series()
    suspect = frame.filter(flagged) if flagged.any() else frame.head(0)

    # names
    bad_ind = suspect.filter(pl.col("indicator_id").is_null())
    if bad_ind.height:
        if bad_ind["col_indicator"].null_count() == bad_ind.height:
            bad_ind = bad_ind.with_columns(pl.lit("--indicator").alias("col_indicator"))
        if sotkanet:
            known = ", ".join(sorted(lookup.sotkanet_indicators, key=lambda v: int(v) if v.isdigit() else 0)) or "–"
            errors.append(problems(bad_ind, "ingest.error.unknown_sotkanet_indicator", pl.col("col_indicator"),
                                   pl.col("indicator"), known=pl.lit(known)))
        else:
            close = {v: ", ".join(ctx.closest_indicators(v)) or "–"
                     for v in bad_ind["indicator"].unique().to_list() if v is not None}
            errors.append(problems(bad_ind, "ingest.error.unknown_indicator", pl.col("col_indicator"),
                                   pl.col("indicator"),
                                   closest=pl.col("indicator").replace_strict(close, default="–")))
    bad_unit = suspect.filter(pl.col("unit_id").is_null())
    if bad_unit.height:
        bad_unit = bad_unit.with_columns(pl.col("col_unit").fill_null("--unit"))
        if sotkanet:
            ids = sorted(int(v) for v, u in lookup.sotkanet_units.items()
                         if v.isdigit() and lookup.unit_kinds.get(u) == "region")
            known = f"{ids[0]}–{ids[-1]}" if ids else "–"
            errors.append(problems(bad_unit, "ingest.error.unknown_sotkanet_region", pl.col("col_unit"),
                                   pl.col("unit"), known=pl.lit(known)))
        else:
            close = {v: ", ".join(ctx.closest_units(v)) or "–" for v in bad_unit["unit"].unique().to_list()
                     if v is not None}
            avi = bad_unit["unit"].map_elements(lambda v: norm(v) in AVI_AREAS, return_dtype=pl.Boolean) \
                | (bad_unit["col_unit"].str.to_lowercase() == "avi")
            mk = bad_unit["unit"].fill_null("").str.contains(r"(?i)^\s*MK\d{2}\b")  # a province (maakunta)
            for key, part in (("ingest.error.avi_area", bad_unit.filter(avi)),
                              ("ingest.error.maakunta", bad_unit.filter(~avi & mk)),
                              ("ingest.error.unknown_unit", bad_unit.filter(~avi & ~mk))):
                errors.append(problems(part, key, pl.col("col_unit"), pl.col("unit"),
                                       closest=pl.col("unit").replace_strict(close, default="–")))
    if ctx.scope is not None:
        outside = suspect.filter(pl.col("unit_id").is_not_null() & ~pl.col("in_scope"))
        errors.append(problems(outside.with_columns(pl.col("col_unit").fill_null("--unit")),
                               "ingest.error.out_of_scope", pl.col("col_unit"), pl.col("unit")))

    # periods and numbers
    for key, name, check, fields in row_checks:
        errors.append(problems(suspect.filter(check), key, pl.col(f"col_{name}").fill_null(f"--{name}"),
                               pl.col(name), **fields))

    # duplicates (after resolution, so `HVA15` and `Keski-Suomi` are the same key): each resolved
    # indicator, unit and period numbered densely, the three numbers folded into one integer
    key = ["indicator_n", "unit_n", "period_n"]
    keyed = frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key)) \
        if any(frame[k].null_count() for k in key) else frame
    width_u, width_p = int(keyed["unit_n"].max() or 0) + 1, int(keyed["period_n"].max() or 0) + 1
    folded = keyed.select((pl.col("indicator_n") * width_u + pl.col("unit_n")) * width_p + pl.col("period_n"))
    if not _has_repeats(folded.to_series()):
        dupes = keyed.head(0)
    else:
        keyed = keyed.with_columns(pl.col("_row").min().over(key).alias("first_row"))
        dupes = keyed.filter(pl.col("_row") != pl.col("first_row"))
    errors.append(problems(dupes, "ingest.error.duplicate", pl.col("col_value"), pl.col("value"),
                           first=pl.col("first_row")))

    all_errors = pl.concat([e for e in errors if e.height] or [no_problems()])
    bad_rows = all_errors["row"].drop_nulls().unique()
    clean = frame.filter(~pl.col("_row").is_in(bad_rows.implode())) if bad_rows.len() else frame
    t3 = pl.col("is_t3") & (pl.col("value_num") == T3_SENTINEL)
    clean = clean.select(
        "indicator_id", "unit_id", "period_start", "grain",
        pl.col("value_num").alias("value"),
        pl.col("numerator_num").alias("numerator"),
        pl.col("denominator_num").alias("denominator"),
        pl.col("respondents_num").round(0).cast(pl.Int32).alias("respondents"),
        pl.when(pl.col("value_is_marker")).then(pl.col("value_marker"))
        .when(pl.col("has_flag")).then(pl.col("flag_text"))
        .when(t3).then(pl.lit("no_free_slot"))
        .when(pl.col("preliminary")).then(pl.lit("preliminary"))
        .otherwise(None).alias("flag"),
        pl.col("_row").alias("row_number"),
    )
    if raw.height == 0 and not all_errors.height:
        all_errors = file_problem("ingest.error.no_rows")
    _note_days_for_months(clean, ctx)
    return Parsed(rows=clean, errors=all_errors, layout=layout, n_rows=n_rows, decimal=decimal)


def _note_days_for_months(clean: pl.DataFrame, ctx: Context) -> None:
    """A note when values are dated to the first of a month (`1.3.2024`) for an indicator whose
    other values, in the file or stored, are monthly: Excel turns `3/2024` into that date. They
    load as dated values (a month is not guessed), and the note says how to write them."""
    first = clean.filter((pl.col("grain") == "day") & (pl.col("period_start").dt.day() == 1))
    if first.is_empty():
        return
    ids = first["indicator_id"].unique().sort().to_list()
    monthly = set(clean.filter(pl.col("grain") == "month")["indicator_id"].unique().to_list())
    monthly |= set(db.fetch(ctx.con, "ingest__indicators_with_grain", indicator_ids=ids, grain="month")
                   ["indicator_id"].to_list())
    dated = first.filter(pl.col("indicator_id").is_in(sorted(monthly)))
    if not dated.is_empty():
        example = dated["period_start"].min()
        ctx.note("ingest.note.days_for_months", count=dated.height,
                 example=i18n.fmt_date(example, ctx.lang), month=f"{example.month}/{example.year}")


# --- plan, commit, undo ---------------------------------------------------------------------------

OBSERVATION_KEY = ["indicator_id", "unit_id", "period_start", "grain"]
COMPARED = ("value", "numerator", "denominator", "respondents", "flag")


def plan_observations(con, rows: pl.DataFrame) -> pl.DataFrame:
    """The rows beside their stored state, with `status` new | changed | unchanged, in row order.
    DuckDB returns the stored rows within the file's indicators, units and periods (none on a
    first load); the comparison runs here, on the frame already in memory."""
    box = rows.select(pl.col("indicator_id").unique().implode(), pl.col("unit_id").unique().implode(),
                      pl.col("period_start").min().alias("first"), pl.col("period_start").max().alias("last"))
    stored = db.fetch(con, "ingest__observation_stored_within", indicator_ids=box["indicator_id"][0].to_list(),
                      unit_ids=box["unit_id"][0].to_list(), first=box["first"][0], last=box["last"][0])
    if stored.is_empty():  # a first load: every row is new, nothing to join
        old = {name: dtype for name, dtype in stored.schema.items() if name not in OBSERVATION_KEY}
        plan = rows.with_columns(pl.lit(None, dtype=dtype).alias(name) for name, dtype in old.items())
        plan = plan.with_columns(pl.lit(False).alias("is_stored"), pl.lit("new").alias("status"))
    else:
        plan = rows.join(stored, on=OBSERVATION_KEY, how="left", maintain_order="left")
        plan = plan.with_columns(pl.col("is_stored").fill_null(False))
        same = pl.all_horizontal(pl.col(c).eq_missing(pl.col(f"old_{c}")) for c in COMPARED)
        status = (pl.when(~pl.col("is_stored")).then(pl.lit("new"))
                  .when(same).then(pl.lit("unchanged")).otherwise(pl.lit("changed")))
        plan = plan.with_columns(status.alias("status"))
    if not plan["row_number"].is_sorted():  # wide layouts: several values per row, column by column
        plan = plan.sort("row_number", maintain_order=True)
    return plan


def commit_observations(con, plan: pl.DataFrame, load_id: int) -> None:
    # changed rows keep their stored state and are updated in place; new rows (the bulk of a large
    # first load) go in with a plain insert
    changed = plan.filter(pl.col("status") == "changed")
    if not changed.is_empty():
        with registered(con, "incoming_changes", changed):
            db.execute(con, "ingest__save_observation_history", load_id=load_id)
            db.execute(con, "ingest__update_changed_observations", load_id=load_id)
    every_row_new = plan.select((pl.col("status") == "new").all()).item()
    new = (plan if every_row_new else plan.filter(pl.col("status") == "new")).select(*OBSERVATION_KEY, *COMPARED)
    if not new.is_empty():
        with registered(con, "incoming_new", new):
            db.execute(con, "ingest__insert_new_observations", load_id=load_id)


def _obs_format(name, detect, parse, priority) -> Format:
    return Format(name=name, detect=detect, parse=parse, plan=plan_observations, commit=commit_observations,
                  undo=undo_by("ingest__observation_undo_counts", "ingest__delete_observations_of_load",
                                "ingest__restore_observation_history", "ingest__drop_observation_history"),
                  blockers=blockers_by("ingest__observation_undo_blockers"), priority=priority)


register_format(_obs_format("sotkanet", detect_sotkanet, parse_sotkanet, 10))
register_format(_obs_format("observations", detect_long, parse_long, 50))
register_format(_obs_format("observations_wide_indicator", detect_wide_indicator, parse_wide_indicator, 60))
register_format(_obs_format("observations_wide_period", detect_wide_period, parse_wide_period, 70))
register_flavour("pxweb", "observations")
