"""The loader: read an analyst's extract, work out what it is, validate every row, plan the
changes, commit them in one transaction, and undo a load.

Public API::

    check(con, source, *, file_name=None, options=Options(), scope=None, lang=None,
          progress=None) -> Report    # Options(map_indicator=((label, id), …)): names mapped to indicators
    load(con, source, *, file_name=None, options=Options(), user="cli", is_demo=False,
         scope=None, lang=None, progress=None) -> Report  # commits only when there are no problems
    undo_preview(con, load_id, *, scope=None, lang=None) -> UndoPreview  # what undo would do; writes nothing
    undo(con, load_id, *, user, scope=None, lang=None) -> UndoResult
        # raises UndoBlocked / UndoError; UndoRefused when `scope` may not load every unit the load touched
    loads(con) -> pl.DataFrame                             # the load history, newest first
    undo_choices(con, scope=None) -> pl.DataFrame          # committed loads to offer for undo (no seed
                                                           # loads once the database holds real data)

`check` and `load` take `surface="page"` on the upload page: a message that names a command-line
option (`--indicator`) is then its `<key>.page` variant naming the page's control, and a problem
that every row of a file shares is one file-level line with the row count on both surfaces.

`source` is a path or the file's bytes; a file over `limits.MAX_UPLOAD_BYTES` / `MAX_ROWS` /
`MAX_COLUMNS`, or one that is not text (xlsx, zip, PDF…), is one whole-file problem.
`progress(fraction, text)` is called at each step. `ingest.report_view` turns a report into what
the upload page shows (detected format in words, old → new changes, error report CSV, history).

`scope` (an `access.Scope`, the page's `Scope.loading()`, or `--as EMAIL` on the command line)
limits every write to `scope.unit_ids`: every unit a row refers to — the unit of a value, target
or event, a station and the region column beside it, a team, its region and its parent, a unit a
units file renames or creates under — must lie within it, else the row is an error and nothing
is written. Each format checks its own references with a message naming the cell; after the
plan, `cycle.PLAN_UNIT_COLUMNS` of every planned row are checked once more for every format.
Messages name only what the user may see: suggestions for an unknown unit come from the scope,
a move error names the current parent only when the user may see it, and an undo blocked by a
load outside the scope says so without naming that load's id, file or units.
Loading a file whose every value is already stored writes nothing and says so
(`Report.already_loaded`).

Formats (listed in `ingest/formats.py`, tried by priority; the first whose `detect` says yes reads
the file):

- `round_entries` (1), `output_counts` (1), `programme_measures` (2), `reporting_rounds` (2),
  `subprojects` (3), `programme_goals` (3), `programmes` (4): a development programme's follow-up
  (`ingest/programmes.py`; a `programme` column says so): only the programme's managers may load
  them, and their undo waits for later loads of the same programme that refer to their rows.
- `teams` (5), `aims` (6), `operating_models` (7): the Läpimurto team files (`ingest/teams.py`).
- `indicators` (15), `definition_changes` (16): the catalogue itself (`ingest/indicators.py`):
  one row per indicator (id, names, unit, direction, decimals, aggregation, suppression, definition,
  source, licence, seasonal, sort order; Finnish/Swedish/English headers), one row per dated
  definition change; a change of unit, aggregation or direction is refused while values exist.
- `sotkanet` (10): header has indicator, region, year, gender and a value column
  (`primary value` / `primary.value` / `value`); Sotkanet ids through `indicator.sotkanet_id`
  and `unit_alias` rows of kind `sotkanet`; only `gender=total` rows are kept.
- `units` (20): `id, parent` and `name` or `name_fi` (`name_sv`, `name_en`, `short_fi`,
  `short_sv`, `short_en`, `kind`, `org_kind`). Creates units, and renames stored ones in place
  (a `changed` row, old → new in the plan, restored by undo); every row needs a parent (only the
  country has none, and it comes from reference data). A stored unit cannot be moved to another
  parent, for the DuckDB 2.0 reason given in `reference.parse_units` and reproduced in
  tests/test_ingest_units.py.
- `targets` (20): `indicator, unit, target_value, due_date` (`label`, `source`).
- `events` (20): `unit, date, kind, label` (kind workshop | intervention | note | process_change)
  and an optional `indicator`, which only a process change may name: from the period that holds
  its date the SPC limits of that indicator (empty: of all) on that unit's charts are recalculated.
- `observations` (50), layout `long`: indicator, unit, period and value columns in Finnish,
  Swedish or English (`indikaattori`/`mittari`, `alue`/`yksikkö`, `ajanjakso`/`vuosi`, `arvo`…),
  optional numerator, denominator, respondents, flag; a missing indicator, unit or period
  column may be given as an option, and a file with a value column and a unit or period
  column (THL's `kk,pros`) is read as long with an error naming each option it needs. Reported as format `pxweb` when the file has title lines
  or PxWeb region codes (`MK01 Uusimaa`, `HVA02`); then the last column holds the value.
- `observations_wide_indicator` (60): unit and period columns, every other column an indicator.
- `observations_wide_period` (70): a unit column and columns whose headers end in a period
  (`T3 mediaani 1/2020`, `2023M09`, `3/2024`); the indicator is the header's prefix or `--indicator`.

Adding a format: write its functions in a module of this package and add the `Format` to
`FORMATS` in `ingest/formats.py`::

    from vetopito.ingest.parsing import Format, Parsed
    from vetopito.ingest.problems import problems

    def detect(header, table, options): return {"team", "aim"} <= set(header)
    def parse(table, ctx) -> Parsed: ...        # rows frame with `row_number`, problem frame
    def plan(con, rows): ...                     # rows + `status` new|changed|unchanged
    def commit(con, plan, load_id): ...          # inside the loader's transaction
    def undo(con, load_id) -> (restored, removed): ...
    def blockers(con, load_id) -> list[int]: ...
    AIMS = Format("aims", detect, parse, plan, commit, undo, blockers, priority=15)

A format's commit keeps what it replaces and records what it creates with `history.save` and
`history.record_created`, and its undo is a `history.Undo` of the tables it writes: every table a
load may change is named once in `history.TRACKED` (keys, restored columns, history table), and
the statements of `queries/history/` serve them all. A new table gets undo by being named there.

The package by job: `result` (options, problems, reports, undo outcomes), `problems` (problem
frames and their lines), `parsing` (what a format is and may use), `formats` (the list),
`cycle` (check → plan → commit), `undo` (scope, blockers, preview, history), `history` (the tables a
load may change, how their replaced rows are kept and put back), `read` and `values` (text to cells and values), `headers` (the column names
observation files use, the note naming unread columns), `aliases` (the names sources use for
indicators, mapped once and saved with a load), `report_view` (what the page shows), `cli` (the
commands).

Problems are frames built with `problems.problems(frame, key, column, value, **fields)`, `key`
a text in a messages file taking `{value}` and the fields; every problem carries the
spreadsheet row (`_row` of the table: header = row 1, title lines counted).
"""

from vetopito.ingest.cycle import check, load
from vetopito.ingest.formats import FORMATS
from vetopito.ingest.parsing import Context, Format, Parsed
from vetopito.ingest.report_view import changes_table
from vetopito.ingest.result import (
    Options,
    Problem,
    Report,
    UndoBlocked,
    UndoError,
    UndoRefused,
    UndoResult,
)
from vetopito.ingest.undo import UndoPreview, loads, undo, undo_choices, undo_preview

__all__ = ["FORMATS", "Context", "Format", "Options", "Parsed", "Problem", "Report", "UndoBlocked",
           "UndoError", "UndoPreview", "UndoRefused", "UndoResult", "changes_table", "check", "load", "loads",
           "undo", "undo_choices", "undo_preview"]
