"""Sign-in settings: which provider signs users in, and the fail-closed switches.

Settings (`.streamlit/secrets.toml`, or the environment):

- `[auth]` with `redirect_uri`, `cookie_secret` and a provider (`client_id`, `client_secret`,
  `server_metadata_url`, at the top or in `[auth.<name>]`): sign-in with `st.login`.
- no provider: the local demo mode (every role, no sign-in, a banner says so).
- `[auth] required = true` or `VETOVOIMA_AUTH_REQUIRED=1`: a missing provider is a start-up
  error (`AuthConfigError`), so production is never silently open.
- `[vetovoima] read_only = true` or `VETOVOIMA_READ_ONLY=1`: the database is opened read-only and
  loading pages are hidden.
- `VETOVOIMA_DEMO_OPEN=1` (or `vetopito serve --demo-open`): let the demo mode (no provider, every
  role) listen on an address other than loopback. Without it, the demo mode stays on this machine.

Every one of these switches accepts exactly `BOOLEAN_WORDS` (and TOML `true`/`false`, `1`/`0`);
any other value (`y`, `2`, `required`, `ja`, …) stops the start with a message naming the accepted
values, and until then counts as the safe side (sign-in required, read-only, demo closed).
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vetopito import db, i18n

SECRETS_FILE = db.ROOT / ".streamlit" / "secrets.toml"
ENV_REQUIRED = "VETOVOIMA_AUTH_REQUIRED"
ENV_READ_ONLY = "VETOVOIMA_READ_ONLY"
ENV_DEMO_OPEN = "VETOVOIMA_DEMO_OPEN"
DEMO_USER = "paikallinen-esittely"   # who the audit log names for a change made in the demo mode
LOOPBACK = "127.0.0.1"
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
BOOLEAN_WORDS = "1/0, true/false, yes/no, on/off"
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
_SHARED_KEYS = ("redirect_uri", "cookie_secret")


class AuthConfigError(i18n.Localised, RuntimeError):
    """The sign-in settings are unsafe or incomplete; the message says what to set."""


def shown_value(value: Any) -> str:
    """A setting's value as it may be printed or shown: quoted, escapes visible, at most 60 characters."""
    if not isinstance(value, str):
        text = repr(value)
        return text[:60] + ("…" if len(text) > 60 else "")
    return repr(value[:60] + ("…" if len(value) > 60 else ""))


def parse_switch(value: Any, *, name: str, from_environment: bool = False) -> bool | None:
    """A security switch: True or False for one of `TRUE_WORDS`/`FALSE_WORDS` (any case, spaces
    around ignored), a TOML boolean or the integers 1/0; None when unset (None, or an empty
    environment variable). Anything else raises `AuthConfigError` naming the accepted values."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        if word == "" and from_environment:
            return None
    raise AuthConfigError("auth.error.bad_switch", settings=f"{name} = {shown_value(value)}",
                          accepted=BOOLEAN_WORDS)


@dataclass(frozen=True)
class AuthSettings:
    providers: tuple[str, ...] = ()          # "" is the unnamed provider of [auth]
    required: bool = False
    read_only: bool = False
    problems: tuple[str, ...] = field(default=())   # missing keys of a half-written [auth]
    invalid: tuple[str, ...] = field(default=())    # `name = 'value'` of switches with unknown values
    demo_open: bool = False                  # the demo mode may listen beyond loopback

    @property
    def provider_configured(self) -> bool:
        return bool(self.providers) and not self.problems

    @property
    def demo_mode(self) -> bool:
        return not self.provider_configured


def settings_from(secrets: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> AuthSettings:
    """Read the sign-in settings from a secrets mapping (`st.secrets` or parsed TOML) and the environment.
    A switch with an unknown value is listed in `invalid` and counts as its safe side."""
    secrets = secrets or {}
    environ = os.environ if environ is None else environ
    auth_section = secrets.get("auth") or {}
    ours = secrets.get("vetovoima") or {}
    providers = []
    if all(auth_section.get(k) for k in ("client_id", "server_metadata_url")):
        providers.append("")
    for name, sub in auth_section.items():
        if isinstance(sub, Mapping) and all(sub.get(k) for k in ("client_id", "server_metadata_url")):
            providers.append(str(name))
    problems: list[str] = []
    if providers:
        problems += [k for k in _SHARED_KEYS if not auth_section.get(k)]
        for name in providers:
            section = auth_section if name == "" else auth_section[name]
            problems += [f"{name + '.' if name else ''}{k}" for k in _PROVIDER_KEYS if not section.get(k)]
    invalid: list[str] = []

    def switch(sources: list[tuple[str, Any, bool]], safe: bool) -> bool:
        """On if any source is on; the safe side if any source has an unknown value."""
        values, bad = [], False
        for name, value, from_environment in sources:
            try:
                values.append(parse_switch(value, name=name, from_environment=from_environment))
            except AuthConfigError as exc:
                invalid.append(exc.fields["settings"])
                bad = True
        return safe if bad else any(values)

    required = switch([("[auth] required", auth_section.get("required"), False),
                       ("[vetovoima] auth_required", ours.get("auth_required"), False),
                       (ENV_REQUIRED, environ.get(ENV_REQUIRED), True)], safe=True)
    read_only = switch([("[vetovoima] read_only", ours.get("read_only"), False),
                        (ENV_READ_ONLY, environ.get(ENV_READ_ONLY), True)], safe=True)
    demo_open = switch([(ENV_DEMO_OPEN, environ.get(ENV_DEMO_OPEN), True)], safe=False)
    return AuthSettings(providers=tuple(providers), required=required, read_only=read_only,
                        problems=tuple(problems), invalid=tuple(invalid), demo_open=demo_open)


def load_secrets_file(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The parsed `.streamlit/secrets.toml` (empty when there is none), for the command line."""
    path = Path(path) if path else SECRETS_FILE
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def streamlit_secrets_files(script: str | os.PathLike[str]) -> list[Path]:
    """The secrets files `streamlit run <script>` reads, later ones winning (its default
    `secrets.files`): ~/.streamlit, ./.streamlit, then the script's own .streamlit folder."""
    files: list[Path] = []
    for folder in (Path.home(), Path.cwd(), Path(script).resolve().parent):
        path = (folder / ".streamlit" / "secrets.toml").resolve()
        if path not in files:
            files.append(path)
    return files


def load_streamlit_secrets(script: str | os.PathLike[str]) -> dict[str, Any]:
    """The secrets the app will see, merged as Streamlit merges them (top-level keys, later files
    win), so `vetopito serve` judges the same settings the app then runs under."""
    merged: dict[str, Any] = {}
    for path in streamlit_secrets_files(script):
        merged.update(load_secrets_file(path))
    return merged


def check_startup(settings: AuthSettings) -> AuthSettings:
    """Raise `AuthConfigError` when the app must not start: a switch with an unknown value, sign-in
    required but no provider, or a provider whose settings are incomplete. Returns the settings
    when all is well."""
    if settings.invalid:
        raise AuthConfigError("auth.error.bad_switch", settings="; ".join(settings.invalid),
                              accepted=BOOLEAN_WORDS)
    if settings.problems:
        raise AuthConfigError("auth.error.incomplete", missing=", ".join(f"[auth] {p}" for p in settings.problems))
    if settings.required and not settings.providers:
        raise AuthConfigError("auth.error.required_no_provider")
    return settings


def is_loopback(address: str | None) -> bool:
    """Does a `server.address` keep the server on this machine? Unset or empty means every
    interface (Streamlit's default), so no; `localhost`, 127.0.0.0/8 and ::1 are."""
    text = (address or "").strip().strip("[]").lower()
    if text == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def check_exposure(settings: AuthSettings, address: str | None) -> bool:
    """Raise `AuthConfigError` when the demo mode (every visitor gets every role) would listen
    beyond loopback without the explicit override. True when the server is reachable from
    other machines in the demo mode by that override (to be warned about loudly)."""
    if not settings.demo_mode or is_loopback(address):
        return False
    if not settings.demo_open:
        raise AuthConfigError("auth.error.demo_not_local", address=shown_value(address or "*"),
                              loopback=LOOPBACK, override=ENV_DEMO_OPEN)
    return True


def startup_settings(environ: Mapping[str, str] | None = None,
                     secrets_path: str | os.PathLike[str] | None = None, *,
                     secrets: Mapping[str, Any] | None = None) -> AuthSettings:
    """The settings the command line and tests run under, checked (raises `AuthConfigError`)."""
    if secrets is None:
        secrets = load_secrets_file(secrets_path)
    return check_startup(settings_from(secrets, environ))

