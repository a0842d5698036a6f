"""`vetopito bench --browser`: how fast the pages draw in a real browser, against Streamlit's floor.

It serves the app (`vetopito serve`, on a private copy of the database) and a trivial Streamlit
page with one Altair chart (the floor: what Streamlit itself costs) on free loopback ports, and
drives Debian's headless Chromium through Playwright. For each page it opens a new browser
session `--browser-runs` times and takes the time from navigation until every element is drawn
(the script has finished, no skeleton is left, every Vega chart has its marks and every deck.gl
map its canvas, and nothing reruns in the next 300 ms); then one widget change per page (the
first select box takes its next option, or the page's own control) and a step of presentation
mode (ArrowRight), each from the click until everything is drawn again. It prints the medians,
each page's ratio to the floor and the budget: a new session ≤ 1.3 × the floor, a widget change
and a presentation step ≤ 0.5 s. A benchmark, not a test: it marks figures over budget, it
never fails on them.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vetopito import db
from vetopito.bench.pages import app_pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
BUDGET = {"new_session_ratio": 1.3, "widget_ms": 500.0, "present_step_ms": 500.0}
VIEWPORT = {"width": 1400, "height": 1000}
START_TIMEOUT_S = 90
TIMEOUT_MS = 90_000
SETTLE_MS = 300

FLOOR_APP = '''\
import altair as alt
import polars as pl
import streamlit as st

st.title("Floor")
frame = pl.DataFrame({"x": list(range(60)), "y": [(i * 7) % 11 for i in range(60)]})
st.altair_chart(alt.Chart(frame).mark_line(point=True).encode(x="x:Q", y="y:Q"), width="stretch")
'''

# The page has finished: content is on screen, the script is idle and connected, no skeleton is
# left and every chart has drawn. Evaluated in the page, it answers the time since navigation.
_DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning'
      || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const vega = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  const deck = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  if (!vega.every(el => el.querySelector('svg.marks, canvas'))) return false;
  if (!deck.every(el => el.querySelector('canvas'))) return false;
  if (window.__vpRuns !== undefined && window.__vpRuns < window.__vpWanted) return false;
  return performance.now();
}"""

# From now on, "drawn" waits for at least one new run: a widget change is timed until *its* run is done.
_WATCH_RUNS = "() => { window.__vpRuns = 0; window.__vpWanted = 1; return performance.now(); }"


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log_path: Path, timeout_s: float = START_TIMEOUT_S) -> None:
    """Return once the Streamlit server at `url` answers its health check (the browser tests use it
    too, with a longer `timeout_s`: they must pass on a loaded shared machine)."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not answer /_stcore/health in {timeout_s:.0f} s")
        time.sleep(0.25)


@contextmanager
def _serve(argv: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> Iterator[Server]:
    port = _free_port()
    common = ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
              "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen([*argv, *common], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process, log_path)
            yield Server(url=url, process=process, log_path=log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _wait_drawn(page) -> float:
    """Milliseconds since navigation when everything was drawn, once nothing reran after it."""
    while True:
        drawn = float(page.wait_for_function(_DRAWN, timeout=TIMEOUT_MS, polling="raf").json_value())
        page.wait_for_timeout(SETTLE_MS)
        if page.evaluate(_DRAWN) is not False and not page.evaluate(_RERAN_SINCE, drawn):
            return drawn


# Did the script start a run after `t` (a rerun the page requested, e.g. for its URL state)?
_RERAN_SINCE = "t => (window.__vpLastRun || 0) > t"
# Installed before the page's own scripts: notes when each run starts, once the app root exists.
_TRACK_RUNS = """(() => {
  const attach = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { setTimeout(attach, 5); return; }
    new MutationObserver(() => {
      if (app.getAttribute('data-test-script-state') === 'running') {
        window.__vpLastRun = performance.now();
        if (window.__vpRuns !== undefined) window.__vpRuns += 1;
      }
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  attach();
})()"""


def _new_session(browser, url: str) -> tuple[float, Any]:
    context = browser.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
    context.route("**/*", _loopback_only)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.add_init_script(_TRACK_RUNS)
    page.goto(url, wait_until="domcontentloaded")
    return _wait_drawn(page), context


def _loopback_only(route) -> None:
    from urllib.parse import urlparse

    parsed = urlparse(route.request.url)
    if parsed.scheme in ("data", "blob") or parsed.hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def _timed_change(page, prepare) -> float:
    """Milliseconds from the click until the run it caused has drawn everything. `prepare(page)`
    does what comes before the click (opening a select box) and returns the click itself."""
    click = prepare(page)
    started = float(page.evaluate(_WATCH_RUNS))
    click()
    done = _wait_drawn(page)
    page.evaluate("() => { window.__vpRuns = undefined; }")
    return done - started


def _open_select(page):
    """Open the first select box of the main area; the returned call takes the next option."""
    page.locator(_SELECT).first.click()
    options = page.locator('[role="listbox"] [role="option"]')
    options.first.wait_for(timeout=TIMEOUT_MS)
    texts = options.all_inner_texts()
    chosen = page.locator('[role="listbox"] [role="option"][aria-selected="true"]')
    current = chosen.first.inner_text() if chosen.count() else None
    target = (texts.index(current) + 1) % len(texts) if current in texts else min(1, len(texts) - 1)
    return lambda: options.nth(target).click()


def _second_segment(page):
    return lambda: page.locator(_SEGMENTS).nth(1).click()


_SELECT = '[data-testid="stMain"] [data-testid="stSelectbox"]'
_SEGMENTS = '[data-testid="stMain"] [data-testid="stButtonGroup"] button'


def _widget_action(page):
    """(name, action) of the widget change to time on this page, or None when it has none."""
    if page.locator(_SELECT).count():
        return "selectbox", _open_select
    if page.locator(_SEGMENTS).count() > 1:
        return "segmented control", _second_segment
    return None


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def default_pages() -> dict[str, str]:
    return {f"/{path}": file for path, file in app_pages().items()}


def run_browser_benchmark(database: Path, *, runs: int, verbose: bool,
                          only: set[str] | None = None) -> dict[str, Any]:
    """Serve the app on a copy of `database` and the floor page, and time them in Chromium
    (every page of app.py, or those whose paths are in `only`)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise db.DatabaseError("bench.error.no_chromium", path=str(CHROMIUM))
    work = Path(tempfile.mkdtemp(prefix="vetopito-bench-browser-"))
    try:
        copy = work / "vetovoima.duckdb"
        shutil.copy(database, copy)
        (work / "floor.py").write_text(FLOOR_APP, encoding="utf-8")
        env = {**os.environ, "VETOVOIMA_DB": str(copy), "PYTHONPATH": str(db.ROOT)}
        app_argv = [sys.executable, "-m", "vetopito.cli", "serve"]
        floor_argv = [sys.executable, "-m", "streamlit", "run", str(work / "floor.py")]
        pages = default_pages() if only is None else {p: f for p, f in default_pages().items() if p in only}
        report: dict[str, Any] = {"database": str(database), "runs": runs, "budget": BUDGET,
                                  "pages": {}, "floor_ms": None, "present_step_ms": None}
        with _serve(app_argv, env, db.ROOT, work / "app.log") as app, \
                _serve(floor_argv, env, work, work / "floor.log") as floor, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            # one unmeasured session each: the first one pays for imports and the first queries
            for url in (floor.url + "/", app.url + "/"):
                _, context = _new_session(browser, url)
                context.close()
            floor_times = []
            for _ in range(runs):
                ms, context = _new_session(browser, floor.url + "/")
                floor_times.append(ms)
                context.close()
            report["floor_ms"] = _median(floor_times)
            _progress(verbose, f"floor (one Altair chart): {report['floor_ms']:.0f} ms")
            for path in pages:
                report["pages"][path] = _time_page(browser, app.url + path, runs, report["floor_ms"])
                _progress(verbose, f"{path}: {report['pages'][path]}")
            if "/esitys" in pages:
                report["present_step_ms"] = _time_present_steps(browser, app.url + "/esitys", runs)
            browser.close()
        report["over_budget"] = _over_budget(report)
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _time_page(browser, url: str, runs: int, floor_ms: float) -> dict[str, Any]:
    sessions, changes, widget = [], [], None
    for _ in range(runs):
        ms, context = _new_session(browser, url)
        sessions.append(ms)
        page = context.pages[0]
        found = _widget_action(page)
        if found:
            try:
                changes.append(_timed_change(page, found[1]))
                widget = found[0]
            except Exception as exc:  # noqa: BLE001 - a control that could not be driven is reported
                widget = widget or f"{found[0]}: not measured ({type(exc).__name__})"
        context.close()
    median = _median(sessions)
    return {"new_session_ms": median, "ratio": round(median / floor_ms, 2) if floor_ms else None,
            "widget": widget, "widget_ms": _median(changes) if changes else None,
            "runs_ms": [round(v, 1) for v in sessions]}


def _time_present_steps(browser, url: str, runs: int) -> float | None:
    _, context = _new_session(browser, url)
    page = context.pages[0]
    steps = []
    try:
        for _ in range(runs):
            steps.append(_timed_change(page, lambda pg: lambda: pg.keyboard.press("ArrowRight")))
    finally:
        context.close()
    return _median(steps) if steps else None


def _over_budget(report: dict[str, Any]) -> list[str]:
    over = []
    for path, figures in report["pages"].items():
        if figures["ratio"] is not None and figures["ratio"] > BUDGET["new_session_ratio"]:
            over.append(f"{path} new session")
        if figures["widget_ms"] is not None and figures["widget_ms"] > BUDGET["widget_ms"]:
            over.append(f"{path} widget change")
    if report["present_step_ms"] is not None and report["present_step_ms"] > BUDGET["present_step_ms"]:
        over.append("presentation step")
    return over


def _progress(verbose: bool, text: str) -> None:
    if verbose:
        print(text, file=sys.stderr, flush=True)


def _mark(over: bool) -> str:
    return "OVER BUDGET" if over else "ok"


def format_browser_report(report: dict[str, Any]) -> str:
    floor = report["floor_ms"]
    lines = [f"browser: a new session until every element is drawn, headless Chromium, "
             f"median of {report['runs']} (database {report['database']})",
             f"  floor: one Altair chart      {floor:>7.0f} ms", ""]
    lines.append(f"  {'page':<14}{'new session':>12}{'× floor':>9}   {'widget change':>24}")
    for path, f in report["pages"].items():
        ratio_over = f["ratio"] is not None and f["ratio"] > BUDGET["new_session_ratio"]
        widget = (f"{f['widget_ms']:>6.0f} ms ({f['widget']})" if f["widget_ms"] is not None
                  else f"{'–':>6}    ({f['widget'] or 'no widget'})")
        widget_over = f["widget_ms"] is not None and f["widget_ms"] > BUDGET["widget_ms"]
        lines.append(f"  {path:<14}{f['new_session_ms']:>9.0f} ms{f['ratio']:>9.2f}  {_mark(ratio_over):<12}"
                     f"{widget}  {_mark(widget_over) if f['widget_ms'] is not None else ''}")
    step = report["present_step_ms"]
    if step is not None:
        lines += ["", f"  presentation step (ArrowRight) {step:>6.0f} ms  "
                      f"{_mark(step > BUDGET['present_step_ms'])}"]
    lines += ["", f"  budget: new session ≤ {BUDGET['new_session_ratio']} × floor, widget change ≤ "
                  f"{BUDGET['widget_ms']:.0f} ms, presentation step ≤ {BUDGET['present_step_ms']:.0f} ms"]
    return "\n".join(lines)
