"""The loader: read an analyst's extract, work out what it is, validate every row, plan the
changes, commit them in one transaction, and undo a load.

Public API::

    check(con, source, *, file_name=None, options=Options(), scope=None, lang=None,
          progress=None) -> Report
    load(con, source, *, file_name=None, options=Options(), user="cli", is_demo=False,
         scope=None, lang=None, progress=None) -> Report  # commits only when there are no problems
    undo(con, load_id, *, user, scope=None, lang=None) -> UndoResult
        # raises UndoBlocked / UndoError; UndoRefused when `scope` may not load every unit the load touched
    loads(con) -> pl.DataFrame                             # the load history, newest first

`source` is a path or the file's bytes; a file over `limits.MAX_UPLOAD_BYTES` / `MAX_ROWS` /
`MAX_COLUMNS`, or one that is not text (xlsx, zip, PDF…), is one whole-file problem.
`progress(fraction, text)` is called at each step. `ingest.present` turns a report into what
the upload page shows (detected format in words, old → new changes, error report CSV, history). `scope` (an `access.Scope`) makes rows for units
outside `scope.unit_ids` row errors. Loading a file whose every value is already stored
writes nothing and says so (`Report.already_loaded`).

Formats (tried by priority; the first whose `detect` says yes reads the file):

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
- `events` (20): `unit, date, kind, label` (kind workshop | intervention | note).
- `observations` (50), layout `long`: indicator, unit, period and value columns in Finnish,
  Swedish or English (`indikaattori`/`mittari`, `alue`/`yksikkö`, `ajanjakso`/`vuosi`, `arvo`…),
  optional numerator, denominator, respondents, flag; a missing indicator, unit or period
  column may be given as an option, and a file with a value column and a unit or period
  column (THL's `kk,pros`) is read as long with an error naming each option it needs. Reported as format `pxweb` when the file has title lines
  or PxWeb region codes (`MK01 Uusimaa`, `HVA02`); then the last column holds the value.
- `observations_wide_indicator` (60): unit and period columns, every other column an indicator.
- `observations_wide_period` (70): a unit column and columns whose headers end in a period
  (`T3 mediaani 1/2020`, `2023M09`, `3/2024`); the indicator is the header's prefix or `--indicator`.

Adding a format (e.g. in `vetopito/ingest/teams.py`, imported at the end of this file when it
exists)::

    from vetopito.ingest.core import Format, Parsed, problems, register_format

    def detect(header, table, options): return {"team", "aim"} <= set(header)
    def parse(table, ctx) -> Parsed: ...        # rows frame with `row_number`, problem frame
    def plan(con, rows): ...                     # rows + `status` new|changed|unchanged
    def commit(con, plan, load_id): ...          # inside the loader's transaction
    def undo(con, load_id) -> (restored, removed): ...
    def blockers(con, load_id) -> list[int]: ...
    register_format(Format("teams", detect, parse, plan, commit, undo, blockers, priority=15))

Problems are frames built with `core.problems(frame, key, column, value, **fields)`, `key`
a text in a messages file taking `{value}` and the fields; every problem carries the
spreadsheet row (`_row` of the table: header = row 1, title lines counted).
"""

from vetopito.ingest import formats as _formats  # noqa: F401,E402  (registers the built-in formats)
from vetopito.ingest.core import (
    FORMATS,
    Context,
    Format,
    Options,
    Parsed,
    Problem,
    Report,
    UndoBlocked,
    UndoError,
    UndoRefused,
    UndoResult,
    changes_table,
    check,
    load,
    loads,
    register_format,
    undo,
)

__all__ = ["FORMATS", "Context", "Format", "Options", "Parsed", "Problem", "Report", "UndoBlocked",
           "UndoError", "UndoRefused", "UndoResult", "changes_table", "check", "load", "loads", "register_format", "undo"]

import importlib.util as _util  # noqa: E402

if _util.find_spec("vetopito.ingest.teams") is not None:  # other areas' formats register themselves
    import vetopito.ingest.teams  # noqa: F401,E402
