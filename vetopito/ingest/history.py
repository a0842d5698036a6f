"""How a format undoes a load: the statements that count, restore and remove its rows, and the
query naming the later loads that block the undo."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from vetopito import db


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

