"""Every replica sees a commit at once (issue 12, item 3), in Chromium: two real app servers (two
ports) on one lake and a command-line load; two seconds after its commit both servers, never
restarted, show the new value on their next run. On the lake only (`make test-lake`)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.browser.conftest import RENDER_TIMEOUT_MS, ROOT, VIEWPORT, serve, wait_rendered

pytestmark = pytest.mark.browser

LINK = "/?region=15&indicator=t3_laakari"
BEFORE, AFTER = "29\u00a0pv", "87\u00a0pv"   # the tile's latest T3 of Keski-Suomi, before and after


def _tile_text(page) -> str:
    return page.locator('[data-testid="stMain"] li.vv-tile[data-indicator="t3_laakari"]').first.inner_text()


def _first_render(page, server) -> None:
    """A replica's first page: its connection is opened and every table of the lake read through
    (`ui.database`) before anything is drawn, so it gets three render timeouts (a loaded CI
    machine); a failure says what the server logged."""
    try:
        wait_rendered(page, charts=1, timeout=3 * RENDER_TIMEOUT_MS)
    except Exception as exc:
        raise AssertionError(f"{server.url}: the first page did not render ({exc}); the server said:\n"
                             f"{server.log_tail()}") from exc


def test_two_replicas_show_a_command_line_load_without_a_restart(backend, stores, demo_db_path, chromium, tmp_path):
    if backend != "lake":
        pytest.skip("on the lake only: make test-lake")
    lake = stores.copy(demo_db_path, "replicas")
    extract = tmp_path / "later.csv"
    extract.write_text("indicator,unit,period,value\nt3_laakari,HVA15,2026-10,87\n", encoding="utf-8")
    with serve(lake, tmp_path) as first, serve(lake, tmp_path) as second:
        tabs = []
        for server in (first, second):
            context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
            page = context.new_page()
            page.goto(server.url + LINK, wait_until="domcontentloaded")
            _first_render(page, server)
            assert BEFORE in _tile_text(page) and AFTER not in _tile_text(page)
            tabs.append((server, context, page))
        done = subprocess.run([sys.executable, "-m", "vetopito.cli", "load", str(extract), "--db", lake],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        committed = time.monotonic()
        assert done.returncode == 0, done.stdout + done.stderr
        time.sleep(max(0.0, 2.0 - (time.monotonic() - committed)))   # two seconds after the commit
        for number, (server, context, page) in enumerate(tabs, start=1):
            page.reload(wait_until="domcontentloaded")    # the next run; the server was not restarted
            wait_rendered(page, charts=1)
            text = _tile_text(page)
            page.screenshot(path=str(tmp_path / f"replica-{number}.png"))
            assert AFTER in text and BEFORE not in text, (server.url, text, server.log_tail())
            context.close()
