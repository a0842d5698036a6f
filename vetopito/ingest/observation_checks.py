"""The one validation every observation layout goes through: resolve the indicator, unit and
period of each value, cast its numbers, and find every problem of the file at once."""

from __future__ import annotations

import numpy as np
import polars as pl

from vetopito import db, i18n
from vetopito.ingest import aliases
from vetopito.ingest.parsing import Context, Parsed
from vetopito.ingest.problems import file_problem, no_problems, problems
from vetopito.ingest.read import detect_decimal
from vetopito.ingest.values import (
    DAY_UNITS,
    TOTAL_PERIODS,
    TOTAL_UNITS,
    WHOLE_UNITS,
    is_marker_expr,
    is_total,
    is_week,
    norm,
    number_expr,
    parse_period,
    plausibility_checks,
)

COUNT_UNITS = {"days", "count", "persons", "days_per_person_year", "hours"}
T3_SENTINEL = 182.0
# The six regional state administrative agencies' areas (AVI), used by older THL cubes: not units.
AVI_AREAS = {"etelä-suomi", "lounais-suomi", "itä-suomi", "länsi- ja sisä-suomi", "pohjois-suomi", "lappi",
             "etelä-suomen avi", "lounais-suomen avi", "itä-suomen avi", "länsi- ja sisä-suomen avi",
             "pohjois-suomen avi", "lapin avi"}


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
        mapped = aliases.resolve(ctx, text) if ctx.mapped else None
        if mapped is not None:
            return mapped
        if sotkanet:
            return lookup.sotkanet_indicators.get(text.strip())
        return lookup.indicator(text)

    country = next((u for u, kind in lookup.unit_kinds.items() if kind == "country"), None)

    def resolve_unit(text: str) -> str | None:
        if not sotkanet and country is not None and is_total(text, TOTAL_UNITS):
            return country  # a total row (`Kaikki alueet`): the whole country's figure
        if sotkanet:
            return lookup.sotkanet_units.get(norm(text)) or None
        return ctx.unit(text)

    def resolve_period(text: str):
        period = parse_period(text)
        return None if period is None else f"{period.start.isoformat()}|{period.grain}|{int(period.preliminary)}"

    info = {i: (r["unit"], r["decimals"]) for i, r in lookup.indicator_info.items()}
    aggregates = {i for i, r in lookup.indicator_info.items() if (r.get("aggregation") or "none") != "none"}
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
            pl.col("indicator_id").is_in(sorted(aggregates)).fill_null(False).alias("aggregates"),
            pl.col("indicator_id").rank("dense").cast(pl.Int64).alias("indicator_n")).drop("indicator_unit")

    def units(cells: pl.DataFrame) -> pl.DataFrame:
        cells = _resolved(resolve_unit, "unit_id")(cells).with_columns(
            pl.col("unit_id").rank("dense").cast(pl.Int64).alias("unit_n"),
            pl.Series("unit_total", [not sotkanet and is_total(v, TOTAL_UNITS) for v in cells["unit"].to_list()],
                      dtype=pl.Boolean))
        return cells if allowed is None else cells.with_columns(pl.col("unit_id").is_in(list(allowed)).alias("in_scope"))

    def periods(cells: pl.DataFrame) -> pl.DataFrame:
        texts = cells["period"].to_list()
        cells = _resolved(resolve_period, "period_key")(cells).with_columns(
            # written as a week the year does not have (`2024-W53`): a message of its own
            pl.Series("period_week", [is_week(v) and parse_period(v) is None for v in texts], dtype=pl.Boolean),
            pl.Series("period_total", [is_total(v, TOTAL_PERIODS) for v in texts], dtype=pl.Boolean))
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
    raw, frame = _total_rows(raw, frame, ctx, country)

    # Every check of a row, as (message key, field, predicate, extra fields). One pass over all
    # rows finds the rows any of them flags; the checks, and the names of the closest known units
    # and indicators, then run over those rows only (none, in a clean extract).
    pct = pl.col("unit_is_pct")
    value = pl.col("value_num")
    expected = 100 * pl.col("numerator_num") / pl.col("denominator_num")
    tolerance = pl.max_horizontal(pl.lit(0.05), 0.5 * pl.lit(10.0).pow(-pl.col("decimals").fill_null(1))) + 1e-9
    week = pl.col("period_week").fill_null(False)
    row_checks = [("ingest.error.unknown_period", "period", pl.col("period_start").is_null() & ~week, {}),
                  ("ingest.error.week_period", "period", week, {}),
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
            if not sotkanet:
                ctx.note("ingest.note.map_unknown_indicators", count=len(close))
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


def _total_rows(raw: pl.DataFrame, frame: pl.DataFrame, ctx: Context,
                country: str | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Total rows as THL, StatFin and Excel write them beside the detail rows. A unit total
    (`Kaikki alueet`, `Koko maa`, `Yhteensä`, `Hela landet`, `Whole country`) is the whole
    country's figure where the indicator aggregates over units and the user may load the country;
    otherwise it is skipped. A period total (`Kaikki ajat`) is no period: skipped. Each is counted
    in a note."""
    over_time = frame["period_total"].fill_null(False)
    total_unit = frame["unit_total"].fill_null(False) & ~over_time
    if not over_time.any() and not total_unit.any():
        return raw, frame
    country_ok = country is not None and ctx.allowed(country)
    known = frame["indicator_id"].is_not_null()
    national = total_unit & known & frame["aggregates"].fill_null(False) & country_ok
    skipped_units = total_unit & known & ~national
    if over_time.any():
        ctx.note("ingest.note.total_periods_skipped", count=int(over_time.sum()),
                 names=_names(frame.filter(over_time)["period"]))
    if national.any():
        ctx.note("ingest.note.total_units_national", count=int(national.sum()),
                 names=_names(frame.filter(national)["unit"]))
    if skipped_units.any():
        ctx.note("ingest.note.total_units_skipped", count=int(skipped_units.sum()),
                 names=_names(frame.filter(skipped_units)["unit"]))
    keep = ~(over_time | skipped_units)
    return raw.filter(keep), frame.filter(keep)


def _names(cells: pl.Series) -> str:
    return ", ".join(f'"{c.strip()}"' for c in cells.drop_nulls().unique(maintain_order=True).to_list()[:5])


def _note_days_for_months(clean: pl.DataFrame, ctx: Context) -> None:
    """A note when values are dated to the first of a month (`1.3.2024`) for an indicator whose
    other values, in the file or stored, are monthly: Excel turns `3/2024` into that date. They
    load as dated values (a month is not guessed), and the note says how to write them."""
    first = clean.filter((pl.col("grain") == "day") & (pl.col("period_start").dt.day() == 1))
    if first.is_empty():
        return
    ids = first["indicator_id"].unique().sort().to_list()
    monthly = set(clean.filter(pl.col("grain") == "month")["indicator_id"].unique().to_list())
    monthly |= set(db.fetch(ctx.con, "load/indicators_with_grain", indicator_ids=ids, grain="month")
                   ["indicator_id"].to_list())
    dated = first.filter(pl.col("indicator_id").is_in(sorted(monthly)))
    if not dated.is_empty():
        example = dated["period_start"].min()
        ctx.note("ingest.note.days_for_months", count=dated.height,
                 example=i18n.fmt_date(example, ctx.lang), month=f"{example.month}/{example.year}")
