"""Database trouble in the real browser: a server started on a damaged copy of the
demo database, and one whose file another process holds, show their message page in Chromium,
with no exception element and nothing fetched off the machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import db_damage
from tests.browser.conftest import (
    ROOT,
    SCREENSHOTS,
    VIEWPORT,
    _free_port,
    record_outside,
    wait_rendered,
)

pytestmark = pytest.mark.browser


def _serve(db_path: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "VETOVOIMA_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vetopito.cli", "serve", "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise RuntimeError(f"streamlit did not start; see {log_path}")


def _page_text(chromium, url: str, screenshot: str) -> str:
    context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI")
    blocked = []
    record_outside(context, blocked)
    page = context.new_page()
    try:
        page.goto(url + "/", wait_until="domcontentloaded")
        wait_rendered(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        assert blocked == []
        return page.inner_text('[data-testid="stMain"]')
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["corrupted", "truncated"])
def test_a_damaged_database_is_a_message_page_in_the_browser(chromium, demo_db_path, tmp_path, kind):
    broken = getattr(db_damage, kind)(demo_db_path, tmp_path / "vetovoima.duckdb")
    proc, url = _serve(broken, tmp_path / "streamlit.log")
    try:
        text = _page_text(chromium, url, f"db_trouble_{kind}")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert "Tietokanta ei ole käytettävissä" in text
    assert "on vioittunut tai keskeneräinen" in text and "vetopito check-db" in text


def test_a_held_database_is_a_message_page_in_the_browser(chromium, demo_db_path, tmp_path):
    path = tmp_path / "vetovoima.duckdb"
    path.write_bytes(demo_db_path.read_bytes())
    with db_damage.held(path) as pid:
        proc, url = _serve(path, tmp_path / "streamlit.log")
        try:
            text = _page_text(chromium, url, "db_trouble_locked")
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert f"toisen ohjelman käytössä (prosessi {pid})" in text
