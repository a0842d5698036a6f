"""Users and their role grants: checking a grant's role and scope against the database, giving
and taking grants away, and the access version that moves on every change. Every change is
recorded in the audit log (`access.audit`); who sees what follows from the grants in
`access.scope.scope_for`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import polars as pl

from vetopito import db, i18n
from vetopito.access.audit import record
from vetopito.access.scope import ROLES, parse_cohort

ACCESS_VERSION = "access_version"
# a programme's id, as the programme formats accept it (ingest/programmes.py)
PROGRAMME_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"


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
    if role not in ROLES:
        raise GrantError("auth.error.bad_role", value=role, roles=", ".join(ROLES))
    text = (text or "").strip()
    if text.lower() in ("", "all", "*", "kaikki"):
        if role == "programme_manager":
            raise GrantError("auth.error.programme_scope", role=role, value=text or "all")
        return "all", "*"
    if role in ("viewer", "admin"):
        raise GrantError("auth.error.scope_not_for_role", role=role, value=text)
    kind, sep, value = text.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if not sep or kind not in ("region", "cohort", "team", "programme") or not value:
        raise GrantError("auth.error.bad_scope", value=text)
    if (kind == "programme") != (role == "programme_manager"):
        # a programme manager's grant names the programme; no other role is scoped to one
        raise GrantError("auth.error.programme_scope", role=role, value=text)
    if kind == "programme":
        # the programme may be loaded after the grant (its manager loads its files)
        if not re.fullmatch(PROGRAMME_ID_PATTERN, value):
            raise GrantError("auth.error.bad_programme", value=value)
        return "programme", value
    if kind == "region":
        wanted = value.zfill(2) if value.isdigit() else value
        found = db.run(con, "access/resolve_region", value=wanted)["id"].to_list()
        if len(found) != 1:
            raise GrantError("auth.error.unknown_region", value=value)
        return "region", found[0]
    if kind == "cohort":
        try:
            year, yta = parse_cohort(value)
        except ValueError:
            raise GrantError("auth.error.bad_cohort", value=value) from None
        if yta and not db.run(con, "access/yta_exists", yta_id=yta).item(0, 0):
            raise GrantError("auth.error.bad_cohort", value=value)
        return "cohort", f"{year}/{yta}" if yta else str(year)
    if db.run(con, "access/team_unit_ids", team_ids=[value]).is_empty():
        raise GrantError("auth.error.unknown_team", value=value)
    return "team", value


def make_grant(con: duckdb.DuckDBPyConnection, email: str, role: str, scope: str) -> Grant:
    role = (role or "").strip().lower()
    email = normalise_email(email)
    kind, value = parse_scope(con, role, scope)
    return Grant(email, role, kind, value)


def grants_of(con: duckdb.DuckDBPyConnection, email: str) -> list[Grant]:
    frame = db.run(con, "access/user_grants", email=email)
    return [Grant(email.strip().lower(), *row) for row in frame.iter_rows()]


def list_users(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return db.run(con, "access/users")


def access_version(con: duckdb.DuckDBPyConnection) -> int:
    """Moves on every change of users or grants, so cached scopes are recomputed."""
    frame = db.run(con, "meta/get", key=ACCESS_VERSION)
    return 0 if frame.is_empty() else int(frame.item(0, 0))


def bump_access_version(con: duckdb.DuckDBPyConnection) -> None:
    current = db.scalar(con, "meta/get", key=ACCESS_VERSION)
    db.set_meta(con, ACCESS_VERSION, str(int(current or 0) + 1))


def user_exists(con: duckdb.DuckDBPyConnection, email: str) -> bool:
    return bool(db.scalar(con, "access/user_exists", email=email))


def upsert_user(con: duckdb.DuckDBPyConnection, email: str, display_name: str | None, by: str) -> bool:
    """Add a user or rename one, inside the caller's transaction; the audit log records a new user.
    True when the user is new."""
    existed = user_exists(con, email)
    db.execute(con, "access/upsert_user", email=email, display_name=display_name or None, by=by)
    if not existed:
        record(con, by, "user_add", email, name=display_name or "")
    return not existed


def grant(con: duckdb.DuckDBPyConnection, email: str, role: str, scope: str = "all", *,
          by: str, display_name: str | None = None) -> Grant:
    """Give a user a role over a scope (adding the user if new); audited. Raises `GrantError`."""
    new = make_grant(con, email, role, scope)
    with db.transaction(con):
        upsert_user(con, new.email, display_name, by)
        if new not in grants_of(con, new.email):
            db.execute(con, "access/insert_grant", email=new.email, role=new.role, scope_kind=new.scope_kind,
                       scope_value=new.scope_value, by=by)
            record(con, by, "role_grant", new.email, role=new.role, scope=new.scope_text)
        bump_access_version(con)
    return new


def revoke(con: duckdb.DuckDBPyConnection, email: str, role: str, scope_kind: str, scope_value: str, *,
           by: str) -> bool:
    """Take one grant away; True when it existed. Audited."""
    email = normalise_email(email)
    target = Grant(email, role, scope_kind, scope_value)
    with db.transaction(con):
        if target not in grants_of(con, email):
            return False
        db.execute(con, "access/delete_grant", email=email, role=role, scope_kind=scope_kind,
                   scope_value=scope_value)
        record(con, by, "role_revoke", email, role=role, scope=target.scope_text)
        bump_access_version(con)
    return True


def remove_user(con: duckdb.DuckDBPyConnection, email: str, *, by: str) -> bool:
    """Remove a user and all their grants; True when the user existed. Audited."""
    email = normalise_email(email)
    with db.transaction(con):
        if not user_exists(con, email):
            return False
        for old in grants_of(con, email):
            record(con, by, "role_revoke", email, role=old.role, scope=old.scope_text)
        db.execute(con, "access/delete_user_grants", email=email)
        db.execute(con, "access/delete_user", email=email)
        record(con, by, "user_remove", email)
        bump_access_version(con)
    return True

