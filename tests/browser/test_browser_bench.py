"""`vetopito bench --browser` runs end to end in Chromium and prints its documented shape.

Timings are never asserted (a benchmark, not a test): this checks that the floor page, the pages
asked for, a widget change and a presentation step are measured and reported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vetopito.bench import browser_report

pytestmark = pytest.mark.browser


def test_bench_browser_json_shape(browser_db_path, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "vetopito.cli", "bench", "--browser", "--browser-runs", "1",
         "--browser-pages", "/,/esitys", "--json", "--quiet", "--db", str(browser_db_path)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["floor_ms"] > 0
    assert set(report["pages"]) == {"/", "/esitys"}
    region = report["pages"]["/"]
    assert region["new_session_ms"] > 0 and region["ratio"] > 0
    assert region["widget"] == "selectbox" and region["widget_ms"] > 0
    assert region["cpu_s"] is None or (region["cpu_s"] > 0 and region["cpu_ratio"] > 0)   # Linux /proc
    assert region["fragment_widget"] is None and region["fragment_ms"] is None   # the region page has none
    assert report["present_step_ms"] > 0
    assert isinstance(report["over_budget"], list)
    text = browser_report.format_browser_report(report)
    assert "floor: one Altair chart" in text and "presentation step" in text
