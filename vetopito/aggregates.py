"""Derived tables that keep the directors' pages fast on a national-scale database.

`region_series` holds every observation of the regions and the national (FI) and YTA figure per
indicator and period (a reported figure where loaded, else the ratio of sums / sum / mean of the
regions, but only for a period in which every region has a value: every `kind = 'region'` unit for
FI, every region of the YTA for a YTA; a month one region loaded before the others gets no computed
figure, so the pages show `–` rather than that region's own value as the country's);
`observation_summary` holds, per unit and indicator, how many observations there are
and the latest period. Both are rebuilt per indicator inside the loader's transaction
(`vetopito.ingest.core.load` / `undo` call `refresh_after_load` / `indicators_of_load`), so they
are never out of step with `observation`; a load that wrote no observations (units, targets,
teams) rebuilds every indicator, since a unit may have moved to another YTA.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from vetopito import db


def all_indicator_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return db.fetch(con, "catalog__indicators")["id"].to_list()


def indicators_of_load(con: duckdb.DuckDBPyConnection, load_id: int) -> list[str]:
    """The indicators whose observations a load wrote or replaced (before its undo, or after its commit)."""
    return db.fetch(con, "region__load_indicator_ids", load_id=load_id)["indicator_id"].to_list()


def refresh(con: duckdb.DuckDBPyConnection, indicator_ids: Iterable[str] | None = None) -> None:
    """Rebuild the derived rows of these indicators (all when None or empty); call inside the
    transaction that changed the observations."""
    ids = sorted(set(indicator_ids or ())) or all_indicator_ids(con)
    db.execute(con, "region__delete_series", indicator_ids=ids)
    db.execute(con, "region__insert_series", indicator_ids=ids)
    db.execute(con, "units__delete_summary", indicator_ids=ids)
    db.execute(con, "units__insert_summary", indicator_ids=ids)


def refresh_after_load(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """After a load's commit, in its transaction."""
    refresh(con, indicators_of_load(con, load_id))
