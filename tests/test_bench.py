"""`vetopito bench --size small --json` runs end to end and prints the documented shape.

Timings are never asserted: this checks the command, the generator and the report's shape."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from vetopito import bench, db

ROOT = Path(__file__).resolve().parent.parent


def test_generator_builds_every_unit_month_and_indicator(tmp_path):
    size = bench.Size("tiny", per_region=1, indicators=3, first_month=date(2024, 1, 1), months=3)
    path = tmp_path / "tiny.duckdb"
    bench.generate(path, size)
    con = db.connect(path, read_only=True)
    try:
        counts = db.run(con, "bench__sizes").row(0, named=True)
        bench_units = db.run(con, "access__all_unit_ids").filter(
            kind="org_unit")["id"].str.contains("-bench-").sum()
        marker = db.get_meta(con, "bench_size")
    finally:
        con.close()
    assert bench_units == 22  # one synthetic unit under each of the 22 regions
    assert counts["observations"] > 0 and counts["indicators"] >= 3
    assert marker == f"tiny:{bench.GENERATOR_VERSION}"  # what tells a cached database is current


def test_bench_small_json_shape(tmp_path):
    path = tmp_path / "bench-small.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "vetopito.cli", "bench", "--size", "small", "--pages", "--json",
         "--runs", "1", "--query-runs", "2", "--quiet", "--db", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert set(report) >= {"size", "database", "observations", "units", "indicators", "budget",
                           "pages", "queries", "memory"}
    assert report["size"] == "small" and report["observations"] > 0
    assert report["budget"] == {"page_ms": 300.0, "query_ms": 50.0, "memory_mb": 500.0}
    assert set(report["pages"]) == set(bench.app_pages())
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
        "units": 2, "indicators": 1, "budget": bench.BUDGET,
        "pages": {"alue": {"median_ms": 450.0, "runs": 3, "over_budget": True, "error": None}},
        "queries": {"region__x": {"p95_ms": 12.0, "runs": 5, "over_budget": False, "error": None}},
        "memory": {"peak_rss_mb": 120.0, "over_budget": False},
    }
    text = bench.format_report(report)
    assert "/alue" in text and "OVER BUDGET" in text.splitlines()[4]
    assert "region__x" in text and "budget 50 ms" in text and "budget 500 MB" in text
