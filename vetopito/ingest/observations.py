"""Observation files in every layout: canonical long, wide by indicator, wide by period,
(Over 400 lines because the five layouts share one resolve-and-validate path, kept side by side.)
Sotkanet and Statistics Finland PxWeb exports. Each layout is turned into one long frame of
raw strings (with the header each cell came from), then resolved and validated together."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from vetopito import db, i18n
from vetopito.ingest import history
from vetopito.ingest.headers import (
    DENOMINATOR,
    FIELDS,
    FLAG,
    INDICATOR,
    MONTH_COLUMNS,
    NUMERATOR,
    ORG_COLUMNS,
    PERIOD,
    QUARTER_COLUMNS,
    REGION_COLUMNS,
    RESPONDENTS,
    SOTKANET,
    UNIT,
    VALUE,
    WEEK_COLUMNS,
    YEAR_COLUMNS,
    find,
    folded,
    note_ignored,
)
from vetopito.ingest.history import blockers_by
from vetopito.ingest.observation_checks import validate
from vetopito.ingest.parsing import Context, Format, Parsed, registered
from vetopito.ingest.problems import file_problem, problems
from vetopito.ingest.read import Table, detect_decimal
from vetopito.ingest.result import Options
from vetopito.ingest.values import norm, split_period_header


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


def _long_columns(header: list[str]) -> dict[str, int | None]:
    return {"indicator": find(header, INDICATOR), "unit": find(header, UNIT),
            "period": find(header, PERIOD), "value": find(header, VALUE),
            "numerator": find(header, NUMERATOR), "denominator": find(header, DENOMINATOR),
            "respondents": find(header, RESPONDENTS), "flag": find(header, FLAG)}


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
    """A year column and a month, quarter or week column: (year position, the other's,
    `month`|`quarter`|`week`)."""
    if len(indices) != 2:
        return None
    years = [i for i in indices if header[i] in YEAR_COLUMNS]
    parts = [(i, "month" if header[i] in MONTH_COLUMNS else "week" if header[i] in WEEK_COLUMNS else "quarter")
             for i in indices if header[i] in MONTH_COLUMNS | QUARTER_COLUMNS | WEEK_COLUMNS]
    return (years[0], *parts[0]) if len(years) == 1 and len(parts) == 1 else None


def _joined_period(table: Table, year: int, part: int, kind: str) -> Table:
    """The table with one more column, the period of a year and a month, quarter or week column:
    the part as it is when it holds its year (`2024M03`, `3/2024`), else `3/2024`, `Q1/2024`,
    `vk 5/2024` or `maaliskuu 2024`; its header is the part's (problems name that column)."""
    y, p = pl.col(f"c{year}").str.strip_chars(), pl.col(f"c{part}").str.strip_chars()
    joined = (pl.when(p.str.contains(r"\d{4}")).then(p)
              .when(p.str.contains(r"^\d{1,2}$")).then(pl.concat_str([pl.lit({"quarter": "Q", "week": "vk "}.get(kind, "")), p,
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
    header = folded(header)
    return SOTKANET <= set(header) and bool(set(header) & VALUE)


def detect_long(header, table, options: Options) -> bool:
    header = folded(header)
    cols = _long_columns(header)
    has = {k: cols[k] is not None for k in cols}
    value_ok = has["value"] or (_is_pxweb(table) and has["unit"] and has["period"])
    # a value column with a unit or a period column is a long file even when the indicator, unit or
    # period must come from an option (THL's `kk,pros`): parse_long then names the missing option
    return value_ok and (has["unit"] or has["period"] or options.unit is not None
                         or options.period is not None)


def detect_wide_indicator(header, table, options) -> bool:
    header = folded(header)
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


# Each layout is parsed to one raw long frame.

def parse_long(table: Table, ctx: Context) -> Parsed:
    header = folded(table.header)
    cols = _long_columns(header)
    pxweb = _is_pxweb(table)
    region_column = None
    split = None
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
    used = {*cols.values(), region_column}
    if split is not None:
        used |= {split[0], split[1]}
    note_ignored(table, used, ctx)
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
    header = folded(table.header)
    cols = {"indicator": header.index("indicator"), "unit": header.index("region"),
            "period": header.index("year"), "value": find(header, VALUE),
            "numerator": find(header, NUMERATOR), "denominator": None, "respondents": None, "flag": None}
    gender = header.index("gender")
    keep = table.frame.filter(pl.col(f"c{gender}").str.to_lowercase() == "total")
    dropped = table.frame.height - keep.height
    if dropped:
        ctx.note("ingest.note.gender_refused", count=dropped)
    problem = _sotkanet_option(keep, f"c{cols['indicator']}", ctx)  # --indicator for a one-indicator export
    if problem is not None:
        return Parsed(rows=pl.DataFrame(), errors=problem, layout="long", n_rows=table.frame.height,
                      format_name="sotkanet")
    note_ignored(table, {*cols.values(), gender}, ctx)
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
    header = folded(table.header)
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
    header = folded(table.header)
    unit_index = find(header, UNIT)
    if unit_index is None:
        unit_index = 0
    indicator_index = find(header, INDICATOR)
    frames = []
    errors = []
    used = {unit_index, indicator_index}
    for index, name in enumerate(table.header):
        split = split_period_header(name) if index not in (unit_index, indicator_index) else None
        if split is None:
            continue
        used.add(index)
        prefix, _period = split
        indicator = ctx.options.indicator
        if indicator is None and prefix:
            indicator = prefix
        if indicator is None and indicator_index is None:
            errors.append(file_problem("ingest.error.indicator_needed", column=name))
            continue
        if ctx.options.indicator is None and indicator_index is None and ctx.lookup.indicator(indicator) is None \
                and norm(indicator) not in ctx.mapped:  # a name the user mapped (`ingest.aliases`) is known
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
    note_ignored(table, used, ctx)
    raw = pl.concat(frames)
    parsed = validate(raw, ctx, layout="wide_period", skip_empty=True)
    parsed.n_rows = table.frame.height
    parsed.format_name = "observations"
    return parsed


OBSERVATION_KEY = ["indicator_id", "unit_id", "period_start", "grain"]
COMPARED = ("value", "numerator", "denominator", "respondents", "flag")


def plan_observations(con, rows: pl.DataFrame) -> pl.DataFrame:
    """The rows beside their stored state, with `status` new | changed | unchanged, in row order.
    DuckDB returns the stored rows within the file's indicators, units and periods (none on a
    first load); the comparison runs here, on the frame already in memory."""
    box = rows.select(pl.col("indicator_id").unique().implode(), pl.col("unit_id").unique().implode(),
                      pl.col("period_start").min().alias("first"), pl.col("period_start").max().alias("last"))
    stored = db.fetch(con, "load/observation_stored_within", indicator_ids=box["indicator_id"][0].to_list(),
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
        history.save(con, "observation", load_id, changed)
        with registered(con, "incoming_changes", changed):
            db.execute(con, "load/update_changed_observations", load_id=load_id)
    every_row_new = plan.select((pl.col("status") == "new").all()).item()
    new = (plan if every_row_new else plan.filter(pl.col("status") == "new")).select(*OBSERVATION_KEY, *COMPARED)
    if not new.is_empty():
        with registered(con, "incoming_new", new):
            db.execute(con, "load/insert_new_observations", load_id=load_id)


# the aliases a load saved go with it (`ingest.aliases`); the undo counts values only
OBSERVATION_UNDO = history.Undo(("observation", "indicator_alias"), counted=("observation",))


def _obs_format(name, detect, parse, priority) -> Format:
    return Format(name=name, detect=detect, parse=parse, plan=plan_observations, commit=commit_observations,
                  undo=OBSERVATION_UNDO.undo,
                  blockers=blockers_by("load/observation_undo_blockers"), priority=priority,
                  learns_aliases=True)


SOTKANET_FILE = _obs_format("sotkanet", detect_sotkanet, parse_sotkanet, 10)
LONG = _obs_format("observations", detect_long, parse_long, 50)  # also PxWeb exports (format `pxweb`)
WIDE_INDICATOR = _obs_format("observations_wide_indicator", detect_wide_indicator, parse_wide_indicator, 60)
WIDE_PERIOD = _obs_format("observations_wide_period", detect_wide_period, parse_wide_period, 70)
