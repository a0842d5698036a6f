"""The load cycle every format goes through: read the file, choose its format, parse and validate
it, plan the changes against what is stored (check), and commit them in one transaction (load)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from vetopito import access, aggregates, catalog, db, i18n, limits
from vetopito.ingest import aliases, demo, formats, replan
from vetopito.ingest.parsing import Context, Format
from vetopito.ingest.problems import (
    collapse_every_row,
    file_problem,
    no_problems,
    problems,
    to_problems,
)
from vetopito.ingest.read import ReadError, Table, read_table
from vetopito.ingest.result import Options, Problem, Report
from vetopito.ingest.values import Lookup

# Loads and undos run one at a time, each from its check to its commit: the plan that decides which
# values are new is only true until the next write, and `observation` has no key that would refuse
# a second copy of a value (queries/schema/009_observation_unkeyed.sql). DuckDB lets one process
# write a database file, so a lock in the process covers every writer of a file; on a lake, writers
# in other processes are ordered by the data version (`replan`).
WRITE_LOCK = threading.RLock()


def _source_bytes(source: Path | str | bytes, file_name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), file_name or "upload.csv"
    path = Path(source)
    return path.read_bytes(), file_name or path.name



def choose_format(table: Table, options: Options) -> Format | None:
    header = [h.strip().strip('"').lower() for h in table.header]
    for fmt in sorted(formats.FORMATS, key=lambda f: f.priority):
        if fmt.detect(header, table, options):
            return fmt
    return None


@dataclass
class _Checked:
    report: Report
    fmt: Format | None
    table: Table | None
    plan: pl.DataFrame | None
    tables: frozenset[str] | None = None  # the database's tables, as the check's lookup found them


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
        report.errors, report.error_total = to_problems(file_problem(exc.key, **exc.fields), lang, surface)
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
        report.errors, report.error_total = to_problems(problem, lang, surface)
        report.counts["rows"] = table.frame.height
        report.counts["rejected"] = table.frame.height
        return _Checked(report, None, table, None)
    _step(progress, 0.25, "ingest.progress.validating", lang)
    lookup = Lookup.from_db(con)
    if scope is not None and scope.indicator_ids is not None:
        lookup.only_indicators(set(scope.indicator_ids))
    ctx = Context(con=con, lookup=lookup, options=options, scope=scope, lang=lang, surface=surface)
    map_errors = aliases.prepare(ctx) if fmt.learns_aliases else None
    if options.map_indicator and not fmt.learns_aliases:
        ctx.note("ingest.note.map_not_observations")
    parsed = fmt.parse(table, ctx)
    if fmt.learns_aliases:
        _note_mappings(ctx, parsed.format_name or fmt.name, parsed.layout, report)
    report.notes.extend(ctx.notes)
    report.ignored_columns = list(ctx.ignored_columns)
    report.detected.update(decimal=parsed.decimal, layout=parsed.layout,
                           format=parsed.format_name or fmt.name)
    report.counts["rows"] = parsed.n_rows
    errors = parsed.errors
    if map_errors is not None and map_errors.height:
        errors = pl.concat([map_errors, errors]) if errors.height else map_errors
    if table.extra_cells.height:  # rows wider than the header: their cells cannot be placed
        errors = pl.concat([errors, problems(table.extra_cells, "ingest.error.extra_cells",
                                             pl.lit(None, dtype=pl.String), "extra",
                                             header=pl.lit(len(table.header)))])
    if table.problems.height:  # cells too long or holding control characters, whatever the format
        errors = pl.concat([errors, table.problems])
    _step(progress, 0.6, "ingest.progress.planning", lang)
    plan = fmt.plan(con, parsed.rows) if not parsed.rows.is_empty() else None
    if plan is not None and scope is not None:
        # an aims file's teams may also be the loader's own measure teams (a coach sets their own
        # team's baselines, aims and new measures there, as on the team page: `teams.parse_aims`)
        stray = _plan_outside_scope(plan, ctx, frozenset(scope.measure_team_ids) if fmt.name == "aims" else frozenset())
        if stray.height:
            errors = pl.concat([errors, stray]) if errors.height else stray
            plan = plan.filter(~pl.col("row_number").is_in(stray["row"].implode()))
    if plan is not None:
        stray = _plan_outside_indicator_scope(plan, ctx)
        if stray.height:
            errors = pl.concat([errors, stray]) if errors.height else stray
            plan = plan.filter(~pl.col("row_number").is_in(stray["row"].implode()))
    rejected_rows = errors.filter(pl.col("row").is_not_null())["row"].n_unique()
    if errors.filter(pl.col("row").is_null()).height:
        rejected_rows = parsed.n_rows
    report.counts["rejected"] = int(rejected_rows)
    if plan is None or plan.is_empty():  # no row reads cleanly: a problem of every row is said once
        errors = collapse_every_row(errors, set(errors["row"].drop_nulls().unique().to_list()))
    # each unknown indicator name once, with the indicators closest to it (the page maps them)
    errors, report.unknown_indicators = aliases.list_unknown(
        errors, lambda name: aliases.closest_for_label(ctx.lookup, name), parsed.n_rows)
    report.errors, report.error_total = to_problems(errors, lang, surface)
    if plan is not None:
        statuses = plan["status"].value_counts()
        found = dict(zip(statuses["status"].to_list(), statuses["count"].to_list(), strict=True))
        for status in ("new", "changed", "unchanged"):
            report.counts[status] = int(found.get(status, 0))
        report.changes = plan.filter(pl.col("status") != "unchanged") if report.counts["unchanged"] else plan
    return _Checked(report, fmt, table, plan, lookup.tables)


def _note_mappings(ctx: Context, format_name: str, layout: str, report: Report) -> None:
    """The aliases the load would save (`Report.new_aliases`, a note) and any mapping of a name
    the file does not hold (not saved, a note)."""
    report.new_aliases = aliases.new_aliases(ctx, format_name, layout)
    if report.new_aliases:
        report.detected["indicator_aliases"] = [dict(a) for a in report.new_aliases]  # kept with the load
        ctx.note("ingest.note.new_aliases", count=len(report.new_aliases),
                 aliases=", ".join(f'"{a["alias"]}" → {a["indicator_id"]}' for a in report.new_aliases))
    for key, (label, _indicator) in ctx.mapped.items():
        if key not in ctx.used_mappings:
            ctx.note("ingest.note.map_not_used", label=label)


# The columns of a plan that name a unit the load writes about or under: the unit of a value,
# target or event, a team, a parent, a region, a stored unit a units file renames (`yta_id`, a
# team's collaborative area, is a national unit the load only refers to).
PLAN_UNIT_COLUMNS = ("unit_id", "team_id", "parent_id", "region_id", "id")


def _plan_outside_scope(plan: pl.DataFrame, ctx: Context, also: frozenset[str] = frozenset()) -> pl.DataFrame:
    """The last guard of the load scope, for every format: a problem for each planned row that
    names a stored unit outside `ctx.scope` in any of `PLAN_UNIT_COLUMNS` (a format's own checks
    refuse such rows with a message of their own, so this finds none unless a format missed one).
    The problem names neither the unit nor the cell: the unit may be one the user may not see.
    `also`: units this format may write about beyond the load scope."""
    stored, allowed = ctx.lookup.unit_kinds, ctx.scope_units | also
    columns = [c for c in PLAN_UNIT_COLUMNS if c in plan.columns and plan.schema[c] == pl.String]
    outside = {c: [u for u in plan[c].drop_nulls().unique().to_list() if u in stored and u not in allowed]
               for c in columns}
    if not any(outside.values()):
        return no_problems()
    hit = pl.any_horizontal(pl.col(c).is_in(ids) for c, ids in outside.items() if ids)
    rows = plan.filter(hit).select(pl.col("row_number").alias("_row")).unique(maintain_order=True)
    return problems(rows, "ingest.error.plan_out_of_scope", pl.lit(None, dtype=pl.String),
                    pl.lit(None, dtype=pl.String))


def _within(unit_id: str, owner: str, parents: dict[str, str | None]) -> bool:
    seen: set[str] = set()
    while unit_id is not None and unit_id not in seen:
        if unit_id == owner:
            return True
        seen.add(unit_id)
        unit_id = parents.get(unit_id)
    return False


def _plan_outside_indicator_scope(plan: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """A region's or a team's own indicator has values, targets and measures only within its
    owner (the region and the units under it; the team): a problem for each planned row of any
    format that puts one on another unit, whoever loads it (issue 11 item 2)."""
    unit_column = next((c for c in ("unit_id", "team_id") if c in plan.columns), None)
    if unit_column is None or "indicator_id" not in plan.columns or "row_number" not in plan.columns:
        return no_problems()
    tables = ctx.lookup.tables if ctx.lookup.tables is not None else db.table_names(ctx.con)
    if "indicator_scope" not in tables:
        return no_problems()   # a file before migration 017 (a test builds one with today's loader)
    owners = {r["indicator_id"]: r["scope_value"]
              for r in db.fetch(ctx.con, "load/indicator_scopes").iter_rows(named=True)}
    if not owners:
        return no_problems()
    rows = plan.filter(pl.col("indicator_id").is_in(list(owners))).select("row_number", "indicator_id", unit_column)
    parents = ctx.lookup.unit_parents
    bad = [r for r in rows.iter_rows(named=True)
           if r[unit_column] is not None and not _within(r[unit_column], owners[r["indicator_id"]], parents)]
    if not bad:
        return no_problems()
    frame = pl.DataFrame(bad).rename({"row_number": "_row"}).with_columns(
        pl.col("indicator_id").replace_strict(owners, return_dtype=pl.String).alias("owner"))
    return problems(frame, "ingest.error.value_outside_indicator_scope", pl.lit(None, dtype=pl.String),
                    pl.col("indicator_id"), indicator=pl.col("indicator_id"), owner=pl.col("owner"))


def check(con: duckdb.DuckDBPyConnection, source: Path | str | bytes, *, file_name: str | None = None,
          options: Options | None = None, scope=None, lang: str | None = None,
          progress: Progress | None = None, surface: str = "cli") -> Report:
    """Read, validate and plan a file without writing anything; `progress(fraction, text)` is
    called at each step (the upload page draws it). `surface="page"`: the messages name the
    upload page's controls instead of command-line options."""
    raw, name = _source_bytes(source, file_name)
    work = con.cursor()
    try:
        with db.read_transaction(work):  # every read of the check on one snapshot
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
        same = db.run(con, "load/committed_load_by_sha", sha256=checked.table.sha256)
        shown = loads_shown_to(con, scope) if not same.is_empty() else None
        if shown is not None:  # another user's load of the same file is named only when it is in scope
            same = same.filter(pl.col("load_id").is_in(sorted(shown)))
        if not same.is_empty():
            report.notes.append(i18n.t("ingest.note.same_file", lang, load_id=same["load_id"][0],
                                       file=same["file_name"][0]))
        else:
            report.notes.append(i18n.t("ingest.note.nothing_changes", lang))


def load(con: duckdb.DuckDBPyConnection, source: Path | str | bytes, *, file_name: str | None = None,
         options: Options | None = None, user: str = "cli", is_demo: bool = False, scope=None,
         lang: str | None = None, progress: Progress | None = None, surface: str = "cli") -> Report:
    """Check a file and, when it has no problems, commit it in one transaction.

    A scope that may load nothing (`Scope.loading()` of a user without the analyst role) makes
    every row an out-of-scope error, so nothing is written. When another writer commits between
    the check and the commit (another process on a lake), the file is checked again against what
    is now stored and the report says so (`replan`); nothing is ever written from a stale plan."""
    raw, name = _source_bytes(source, file_name)
    work = con.cursor()
    try:
        with WRITE_LOCK:
            seed_catalogue(work)
            return replan.attempts(lambda attempt: _load_locked(
                work, raw, name, options, user, is_demo, scope, lang, progress, surface, replanned=attempt > 0))
    except replan.TooManyConflicts:
        report = Report(file=name)
        report.errors, report.error_total = [Problem(None, None, None, i18n.t("ingest.error.write_conflict", lang))], 1
        return report
    finally:
        work.close()


def seed_catalogue(con: duckdb.DuckDBPyConnection, *, user: str = "reference", is_demo: bool = False) -> list[int]:
    """The reference units (`catalog.ensure_reference`), and on a database with no indicator yet
    the shipped catalogue (`catalog.CATALOGUE_FILES`) as its first loads, through the
    `indicators` and `definition_changes` formats like any other (history, undo, audit). A
    database that has a catalogue keeps it: a changed shipped file never overwrites what analysts
    edited (load the shipped file to take its changes, with a plan). Returns the seed loads' ids."""
    catalog.ensure_reference(con, indicators=False)
    if not db.fetch(con, "catalog/indicator_ids").is_empty():
        return []
    done = []
    for path in catalog.CATALOGUE_FILES:
        report = _load_locked(con, path.read_bytes(), path.name, None, user, is_demo, None, None, None)
        if not report.committed:
            raise RuntimeError(f"the shipped catalogue {path.name} did not load: "
                               + "; ".join(p.line("en") for p in report.errors[:5]))
        if report.load_id is not None:
            done.append(report.load_id)
    return done


def _load_locked(work, raw: bytes, name: str, options: Options | None, user: str, is_demo: bool, scope,
                 lang: str | None, progress: Progress | None, surface: str = "cli", *,
                 replanned: bool = False) -> Report:
    planned = replan.planned_version(work)  # before the check's snapshot: a later one is a replan, never missed
    with db.read_transaction(work):  # every read of the check on one snapshot (on a lake, one catalog look-up)
        checked = _check(work, raw, name, options or Options(), scope, lang, progress, surface)
    report = checked.report
    if not report.ok() or checked.fmt is None or checked.table is None:
        return report
    if replanned:  # another writer committed since the first check: this plan is against its data
        report.notes.append(i18n.t("ingest.note.replanned", lang))
    _note_already_loaded(work, checked, scope, lang)
    if report.already_loaded or checked.plan is None:
        return report
    table = checked.table
    _step(progress, 0.8, "ingest.progress.committing", lang)
    with db.transaction(work):
        replan.still_planned(work, planned)
        load_id = db.next_ids(work, "load", tables=checked.tables)  # bumps the counter: a concurrent load conflicts at commit
        db.execute(
            work, "load/insert_load", id=load_id, file_name=name, size_bytes=table.size_bytes,
            sha256=table.sha256, format=report.detected["format"],
            detected_json=json.dumps(report.detected, ensure_ascii=False), user_name=user,
            n_rows=report.counts["rows"], n_new=report.counts["new"],
            n_changed=report.counts["changed"], n_unchanged=report.counts["unchanged"],
            n_rejected=report.counts["rejected"], is_demo=is_demo)
        checked.fmt.commit(work, checked.plan, load_id)
        if checked.fmt.learns_aliases:  # the names the user mapped, undone with this load
            aliases.save(work, report.new_aliases, load_id, name)
        db.execute(work, "load/record_load_units", load_id=load_id)  # for undo and history scope
        aggregates.refresh_after_load(work, load_id)  # derived tables of the directors' pages
        version = db.bump_data_version(work)
        demo.refresh_demo_flags(work)  # derived from every committed load (is_demo)
    report.load_id, report.data_version = load_id, version
    report.committed = True
    _step(progress, 1.0, "ingest.progress.done", lang)
    return report



def loads_shown_to(con: duckdb.DuckDBPyConnection, scope: access.Scope | None) -> set[int] | None:
    """The ids of the loads a user may see in the history, and that a message may name to them
    (None: every load, for no scope or a user who may load everything)."""
    if scope is None:
        return None
    allowed = set(scope.load_units)
    if allowed and allowed >= set(db.run(con, "access/all_unit_ids")["id"].to_list()):
        return None
    shown = access.loads_within(scope, db.run(con, "load/load_units"))
    if scope.programme_ids or scope.all_programmes:  # a programme manager's loads of their programmes
        written = db.fetch(con, "load/programme/loads_by_table")
        refused = written.filter(~pl.col("programme_id").map_elements(scope.may_edit_programme,
                                                                      return_dtype=pl.Boolean))
        shown |= set(written["load_id"].to_list()) - set(refused["load_id"].to_list())
    return shown


