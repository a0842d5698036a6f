"""The DuckDB store: connect, migrate, run a named query from `queries/`, the data version.

Every SQL statement the project runs lives in `queries/<name>.sql` and is executed here
with bound `$parameters`; nothing else in the code base builds SQL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SCHEMA = QUERIES / "schema"
DEFAULT_DB = ROOT / "data" / "vetovoima.duckdb"
ENV_VAR = "VETOVOIMA_DB"

_PARAM = re.compile(r"(?<![:$\w])\$([A-Za-z_][A-Za-z0-9_]*)")
_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class DatabaseError(Exception):
    """A problem with the database file that the user can act on; the message says what to do.

    Raised with a text key of `vetopito/messages/common.toml` and its fields, the message is
    in the current language (`message(lang)` for another); a plain string is kept as it is.
    """

    def __init__(self, key_or_text: str, **fields: Any):
        self.key = key_or_text if fields or key_or_text.startswith("db.") else None
        self.fields = fields
        super().__init__(self.message())

    def message(self, lang: str | None = None) -> str:
        from vetopito import i18n

        return i18n.t(self.key, lang, **self.fields) if self.key else self.args[0] if self.args else ""

    def __str__(self) -> str:
        return self.message()


class SchemaTooNew(DatabaseError):
    """The file was written by a newer version of Vetovoima."""


class DatabaseLocked(DatabaseError):
    """Another process (usually the running app) holds the database file."""


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
    return not (target == ":memory:" or target.startswith(("md:", "motherduck:")) or "://" in target)


def connect(target: str | os.PathLike[str] | None = None, *, read_only: bool = False,
            migrate_schema: bool = True, create: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database and bring its schema up to date.

    A file held by another process raises `DatabaseLocked` with a plain explanation
    instead of DuckDB's lock traceback; a file that is not a DuckDB database, or (with
    `create=False`, the command line's non-creating commands) a local file that does not
    exist, raises `DatabaseError`.
    """
    target = database_target(target)
    if not create and is_local_file(target) and not Path(target).exists():
        raise DatabaseError("db.error.no_database", target=target)
    if is_local_file(target) and not read_only:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    if read_only and is_local_file(target) and not Path(target).exists():
        raise DatabaseError("db.error.missing", target=target)
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            holder = re.search(r"\(PID (\d+)\)", str(exc))
            raise DatabaseLocked("db.error.locked", target=target,
                                 pid=holder.group(1) if holder else "?") from exc
        raise DatabaseError("db.error.not_a_database", target=target, reason=str(exc)) from exc
    except duckdb.Error as exc:
        raise DatabaseError("db.error.not_a_database", target=target, reason=str(exc)) from exc
    if migrate_schema:
        if read_only:
            check_schema_version(con)
        else:
            migrate(con)
    return con


@cache
def sql_text(name: str) -> str:
    """The text of `queries/<name>.sql`; a name with a slash reaches a sub-folder."""
    if not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+)?", name):
        raise ValueError(f"Not a query name: {name!r}")
    path = QUERIES / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"No query named {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")


@cache
def query_parameters(name: str) -> frozenset[str]:
    """The `$names` a query uses (comments and string literals are ignored)."""
    text = re.sub(r"--[^\n]*", "", sql_text(name))
    text = re.sub(r"'(?:[^']|'')*'", "''", text)
    return frozenset(_PARAM.findall(text))


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


def _bind(name: str, params: Mapping[str, Any]) -> dict[str, Any] | None:
    expected = query_parameters(name)
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
    bound = _bind(name, params)
    with con.cursor() as cur:
        rel = cur.sql(sql_text(name), params=bound)
        if rel is None:
            return pl.DataFrame()
        return rel.pl()


def execute(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> None:
    """Run a named statement on this connection (inside its transaction, if one is open)."""
    bound = _bind(name, params)
    con.execute(sql_text(name), bound)
    con.fetchall() if con.description else None


def fetch(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    """Run a named query on this very connection (so it sees the open transaction)."""
    bound = _bind(name, params)
    rel = con.sql(sql_text(name), params=bound)
    return pl.DataFrame() if rel is None else rel.pl()


def scalar(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> Any:
    frame = fetch(con, name, **params)
    return None if frame.is_empty() else frame.item(0, 0)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: everything inside commits together or not at all."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    else:
        con.commit()


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def migrations() -> list[Migration]:
    found = []
    for path in sorted(SCHEMA.glob("*.sql")):
        match = _MIGRATION.match(path.name)
        if not match:
            raise DatabaseError(f"Migration file name must look like 001_name.sql: {path.name}")
        found.append(Migration(int(match.group(1)), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(versions) + 1)):
        raise DatabaseError(f"Migrations must be numbered 001, 002, … without gaps: {versions}")
    return found


def latest_schema_version() -> int:
    return len(migrations())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    if fetch(con, "meta__has_table", table_name="schema_version").is_empty():
        return 0
    return int(scalar(con, "meta__schema_version"))


def check_schema_version(con: duckdb.DuckDBPyConnection) -> int:
    version = schema_version(con)
    latest = latest_schema_version()
    if version > latest:
        raise SchemaTooNew("db.error.schema_too_new", version=version, latest=latest)
    if version < latest:
        raise DatabaseError("db.error.schema_old", version=version, latest=latest)
    return version


# A migration holding this line is followed, in its transaction, by a rebuild of the derived tables
# with the current statements (`vetopito.aggregates.refresh`), so it need not copy them.
REBUILD_DERIVED = "-- then: rebuild derived tables"


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration the file lacks, each in its own transaction; return the version."""
    execute(con, "meta__create_schema_version")
    current = schema_version(con)
    latest = latest_schema_version()
    if current > latest:
        check_schema_version(con)
    for migration in migrations():
        if migration.version <= current:
            continue
        script = migration.path.read_text(encoding="utf-8")
        with transaction(con):
            con.execute(script)
            if REBUILD_DERIVED in script:
                from vetopito import aggregates  # imports this module: imported when needed

                aggregates.refresh(con)
            execute(con, "meta__record_migration", version=migration.version)
    return latest


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(run(con, "meta__data_version").item(0, 0))


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Call inside the transaction of every load or undo."""
    execute(con, "meta__bump_data_version")


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    return scalar(con, "meta__get", key=key)


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    execute(con, "meta__set", key=key, value=value)


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    frame = run(con, "meta__row_counts")
    return dict(zip(frame["table_name"].to_list(), frame["row_count"].to_list(), strict=True))


def key_problems(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """What the loader keeps true without keys in the schema (migrations 009 and 010): one row
    per observation key stored twice, per unknown indicator or unit id, and per key of the derived
    tables (region_series, observation_summary) stored twice; empty when all is well."""
    return run(con, "meta__observation_key_problems")
