"""Whether the figures are synthetic: derived from the committed loads, never sticky.

`meta.demo_only` is "true" when there is at least one committed load and every committed load
is demo data (`load.is_demo`); `meta.demo_mixed` is "true" when demo and real loads are both
committed. `refresh_demo_flags` recomputes both; the loader calls it inside the transaction
of every load and undo, so undoing the only real load brings the "synthetic data" banner back.
"""

from __future__ import annotations

import duckdb

from vetopito import db

DEMO_ONLY = "demo_only"
DEMO_MIXED = "demo_mixed"


def demo_state(con: duckdb.DuckDBPyConnection) -> str:
    """`demo` (only demo loads), `mixed` (demo and real), `real` or `empty` (nothing loaded)."""
    row = db.fetch(con, "load/demo_state").row(0, named=True)
    demo, real = int(row["demo_loads"] or 0), int(row["real_loads"] or 0)
    if demo and real:
        return "mixed"
    return "demo" if demo else "real" if real else "empty"


def refresh_demo_flags(con: duckdb.DuckDBPyConnection) -> str:
    """Recompute `demo_only` and `demo_mixed` from the committed loads (on this connection, so
    inside its open transaction); returns the state."""
    state = demo_state(con)
    db.set_meta(con, DEMO_ONLY, "true" if state == "demo" else "false")
    db.set_meta(con, DEMO_MIXED, "true" if state == "mixed" else "false")
    return state
