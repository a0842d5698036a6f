"""Files that describe rather than measure: organisational units, targets and events."""

from __future__ import annotations

import polars as pl

from vetopito import db
from vetopito.ingest import history
from vetopito.ingest.history import blockers_by
from vetopito.ingest.parsing import Context, Format, Parsed, registered
from vetopito.ingest.problems import no_problems, problems
from vetopito.ingest.read import Table
from vetopito.ingest.values import number_expr, parse_period

UNIT_KINDS = ("org_unit", "team")
EVENT_KINDS = ("workshop", "intervention", "note", "process_change")
# An event of this kind starts a new SPC phase (limits recalculated) from its period on the charts of
# its unit (and of the teams under it), for its indicator or, with none given, every indicator.
PROCESS_CHANGE = "process_change"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
SHORT_NAMES = ("short_fi", "short_sv", "short_en")


def _col(table: Table, name: str) -> pl.Expr:
    header = [h.lower() for h in table.header]
    return pl.col(f"c{header.index(name)}") if name in header else pl.lit(None, dtype=pl.String)


def _head(table: Table, name: str) -> str:
    header = [h.lower() for h in table.header]
    return table.header[header.index(name)] if name in header else name


def _finish(frame: pl.DataFrame, errors: list[pl.DataFrame], layout: str, n_rows: int,
            columns: list[str]) -> Parsed:
    all_errors = pl.concat([e for e in errors if e.height] or [no_problems()])
    bad = all_errors["row"].drop_nulls().unique()
    clean = frame.filter(~pl.col("_row").is_in(bad.implode())) if bad.len() else frame
    clean = clean.select(*columns, pl.col("_row").alias("row_number"))
    return Parsed(rows=clean, errors=all_errors, layout=layout, n_rows=n_rows)


def _resolve_unit(frame: pl.DataFrame, ctx: Context, source: str, out: str, extra: dict[str, str]
                  | None = None) -> pl.DataFrame:
    uniques = frame[source].drop_nulls().unique().to_list()
    mapping = {v: (extra or {}).get(v) or ctx.unit(v) for v in uniques}
    return frame.with_columns(pl.col(source).replace_strict(mapping, default=None, return_dtype=pl.String)
                              .alias(out))


def _unknown_unit(frame: pl.DataFrame, ctx: Context, source: str, resolved: str, column: str) -> pl.DataFrame:
    bad = frame.filter(pl.col(resolved).is_null() & (pl.col(source).fill_null("") != ""))
    if bad.is_empty():
        return no_problems()
    close = {v: ", ".join(ctx.closest_units(v)) or "–" for v in bad[source].unique().to_list()}
    return problems(bad, "ingest.error.unknown_unit", column, pl.col(source),
                    closest=pl.col(source).replace_strict(close, default="–"))


def _out_of_scope(frame: pl.DataFrame, ctx: Context, resolved: str, source: str, column: str) -> pl.DataFrame:
    if ctx.scope is None:
        return no_problems()
    bad = frame.filter(pl.col(resolved).is_not_null() & ~pl.col(resolved).is_in(list(ctx.scope.unit_ids)))
    return problems(bad, "ingest.error.out_of_scope", column, pl.col(source))


def _required(frame: pl.DataFrame, source: str, column: str) -> pl.DataFrame:
    return problems(frame.filter(pl.col(source).fill_null("") == ""), "ingest.error.required", column,
                    pl.col(source))


def _date_column(frame: pl.DataFrame, source: str, out: str) -> pl.DataFrame:
    uniques = frame[source].drop_nulls().unique().to_list()
    mapping = {}
    for v in uniques:
        period = parse_period(v)
        mapping[v] = period.start if period else None
    return frame.with_columns(pl.col(source).replace_strict(mapping, default=None, return_dtype=pl.Date).alias(out))


def detect_units(header, table, options) -> bool:
    names = set(header)
    return "id" in names and "parent" in names and ("name" in names or "name_fi" in names)


def parse_units(table: Table, ctx: Context) -> Parsed:
    name = _col(table, "name")
    frame = table.frame.select(
        pl.col("_row"),
        _col(table, "id").alias("id"),
        pl.coalesce(_col(table, "name_fi").replace("", None), name).alias("name_fi"),
        pl.coalesce(_col(table, "name_sv").replace("", None), _col(table, "name_fi").replace("", None),
                    name).alias("name_sv"),
        pl.coalesce(_col(table, "name_en").replace("", None), _col(table, "name_fi").replace("", None),
                    name).alias("name_en"),
        _col(table, "parent").alias("parent"),
        pl.coalesce(_col(table, "kind").replace("", None), pl.lit("org_unit")).alias("kind"),
        _col(table, "org_kind").replace("", None).alias("org_kind"),
        *(_col(table, short).replace("", None).alias(short) for short in SHORT_NAMES),
    )
    lowered = [h.lower() for h in table.header]
    stored_rows = ctx.lookup.unit_rows
    for column in ("name_sv", "name_en", "org_kind", "kind", *SHORT_NAMES):
        if column not in lowered:  # a column the file lacks keeps what a stored unit has
            known = {i: r.get(column) for i, r in stored_rows.items() if r.get(column) is not None}
            frame = frame.with_columns(pl.coalesce(pl.col("id").replace_strict(known, default=None,
                                                                               return_dtype=pl.String),
                                                   pl.col(column)).alias(column))
    # A parent must exist before the load. DuckDB 2.0 refuses to delete a child and then its parent
    # in one transaction ("Violates foreign key constraint because key "id: …" does not exist in the
    # referenced table": the unit.parent_id check still sees the deleted child), so a load that
    # created both could not be undone in one transaction.
    in_file = set(frame["id"].drop_nulls().to_list()) - set(ctx.lookup.unit_rows)
    frame = _resolve_unit(frame, ctx, "parent", "parent_id")
    id_col, parent_col = _head(table, "id"), _head(table, "parent")
    name_col = _head(table, "name_fi") if "name_fi" in [h.lower() for h in table.header] else _head(table, "name")
    errors = [
        _required(frame, "id", id_col),
        problems(frame.filter((pl.col("id") != "") & ~pl.col("id").str.contains(ID_PATTERN)),
                 "ingest.error.bad_id", id_col, pl.col("id")),
        _required(frame, "name_fi", name_col),
        # only the country has no parent (the schema no longer checks it: see 001_core.sql)
        problems(frame.filter(pl.col("parent").fill_null("") == ""), "ingest.error.no_parent", parent_col,
                 pl.col("parent")),
        problems(frame.filter(pl.col("parent").is_in(list(in_file))), "ingest.error.parent_in_file",
                 parent_col, pl.col("parent")),
        _unknown_unit(frame.filter(~pl.col("parent").is_in(list(in_file))), ctx, "parent", "parent_id",
                      parent_col),
        problems(frame.filter(~pl.col("kind").is_in(list(UNIT_KINDS))), "ingest.error.bad_choice",
                 _head(table, "kind"), pl.col("kind"), choices=pl.lit(", ".join(UNIT_KINDS))),
        _out_of_scope(frame, ctx, "parent_id", "parent", parent_col),
    ]
    # Renaming a stored unit (names, short names, kind, org_kind) is a "changed" row, updated in
    # place, kept in unit_history and restored by undo. Moving is refused: DuckDB 2.0 still runs an
    # UPDATE of the foreign-key column unit.parent_id as a delete + insert of the row, and refuses
    # the delete while anything references the unit ("Violates foreign key constraint because key
    # "unit_id: …" is still referenced by a foreign key in a different table"), so a unit with data
    # or children could never be moved (tests/test_ingest_units.py reproduces it).
    stored = ctx.lookup.unit_parents
    # A stored unit outside the scope is neither renamed nor moved (its id is the row's problem);
    # a move error names the current parent only when the user may see it.
    outside = frame.filter(pl.col("id").is_in(list(stored)) & ~pl.col("id").is_in(list(ctx.scope_units)))
    errors.append(problems(outside, "ingest.error.out_of_scope", id_col, pl.col("id")))
    moved = frame.filter(pl.col("id").is_in(list(stored)) & pl.col("id").is_in(list(ctx.scope_units))
                         & pl.col("parent_id").is_not_null()
                         & (pl.col("parent_id") != pl.col("id").replace_strict(stored, default=None)))
    current = {unit_id: ctx.shown_unit(stored.get(unit_id)) for unit_id in moved["id"].unique().to_list()}
    errors.append(problems(moved, "ingest.error.cannot_move", parent_col, pl.col("parent"),
                           current=pl.col("id").replace_strict(current, default="–")))
    kinds = ctx.lookup.unit_kinds
    reference = frame.filter(pl.col("id").replace_strict(kinds, default="").is_in(["country", "yta", "region"]))
    errors.append(problems(reference, "ingest.error.reference_unit", id_col, pl.col("id")))
    dupes = frame.with_columns(pl.col("_row").min().over("id").alias("first")).filter(
        pl.col("_row") != pl.col("first"))
    errors.append(problems(dupes, "ingest.error.duplicate", id_col, pl.col("id"), first=pl.col("first")))
    # depth within the file, so parents are created before their children
    parents = dict(zip(frame["id"].to_list(), frame["parent_id"].to_list(), strict=True))

    def depth(unit_id: str) -> int:
        seen, d = set(), 0
        while parents.get(unit_id) in parents and unit_id not in seen:
            seen.add(unit_id)
            unit_id, d = parents[unit_id], d + 1
        return d

    frame = frame.with_columns(pl.col("id").map_elements(depth, return_dtype=pl.Int64).alias("depth"))
    return _finish(frame, errors, "units", table.frame.height,
                   ["id", "kind", "parent_id", "name_fi", "name_sv", "name_en", *SHORT_NAMES, "org_kind",
                    "depth"])


def plan_units(con, rows: pl.DataFrame) -> pl.DataFrame:
    with registered(con, "incoming", rows):
        return db.fetch(con, "load/unit_plan")


def commit_units(con, plan: pl.DataFrame, load_id: int) -> None:
    changes = plan.filter(pl.col("status") != "unchanged")
    history.save(con, "unit", load_id, changes.filter(pl.col("status") == "changed"))
    with registered(con, "incoming_changes", changes):
        for depth in sorted(set(changes["depth"].to_list())):
            db.execute(con, "load/insert_units", depth=depth)
        db.execute(con, "load/update_units")
    history.record_created(con, "unit", load_id, changes.filter(pl.col("status") == "new"))


UNITS = Format("units", detect_units, parse_units, plan_units, commit_units,
               history.Undo(("unit",)).undo,
               blockers_by("load/unit_undo_blockers"), priority=20)


def detect_targets(header, table, options) -> bool:
    return {"indicator", "unit", "target_value", "due_date"} <= set(header)


def parse_targets(table: Table, ctx: Context) -> Parsed:
    frame = table.frame.select(
        pl.col("_row"),
        _col(table, "indicator").alias("indicator"),
        _col(table, "unit").alias("unit"),
        _col(table, "target_value").alias("target_raw"),
        _col(table, "due_date").alias("due_raw"),
        _col(table, "label").replace("", None).alias("label"),
        _col(table, "source").replace("", None).alias("source"),
    )
    frame = _resolve_unit(frame, ctx, "unit", "unit_id")
    ind_map = {v: ctx.lookup.indicator(v) for v in frame["indicator"].unique().to_list()}
    frame = frame.with_columns(
        pl.col("indicator").replace_strict(ind_map, default=None, return_dtype=pl.String).alias("indicator_id"),
        number_expr("target_raw").alias("target_value"),
    )
    frame = _date_column(frame, "due_raw", "due_date")
    ind_col, unit_col = _head(table, "indicator"), _head(table, "unit")
    bad_ind = frame.filter(pl.col("indicator_id").is_null())
    close = {v: ", ".join(ctx.closest_indicators(v)) or "–" for v in bad_ind["indicator"].unique().to_list()}
    errors = [
        problems(bad_ind, "ingest.error.unknown_indicator", ind_col, pl.col("indicator"),
                 closest=pl.col("indicator").replace_strict(close, default="–")),
        _unknown_unit(frame, ctx, "unit", "unit_id", unit_col),
        _required(frame, "unit", unit_col),
        _out_of_scope(frame, ctx, "unit_id", "unit", unit_col),
        problems(frame.filter(pl.col("target_value").is_null()), "ingest.error.not_a_number",
                 _head(table, "target_value"), pl.col("target_raw")),
        problems(frame.filter(pl.col("due_date").is_null()), "ingest.error.unknown_period",
                 _head(table, "due_date"), pl.col("due_raw")),
    ]
    key = ["indicator_id", "unit_id", "due_date"]
    dupes = frame.drop_nulls(key).with_columns(pl.col("_row").min().over(key).alias("first")).filter(
        pl.col("_row") != pl.col("first"))
    errors.append(problems(dupes, "ingest.error.duplicate", _head(table, "target_value"), pl.col("target_raw"),
                           first=pl.col("first")))
    return _finish(frame, errors, "targets", table.frame.height,
                   ["indicator_id", "unit_id", "due_date", "target_value", "label", "source"])


def plan_targets(con, rows: pl.DataFrame) -> pl.DataFrame:
    with registered(con, "incoming", rows):
        return db.fetch(con, "load/target_plan")


def commit_targets(con, plan: pl.DataFrame, load_id: int) -> None:
    history.save(con, "target", load_id, plan.filter(pl.col("status") == "changed"))
    with registered(con, "incoming_changes", plan.filter(pl.col("status") != "unchanged")):
        db.execute(con, "load/upsert_targets", load_id=load_id)


TARGETS = Format("targets", detect_targets, parse_targets, plan_targets, commit_targets,
               history.Undo(("target",)).undo,
               blockers_by("load/target_undo_blockers"), priority=20)


def detect_events(header, table, options) -> bool:
    return {"unit", "date", "kind", "label"} <= set(header)


def parse_events(table: Table, ctx: Context) -> Parsed:
    """`unit, date, kind, label` and an optional `indicator`, which only a process change may name
    (the SPC limits of that indicator alone are recalculated; empty: of every indicator)."""
    frame = table.frame.select(
        pl.col("_row"),
        _col(table, "unit").alias("unit"),
        _col(table, "date").alias("date_raw"),
        _col(table, "kind").str.to_lowercase().alias("kind"),
        _col(table, "label").alias("label"),
        _col(table, "indicator").str.strip_chars().replace("", None).alias("indicator"),
    )
    frame = _resolve_unit(frame, ctx, "unit", "unit_id")
    frame = _date_column(frame, "date_raw", "event_date")
    ind_map = {v: ctx.lookup.indicator(v) for v in frame["indicator"].drop_nulls().unique().to_list()}
    frame = frame.with_columns(pl.col("indicator").replace_strict(ind_map, default=None, return_dtype=pl.String)
                               .alias("indicator_id"))
    unit_col, ind_col = _head(table, "unit"), _head(table, "indicator")
    bad_ind = frame.filter(pl.col("indicator").is_not_null() & pl.col("indicator_id").is_null())
    close = {v: ", ".join(ctx.closest_indicators(v)) or "–" for v in bad_ind["indicator"].unique().to_list()}
    errors = [
        _unknown_unit(frame, ctx, "unit", "unit_id", unit_col),
        _required(frame, "unit", unit_col),
        _out_of_scope(frame, ctx, "unit_id", "unit", unit_col),
        problems(frame.filter(pl.col("event_date").is_null()), "ingest.error.unknown_period",
                 _head(table, "date"), pl.col("date_raw")),
        problems(frame.filter(~pl.col("kind").is_in(list(EVENT_KINDS))), "ingest.error.bad_choice",
                 _head(table, "kind"), pl.col("kind"), choices=pl.lit(", ".join(EVENT_KINDS))),
        _required(frame, "label", _head(table, "label")),
        problems(bad_ind, "ingest.error.unknown_indicator", ind_col, pl.col("indicator"),
                 closest=pl.col("indicator").replace_strict(close, default="–")),
        problems(frame.filter(pl.col("indicator").is_not_null() & pl.col("kind").is_in(list(EVENT_KINDS))
                              & (pl.col("kind") != PROCESS_CHANGE)),
                 "ingest.error.event_indicator_not_process_change", ind_col, pl.col("indicator"),
                 kind=pl.col("kind"), process_change=pl.lit(PROCESS_CHANGE)),
    ]
    key = ["unit_id", "event_date", "kind", "label"]
    dupes = frame.drop_nulls(key).with_columns(pl.col("_row").min().over([*key, "indicator_id"]).alias("first")
                                               ).filter(pl.col("_row") != pl.col("first"))
    errors.append(problems(dupes, "ingest.error.duplicate", _head(table, "label"), pl.col("label"),
                           first=pl.col("first")))
    return _finish(frame, errors, "events", table.frame.height,
                   ["unit_id", "event_date", "kind", "label", "indicator_id"])


def plan_events(con, rows: pl.DataFrame) -> pl.DataFrame:
    with registered(con, "incoming", rows):
        return db.fetch(con, "load/event_plan")


def commit_events(con, plan: pl.DataFrame, load_id: int) -> None:
    new = plan.filter(pl.col("status") == "new")
    if new.is_empty():
        return
    first_id = db.next_ids(con, "event", new.height)
    with registered(con, "incoming_changes", new):
        db.execute(con, "load/insert_events", load_id=load_id, first_id=first_id)


EVENTS = Format("events", detect_events, parse_events, plan_events, commit_events,
               history.Undo(("event",)).undo,
               lambda con, load_id: [], priority=20)
