"""Browser tests: the real `streamlit run` server on a free loopback port, driven by Debian's Chromium.

One server per test process (xdist worker), started on a private copy of the demo database so
that the server's read-write lock never meets another test's connection. Playwright's sync API
drives `/usr/bin/chromium`; no browser is downloaded. Every page test records console errors,
page errors and every request. Chromium sends every address but loopback to a proxy where nothing
listens (`LOOPBACK_ONLY`), so no request leaves 127.0.0.1; each one that tried is recorded.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from vetopito.bench.browser import LOOPBACK_ONLY, wait_healthy

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1500}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
RENDER_TIMEOUT_MS = 60_000
# a server's start is waited for generously: under load ~40 on this shared machine it took over 90 s
SERVER_START_TIMEOUT_S = 300


def pytest_collection_modifyitems(config, items):
    """Skip every browser test when Debian's Chromium is not installed (`.ci/run` installs it)."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: `apt-get install chromium` (see .ci/run)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser_db_path(demo_db_path, tmp_path_factory) -> Path:
    """A private copy of the demo database for the server (it opens the file read-write)."""
    path = tmp_path_factory.mktemp("browser") / "vetovoima.duckdb"
    shutil.copy(demo_db_path, path)
    return path


@dataclass(frozen=True)
class AppServer:
    url: str
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])


@pytest.fixture(scope="session")
def app_server(browser_db_path) -> Iterator[AppServer]:
    """Serve app.py with `streamlit run` on a free loopback port until the session ends."""
    with serve(browser_db_path) as server:
        yield server


@contextlib.contextmanager
def serve(db_path: Path | str, log_dir: Path | None = None) -> Iterator[AppServer]:
    """`vetopito serve` of app.py on `db_path` (a file, or a lake with `log_dir` for the log), on a
    free loopback port, until the block ends (a test module that changes the data starts its own
    on its own copy)."""
    browser_db_path = db_path
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "VETOVOIMA_DB": str(browser_db_path), "PYTHONPATH": str(ROOT)}
    log_path = (log_dir or Path(browser_db_path).parent) / f"streamlit-{port}.log"
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vetopito.cli", "serve",
         "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log_path, timeout_s=SERVER_START_TIMEOUT_S)
        yield AppServer(url=url, log_path=log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, proxy=LOOPBACK_ONLY)
        yield browser
        browser.close()


@dataclass
class Tab:
    """A Playwright page plus what it did: console errors, page errors, requests."""

    page: object
    server: AppServer
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def open(self, path: str, **wait) -> object:
        self.page.goto(self.server.url + path, wait_until="domcontentloaded")
        wait_rendered(self.page, **wait)
        return self.page

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(target))
        return target

    def real_console_errors(self) -> list[str]:
        """Console errors; a failed load is judged by its response below, which names the URL."""
        return [e for e in self.console_errors if not e.startswith("Failed to load resource")]

    def real_failed_responses(self) -> list[str]:
        """HTTP errors except two known harmless kinds: 404s of superseded `st.download_button`
        payloads (`/media/…`), and the frontend probing `/<page>/_stcore/health|host-config`
        before it settles on the app's base path."""
        return [r for r in self.failed_responses
                if not re.search(r"^404 .*(/media/|/\w+/_stcore/(health|host-config)$)", r)]

    def assert_clean(self) -> None:
        """No exception element, no page error, no console error, nothing fetched off the machine."""
        exceptions = self.page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, "exception on the page:\n" + "\n---\n".join(
            exceptions.all_inner_texts()) + "\n\nserver log:\n" + self.server.log_tail()
        assert self.page_errors == [], self.page_errors
        assert self.real_console_errors() == [], self.real_console_errors()
        assert self.real_failed_responses() == [], self.real_failed_responses()
        assert self.blocked == [], f"requests that left 127.0.0.1: {self.blocked}"


@pytest.fixture(scope="session")
def warm_server(chromium, app_server) -> AppServer:
    """The first session of a fresh server opens a deep link, as a user following a shared link
    right after a deploy would: `vetopito serve` must show that page, not "Page not found"
    (Streamlit's legacy `pages/` discovery would; see `vetopito.ui.serve`)."""
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(app_server.url + "/vertailu", wait_until="domcontentloaded")
    wait_rendered(page)
    body = page.inner_text("body")
    context.close()
    assert "does not seem to exist" not in body and "Page not found" not in body, body[:500]
    return app_server


def leaves_the_machine(url: str, *, data_ok: bool = True) -> bool:
    """Whether a request for `url` would leave 127.0.0.1 (`data:` and `blob:` stay in the page
    unless `data_ok` is False)."""
    parsed = urlparse(url)
    return not ((data_ok and parsed.scheme in ("data", "blob")) or parsed.hostname in LOCAL_HOSTS)


def record_outside(context, blocked: list[str], *, data_ok: bool = True) -> None:
    """Note in `blocked` every request of the context's pages that would leave the machine. The
    browser's proxy (`LOOPBACK_ONLY`) fails them: routing each request through Playwright instead
    cost a Python round trip per request and turned the context's HTTP cache off."""
    context.on("request", lambda r: leaves_the_machine(r.url, data_ok=data_ok) and blocked.append(r.url))


@pytest.fixture
def tab(chromium, warm_server) -> Iterator[Tab]:
    app_server = warm_server
    context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
    context.add_init_script(_WATCH_STATE)
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    recorder = Tab(page=page, server=app_server)

    record_outside(context, recorder.blocked)
    page.on("request", lambda r: recorder.requests.append(r.url))
    page.on("pageerror", lambda e: recorder.page_errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and recorder.failed_responses.append(
        f"{r.status} {r.url}"))

    def on_console(msg):
        if msg.type == "error":
            location = msg.location.get("url", "") if msg.location else ""
            recorder.console_errors.append(f"{msg.text} ({location})")

    page.on("console", on_console)
    yield recorder
    context.close()


# What "the page has finished" means in the browser (reference/stack-notes.md §4): the script
# has run (notRunning is also the state before the first run, so wait for content first), no
# skeleton is left, and every chart has drawn its marks (Vega: svg.marks or canvas; deck.gl: canvas).
_CHARTS_DRAWN = """() => {
  const vega = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  const deck = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  return vega.every(el => el.querySelector('svg.marks, canvas')) &&
         deck.every(el => el.querySelector('canvas'));
}"""
_IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
         '[data-test-connection-state="CONNECTED"]')

# The rerun a drawn page may request (its URL state) starts within a few milliseconds of the run's
# end; a state unchanged this long means none is coming.
QUIET_MS = 250
# Notes when the script's state last changed (`window.__vpQuiet`), once the app root exists: put in
# each new document of a tab's context before the page's own scripts, so that `_QUIET` knows when
# the last run ended; a page without it gets it at its first `wait_rendered`.
_WATCH_STATE = """(() => {
  const attach = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { setTimeout(attach, 5); return; }
    if (window.__vpQuiet) return;
    window.__vpQuiet = {last: performance.now()};
    new MutationObserver(() => { window.__vpQuiet.last = performance.now(); })
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state', 'data-test-connection-state']});
  };
  attach();
})()"""
_QUIET = """([ms, since]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (!window.__vpQuiet) """ + "{ " + _WATCH_STATE + """; return false; }
  return app.getAttribute('data-test-script-state') === 'notRunning'
      && app.getAttribute('data-test-connection-state') === 'CONNECTED'
      && performance.now() - Math.max(window.__vpQuiet.last, since - performance.timeOrigin) >= ms;
}"""


def wait_rendered(page, *, heading: bool = True, charts: int = 0, timeout: float = RENDER_TIMEOUT_MS) -> None:
    """Wait until the script has finished and everything it drew is on screen."""
    # quiet is counted from this call at the earliest: after a click or a choice, the rerun it asks
    # for may not have started yet (under load it starts later), and the state before it is quiet
    since = page.evaluate("() => performance.timeOrigin + performance.now()")   # the same clock in a new document
    content = ('[data-testid="stMain"] [data-testid="stHeading"]' if heading
               else '[data-testid="stMain"] [data-testid="stElementContainer"]')
    # any visible one: the first element of a page may be a style block that is never visible
    # (presentation mode), and waiting for the first match would wait for it alone
    page.locator(content).filter(visible=True).first.wait_for(timeout=timeout)
    page.wait_for_selector(_IDLE, timeout=timeout)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=timeout)
    if charts:
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"], "
            "[data-testid=\"stDeckGlJsonChart\"]').length >= n", arg=charts, timeout=timeout)
    page.wait_for_function(_CHARTS_DRAWN, timeout=timeout)
    # a rerun may have been requested by what just drew (URL state): wait until the script's state
    # has not changed for QUIET_MS (a page whose watch was installed at its start has often been
    # quiet that long already), then let any such rerun's charts draw too
    page.wait_for_function(_QUIET, arg=[QUIET_MS, since], timeout=timeout)
    page.wait_for_function(_CHARTS_DRAWN, timeout=timeout)
