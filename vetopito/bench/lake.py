"""`vetopito bench … --backend lake`: the same figures on a lake beside the file, in one run
(over 400 lines because its parts are one job: the benchmark's lakes, the loaded case, the report).

The lake is DuckLake with its catalog in a PostgreSQL cluster (`bench.pg`: Debian's `postgresql`,
started on a free loopback port, stopped at the end) and its data path a local directory beside it.
Every lake the benchmark times is a copy of a template lake (a catalog database made with
`CREATE DATABASE … TEMPLATE`, about 0.15 s), so each run starts from the same data, as each file
run starts from a fresh copy of the file. The template lakes are filled from the file the file runs
use (`fill_from_file`: `vetopito copy`'s bulk path, then `vetopito maintain`). The ingest figures'
lakes live in a temporary directory; the pages' lake is kept between runs (`kept_lake`).

`concurrent` is the loaded case: 4 app processes render every page again and again (AppTest) while
2 writer processes load and undo monthly extracts on the same lake; the slowest page render of any
app process counts (budget ≤ 1 s).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vetopito import backend, db, maintain, transfer
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
        fill_from_file(self.cluster.lake(dbname), file)
        self._templates[name] = dbname
        return name

    def adopt(self, name: str, dbname: str) -> str:
        """The cluster's database `dbname` (a template lake built by an earlier run) as template `name`."""
        self._templates[name] = dbname
        return name

    def copy(self, template: str, name: str) -> str:
        """A new lake, a copy of the template lake `template`: its `VETOVOIMA_DB`."""
        dbname = self.cluster.create_database(self.cluster.new_name(name), template=self._templates[template])
        return self.cluster.lake(dbname)


def fill_from_file(lake: str, file: Path | str) -> None:
    """The new lake `lake` made to hold what the DuckDB file `file` holds: `vetopito copy`'s code
    (one INSERT … SELECT per table from the file attached read-only), then the lake's upkeep
    (`vetopito maintain`: the rows DuckLake kept inlined in the catalog written out, the copy's
    snapshots expired), as an operator does after a bulk load."""
    report = transfer.copy_database(str(file), lake)
    if not report.ok:
        raise RuntimeError(f"copying {file} into a lake failed: {report.as_json()}")
    con = db.connect(lake)
    try:
        maintain.maintain(con, keep_days=0, grace_hours=0)
    finally:
        con.close()


@contextmanager
def lakes(verbose: bool) -> Iterator[Lakes]:
    """A throw-away PostgreSQL cluster for the lakes, and a data path beside it, until the block
    ends (then both are removed)."""
    _need_postgres()
    root = Path(tempfile.mkdtemp(prefix="vetopito-bench-lake-"))
    root.chmod(0o755)  # the server's user must reach its folder inside
    if verbose:
        print(f"starting a PostgreSQL cluster for the lake under {root} …", file=sys.stderr)
    try:
        cluster = pg.start(root / "cluster")
        with _data_path(root / "lake-data"):
            try:
                yield Lakes(cluster)
            finally:
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _need_postgres() -> None:
    if not pg.available():
        raise RuntimeError(f"--backend lake needs PostgreSQL 15 in {pg.BIN} (Debian's postgresql)")


@contextmanager
def _data_path(path: Path) -> Iterator[None]:
    previous = os.environ.get(backend.DATA_PATH_VAR)
    os.environ[backend.DATA_PATH_VAR] = str(path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(backend.DATA_PATH_VAR, None)
        else:
            os.environ[backend.DATA_PATH_VAR] = previous


# --- the lake of the pages' benchmark, kept between runs ------------------------------------------
#
# Building the lake copy of the national database costs about a minute on a loaded 2-core machine
# (schema, 10 M rows, upkeep), so it is kept beside the benchmark database: a PostgreSQL cluster
# folder (stopped between runs), the lake's data path, and `manifest.json` saying what it was made
# from (the file's path, size and modification time, its generator version and size, the schema
# version, DuckDB's version) and which data files are the template's. A run whose key matches
# starts that cluster again; any other key rebuilds it. The lakes a run times are copies of the
# template lake; at the end they are dropped, the data files they wrote (any file the manifest
# does not list) deleted and the server stopped, so only the template remains.

MANIFEST = "manifest.json"
TEMPLATE_DB = "pages_template"


def lake_cache_dir(file: Path) -> Path:
    """Where the lake made from the benchmark database `file` is kept (beside the cached files)."""
    from vetopito.bench.database import bench_dir

    return bench_dir() / f"lake-{file.stem}"


def cache_key(file: Path) -> dict[str, Any]:
    """What the kept lake must have been made from to be reused."""
    import duckdb

    stat = file.stat()
    con = db.connect(file, read_only=True)
    try:
        made_as = db.get_meta(con, "bench_size")
    finally:
        con.close()
    return {"source": str(file.resolve()), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "bench_size": made_as, "schema_version": db.latest_schema_version(), "duckdb": duckdb.__version__}


def _data_files(data: Path) -> set[str]:
    return {str(p.relative_to(data)) for p in data.rglob("*") if p.is_file()} if data.exists() else set()


@dataclass
class KeptLake:
    """The benchmark's lake, started: its template (`lakes.copy("pages", name)` makes a lake of
    it) and what its building cost (`built_s`: None when an earlier run's lake was reused)."""
    lakes: Lakes
    root: Path
    built_s: float | None

    @property
    def data(self) -> Path:
        return self.root / "lake-data"


def _read_manifest(root: Path) -> dict[str, Any] | None:
    try:
        return json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tidy(cluster: pg.Cluster, data: Path, manifest: dict[str, Any]) -> None:
    """Only the template: every other lake dropped, every data file the template does not name deleted."""
    for name in cluster.databases():
        if name != manifest["template"]:
            cluster.drop_database(name)
    kept = set(manifest["files"])
    for name in _data_files(data) - kept:
        (data / name).unlink(missing_ok=True)


@contextmanager
def kept_lake(file: Path, *, verbose: bool, rebuild: bool = False) -> Iterator[KeptLake]:
    """The lake made from the benchmark database `file`, reused if an earlier run made it from the
    same file (`cache_key`), else built; started until the block ends, then tidied and stopped."""
    _need_postgres()
    root = lake_cache_dir(file)
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f"{root.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once take turns on the kept lake
        key = cache_key(file)
        manifest = _read_manifest(root)
        reuse = not rebuild and manifest is not None and manifest.get("key") == key
        with _data_path(root / "lake-data"):
            cluster, built_s = None, None
            try:
                if reuse:
                    if verbose:
                        print(f"reusing the lake under {root} (made from {file}) …", file=sys.stderr)
                    cluster = pg.start(root / "cluster", reuse=True)
                    if manifest["template"] not in cluster.databases():
                        cluster.stop(keep=True)
                        cluster, reuse = None, False
                if not reuse:
                    cluster, built_s = _build(file, root, key, verbose)
                    manifest = _read_manifest(root)
                _tidy(cluster, root / "lake-data", manifest)  # what a killed run left
                made = Lakes(cluster)
                made.adopt("pages", manifest["template"])
                yield KeptLake(made, root, built_s)
            finally:
                if cluster is not None:
                    manifest = _read_manifest(root)
                    if manifest is not None:
                        _tidy(cluster, root / "lake-data", manifest)
                    cluster.stop(keep=True)


def _build(file: Path, root: Path, key: dict[str, Any], verbose: bool) -> tuple[pg.Cluster, float]:
    """A new cluster under `root` holding the template lake of `file`, and its manifest (written last)."""
    if root.exists():
        pg.stop_server(root / "cluster")
        shutil.rmtree(root)
    root.mkdir(parents=True)
    root.chmod(0o755)  # the server's user must reach its folder inside
    if verbose:
        print(f"copying {file} into a lake under {root} …", file=sys.stderr)
    started = time.perf_counter()
    cluster = pg.start(root / "cluster")
    try:
        cluster.create_database(TEMPLATE_DB)
        fill_from_file(cluster.lake(TEMPLATE_DB), file)
    except BaseException:
        cluster.stop()
        raise
    built_s = round(time.perf_counter() - started, 1)
    manifest = {"key": key, "template": TEMPLATE_DB, "built_s": built_s,
                "files": sorted(_data_files(root / "lake-data"))}
    (root / f"{MANIFEST}.tmp").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(root / f"{MANIFEST}.tmp", root / MANIFEST)
    return cluster, built_s


def described(target: str) -> str:
    """A lake's target without the port that changes every run (for the report)."""
    return re.sub(r" port=\d+", "", target)


# One app process of the loaded case: every page rendered once (imports, cold caches: not the
# loaded case), "ready" said on stdout, then on "go" from stdin every page rendered warm again and
# again for `seconds`, each render timed; the slowest per page and overall, as JSON on stdout.
_APP = """
import json, sys, time
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest
from vetopito.bench.pages import APP, app_pages
tests, slowest, renders = {}, {}, 0
for url, file in app_pages().items():
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.run(); at.switch_page(file); at.run()
    tests[url] = at
print("ready", flush=True)
sys.stdin.readline()
until = time.monotonic() + float(sys.argv[1])
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
    """`APPS` app processes render every page while `WRITERS` writers load and undo, on one lake:
    the apps first render every page once (not timed), then all start together for `seconds`."""
    env = {**os.environ, db.ENV_VAR: lake}
    if verbose:
        print(f"loaded case: {APPS} app processes and {WRITERS} writers for {seconds:.0f} s …", file=sys.stderr)
    apps = [_spawn(_APP, str(seconds), env=env, stdin=True) for _ in range(APPS)]
    started = time.perf_counter()
    ready = [_said_ready(child) for child in apps]
    warm_s = round(time.perf_counter() - started, 1)
    if verbose:
        print(f"  the app processes rendered every page once in {warm_s} s; loading …", file=sys.stderr)
    writers = [_spawn(_WRITER, str(seconds), lake, str(extracts[i % len(extracts)]), env=env)
               for i in range(WRITERS)]
    for child, ok in zip(apps, ready, strict=True):
        if ok:
            child.stdin.write("go\n")
            child.stdin.flush()
    app_results = [_child_json(child, seconds) for child in apps]
    writer_results = [_child_json(child, seconds) for child in writers]
    return loaded_report(app_results, writer_results, seconds=seconds, warm_s=warm_s)


def loaded_report(app_results: list[dict[str, Any]], writer_results: list[dict[str, Any]], *, seconds: float,
                  warm_s: float | None = None) -> dict[str, Any]:
    """The loaded case's figures from what each app process and writer printed."""
    slowest: dict[str, float] = {}
    for result in app_results:
        for url, ms in result.get("slowest_ms", {}).items():
            slowest[url] = round(max(slowest.get(url, 0.0), ms), 1)
    worst = max(slowest.values(), default=None)
    return {"apps": len(app_results), "writers": len(writer_results), "seconds": seconds, "warm_s": warm_s,
            "renders": sum(r.get("renders", 0) for r in app_results),
            "loads": sum(r.get("loads", 0) for r in writer_results),
            "replanned": sum(r.get("replanned", 0) for r in writer_results),
            "errors": [r["error"] for r in app_results + writer_results if "error" in r],
            "slowest_ms": slowest, "worst_ms": worst,
            "over_budget": worst is None or worst > LAKE_BUDGET["concurrent_page_ms"]}


def _said_ready(child: subprocess.Popen) -> bool:
    """Whether the child said "ready" on stdout (read up to it: DuckDB's progress bar may come first)."""
    for line in child.stdout:
        if line.strip() == "ready":
            return True
    return False


def _spawn(program: str, *args: str, env: dict[str, str], stdin: bool = False) -> subprocess.Popen:
    """A child Python running `program`; its stdout a pipe, its stderr a file of its own (a pipe
    nobody reads while the others run could fill), kept as `child.errors`."""
    errors = tempfile.TemporaryFile("w+")
    child = subprocess.Popen([sys.executable, "-c", program, *args], cwd=db.ROOT, env=env, text=True,
                             stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=errors)
    child.errors = errors
    return child


def _child_json(child: subprocess.Popen, seconds: float) -> dict[str, Any]:
    try:
        out, _ = child.communicate(timeout=seconds * 10 + 600)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return {"error": [f"no answer in {seconds * 10 + 600:.0f} s"]}
    child.errors.seek(0)
    err = child.errors.read()
    child.errors.close()
    if child.returncode != 0 or not out.strip():
        return {"error": (err or "").strip().splitlines()[-1:] or [f"exit {child.returncode}"]}
    return json.loads(out.strip().splitlines()[-1])


def ratio(lake: float | None, file: float | None) -> float | None:
    return None if not lake or not file else round(lake / file, 2)


def run_pages_beside(path: Path, size, *, pages: bool, runs: int, query_runs: int, verbose: bool,
                     concurrent_s: float, rebuild: bool = False) -> dict[str, Any]:
    """The pages' benchmark on a lake holding what the file `path` holds (`kept_lake`), and the
    loaded case; every lake timed is a fresh copy of the kept one."""
    from vetopito.bench import ingest as bench_ingest
    from vetopito.bench import pages as bench_pages

    bench_pages.release_connections()  # the file's runs opened it read-write in this process
    with kept_lake(path, verbose=verbose, rebuild=rebuild) as kept:
        target = kept.lakes.copy("pages", "pages")
        report = bench_pages.run_benchmark(target, size, pages=pages, runs=runs, query_runs=query_runs,
                                           generated_s=None)
        report["database"] = described(target)
        report["copied_s"] = kept.built_s
        if concurrent_s > 0:
            with tempfile.TemporaryDirectory(prefix="vetopito-bench-extract-") as work:
                extract = Path(work) / "monthly.csv"
                bench_ingest.monthly_extract(path, extract)
                report["concurrent"] = concurrent(kept.lakes.copy("pages", "loaded"), [extract],
                                                  seconds=concurrent_s, verbose=verbose)
    return report


def format_beside(file_report: dict[str, Any], lake_report: dict[str, Any]) -> str:
    """The lake's page and query figures beside the file's, with the ratios, against the budgets."""
    from vetopito.bench.report import mark

    copied = lake_report.get("copied_s")
    made = "a lake kept from an earlier run" if copied is None else f"copied into a lake in {copied} s"
    lines = ["", f"the same database on a lake (DuckLake: PostgreSQL catalog, local data path), "
                 f"{made}: {lake_report['database']}"]
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
