"""What a format is and what its parser may use: `Format` (detect, parse, plan, commit, undo,
blockers), `Parsed` (its reading of a file), `Context` (catalogue, options, scope, language),
and `registered` (a polars frame readable by the named queries)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from vetopito import i18n
from vetopito.ingest.problems import numbers_in, surface_key
from vetopito.ingest.read import Table
from vetopito.ingest.result import Options
from vetopito.ingest.values import Lookup, norm


@dataclass
class Context:
    """What a format's parser may use: the catalogue, the user's options and scope, the language."""

    con: duckdb.DuckDBPyConnection
    lookup: Lookup
    options: Options
    scope: Any
    lang: str | None
    notes: list[str] = field(default_factory=list)
    surface: str = "cli"  # "page": messages name the upload page's controls, not command-line options
    # the file's columns that no field reads (`Report.ignored_columns`)
    ignored_columns: list[str] = field(default_factory=list)
    # the user's mappings (`Options.map_indicator`) by normalised name → (name, indicator id), and
    # those the file's cells used (the aliases a load saves)
    mapped: dict[str, tuple[str, str]] = field(default_factory=dict)
    used_mappings: dict[str, tuple[str, str]] = field(default_factory=dict)
    _scope_units: frozenset[str] | None = field(default=None, init=False, repr=False)

    def note(self, key: str, **fields: Any) -> None:
        key = surface_key(key, self.surface)
        self.notes.append(i18n.t_plural(key, fields.get("count"), self.lang, **numbers_in(fields, self.lang)))

    def allowed(self, unit_id: str | None) -> bool:
        """May this file write about this unit (None: the loader has no scope, everything)?"""
        return self.scope is None or unit_id in self.scope_units

    @property
    def scope_units(self) -> frozenset[str]:
        """The units the loader may write about (every stored unit when it has no scope)."""
        if self._scope_units is None:
            self._scope_units = frozenset(self.lookup.unit_kinds if self.scope is None else self.scope.unit_ids)
        return self._scope_units

    def unit(self, text: str) -> str | None:
        """The unit `text` names; a name shared by several units means the one in scope."""
        return self.lookup.unit(text, within=None if self.scope is None else self.scope_units)

    def closest_units(self, text: str, n: int = 3) -> list[str]:
        """The known names closest to `text`, among the units in scope only: a suggestion never
        names a unit the user may not load (with no scope, among every unit)."""
        found = self.lookup.closest_units(text, n, within=None if self.scope is None else self.scope_units)
        return [in_language_unit(self.lookup, shown, self.lang) for shown in found]

    def closest_indicators(self, text: str, n: int = 3) -> list[str]:
        """The indicators closest to `text`, each as `id` or `id (name)` with the name in the
        user's language (a name matched in another language is not shown)."""
        return [in_language_indicator(self.lookup, shown, self.lang)
                for shown in self.lookup.closest_indicators(text, n)]

    def shown_unit(self, unit_id: str | None) -> str:
        """A stored unit's id for a message: itself when the user may see it, else `–`."""
        if unit_id is None:
            return "–"
        if self.scope is None or unit_id in self.scope_units or self.scope.may_see(unit_id):
            return unit_id
        return "–"


def _lang_of(lang: str | None) -> str:
    return lang if lang in i18n.LANGUAGES else i18n.get_language()


def in_language_unit(lookup: Lookup, shown: str, lang: str | None) -> str:
    """A suggested unit name in the user's language: the name as matched when it is one of the
    unit's names in that language (or a common name, which has no language), else the unit's
    short or official name in that language; a name in another language only when the unit has
    none in this one."""
    lang = _lang_of(lang)
    unit_id = lookup.unit_suggest.get(norm(shown), (shown, None))[1]
    row = lookup.unit_rows.get(unit_id) if unit_id is not None else None
    if row is None:
        return shown
    own = [row.get(f"short_{lang}"), row.get(f"name_{lang}")]
    others = {norm(row.get(f"{kind}_{other}") or "") for kind in ("short", "name") for other in i18n.LANGUAGES
              if other != lang} - {norm(n) for n in own if n}
    if norm(shown) in {norm(n) for n in own if n} or norm(shown) not in others:
        return shown
    return next((n.strip() for n in own if n), shown)


def in_language_indicator(lookup: Lookup, shown: str, lang: str | None) -> str:
    """`id (name)` of a suggested indicator with the name in the user's language (Finnish when
    it has none in that language), or the `id` alone when the id was what matched."""
    lang = _lang_of(lang)
    indicator_id = shown.split(" (", 1)[0]
    info = lookup.indicator_info.get(indicator_id)
    if info is None or shown == indicator_id:
        return shown
    name = info.get(f"name_{lang}") or info.get(f"short_{lang}") or info.get("name_fi") or info.get("short_fi")
    return f"{indicator_id} ({name.strip()})" if name else indicator_id


@dataclass
class Parsed:
    """A format's reading of a file: clean rows for the plan, problems, the layout it saw."""

    rows: pl.DataFrame
    errors: pl.DataFrame
    layout: str
    n_rows: int
    decimal: str = "none"
    format_name: str | None = None  # a format may name a flavour (e.g. `pxweb`)


@dataclass
class Format:
    """One kind of file the loader understands.

    - `detect(header, table, options)`: True when this format reads the file (header cells
      normalised to lower case);
    - `parse(table, ctx)`: a `Parsed` with clean rows and a problem frame (see `problems()`);
    - `plan(con, rows)`: the rows beside their stored state, with a `status` column
      (`new`, `changed`, `unchanged`) and `row_number`; runs on the caller's connection;
    - `commit(con, plan, load_id)`: writes `new` and `changed` rows, keeping what it replaces
      so that `undo(con, load_id)` can restore it; both run inside the loader's transaction;
    - `blockers(con, load_id)`: ids of later loads that changed what this load wrote.
    """

    name: str
    detect: Callable[[list[str], Table, Options], bool]
    parse: Callable[[Table, Context], Parsed]
    plan: Callable[[duckdb.DuckDBPyConnection, pl.DataFrame], pl.DataFrame]
    commit: Callable[[duckdb.DuckDBPyConnection, pl.DataFrame, int], None]
    undo: Callable[[duckdb.DuckDBPyConnection, int], tuple[int, int]]
    blockers: Callable[[duckdb.DuckDBPyConnection, int], list[int]]
    priority: int = 100
    # runs in a second transaction after a committed undo: DuckDB cannot delete a referenced row
    # (e.g. a team's unit) in the transaction that deleted the rows referring to it
    after_undo: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None
    # the format reads indicator names, and its undo removes the aliases its loads saved
    # (`Options.map_indicator`, `ingest.aliases`)
    learns_aliases: bool = False



# DuckDB's row group: the rows one thread of an Arrow scan takes at a time
ARROW_BATCH_ROWS = 122_880


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """Make a polars frame readable as table `name` by the named queries, for the block's duration.

    Handed over as Arrow with polars' own string views, which DuckDB reads as they are: the
    default conversion copies every string into a new buffer (25 ms per 1 000 000 rows). The
    Arrow table is cut into record batches of a row group each (zero-copy slices): DuckDB scans
    one batch per thread, so a frame of one chunk would be read and written on one core (inserting
    1 000 000 new observations took 550 ms in one batch, 270 ms in batches, on 2 cores)."""
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
    con.register(name, pa.Table.from_batches(table.to_batches(max_chunksize=ARROW_BATCH_ROWS), schema=table.schema))
    try:
        yield
    finally:
        with suppress(duckdb.Error):  # an aborted transaction refuses even this; rollback follows
            con.unregister(name)


