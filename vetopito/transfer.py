"""`vetopito copy --from A --to B`: a whole database moved between backends (file → lake, lake →
file, or any two), with every table's rows counted on both sides and every key checked after.

Both ends must be at the same schema version (the source is opened read-only and must be current:
`vetopito init --db A` first; the destination is made or migrated by `db.connect`) and the
destination must hold no data yet (a new file, or a new lake: its catalog database empty), so
nothing is merged into what is there. Every table but `schema_version` is appended to the
destination's table of the same name through DuckDB's relational API (the columns by name), all
in one transaction of the destination: a copy that fails leaves it as it was.

A source that is a local file is attached read-only to the destination's connection
(`backend.attach_file`) and each table is one `INSERT … SELECT` inside DuckDB, streamed and in
parallel (10 M observations into a lake in about 15 s on a loaded 2-core machine, where the
Arrow batches took 84 s and 1.7 GB); a source lake is read into Arrow batches table by table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from vetopito import backend, db

# rows the schema itself writes (migrations, the id counters at 0): replaced by the source's
_SCHEMA_ROWS = {"schema_version", "id_counter"}


@dataclass
class CopyReport:
    source: str
    destination: str
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (source rows, copied rows)
    key_problems: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.key_problems and all(a == b for a, b in self.counts.values())

    def as_json(self) -> dict:
        return {"ok": self.ok, "from": self.source, "to": self.destination,
                "tables": {t: {"source": a, "destination": b} for t, (a, b) in self.counts.items()},
                "key_problems": self.key_problems}


def _counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    """Every table's rows, read in one transaction (one snapshot; on a lake one catalog read)."""
    with db.transaction(con):
        return {table: int(db.scalar(con, "meta/table_rows", table_name=table)) for table in tables}


def copy_database(source: str, destination: str) -> CopyReport:
    """Copy every table of `source` into the empty database `destination` (see the module)."""
    report = CopyReport(db.database_target(source), db.database_target(destination))
    src = db.connect(source, read_only=True, create=False)
    try:
        dst = db.connect(destination)
        try:
            tables = db.run(src, "meta/tables")["table_name"].to_list()
            there = set(db.run(dst, "meta/tables")["table_name"].to_list())
            missing = sorted(set(tables) - there)
            if missing:
                raise db.DatabaseError("copy.error.tables_differ", tables=", ".join(missing))
            holding = sorted(t for t, n in _counts(dst, sorted(there - _SCHEMA_ROWS)).items() if n)
            if holding:
                raise db.DatabaseError("copy.error.not_empty", target=report.destination,
                                       tables=", ".join(holding))
            copied = [t for t in tables if t != "schema_version"]
            before = _counts(src, copied)
            if db.is_local_file(report.source):
                src.close()  # the destination's connection opens the file itself, read-only
                _insert_attached(dst, report.source, copied)
            else:
                _insert_batches(src, dst, copied)
            after = _counts(dst, copied)
            report.counts = {t: (before[t], after[t]) for t in copied}
            problems = pl.concat([db.key_problems(dst).select(pl.lit("observation").alias("table_name"),
                                                               pl.col("problem").alias("row_key"), "n"),
                                  db.table_key_problems(dst)], how="vertical_relaxed")
            report.key_problems = problems.to_dicts()
        finally:
            dst.close()
    finally:
        src.close()
    return report


def _insert_attached(dst: duckdb.DuckDBPyConnection, file: str, tables: list[str]) -> None:
    """Each table of the DuckDB file `file` appended to the destination's in one `INSERT … SELECT`
    each (the file attached read-only for the copy, detached after)."""
    source = backend.attach_file(dst, file)
    try:
        with db.transaction(dst):
            db.execute(dst, "meta/clear_id_counters")
            for table in tables:
                columns = dst.table(table).columns
                dst.table(f"{source}.main.{table}").project(
                    *[duckdb.ColumnExpression(c) for c in columns]).insert_into(table)
    finally:
        backend.detach(dst, source)


def _insert_batches(src: duckdb.DuckDBPyConnection, dst: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    """Each table of `src` read into Arrow batches and appended to the destination's."""
    with db.transaction(dst):
        db.execute(dst, "meta/clear_id_counters")
        for table in tables:
            columns = dst.table(table).columns
            batches = src.table(table).project(*[duckdb.ColumnExpression(c) for c in columns]).arrow()
            dst.from_arrow(batches).insert_into(table)
