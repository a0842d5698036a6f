"""Sign-in end to end: a real OpenID Connect provider on loopback
(`oidc-provider-mock`, run as its own process), the real `vetopito serve` with `[auth]` secrets
pointing at it, and Chromium clicking through `st.login` and `st.logout`. Nothing is simulated:
the user's e-mail comes from the provider's ID token, the grants from the test database (given
as `vetopito users grant` gives them).

The provider requires registered clients. The app has two providers configured: `oikea`, the
registered client (its id and secret come from the provider's registration endpoint), and
`toinen`, a client id the provider does not know (a misconfigured `client_id`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import (
    CHROMIUM,
    RENDER_TIMEOUT_MS,
    ROOT,
    SCREENSHOTS,
    VIEWPORT,
    AppServer,
    _free_port,
    record_outside,
    wait_rendered,
)
from vetopito import access, db

pytestmark = pytest.mark.browser

DIRECTOR = "johtaja15@example.fi"
ANALYST = "analyytikko@example.fi"
STRANGER = "vieras@example.fi"
START_TIMEOUT_S = 90
# url_path of every page in app.py; "" is the default page (the region page, served at /)
ALL_PAGES = {"tilanne", "vertailu", "yksikot", "tiimi", "kohortti", "esitys", "lataa", "mittarit", "yllapito",
             "ohjelma"}


def _wait_healthy(proc: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:3]} exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {START_TIMEOUT_S} s:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.25)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[str]:
    """`oidc-provider-mock` on a free loopback port, requiring registered clients."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    folder = tmp_path_factory.mktemp("idp")
    port = _free_port()
    log_path = folder / "idp.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
             "--require-registration"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, f"{url}/.well-known/openid-configuration", log_path)
        yield url
    finally:
        _stop(proc)


def _register_client(provider: str, redirect_uri: str) -> tuple[str, str]:
    """Register the app with the provider (RFC 7591); returns its client id and secret."""
    body = json.dumps({"redirect_uris": [redirect_uri], "token_endpoint_auth_method": "client_secret_basic"})
    request = urllib.request.Request(f"{provider}/oauth2/clients", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.loads(response.read())
    return answer["client_id"], answer["client_secret"]


@pytest.fixture(scope="module")
def signin_server(provider, demo_db_path, tmp_path_factory) -> Iterator[AppServer]:
    """`vetopito serve` on loopback with `[auth]` secrets for the provider (in a private HOME,
    ~/.streamlit/secrets.toml, which Streamlit reads) and a database with two users' grants."""
    folder = tmp_path_factory.mktemp("signin")
    db_path = folder / "vetovoima.duckdb"
    shutil.copy(demo_db_path, db_path)
    vetopito = [sys.executable, "-m", "vetopito.cli"]
    env = {**os.environ, "VETOVOIMA_DB": str(db_path), "PYTHONPATH": str(ROOT), "HOME": str(folder)}
    for name in ("VETOVOIMA_AUTH_REQUIRED", "VETOVOIMA_READ_ONLY", "VETOVOIMA_DEMO_OPEN", "STREAMLIT_SERVER_ADDRESS"):
        env.pop(name, None)
    con = db.connect(db_path)   # what `vetopito users grant` does (tested with the command line in test_cli)
    try:
        for email, role, scope in ((DIRECTOR, "director", "region:15"), (ANALYST, "analyst", "region:12"),
                                   (ANALYST, "viewer", "all")):
            access.grant(con, email, role, scope, by="test")
    finally:
        con.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    client_id, client_secret = _register_client(provider, f"{url}/oauth2callback")
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "secrets.toml").write_text(f"""
[auth]
required = true
redirect_uri = "{url}/oauth2callback"
cookie_secret = "browser-test-cookie-secret-0123456789abcdef"

[auth.oikea]
client_id = "{client_id}"
client_secret = "{client_secret}"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[auth.toinen]
client_id = "vetovoima-ei-rekisteroity"
client_secret = "vaara"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""", encoding="utf-8")
    log_path = folder / "streamlit.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [*vetopito, "serve", "--server.headless", "true", "--server.port", str(port),
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(proc, f"{url}/_stcore/health", log_path)
        yield AppServer(url=url, log_path=log_path)
    finally:
        _stop(proc)


class Visit:
    """One browser (its own cookies) on the sign-in server; requests off the machine are refused."""

    def __init__(self, chromium, server: AppServer, provider: str):
        self.server, self.provider = server, provider
        self.context = chromium.new_context(viewport=VIEWPORT, locale="fi-FI", timezone_id="Europe/Helsinki")
        self.page = self.context.new_page()
        self.page.set_default_timeout(RENDER_TIMEOUT_MS)
        self.blocked: list[str] = []
        self.page_errors: list[str] = []
        record_outside(self.context, self.blocked)   # the mock provider's pages link a stylesheet from a CDN
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def open(self, path: str = "/") -> None:
        self.page.goto(self.server.url + path, wait_until="domcontentloaded")
        wait_rendered(self.page)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def text(self) -> str:
        return self.page.inner_text("body")

    def nav_pages(self) -> set[str]:
        hrefs = self.page.locator('.st-key-app_nav [data-testid="stPageLink"] a').evaluate_all("els => els.map(e => e.href)")
        return {urlparse(h).path.strip("/") or "tilanne" for h in hrefs}

    def sign_in_buttons(self) -> list[str]:
        return [b.strip() for b in self.page.locator('[data-testid="stMain"] button').all_inner_texts()]

    def sign_in(self, email: str, button: str = "Kirjaudu: Oikea", *, heading: bool = True) -> None:
        """Click the app's sign-in button and complete the provider's form with this e-mail."""
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_url(f"{self.provider}/oauth2/authorize**")
        self.page.fill('input[name="sub"]', email)
        self.page.get_by_role("button", name="Authorize").click()
        self.page.wait_for_url(f"{self.server.url}/**")
        wait_rendered(self.page, heading=heading)

    def sign_out(self) -> None:
        self.page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Kirjaudu ulos").click()
        self.page.wait_for_url(f"{self.provider}/oauth2/end_session**")   # the provider ends its session
        self.page.get_by_role("button", name="End session").click()
        self.page.wait_for_url(f"{self.server.url}/**")
        wait_rendered(self.page)

    def assert_no_exception(self) -> None:
        exceptions = self.page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.all_inner_texts()
        assert "Traceback" not in self.text()
        assert self.page_errors == [], self.page_errors

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium, signin_server, provider) -> Iterator[Visit]:
    one = Visit(chromium, signin_server, provider)
    yield one
    one.close()


FAILED = "Kirjautuminen ei onnistunut"


def assert_sign_in_page_only(visit: Visit, *, failed: bool = False) -> None:
    """The sign-in page and nothing else; `failed`: with the app's note that the last try failed."""
    assert visit.sign_in_buttons() == ["Kirjaudu: Oikea", "Kirjaudu: Toinen"], visit.sign_in_buttons()
    assert (FAILED in visit.text()) is failed, visit.text()
    assert visit.page.locator('[data-testid="stMain"] h1').inner_text().strip() == "Kirjaudu sisään"
    assert visit.nav_pages() == set()
    assert "Kirjautunut:" not in visit.text()
    visit.assert_no_exception()


def test_visitor_sees_the_sign_in_page_only_even_by_deep_link(visit):
    visit.open("/")
    assert_sign_in_page_only(visit)
    visit.screenshot("signin_visitor")
    for path in ("/lataa", "/yllapito", "/tiimi"):
        visit.open(path)
        assert_sign_in_page_only(visit)


def test_director_signs_in_with_exactly_their_grants_and_signs_out(visit):
    visit.open("/")
    visit.sign_in(DIRECTOR)
    visit.screenshot("signin_director")
    visit.assert_no_exception()
    sidebar = visit.page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"Kirjautunut: {DIRECTOR}" in sidebar and "Roolit: johtaja" in sidebar, sidebar
    # the programme board too: a director reads the programmes of their region (none here)
    assert visit.nav_pages() == {"tilanne", "vertailu", "yksikot", "tiimi", "kohortti", "esitys", "mittarit",
                                 "ohjelma"}
    assert "Kirjaudu: Oikea" not in visit.sign_in_buttons()
    visit.open("/yksikot")   # the director's region (15, Keski-Suomi) only
    visit.assert_no_exception()
    visit.screenshot("signin_director_units")
    assert "Keski-Suomi" in visit.text() and "Pohjois-Savo" not in visit.text()
    visit.open("/")          # the identity cookie lasts: a new page load is still signed in
    assert f"Kirjautunut: {DIRECTOR}" in visit.page.locator('[data-testid="stSidebar"]').inner_text()
    visit.sign_out()
    visit.screenshot("signin_signed_out")
    assert_sign_in_page_only(visit)
    visit.open("/")          # and after a reload still signed out
    assert_sign_in_page_only(visit)


def test_analyst_with_two_grants_sees_upload_but_not_admin(visit):
    visit.open("/")
    visit.sign_in(ANALYST)
    visit.assert_no_exception()
    assert visit.nav_pages() == ALL_PAGES - {"yllapito"}, visit.nav_pages()
    sidebar = visit.page.locator('[data-testid="stSidebar"]').inner_text().lower()
    assert "katselija" in sidebar and "analyytikko" in sidebar, sidebar


def test_signed_in_user_without_grants_gets_no_access(visit):
    visit.open("/")
    visit.sign_in(STRANGER, heading=False)   # the "no access" page has no heading
    visit.screenshot("signin_no_grants")
    visit.assert_no_exception()
    assert f"Tunnuksellasi {STRANGER} ei ole vielä käyttöoikeuksia" in visit.text()
    assert visit.nav_pages() == set()
    visit.sign_out()
    assert_sign_in_page_only(visit)


def test_provider_for_another_client_id_signs_nobody_in_and_the_app_says_so(visit):
    visit.open("/")
    visit.page.get_by_role("button", name="Kirjaudu: Toinen").click()
    visit.page.wait_for_url(f"{visit.provider}/oauth2/authorize**")
    provider_page = visit.text()
    visit.screenshot("signin_wrong_client_provider")
    assert "invalid_client" in provider_page, provider_page[:500]
    assert 'name="sub"' not in visit.page.content()   # no form to sign in with
    visit.open("/")          # back to the app: a visitor, told why, no traceback
    visit.screenshot("signin_wrong_client_back")
    assert_sign_in_page_only(visit, failed=True)
    assert "client_id" in visit.text()
    visit.open("/")          # told once
    assert_sign_in_page_only(visit)


def test_consent_denied_at_the_provider_comes_back_as_a_visitor_with_the_apps_message(visit):
    visit.open("/")
    visit.page.get_by_role("button", name="Kirjaudu: Oikea").click()
    visit.page.wait_for_url(f"{visit.provider}/oauth2/authorize**")
    visit.page.get_by_role("button", name="Deny").click()   # the provider redirects with error=access_denied
    visit.page.wait_for_url(f"{visit.server.url}/**")
    wait_rendered(visit.page)
    visit.screenshot("signin_denied")
    assert_sign_in_page_only(visit, failed=True)
    assert "Traceback" not in visit.server.log_tail(200)
