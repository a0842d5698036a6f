"""Writers serialise, readers never wait: every load and undo plans against one data version and
commits only on that version, else it plans again.

In one process `cycle.WRITE_LOCK` orders the writers, and the embedded file lets one process
write. On a lake any number of processes on any number of machines write, and a DuckLake commit
fails whole only when it conflicts with another's (two inserts of the same key do not conflict:
both would commit). So each write transaction (1) reads the data version and refuses to go on
when it is not the one its plan was made on (another writer committed in between), and (2) bumps
that version (`db.bump_data_version`), which makes any two write transactions that overlap in
time conflict at commit: the second fails with nothing of it visible. Both ways end in `Replan`,
and the writer checks the file again against what is now stored (`attempts`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb

from vetopito import db

ATTEMPTS = 8   # a writer that lost this many times in a row says so (`TooManyConflicts`)

T = TypeVar("T")


class Replan(Exception):
    """Another writer committed since the plan was made: plan again."""


class TooManyConflicts(Exception):
    """Every attempt met another writer's commit: nothing of this write was stored."""


def planned_version(con: duckdb.DuckDBPyConnection) -> int:
    """The data version a plan is made on (read before the plan, outside its transaction)."""
    return db.data_version(con)


def still_planned(con: duckdb.DuckDBPyConnection, planned: int) -> None:
    """First thing in the write transaction: `Replan` when the version moved since the plan."""
    if db.data_version(con) != planned:
        raise Replan


def is_conflict(exc: BaseException) -> bool:
    """A commit (or statement) refused because another transaction changed the same data: DuckDB's
    own error, or the `db.DatabaseError` of kind "conflict" `db.classify` makes of it."""
    if isinstance(exc, db.DatabaseError):
        return getattr(exc, "kind", None) == "conflict"
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


def attempts(write: Callable[[int], T], *, tries: int = ATTEMPTS) -> T:
    """`write(attempt)` (0, 1, …) until it returns without `Replan` or a commit conflict."""
    for attempt in range(tries):
        try:
            return write(attempt)
        except Replan:
            continue
        except (duckdb.Error, db.DatabaseError) as exc:
            if not is_conflict(exc):
                raise
    raise TooManyConflicts
