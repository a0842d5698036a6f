"""The two stores `VETOVOIMA_DB` (and `--db`) may name, and every difference between them, here only.

* **file** (the default, `make run` needs nothing else): a `.duckdb` path (or a DuckDB connection
  string such as `:memory:`), opened by DuckDB itself. One process writes it at a time: a second
  writer, or a reader while the app writes, gets DuckDB's lock error (`db.DatabaseLocked`).
* **lake**: `ducklake:postgres:dbname=… host=… user=… port=…` (a libpq connection string): DuckLake,
  its catalog in PostgreSQL and its data as Parquet files under `VETOVOIMA_DATA_PATH` (a directory,
  or `s3://bucket/prefix` with the usual `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
  `AWS_REGION`, `AWS_ENDPOINT_URL` as a DuckDB secret). The data path is stored in the catalog when
  the lake is made, so it is needed only then. Any number of processes on any number of machines
  read and write it with snapshot isolation; of two writers that touched the same rows one commits
  and the other's commit fails whole (`db.WriteConflict`, nothing of it visible).

What differs, and only here:
  1. **Opening** (`open_connection`). A lake connection is a connection of the process's one
     in-memory DuckDB (`_Hub`), which loads the signed `postgres_scanner`, `ducklake` (and for S3
     `httpfs`) builds from their registry packages (`duckdb-extension-<name>`, the file inside the
     installed package) once; the connection ATTACHes its lake under a name of its own (`lake_<n>`,
     DETACHed on close) and USEs it, so every statement of `queries/` names its tables as on the
     file (and finds its database as `current_database()`).
     Extensions are never downloaded nor loaded unsigned: both connections run with
     `autoinstall_known_extensions` and `autoload_known_extensions` off.
     A new cursor on the lake costs a catalog transaction in PostgreSQL (`USE lake` looks the
     lake up), so the cursors `db.run` takes for one statement come from a pool of the
     connection (`statement_cursor`) instead of being made and closed each time.
  2. **Read-only**: the file opens read-only; the lake is ATTACHed `READ_ONLY`, so DuckDB refuses
     any write our code might try with the same "attached in read-only mode" error as the file.
  3. **The schema** (`db.migrate`). DuckLake has no sequences, primary/unique/foreign keys, CHECK
     constraints, indexes or ENUM types. So the schema has none on either backend from the keyless
     migration on (`019_keyless.sql` rebuilds an existing file without them); ids come from the
     `id_counter` rows of `020_id_counters.sql`, read and bumped inside the writing transaction
     (`db.next_ids`), so two writers of one id conflict at commit instead of duplicating it. The
     same `queries/` run on both, upserts are `merge into` on the key the loader keeps, and
     `vetopito info` lists a key stored twice (`meta/table_key_problems`). A new lake is made from
     that schema: the migrations up to the keyless one run on the lake connection's own in-memory
     database and each table is created in the lake from the definition DuckDB stored for it (the
     text `duckdb_tables()` gives, never built here); later migrations run on the lake as on a
     file. A migration before the keyless one may have keys, one after it may not
     (`tests/test_db_backend.py` checks both).
  4. **Trouble** (`TROUBLE`, read by `db.classify`): the file's lock, damage and disk errors; the
     lake's unreachable catalog and its commit conflicts.
  5. **What `info` checks**: the same read-through of every table on both (on the lake that reads
     every Parquet file the snapshot names), plus the data path the lake's catalog names.
"""

from __future__ import annotations

import importlib.resources
import itertools
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
LAKE_PREFIX = "ducklake:"
DATA_PATH_VAR = "VETOVOIMA_DATA_PATH"
LAKE_ALIAS = "lake"
# the schema a new lake is made from: the migration that leaves a file without keys, sequences, checks
KEYLESS_NAME = "keyless"  # the migration `NNN_keyless.sql` (its number is looked up)
# statements with `{lake.<name>}` fills only this module makes (quoted literals of the operator's
# settings: ATTACH and LOAD take no $parameters)
QUERIES = ROOT / "queries"
LAKE_FOLDER = "lake"
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# The storage format of a database file this creates (a file keeps the format it was made with):
# from v1.3.0 DuckDB compresses text with DICT_FSST, which writes a million observations' four text
# columns in about half the time of v0.10.2's dictionary (the default), to files of the same size
# that read as fast (`vetopito bench --ingest`). Readable by DuckDB 1.3 and later; an older file
# moves to it with `vetopito copy`.
FILE_STORAGE_VERSION = "v1.3.0"
_FILE_CONFIG = {**_CONFIG, "storage_compatibility_version": FILE_STORAGE_VERSION}
# S3 settings read from the environment into the lake's secret, by secret option
_S3_SETTINGS = {"KEY_ID": "AWS_ACCESS_KEY_ID", "SECRET": "AWS_SECRET_ACCESS_KEY", "REGION": "AWS_REGION",
                "ENDPOINT": "AWS_ENDPOINT_URL", "SESSION_TOKEN": "AWS_SESSION_TOKEN"}

# What DuckDB says, in lower case, for the lake's own trouble (DuckLake 1.5.5 on PostgreSQL 15);
# `db.classify` reads these before the file's.
TROUBLE = (
    ("conflict", ("transaction conflict", "failed to commit ducklake transaction")),
    ("unreachable", ("unable to connect to postgres", "failed to attach ducklake")),
)


class _CursorPool:
    """Idle cursors of one lake connection, each already on the lake (`USE lake`), for
    `statement_cursor`. They are cursors of the connection itself (`root`), never of one of its
    cursors: DuckDB closes a cursor's own cursors with it (the loader closes its work cursor)."""

    KEEP = 8  # idle cursors kept; more are closed when given back

    def __init__(self, root: duckdb.DuckDBPyConnection, alias: str = LAKE_ALIAS) -> None:
        self.root, self.alias = root, alias
        self.lock = threading.Lock()
        self.idle: list[duckdb.DuckDBPyConnection] = []

    def take(self) -> duckdb.DuckDBPyConnection:
        with self.lock:
            if self.idle:
                return self.idle.pop()
        cur = self.root.cursor()
        cur.execute(_lake_statement("lake/use", alias=self.alias))
        return cur

    def give_back(self, cur: duckdb.DuckDBPyConnection) -> None:
        with self.lock:
            if len(self.idle) < self.KEEP:
                self.idle.append(cur)
                return
        cur.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for cur in idle:
            cur.close()


class LakeConnection:
    """A DuckDB connection on the lake whose cursors have the lake as their default database too
    (a cursor is a new connection to the same DuckDB instance and would start in `memory`):
    everything else is the connection's own. Its cursors share one pool (`statement_cursor`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, pool: _CursorPool | None = None, *,
                 alias: str = LAKE_ALIAS, on_close: Any = None):
        self._con = con
        self.alias = alias   # the name the lake is attached under (`current_database()`)
        self._pool = pool or _CursorPool(con, alias)
        self._owns_pool = pool is None
        self._on_close = on_close

    def cursor(self) -> LakeConnection:
        cur = self._con.cursor()
        cur.execute(_lake_statement("lake/use", alias=self.alias))
        return LakeConnection(cur, self._pool, alias=self.alias)

    @contextmanager
    def statement_cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one statement in its own (autocommit) transaction, taken from the
        connection's pool and given back after: on the lake a new cursor costs a catalog
        transaction of its own in PostgreSQL (`USE lake` looks the lake up), as much again as a
        small query. A cursor whose statement failed is closed, not given back."""
        cur = self._pool.take()
        try:
            yield cur
        except BaseException:
            cur.close()
            raise
        self._pool.give_back(cur)

    def close(self) -> None:
        if self._owns_pool:
            self._pool.close()
        self._con.close()
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def __enter__(self) -> LakeConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def statement_cursor(con: Any) -> Iterator[Any]:
    """A cursor for one statement (`db.run`): on the lake a pooled one (`LakeConnection`), on a
    file a new cursor, closed after (a file's cursor costs nothing)."""
    if isinstance(con, LakeConnection):
        with con.statement_cursor() as cur:
            yield cur
    else:
        with con.cursor() as cur:
            yield cur


@dataclass(frozen=True)
class Backend:
    """Where `VETOVOIMA_DB` points: `kind` "file" or "lake", and the target as given."""
    kind: str
    target: str

    @property
    def is_lake(self) -> bool:
        return self.kind == "lake"

    @property
    def catalog(self) -> str:
        """The lake's catalog location after `ducklake:` (`postgres:dbname=…`)."""
        return self.target.removeprefix(LAKE_PREFIX)


def parse(target: str) -> Backend:
    return Backend("lake" if str(target).startswith(LAKE_PREFIX) else "file", str(target))


def is_lake_target(target: str) -> bool:
    return str(target).startswith(LAKE_PREFIX)


def is_lake(con: Any) -> bool:
    """Whether a connection (one `open_connection` made, or a cursor of it) is on a lake."""
    return isinstance(con, LakeConnection)


def lake_snapshot(con: Any) -> int | None:
    """The id of the newest snapshot of a lake connection's lake (DuckLake makes one of every commit
    and never changes the files a snapshot names), None for a file's connection."""
    if not isinstance(con, LakeConnection):
        return None
    with con.statement_cursor() as cur:
        return int(cur.execute(_lake_statement("lake/current_snapshot", alias=_identifier(con.alias))).fetchone()[0])


def extension_path(name: str) -> str:
    """The signed build of a DuckDB extension inside its registry package (`duckdb-extension-<name>`,
    pinned in uv.lock with DuckDB itself)."""
    package = importlib.resources.files(f"duckdb_extension_{name}")
    path = package / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    return str(path)


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _lake_statement(name: str, **fills: str) -> str:
    if not name.startswith(f"{LAKE_FOLDER}/"):
        raise ValueError(f"Not a statement of queries/{LAKE_FOLDER}/: {name!r}")
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    for key, value in fills.items():
        body = body.replace("{lake." + key + "}", value)
    return body


def data_path() -> str | None:
    return os.environ.get(DATA_PATH_VAR) or None


def _s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """The usual S3 settings from the environment as the lake's secret (path-style URLs, TLS unless
    the endpoint is `http://`)."""
    settings = {option: os.environ[var] for option, var in _S3_SETTINGS.items() if os.environ.get(var)}
    endpoint = settings.get("ENDPOINT", "")
    use_ssl = not endpoint.startswith("http://")
    if endpoint:
        settings["ENDPOINT"] = endpoint.removeprefix("http://").removeprefix("https://")
    options = ", ".join(f"{option} {_literal(value)}" for option, value in settings.items())
    con.execute(_lake_statement("lake/s3_secret", options=(", " + options) if options else "",
                                use_ssl="true" if use_ssl else "false"))


class _Hub:
    """The one in-memory DuckDB of this process that every lake connection is a connection of
    (`open_connection`): the signed extensions are loaded into it once (about 0.25 s of CPU each
    time in a DuckDB of its own), and each connection ATTACHes its lake under a name of its own
    (`lake_<n>`, DETACHed when the connection closes, which ends its PostgreSQL sessions).
    Connections of one DuckDB share its threads and memory, as the file's cursors do."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.root: duckdb.DuckDBPyConnection | None = None
        self.loaded: set[str] = set()
        self.names = itertools.count(1)

    def connection(self, extensions: list[str]) -> tuple[duckdb.DuckDBPyConnection, str]:
        """A new connection of the hub, `extensions` loaded, and a new name to attach under."""
        with self.lock:
            if self.root is None:
                self.root = duckdb.connect(":memory:", config=_CONFIG)
            for name in extensions:
                if name not in self.loaded:
                    self.root.load_extension(extension_path(name))
                    self.loaded.add(name)
            return self.root.cursor(), f"{LAKE_ALIAS}_{next(self.names)}"

    def release(self, alias: str) -> None:
        """DETACH a closed connection's lake."""
        with self.lock:
            if self.root is not None:
                self.root.execute(_lake_statement("lake/detach", alias=_identifier(alias)))


_HUB = _Hub()


def open_connection(backend: Backend, *, read_only: bool) -> Any:
    """A DuckDB connection on the backend, its tables the default ones (raises `duckdb.Error`): the
    file's own connection, or a `LakeConnection` (which behaves as one) of this process's `_Hub`."""
    if not backend.is_lake:
        return duckdb.connect(backend.target, read_only=read_only, config=_FILE_CONFIG)
    path = data_path()
    s3 = bool(path and path.startswith("s3://"))
    con, alias = _HUB.connection(["postgres_scanner", "ducklake", *(["httpfs"] if s3 else [])])
    attached = False
    try:
        if s3:
            _s3_secret(con)
        options = []
        if path:
            options.append(f"DATA_PATH {_literal(path)}")
        if read_only:
            options.append("READ_ONLY")
        con.execute(_lake_statement("lake/attach", location=_literal(backend.target), alias=alias,
                                    options=f" ({', '.join(options)})" if options else ""))
        attached = True
        con.execute(_lake_statement("lake/use", alias=alias))
    except BaseException:
        con.close()
        if attached:
            _HUB.release(alias)
        raise
    return LakeConnection(con, alias=alias, on_close=lambda: _HUB.release(alias))


_ATTACHED = itertools.count(1)


def attach_file(con: duckdb.DuckDBPyConnection, path: str, alias: str | None = None) -> str:
    """Attach the DuckDB file at `path` read-only to the connection (a file's or a lake's), so one
    statement can read it into the connection's own tables (`vetopito copy`); return the alias it is
    under (`alias`, or a new `copy_source_<n>`: a lake's connections share one DuckDB, `_Hub`)."""
    alias = alias or f"copy_source_{next(_ATTACHED)}"
    con.execute(_lake_statement("lake/attach_file", location=_literal(path), alias=_identifier(alias)))
    return alias


def detach(con: duckdb.DuckDBPyConnection, alias: str) -> None:
    con.execute(_lake_statement("lake/detach", alias=_identifier(alias)))


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"Not an alias: {name!r}")
    return name


@contextmanager
def scratch(con: Any) -> Iterator[None]:
    """A private in-memory database of the lake connection as its default for the block (to build a
    new lake's schema), the lake the default again after."""
    alias = f"{con.alias}_scratch"
    con.execute(_lake_statement("lake/attach_memory", alias=_identifier(alias)))
    try:
        con.execute(_lake_statement("lake/use", alias=alias))
        yield
    finally:
        con.execute(_lake_statement("lake/use", alias=con.alias))
        con.execute(_lake_statement("lake/detach", alias=_identifier(alias)))


def create_from_definition(con: duckdb.DuckDBPyConnection, definition: str) -> None:
    """Create a table in the current database from the definition DuckDB stored for it
    (`duckdb_tables().sql` of the scratch schema; see 3. above)."""
    con.execute(definition)
