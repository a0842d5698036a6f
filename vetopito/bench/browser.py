"""`vetopito bench --browser`: how fast the pages draw in a real browser, against Streamlit's floor.

It serves the app (`vetopito serve`, on a private copy of the database) and a trivial Streamlit
page with one Altair chart (the floor: what Streamlit itself costs) on free loopback ports, and
drives Debian's headless Chromium through Playwright. For each page it opens a new browser
session `--browser-runs` times and takes the time from navigation until every element is drawn
(the script has finished, no skeleton is left, every Vega chart has its marks and every deck.gl
map its canvas, and nothing reruns in the next 300 ms); then one widget change per page (the
first select box takes its next option; one inside a form takes it and the form is sent; or the
page's own control) and, on a page with fragments (containers keyed `vv_fragment_…`), a change of
the first control inside one, which reruns only that fragment and a step of presentation
mode (ArrowRight), each from the click until everything is drawn again. It prints the medians,
each page's ratio to the floor and the budget: a new session ≤ 1.3 × the floor, a widget change
and a presentation step ≤ 0.5 s; beside them the CPU seconds of each new session (Chromium's
processes and the server's, from /proc) and their ratio to the floor's, which a busy machine moves far less. A benchmark, not a test: it marks figures over budget, it
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
from vetopito.bench import cpu
from vetopito.bench.pages import app_pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
# Nothing leaves the machine: every address but loopback goes to a proxy on a port where nothing
# listens, so Chromium fails it itself. (Playwright's request routing would do the same per request
# in Python, and a routed context also loses its HTTP cache: both slow what is measured.)
LOOPBACK_ONLY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"}
BUDGET = {"new_session_ratio": 1.3, "widget_ms": 500.0, "present_step_ms": 500.0}
VIEWPORT = {"width": 1400, "height": 1000}
START_TIMEOUT_S = 90
TIMEOUT_MS = 90_000
SETTLE_MS = 300
OPEN_RETRY_MS = 10_000   # a select box whose list has not opened by then is clicked once more

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


def _new_session(browser, url: str, server_pid: int | None = None) -> tuple[float, Any, float | None]:
    """(milliseconds until drawn, the browser context, CPU seconds). With `server_pid`, the CPU seconds
    the session cost (else None): every process of the benchmark's Chromium plus the server process.
    Unlike the wall time they hardly move with the load of a shared machine."""
    context = browser.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.add_init_script(_TRACK_RUNS)
    before = cpu.cpu_seconds(server_pid, cpu.chromium_pids()) if server_pid else None
    page.goto(url, wait_until="domcontentloaded")
    drawn = _wait_drawn(page)
    after = cpu.cpu_seconds(server_pid, cpu.chromium_pids()) if server_pid else None
    cpu_s = round(after - before, 3) if before is not None and after is not None else None
    return drawn, context, cpu_s


def _timed_change(page, prepare) -> float:
    """Milliseconds from the click until the run it caused has drawn everything. `prepare(page)`
    does what comes before the click (opening a select box) and returns the click itself."""
    click = prepare(page)
    started = float(page.evaluate(_WATCH_RUNS))
    click()
    done = _wait_drawn(page)
    page.evaluate("() => { window.__vpRuns = undefined; }")
    return done - started


def _open_select(page, select: str | None = None):
    """Open the first select box of the main area (or of `select`); the returned call takes the
    next option."""
    box = page.locator(select or _SELECT).first
    box.click()
    options = page.locator('[role="listbox"] [role="option"]')
    try:
        options.first.wait_for(timeout=OPEN_RETRY_MS)
    except Exception:  # noqa: BLE001 - a click that landed while the page moved: once more
        box.click()
        options.first.wait_for(timeout=TIMEOUT_MS)
    texts = options.all_inner_texts()
    chosen = page.locator('[role="listbox"] [role="option"][aria-selected="true"]')
    current = chosen.first.inner_text() if chosen.count() else None
    if len(texts) < 2:   # nothing to change to: choosing the one option would not rerun
        page.keyboard.press("Escape")
        raise OnlyOneOption(texts)
    target = (texts.index(current) + 1) % len(texts) if current in texts else 1
    return lambda: options.nth(target).click()


class OnlyOneOption(Exception):
    """The select box offers one option only (e.g. a single load to undo): no change to time."""


def _form_select(page):
    """A select box inside a form changes nothing until the form is sent (/yllapito's grant form):
    take its next option, and the returned call sends the form. The grant form sent as it stands
    (no e-mail address) answers with its error message and writes nothing."""
    choose = _open_select(page, _FORM_SELECT)
    choose()
    form = page.locator(_FORM).filter(has=page.locator('[data-testid="stSelectbox"]')).first
    return lambda: form.locator('[data-testid="stFormSubmitButton"] button').click()


def _second_segment(page):
    return lambda: page.locator(_SEGMENTS).nth(1).click()


_FORM = '[data-testid="stMain"] [data-testid="stForm"]'
_SELECT = '[data-testid="stMain"] [data-testid="stSelectbox"]:not([data-testid="stForm"] *)'
_FORM_SELECT = f'{_FORM} [data-testid="stSelectbox"]'
_SEGMENTS = '[data-testid="stMain"] [data-testid="stButtonGroup"] button'


def _widget_action(page):
    """(name, action) of the widget change to time on this page, or None when it has none."""
    if page.locator(_SELECT).count():
        return "selectbox", _open_select
    if page.locator(_FORM_SELECT).count():
        return "selectbox in a form, sent", _form_select
    if page.locator(_SEGMENTS).count() > 1:
        return "segmented control", _second_segment
    return None


_FRAGMENT = '[data-testid="stMain"] [class*="st-key-vv_fragment_"]'
_FRAGMENT_KEY = "el => [...el.classList].find(c => c.startsWith('st-key-vv_fragment_'))"


def _fragment_action(page):
    """(name, action) of a change inside the page's first fragment that has a control (the app keys
    each fragment's container `vv_fragment_…`): it reruns only that fragment. None without one."""
    for box in page.locator(_FRAGMENT).all():
        inside = "." + box.evaluate(_FRAGMENT_KEY)
        if page.locator(f'{inside} [data-testid="stSelectbox"]').count():
            return "selectbox", lambda pg, sel=f'{inside} [data-testid="stSelectbox"]': _open_select(pg, sel)
        segments = f'{inside} [data-testid="stButtonGroup"] button'
        if page.locator(segments).count() > 1:
            return "segmented control", lambda pg, sel=segments: (lambda: pg.locator(sel).nth(1).click())
        toggle = f'{inside} [data-testid="stCheckbox"] input'
        if page.locator(toggle).count():   # a chart's "show its data as a table"
            return "toggle", lambda pg, sel=toggle: _press_space(pg, sel)
    return None


def _press_space(page, selector: str):
    page.locator(selector).first.focus()
    return lambda: page.keyboard.press("Space")


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
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, cpu.BENCH_MARK],
                                        proxy=LOOPBACK_ONLY)
            # one unmeasured session each: the first one pays for imports and the first queries
            for url in (floor.url + "/", app.url + "/"):
                _, context, _ = _new_session(browser, url)
                context.close()
            floor_times, floor_cpu = [], []
            for _ in range(runs):
                ms, context, cpu_s = _new_session(browser, floor.url + "/", floor.process.pid)
                floor_times.append(ms)
                floor_cpu += [cpu_s] if cpu_s is not None else []
                context.close()
            report["floor_ms"] = _median(floor_times)
            report["floor_cpu_s"] = round(statistics.median(floor_cpu), 2) if floor_cpu else None
            _progress(verbose, f"floor (one Altair chart): {report['floor_ms']:.0f} ms")
            for path in pages:
                report["pages"][path] = _time_page(browser, app.url + path, runs, report["floor_ms"],
                                                   app.process.pid, report["floor_cpu_s"])
                _progress(verbose, f"{path}: {report['pages'][path]}")
            if "/esitys" in pages:
                report["present_step_ms"] = _time_present_steps(browser, app.url + "/esitys", runs)
            browser.close()
        report["over_budget"] = _over_budget(report)
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _time_page(browser, url: str, runs: int, floor_ms: float, server_pid: int | None = None,
               floor_cpu_s: float | None = None) -> dict[str, Any]:
    sessions, cpu = [], []
    changes: dict[str, list[float]] = {"widget": [], "fragment": []}
    names: dict[str, str | None] = {"widget": None, "fragment": None}
    for _ in range(runs):
        ms, context, cpu_s = _new_session(browser, url, server_pid)
        sessions.append(ms)
        cpu += [cpu_s] if cpu_s is not None else []
        page = context.pages[0]
        # the page's first select box (a whole rerun), then a control inside a fragment (its rerun only)
        for kind, find in (("fragment", _fragment_action), ("widget", _widget_action)):
            found = find(page)
            if not found:
                continue
            try:
                changes[kind].append(_timed_change(page, found[1]))
                names[kind] = found[0]
            except Exception as exc:  # noqa: BLE001 - a control that could not be driven is reported
                names[kind] = names[kind] or f"{found[0]}: not measured ({type(exc).__name__})"
        context.close()
    median = _median(sessions)
    cpu_s = round(statistics.median(cpu), 2) if cpu else None
    return {"new_session_ms": median, "ratio": round(median / floor_ms, 2) if floor_ms else None,
            "cpu_s": cpu_s, "cpu_ratio": round(cpu_s / floor_cpu_s, 2) if cpu_s and floor_cpu_s else None,
            "widget": names["widget"], "widget_ms": _median(changes["widget"]) if changes["widget"] else None,
            "fragment_widget": names["fragment"],
            "fragment_ms": _median(changes["fragment"]) if changes["fragment"] else None,
            "runs_ms": [round(v, 1) for v in sessions]}


def _time_present_steps(browser, url: str, runs: int) -> float | None:
    _, context, _ = _new_session(browser, url)
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
        if figures.get("fragment_ms") is not None and figures["fragment_ms"] > BUDGET["widget_ms"]:
            over.append(f"{path} fragment change")
    if report["present_step_ms"] is not None and report["present_step_ms"] > BUDGET["present_step_ms"]:
        over.append("presentation step")
    return over


def _progress(verbose: bool, text: str) -> None:
    if verbose:
        print(text, file=sys.stderr, flush=True)
