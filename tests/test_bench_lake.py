"""`vetopito bench --backend lake`'s own parts: the loaded case's figures and report, what a kept
lake is keyed by, and (on the lake, `make test-lake`) the lake kept between runs: built once,
reused, and after each run only its template left (the copies dropped, the files they wrote
deleted, the server stopped). Timings are never asserted."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

from vetopito import db
from vetopito.bench import database, lake

TINY = database.Size("tiny", per_region=1, indicators=3, first_month=date(2024, 1, 1), months=3)


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "bench-tiny.duckdb"
    database.generate(path, TINY)
    return path


def test_the_loaded_case_counts_the_slowest_render_of_any_app():
    apps = [{"renders": 20, "slowest_ms": {"": 420.0, "alue": 1250.5}},
            {"renders": 18, "slowest_ms": {"": 610.0, "alue": 300.0}},
            {"error": ["Traceback: boom"]}]
    writers = [{"loads": 3, "replanned": 1}, {"loads": 2, "replanned": 0}]
    report = lake.loaded_report(apps, writers, seconds=30, warm_s=12.5)
    assert report["apps"] == 3 and report["writers"] == 2 and report["renders"] == 38
    assert report["loads"] == 5 and report["replanned"] == 1 and report["errors"] == [["Traceback: boom"]]
    assert report["slowest_ms"] == {"": 610.0, "alue": 1250.5} and report["worst_ms"] == 1250.5
    assert report["over_budget"]  # budget 1 s
    assert not lake.loaded_report(apps[1:2], writers, seconds=30)["over_budget"]
    assert lake.loaded_report([], writers, seconds=30)["over_budget"]  # nothing rendered: no figure


def test_the_report_beside_the_file_says_whether_the_lake_was_kept():
    file_report = {"pages": {"alue": {"median_ms": 100.0}}, "queries": {"q": {"p95_ms": 2.0}}}
    lake_report = {"database": "ducklake:postgres:dbname=x", "copied_s": None,
                   "pages": {"alue": {"median_ms": 150.0, "error": None}},
                   "queries": {"q": {"p95_ms": 60.0, "error": None}},
                   "concurrent": lake.loaded_report([{"renders": 4, "slowest_ms": {"alue": 900.0}}],
                                                    [{"loads": 1, "replanned": 0}], seconds=10, warm_s=3.0)}
    text = lake.format_beside(file_report, lake_report)
    assert "a lake kept from an earlier run" in text
    assert "× 1.50  ok" in text and "× 30.00  OVER BUDGET" in text
    assert "slowest page render   900.0 ms" in text
    lake_report["copied_s"] = 41.2
    assert "copied into a lake in 41.2 s" in lake.format_beside(file_report, lake_report)


def test_a_kept_lake_is_keyed_by_the_file_it_was_made_from(tiny_db):
    key = lake.cache_key(tiny_db)
    assert key["bench_size"] == f"tiny:{database.GENERATOR_VERSION}"
    assert key["schema_version"] == db.latest_schema_version()
    assert lake.cache_key(tiny_db) == key
    stat = tiny_db.stat()
    os.utime(tiny_db, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # the file made again
    assert lake.cache_key(tiny_db) != key


@pytest.fixture
def bench_dir(backend, monkeypatch):
    if backend != "lake":
        pytest.skip("on the lake only: make test-lake")
    root = Path(tempfile.mkdtemp(prefix="vetopito-bench-test-"))
    root.chmod(0o755)  # the PostgreSQL server's user must reach the cluster's folder
    monkeypatch.setenv("VETOPITO_BENCH_DIR", str(root))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_the_benchmark_lake_is_kept_between_runs_and_only_its_template_left(bench_dir, tiny_db):
    with lake.kept_lake(tiny_db, verbose=False) as kept:
        assert kept.built_s is not None and kept.root.parent == bench_dir
        con = db.connect(kept.lakes.copy("pages", "pages"))
        try:
            counts = db.row_counts(con)
            assert counts["observation"] > 0
            with db.transaction(con):
                db.set_meta(con, "written", "by a run")
        finally:
            con.close()
        stray = kept.data / "main" / "meta" / "written-by-a-copy.parquet"  # as a copy's commit writes one
        stray.write_bytes(b"PAR1")
        assert len(kept.lakes.cluster.databases()) == 2
    manifest = json.loads((kept.root / lake.MANIFEST).read_text(encoding="utf-8"))
    assert not stray.exists() and lake._data_files(kept.data) == set(manifest["files"])
    assert not (kept.root / "cluster" / "data" / "postmaster.pid").exists()  # the server stopped
    with lake.kept_lake(tiny_db, verbose=False) as again:
        assert again.built_s is None  # made from the same file: reused
        assert again.lakes.cluster.databases() == [lake.TEMPLATE_DB]
        con = db.connect(again.lakes.copy("pages", "again"))
        try:
            assert db.row_counts(con) == counts and db.get_meta(con, "written") is None
        finally:
            con.close()
