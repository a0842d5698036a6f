"""Named queries run for one user outside Streamlit: the `run(name, **params)` that library
code takes (`vetopito.ui.query` is the app's cached one), for the command line, exports and
tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from vetopito import access

Runner = Callable[..., pl.DataFrame]


def runner(con, scope: access.Scope | None = None) -> Runner:
    """A `run(name, **params)` for library code and tests: scoped to `scope` (the whole database
    when None), uncached."""
    scope = scope or access.full_scope(con)

    def run(name: str, /, **params: Any) -> pl.DataFrame:
        return access.run_scoped(con, name, scope, **params)

    return run
