"""The statements only tests use (`tests/queries/<folder>/<name>.sql`), run with the binding of
`vetopito.db.run` / `execute` / `fetch`: the library's `queries/` holds only what the code runs.

    from tests import sql
    sql.run(con, "load/observations")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vetopito import db

FOLDER = Path(__file__).resolve().parent / "queries"


def names() -> list[str]:
    return db.query_names(FOLDER)


def run(con: Any, name: str, /, **params: Any):
    return db.run_from(FOLDER, con, name, **params)


def execute(con: Any, name: str, /, **params: Any) -> None:
    db.execute_from(FOLDER, con, name, **params)


def fetch(con: Any, name: str, /, **params: Any):
    return db.fetch_from(FOLDER, con, name, **params)


def run_scoped(con: Any, name: str, scope: Any, /, **params: Any):
    """`access.run_scoped` for a test statement: `$scope_units` from `scope` when it declares it."""
    if "scope_units" in db.query_parameters(name, FOLDER):
        params = {**params, "scope_units": list(scope.unit_ids)}
    return run(con, name, **params)
