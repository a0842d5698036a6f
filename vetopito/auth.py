"""Sign-in settings, users and role grants, and the audit log of changes.

Who sees what is decided in `vetopito.access` (`scope_for`); this module keeps the tables it
reads (`app_user`, `role_grant`) and records every change in `audit_event`. Loads and undos are
recorded by the loader in the `load` table; `audit_events` shows both as one log.

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

import csv
import datetime as dt
import io
import ipaddress
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vetopito import access, db, i18n

SECRETS_FILE = db.ROOT / ".streamlit" / "secrets.toml"
ENV_REQUIRED = "VETOVOIMA_AUTH_REQUIRED"
ENV_READ_ONLY = "VETOVOIMA_READ_ONLY"
ACCESS_VERSION = "access_version"
DEMO_USER = "paikallinen-esittely"
AUDIT_COLUMNS = ("happened_at", "user_name", "action", "target", "detail")
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
_SHARED_KEYS = ("redirect_uri", "cookie_secret")


# --- settings ------------------------------------------------------------------------------------

class AuthConfigError(i18n.Localised, RuntimeError):
    """The sign-in settings are unsafe or incomplete; the message says what to set."""


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
BOOLEAN_WORDS = "1/0, true/false, yes/no, on/off"
ENV_DEMO_OPEN = "VETOVOIMA_DEMO_OPEN"
LOOPBACK = "127.0.0.1"


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


# --- which pages a role sees (the data itself is filtered by scope in every query) -------------

_EVERYONE = frozenset(access.ROLES)
_TEAM_ROLES = frozenset({"director", "coach", "analyst"})
PAGE_ROLES: dict[str, frozenset[str]] = {
    "region": _EVERYONE,
    "compare": _EVERYONE,
    "catalog": _EVERYONE,
    "units": frozenset({"director", "analyst"}),
    "team": _TEAM_ROLES,
    "cohort": _TEAM_ROLES,
    "present": _TEAM_ROLES,
    "upload": frozenset({"analyst"}),
    "admin": frozenset({"admin"}),
}
LOADING_PAGES = frozenset({"upload"})


def page_visible(name: str, scope: access.Scope, settings: AuthSettings) -> bool:
    """Is the page `pages/<name>.py` listed for this user? Loading pages never in read-only mode."""
    if name in LOADING_PAGES and (settings.read_only or not scope.can_load):
        return False
    return bool(scope.roles & PAGE_ROLES.get(name, _EVERYONE))


# --- users and grants --------------------------------------------------------------------------

class GrantError(i18n.Localised, ValueError):
    """A role or scope that cannot be granted; `key`/`fields` give the text in any language."""


@dataclass(frozen=True)
class Grant:
    email: str
    role: str
    scope_kind: str
    scope_value: str

    @property
    def scope_text(self) -> str:
        return "all" if self.scope_kind == "all" else f"{self.scope_kind}:{self.scope_value}"

    def describe(self) -> str:
        return f"{self.email} {self.role} {self.scope_text}"


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and domain) or " " in email or "," in email:
        raise GrantError("auth.error.bad_email", value=email)
    return email


def parse_scope(con: duckdb.DuckDBPyConnection, role: str, text: str) -> tuple[str, str]:
    """`all`, `region:15`, `region:HVA15`, `region:Pohjois-Savo`, `cohort:2024`, `cohort:2024/YTA2`,
    `team:T2024-01` → (scope kind, scope value), checked against the database."""
    if role not in access.ROLES:
        raise GrantError("auth.error.bad_role", value=role, roles=", ".join(access.ROLES))
    text = (text or "").strip()
    if text.lower() in ("", "all", "*", "kaikki"):
        return "all", "*"
    if role in ("viewer", "admin"):
        raise GrantError("auth.error.scope_not_for_role", role=role, value=text)
    kind, sep, value = text.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if not sep or kind not in ("region", "cohort", "team") or not value:
        raise GrantError("auth.error.bad_scope", value=text)
    if kind == "region":
        wanted = value.zfill(2) if value.isdigit() else value
        found = db.run(con, "auth__resolve_region", value=wanted)["id"].to_list()
        if len(found) != 1:
            raise GrantError("auth.error.unknown_region", value=value)
        return "region", found[0]
    if kind == "cohort":
        try:
            year, yta = access.parse_cohort(value)
        except ValueError:
            raise GrantError("auth.error.bad_cohort", value=value) from None
        if yta and not db.run(con, "auth__yta_exists", yta_id=yta).item(0, 0):
            raise GrantError("auth.error.bad_cohort", value=value)
        return "cohort", f"{year}/{yta}" if yta else str(year)
    if db.run(con, "auth__team_unit_ids", team_ids=[value]).is_empty():
        raise GrantError("auth.error.unknown_team", value=value)
    return "team", value


def make_grant(con: duckdb.DuckDBPyConnection, email: str, role: str, scope: str) -> Grant:
    role = (role or "").strip().lower()
    email = normalise_email(email)
    kind, value = parse_scope(con, role, scope)
    return Grant(email, role, kind, value)


def grants_of(con: duckdb.DuckDBPyConnection, email: str) -> list[Grant]:
    frame = db.run(con, "auth__user_grants", email=email)
    return [Grant(email.strip().lower(), *row) for row in frame.iter_rows()]


def list_users(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return db.run(con, "auth__users")


def access_version(con: duckdb.DuckDBPyConnection) -> int:
    """Moves on every change of users or grants, so cached scopes are recomputed."""
    frame = db.run(con, "meta__get", key=ACCESS_VERSION)
    return 0 if frame.is_empty() else int(frame.item(0, 0))


def _bump_access_version(con: duckdb.DuckDBPyConnection) -> None:
    current = db.scalar(con, "meta__get", key=ACCESS_VERSION)
    db.set_meta(con, ACCESS_VERSION, str(int(current or 0) + 1))


def record(con: duckdb.DuckDBPyConnection, user_name: str, action: str, target: str, **detail: Any) -> None:
    """Write one audit row on this connection (inside the caller's transaction, if any). The detail
    is stored as JSON fields and put into words per language when shown (`audit_detail_text`)."""
    db.execute(con, "audit__record", user_name=user_name or "?", action=action, target=target,
               detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str))


def _user_exists(con, email: str) -> bool:
    return bool(db.scalar(con, "auth__user_exists", email=email))


def _add_user(con, email: str, display_name: str | None, by: str) -> bool:
    existed = _user_exists(con, email)
    db.execute(con, "auth__upsert_user", email=email, display_name=display_name or None, by=by)
    if not existed:
        record(con, by, "user_add", email, name=display_name or "")
    return not existed


def add_user(con: duckdb.DuckDBPyConnection, email: str, display_name: str | None = None, *, by: str) -> bool:
    """Add a user (or rename one); True when the user is new."""
    email = normalise_email(email)
    with db.transaction(con):
        added = _add_user(con, email, display_name, by)
        _bump_access_version(con)
    return added


def grant(con: duckdb.DuckDBPyConnection, email: str, role: str, scope: str = "all", *,
          by: str, display_name: str | None = None) -> Grant:
    """Give a user a role over a scope (adding the user if new); audited. Raises `GrantError`."""
    new = make_grant(con, email, role, scope)
    with db.transaction(con):
        _add_user(con, new.email, display_name, by)
        if new not in grants_of(con, new.email):
            db.execute(con, "auth__insert_grant", email=new.email, role=new.role, scope_kind=new.scope_kind,
                       scope_value=new.scope_value, by=by)
            record(con, by, "role_grant", new.email, role=new.role, scope=new.scope_text)
        _bump_access_version(con)
    return new


def revoke(con: duckdb.DuckDBPyConnection, email: str, role: str, scope_kind: str, scope_value: str, *,
           by: str) -> bool:
    """Take one grant away; True when it existed. Audited."""
    email = normalise_email(email)
    target = Grant(email, role, scope_kind, scope_value)
    with db.transaction(con):
        if target not in grants_of(con, email):
            return False
        db.execute(con, "auth__delete_grant", email=email, role=role, scope_kind=scope_kind,
                   scope_value=scope_value)
        record(con, by, "role_revoke", email, role=role, scope=target.scope_text)
        _bump_access_version(con)
    return True


def remove_user(con: duckdb.DuckDBPyConnection, email: str, *, by: str) -> bool:
    """Remove a user and all their grants; True when the user existed. Audited."""
    email = normalise_email(email)
    with db.transaction(con):
        if not _user_exists(con, email):
            return False
        for old in grants_of(con, email):
            record(con, by, "role_revoke", email, role=old.role, scope=old.scope_text)
        db.execute(con, "auth__delete_user_grants", email=email)
        db.execute(con, "auth__delete_user", email=email)
        record(con, by, "user_remove", email)
        _bump_access_version(con)
    return True


@dataclass
class ImportReport:
    """What a roles CSV did or would do; nothing is written when `errors` is not empty."""

    file_name: str
    n_rows: int = 0
    granted: list[Grant] = field(default_factory=list)
    revoked: list[Grant] = field(default_factory=list)
    unchanged: int = 0
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)   # (row, column, value, problem)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file_name, "rows": self.n_rows, "granted": [g.describe() for g in self.granted],
                "revoked": [g.describe() for g in self.revoked], "unchanged": self.unchanged,
                "errors": [{"row": r, "column": c, "value": v, "problem": p} for r, c, v, p in self.errors]}


def import_roles_csv(con: duckdb.DuckDBPyConnection, text: str, *, by: str, file_name: str = "roles.csv",
                     dry_run: bool = False) -> ImportReport:
    """Load `email,role,scope[,name]` rows: for every e-mail in the file, its rows become that user's
    grants (missing ones are revoked); users not in the file are untouched. All or nothing."""
    report = ImportReport(file_name)
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    names = {"email": ("email", "sähköposti", "e-post"), "role": ("role", "rooli", "roll"),
             "scope": ("scope", "laajuus", "omfattning"), "name": ("name", "nimi", "namn", "display_name")}
    where = {key: next((header.index(a) for a in aliases if a in header), None) for key, aliases in names.items()}
    missing = [k for k in ("email", "role") if where[k] is None]
    if missing:
        report.errors.append((1, ", ".join(missing), ",".join(header), i18n.t("auth.import.missing_columns")))
        return report
    wanted: dict[str, list[Grant]] = {}
    display: dict[str, str] = {}

    def cell(row: list[str], key: str) -> str:
        index = where[key]
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        report.n_rows += 1
        try:
            email = normalise_email(cell(row, "email"))
        except GrantError as exc:
            report.errors.append((number, "email", cell(row, "email"), exc.message()))
            continue
        role = cell(row, "role").lower()
        scopes = [s for s in cell(row, "scope").split("|")] or [""]
        for scope in scopes:
            try:
                new = make_grant(con, email, role, scope)
            except GrantError as exc:
                column = "role" if exc.key == "auth.error.bad_role" else "scope"
                report.errors.append((number, column, role if column == "role" else scope, exc.message()))
                continue
            wanted.setdefault(email, [])
            if new not in wanted[email]:
                wanted[email].append(new)
        if cell(row, "name"):
            display[email] = cell(row, "name")
    if report.errors:
        return report
    for email, grants in wanted.items():
        have = grants_of(con, email)
        report.granted += [g for g in grants if g not in have]
        report.revoked += [g for g in have if g not in grants]
        report.unchanged += sum(1 for g in grants if g in have)
    new_users = [email for email in wanted if not _user_exists(con, email)]
    if dry_run or not (report.granted or report.revoked or new_users):
        return report   # importing the same file again changes (and records) nothing
    with db.transaction(con):
        for email in wanted:
            _add_user(con, email, display.get(email), by)
        for g in report.revoked:
            db.execute(con, "auth__delete_grant", email=g.email, role=g.role, scope_kind=g.scope_kind,
                       scope_value=g.scope_value)
            record(con, by, "role_revoke", g.email, role=g.role, scope=g.scope_text, file=file_name)
        for g in report.granted:
            db.execute(con, "auth__insert_grant", email=g.email, role=g.role, scope_kind=g.scope_kind,
                       scope_value=g.scope_value, by=by)
            record(con, by, "role_grant", g.email, role=g.role, scope=g.scope_text, file=file_name)
        record(con, by, "roles_import", file_name, rows=report.n_rows, granted=len(report.granted),
               revoked=len(report.revoked), unchanged=report.unchanged)
        _bump_access_version(con)
    return report


# --- audit ---------------------------------------------------------------------------------------

def record_sign_in(con: duckdb.DuckDBPyConnection, email: str, roles=()) -> None:
    with db.transaction(con):
        record(con, email, "sign_in", email, roles=sorted(roles))


def audit_events(con: duckdb.DuckDBPyConnection, max_rows: int = 100_000) -> pl.DataFrame:
    """Every load, undo, user and role change and sign-in, newest first."""
    return db.run(con, "audit__events", max_rows=max_rows)


def audit_fields(detail: str | None) -> dict[str, Any] | None:
    """The structured detail of an audit row, or None for an old free-text detail."""
    try:
        fields = json.loads(detail or "{}")
    except ValueError:
        return None
    return fields if isinstance(fields, dict) else None


def _detail_value(name: str, value: Any, lang: str | None) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return i18n.fmt_number(value, 0, lang)
    if name == "role":
        return i18n.t(f"auth.role.{value}", lang) if value in access.ROLES else str(value)
    if name == "roles":
        return ", ".join(_detail_value("role", r, lang) for r in value) or i18n.t("audit.no_roles", lang)
    if name == "format" and i18n.has_text(f"ingest.word.format.{value}"):
        return i18n.t(f"ingest.word.format.{value}", lang)
    if name == "scope":
        return i18n.t("audit.scope_all", lang) if value in ("all", "*") else str(value)
    if name == "loaded_at" and value:
        try:
            return i18n.fmt_datetime(dt.datetime.fromisoformat(str(value)), lang)
        except ValueError:
            return str(value)
    return "" if value is None else str(value)


def audit_detail_text(action: str, detail: str | None, lang: str | None = None) -> str:
    """One audit row's detail in words, in the user's language: `234 riviä: 234 uutta, 0 muuttunutta…`."""
    fields = audit_fields(detail)
    key = f"audit.detail.{action}"
    if fields is None or not i18n.has_text(key):
        return detail or ""
    values = {k: _detail_value(k, v, lang) for k, v in fields.items()}
    values["via"] = i18n.t("audit.via_file", lang, file=values["file"]) if values.get("file") else ""
    values["name"] = values.get("name") or "–"
    try:
        return i18n.t(key, lang, **values)
    except (KeyError, IndexError):
        return detail or ""


def audit_for_display(frame: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The log in the user's language: times as 15.3.2024 klo 14.05, actions and details in words,
    column names translated."""
    shown = frame.with_columns(
        happened_at=pl.Series([i18n.fmt_datetime(v, lang) for v in frame["happened_at"]], dtype=pl.String),
        action=pl.Series([i18n.t(f"audit.action.{a}", lang) if i18n.has_text(f"audit.action.{a}") else a
                          for a in frame["action"]], dtype=pl.String),
        detail=pl.Series([audit_detail_text(a, d, lang) for a, d in zip(frame["action"], frame["detail"],
                                                                         strict=True)], dtype=pl.String),
    )
    return shown.rename({c: i18n.t(f"admin.column.{c}", lang) for c in frame.columns})


def audit_csv(frame: pl.DataFrame, lang: str | None = None) -> bytes:
    """The audit log in words (`audit_for_display`) as a CSV for Finnish Excel: `;`, UTF-8 with BOM,
    and every cell that Excel would read as a formula (a file name such as `=cmd…`) neutralised."""
    from vetopito.export import tables

    return tables.to_csv(audit_for_display(frame, lang))
