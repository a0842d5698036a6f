"""Who may see what: the one place where a user's scope turns into query parameters.

Every query that reads unit-level data declares `$scope_units VARCHAR[]` and filters with
`unit_id in (select unnest($scope_units))`; `run_scoped` fills that parameter from the
signed-in user's scope, so no page, URL parameter or export can ask for more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl

from vetopito import db

SCOPE_PARAM = "scope_units"


@dataclass(frozen=True)
class Scope:
    """The units a user may see. `unit_ids` is a sorted tuple so the scope can be a cache key."""

    unit_ids: tuple[str, ...]
    roles: frozenset[str] = field(default_factory=frozenset)
    can_load: bool = False

    def allows(self, unit_id: str) -> bool:
        return unit_id in set(self.unit_ids)


def full_scope(con: duckdb.DuckDBPyConnection) -> Scope:
    """Everything: the local demo mode, admins, and the command line."""
    ids = tuple(sorted(db.run(con, "access__all_unit_ids")["id"].to_list()))
    return Scope(unit_ids=ids, roles=frozenset({"viewer", "director", "coach", "analyst", "admin"}),
                 can_load=True)


def scoped_params(name: str, scope: Scope, params: dict[str, Any]) -> dict[str, Any]:
    """Add `$scope_units` when the query declares it; refuse a caller that tries to set it."""
    if SCOPE_PARAM in params:
        raise ValueError(f"{SCOPE_PARAM} is set from the user's scope, never by the caller")
    if SCOPE_PARAM in db.query_parameters(name):
        return {**params, SCOPE_PARAM: list(scope.unit_ids)}
    return params


def run_scoped(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, /, **params: Any) -> pl.DataFrame:
    return db.run(con, name, **scoped_params(name, scope, params))
