"""Security settings fail closed, and the open demo mode stays on this machine:
the switch parser, the app's start-up page (AppTest) and `vetopito serve` (the command
line, with Streamlit's start replaced by a recorder so no server is started)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from vetopito import access, cli, db

ROOT = Path(__file__).resolve().parent.parent
BAD_WORDS = ["y", "2", "required", "enabled", "ja", "kyllä", "truee", "-1", "on off", "+1"]
ACCEPTED = "1/0, true/false, yes/no, on/off"
PROVIDER_TOML = """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
client_id = "vetovoima"
client_secret = "s"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No switch from the developer's shell, and a home folder without Streamlit files."""
    for name in ("VETOVOIMA_AUTH_REQUIRED", "VETOVOIMA_READ_ONLY", "VETOVOIMA_DEMO_OPEN", "STREAMLIT_SERVER_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


# --- the parser -----------------------------------------------------------------------------------

@pytest.mark.parametrize("word", BAD_WORDS)
@pytest.mark.parametrize("variable", [access.ENV_REQUIRED, access.ENV_READ_ONLY])
def test_unknown_environment_value_is_refused_naming_the_accepted_values(variable, word):
    settings = access.settings_from({}, {variable: word})
    assert settings.required if variable == access.ENV_REQUIRED else settings.read_only   # the safe side
    with pytest.raises(access.AuthConfigError) as caught:
        access.check_startup(settings)
    text = caught.value.message("en")
    assert variable in text and repr(word) in text and ACCEPTED in text, text


@pytest.mark.parametrize("line", ["required = 2", 'required = "y"', 'required = "required"',
                                  'required = "enabled"', 'required = "ja"', "required = 1.0",
                                  'required = ""', "required = [true]"])
def test_unknown_toml_value_for_required_is_refused(line):
    settings = access.settings_from(tomllib.loads(f"[auth]\n{line}\n"), {})
    assert settings.required
    with pytest.raises(access.AuthConfigError, match=r"\[auth\] required = .*1/0, true/false, yes/no, on/off"):
        access.check_startup(settings)


@pytest.mark.parametrize("line", ["read_only = 2", 'read_only = "y"', 'read_only = "ja"', "auth_required = 2"])
def test_unknown_toml_value_in_vetovoima_section_is_refused(line):
    settings = access.settings_from(tomllib.loads(f"[vetovoima]\n{line}\n"), {})
    with pytest.raises(access.AuthConfigError, match=r"\[vetovoima\] "):
        access.check_startup(settings)


def test_every_unknown_value_is_named_at_once():
    settings = access.settings_from({"auth": {"required": 2}}, {access.ENV_READ_ONLY: "y"})
    with pytest.raises(access.AuthConfigError) as caught:
        access.check_startup(settings)
    assert "[auth] required = 2" in caught.value.message("en")
    assert "VETOVOIMA_READ_ONLY = 'y'" in caught.value.message("en")
    assert "Hyväksytyt arvot: 1/0, true/false, yes/no, on/off" in caught.value.message("fi")


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("true", True), ("TRUE", True), (" Yes ", True), ("on", True), (True, True), (1, True),
    ("0", False), ("false", False), ("No", False), ("off", False), (False, False), (0, False),
])
def test_documented_values_are_accepted(value, expected):
    assert access.parse_switch(value, name="x") is expected
    settings = access.settings_from({"auth": {"required": value}, "vetovoima": {"read_only": value}}, {})
    assert (settings.required, settings.read_only, settings.invalid) == (expected, expected, ())


def test_unset_and_empty_environment_mean_off():
    settings = access.settings_from({}, {access.ENV_REQUIRED: "", access.ENV_READ_ONLY: "  "})
    assert (settings.required, settings.read_only, settings.invalid) == (False, False, ())


def test_unknown_demo_override_does_not_open_anything():
    settings = access.settings_from({}, {access.ENV_DEMO_OPEN: "y"})
    assert not settings.demo_open
    with pytest.raises(access.AuthConfigError, match="VETOVOIMA_DEMO_OPEN"):
        access.check_startup(settings)


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("127.0.1.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    (None, False), ("", False), ("0.0.0.0", False), ("::", False), ("192.168.1.10", False),
    ("vetovoima.example.fi", False),
])
def test_loopback_addresses(address, loopback):
    assert access.is_loopback(address) is loopback


# --- the app --------------------------------------------------------------------------------------

@pytest.fixture
def app_db(demo_db_copy, app_env):
    return app_env(demo_db_copy)


def run_app(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if secrets is not None:
        at.secrets.update(secrets)
    return at.run()


def shown(text: str) -> str:
    """A markdown message as the reader sees it (the app escapes a setting's value)."""
    return re.sub(r"\\(.)", r"\1", text)


def errors_of(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def listed_pages(at: AppTest) -> set[str]:
    return {Path(str(info["script_path"])).stem for info in at._registered_pages.values()
            if str(info.get("script_path") or "").endswith(".py")}


@pytest.mark.parametrize(("variable", "word"), [(access.ENV_REQUIRED, "y"), (access.ENV_REQUIRED, "2"),
                                                (access.ENV_REQUIRED, "required"), (access.ENV_REQUIRED, "enabled"),
                                                (access.ENV_REQUIRED, "ja"), (access.ENV_READ_ONLY, "y")])
def test_app_stops_with_the_message_on_an_unknown_environment_value(app_db, monkeypatch, variable, word):
    monkeypatch.setenv(variable, word)
    at = run_app()
    assert not at.exception
    errors = errors_of(at)
    assert any("Asetuksen arvoa ei tunneta" in e and "1/0, true/false, yes/no, on/off" in e for e in errors), errors
    assert not listed_pages(at)
    assert not any("esittelytila" in w.value for w in at.warning)


def test_app_stops_on_required_2_in_secrets(app_db):
    at = run_app(secrets={"auth": {"required": 2}})
    assert not at.exception
    assert any("[auth] required = 2" in e for e in errors_of(at)), errors_of(at)
    assert not listed_pages(at)


@pytest.fixture
def listening_on(monkeypatch):
    """Set Streamlit's `server.address` for this test as a started server would have it."""
    before = st_config.get_option("server.address")

    def use(address):
        st_config._set_option("server.address", address, "test")

    yield use
    st_config._set_option("server.address", before, "test")


@pytest.mark.parametrize("address", ["0.0.0.0", None, "192.168.1.10"])
def test_app_refuses_the_demo_mode_beyond_loopback(app_db, listening_on, address):
    listening_on(address)
    at = run_app()
    assert not at.exception
    errors = errors_of(at)
    assert any("Esittelytila" in e and "127.0.0.1" in e and "VETOVOIMA" in e for e in errors), errors
    assert not listed_pages(at)


def test_app_demo_mode_beyond_loopback_with_the_override_is_loud(app_db, listening_on, monkeypatch, caplog):
    listening_on("0.0.0.0")
    monkeypatch.setenv(access.ENV_DEMO_OPEN, "1")
    at = run_app()
    assert not at.exception
    assert any("Avoin esittelytila verkossa" in e.value for e in at.error), [e.value for e in at.error]
    assert {"region", "upload", "admin"} <= listed_pages(at)


def test_app_with_a_provider_may_listen_beyond_loopback(app_db, listening_on):
    listening_on("0.0.0.0")
    at = run_app(secrets=tomllib.loads(PROVIDER_TOML))
    assert not at.exception
    assert [b.label for b in at.button] == ["Kirjaudu sisään"]
    assert not at.error


def test_app_on_loopback_keeps_the_demo_mode(app_db):
    assert access.is_loopback(st_config.get_option("server.address"))   # .streamlit/config.toml
    at = run_app()
    assert not at.exception and not at.error
    assert {"region", "upload", "admin"} <= listed_pages(at)


# --- vetopito serve -------------------------------------------------------------------------------

@pytest.fixture
def started(monkeypatch):
    """What `vetopito serve` would have passed to `streamlit run` (nothing is started)."""
    calls: list[list[str]] = []
    monkeypatch.setattr(cli, "serve", lambda argv: calls.append(argv) or 0)
    return calls


@pytest.mark.parametrize("word", ["y", "2", "required", "enabled", "ja"])
def test_serve_exits_2_on_an_unknown_value_before_starting(started, monkeypatch, capsys, word):
    monkeypatch.setenv(access.ENV_REQUIRED, word)
    assert cli.main(["serve"]) == 2
    assert started == []
    err = capsys.readouterr().err
    assert "VETOVOIMA_AUTH_REQUIRED" in err and "1/0, true/false, yes/no, on/off" in err, err


def test_serve_exits_2_on_required_2_in_the_secrets_file(started, clean_environment, capsys):
    (clean_environment / ".streamlit").mkdir()
    (clean_environment / ".streamlit" / "secrets.toml").write_text("[auth]\nrequired = 2\n", encoding="utf-8")
    assert cli.main(["serve"]) == 2
    assert started == []
    assert "[auth] required = 2" in capsys.readouterr().err


def test_serve_exits_2_on_an_unknown_read_only_value(started, monkeypatch):
    monkeypatch.setenv(access.ENV_READ_ONLY, "ja")
    assert cli.main(["serve"]) == 2
    assert started == []


def test_serve_listens_on_loopback_unless_told_otherwise():
    settings = access.settings_from({}, {})
    argv, exposed = cli.serve_argv(["--server.port", "8502"], settings, configured=None)
    assert argv == ["--server.port", "8502", "--server.address", "127.0.0.1"] and not exposed
    argv, _ = cli.serve_argv(["--server.address=::1"], settings, configured=None)
    assert argv == ["--server.address=::1"]


def test_serve_passes_loopback_to_streamlit(started):
    assert cli.main(["serve", "--server.port", "8502"]) == 0
    assert started == [["--server.port", "8502", "--server.address", "127.0.0.1"]]


@pytest.mark.parametrize("how", ["flag", "flag=", "environment", "config"])
def test_serve_refuses_a_wider_address_without_a_provider(started, monkeypatch, capsys, tmp_path, how):
    args = ["serve"]
    if how == "flag":
        args += ["--server.address", "0.0.0.0"]
    elif how == "flag=":
        args += ["--server.address=0.0.0.0"]
    elif how == "environment":
        monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "0.0.0.0")
    else:
        (tmp_path / ".streamlit").mkdir()
        (tmp_path / ".streamlit" / "config.toml").write_text('[server]\naddress = "0.0.0.0"\n', encoding="utf-8")
        monkeypatch.setattr(cli.db, "ROOT", tmp_path)   # the app's own .streamlit/config.toml
    assert cli.main(args) == 2
    assert started == []
    err = capsys.readouterr().err
    assert "'0.0.0.0'" in err and "--demo-open" in err, err


@pytest.mark.parametrize("override", ["--demo-open", "environment"])
def test_serve_opens_the_demo_wider_only_with_the_override_and_says_so(started, monkeypatch, capsys, override):
    args = ["serve", "--server.address", "0.0.0.0"]
    if override == "--demo-open":
        args.append("--demo-open")
        monkeypatch.setenv(access.ENV_DEMO_OPEN, "0")   # serve sets it to 1; restored after the test
    else:
        monkeypatch.setenv(access.ENV_DEMO_OPEN, "1")
    assert cli.main(args) == 0
    assert started == [["--server.address", "0.0.0.0"]]
    err = capsys.readouterr().err
    assert "WARNING" in err and "0.0.0.0" in err, err
    assert cli.os.environ[access.ENV_DEMO_OPEN] == "1"   # the app in this process warns too


def test_serve_with_a_provider_may_listen_wider(started, clean_environment, capsys):
    (clean_environment / ".streamlit").mkdir()
    (clean_environment / ".streamlit" / "secrets.toml").write_text(PROVIDER_TOML, encoding="utf-8")
    assert cli.main(["serve", "--server.address", "0.0.0.0"]) == 0
    assert started == [["--server.address", "0.0.0.0"]]
    assert "WARNING" not in capsys.readouterr().err


def test_users_commands_refuse_an_unknown_read_only_value(monkeypatch, tmp_path, capsys):
    db.connect(tmp_path / "x.duckdb").close()
    monkeypatch.setenv(access.ENV_READ_ONLY, "y")
    assert cli.main(["users", "list", "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "1/0, true/false, yes/no, on/off" in capsys.readouterr().err
