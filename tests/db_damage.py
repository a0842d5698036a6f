"""Broken copies of a database file, made as they happen (a copy cut short, an empty file, a file
that is something else, bytes written over a data block), and a second process holding a file."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from tests import sql

# DuckDB's file: a 4 KiB main header and two 4 KiB database headers, then fixed-size blocks, each
# opening with its checksum (block `b` starts at HEADER + b * block_size).
HEADER = 3 * 4096


def truncated(source: Path, target: Path) -> Path:
    """The first half of the file, as a copy that stopped half-way leaves it."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def empty(source: Path, target: Path) -> Path:
    target.write_bytes(b"")
    return target


def not_duckdb(source: Path, target: Path) -> Path:
    target.write_text("indicator;unit;period;value\nt3_laakari;HVA15;2024;3\n", encoding="utf-8")
    return target


def data_block(path: Path, table: str) -> int:
    """The block holding most of `table`'s data (DuckDB's own storage map), so bytes written
    there are really read back: bytes at some offset may land in a free block and damage nothing."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = sql.run(con, "meta/table_blocks", table_name=table)["block_id"].to_list()
    finally:
        con.close()
    assert rows, f"table {table} has no data block"
    return int(rows[0])


def corrupted(source: Path, target: Path, table: str = "observation", *, seed: int = 15) -> Path:
    """A copy with 64 random bytes written into the middle of a data block of `table`."""
    shutil.copy(source, target)
    con = duckdb.connect(str(target), read_only=True)
    block_size = int(sql.run(con, "meta/block_size").item(0, 0))
    con.close()
    offset = HEADER + data_block(target, table) * block_size + block_size // 2
    with target.open("r+b") as handle:
        handle.seek(offset)
        handle.write(random.Random(seed).randbytes(64))
    return target


@contextlib.contextmanager
def held(path: Path, *, read_only: bool = False):
    """Another process holding the file (as a command-line load or a second app would), until the block ends;
    yields its pid."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(path)!r}, read_only={read_only!r})
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield holder.pid
    finally:
        holder.communicate("")


def size(path: Path) -> int:
    return os.stat(path).st_size
