"""The audit log: every change of users and roles and every sign-in, written as an `audit_event`
row with its detail as JSON fields, and read back together with the loads and undos the loader
keeps in the `load` table (`audit_events`), in the user's language."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb
import polars as pl

from vetopito import db, i18n
from vetopito.access.scope import ROLES
from vetopito.export import tables

AUDIT_COLUMNS = ("happened_at", "user_name", "action", "target", "detail")


def record(con: duckdb.DuckDBPyConnection, user_name: str, action: str, target: str, **detail: Any) -> None:
    """Write one audit row on this connection (inside the caller's transaction, if any). The detail
    is stored as JSON fields and put into words per language when shown (`audit_detail_text`)."""
    db.execute(con, "access/audit_record", id=db.next_ids(con, "audit_event"), user_name=user_name or "?", action=action, target=target,
               detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str))


def record_sign_in(con: duckdb.DuckDBPyConnection, email: str, roles=()) -> None:
    with db.transaction(con):
        record(con, email, "sign_in", email, roles=sorted(roles))


def audit_events(con: duckdb.DuckDBPyConnection, max_rows: int = 100_000) -> pl.DataFrame:
    """Every load, undo, user and role change and sign-in, newest first."""
    return db.run(con, "access/audit_events", max_rows=max_rows)


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
        return i18n.t(f"auth.role.{value}", lang) if value in ROLES else str(value)
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
    return tables.to_csv(audit_for_display(frame, lang))

