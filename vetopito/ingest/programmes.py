"""The programme files (issue 13): a development programme's follow-up as seven CSV formats, loaded
in this order (each refers to what the ones before stored), with Finnish, Swedish or English headers
(`programme.column.*`; the English header is the field's name). (Over 400 lines because the
seven formats are read side by side: they share one set of checks of the programme, its parts
and the manager's rights, and the measures' interim targets, which two tables hold.)

| format | one row per | fields (required in bold) |
|---|---|---|
| `programmes` | programme | **programme**, **name**, funder, period_start, period_end, owner, regions, description |
| `programme_goals` | benefit goal | **programme**, **goal**, position, **name** |
| `subprojects` | sub-project | **programme**, **subproject**, **goal**, position, **name**, scope_name, units |
| `programme_measures` | measure | **programme**, **subproject**, **measure**, position, **kind**, **name**, indicator, unit, method, baseline_text, baseline_value, baseline_date, due_date, done_date, output_kind, targets |
| `output_counts` | count of outputs in a period | **programme**, **subproject**, **measure**, **period_start**, **period_end**, **value** |
| `reporting_rounds` | reporting round | **programme**, **round_date**, name |
| `round_entries` | sub-project × round | **programme**, **subproject**, **round_date**, **text**, **author**, written_at |

`regions` and `units` list several names in one cell (semicolons or line breaks); a region
is a wellbeing services county by code, name or short name, a unit any stored unit. `kind` is
`indicator` (needs `indicator` and `unit`: the indicator of the catalogue and the unit it is
followed for), `milestone` (needs `due_date`; `done_date` ticks it) or `output` (needs
`output_kind`, e.g. participants, workshops). `targets` holds the interim targets as `date: value`
items separated by semicolons or line breaks (`31.12.2022: 70; 31.12.2023: 100`); a milestone's
value may be text (`31.12.2022: T3 = 0`). An indicator measure's targets are rows of `target`
(source `programme:<programme>/<sub-project>/<measure>`), the others' rows of `measure_target`.
`text` keeps its line breaks (a quoted multi-line cell, as Excel writes it); a missing `written_at`
keeps the stored one (else the time of the load); a missing `position` is the row's place in the
file within its parent.

Only the programme's managers (`access.Scope.may_edit_programme`; everyone on the command line
without `--as`) may load a programme's files; the programmes file may create a programme. A load
replaces the rows it names and leaves the others; a programme's regions, a sub-project's units and
a measure's targets are replaced as a set."""

from __future__ import annotations

import datetime as dt

import polars as pl

from vetopito import db
from vetopito.ingest.parsing import Context
from vetopito.ingest.problems import no_problems, problems
from vetopito.ingest.programme_format import (
    Child,
    Field,
    FileSpec,
    format_of,
    parse_day,
    remove_rows,
    split_list,
    write_rows,
)
from vetopito.ingest.values import number_expr

MEASURE_KINDS = ("indicator", "milestone", "output")
KIND_NEEDS = {"indicator": ("indicator", "unit"), "milestone": ("due_date",), "output": ("output_kind",)}

PROGRAMME = Field("programme", "id", "programme_id", required=True, synonyms=("hanke", "ohjelman tunnus"))
SUBPROJECT = Field("subproject", "id", "subproject_id", required=True, synonyms=("osaprojekti", "numero"))
MEASURE = Field("measure", "id", "measure_id", required=True, synonyms=("kriteeri", "mittarin tunnus"))
NAME = Field("name", "text", "name", required=True)
POSITION = Field("position", "int", "position")


def _parts(ctx: Context, frame: pl.DataFrame) -> pl.DataFrame:
    ids = frame["programme_id"].drop_nulls().unique().to_list()
    return db.fetch(ctx.con, "load/programme/parts", programme_ids=ids)


def _known(parts: pl.DataFrame, part: str) -> pl.DataFrame:
    return parts.filter(pl.col("part") == part).select("programme_id", "part_id", "kind")


def _programme_problems(frame: pl.DataFrame, ctx: Context, heads: dict[str, str], parts: pl.DataFrame,
                        *, may_create: bool = False) -> list[pl.DataFrame]:
    """A programme the user may not edit, or (`may_create` False) one that is not stored."""
    given = frame.filter(pl.col("programme_id").is_not_null())
    out = []
    if ctx.scope is not None:
        refused = [p for p in given["programme_id"].unique().to_list() if not ctx.scope.may_edit_programme(p)]
        out.append(problems(given.filter(pl.col("programme_id").is_in(refused)), "programme.ingest.error.not_yours",
                            heads["programme"], pl.col("programme_id")))
        given = given.filter(~pl.col("programme_id").is_in(refused))
    if not may_create:
        stored = _known(parts, "programme")["programme_id"].to_list()
        out.append(problems(given.filter(~pl.col("programme_id").is_in(stored)),
                            "programme.ingest.error.unknown_programme", heads["programme"], pl.col("programme_id")))
    return out


def _missing_part(frame: pl.DataFrame, parts: pl.DataFrame, part: str, id_expr: pl.Expr, key: str,
                  column: str, value: pl.Expr, known_programmes: list[str]) -> pl.DataFrame:
    """Rows (of a stored programme) naming a goal, sub-project, measure or round it does not have."""
    known = _known(parts, part).select("programme_id", pl.col("part_id").alias("_part"))
    rows = frame.filter(pl.col("programme_id").is_in(known_programmes)).with_columns(id_expr.alias("_part"))
    rows = rows.filter(pl.col("_part").is_not_null()).join(known, on=["programme_id", "_part"], how="anti")
    return problems(rows, key, column, value)


def _stored_programmes(parts: pl.DataFrame) -> list[str]:
    return _known(parts, "programme")["programme_id"].to_list()


def _resolve_list(frame: pl.DataFrame, ctx: Context, column: str, head: str, *, regions: bool
                  ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Names listed in one cell → stored unit ids (a region must be a wellbeing services county)."""
    names = {n for cell in frame[column].drop_nulls().to_list() for n in cell}
    resolved = {n: ctx.lookup.unit(n) for n in names}
    if regions:
        resolved = {n: u if u is not None and ctx.lookup.unit_kinds.get(u) == "region" else None
                    for n, u in resolved.items()}
    bad = frame.select("_row", pl.col(column).alias("_name")).explode("_name").filter(
        pl.col("_name").is_not_null() & pl.col("_name").replace_strict(resolved, default=None).is_null())
    close = {n: ", ".join(ctx.closest_units(n)) or "–" for n in bad["_name"].unique().to_list()}
    key = "programme.ingest.error.not_a_region" if regions else "ingest.error.unknown_unit"
    errors = problems(bad, key, head, pl.col("_name"), closest=pl.col("_name").replace_strict(close, default="–"))
    ids = frame[column].map_elements(lambda cell: sorted({resolved[n] for n in cell if resolved.get(n)}),
                                     return_dtype=pl.List(pl.String))
    return frame.with_columns(ids.alias(column)), errors


# programmes

def check_programmes(frame, ctx, heads):
    parts = _parts(ctx, frame)
    frame, region_errors = _resolve_list(frame, ctx, "region_ids", heads["regions"], regions=True)
    errors = [*_programme_problems(frame, ctx, heads, parts, may_create=True), region_errors,
              problems(frame.filter(pl.col("period_end") < pl.col("period_start")), "programme.ingest.error.period_order",
                       heads["period_end"], pl.col("raw_period_end"))]
    return frame.with_columns(pl.col("programme_id").alias("id"), pl.lit(False).alias("is_demo")), errors


PROGRAMMES = FileSpec(
    "programmes", "programme",
    (PROGRAMME, NAME, Field("funder", "text", "funder"), Field("period_start", "date", "period_start"),
     Field("period_end", "date", "period_end"), Field("owner", "email", "owner_email"),
     Field("regions", "ids", "region_ids", synonyms=("hyvinvointialueet",)),
     Field("description", "long_text", "description")),
    keys=("id",), detect_fields=frozenset({"programme", "name"}),
    absent_fields=frozenset({"goal", "subproject", "round_date", "measure"}),
    children=(Child("programme_region", "region_ids", "region_id", (("id", "programme_id"),)),),
    check=check_programmes, priority=4, dependents=("programme_goal", "subproject", "programme_measure", "output_count", "reporting_round", "round_entry"),
    table_columns=("name", "funder", "period_start", "period_end", "owner_email", "description", "is_demo"))


# goals

def check_goals(frame, ctx, heads):
    parts = _parts(ctx, frame)
    return frame, _programme_problems(frame, ctx, heads, parts)


GOALS = FileSpec(
    "programme_goals", "programme_goal",
    (PROGRAMME, Field("goal", "id", "goal_id", required=True, synonyms=("hyötytavoite", "nyttomål")), POSITION,
     NAME),
    keys=("programme_id", "goal_id"), detect_fields=frozenset({"programme", "goal", "name"}),
    absent_fields=frozenset({"subproject"}), check=check_goals, priority=3, dependents=("subproject",), order_within=("programme_id",),
    table_columns=("position", "name"))


# sub-projects

def check_subprojects(frame, ctx, heads):
    parts = _parts(ctx, frame)
    frame, unit_errors = _resolve_list(frame, ctx, "unit_ids", heads["units"], regions=False)
    errors = [*_programme_problems(frame, ctx, heads, parts), unit_errors,
              _missing_part(frame, parts, "goal", pl.col("goal_id"), "programme.ingest.error.unknown_goal",
                            heads["goal"], pl.col("goal_id"), _stored_programmes(parts))]
    return frame, errors


SUBPROJECTS = FileSpec(
    "subprojects", "subproject",
    (PROGRAMME, SUBPROJECT, Field("goal", "id", "goal_id", required=True), POSITION, NAME,
     Field("scope_name", "text", "scope_name", synonyms=("kohde", "rajaus")), Field("units", "ids", "unit_ids")),
    keys=("programme_id", "subproject_id"), detect_fields=frozenset({"programme", "subproject", "goal", "name"}),
    absent_fields=frozenset({"measure", "round_date"}),
    children=(Child("subproject_unit", "unit_ids", "unit_id",
                    (("programme_id", "programme_id"), ("subproject_id", "subproject_id"))),),
    check=check_subprojects, priority=3, dependents=("programme_measure", "output_count", "round_entry"), order_within=("programme_id", "goal_id"),
    table_columns=("goal_id", "position", "name", "scope_name"))


# measures and their interim targets

def encode_target(day: dt.date, value: float | None, text: str | None) -> str:
    """One interim target as the plan compares it (and the commit decodes it)."""
    return f"{day.isoformat()}\t{'' if value is None else repr(float(value))}\t{text or ''}"


def decode_target(item: str) -> tuple[dt.date, float | None, str | None]:
    day, value, text = item.split("\t", 2)
    return dt.date.fromisoformat(day), float(value) if value else None, text or None


def parse_targets(cell: str | None) -> tuple[list[str], list[str]]:
    """`31.12.2022: 70; 31.12.2023: 100` → (encoded targets, items that are not `date: value`).
    A value that is a number is the target's value; any other is its text."""
    good, bad = [], []
    for item in split_list(cell.replace("|", ";") if cell else cell):
        day_text, sep, rest = item.partition(":")
        if not sep:
            day_text, sep, rest = item.partition("=")
        day = parse_day(day_text) if sep else None
        rest = rest.strip()
        if day is None or not rest:
            bad.append(item)
            continue
        number = pl.DataFrame({"v": [rest]}).select(number_expr("v")).item()
        good.append(encode_target(day, number, None if number is not None else rest))
    return sorted(good), bad


def _subproject_problems(frame, ctx, heads) -> tuple[pl.DataFrame, list[str], list[pl.DataFrame]]:
    """The parts the file's programmes have, the stored programmes, and the problems of a row of a
    sub-project: a programme the user may not edit or that is not stored, an unknown sub-project."""
    parts = _parts(ctx, frame)
    stored = _stored_programmes(parts)
    errors = [*_programme_problems(frame, ctx, heads, parts),
              _missing_part(frame, parts, "subproject", pl.col("subproject_id"),
                            "programme.ingest.error.unknown_subproject", heads["subproject"], pl.col("subproject_id"),
                            stored)]
    return parts, stored, errors


def check_measures(frame, ctx, heads):
    _, _, errors = _subproject_problems(frame, ctx, heads)
    given = {name: pl.col(f"raw_{name}").fill_null("").str.strip_chars() != "" for name in
             ("indicator", "unit", "due_date", "output_kind")}
    for kind, needed in KIND_NEEDS.items():
        for name in needed:
            rows = frame.filter((pl.col("kind") == kind) & ~given[name])
            errors.append(problems(rows, "programme.ingest.error.kind_needs", heads[name], pl.col(f"raw_{name}"),
                                   kind=pl.lit(kind), needed=pl.lit(heads[name])))
    indicators = {v: ctx.lookup.indicator(v) for v in frame["indicator_id"].drop_nulls().unique().to_list()}
    units = {v: ctx.lookup.unit(v) for v in frame["measure_unit_id"].drop_nulls().unique().to_list()}
    frame = frame.with_columns(
        pl.col("indicator_id").replace_strict(indicators, default=None, return_dtype=pl.String),
        pl.col("measure_unit_id").replace_strict(units, default=None, return_dtype=pl.String))
    bad_ind = frame.filter(given["indicator"] & pl.col("indicator_id").is_null())
    close = {v: ", ".join(ctx.closest_indicators(v)) or "–" for v in bad_ind["raw_indicator"].unique().to_list()}
    errors.append(problems(bad_ind, "ingest.error.unknown_indicator", heads["indicator"], pl.col("raw_indicator"),
                           closest=pl.col("raw_indicator").replace_strict(close, default="–")))
    bad_unit = frame.filter(given["unit"] & pl.col("measure_unit_id").is_null())
    close = {v: ", ".join(ctx.closest_units(v)) or "–" for v in bad_unit["raw_unit"].unique().to_list()}
    errors.append(problems(bad_unit, "ingest.error.unknown_unit", heads["unit"], pl.col("raw_unit"),
                           closest=pl.col("raw_unit").replace_strict(close, default="–")))
    parsed = [parse_targets(cell) for cell in frame["raw_targets"].to_list()]
    frame = frame.with_columns(pl.Series("targets", [p[0] for p in parsed], dtype=pl.List(pl.String)))
    bad_items = pl.DataFrame({"_row": frame["_row"], "_item": [p[1] for p in parsed]},
                             schema={"_row": pl.Int64, "_item": pl.List(pl.String)}).explode("_item").drop_nulls()
    errors.append(problems(bad_items, "programme.ingest.error.bad_target", heads["targets"], pl.col("_item")))
    numeric = frame.filter(pl.col("kind").is_in(["indicator", "output"])).select(
        "_row", pl.col("targets").alias("_item")).explode("_item").drop_nulls()
    textual = numeric.filter(pl.col("_item").str.split("\t").list.get(1) == "")
    errors.append(problems(textual.with_columns(pl.col("_item").str.split("\t").list.get(2)),
                           "programme.ingest.error.target_not_a_number", heads["targets"], pl.col("_item")))
    return frame, errors


def stored_targets(con, rows: pl.DataFrame) -> pl.DataFrame:
    """`old_targets` of each measure of the file, encoded as `parse_targets` encodes the file's."""
    keys = rows.select("programme_id", "subproject_id", "measure_id").unique()
    found = db.fetch(con, "load/programme/measure_targets", programme_ids=keys["programme_id"].to_list())
    encoded = found.select("programme_id", "subproject_id", "measure_id", pl.struct("target_date", "value", "text")
                           .map_elements(lambda r: encode_target(r["target_date"], r["value"], r["text"]),
                                         return_dtype=pl.String).alias("_t"))
    grouped = encoded.group_by("programme_id", "subproject_id", "measure_id").agg(
        pl.col("_t").sort().alias("old_targets"))
    return keys.join(grouped, on=["programme_id", "subproject_id", "measure_id"], how="left").with_columns(
        pl.col("old_targets").fill_null(pl.lit([], pl.List(pl.String))))


def commit_targets(con, changes: pl.DataFrame, load_id: int) -> None:
    """A new or changed measure's targets replace its stored ones (both tables, by the source)."""
    keys = changes.select("programme_id", "subproject_id", "measure_id")
    found = db.fetch(con, "load/programme/measure_targets", programme_ids=keys["programme_id"].unique().to_list())
    found = found.join(keys, on=["programme_id", "subproject_id", "measure_id"], how="semi")
    remove_rows(con, "measure_target", found.filter(pl.col("indicator_id").is_null()), load_id)
    remove_rows(con, "target", found.filter(pl.col("indicator_id").is_not_null()).select(
        "indicator_id", "unit_id", pl.col("target_date").alias("due_date")), load_id)
    items = changes.select("programme_id", "subproject_id", "measure_id", "kind", "indicator_id",
                           "measure_unit_id", "targets").explode("targets").drop_nulls("targets")
    if items.is_empty():
        return
    decoded = [decode_target(t) for t in items["targets"].to_list()]
    items = items.with_columns(pl.Series("target_date", [d[0] for d in decoded], dtype=pl.Date),
                               pl.Series("value", [d[1] for d in decoded], dtype=pl.Float64),
                               pl.Series("text", [d[2] for d in decoded], dtype=pl.String))
    write_rows(con, "measure_target", items.filter(pl.col("kind") != "indicator"), load_id)
    linked_rows = items.filter(pl.col("kind") == "indicator").select(
        "indicator_id", pl.col("measure_unit_id").alias("unit_id"), pl.col("target_date").alias("due_date"),
        pl.col("value").alias("target_value"), pl.col("text").alias("label"),
        pl.format("programme:{}/{}/{}", "programme_id", "subproject_id", "measure_id").alias("source"))
    write_rows(con, "target", linked_rows, load_id)


MEASURES = FileSpec(
    "programme_measures", "programme_measure",
    (PROGRAMME, SUBPROJECT, MEASURE, POSITION,
     Field("kind", "choice", "kind", required=True, choices=MEASURE_KINDS, synonyms=("tyyppi",)), NAME,
     Field("indicator", "text", "indicator_id", synonyms=("tunnusluku",)),
     Field("unit", "text", "measure_unit_id", synonyms=("toimipiste", "alue")),
     Field("method", "text", "method", synonyms=("menetelmä", "tiedonkeruun tapa", "metod")),
     Field("baseline_text", "long_text", "baseline_text", synonyms=("lähtötilanne", "lähtötason arvio")),
     Field("baseline_value", "number", "baseline_value"), Field("baseline_date", "date", "baseline_date"),
     Field("due_date", "date", "due_date", synonyms=("aikataulu", "deadline")),
     Field("done_date", "date", "done_date", synonyms=("toteutunut",)),
     Field("output_kind", "text", "output_kind"),
     Field("targets", "text", "raw_targets_text", synonyms=("tavoitteet",))),
    keys=("programme_id", "subproject_id", "measure_id"),
    detect_fields=frozenset({"programme", "subproject", "measure", "kind"}),
    check=check_measures, priority=2, dependents=("output_count",), order_within=("programme_id", "subproject_id"),
    extra_stored=stored_targets, extra_compared=("targets",), extra_commit=commit_targets,
    extra_tables=("measure_target", "target"), renames=(("measure_unit_id", "unit_id"),),
    table_columns=("position", "kind", "name", "indicator_id", "measure_unit_id", "method", "baseline_text",
                   "baseline_value", "baseline_date", "due_date", "done_date", "output_kind"))


# output counts

def check_output_counts(frame, ctx, heads):
    parts = _parts(ctx, frame)
    stored = _stored_programmes(parts)
    measures = _known(parts, "measure")
    not_output = measures.filter(pl.col("kind") != "output")["part_id"].to_list()
    ident = pl.format("{}|{}", "subproject_id", "measure_id")
    errors = [*_programme_problems(frame, ctx, heads, parts),
              _missing_part(frame, parts, "measure", ident, "programme.ingest.error.unknown_measure",
                            heads["measure"], pl.col("measure_id"), stored),
              problems(frame.filter(pl.col("programme_id").is_in(stored) & ident.is_in(not_output)),
                       "programme.ingest.error.not_output", heads["measure"], pl.col("measure_id")),
              problems(frame.filter(pl.col("period_end") < pl.col("period_start")), "programme.ingest.error.period_order",
                       heads["period_end"], pl.col("raw_period_end"))]
    return frame, errors


OUTPUT_COUNTS = FileSpec(
    "output_counts", "output_count",
    (PROGRAMME, SUBPROJECT, MEASURE, Field("period_start", "period_start", "period_start", required=True),
     Field("period_end", "period_end", "period_end", required=True),
     Field("value", "number", "value", required=True, synonyms=("lukumäärä", "lkm"))),
    keys=("programme_id", "subproject_id", "measure_id", "period_start", "period_end"),
    detect_fields=frozenset({"programme", "subproject", "measure", "period_start", "value"}),
    absent_fields=frozenset({"kind"}), check=check_output_counts, priority=1, table_columns=("value",))


# reporting rounds and their entries

def check_rounds(frame, ctx, heads):
    parts = _parts(ctx, frame)
    return frame, _programme_problems(frame, ctx, heads, parts)


ROUNDS = FileSpec(
    "reporting_rounds", "reporting_round",
    (PROGRAMME, Field("round_date", "date", "round_date", required=True, synonyms=("kierros", "päivä")),
     Field("name", "text", "name")),
    keys=("programme_id", "round_date"), detect_fields=frozenset({"programme", "round_date"}),
    absent_fields=frozenset({"subproject", "text"}), check=check_rounds, priority=2,
    dependents=("round_entry",), table_columns=("name",))


def check_entries(frame, ctx, heads):
    parts, stored, errors = _subproject_problems(frame, ctx, heads)
    errors = [*errors,
              _missing_part(frame, parts, "round", pl.col("round_date").dt.strftime("%Y-%m-%d"),
                            "programme.ingest.error.unknown_round", heads["round_date"], pl.col("raw_round_date"),
                            stored)]
    return frame, errors


def prepare_entries(con, rows: pl.DataFrame) -> pl.DataFrame:
    """A missing `written_at` keeps the stored one, else is the time of the load (to the minute)."""
    stored = db.fetch(con, "load/programme/entry_times", programme_ids=rows["programme_id"].unique().to_list())
    now = dt.datetime.now().replace(second=0, microsecond=0)  # to the minute, as the export writes it
    return rows.join(stored, on=["programme_id", "subproject_id", "round_date"], how="left").with_columns(
        pl.coalesce("written_at", "stored_written_at", pl.lit(now)).alias("written_at")).drop("stored_written_at")


ENTRIES = FileSpec(
    "round_entries", "round_entry",
    (PROGRAMME, SUBPROJECT, Field("round_date", "date", "round_date", required=True, synonyms=("kierros",)),
     Field("text", "long_text", "text", required=True, synonyms=("kuvaus", "toteutus")),
     Field("author", "email", "author_email", required=True), Field("written_at", "timestamp", "written_at")),
    keys=("programme_id", "subproject_id", "round_date"),
    detect_fields=frozenset({"programme", "subproject", "round_date", "text"}), check=check_entries,
    prepare=prepare_entries, priority=1, table_columns=("text", "author_email", "written_at"))

# in priority order (ties in this order): the formats whose headers are a superset of another's first
SPECS = (ENTRIES, OUTPUT_COUNTS, MEASURES, ROUNDS, SUBPROJECTS, GOALS, PROGRAMMES)
FORMATS = tuple(format_of(spec) for spec in SPECS)
ENTRIES_FORMAT, OUTPUT_COUNTS_FORMAT, MEASURES_FORMAT, ROUNDS_FORMAT, SUBPROJECTS_FORMAT, GOALS_FORMAT, \
    PROGRAMMES_FORMAT = FORMATS

__all__ = ["FORMATS", "SPECS", "decode_target", "encode_target", "no_problems", "parse_targets"]
