"""`vetopito bench --pages`: how fast the pages and their queries are on the benchmark database.

It renders every page of app.py with Streamlit's AppTest: once cold (recording every named
query the page runs, with its real parameters), then `--runs` times warm, and reports the
median. Each recorded query is then timed `--query-runs` times on its own cursor and its 95th
percentile reported, and finally the peak memory of this process (the database is generated in
a child process, so its memory does not count).
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import time
from pathlib import Path
from typing import Any

from vetopito import db
from vetopito.bench.database import Size
from vetopito.bench.report import mark, spaced

BUDGET = {"page_ms": 300.0, "query_ms": 50.0, "memory_mb": 500.0}
APP = db.ROOT / "app.py"


def app_pages() -> dict[str, str]:
    """url path → page file (`pages/x.py`) as listed in app.py."""
    text = APP.read_text(encoding="utf-8")
    found = re.findall(r'(?:st\.Page\(\s*"pages/|\bpage\(\s*")(\w+)(?:\.py)?".*?url_path="([^"]+)"([^)]*)\)',
                       text, flags=re.S)
    # the default page is served at the root: its own url_path is never an address
    return {("" if "default=True" in rest else url): f"pages/{name}.py" for name, url, rest in found}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=20, method="inclusive")[18]


class QueryRecorder:
    """Wraps `db.run` while the pages render cold, keeping each (query, parameters) they use."""

    def __init__(self) -> None:
        self.calls: dict[str, list[dict[str, Any]]] = {}
        self.pages: dict[str, set[str]] = {}
        self.current_page = ""
        self._original = None

    def __enter__(self):
        self._original = db.run
        original = self._original

        def recording_run(con, name, /, **params):
            seen = self.calls.setdefault(name, [])
            if params not in seen:
                seen.append(dict(params))
            self.pages.setdefault(name, set()).add(self.current_page)
            return original(con, name, **params)

        db.run = recording_run
        return self

    def __exit__(self, *exc):
        db.run = self._original


def release_connections() -> None:
    """Close what the pages kept in this process (Streamlit resources: the database connection, the
    data version seen), so the next pages open the database `VETOVOIMA_DB` names now and nothing
    of this process holds the last one (the lake runs copy the file the file runs had open)."""
    import streamlit as st
    from streamlit.logger import set_log_level

    set_log_level("error")  # clearing outside a server warns "No runtime found"
    st.cache_resource.clear()


def time_pages(pages: dict[str, str], runs: int, recorder: QueryRecorder) -> dict[str, dict[str, Any]]:
    """Render each page cold once (recording its queries), then `runs` times warm."""
    import streamlit as st
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    results: dict[str, dict[str, Any]] = {}
    for url, file in pages.items():
        # clearing caches outside a server warns "No runtime found" (and AppTest's runs set the
        # log level back, so this is said before every page)
        set_log_level("error")
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=120)
        recorder.current_page = url
        try:
            with recorder:
                at.run()
                at.switch_page(file)
                started = time.perf_counter()
                at.run()
                cold = time.perf_counter() - started
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                at.run()
                timings.append(time.perf_counter() - started)
            errors = [str(e.value)[:200] for e in at.exception]
            median = _ms(statistics.median(timings)) if timings else None
            results[url] = {
                "page": file,
                "median_ms": median,
                "cold_ms": _ms(cold),
                "runs": len(timings),
                "over_budget": median is not None and median > BUDGET["page_ms"],
                "error": errors[0] if errors else None,
            }
        except Exception as exc:  # a page that cannot run is reported, not fatal
            results[url] = {"page": file, "median_ms": None, "cold_ms": None, "runs": 0,
                            "over_budget": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return results


def _reads_data(name: str) -> bool:
    text = re.sub(r"--[^\n]*", "", db.sql_text(name)).strip().lower()
    return text.startswith(("select", "with", "from", "(")) and not name.startswith("bench__")


def time_queries(con, recorder: QueryRecorder, runs: int) -> dict[str, dict[str, Any]]:
    """The p95 of every query the pages ran, with the parameters they ran it with."""
    results: dict[str, dict[str, Any]] = {}
    for name in sorted(recorder.calls):
        if not _reads_data(name):
            continue
        param_sets = recorder.calls[name]
        timings = []
        try:
            db.run(con, name, **param_sets[0])  # not timed: first read of the columns
            for i in range(runs):
                params = param_sets[i % len(param_sets)]
                started = time.perf_counter()
                db.run(con, name, **params)
                timings.append(time.perf_counter() - started)
            value = _ms(p95(timings))
            results[name] = {"p95_ms": value, "median_ms": _ms(statistics.median(timings)),
                             "runs": runs, "parameter_sets": len(param_sets),
                             "pages": sorted(recorder.pages.get(name, ())),
                             "over_budget": value > BUDGET["query_ms"], "error": None}
        except Exception as exc:
            results[name] = {"p95_ms": None, "median_ms": None, "runs": 0,
                             "parameter_sets": len(param_sets),
                             "pages": sorted(recorder.pages.get(name, ())), "over_budget": False,
                             "error": f"{type(exc).__name__}: {exc}"[:200]}
    return results


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_benchmark(path: Path, size: Size, *, pages: bool, runs: int, query_runs: int,
                  generated_s: float | None) -> dict[str, Any]:
    release_connections()
    os.environ[db.ENV_VAR] = str(path)
    con = db.connect(path)
    try:
        counts = db.run(con, "bench/sizes").row(0, named=True)
    finally:
        con.close()
    recorder = QueryRecorder()
    page_results = time_pages(app_pages(), runs if pages else 0, recorder)
    if not pages:
        page_results = {}
    release_connections()
    con = db.connect(path)
    try:
        query_results = time_queries(con, recorder, query_runs)
    finally:
        con.close()
    memory = peak_memory_mb()
    return {
        "size": size.name,
        "database": str(path),
        "generated_s": None if generated_s is None else round(generated_s, 1),
        "observations": counts["observations"],
        "units": counts["units"],
        "indicators": counts["indicators"],
        "budget": BUDGET,
        "pages": page_results,
        "queries": query_results,
        "memory": {"peak_rss_mb": memory, "over_budget": memory > BUDGET["memory_mb"]},
    }



def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"Vetovoima benchmark, size {report['size']}: {spaced(report['observations'])} observations, "
        f"{spaced(report['units'])} units, {spaced(report['indicators'])} indicators",
        f"database: {report['database']}"
        + ("" if report["generated_s"] is None else f" (generated in {report['generated_s']} s)"),
    ]
    if report["pages"]:
        runs = max((p["runs"] for p in report["pages"].values()), default=0)
        lines += ["", f"pages: median of {runs} warm AppTest runs (budget {BUDGET['page_ms']:.0f} ms)"]
        width = max(len(k) for k in report["pages"])
        for url, page in report["pages"].items():
            value = "-" if page["median_ms"] is None else f"{page['median_ms']:8.1f} ms"
            lines.append(f"  /{url:<{width}}  {value:>11}  {mark(page['over_budget'], page['error'])}")
    if report["queries"]:
        lines += ["", f"queries: p95 (budget {BUDGET['query_ms']:.0f} ms)"]
        width = max(len(k) for k in report["queries"])
        for name, query in report["queries"].items():
            value = "-" if query["p95_ms"] is None else f"{query['p95_ms']:8.1f} ms"
            lines.append(f"  {name:<{width}}  {value:>11}  {mark(query['over_budget'], query['error'])}")
    memory = report["memory"]
    lines += ["", f"peak memory: {memory['peak_rss_mb']:.1f} MB (budget {BUDGET['memory_mb']:.0f} MB)  "
              f"{mark(memory['over_budget'], None)}"]
    return "\n".join(lines)
