"""The machinery the programme formats share (`ingest/programmes.py`): a file described once as
`FileSpec` (its fields, with Finnish, Swedish and English headers, the table and key they write,
the set-valued children of a row) becomes a `Format` whose parse checks every cell with the
loader's row/column/value/expected problems, whose plan compares each row (and its children)
with what is stored, and whose commit is a keyed write without keys in the schema (DuckLake has
none): `history.save` keeps the stored rows, `history/delete_keys` removes them and
`history/insert_rows` writes the file's, every row carrying its load. Undo is `history.Undo` of
the tables written; a later load that replaced a row this one wrote blocks it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from vetopito import db, i18n
from vetopito.access.grants import PROGRAMME_ID_PATTERN
from vetopito.ingest import history
from vetopito.ingest.parsing import Context, Format, Parsed, registered
from vetopito.ingest.problems import no_problems, problems
from vetopito.ingest.read import Table
from vetopito.ingest.values import fold, number_expr, parse_period

ID_PATTERN = f"^{PROGRAMME_ID_PATTERN}$"
EMAIL_PATTERN = r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$"
# items of a list in one cell: semicolons, bars or line breaks (a unit's name may hold a comma)
LIST_SPLIT = r"\s*[;\n|]\s*"


@dataclass(frozen=True)
class Field:
    """One column of a programme file: `name` is its English header (and `programme.column.<name>`
    its header in each language), `column` the rows frame's column it fills.

    kinds: `id`, `text`, `long_text` (line breaks kept, as Excel writes them in quotes), `date` (a
    day), `period_start` / `period_end` (a day, or a year, quarter or month meaning its first or
    last day), `number`, `int`, `choice`, `email`, `timestamp`, `ids` (a list in one cell,
    separated by commas, semicolons or line breaks), `targets` (interim targets, see
    `programmes.parse_targets`)."""

    name: str
    kind: str
    column: str
    required: bool = False
    choices: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Child:
    """Rows of another table a row owns as a set: `list_column` of the rows frame holds the
    children's `element` values (sorted); `parent_keys` maps the row's key columns to the child's."""

    table: str
    list_column: str
    element: str
    parent_keys: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FileSpec:
    name: str
    table: str
    fields: tuple[Field, ...]
    keys: tuple[str, ...]  # columns of the rows frame that are the table's keys (same names)
    detect_fields: frozenset[str]  # the fields whose headers say it is this file
    absent_fields: frozenset[str] = frozenset()  # fields whose headers say it is another
    children: tuple[Child, ...] = ()
    # the format's own checks of a parsed frame (references to stored rows, kind rules): the frame
    # (with the ids its names resolve to) and its problem frames
    check: Callable[[pl.DataFrame, Context, dict[str, str]], tuple[pl.DataFrame, list[pl.DataFrame]]] | None = None
    # before the plan compares: fill what the file may leave out from the stored rows
    prepare: Callable[[object, pl.DataFrame], pl.DataFrame] | None = None
    # stored values compared beside the table's (key columns + `old_<c>` of `extra_compared`)
    extra_stored: Callable[[object, pl.DataFrame], pl.DataFrame] | None = None
    extra_compared: tuple[str, ...] = ()
    # rows written beside the table (e.g. an indicator measure's targets); called in the commit
    extra_commit: Callable[[object, pl.DataFrame, int], None] | None = None
    extra_tables: tuple[str, ...] = ()  # tracked tables `extra_commit` writes (undone with the load)
    priority: int = 1
    order_within: tuple[str, ...] = ()  # key columns a missing `position` is numbered within
    table_columns: tuple[str, ...] = field(default=())  # row columns written to the table, besides keys
    # (row column, table column) where the rows frame names a table column otherwise (a measure's
    # unit is `measure_unit_id` in the plan: the loader's unit-scope guard reads `unit_id`)
    renames: tuple[tuple[str, str], ...] = ()
    dependents: tuple[str, ...] = ()  # tables whose rows refer to this table's (they block its undo)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def headers_of(f: Field) -> set[str]:
    """Every header a field answers to, folded: its English name, its header in each language
    (`programme.column.<name>`) and its synonyms."""
    names = {f.name, f.name.replace("_", " "), *f.synonyms}
    names |= {i18n.t(f"programme.column.{f.name}", lang) for lang in i18n.LANGUAGES}
    return {fold(n) for n in names}


def field_index(spec: FileSpec, header: list[str]) -> dict[str, int]:
    """The column index of each field the header has (the first column naming it)."""
    folded = [fold(h) for h in header]
    found = {}
    for f in spec.fields:
        names = headers_of(f)
        index = next((i for i, h in enumerate(folded) if h in names), None)
        if index is not None:
            found[f.name] = index
    return found


def detector(spec: FileSpec) -> Callable:
    def detect(header, table: Table, options) -> bool:
        present = set(field_index(spec, table.header))
        return spec.detect_fields <= present and not (spec.absent_fields & present)
    return detect


def parse_day(text: str | None) -> dt.date | None:
    """A day as `15.5.2021` or `2021-05-15` (a time after it is ignored); None otherwise."""
    if text is None or not text.strip():
        return None
    period = parse_period(text)
    return period.start if period is not None and period.grain == "day" else None


def _period_end(start: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return start + dt.timedelta(days=6)
    months = {"year": 12, "quarter": 3, "month": 1}.get(grain)
    if months is None:
        return start
    month = start.month - 1 + months
    first_after = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return first_after - dt.timedelta(days=1)


def parse_bound(text: str | None, end: bool) -> dt.date | None:
    """A period's first (or, `end`, last) day: `2022` → 1.1.2022 (31.12.2022), `15.5.2021` → itself."""
    if text is None or not text.strip():
        return None
    period = parse_period(text)
    if period is None:
        return None
    return _period_end(period.start, period.grain) if end else period.start


def parse_timestamp(text: str | None) -> dt.datetime | None:
    """`15.5.2021 14:30`, `2021-05-15 14:30:00`, `2021-05-15T14:30`, or a day (midnight)."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    for pattern in ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
                    "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f"):
        try:
            return dt.datetime.strptime(raw, pattern)
        except ValueError:
            continue
    day = parse_day(raw)
    return dt.datetime(day.year, day.month, day.day) if day else None


def split_list(text: str | None) -> list[str]:
    return [p for p in re.split(LIST_SPLIT, text.strip()) if p] if text and text.strip() else []


def _converted(frame: pl.DataFrame, f: Field, raw: str) -> pl.Expr:
    # the app's own exports neutralise a text a spreadsheet would take for a formula (`'=…`,
    # `export.safe`): read back, it is the text as written
    cell = pl.col(raw).str.replace(r"^'([=+\-@\t\r])", "$1")
    if f.kind in ("id", "text", "choice", "email"):
        out = cell.str.strip_chars().replace("", None)
        if f.kind in ("choice", "email"):
            out = out.str.to_lowercase()
        return out
    if f.kind == "long_text":  # Excel writes CRLF inside quoted cells
        return cell.str.replace_all("\r\n", "\n", literal=True).str.replace_all("\r", "\n", literal=True) \
            .str.strip_chars().replace("", None)
    if f.kind in ("number", "int"):
        return number_expr(raw)
    mapping = {"date": parse_day, "period_start": lambda v: parse_bound(v, False),
               "period_end": lambda v: parse_bound(v, True), "timestamp": parse_timestamp}
    if f.kind in mapping:
        dtype = pl.Datetime("us") if f.kind == "timestamp" else pl.Date
        values = {v: mapping[f.kind](v) for v in frame[raw].drop_nulls().unique().to_list()}
        return cell.replace_strict(values, default=None, return_dtype=dtype)
    if f.kind == "ids":
        return cell.map_elements(lambda v: sorted(set(split_list(v))), return_dtype=pl.List(pl.String))
    raise ValueError(f"unknown field kind {f.kind!r}")


def field_problems(frame: pl.DataFrame, f: Field, raw: str, header: str) -> list[pl.DataFrame]:
    """The cell problems of one field: missing where required, not read as its kind, not allowed."""
    given = pl.col(raw).fill_null("").str.strip_chars() != ""
    out = []
    if f.required:
        out.append(problems(frame.filter(~given), "ingest.error.required", header, pl.col(raw)))
    bad_key = {"id": "programme.ingest.error.bad_id", "date": "programme.ingest.error.bad_date",
               "period_start": "ingest.error.unknown_period", "period_end": "ingest.error.unknown_period",
               "number": "ingest.error.not_a_number", "int": "programme.ingest.error.not_a_whole_number",
               "email": "programme.ingest.error.bad_email", "timestamp": "programme.ingest.error.bad_timestamp"}
    if f.kind in bad_key:
        bad = given & pl.col(f.column).is_null()
        if f.kind == "id":
            bad = given & ~pl.col(f.column).fill_null("").str.contains(ID_PATTERN)
        elif f.kind == "email":
            bad = given & ~pl.col(f.column).fill_null("").str.contains(EMAIL_PATTERN)
        elif f.kind == "int":
            bad = given & (pl.col(f.column).is_null() | (pl.col(f.column) != pl.col(f.column).round(0)))
        out.append(problems(frame.filter(bad), bad_key[f.kind], header, pl.col(raw)))
    if f.kind == "choice":
        out.append(problems(frame.filter(given & ~pl.col(f.column).is_in(list(f.choices))),
                            "ingest.error.bad_choice", header, pl.col(raw), choices=pl.lit(", ".join(f.choices))))
    return out


def parse_with(spec: FileSpec, table: Table, ctx: Context) -> Parsed:
    """Read every field the header has (a missing optional one is null), check its cells, run the
    format's own checks and refuse duplicate keys."""
    index = field_index(spec, table.header)
    heads = {f.name: table.header[index[f.name]] if f.name in index else i18n.t(f"programme.column.{f.name}",
                                                                                   ctx.lang)
             for f in spec.fields}
    raw_cols = [pl.col(f"c{index[f.name]}").alias(f"raw_{f.name}") if f.name in index
                else pl.lit(None, dtype=pl.String).alias(f"raw_{f.name}") for f in spec.fields]
    frame = table.frame.select(pl.col("_row"), *raw_cols)
    frame = frame.with_columns(_converted(frame, f, f"raw_{f.name}").alias(f.column) for f in spec.fields)
    errors: list[pl.DataFrame] = []
    for f in spec.fields:
        if f.name not in index and f.required:
            errors.append(problems(frame, "programme.ingest.error.missing_column", heads[f.name],
                                   pl.lit(None, dtype=pl.String)))
        else:
            errors.extend(field_problems(frame, f, f"raw_{f.name}", heads[f.name]))
    if spec.check is not None:
        frame, more = spec.check(frame, ctx, heads)
        errors.extend(more)
    errors.extend(_duplicates(frame, spec, heads))
    all_errors = pl.concat([e for e in errors if e.height] or [no_problems()])
    bad = all_errors["row"].drop_nulls().unique()
    clean = frame.filter(~pl.col("_row").is_in(bad.implode())) if bad.len() else frame
    if "position" in clean.columns:  # a missing position is the row's place within its parent
        within = list(spec.order_within) or [spec.keys[0]]
        clean = clean.with_columns(pl.coalesce(pl.col("position").cast(pl.Int64),
                                               pl.col("_row").rank("ordinal").over(within).cast(pl.Int64))
                                   .alias("position"))
    columns = [c for c in clean.columns if not c.startswith("raw_") and c != "_row"]
    return Parsed(rows=clean.select(*columns, pl.col("_row").alias("row_number")), errors=all_errors,
                  layout=spec.name, n_rows=table.frame.height)


def _duplicates(frame: pl.DataFrame, spec: FileSpec, heads: dict[str, str]) -> list[pl.DataFrame]:
    keys = list(spec.keys)
    # the field a duplicate is shown at: the last key's (the programmes file's key `id` is its programme)
    last = next(f for f in spec.fields if f.column in (keys[-1], "programme_id"))
    dupes = frame.drop_nulls(keys).with_columns(pl.col("_row").min().over(keys).alias("first")).filter(
        pl.col("_row") != pl.col("first"))
    key_names = ", ".join(heads[f.name] for f in spec.fields if f.column in keys) or heads[last.name]
    return [problems(dupes, "programme.ingest.error.duplicate", heads[last.name], pl.col(f"raw_{last.name}"),
                     first=pl.col("first"), keys=pl.lit(key_names))]


def stored_rows(con, table: str, keys: pl.DataFrame) -> pl.DataFrame:
    """The stored rows of tracked `table` with these keys (every kept column)."""
    with registered(con, "history_keys", keys.unique()):
        return history.run_tracked(con, "history/stored_rows", table)


def stored_children(con, child: Child, parents: pl.DataFrame) -> pl.DataFrame:
    """The stored children of these parent rows (child key columns, `load_id`)."""
    entry = history.tracked(child.table)
    keys = parents.select([pl.col(p).alias(c) for p, c in child.parent_keys]).unique()
    with registered(con, "history_programmes", keys.select("programme_id").unique()):
        rows = history.run_tracked(con, "history/programme_rows", child.table)
    if rows.is_empty():
        return pl.DataFrame(schema={**{c: pl.String for _, c in child.parent_keys}, child.element: pl.String})
    return rows.join(keys, on=[c for _, c in child.parent_keys], how="semi").select(*entry.keys)


def plan_with(spec: FileSpec) -> Callable:
    """Each row `new` (its key is not stored), `changed` (a value or its set of children differs)
    or `unchanged`, with the stored values beside it as `old_<column>`."""
    def plan(con, rows: pl.DataFrame) -> pl.DataFrame:
        if spec.prepare is not None:
            rows = spec.prepare(con, rows)
        compared = [c for c in spec.table_columns if c != "load_id"]
        stored = stored_rows(con, spec.table, rows.select(spec.keys)).rename(
            {table: row for row, table in spec.renames}, strict=False)
        stored = stored.select(*spec.keys, *[pl.col(c).alias(f"old_{c}") for c in compared]) if stored.height \
            else pl.DataFrame(schema={**{k: rows.schema[k] for k in spec.keys},
                                      **{f"old_{c}": rows.schema[c] for c in compared}})
        stored = stored.with_columns(pl.lit(True).alias("_stored"))
        for child in spec.children:
            kids = stored_children(con, child, rows)
            parent_cols = [c for _, c in child.parent_keys]
            grouped = kids.group_by(parent_cols).agg(pl.col(child.element).sort().alias(f"old_{child.list_column}"))
            grouped = grouped.rename({c: p for p, c in child.parent_keys})
            stored = stored.join(grouped, on=[p for p, _ in child.parent_keys], how="left")
            compared.append(child.list_column)
        if spec.extra_stored is not None:
            stored = stored.join(spec.extra_stored(con, rows), on=list(spec.keys), how="left")
            compared.extend(spec.extra_compared)
        out = rows.join(stored, on=list(spec.keys), how="left", nulls_equal=True)
        for child in spec.children:
            old = f"old_{child.list_column}"
            out = out.with_columns(pl.when(pl.col("_stored")).then(pl.col(old).fill_null(pl.lit([], pl.List(pl.String))))
                                   .alias(old))
        differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"old_{c}")) for c in compared]) if compared \
            else pl.lit(False)
        status = pl.when(pl.col("_stored").is_null()).then(pl.lit("new")).when(differs).then(pl.lit("changed")) \
            .otherwise(pl.lit("unchanged"))
        return out.with_columns(status.alias("status")).drop("_stored").sort("row_number")
    return plan


def write_rows(con, table: str, rows: pl.DataFrame, load_id: int) -> None:
    """Keep the stored rows of these keys (`history.save`), delete them and insert `rows` as load
    `load_id`: a keyed write with no key in the schema."""
    entry = history.tracked(table)
    if rows.is_empty():
        return
    remove_rows(con, table, rows, load_id)
    kept = [*entry.keys, *entry.columns, *entry.also_kept]
    body = rows.with_columns(pl.lit(None, dtype=pl.Int32).alias("load_id")).select(kept)
    with registered(con, "history_rows", body):
        history.run_tracked(con, "history/insert_rows", table, load_id=load_id)


def remove_rows(con, table: str, keys: pl.DataFrame, load_id: int) -> None:
    """Keep the stored rows of these keys in history (`history.save`, for undo) and delete them."""
    if keys.is_empty():
        return
    keys = keys.select(history.tracked(table).keys).unique()
    history.save(con, table, load_id, keys)
    with registered(con, "history_keys", keys):
        history.run_tracked(con, "history/delete_keys", table)


def replace_children(con, child: Child, parents: pl.DataFrame, load_id: int) -> None:
    """The children of these (new or changed) parents become exactly their list: the stored ones
    are kept in history and removed, the listed ones written."""
    remove_rows(con, child.table, stored_children(con, child, parents), load_id)
    pairs = parents.select(*[pl.col(p).alias(c) for p, c in child.parent_keys],
                           pl.col(child.list_column).alias(child.element)).explode(child.element) \
        .drop_nulls(child.element)
    if pairs.height:
        entry = history.tracked(child.table)
        body = pairs.with_columns(pl.lit(None, dtype=pl.Int32).alias("load_id")).select(*entry.keys, "load_id")
        with registered(con, "history_rows", body):
            history.run_tracked(con, "history/insert_rows", child.table, load_id=load_id)


def commit_with(spec: FileSpec) -> Callable:
    def commit(con, plan: pl.DataFrame, load_id: int) -> None:
        changes = plan.filter(pl.col("status") != "unchanged")
        if changes.is_empty():
            return
        write_rows(con, spec.table, changes.rename({row: table for row, table in spec.renames}), load_id)
        for child in spec.children:
            replace_children(con, child, changes, load_id)
        if spec.extra_commit is not None:
            spec.extra_commit(con, changes, load_id)
    return commit


def blockers_of(tables: tuple[str, ...], dependents: tuple[str, ...]) -> Callable:
    """Later loads that replaced a row load `load_id` wrote in any of `tables`, and later loads
    of the same programme in the `dependents` tables (rows that refer to this load's: the
    sub-projects of a goal, the entries of a round), which undo would leave pointing at nothing."""
    def blockers(con, load_id: int) -> list[int]:
        found: set[int] = set()
        for table in tables:
            found |= set(history.run_tracked(con, "history/replaced_by", table, load_id=load_id)["load_id"]
                         .to_list())
        written = db.fetch(con, "load/programme/loads_by_table")
        mine = written.filter((pl.col("load_id") == load_id) & (pl.col("table_name") == tables[-1]))
        later = written.filter((pl.col("load_id") > load_id) & pl.col("table_name").is_in(list(dependents))
                               & pl.col("programme_id").is_in(mine["programme_id"].implode()))
        return sorted(found | set(later["load_id"].to_list()))
    return blockers


def format_of(spec: FileSpec) -> Format:
    tables = (*(c.table for c in spec.children), *spec.extra_tables, spec.table)
    return Format(spec.name, detector(spec), lambda table, ctx: parse_with(spec, table, ctx), plan_with(spec),
                  commit_with(spec), history.Undo(tables).undo, blockers_of(tables, spec.dependents),
                  priority=spec.priority)
