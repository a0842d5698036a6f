"""Derived tables that keep the directors' pages fast on a national-scale database.

`region_series` holds every observation of the regions and the national (FI) and YTA figure per
indicator and period (a reported figure where loaded, else the ratio of sums / sum / mean of the
regions, but only for a period in which every region has a value: every `kind = 'region'` unit for
FI, every region of the YTA for a YTA; a month one region loaded before the others gets no computed
figure, so the pages show `–` rather than that region's own value as the country's);
`observation_summary` holds, per unit and indicator, how many observations there are
and the latest period. Both are rebuilt inside the loader's transaction, within what the load's
observations span (`Extent`: its indicators and periods; `vetopito.ingest.core.load` /
`undo` call `refresh_after_load` / `extent_of_load`), so they are never out of step with
`observation`; a load that wrote no observations (units, targets, teams) rebuilds everything,
since a unit may have moved to another YTA.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb

from vetopito import db


def all_indicator_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return db.fetch(con, "catalog__indicator_ids")["id"].to_list()


@dataclass(frozen=True)
class Extent:
    """What the observations of a load span: their indicators, and the first and last period
    start. A row of `region_series` depends only on observations of its own indicator and period,
    so the rows a load can change there all lie within this extent; `observation_summary` (counts
    and the latest period per unit) is rebuilt for the extent's indicators, every period."""

    indicator_ids: tuple[str, ...]
    first: date
    last: date


def extent_of_load(con: duckdb.DuckDBPyConnection, load_id: int) -> Extent | None:
    """The extent of what a load wrote or replaced (call before its undo, or after its commit);
    None when it touched no observation (a units, targets or teams load)."""
    row = db.fetch(con, "region__load_extent", load_id=load_id).row(0, named=True)
    if not row["indicator_ids"]:
        return None
    return Extent(tuple(row["indicator_ids"]), row["first"], row["last"])


def refresh(con: duckdb.DuckDBPyConnection, indicator_ids: Iterable[str] | None = None) -> None:
    """Rebuild the derived rows of these indicators (all when None or empty), every period and
    unit; call inside the transaction that changed the observations."""
    ids = sorted(set(indicator_ids or ())) or all_indicator_ids(con)
    db.rebuild_derived(con, ids)


def refresh_extent(con: duckdb.DuckDBPyConnection, extent: Extent | None) -> None:
    """Rebuild the derived rows within a load's extent (every row when None: a load without
    observations may have moved a unit to another YTA); inside the load's or undo's transaction."""
    if extent is None:
        refresh(con)
        return
    db.rebuild_derived(con, list(extent.indicator_ids), first=extent.first, last=extent.last)


def refresh_after_load(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """After a load's commit, in its transaction."""
    refresh_extent(con, extent_of_load(con, load_id))
