"""The loader's shared pieces: options, problems, reports, the format registry, and the
check → plan → commit / undo cycle that every format goes through."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vetopito import access, aggregates, db, i18n, limits
from vetopito.ingest import demo
from vetopito.ingest.read import ReadError, Table, read_table
from vetopito.ingest.values import Lookup, norm

ERROR_CAP = 100

# Loads and undos run one at a time, each from its check to its commit: the plan that decides which
# values are new is only true until the next write, and `observation` has no key that would refuse
# a second copy of a value (queries/schema/009_observation_unkeyed.sql). DuckDB lets one process
# write a database file, so a lock in the process covers every writer.
WRITE_LOCK = threading.RLock()
ERROR_SCHEMA = {"row": pl.Int64, "column": pl.String, "value": pl.String, "key": pl.String,
                "fields": pl.String}


@dataclass
class Options:
    """What the user told us that the file does not say: an indicator, a unit or a period for every row."""

    indicator: str | None = None
    unit: str | None = None
    period: str | None = None


@dataclass
class Problem:
    """One thing wrong with a file: spreadsheet row (header = 1; None for the whole file),
    column as written in the header, the value seen, and the problem in the user's language."""

    row: int | None
    column: str | None
    value: str | None
    problem: str

    def line(self, lang: str | None = None) -> str:
        """`rivi 14, sarake "arvo": "12.5.2024" ei ole luku`."""
        if self.row is None and self.column is None:
            return self.problem
        if self.row is None:
            return i18n.t("ingest.line.column", lang, column=self.column, problem=self.problem)
        if self.column is None:
            return i18n.t("ingest.line.row", lang, row=self.row, problem=self.problem)
        return i18n.t("ingest.line.row_column", lang, row=self.row, column=self.column, problem=self.problem)

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "problem": self.problem}


def empty_changes() -> pl.DataFrame:
    return pl.DataFrame(schema={"row_number": pl.Int64, "status": pl.String})


@dataclass
class Report:
    """What a check, load or undo found and did; `to_dict()` is the `--json` shape of issue 3."""

    file: str
    detected: dict = field(default_factory=dict)
    counts: dict = field(default_factory=lambda: {"rows": 0, "new": 0, "changed": 0, "unchanged": 0,
                                                  "rejected": 0})
    errors: list[Problem] = field(default_factory=list)
    error_total: int = 0
    changes: pl.DataFrame = field(default_factory=empty_changes)
    load_id: int | None = None
    already_loaded: bool = False
    notes: list[str] = field(default_factory=list)
    committed: bool = False

    def ok(self) -> bool:
        return self.error_total == 0

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "detected": dict(self.detected),
            "counts": dict(self.counts),
            "errors": [p.to_dict() for p in self.errors],
            "error_total": self.error_total,
            "load_id": self.load_id,
            "already_loaded": self.already_loaded,
            "notes": list(self.notes),
        }

    def error_frame(self) -> pl.DataFrame:
        """The listed problems as a table (for the page and the downloadable error report)."""
        return pl.DataFrame([p.to_dict() for p in self.errors],
                            schema={"row": pl.Int64, "column": pl.String, "value": pl.String,
                                    "problem": pl.String})


class UndoBlocked(i18n.Localised, Exception):
    """A later load changed values this load wrote; the message names it (`blocking`: those loads)."""

    default_code = "ingest.undo.blocked"

    def __init__(self, key: str, blocking: list[int], *, lang: str | None = None, **fields):
        super().__init__(key, lang=lang, **fields)
        self.blocking = blocking


class UndoError(i18n.Localised, Exception):
    """The load does not exist or is already undone."""

    default_code = "ingest.undo.error"


class UndoRefused(UndoError):
    """The user may not undo this load: they may not load at all, or the load touched units
    outside their load scope (`units` lists those)."""

    default_code = "ingest.undo.refused"

    def __init__(self, key: str, units: list[str], *, lang: str | None = None, **fields):
        super().__init__(key, lang=lang, **fields)
        self.units = units


@dataclass
class UndoResult:
    load_id: int
    file: str
    restored: int
    removed: int
    message: str

    def ok(self) -> bool:
        return True

    def to_dict(self) -> dict:
        return {"load_id": self.load_id, "file": self.file, "restored": self.restored,
                "removed": self.removed, "message": self.message}


@dataclass
class Context:
    """What a format's parser may use: the catalogue, the user's options and scope, the language."""

    con: duckdb.DuckDBPyConnection
    lookup: Lookup
    options: Options
    scope: Any
    lang: str | None
    notes: list[str] = field(default_factory=list)
    surface: str = "cli"  # "page": messages name the upload page's controls, not command-line options
    _scope_units: frozenset[str] | None = field(default=None, init=False, repr=False)

    def note(self, key: str, **fields: Any) -> None:
        key = surface_key(key, self.surface)
        self.notes.append(i18n.t_plural(key, fields.get("count"), self.lang, **numbers_in(fields, self.lang)))

    def allowed(self, unit_id: str | None) -> bool:
        """May this file write about this unit (None: the loader has no scope, everything)?"""
        return self.scope is None or unit_id in self.scope_units

    @property
    def scope_units(self) -> frozenset[str]:
        """The units the loader may write about (every stored unit when it has no scope)."""
        if self._scope_units is None:
            self._scope_units = frozenset(self.lookup.unit_kinds if self.scope is None else self.scope.unit_ids)
        return self._scope_units

    def unit(self, text: str) -> str | None:
        """The unit `text` names; a name shared by several units means the one in scope."""
        return self.lookup.unit(text, within=None if self.scope is None else self.scope_units)

    def closest_units(self, text: str, n: int = 3) -> list[str]:
        """The known names closest to `text`, among the units in scope only: a suggestion never
        names a unit the user may not load (with no scope, among every unit)."""
        found = self.lookup.closest_units(text, n, within=None if self.scope is None else self.scope_units)
        return [in_language_unit(self.lookup, shown, self.lang) for shown in found]

    def closest_indicators(self, text: str, n: int = 3) -> list[str]:
        """The indicators closest to `text`, each as `id` or `id (name)` with the name in the
        user's language (a name matched in another language is not shown)."""
        return [in_language_indicator(self.lookup, shown, self.lang)
                for shown in self.lookup.closest_indicators(text, n)]

    def shown_unit(self, unit_id: str | None) -> str:
        """A stored unit's id for a message: itself when the user may see it, else `–`."""
        if unit_id is None:
            return "–"
        if self.scope is None or unit_id in self.scope_units or self.scope.may_see(unit_id):
            return unit_id
        return "–"


def surface_key(key: str, surface: str) -> str:
    """The message key for where the text is shown: on the upload page (`surface="page"`) a
    message that names a command-line option has a variant `<key>.page` naming the page's control."""
    if surface == "page" and i18n.has_text(f"{key}.page"):
        return f"{key}.page"
    return key


OPTION_COLUMNS = {"--indicator": "indicator", "--unit": "unit", "--period": "period"}


def surface_column(column: str | None, surface: str, lang: str | None) -> str | None:
    """A problem's column as the page names it: `--indicator` (the value came from an option)
    is the page's own control, `Indikaattori`."""
    if surface == "page" and column in OPTION_COLUMNS:
        return i18n.t(f"ingest.page.option.{OPTION_COLUMNS[column]}", lang).split(" (")[0]
    return column


def _lang_of(lang: str | None) -> str:
    return lang if lang in i18n.LANGUAGES else i18n.get_language()


def in_language_unit(lookup: Lookup, shown: str, lang: str | None) -> str:
    """A suggested unit name in the user's language: the name as matched when it is one of the
    unit's names in that language (or a common name, which has no language), else the unit's
    short or official name in that language; a name in another language only when the unit has
    none in this one."""
    lang = _lang_of(lang)
    unit_id = lookup.unit_suggest.get(norm(shown), (shown, None))[1]
    row = lookup.unit_rows.get(unit_id) if unit_id is not None else None
    if row is None:
        return shown
    own = [row.get(f"short_{lang}"), row.get(f"name_{lang}")]
    others = {norm(row.get(f"{kind}_{other}") or "") for kind in ("short", "name") for other in i18n.LANGUAGES
              if other != lang} - {norm(n) for n in own if n}
    if norm(shown) in {norm(n) for n in own if n} or norm(shown) not in others:
        return shown
    return next((n.strip() for n in own if n), shown)


def in_language_indicator(lookup: Lookup, shown: str, lang: str | None) -> str:
    """`id (name)` of a suggested indicator with the name in the user's language (Finnish when
    it has none in that language), or the `id` alone when the id was what matched."""
    lang = _lang_of(lang)
    indicator_id = shown.split(" (", 1)[0]
    info = lookup.indicator_info.get(indicator_id)
    if info is None or shown == indicator_id:
        return shown
    name = info.get(f"name_{lang}") or info.get(f"short_{lang}") or info.get("name_fi") or info.get("short_fi")
    return f"{indicator_id} ({name.strip()})" if name else indicator_id


@dataclass
class Parsed:
    """A format's reading of a file: clean rows for the plan, problems, the layout it saw."""

    rows: pl.DataFrame
    errors: pl.DataFrame
    layout: str
    n_rows: int
    decimal: str = "none"
    format_name: str | None = None  # a format may name a flavour (e.g. `pxweb`)


@dataclass
class Format:
    """One kind of file the loader understands.

    - `detect(header, table, options)`: True when this format reads the file (header cells
      normalised to lower case);
    - `parse(table, ctx)`: a `Parsed` with clean rows and a problem frame (see `problems()`);
    - `plan(con, rows)`: the rows beside their stored state, with a `status` column
      (`new`, `changed`, `unchanged`) and `row_number`; runs on the caller's connection;
    - `commit(con, plan, load_id)`: writes `new` and `changed` rows, keeping what it replaces
      so that `undo(con, load_id)` can restore it; both run inside the loader's transaction;
    - `blockers(con, load_id)`: ids of later loads that changed what this load wrote.
    """

    name: str
    detect: Callable[[list[str], Table, Options], bool]
    parse: Callable[[Table, Context], Parsed]
    plan: Callable[[duckdb.DuckDBPyConnection, pl.DataFrame], pl.DataFrame]
    commit: Callable[[duckdb.DuckDBPyConnection, pl.DataFrame, int], None]
    undo: Callable[[duckdb.DuckDBPyConnection, int], tuple[int, int]]
    blockers: Callable[[duckdb.DuckDBPyConnection, int], list[int]]
    priority: int = 100
    # runs in a second transaction after a committed undo: DuckDB cannot delete a referenced row
    # (e.g. a team's unit) in the transaction that deleted the rows referring to it
    after_undo: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    """Add (or replace) a format; formats are tried by ascending `priority`."""
    FORMATS[fmt.name] = fmt
    return fmt


def undo_by(counts_query: str, *steps: str) -> Callable[[duckdb.DuckDBPyConnection, int], tuple[int, int]]:
    """A format's undo: `counts_query` says how many rows it will restore and remove (columns
    `restored`, `removed`), then each statement of `steps` runs with the load id."""
    def undo(con: duckdb.DuckDBPyConnection, load_id: int) -> tuple[int, int]:
        counts = db.fetch(con, counts_query, load_id=load_id).row(0, named=True)
        for step in steps:
            db.execute(con, step, load_id=load_id)
        return int(counts["restored"]), int(counts["removed"])
    return undo


def blockers_by(query: str) -> Callable[[duckdb.DuckDBPyConnection, int], list[int]]:
    """A format's undo blockers: the later loads `query` names (column `load_id`)."""
    def blockers(con: duckdb.DuckDBPyConnection, load_id: int) -> list[int]:
        return db.fetch(con, query, load_id=load_id)["load_id"].to_list()
    return blockers


def problems(frame: pl.DataFrame, key: str, column: pl.Expr | str, value: pl.Expr | str,
             **fields: pl.Expr) -> pl.DataFrame:
    """A problem frame (row, column, value, key, fields-as-JSON) for every row of `frame`."""
    col = pl.lit(column) if isinstance(column, str) else column
    val = pl.col(value) if isinstance(value, str) else value
    if frame.is_empty():
        return pl.DataFrame(schema=ERROR_SCHEMA)
    if fields:
        fields_expr = pl.struct(**{k: v.cast(pl.String) for k, v in fields.items()}).struct.json_encode()
    else:
        fields_expr = pl.lit("{}")
    return frame.select(
        pl.col("_row").cast(pl.Int64).alias("row"),
        col.cast(pl.String).alias("column"),
        val.cast(pl.String).alias("value"),
        pl.lit(key).alias("key"),
        fields_expr.alias("fields"),
    )


def no_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=ERROR_SCHEMA)


def file_problem(key: str, column: str | None = None, **fields: Any) -> pl.DataFrame:
    return pl.DataFrame([{"row": None, "column": column, "value": None, "key": key,
                          "fields": json.dumps({k: str(v) for k, v in fields.items()}, ensure_ascii=False)}],
                        schema=ERROR_SCHEMA)


# Problem fields that hold a number the loader computed (not a cell as the file wrote it).
COMPUTED_FIELDS = frozenset({"expected", "n_chars", "max_chars"})


def fmt_computed(value: Any, lang: str | None) -> str:
    """A computed number in the message's language, to at most 2 decimals: `30`, `33,33`, `1 234,5`."""
    number = float(value)
    decimals = len(f"{number:.2f}".rstrip("0").split(".")[1])
    return i18n.fmt_number(number, decimals, lang)


def numbers_in(fields: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """Message fields with every int or float formatted in the message's language (`1 234`)."""
    return {k: fmt_computed(v, lang) if isinstance(v, int | float) and not isinstance(v, bool) else v
            for k, v in fields.items()}


def collapse_every_row(errors: pl.DataFrame, rows: set[int]) -> pl.DataFrame:
    """One file-level problem (no row) for a problem that every row of the file has: the same
    message, column, value and fields on each of `rows` (the rows the format read). Its fields
    gain `_rows`, the row count, which the message's text then says. Problems of only some rows,
    and a file of one row, stay as they are."""
    if len(rows) < 2 or errors.height < len(rows):
        return errors
    group = ["key", "column", "value", "fields"]
    per_row = errors.filter(pl.col("row").is_not_null())
    counts = per_row.group_by(group).agg(pl.col("row").n_unique().alias("n"), pl.col("row").min().alias("first"))
    every = counts.filter(pl.col("n") == len(rows))
    if every.is_empty():
        return errors
    every_rows = set(per_row.join(every.select(group), on=group, how="semi", nulls_equal=True)["row"].to_list())
    if not every_rows >= rows:
        return errors
    kept = errors.join(every.select(group), on=group, how="anti", nulls_equal=True)
    whole = every.sort("first").select(
        pl.lit(None, pl.Int64).alias("row"), "column", "value", "key",
        pl.col("fields").map_elements(lambda f: json.dumps({**json.loads(f or "{}"), "_rows": str(len(rows))},
                                                           ensure_ascii=False), return_dtype=pl.String))
    return pl.concat([whole, kept.select(ERROR_SCHEMA.keys())])


def _to_problems(errors: pl.DataFrame, lang: str | None, surface: str = "cli") -> tuple[list[Problem], int]:
    errors = errors.sort("row", nulls_last=False, maintain_order=True)
    listed = []
    for row in errors.head(ERROR_CAP).iter_rows(named=True):
        fields = json.loads(row["fields"] or "{}")
        every = fields.pop("_rows", None)
        fields = {k: fmt_computed(v, lang) if k in COMPUTED_FIELDS and v not in (None, "") else v
                  for k, v in fields.items()}
        column = surface_column(row["column"], surface, lang)
        text = i18n.t(surface_key(row["key"], surface), lang,
                      value=row["value"] if row["value"] is not None else "",
                      column=column or "", **{k: v for k, v in fields.items() if k not in ("value", "column")})
        if every is not None:
            text = i18n.t("ingest.line.every_row", lang, n=i18n.fmt_number(int(every), 0, lang), problem=text)
        listed.append(Problem(row["row"], column, row["value"], text))
    return listed, errors.height


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """Make a polars frame readable as table `name` by the named queries, for the block's duration.

    Handed over as Arrow with polars' own string views, which DuckDB reads as they are: the
    default conversion copies every string into a new buffer (25 ms per 1 000 000 rows)."""
    con.register(name, frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        yield
    finally:
        with suppress(duckdb.Error):  # an aborted transaction refuses even this; rollback follows
            con.unregister(name)


# --- the cycle -------------------------------------------------------------------------------

def _source_bytes(source: Path | str | bytes, file_name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), file_name or "upload.csv"
    path = Path(source)
    return path.read_bytes(), file_name or path.name


def _ensure_formats() -> None:
    if not FORMATS:
        import vetopito.ingest.formats  # noqa: F401


def choose_format(table: Table, options: Options) -> Format | None:
    _ensure_formats()
    header = [h.strip().strip('"').lower() for h in table.header]
    for fmt in sorted(FORMATS.values(), key=lambda f: f.priority):
        if fmt.detect(header, table, options):
            return fmt
    return None


@dataclass
class _Checked:
    report: Report
    fmt: Format | None
    table: Table | None
    plan: pl.DataFrame | None


Progress = Callable[[float, str], None]


def _step(progress: Progress | None, fraction: float, key: str, lang: str | None) -> None:
    if progress is not None:
        progress(fraction, i18n.t(key, lang))


def _check(con, raw: bytes, name: str, options: Options, scope, lang,
           progress: Progress | None = None, surface: str = "cli") -> _Checked:
    report = Report(file=name)
    report.detected = {"encoding": None, "delimiter": None, "decimal": None, "layout": None, "format": None}
    _step(progress, 0.05, "ingest.progress.reading", lang)
    try:
        limits.check_file_size(len(raw))
        limits.check_text_content(raw[:65536])
        table = read_table(raw)
        limits.check_row_count(table.frame.height)
        limits.check_column_count(len(table.header))
    except limits.LimitExceeded as exc:  # over a limit or not text: one whole-file problem
        report.errors, report.error_total = [Problem(None, None, None, exc.message(lang))], 1
        return _Checked(report, None, None, None)
    except ReadError as exc:
        report.errors, report.error_total = _to_problems(file_problem(exc.key, **exc.fields), lang, surface)
        return _Checked(report, None, None, None)
    report.detected = {"encoding": table.encoding, "delimiter": table.delimiter, "decimal": None,
                       "layout": None, "format": None}
    fmt = choose_format(table, options)
    if fmt is None:
        above = table.line_above_header()
        if above is not None:  # `kk,pros` above `4/2015,0,9`: the decimal comma is also the separator
            problem = file_problem("ingest.error.header_above_wider_rows", line=above,
                                   header=", ".join(table.header[:8]))
        else:
            problem = file_problem("ingest.error.unknown_format", header=", ".join(table.header[:8]))
        report.errors, report.error_total = _to_problems(problem, lang, surface)
        report.counts["rows"] = table.frame.height
        report.counts["rejected"] = table.frame.height
        return _Checked(report, None, table, None)
    _step(progress, 0.25, "ingest.progress.validating", lang)
    ctx = Context(con=con, lookup=Lookup.from_db(con), options=options, scope=scope, lang=lang, surface=surface)
    parsed = fmt.parse(table, ctx)
    report.notes.extend(ctx.notes)
    report.detected.update(decimal=parsed.decimal, layout=parsed.layout,
                           format=parsed.format_name or fmt.name)
    report.counts["rows"] = parsed.n_rows
    errors = parsed.errors
    if table.extra_cells.height:  # rows wider than the header: their cells cannot be placed
        errors = pl.concat([errors, problems(table.extra_cells, "ingest.error.extra_cells",
                                             pl.lit(None, dtype=pl.String), "extra",
                                             header=pl.lit(len(table.header)))])
    if table.problems.height:  # cells too long or holding control characters, whatever the format
        errors = pl.concat([errors, table.problems])
    _step(progress, 0.6, "ingest.progress.planning", lang)
    plan = fmt.plan(con, parsed.rows) if not parsed.rows.is_empty() else None
    if plan is not None and scope is not None:
        stray = _plan_outside_scope(plan, ctx)
        if stray.height:
            errors = pl.concat([errors, stray]) if errors.height else stray
            plan = plan.filter(~pl.col("row_number").is_in(stray["row"].implode()))
    rejected_rows = errors.filter(pl.col("row").is_not_null())["row"].n_unique()
    if errors.filter(pl.col("row").is_null()).height:
        rejected_rows = parsed.n_rows
    report.counts["rejected"] = int(rejected_rows)
    if plan is None or plan.is_empty():  # no row reads cleanly: a problem of every row is said once
        errors = collapse_every_row(errors, set(errors["row"].drop_nulls().unique().to_list()))
    report.errors, report.error_total = _to_problems(errors, lang, surface)
    if plan is not None:
        statuses = plan["status"].value_counts()
        found = dict(zip(statuses["status"].to_list(), statuses["count"].to_list(), strict=True))
        for status in ("new", "changed", "unchanged"):
            report.counts[status] = int(found.get(status, 0))
        report.changes = plan.filter(pl.col("status") != "unchanged") if report.counts["unchanged"] else plan
    return _Checked(report, fmt, table, plan)


# The columns of a plan that name a unit the load writes about or under: the unit of a value,
# target or event, a team, a parent, a region, a stored unit a units file renames (`yta_id`, a
# team's collaborative area, is a national unit the load only refers to).
PLAN_UNIT_COLUMNS = ("unit_id", "team_id", "parent_id", "region_id", "id")


def _plan_outside_scope(plan: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """The last guard of the load scope, for every format: a problem for each planned row that
    names a stored unit outside `ctx.scope` in any of `PLAN_UNIT_COLUMNS` (a format's own checks
    refuse such rows with a message of their own, so this finds none unless a format missed one).
    The problem names neither the unit nor the cell: the unit may be one the user may not see."""
    stored, allowed = ctx.lookup.unit_kinds, ctx.scope_units
    columns = [c for c in PLAN_UNIT_COLUMNS if c in plan.columns and plan.schema[c] == pl.String]
    outside = {c: [u for u in plan[c].drop_nulls().unique().to_list() if u in stored and u not in allowed]
               for c in columns}
    if not any(outside.values()):
        return no_problems()
    hit = pl.any_horizontal(pl.col(c).is_in(ids) for c, ids in outside.items() if ids)
    rows = plan.filter(hit).select(pl.col("row_number").alias("_row")).unique(maintain_order=True)
    return problems(rows, "ingest.error.plan_out_of_scope", pl.lit(None, dtype=pl.String),
                    pl.lit(None, dtype=pl.String))


def check(con: duckdb.DuckDBPyConnection, source: Path | str | bytes, *, file_name: str | None = None,
          options: Options | None = None, scope=None, lang: str | None = None,
          progress: Progress | None = None, surface: str = "cli") -> Report:
    """Read, validate and plan a file without writing anything; `progress(fraction, text)` is
    called at each step (the upload page draws it). `surface="page"`: the messages name the
    upload page's controls instead of command-line options."""
    raw, name = _source_bytes(source, file_name)
    work = con.cursor()
    try:
        checked = _check(work, raw, name, options or Options(), scope, lang, progress, surface)
        _note_already_loaded(work, checked, scope, lang)
    finally:
        work.close()
    _step(progress, 1.0, "ingest.progress.done", lang)
    return checked.report


def _note_already_loaded(con, checked: _Checked, scope, lang) -> None:
    report = checked.report
    if not report.ok() or checked.plan is None or checked.table is None:
        return
    if report.counts["new"] == 0 and report.counts["changed"] == 0:
        report.already_loaded = True
        same = db.run(con, "ingest__committed_load_by_sha", sha256=checked.table.sha256)
        shown = _loads_shown_to(con, scope) if not same.is_empty() else None
        if shown is not None:  # another user's load of the same file is named only when it is in scope
            same = same.filter(pl.col("load_id").is_in(sorted(shown)))
        if not same.is_empty():
            report.notes.append(i18n.t("ingest.note.same_file", lang, load_id=same["load_id"][0],
                                       file=same["file_name"][0]))
        else:
            report.notes.append(i18n.t("ingest.note.nothing_changes", lang))


def _ensure_reference(con) -> None:
    try:
        from vetopito import catalog
    except ImportError:
        return
    ensure = getattr(catalog, "ensure_reference", None)
    if ensure is not None:
        ensure(con)


def load(con: duckdb.DuckDBPyConnection, source: Path | str | bytes, *, file_name: str | None = None,
         options: Options | None = None, user: str = "cli", is_demo: bool = False, scope=None,
         lang: str | None = None, progress: Progress | None = None, surface: str = "cli") -> Report:
    """Check a file and, when it has no problems, commit it in one transaction.

    A scope that may load nothing (`Scope.loading()` of a user without the analyst role) makes
    every row an out-of-scope error, so nothing is written."""
    _ensure_reference(con)
    raw, name = _source_bytes(source, file_name)
    work = con.cursor()
    try:
        with WRITE_LOCK:
            return _load_locked(work, raw, name, options, user, is_demo, scope, lang, progress, surface)
    finally:
        work.close()


def _load_locked(work, raw: bytes, name: str, options: Options | None, user: str, is_demo: bool, scope,
                 lang: str | None, progress: Progress | None, surface: str = "cli") -> Report:
    checked = _check(work, raw, name, options or Options(), scope, lang, progress, surface)
    report = checked.report
    if not report.ok() or checked.fmt is None or checked.table is None:
        return report
    _note_already_loaded(work, checked, scope, lang)
    if report.already_loaded or checked.plan is None:
        return report
    table = checked.table
    _step(progress, 0.8, "ingest.progress.committing", lang)
    with db.transaction(work):
        load_id = int(db.scalar(
            work, "ingest__insert_load", file_name=name, size_bytes=table.size_bytes,
            sha256=table.sha256, format=report.detected["format"],
            detected_json=json.dumps(report.detected, ensure_ascii=False), user_name=user,
            n_rows=report.counts["rows"], n_new=report.counts["new"],
            n_changed=report.counts["changed"], n_unchanged=report.counts["unchanged"],
            n_rejected=report.counts["rejected"], is_demo=is_demo))
        checked.fmt.commit(work, checked.plan, load_id)
        db.execute(work, "ingest__record_load_units", load_id=load_id)  # for undo and history scope
        aggregates.refresh_after_load(work, load_id)  # derived tables of the directors' pages
        db.bump_data_version(work)
        demo.refresh_demo_flags(work)  # derived from every committed load (is_demo)
    report.load_id = load_id
    report.committed = True
    _step(progress, 1.0, "ingest.progress.done", lang)
    return report


def _check_undo_scope(con, load_id: int, scope, lang: str | None) -> None:
    """Refuse (`UndoRefused`) an undo by a user who may not load, or of a load that touched a unit
    outside `scope.load_units` (the same rule as loading: the unit of each value, the parent of
    each unit created or renamed, the region of each team)."""
    if scope is None:
        return
    if not scope.can_load or not scope.load_units:
        raise UndoRefused(i18n.t("ingest.undo.no_rights", lang, load_id=load_id), [])
    touched = db.fetch(con, "ingest__undo_scope_units", load_id=load_id)["unit_id"].to_list()
    outside = access.units_outside_load_scope(scope, touched)
    if outside:
        # the message names only the units the user may see (the regions, say): never an
        # organisational unit or team of another region
        seen = [u for u in outside if scope.may_see(u)]
        count = i18n.fmt_number(len(outside), 0, lang)
        if not seen:
            raise UndoRefused(i18n.t("ingest.undo.out_of_scope_unnamed", lang, load_id=load_id, count=count),
                              outside)
        shown = ", ".join(seen[:5]) + (" …" if len(seen) > 5 or len(seen) < len(outside) else "")
        raise UndoRefused(i18n.t("ingest.undo.out_of_scope", lang, load_id=load_id, units=shown, count=count),
                          outside)


def _blocked(con, load_id: int, blocking: list[int], scope, lang: str | None) -> UndoBlocked:
    """The refusal of an undo that later loads block: it names the first of them the user may see
    in their history; a load outside their scope is only said to exist (neither its id, its file
    nor its units)."""
    shown = _loads_shown_to(con, scope)
    named = blocking if shown is None else [b for b in blocking if b in shown]
    if not named:
        return UndoBlocked(i18n.t("ingest.undo.blocked_outside", lang, load_id=load_id), blocking)
    later = db.fetch(con, "ingest__load_by_id", load_id=named[0]).row(0, named=True)
    return UndoBlocked(i18n.t("ingest.undo.blocked", lang, load_id=load_id, other=named[0],
                              file=later["file_name"]), blocking)


def undo(con: duckdb.DuckDBPyConnection, load_id: int, *, user: str, scope=None,
         lang: str | None = None) -> UndoResult:
    """Undo a committed load in one transaction; `UndoBlocked` names a later load in the way.

    With a `scope` (the page passes the user's `Scope.loading()`; the command line passes none,
    it is the analyst's own machine), `UndoRefused` is raised and nothing written when the user
    may not load, or the load touched a unit outside `scope.load_units`."""
    _ensure_formats()
    work = con.cursor()
    try:
        with WRITE_LOCK:
            return _undo_locked(work, load_id, user, scope, lang)
    finally:
        work.close()


def _undoable(work, load_id: int, scope, lang: str | None) -> tuple[dict, Format]:
    """The load's row and format when `scope` may undo it now; else the refusal the undo would give."""
    found = db.fetch(work, "ingest__load_by_id", load_id=load_id)
    if found.is_empty():
        raise UndoError(i18n.t("ingest.undo.no_such_load", lang, load_id=load_id))
    info = found.row(0, named=True)
    if info["status"] != "committed":
        raise UndoError(i18n.t("ingest.undo.already_undone", lang, load_id=load_id))
    _check_undo_scope(work, load_id, scope, lang)
    fmt = FORMATS.get(info["format"]) or FORMATS.get(_FLAVOURS.get(info["format"], ""))
    if fmt is None:
        raise UndoError(i18n.t("ingest.undo.unknown_format", lang, load_id=load_id,
                               format=info["format"]))
    blocking = [b for b in fmt.blockers(work, load_id) if b != load_id]
    if blocking:
        raise _blocked(work, load_id, blocking, scope, lang)
    return info, fmt


class _Rollback(Exception):
    """Ends the transaction of an undo preview: its counts are kept, its changes rolled back."""


@dataclass
class UndoPreview:
    """What undoing a load would do, for the confirmation: the load (file, time, user) and how
    many stored rows it would restore and remove."""

    load_id: int
    file: str
    loaded_at: Any
    user: str
    format: str
    restored: int
    removed: int

    def text(self, lang: str | None = None) -> str:
        """`Lataus 3 (arvot.csv, ladattu 2.12.2026 14:05, käyttäjä ana@x.fi) perutaan: 4 arvoa poistetaan …`."""
        what = _UNDO_WHAT.get(_FLAVOURS.get(self.format, self.format), "rows")
        removed = i18n.t(f"ingest.undo.preview.removed.{what}", lang, n=i18n.fmt_number(self.removed, 0, lang))
        restored = i18n.t(f"ingest.undo.preview.restored.{what}", lang, n=i18n.fmt_number(self.restored, 0, lang))
        return i18n.t("ingest.undo.preview", lang, load_id=self.load_id, file=self.file, user=self.user,
                      loaded_at=i18n.fmt_datetime(self.loaded_at, lang), removed=removed, restored=restored)


# what a format's rows are, in the undo confirmation
_UNDO_WHAT = {"observations": "values", "sotkanet": "values", "units": "units", "targets": "targets",
              "events": "events", "teams": "teams", "aims": "aims", "operating_models": "models"}


def undo_preview(con: duckdb.DuckDBPyConnection, load_id: int, *, scope=None,
                 lang: str | None = None) -> UndoPreview:
    """What `undo(con, load_id, scope=scope)` would restore and remove, counted by running the
    format's undo in a transaction that is then rolled back (so the counts are the undo's own, for
    every format); raises what the undo would raise (`UndoError`, `UndoBlocked`, `UndoRefused`)."""
    _ensure_formats()
    work = con.cursor()
    try:
        with WRITE_LOCK:
            info, fmt = _undoable(work, load_id, scope, lang)
            counts: list[int] = []
            with suppress(_Rollback), db.transaction(work):
                counts.extend(fmt.undo(work, load_id))
                raise _Rollback
    finally:
        work.close()
    return UndoPreview(load_id, info["file_name"], info["loaded_at"], info["user_name"], info["format"],
                       int(counts[0]), int(counts[1]))


def _undo_locked(work, load_id: int, user: str, scope, lang: str | None) -> UndoResult:
    info, fmt = _undoable(work, load_id, scope, lang)
    with db.transaction(work):
        touched = aggregates.extent_of_load(work, load_id)
        restored, removed = fmt.undo(work, load_id)
        aggregates.refresh_extent(work, touched)  # derived tables of the directors' pages
        db.execute(work, "ingest__mark_load_undone", load_id=load_id, user_name=user)
        db.bump_data_version(work)
        demo.refresh_demo_flags(work)
    if fmt.after_undo is not None:
        with db.transaction(work):
            fmt.after_undo(work, load_id)
    message = i18n.t_plural("ingest.undo.done", restored, lang, load_id=load_id, file=info["file_name"],
                     **numbers_in({"restored": restored, "removed": removed}, lang))
    return UndoResult(load_id, info["file_name"], restored, removed, message)


# Detected format names that are flavours of a registered format (undo finds the format by them).
_FLAVOURS: dict[str, str] = {}


def register_flavour(flavour: str, format_name: str) -> None:
    _FLAVOURS[flavour] = format_name


def loads(con: duckdb.DuckDBPyConnection, scope: access.Scope | None = None) -> pl.DataFrame:
    """The load history, newest first. With a scope, only the loads whose every unit lies within
    what the user may load: an analyst of one region does not see who loaded what elsewhere.
    A load that is still remembered but touched nothing (every row undone) stays visible only
    to a user who may load everything."""
    history = db.run(con, "ingest__loads")
    shown = _loads_shown_to(con, scope)
    return history if shown is None else history.filter(pl.col("load_id").is_in(sorted(shown)))


def undo_choices(con: duckdb.DuckDBPyConnection, scope: access.Scope | None = None) -> pl.DataFrame:
    """The committed loads a user may be offered to undo, newest first: those of `loads()` that
    stand, except the loads that built the demo database once the database holds real data
    (a committed load not from the seed): undoing one would tear the demo out from under it."""
    history = loads(con, scope).filter(pl.col("status") == "committed")
    if demo.demo_state(con) == "mixed":
        history = history.filter(~pl.col("is_demo"))
    return history


def _loads_shown_to(con: duckdb.DuckDBPyConnection, scope: access.Scope | None) -> set[int] | None:
    """The ids of the loads a user may see in the history, and that a message may name to them
    (None: every load, for no scope or a user who may load everything)."""
    if scope is None:
        return None
    allowed = set(scope.load_units)
    if allowed and allowed >= set(db.run(con, "access__all_unit_ids")["id"].to_list()):
        return None
    return access.loads_within(scope, db.run(con, "ingest__load_units"))


def changes_table(report: Report, statuses: list[str] | None = None) -> pl.DataFrame:
    """The plan's changes for display: row, status, key and old → new value."""
    frame = report.changes
    if frame.is_empty() or "status" not in frame.columns:
        return frame
    if statuses:
        frame = frame.filter(pl.col("status").is_in(statuses))
    wanted = [c for c in ("row_number", "status", "indicator_id", "unit_id", "id", "period_start", "due_date",
                          "event_date", "grain", "old_value", "value", "old_target_value", "target_value",
                          "old_name_fi", "name_fi", "flag") if c in frame.columns]
    return frame.select(wanted)
