"""The DuckDB store: connect, migrate, run a named query from `queries/`, the data version.
(Over 400 lines because it is the one door to the database: named and tracked statements,
migrations and the turning of DuckDB's trouble into localised errors are read together.)

Every SQL statement the project runs lives in `queries/<folder>/…/<name>.sql` (named by what it
serves: `pages/region/observations`, `load/loads`, `access/user_grants`, `meta/get`) and is
executed here with bound `$parameters`; nothing else in the code base builds SQL. The one exception to a
fixed text: the statements of `queries/history/` name their table with a `{tracked.<name>}`
marker that `execute_tracked` fills, as quoted identifiers, from the closed list of tracked
tables in code (`vetopito.ingest.history.TRACKED`), never from input.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vetopito import backend, i18n

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SCHEMA = QUERIES / "schema"
DEFAULT_DB = ROOT / "data" / "vetovoima.duckdb"
ENV_VAR = "VETOVOIMA_DB"

_PARAM = re.compile(r"(?<![:$\w])\$([A-Za-z_][A-Za-z0-9_]*)")
_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class DatabaseError(i18n.Localised, Exception):
    """A problem with the database file that the user can act on; the message says what to do.

    Raised with a text key of `vetopito/messages/common.toml` and its fields (`i18n.Localised`);
    `str()` gives it in the current language, `message(lang)` in another.
    """

    kind = "error"  # set by `classify`: locked, disk_full, corrupt, truncated, empty, not_a_database, …
    default_code = "db.error"

    def __str__(self) -> str:
        return self.message()


class SchemaTooNew(DatabaseError):
    """The file was written by a newer version of Vetovoima."""


class DatabaseLocked(DatabaseError):
    """Another process (usually the running app) holds the database file."""


class DatabaseDamaged(DatabaseError):
    """The file is not a whole DuckDB database: empty, truncated, not DuckDB, or a block whose
    checksum does not match (corruption). Restore it from a backup."""


class DiskFull(DatabaseError):
    """No space left on the device that holds the database (or its write-ahead log)."""


class DatabaseNotWritable(DatabaseError):
    """The file or its folder may not be written (permissions, an immutable file, a read-only mount)."""


class WriteConflict(DatabaseError):
    """Another writer committed a change to the same rows first (two loads on one lake, two
    sessions bumping one id): nothing of this transaction was written; plan it again."""


class DatabaseUnreachable(DatabaseError):
    """The lake's catalog (PostgreSQL) could not be reached or attached."""


# What DuckDB says, in lower case, for each kind of trouble (DuckDB 1.5.5's texts, as 2.0's; checked in
# tests/test_db_trouble.py against real files: locked, empty, truncated, garbage, corrupted, full disk,
# immutable). The first match wins: a full disk is an I/O error too, a lock message names the file.
_TROUBLE = (
    *backend.TROUBLE,
    ("conflict", ("write-write conflict", "conflict on tuple deletion", "conflict on update")),
    ("locked", ("could not set lock on file", "conflicting lock")),
    ("disk_full", ("no space left on device", "disk is full", "not enough space")),
    ("corrupt", ("corrupt database file", "checksum", "database has been invalidated", "corrupt")),
    ("truncated", ("could not read enough bytes", "attempted to read", "unexpected end of file")),
    ("not_a_database", ("not a valid duckdb database file", "is not a duckdb database")),
    ("not_writable", ("permission denied", "operation not permitted", "read-only file system",
                      "access is denied")),
)
_KINDS = {"locked": DatabaseLocked, "disk_full": DiskFull, "corrupt": DatabaseDamaged, "truncated": DatabaseDamaged,
          "empty": DatabaseDamaged, "not_a_database": DatabaseDamaged, "not_writable": DatabaseNotWritable,
          "conflict": WriteConflict, "unreachable": DatabaseUnreachable, "io": DatabaseError}
# the target each open connection was opened with, so a read or write error can name the file
_TARGETS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def trouble_kind(exc: BaseException) -> str | None:
    """The kind of database trouble an exception is ("locked", "disk_full", "corrupt",
    "truncated", "not_a_database", "not_writable", "io"), or None for anything else (a
    constraint, a conversion, a bug): only the classes a user can act on are classified."""
    if not isinstance(exc, duckdb.Error):
        return None  # an OSError is about some other file (an export's --out): its own text says which
    text = str(exc).lower()
    for kind, needles in _TROUBLE:
        if any(needle in text for needle in needles):
            return kind
    return "io" if isinstance(exc, duckdb.IOException) else None


def _file_size(target: str) -> int | None:
    try:
        return Path(target).stat().st_size if is_local_file(target) else None
    except OSError:
        return None


def classify(exc: BaseException, target: str | os.PathLike[str] | None = None, *,
             where: str = "") -> DatabaseError | None:
    """The one place that turns DuckDB's trouble on open, read or write into a localised
    `DatabaseError` (a `DatabaseLocked`, `DatabaseDamaged`, `DiskFull` or `DatabaseNotWritable`)
    whose message says what happened and what to do; None when `exc` is no such trouble.
    `where` names the table a deep check was reading."""
    if isinstance(exc, DatabaseError):
        return exc
    kind = trouble_kind(exc)
    if kind is None:
        return None
    target = database_target(target) if target is not None else database_target()
    reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
    if kind == "not_a_database" and _file_size(target) == 0:
        kind = "empty"
    if kind == "locked":
        holder = re.search(r"\(PID (\d+)\)", str(exc))
        problem = DatabaseLocked("db.error.locked", target=target, pid=holder.group(1) if holder else "?")
    elif kind == "corrupt" and where:
        problem = DatabaseDamaged("db.error.corrupt_table", target=target, table=where, reason=reason)
    else:
        problem = _KINDS[kind](f"db.error.{kind}", target=target, reason=reason)
    problem.kind = kind
    return problem


def target_of(con: Any) -> str | None:
    """The database a connection was opened on (`connect` remembers it), else the file DuckDB
    names for it (a cursor); None when neither can be had."""
    try:
        known = _TARGETS.get(con)
    except TypeError:
        known = None
    if known is not None:
        return known
    try:
        with con.cursor() as cur:
            row = cur.sql(sql_text("meta/database_path")).fetchall()
        return str(row[0][0]) if row and row[0][0] else None
    except Exception:  # noqa: BLE001 - only a better message is at stake; the caller has the real error
        return None


@contextmanager
def classified(target: str | os.PathLike[str] | None = None, *, where: str = "") -> Iterator[None]:
    """Re-raise database trouble inside the block as the localised `DatabaseError` of `classify`;
    any other error passes through unchanged."""
    try:
        yield
    except duckdb.Error as exc:
        problem = classify(exc, target, where=where)
        if problem is None:
            raise
        raise problem from exc


class QueryParameterError(TypeError):
    """A named query was called with missing or unexpected parameters."""


def database_target(target: str | os.PathLike[str] | None = None) -> str:
    """The database to open: the argument, else `$VETOVOIMA_DB`, else `data/vetovoima.duckdb`.

    A DuckDB connection string (`md:…`, `:memory:`) is passed through untouched.
    """
    if target is None or str(target) == "":
        target = os.environ.get(ENV_VAR) or DEFAULT_DB
    return str(target)


def is_local_file(target: str) -> bool:
    return not (target == ":memory:" or target.startswith(("md:", "motherduck:")) or "://" in target
                or backend.is_lake_target(target))


def is_lake(con: Any) -> bool:
    """Whether the connection is on a DuckLake lake (`vetopito.backend`); pages and the loader
    never ask: this is for the commands that report on the store (`info`, `copy`)."""
    return backend.is_lake(con)


def connect(target: str | os.PathLike[str] | None = None, *, read_only: bool = False,
            migrate_schema: bool = True, create: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database (a file or a lake, `vetopito.backend`) and bring its schema up to date.

    A file held by another process raises `DatabaseLocked` with a plain explanation
    instead of DuckDB's lock traceback; an empty, truncated, non-DuckDB or corrupted file
    `DatabaseDamaged`, a full disk `DiskFull`, a file that may not be written
    `DatabaseNotWritable` (all through `classify`); with `create=False` (the command line's
    non-creating commands) a local file that does not exist, or a lake with no schema, raises
    `DatabaseError`; a lake whose catalog cannot be reached `DatabaseUnreachable`.
    """
    target = database_target(target)
    if not create and is_local_file(target) and not Path(target).exists():
        raise DatabaseError("db.error.no_database", target=target)
    if is_local_file(target) and not read_only:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    if read_only and is_local_file(target) and not Path(target).exists():
        raise DatabaseError("db.error.missing", target=target)
    store = backend.parse(target)
    try:
        con = backend.open_connection(store, read_only=read_only)
    except duckdb.Error as exc:
        problem = classify(exc, target)
        if store.is_lake and (problem is None or problem.kind == "io"):
            problem = DatabaseUnreachable("db.error.unreachable", target=target, reason=str(exc).splitlines()[0])
            problem.kind = "unreachable"
        elif problem is None or problem.kind == "io":
            problem = DatabaseDamaged("db.error.not_a_database", target=target, reason=str(exc).splitlines()[0])
            problem.kind = "not_a_database"
        raise problem from exc
    _TARGETS[con] = target
    if store.is_lake and not create:
        try:
            with classified(target):
                made = schema_version(con) > 0
        except BaseException:
            con.close()
            raise
        if not made:
            con.close()
            raise DatabaseError("db.error.no_database", target=target)
    if migrate_schema:
        try:
            with classified(target):
                if read_only:
                    check_schema_version(con)
                else:
                    migrate(con)
        except BaseException:
            con.close()
            raise
    return con


# A query name: lower-case words joined by `_`, folders by `/` (up to four deep); never `..`,
# never absolute, never a file name (`.sql` is added here).
QUERY_NAME = re.compile(r"[a-z0-9_]+(?:/[a-z0-9_]+){0,4}")


@cache
def _query_file(name: str, folder: Path = QUERIES) -> str:
    if not isinstance(name, str) or not QUERY_NAME.fullmatch(name):
        raise ValueError(f"Not a query name: {name!r}")
    path = folder / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"No query named {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")


@cache
def sql_text(name: str, folder: Path = QUERIES) -> str:
    """The text of `<folder>/<name>.sql` (`queries/` by default); the slashes of a name reach
    sub-folders. A statement with a `{tracked.<name>}` marker runs only through `execute_tracked`."""
    text = _query_file(name, folder)
    if TRACKED_MARKER.search(_without_comments(text)):
        raise ValueError(f"Query {name!r} has a {{tracked.…}} marker: run it with execute_tracked")
    return text


def _without_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", text)


@cache
def query_parameters(name: str, folder: Path = QUERIES) -> frozenset[str]:
    """The `$names` a query uses (comments and string literals are ignored)."""
    text = _without_comments(_query_file(name, folder))
    text = re.sub(r"'(?:[^']|'')*'", "''", text)
    return frozenset(_PARAM.findall(text))


def query_names(folder: Path = QUERIES) -> list[str]:
    """Every statement `run`/`execute` can name: the `.sql` files under `folder`, as `pages/region/targets`;
    the migrations (`schema/`), the tracked-table statements (`history/`, see `execute_tracked`) and the
    lake's connection statements (`lake/`, filled by `vetopito.backend`) excepted."""
    names = (p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.sql"))
    return sorted(n for n in names if n.split("/")[0] not in (SCHEMA.name, TRACKED_FOLDER, backend.LAKE_FOLDER))


def _bind(name: str, params: Mapping[str, Any], folder: Path = QUERIES) -> dict[str, Any] | None:
    expected = query_parameters(name, folder)
    missing = sorted(expected - params.keys())
    unexpected = sorted(params.keys() - expected)
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"${m}" for m in missing))
        if unexpected:
            parts.append("unexpected " + ", ".join(f"${u}" for u in unexpected))
        raise QueryParameterError(f"Query {name!r}: {'; '.join(parts)}")
    return dict(params) or None


def run(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    """Run the named query with bound parameters on a fresh cursor and return a polars frame.

    Statements that return no rows (insert, update, delete) give an empty frame.
    """
    return run_from(QUERIES, con, name, **params)


def execute(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> None:
    """Run a named statement on this connection (inside its transaction, if one is open)."""
    execute_from(QUERIES, con, name, **params)


def fetch(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    """Run a named query on this very connection (so it sees the open transaction)."""
    return fetch_from(QUERIES, con, name, **params)


# `run`, `execute` and `fetch` for the statements of another folder, bound the same way: the
# tests' own statements (`tests/queries/`, through `tests/sql.py`) use them.
def run_from(folder: Path, con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    bound = _bind(name, params, folder)
    with _trouble(con), backend.statement_cursor(con) as cur:
        rel = cur.sql(sql_text(name, folder), params=bound)
        if rel is None:
            return pl.DataFrame()
        return rel.pl()


def execute_from(folder: Path, con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> None:
    bound = _bind(name, params, folder)
    with _trouble(con):
        con.execute(sql_text(name, folder), bound)
        con.fetchall() if con.description else None


def fetch_from(folder: Path, con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    bound = _bind(name, params, folder)
    with _trouble(con):
        rel = con.sql(sql_text(name, folder), params=bound)
        return pl.DataFrame() if rel is None else rel.pl()


# The one identifier marker: `{tracked.<name>}` in a statement of `queries/history/` is filled from
# an entry of `vetopito.ingest.history.TRACKED` (its table, history table and columns), never from
# input. Any other folder holding it is refused.
TRACKED_MARKER = re.compile(r"\{tracked\.([a-z_]+)\}")
TRACKED_FOLDER = "history"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def _quoted(name: str) -> str:
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"Not an identifier: {name!r}")
    return f'"{name}"'


def _tracked_fills(entry: Any) -> dict[str, str]:
    keys = [_quoted(k) for k in entry.keys]
    restored = [_quoted(c) for c in entry.columns]
    kept = keys + restored + [_quoted(c) for c in entry.also_kept]
    fills = {
        "table": _quoted(entry.table),
        "kept": ", ".join(kept),
        "t_kept": ", ".join(f"t.{c}" for c in kept),
        "key_match": " and ".join(f"t.{k} = h.{k}" for k in keys),
        "set_restored": ", ".join(f"{c} = h.{c}" for c in restored),
        "row_key": " || '|' || ".join(f"cast({k} as varchar)" for k in keys),
    }
    if entry.history is not None:
        fills["history"] = _quoted(entry.history)
    if entry.parent is not None:
        fills["parent"] = _quoted(entry.parent)
    return fills


def execute_tracked(con: duckdb.DuckDBPyConnection, name: str, /, *, tracked: Any, table: str,
                    **params: Any) -> pl.DataFrame:
    """Run the statement `queries/history/<name>.sql` for `table` on this connection (inside its
    transaction) with bound `params`: its `{tracked.<name>}` markers are filled, as quoted
    identifiers, from the entry of `tracked` (the closed list `vetopito.ingest.history.TRACKED`)
    named `table`; a table not in that list, a statement outside `queries/history/` or a marker
    the entry cannot fill raises `ValueError` before anything runs. Returns the rows, if any."""
    folder, _, _ = name.partition("/")
    if folder != TRACKED_FOLDER or "/" not in name:
        raise ValueError(f"Not a statement of queries/{TRACKED_FOLDER}/: {name!r}")
    entry = next((t for t in tracked if t.table == table), None) if isinstance(table, str) else None
    if entry is None:
        raise ValueError(f"{table!r} is not a tracked table")
    fills = _tracked_fills(entry)
    text = _query_file(name)

    def fill(match: re.Match) -> str:
        if match.group(1) not in fills:
            raise ValueError(f"Query {name!r}: table {table!r} has no {match.group(0)}")
        return fills[match.group(1)]

    body = TRACKED_MARKER.sub(fill, _without_comments(text))
    bound = _bind(name, params)
    with _trouble(con):
        rel = con.sql(body, params=bound)
        return pl.DataFrame() if rel is None else rel.pl()


def scalar(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> Any:
    frame = fetch(con, name, **params)
    return None if frame.is_empty() else frame.item(0, 0)


@contextmanager
def _trouble(con: Any) -> Iterator[None]:
    """`classified` for a statement on `con`: the file is looked up only when something failed."""
    try:
        yield
    except duckdb.Error as exc:
        if trouble_kind(exc) is None:
            raise
        raise classify(exc, target_of(con)) from exc


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: everything inside commits together or not at all. A commit that fails
    on a full disk or a damaged file raises the localised error of `classify`."""
    with _trouble(con):
        con.begin()
    try:
        yield con
    except BaseException:
        with suppress(duckdb.Error):  # a transaction DuckDB already aborted refuses even this
            con.rollback()
        raise
    else:
        with _trouble(con):
            con.commit()


@contextmanager
def read_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Reads that see one snapshot, in a transaction that writes nothing and is rolled back. On a
    lake every statement outside a transaction is a transaction of its own, each finding the
    latest snapshot in the PostgreSQL catalog again; inside one, they share it."""
    with _trouble(con):
        con.begin()
    try:
        yield con
    finally:
        with suppress(duckdb.Error):
            con.rollback()


@contextmanager
def snapshot_reader(con: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor whose reads all see one snapshot (read with `fetch`): a page run's queries on it
    show the data before a concurrent load or after it, never some of each."""
    with backend.statement_cursor(con) as cur, read_transaction(cur):
        yield cur


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def migrations() -> list[Migration]:
    found = []
    for path in sorted(SCHEMA.glob("*.sql")):
        match = _MIGRATION.match(path.name)
        if not match:
            raise DatabaseError("db.error.migration_name", name=path.name)
        found.append(Migration(int(match.group(1)), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(versions) + 1)):
        raise DatabaseError("db.error.migration_gap", versions=str(versions))
    return found


def latest_schema_version() -> int:
    return len(migrations())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    if fetch(con, "meta/has_table", table_name="schema_version").is_empty():
        return 0
    return int(scalar(con, "meta/schema_version"))


def check_schema_version(con: duckdb.DuckDBPyConnection) -> int:
    version = schema_version(con)
    latest = latest_schema_version()
    if version > latest:
        raise SchemaTooNew("db.error.schema_too_new", version=version, latest=latest)
    if version < latest:
        raise DatabaseError("db.error.schema_old", version=version, latest=latest)
    return version


# A migration holding this line is followed, in its transaction, by `rebuild_derived` of every
# indicator with the current statements, so it need not copy them.
REBUILD_DERIVED = "-- then: rebuild derived tables"


def rebuild_derived(con: duckdb.DuckDBPyConnection, indicator_ids: list[str], *,
                    first: date | None = None, last: date | None = None) -> None:
    """Rebuild the derived tables (`region_series` within [first, last], every period when None;
    `observation_summary`) of these indicators with the current statements. `vetopito.aggregates`
    calls it for what a load spans, `migrate` for every indicator; call inside the transaction
    that changed the observations."""
    execute(con, "load/derived/delete_series", indicator_ids=indicator_ids, first=first, last=last)
    execute(con, "load/derived/insert_series", indicator_ids=indicator_ids, first=first, last=last)
    execute(con, "load/derived/delete_unit_summary", indicator_ids=indicator_ids)
    execute(con, "load/derived/insert_unit_summary", indicator_ids=indicator_ids)


def _apply(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
    script = migration.path.read_text(encoding="utf-8")
    with transaction(con):
        con.execute(script)
        if REBUILD_DERIVED in script:
            rebuild_derived(con, fetch(con, "catalog/indicator_ids")["id"].to_list())
        execute(con, "meta/record_migration", version=migration.version)


def keyless_version() -> int:
    """The number of the migration that leaves the schema without keys (`NNN_keyless.sql`)."""
    return next(m.version for m in migrations() if m.path.stem.endswith(f"_{backend.KEYLESS_NAME}"))


def _make_lake(con: duckdb.DuckDBPyConnection) -> None:
    """A new lake's schema (vetopito.backend, 3.): the migrations up to the keyless one applied to
    a private in-memory database of the connection (`backend.scratch`), each of its tables then created in the lake from the
    definition DuckDB stored, and those migrations recorded there."""
    upto = min(keyless_version(), latest_schema_version())
    with backend.scratch(con):
        execute(con, "meta/create_schema_version")
        for migration in migrations()[:upto]:
            if migration.version > schema_version(con):
                _apply(con, migration)
        keyed = fetch(con, "meta/key_constraints")
        if not keyed.is_empty():
            raise DatabaseError("db.error.keys_left", tables=", ".join(keyed["table_name"].unique().sort()))
        definitions = fetch(con, "meta/table_definitions").rows()
        versions = fetch(con, "meta/applied_migrations")["version"].to_list()
    with transaction(con):
        for table, definition in definitions:
            if fetch(con, "meta/has_table", table_name=table).is_empty():
                backend.create_from_definition(con, definition)
        for version in versions:
            if version > schema_version(con):
                execute(con, "meta/record_migration", version=version)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration the database lacks, each in its own transaction; return the version.
    A lake with no schema is first made at the keyless migration's schema (`_make_lake`)."""
    if is_lake(con) and schema_version(con) == 0:
        _make_lake(con)
    execute(con, "meta/create_schema_version")
    current = schema_version(con)
    latest = latest_schema_version()
    if current > latest:
        check_schema_version(con)
    for migration in migrations():
        if migration.version > current:
            _apply(con, migration)
    return latest


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(run(con, "meta/data_version").item(0, 0))


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Call inside the transaction of every load or undo; returns the new version, read on this
    very connection (`data_version` reads on a fresh cursor, which sees only what is committed)."""
    execute(con, "meta/bump_data_version")
    return int(fetch(con, "meta/data_version").item(0, 0))


def table_names(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The names of the tables in the open database, in one query (`meta/has_table` asks of one;
    both read duckdb_columns(), which on a lake costs a fraction of duckdb_tables())."""
    return frozenset(fetch(con, "meta/tables")["table_name"].to_list())


def next_ids(con: duckdb.DuckDBPyConnection, name: str, count: int = 1, *,
             tables: frozenset[str] | None = None) -> int:
    """Reserve `count` ids of `name` ('load', 'event', 'audit_event') inside the open transaction
    and return the first: the `id_counter` row is bumped, so a concurrent writer that drew too
    fails at commit (`WriteConflict`) instead of storing the same id. `tables`: the database's
    tables when the caller has them (`table_names`; the loader's lookup), so none is asked again."""
    if ("id_counter" not in tables) if tables is not None else \
            fetch(con, "meta/has_table", table_name="id_counter").is_empty():
        # a database before the counters' migration (a migration test writing at an older schema)
        return int(scalar(con, "meta/max_id", counter=name)) + 1
    execute(con, "meta/bump_id_counter", counter=name, count=count)
    return int(scalar(con, "meta/id_counter", counter=name)) - count + 1


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    return scalar(con, "meta/get", key=key)


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    execute(con, "meta/set", key=key, value=value)


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    frame = run(con, "meta/row_counts")
    return dict(zip(frame["table_name"].to_list(), frame["row_count"].to_list(), strict=True))


def key_problems(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """What the loader keeps true without keys in the schema (migrations 009 and 010): one row
    per observation key stored twice, per unknown indicator or unit id, and per key of the derived
    tables (region_series, observation_summary) stored twice; empty when all is well."""
    return run(con, "meta/observation_key_problems")


def table_key_problems(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every other key the schema no longer holds (the keyless migration): one row per key stored
    more than once (table_name, row_key, n); empty when all is well."""
    return run(con, "meta/table_key_problems")


# The deep check: every table read through once.

@dataclass(frozen=True)
class TableCheck:
    """One table read through by `check_tables`: its rows, or the problem met while reading it."""
    table: str
    rows: int | None
    problem: DatabaseError | None = None


def check_tables(con: duckdb.DuckDBPyConnection) -> list[TableCheck]:
    """Read every table of the database through once (a row count and a hash over every column of
    every row, `meta/table_scan`), so every data block's checksum is verified; a damaged block is
    reported with its table instead of surfacing later on a page. Row counts alone would not do:
    DuckDB answers them from metadata. On the demo database this takes about 0.1 s. Every table is
    read in one read transaction on one cursor (one snapshot; on a lake each new transaction asks
    the catalog for its snapshot, a third of the cost of a table's read), begun again after a
    table that failed."""
    target = target_of(con)
    with classified(target):
        tables = run(con, "meta/tables")["table_name"].to_list()
    checks = []
    with con.cursor() as cur:
        with classified(target):
            cur.begin()
        try:
            for table in tables:
                try:
                    with classified(target, where=table):
                        rows = cur.sql(sql_text("meta/table_scan"), params={"table_name": table}).fetchall()[0][0]
                    checks.append(TableCheck(table, int(rows)))
                except DatabaseError as exc:
                    checks.append(TableCheck(table, None, exc))
                    with suppress(duckdb.Error):
                        cur.rollback()
                    with classified(target):
                        cur.begin()
        finally:
            with suppress(duckdb.Error):
                cur.rollback()   # it only read
    return checks


def file_state(target: str | os.PathLike[str] | None) -> tuple | None:
    """What a local database file and its write-ahead log are on disk (device, inode, size and
    the modification and change times of each; ctime moves with every write and cannot be set
    back), so that a file unchanged since it was read through can be known; None for a lake, a
    connection string or a file that is not there."""
    if target is None or not is_local_file(str(target)):
        return None
    def stat(path: str) -> tuple | None:
        try:
            found = os.stat(path)
        except OSError:
            return None
        return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
    path = os.path.realpath(str(target))
    main = stat(path)
    return None if main is None else (path, main, stat(path + ".wal"))


def store_state(con: Any) -> tuple | None:
    """What the database of a connection holds, as a key that changes with every write: a local
    file's `file_state`, a lake's newest snapshot; None for what has neither (`:memory:`)."""
    target = target_of(con)
    snapshot = backend.lake_snapshot(con)
    if snapshot is not None:
        return ("lake", target, snapshot)
    return file_state(target)


def verify(con: duckdb.DuckDBPyConnection) -> list[TableCheck]:
    """`check_tables`, raising the first damaged table's `DatabaseDamaged` (or the trouble met);
    the tables read when all is well."""
    checks = check_tables(con)
    for check in checks:
        if check.problem is not None:
            raise check.problem
    return checks
