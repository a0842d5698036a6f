"""The one history mechanism of undo: the tables a load may change are named once in `TRACKED`,
and the same statements (`queries/history/*.sql`, run by `db.execute_tracked` with the table's
identity filled in from its entry here, never from input) keep what a load replaces, record what
it creates, and undo it. A new table gets undo by being named here once (with its history table,
migrated beside it).

Two kinds of tables:
- rows that carry `load_id` (observation, target, event, indicator_alias): undo deletes the load's rows and
  re-inserts the rows it had replaced from the history table;
- keyed rows without a load id (unit, team, team_measure, operating_model, indicator and its
  detail, seasonality, scope and definition changes): the rows a load
  created are recorded in `load_row`; undo deletes them and updates the rows it changed back from
  the history table.

What blocks an undo (later loads that changed what this one wrote) stays a query of each format
(`blockers_by`), as does `load/record_load_units`, the units a load touched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import duckdb
import polars as pl

from vetopito import db
from vetopito.ingest.parsing import registered


@dataclass(frozen=True)
class Tracked:
    """A table a load may change.

    `keys` identify a row, `columns` are put back by undo, `also_kept` are kept in the history
    beside them but never put back (a unit's parent, a team's region: fixed once stored, read by
    the blockers and the load scope). `history` is the table of replaced rows (None: rows are only
    ever added). `written`: `load_id` when the rows carry the load that wrote them, `recorded` when
    `load_row` records the rows a load created. `parent`: a column referring to the same table;
    undo then removes only the created rows no row has as its parent (DuckDB refuses to delete a
    parent and its child in one transaction)."""

    table: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    history: str | None
    written: Literal["load_id", "recorded"]
    also_kept: tuple[str, ...] = ()
    parent: str | None = None


TRACKED: tuple[Tracked, ...] = (
    Tracked("observation", ("indicator_id", "unit_id", "period_start", "grain"),
            ("value", "numerator", "denominator", "respondents", "flag", "load_id"),
            "observation_history", "load_id"),
    Tracked("target", ("indicator_id", "unit_id", "due_date"), ("target_value", "label", "source", "load_id"),
            "target_history", "load_id"),
    Tracked("event", ("id",), (), None, "load_id"),
    # a name an analyst mapped to an indicator, saved with the load of the file that named it
    Tracked("indicator_alias", ("alias_norm",), (), None, "load_id"),
    Tracked("unit", ("id",), ("name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en", "kind",
                              "org_kind"),
            "unit_history", "recorded", also_kept=("parent_id",), parent="parent_id"),
    Tracked("team", ("unit_id",), ("work_unit", "cohort_year", "theme", "aim_text", "size", "started_on"),
            "team_history", "recorded", also_kept=("region_id", "yta_id")),
    Tracked("team_measure", ("team_id", "indicator_id"),
            ("baseline_value", "baseline_period", "aim_value", "aim_date"), "team_measure_history", "recorded"),
    Tracked("operating_model", ("team_id", "title"), ("theme", "link"), "operating_model_history", "recorded"),
    # the catalogue (the `indicators` format, ingest/indicators.py; migration 016)
    Tracked("indicator", ("id",), ("name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en", "theme",
                                   "unit", "direction", "decimals", "aggregation", "min_persons",
                                   "definition_fi", "definition_sv", "definition_en", "source", "licence",
                                   "sotkanet_id", "sort_order"),
            "indicator_history", "recorded"),
    Tracked("indicator_detail", ("indicator_id",), ("unit", "min_respondents", "name_sv_given", "name_en_given"),
            "indicator_detail_history", "recorded"),
    Tracked("indicator_seasonality", ("indicator_id",), ("seasonal",), "indicator_seasonality_history",
            "recorded"),
    Tracked("indicator_definition_change", ("indicator_id", "valid_from"), ("note_fi", "note_sv", "note_en"),
            "indicator_definition_change_history", "recorded"),
    # whose an indicator is: national, a region's own, a team's own (migration 017)
    Tracked("indicator_scope", ("indicator_id",), ("scope_kind", "scope_value"), "indicator_scope_history",
            "recorded"),
    # development programmes (the programme formats, ingest/programmes.py; migration 018): rows carry
    # their load, keys are kept by the loader (no keys in the schema, as on DuckLake)
    Tracked("programme", ("id",), ("name", "funder", "period_start", "period_end", "owner_email", "description",
                                   "is_demo", "load_id"), "programme_history", "load_id"),
    Tracked("programme_region", ("programme_id", "region_id"), ("load_id",), "programme_region_history",
            "load_id"),
    Tracked("programme_goal", ("programme_id", "goal_id"), ("position", "name", "load_id"),
            "programme_goal_history", "load_id"),
    Tracked("subproject", ("programme_id", "subproject_id"), ("goal_id", "position", "name", "scope_name",
                                                              "load_id"), "subproject_history", "load_id"),
    Tracked("subproject_unit", ("programme_id", "subproject_id", "unit_id"), ("load_id",),
            "subproject_unit_history", "load_id"),
    Tracked("programme_measure", ("programme_id", "subproject_id", "measure_id"),
            ("position", "kind", "name", "indicator_id", "unit_id", "method", "baseline_text", "baseline_value",
             "baseline_date", "due_date", "done_date", "output_kind", "load_id"),
            "programme_measure_history", "load_id"),
    Tracked("measure_target", ("programme_id", "subproject_id", "measure_id", "target_date"),
            ("value", "text", "load_id"), "measure_target_history", "load_id"),
    Tracked("output_count", ("programme_id", "subproject_id", "measure_id", "period_start", "period_end"),
            ("value", "load_id"), "output_count_history", "load_id"),
    Tracked("reporting_round", ("programme_id", "round_date"), ("name", "load_id"), "reporting_round_history",
            "load_id"),
    Tracked("round_entry", ("programme_id", "subproject_id", "round_date"),
            ("text", "author_email", "written_at", "load_id"), "round_entry_history", "load_id"),
)


def tracked(table: str) -> Tracked:
    """The entry of `TRACKED` named `table` (ValueError for any other name)."""
    for entry in TRACKED:
        if entry.table == table:
            return entry
    raise ValueError(f"{table!r} is not a tracked table")


def _run(con, name: str, entry: Tracked, **params) -> pl.DataFrame:
    if "table_name" in db.query_parameters(name):
        params["table_name"] = entry.table
    return db.execute_tracked(con, name, tracked=TRACKED, table=entry.table, **params)


def run_tracked(con: duckdb.DuckDBPyConnection, name: str, table: str, **params) -> pl.DataFrame:
    """Run the statement `queries/history/<name>` for tracked `table` (the programme formats'
    keyed writes: `stored_rows`, `programme_rows`, `delete_keys`, `insert_rows`, `replaced_by`)."""
    return _run(con, name, tracked(table), **params)


def save(con: duckdb.DuckDBPyConnection, table: str, load_id: int, keys: pl.DataFrame) -> None:
    """Keep the stored state of the rows of `table` that load `load_id` is about to change
    (`keys`: their key columns, named as in the table), in the load's transaction."""
    entry = tracked(table)
    if keys.is_empty():
        return
    with registered(con, "history_keys", keys.select(entry.keys)):
        _run(con, "history/save", entry, load_id=load_id)


def record_created(con: duckdb.DuckDBPyConnection, table: str, load_id: int, keys: pl.DataFrame) -> None:
    """Record the rows of `table` (a `recorded` table) that load `load_id` created (`keys`: their
    key columns), so that undo can remove them."""
    entry = tracked(table)
    if entry.written != "recorded":
        raise ValueError(f"{table!r} rows carry their load id; nothing to record")
    if keys.is_empty():
        return
    with registered(con, "history_keys", keys.select(entry.keys)):
        _run(con, "history/record_created", entry, load_id=load_id)


def _count(con, name: str, entry: Tracked, load_id: int) -> int:
    return int(_run(con, name, entry, load_id=load_id).item(0, 0))


def written_count(con: duckdb.DuckDBPyConnection, table: str, load_id: int) -> int:
    """How many rows of `table` (a table whose rows carry their load) load `load_id` wrote."""
    return _count(con, "history/count_written", tracked(table), load_id)


def _counts(con, entry: Tracked, load_id: int) -> tuple[int, int]:
    """(restored, removed): the rows undoing `load_id` puts back and removes in this table."""
    restored = _count(con, "history/count_history", entry, load_id) if entry.history else 0
    if entry.written == "load_id":
        return restored, _count(con, "history/count_written", entry, load_id) - restored
    return restored, _count(con, "history/count_created", entry, load_id)


def _remove_created(con, entry: Tracked, load_id: int) -> None:
    if entry.written == "load_id":
        _run(con, "history/delete_written", entry, load_id=load_id)
        return
    _run(con, "history/delete_created_leaves" if entry.parent else "history/delete_created", entry,
         load_id=load_id)
    _run(con, "history/forget_created", entry, load_id=load_id)


def _put_back(con, entry: Tracked, load_id: int) -> None:
    if entry.history is None:
        return
    _run(con, "history/reinsert" if entry.written == "load_id" else "history/restore", entry, load_id=load_id)
    _run(con, "history/forget_history", entry, load_id=load_id)


@dataclass(frozen=True)
class Undo:
    """How a format's loads are undone: the tracked `tables` it writes, in the order they are
    undone (rows referring to others first), those whose rows the undo counts (`counted`; None:
    all), and those whose created rows are removed only after the undo committed (`after_commit`:
    DuckDB cannot delete a row, such as a team's unit, in the transaction that deleted the rows
    referring to it)."""

    tables: tuple[str, ...]
    counted: tuple[str, ...] | None = None
    after_commit: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for table in (*self.tables, *(self.counted or ()), *self.after_commit):
            tracked(table)

    def undo(self, con: duckdb.DuckDBPyConnection, load_id: int) -> tuple[int, int]:
        """Put back what load `load_id` replaced and remove what it created, in the caller's
        transaction; returns (restored, removed), counted before anything changes."""
        entries = [tracked(t) for t in self.tables]
        counted = [_counts(con, e, load_id) for e in entries if self.counted is None or e.table in self.counted]
        for entry in entries:
            if entry.table not in self.after_commit:
                _remove_created(con, entry, load_id)
            _put_back(con, entry, load_id)
        return sum(c[0] for c in counted), sum(c[1] for c in counted)

    def after_undo(self, con: duckdb.DuckDBPyConnection, load_id: int) -> None:
        """In a second transaction after the undo committed: remove the created rows of the
        `after_commit` tables."""
        for table in self.after_commit:
            _remove_created(con, tracked(table), load_id)

    def after(self) -> Callable[[duckdb.DuckDBPyConnection, int], None] | None:
        """`after_undo` for a `Format`, when there is anything to do after the commit."""
        return self.after_undo if self.after_commit else None


def blockers_by(query: str) -> Callable[[duckdb.DuckDBPyConnection, int], list[int]]:
    """A format's undo blockers: the later loads `query` names (column `load_id`)."""
    def blockers(con: duckdb.DuckDBPyConnection, load_id: int) -> list[int]:
        return db.fetch(con, query, load_id=load_id)["load_id"].to_list()
    return blockers
