"""`vetopito maintain`: the upkeep a store needs, step by step, with what each step did and cost.

A lake gains a snapshot and a few small Parquet files with every commit (a load, an undo, a
sign-in's audit row), and keeps every file an older snapshot still reads: reads slow down as
files multiply and the data path only grows. The steps, each DuckLake's own function, in order:

1. **flush**: rows DuckLake kept inlined in the PostgreSQL catalog (small commits) to Parquet;
2. **expire**: snapshots older than `keep_days` are forgotten (time travel to them ends; the
   newest is always kept); the files only they read are scheduled for deletion;
3. **rewrite**: files of which `delete_share` or more of the rows are deleted (changed and undone
   values: DuckLake deletes and inserts) without those rows (a file with deletes is not merged);
4. **merge**: each table's small adjacent files into larger ones;
5. **cleanup**: the files scheduled for deletion more than `grace_hours` ago are deleted (a query
   that started before the step may still read the newer ones);
6. **orphans**: files no snapshot names, older than `grace_hours` (a writer killed before its
   commit leaves its files behind: the commit is atomic, the files are not).

No step changes what any query returns, so the data version stays and no app drops its caches.
A step that meets another writer's commit is tried again (`ingest.replan.attempts`). On the
embedded file the only upkeep is a CHECKPOINT.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import duckdb

from vetopito import db
from vetopito.ingest import replan

KEEP_DAYS = 7
GRACE_HOURS = 1
DELETE_SHARE = 0.25

# (step, statement, what its rows count)
LAKE_STEPS = (
    ("flush", "maintain/flush_inlined", "rows"),
    ("expire", "maintain/expire_snapshots", "snapshots"),
    ("rewrite", "maintain/rewrite_files", "files"),
    ("merge", "maintain/merge_files", "files"),
    ("cleanup", "maintain/cleanup_files", "files"),
    ("orphans", "maintain/orphaned_files", "files"),
)


@dataclass
class Step:
    name: str
    seconds: float
    done: int          # rows flushed, snapshots expired, files merged/rewritten (read) or deleted
    unit: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Maintenance:
    backend: str       # "lake" or "file"
    steps: list[Step]
    before: dict[str, int]
    after: dict[str, int]

    @property
    def seconds(self) -> float:
        return round(sum(s.seconds for s in self.steps), 3)

    def as_dict(self) -> dict[str, Any]:
        return {"backend": self.backend, "seconds": self.seconds, "before": self.before, "after": self.after,
                "steps": [{"step": s.name, "seconds": s.seconds, "done": s.done, "unit": s.unit, **s.detail}
                          for s in self.steps]}


def store_of(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(catalog name, "lake" or "file") of the database the connection works on."""
    row = db.run(con, "maintain/store").row(0, named=True)
    return row["catalog"], "lake" if row["kind"] == "ducklake" else "file"


def lake_state(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    return {k: int(v) for k, v in db.run(con, "maintain/lake_state", catalog=catalog).row(0, named=True).items()}


def _count(frame, unit: str) -> tuple[int, dict[str, Any]]:
    if frame.is_empty():
        return 0, {}
    if "n" in frame.columns:        # rows flushed per table
        return int(frame["n"].sum()), {"tables": frame["table_name"].to_list()}
    if "files_read" in frame.columns:
        return int(frame["files_read"].sum()), {"files_written": int(frame["files_written"].sum()),
                                                "tables": frame["table_name"].to_list()}
    return frame.height, {}


def maintain(con: duckdb.DuckDBPyConnection, *, keep_days: int = KEEP_DAYS, grace_hours: int = GRACE_HOURS,
             delete_share: float = DELETE_SHARE) -> Maintenance:
    """Run every upkeep step on the connection's store and say what each did and cost."""
    catalog, backend = store_of(con)
    if backend == "file":
        started = time.perf_counter()
        db.execute(con, "maintain/checkpoint")
        return Maintenance("file", [Step("checkpoint", round(time.perf_counter() - started, 3), 0, "")], {}, {})
    before = lake_state(con, catalog)
    steps = []
    for name, statement, unit in LAKE_STEPS:
        given = {"catalog": catalog, "keep_days": keep_days, "grace_hours": grace_hours, "delete_share": delete_share}
        params = {k: v for k, v in given.items() if k in db.query_parameters(statement)}
        started = time.perf_counter()
        frame = replan.attempts(lambda _attempt, s=statement, p=params: db.run(con, s, **p))
        done, detail = _count(frame, unit)
        steps.append(Step(name, round(time.perf_counter() - started, 3), done, unit, detail))
    return Maintenance("lake", steps, before, lake_state(con, catalog))


def format_maintenance(result: Maintenance) -> str:
    """The report `vetopito maintain` prints (English, like `info` and `bench`: for operators)."""
    if result.backend == "file":
        return f"embedded file: checkpoint in {result.steps[0].seconds:.2f} s (nothing else to maintain)"
    lines = ["lake maintenance:"]
    for step in result.steps:
        extra = f", {step.detail['files_written']} written" if "files_written" in step.detail else ""
        lines.append(f"  {step.name:<8} {f'{step.done:>8} {step.unit}{extra}':<28} {step.seconds:7.2f} s")
    b, a = result.before, result.after
    lines += [f"  total    {result.seconds:.2f} s",
              f"  snapshots   {b['snapshots']:>8} → {a['snapshots']}",
              f"  data files  {b['data_files']:>8} → {a['data_files']}  "
              f"({b['data_bytes'] / 2**20:.1f} MB → {a['data_bytes'] / 2**20:.1f} MB)",
              f"  delete files {b['delete_files']:>7} → {a['delete_files']}"]
    return "\n".join(lines)
