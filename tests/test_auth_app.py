"""The sign-in gate in app.py and the admin page, through AppTest with simulated users (`at.user`)
and secrets (`at.secrets`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vetopito import access, db

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "auth_units.sql"
PROVIDER = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "vetovoima", "client_secret": "s",
                     "server_metadata_url": "https://login.example.fi/.well-known/openid-configuration"}}
ADMIN = "admin@example.fi"


@pytest.fixture
def auth_db(tmp_path, app_env, monkeypatch):
    """A small database with users of every role; the app points at it."""
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    path = tmp_path / "auth.duckdb"
    con = db.connect(path)
    con.execute(FIXTURE.read_text(encoding="utf-8"))
    access.grant(con, ADMIN, "admin", by="bootstrap")
    access.grant(con, "viewer@example.fi", "viewer", by=ADMIN)
    access.grant(con, "director15@example.fi", "director", "region:15", by=ADMIN)
    access.grant(con, "coach@example.fi", "coach", "cohort:2024", by=ADMIN)
    access.grant(con, "analyst12@example.fi", "analyst", "region:12", by=ADMIN)
    con.close()
    app_env(path)
    return path


def run_app(user: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if secrets is not None:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    return at.run()


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0]}


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def nav_pages(at: AppTest) -> set[str]:
    """The `pages/<name>.py` files st.navigation listed in this run."""
    return {Path(str(info["script_path"])).stem for info in at._registered_pages.values()
            if "url_pathname" in info and str(info.get("script_path") or "").endswith(".py")}


def test_no_provider_means_demo_mode_with_banner(auth_db):
    at = run_app()
    assert not at.exception
    assert any(w.startswith("Paikallinen esittelytila — ei kirjautumista") for w in texts(at, "warning"))
    assert {"region", "upload", "admin", "team", "units"} <= nav_pages(at)


def test_required_without_provider_stops_with_clear_message(auth_db):
    at = run_app(secrets={"auth": {"required": True}})
    assert not at.exception
    assert any("Kirjautuminen on pakollinen" in e for e in texts(at, "error"))
    assert not nav_pages(at)


def test_required_from_environment(auth_db, monkeypatch):
    monkeypatch.setenv(access.ENV_REQUIRED, "1")
    at = run_app()
    assert any("docs/sign-in.md" in e for e in texts(at, "error"))


def test_visitor_sees_sign_in_only(auth_db):
    at = run_app(user={"is_logged_in": False}, secrets=PROVIDER)
    assert not at.exception
    assert [b.label for b in at.button] == ["Kirjaudu sisään"]
    assert not nav_pages(at)
    assert not any("esittelytila" in w for w in texts(at, "warning"))


def test_signed_in_user_without_grants_gets_no_access(auth_db):
    at = run_app(user=signed_in("stranger@example.fi"), secrets=PROVIDER)
    assert any("stranger@example.fi" in e and "ei ole vielä käyttöoikeuksia" in e for e in texts(at, "error")), (
        texts(at, "error"), at.exception)
    assert not nav_pages(at)


@pytest.mark.parametrize(("email", "visible", "hidden"), [
    ("viewer@example.fi", {"region", "compare", "catalog"}, {"units", "team", "upload", "admin"}),
    ("director15@example.fi", {"region", "units", "team", "cohort"}, {"upload", "admin"}),
    ("coach@example.fi", {"region", "team", "cohort", "present"}, {"units", "upload", "admin"}),
    ("analyst12@example.fi", {"region", "units", "upload"}, {"admin"}),
    (ADMIN, {"region", "admin"}, {"upload", "team", "units"}),
])
def test_each_role_sees_only_its_pages(auth_db, email, visible, hidden):
    at = run_app(user=signed_in(email), secrets=PROVIDER)
    assert not at.exception
    listed = nav_pages(at)
    assert visible <= listed and not (hidden & listed), listed


def test_read_only_hides_loading(auth_db, monkeypatch):
    monkeypatch.setenv(access.ENV_READ_ONLY, "1")
    at = run_app()
    assert "upload" not in nav_pages(at)
    assert any("Vain luku" in i for i in texts(at, "info"))


def test_sign_in_is_audited_once_per_session(auth_db):
    at = run_app(user=signed_in("viewer@example.fi"), secrets=PROVIDER)
    at.run()
    con = db.connect(auth_db)   # the app holds it read-write in this process
    try:
        log = access.audit_events(con).filter(action="sign_in")
    finally:
        con.close()
    assert log["user_name"].to_list() == ["viewer@example.fi"]
    assert [access.audit_fields(d) for d in log["detail"]] == [{"roles": ["viewer"]}]


def admin_page(user: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = run_app(user, secrets)
    at.switch_page("pages/admin.py")
    return at.run()


def test_admin_page_refuses_non_admins_even_by_url(auth_db):
    at = run_app(user=signed_in("director15@example.fi"), secrets=PROVIDER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/admin.py")   # not registered for this user: the URL leads nowhere
    page_alone = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60)
    page_alone.secrets.update(PROVIDER)
    page_alone.user = signed_in("director15@example.fi")
    page_alone.run()
    assert texts(page_alone, "error") == ["Tämä sivu on vain ylläpitäjille."]
    assert not page_alone.dataframe


def test_admin_grants_a_role_and_the_log_shows_it(auth_db):
    at = admin_page(user=signed_in(ADMIN), secrets=PROVIDER)
    assert not at.exception
    assert at.title[0].value == "Käyttäjät, roolit ja muutosloki"
    at.text_input(key="w_admin_email").set_value("new@example.fi")
    at.selectbox(key="w_admin_role").set_value("director")
    at.text_input(key="w_admin_scope").set_value("region:15")
    at.button[0].click()   # the grant form's submit button comes first
    at.run()
    assert any("new@example.fi director region:HVA15" in s for s in texts(at, "success")), texts(at, "error")
    log = at.dataframe[-1].value
    assert "new@example.fi" in log["Kohde"].to_list()
    assert ADMIN in log["Kuka"].to_list()
    assert at.get("download_button")


def test_serve_refuses_to_start_when_sign_in_is_required_but_not_configured(monkeypatch, capsys):
    """`vetopito serve` (what `make run` runs) stops before Streamlit starts."""
    from vetopito import cli

    monkeypatch.setenv("VETOVOIMA_AUTH_REQUIRED", "1")
    started = []
    monkeypatch.setattr(cli, "serve", lambda argv: started.append(argv) or 0)
    assert cli.main(["serve", "--server.port", "8599"]) == 2
    assert started == []
    assert "Kirjautuminen on pakollinen" in capsys.readouterr().err
    monkeypatch.delenv("VETOVOIMA_AUTH_REQUIRED")
    assert cli.main(["serve", "--server.port", "8599"]) == 0
    assert started == [["--server.port", "8599", "--server.address", "127.0.0.1"]]   # loopback unless told
