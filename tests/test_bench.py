"""`vetopito bench --size small --json` runs end to end and prints the documented shape.

Timings are never asserted: this checks the command, the generator and the report's shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from vetopito import db
from vetopito.bench import database, ingest, pages

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory) -> Path:
    """`VETOPITO_BENCH_DIR` of this module's commands: the small benchmark database is generated
    there once (by the first command that needs it) and found current by the next one, as between
    two runs of `vetopito bench`; the commands only read it (they copy it before writing)."""
    return tmp_path_factory.mktemp("bench")


def test_generator_builds_every_unit_month_and_indicator(tmp_path):
    size = database.Size("tiny", per_region=1, indicators=3, first_month=date(2024, 1, 1), months=3)
    path = tmp_path / "tiny.duckdb"
    database.generate(path, size)
    con = db.connect(path, read_only=True)
    try:
        counts = db.run(con, "bench/sizes").row(0, named=True)
        bench_units = db.run(con, "access/all_unit_ids").filter(
            kind="org_unit")["id"].str.contains("-bench-").sum()
        marker = db.get_meta(con, "bench_size")
    finally:
        con.close()
    assert bench_units == 22  # one synthetic unit under each of the 22 regions
    assert counts["observations"] > 0 and counts["indicators"] >= 3
    assert marker == f"tiny:{database.GENERATOR_VERSION}"  # what tells a cached database is current


def test_bench_small_json_shape(bench_dir):
    env = {**os.environ, "VETOPITO_BENCH_DIR": str(bench_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "vetopito.cli", "bench", "--size", "small", "--pages", "--json",
         "--runs", "1", "--query-runs", "2", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert set(report) >= {"size", "database", "observations", "units", "indicators", "budget",
                           "pages", "queries", "memory"}
    assert report["size"] == "small" and report["observations"] > 0
    assert report["budget"] == {"page_ms": 300.0, "query_ms": 50.0, "memory_mb": 500.0}
    assert set(report["pages"]) == set(pages.app_pages())
    for url, page in report["pages"].items():
        assert set(page) >= {"median_ms", "runs", "over_budget", "error"}, url
        assert page["error"] is None, (url, page["error"])
        assert isinstance(page["median_ms"], float) and page["runs"] == 1
    assert report["queries"], "no query was recorded while the pages rendered"
    for name, query in report["queries"].items():
        assert (ROOT / "queries" / f"{name}.sql").exists()
        assert set(query) >= {"p95_ms", "runs", "pages", "over_budget", "error"}, name
        assert query["error"] is None, (name, query["error"])
        assert isinstance(query["p95_ms"], float)
    assert isinstance(report["memory"]["peak_rss_mb"], float)
    assert isinstance(report["memory"]["over_budget"], bool)


def test_text_report_marks_figures_over_budget():
    report = {
        "size": "small", "database": "x.duckdb", "generated_s": None, "observations": 10,
        "units": 2, "indicators": 1, "budget": pages.BUDGET,
        "pages": {"alue": {"median_ms": 450.0, "runs": 3, "over_budget": True, "error": None}},
        "queries": {"region__x": {"p95_ms": 12.0, "runs": 5, "over_budget": False, "error": None}},
        "memory": {"peak_rss_mb": 120.0, "over_budget": False},
    }
    text = pages.format_report(report)
    assert "/alue" in text and "OVER BUDGET" in text.splitlines()[4]
    assert "region__x" in text and "budget 50 ms" in text and "budget 500 MB" in text


def test_bench_ingest_json_shape(bench_dir):
    env = {**os.environ, "VETOPITO_BENCH_DIR": str(bench_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "vetopito.cli", "bench", "--ingest", "--rows", "3000", "--ingest-runs", "2",
         "--size", "small", "--json", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert set(report) >= {"rows", "file", "file_mb", "loader_s", "read_csv_s", "pandas_s", "ratio_read_csv",
                           "ratio_pandas", "budget", "within_budget", "loader"}
    assert report["rows"] == 3000 and Path(report["file"]).parent == bench_dir
    # each contender's time is the median of its timed runs (a warm-up run is not counted)
    assert report["runs"] == 2 and set(report["runs_s"]) == {"loader", "read_csv", "pandas"}
    for name, key in (("loader", "loader_s"), ("read_csv", "read_csv_s"), ("pandas", "pandas_s")):
        times = report["runs_s"][name]
        assert len(times) == 2 and times == sorted(times) and report[key] == times[0], name
    assert report["budget"] == {"read_csv_ratio": 2.0, "pandas_ratio": 1.0}
    for key in ("loader_s", "read_csv_s", "pandas_s", "ratio_read_csv", "ratio_pandas"):
        assert isinstance(report[key], float) and report[key] > 0, key
    assert isinstance(report["within_budget"], bool)
    # the generated file is a clean canonical long file: the loader commits every row
    assert report["loader"]["committed"] and report["loader"]["error_total"] == 0
    assert report["loader"]["counts"]["new"] == 3000
    phases = report["loader"]["phases_s"]  # where the loader's time went, phase by phase
    assert list(phases) == ["read", "check", "plan", "commit"]
    assert all(v >= 0 for v in phases.values()) and sum(phases.values()) <= report["loader_s"] + 0.01
    # the monthly extract (next month of every unit and indicator) loads whole into the small database
    monthly = report["monthly"]
    assert monthly["size"] == "small" and monthly["observations"] > 0 and len(monthly["runs_s"]) == 2
    assert monthly["loader"]["committed"] and monthly["loader"]["error_total"] == 0
    assert monthly["loader"]["counts"]["new"] == monthly["rows"] > 0
    assert monthly["loader_s"] == monthly["runs_s"][0]
    header = Path(report["file"]).read_text(encoding="utf-8").splitlines()[0]
    assert header == "indicator,unit,period,value,numerator,denominator"
    # the upload page's path is measured, and the hostile file (12 M lines of `;;;`) refused by the row limit
    memory = report["memory"]
    assert not memory["upload"]["refused"] and memory["upload"]["load_mb"] > 0
    assert memory["hostile"]["refused"] and "1\u00a0000\u00a0000" in memory["hostile"]["problem"]


def test_ingest_csv_is_deterministic(tmp_path):
    template = tmp_path / "template.duckdb"
    ingest._reference_database(template, ingest._per_region(500, 24))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    ingest.generate_ingest_csv(first, 500, template)
    ingest.generate_ingest_csv(second, 500, template)
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text(encoding="utf-8").splitlines()) == 501
