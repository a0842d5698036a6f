"""`vetopito bench … --backend lake`: the same figures on a lake beside the file, in one run.

The lake is DuckLake with its catalog in a throw-away PostgreSQL cluster (`bench.pg`: Debian's
`postgresql`, started on a free loopback port in a temporary directory, stopped at the end) and its
data path a local directory beside it. Every lake the benchmark times is a copy of a template lake
(a catalog database made with `CREATE DATABASE … TEMPLATE`, about 0.15 s), so each run starts from
the same data, as each file run starts from a fresh copy of the file. The template lakes are filled
from the file the file runs use (`transfer.copy_database`).

`concurrent` is the loaded case: 4 app processes render every page again and again (AppTest) while
2 writer processes load and undo monthly extracts on the same lake; the slowest page render of any
app process counts (budget ≤ 1 s).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vetopito import backend, db, transfer
from vetopito.bench import pg

LAKE_BUDGET = {"page_ms": 300.0, "query_ms": 50.0, "read_csv_ratio": 2.0, "concurrent_page_ms": 1000.0}
APPS, WRITERS = 4, 2


class Lakes:
    """Template lakes made from files, and fresh copies of them, in one cluster."""

    def __init__(self, cluster: pg.Cluster):
        self.cluster = cluster
        self._templates: dict[str, str] = {}

    def from_file(self, file: Path | str, name: str) -> str:
        """A template lake holding what `file` holds (nobody opens it: copies are made from it)."""
        dbname = self.cluster.create_database(self.cluster.new_name(f"{name}_template"))
        report = transfer.copy_database(str(file), self.cluster.lake(dbname))
        if not report.ok:
            raise RuntimeError(f"copying {file} into a lake failed: {report.as_json()}")
        self._templates[name] = dbname
        return name

    def copy(self, template: str, name: str) -> str:
        """A new lake, a copy of the template lake `template`: its `VETOVOIMA_DB`."""
        dbname = self.cluster.create_database(self.cluster.new_name(name), template=self._templates[template])
        return self.cluster.lake(dbname)


@contextmanager
def lakes(verbose: bool) -> Iterator[Lakes]:
    """A throw-away PostgreSQL cluster for the lakes, and a data path beside it, until the block ends."""
    if not pg.available():
        raise RuntimeError(f"--backend lake needs PostgreSQL 15 in {pg.BIN} (Debian's postgresql)")
    root = Path(tempfile.mkdtemp(prefix="vetopito-bench-lake-"))
    root.chmod(0o755)  # the server's user must reach its folder inside
    if verbose:
        print(f"starting a PostgreSQL cluster for the lake under {root} …", file=sys.stderr)
    cluster = pg.start(root / "cluster")
    previous = os.environ.get(backend.DATA_PATH_VAR)
    os.environ[backend.DATA_PATH_VAR] = str(root / "lake-data")
    try:
        yield Lakes(cluster)
    finally:
        cluster.stop()
        if previous is None:
            os.environ.pop(backend.DATA_PATH_VAR, None)
        else:
            os.environ[backend.DATA_PATH_VAR] = previous


def described(target: str) -> str:
    """A lake's target without the port that changes every run (for the report)."""
    return re.sub(r" port=\d+", "", target)


# One app process of the loaded case: every page rendered warm again and again for `seconds`,
# each render timed; the slowest per page and overall, as JSON on stdout.
_APP = """
import json, sys, time
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest
from vetopito.bench.pages import APP, app_pages
until = time.monotonic() + float(sys.argv[1])
tests, slowest, renders = {}, {}, 0
for url, file in app_pages().items():
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.run(); at.switch_page(file); at.run()
    tests[url] = at
while time.monotonic() < until:
    for url, at in tests.items():
        started = time.perf_counter()
        at.run()
        slowest[url] = max(slowest.get(url, 0.0), (time.perf_counter() - started) * 1000)
        renders += 1
print(json.dumps({"renders": renders, "slowest_ms": slowest}))
"""

# One writer of the loaded case: its extract loaded and undone again and again for `seconds`.
_WRITER = """
import json, sys, time
from vetopito import db, ingest
con = db.connect(sys.argv[2])
until, loads, replanned = time.monotonic() + float(sys.argv[1]), 0, 0
while time.monotonic() < until:
    report = ingest.load(con, sys.argv[3], user="bench writer")
    replanned += any("checked again" in n or "tarkistettiin uudelleen" in n for n in report.notes)
    if report.committed:
        loads += 1
        ingest.undo(con, report.load_id, user="bench writer")
print(json.dumps({"loads": loads, "replanned": replanned}))
"""


def concurrent(lake: str, extracts: list[Path], *, seconds: float, verbose: bool) -> dict[str, Any]:
    """`APPS` app processes render every page while `WRITERS` writers load and undo, on one lake."""
    env = {**os.environ, db.ENV_VAR: lake}
    if verbose:
        print(f"loaded case: {APPS} app processes and {WRITERS} writers for {seconds:.0f} s …", file=sys.stderr)
    apps = [subprocess.Popen([sys.executable, "-c", _APP, str(seconds)], cwd=db.ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for _ in range(APPS)]
    time.sleep(1.0)  # the apps' first renders (imports, cold caches) are not the loaded case
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(seconds), lake, str(extracts[i % len(extracts)])],
                                cwd=db.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for i in range(WRITERS)]
    app_results = [_child_json(child, seconds) for child in apps]
    writer_results = [_child_json(child, seconds) for child in writers]
    slowest: dict[str, float] = {}
    for result in app_results:
        for url, ms in result.get("slowest_ms", {}).items():
            slowest[url] = round(max(slowest.get(url, 0.0), ms), 1)
    worst = max(slowest.values(), default=None)
    return {"apps": APPS, "writers": WRITERS, "seconds": seconds,
            "renders": sum(r.get("renders", 0) for r in app_results),
            "loads": sum(r.get("loads", 0) for r in writer_results),
            "replanned": sum(r.get("replanned", 0) for r in writer_results),
            "errors": [r["error"] for r in app_results + writer_results if "error" in r],
            "slowest_ms": slowest, "worst_ms": worst,
            "over_budget": worst is None or worst > LAKE_BUDGET["concurrent_page_ms"]}


def _child_json(child: subprocess.Popen, seconds: float) -> dict[str, Any]:
    out, err = child.communicate(timeout=seconds * 10 + 600)
    if child.returncode != 0 or not out.strip():
        return {"error": (err or "").strip().splitlines()[-1:] or [f"exit {child.returncode}"]}
    return json.loads(out.strip().splitlines()[-1])


def ratio(lake: float | None, file: float | None) -> float | None:
    return None if not lake or not file else round(lake / file, 2)


def run_pages_beside(path: Path, size, *, pages: bool, runs: int, query_runs: int, verbose: bool,
                     concurrent_s: float) -> dict[str, Any]:
    """The pages' benchmark on a lake holding what the file `path` holds, and the loaded case."""
    from vetopito.bench import ingest as bench_ingest
    from vetopito.bench import pages as bench_pages

    with lakes(verbose) as made:
        if verbose:
            print(f"copying {path} into a lake …", file=sys.stderr)
        started = time.perf_counter()
        made.from_file(path, "pages")
        copied_s = round(time.perf_counter() - started, 1)
        target = made.copy("pages", "pages")
        report = bench_pages.run_benchmark(target, size, pages=pages, runs=runs, query_runs=query_runs,
                                           generated_s=None)
        report["database"] = described(target)
        report["copied_s"] = copied_s
        if concurrent_s > 0:
            extract = Path(tempfile.mkdtemp(prefix="vetopito-bench-extract-")) / "monthly.csv"
            bench_ingest.monthly_extract(path, extract)
            report["concurrent"] = concurrent(made.copy("pages", "loaded"), [extract], seconds=concurrent_s,
                                              verbose=verbose)
    return report


def format_beside(file_report: dict[str, Any], lake_report: dict[str, Any]) -> str:
    """The lake's page and query figures beside the file's, with the ratios, against the budgets."""
    from vetopito.bench.report import mark

    lines = ["", f"the same database on a lake (DuckLake: PostgreSQL catalog, local data path), "
                 f"copied in {lake_report.get('copied_s')} s: {lake_report['database']}"]
    if lake_report["pages"]:
        lines += ["", f"pages: median of warm AppTest runs, file and lake (budget on the lake "
                      f"{LAKE_BUDGET['page_ms']:.0f} ms)"]
        width = max(len(k) for k in lake_report["pages"])
        for url, page in lake_report["pages"].items():
            file_ms = file_report["pages"].get(url, {}).get("median_ms")
            lake_ms = page["median_ms"]
            lines.append(f"  /{url:<{width}}  file {_ms(file_ms)}  lake {_ms(lake_ms)}  × {_x(ratio(lake_ms, file_ms))}  "
                         + mark(lake_ms is None or lake_ms > LAKE_BUDGET["page_ms"], page["error"]))
    if lake_report["queries"]:
        lines += ["", f"queries: p95, file and lake (budget on the lake {LAKE_BUDGET['query_ms']:.0f} ms)"]
        width = max(len(k) for k in lake_report["queries"])
        for name, query in lake_report["queries"].items():
            file_ms = file_report["queries"].get(name, {}).get("p95_ms")
            lake_ms = query["p95_ms"]
            lines.append(f"  {name:<{width}}  file {_ms(file_ms)}  lake {_ms(lake_ms)}  × {_x(ratio(lake_ms, file_ms))}  "
                         + mark(lake_ms is None or lake_ms > LAKE_BUDGET["query_ms"], query["error"]))
    loaded = lake_report.get("concurrent")
    if loaded:
        lines += ["", f"loaded: {loaded['apps']} app processes rendering every page while {loaded['writers']} "
                      f"writers load and undo, {loaded['seconds']:.0f} s: {loaded['renders']} renders, "
                      f"{loaded['loads']} loads committed ({loaded['replanned']} planned again)",
                  f"  slowest page render {_ms(loaded['worst_ms'])}  (budget ≤ {LAKE_BUDGET['concurrent_page_ms']:.0f} ms)  "
                  + mark(loaded["over_budget"], "; ".join(map(str, loaded["errors"])) or None)]
        for url, ms in loaded["slowest_ms"].items():
            lines.append(f"    /{url:<12} {_ms(ms)}")
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "      -   " if value is None else f"{value:7.1f} ms"


def _x(value: float | None) -> str:
    return "  - " if value is None else f"{value:4.2f}"


def ingest_on_lake(template: Path, csv_path: Path, runs: int, verbose: bool, file_read_csv_s: float,
                 file_loader_s: float) -> dict[str, Any]:
    """The loader and DuckDB's read_csv of the same file, each into fresh lakes holding what the
    file template holds (PostgreSQL catalog, local data path)."""
    from vetopito.bench.ingest import _median_run, _time_loader, _time_read_csv

    with lakes(verbose) as made:
        made.from_file(template, "ingest")
        fresh = lambda name: made.copy("ingest", name)  # noqa: E731 - a one-line factory
        (loader_s, loaded), loader_runs = _median_run(
            "the loader (lake)", lambda target: _time_loader(target, csv_path), template, template.parent, runs,
            verbose, fresh)
        (read_csv_s,), read_csv_runs = _median_run(
            "DuckDB read_csv (lake)", lambda target: _time_read_csv(target, csv_path), template, template.parent,
            runs, verbose, fresh)
    loader_per_read_csv = loader_s / read_csv_s
    return {"loader_s": round(loader_s, 3), "read_csv_s": round(read_csv_s, 3), "loader": loaded,
            "runs_s": {"loader": loader_runs, "read_csv": read_csv_runs},
            "ratio_read_csv": round(loader_per_read_csv, 2),
            "within_budget": loader_per_read_csv <= LAKE_BUDGET["read_csv_ratio"],
            "lake_vs_file": {"loader": ratio(loader_s, file_loader_s),
                             "read_csv": ratio(read_csv_s, file_read_csv_s)}}


def ingest_lines(report: dict[str, Any]) -> list[str]:
    from vetopito.bench.ingest import INGEST_BUDGET
    from vetopito.bench.report import mark

    on_lake = report.get("lake")
    if not on_lake:
        return []
    loaded, versus = on_lake["loader"], on_lake["lake_vs_file"]
    status = "committed" if loaded["committed"] else f"NOT committed ({loaded['error_total']} problems)"
    budget = INGEST_BUDGET["read_csv_ratio"]
    return [
        "",
        "the same file into a lake (DuckLake: PostgreSQL catalog, local data path), fresh lakes, same runs",
        f"  loader (check + commit)   {on_lake['loader_s']:8.2f} s  {status}   lake / file {versus['loader']:.2f}",
        *(f"    {name:<22}{seconds:8.2f} s" for name, seconds in loaded.get("phases_s", {}).items()),
        f"  DuckDB read_csv           {on_lake['read_csv_s']:8.2f} s   lake / file {versus['read_csv']:.2f}",
        *(f"  runs, {name + ':':<9} " + "  ".join(f"{seconds:.2f}" for seconds in times)
          for name, times in on_lake["runs_s"].items()),
        f"  loader / read_csv  {on_lake['ratio_read_csv']:6.2f}  (budget ≤ {budget})  "
        + mark(on_lake["ratio_read_csv"] > budget, None),
    ]
