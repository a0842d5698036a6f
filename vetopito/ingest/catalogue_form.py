"""The catalogue written as files: its export as an indicators CSV, and the rows the forms make
(the catalogue page's indicator and definition-change forms, the team page's measure form), so
that every form goes through the loader's own check, plan and commit (`ingest/indicators.py`).

The export writes the indicators a user sees (`access.Scope.indicator_ids`; everything with no
scope) with every text cell formula-neutralised (`export.safe`); the indicators format drops that
apostrophe again (`indicators.unquote`), so the export loads back with nothing to change."""

from __future__ import annotations

import io
import re
import unicodedata

import polars as pl

from vetopito import i18n
from vetopito.export.safe import neutralise
from vetopito.ingest.indicators import (
    AGGREGATIONS,
    CHANGE_COLUMNS,
    COLUMNS,
    DIRECTIONS,
    SCOPE_KINDS,
    THEMES,
    UNIT_CODES,
    stored_indicators,
)

EMPTY = "—"


def export_rows(con, scope=None) -> pl.DataFrame:
    """The stored catalogue as an indicators file reads it back: English headers (`COLUMNS`), a
    fallback name written empty (so that it stays a fallback), `seasonal` as yes/no, the scope
    value empty for a national indicator; only the indicators `scope` sees."""
    rows = []
    for r in stored_indicators(con).values():
        if scope is not None and not scope.sees_indicator(r["id"]):
            continue
        out = {c: r.get(c) for c in COLUMNS}
        for lang in ("sv", "en"):
            if not r[f"name_{lang}_given"]:
                out[f"name_{lang}"] = None
        out["seasonal"] = "yes" if r["seasonal"] else "no"
        out["scope_value"] = r["scope_value"] or None
        rows.append({c: None if v is None or v == "" else str(v) for c, v in out.items()})
    return pl.DataFrame(rows, schema={c: pl.String for c in COLUMNS}, orient="row")


def export_csv(con, scope=None) -> bytes:
    """The catalogue as an indicators CSV (UTF-8, comma separated), formula-neutralised."""
    return neutralise(export_rows(con, scope)).write_csv().encode("utf-8")


# --- the catalogue page's form -----------------------------------------------------------------------

CHOICES = {"theme": THEMES, "unit": UNIT_CODES, "direction": DIRECTIONS, "aggregation": AGGREGATIONS,
           "seasonal": ("no", "yes"), "scope_kind": SCOPE_KINDS}


def slug(text: str, prefix: str = "") -> str:
    """An indicator id made of a name: `Ylityötunnit / hlö / kk` → `ylityotunnit_hlo_kk`
    (with `prefix` and `_` before it; a name with no letters gives `mittari`)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    body = re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "mittari"
    out = f"{prefix}_{body}" if prefix else body
    if not out[0].isalpha():
        out = f"m_{out}"
    return out[:63].rstrip("_")


def form_values(con, indicator_id: str | None, scope=None, new_name: str | None = None) -> dict[str, str | None]:
    """What the form starts from: the stored indicator as its export row (a fallback name empty),
    or a new indicator (named `new_name` when the upload page's "create a new indicator" link
    passed one: that name as its Finnish name and its id made of it)."""
    if indicator_id:
        rows = export_rows(con, scope).filter(pl.col("id") == indicator_id)
        if rows.height:
            return rows.row(0, named=True)
    empty: dict[str, str | None] = {c: None for c in COLUMNS}
    empty.update(theme=THEMES[0], unit=UNIT_CODES[0], direction=DIRECTIONS[0], decimals="1",
                 aggregation=AGGREGATIONS[0], seasonal="no", scope_kind="national")
    if new_name and new_name.strip():
        empty.update(name_fi=new_name.strip()[:200], id=slug(new_name))
    return empty


def _csv(columns: tuple[str, ...], values: dict[str, str | None]) -> bytes:
    row = {c: (str(values.get(c)).strip() if values.get(c) is not None else None) or None for c in columns}
    return pl.DataFrame([row], schema={c: pl.String for c in columns}).write_csv().encode("utf-8")


def saved_id(file: bytes) -> str | None:
    """The indicator id of a one-row indicators file a form made (`form_csv`)."""
    frame = pl.read_csv(io.BytesIO(file), infer_schema=False)
    return frame["id"][0] if "id" in frame.columns and frame.height == 1 else None


def form_csv(values: dict[str, str | None]) -> bytes:
    """The one-row indicators file the form's fields make: the same row the CSV would hold, so
    that the form goes through the same check, plan and commit."""
    return _csv(COLUMNS, values)


def change_csv(values: dict[str, str | None]) -> bytes:
    """The one-row definition-changes file of the catalogue form's dated change (indicator,
    valid_from, note_fi, note_sv, note_en)."""
    return _csv(CHANGE_COLUMNS, values)


def team_measure_csv(team_id: str, values: dict[str, str | None]) -> bytes:
    """The one-row indicators file of a team's own measure (the team page's form: names, unit,
    direction, decimals): scope = that team, an id made of the team and the Finnish name, the
    development theme, not aggregated over units, the team as its source."""
    name = (values.get("name_fi") or "").strip()
    row = {c: values.get(c) for c in ("name_fi", "name_sv", "name_en", "unit", "direction", "decimals")}
    row.update(id=values.get("id") or (slug(name, slug(team_id)) if name else None), theme="development",
               aggregation="none", source=i18n.t("team.measure_form.source", "fi", team=team_id),
               scope_kind="team", scope_value=team_id)
    return _csv(COLUMNS, row)


def _shown(column: str, value: str | None, lang: str) -> str:
    if value is None or value == "":
        return EMPTY
    if column in CHOICES and value in CHOICES[column]:
        return i18n.t(f"catalog.choice.seasonal.{value}", lang) if column == "seasonal" \
            else i18n.t(f"catalog.{column}.{value}", lang)
    return value


def plan_table(con, plan: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The plan of a form's row for people: field (its label in `lang`), stored value, new value
    (the fields that change; every given field of a new indicator; `—` for none, a choice by its
    name)."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    stored = {r["id"]: r for r in export_rows(con).iter_rows(named=True)}
    out = []
    for row in plan.filter(pl.col("status") != "unchanged").rename({"indicator_id": "id"}).iter_rows(named=True):
        old = stored.get(row["id"], {})
        new = {c: row.get(c) for c in COLUMNS}
        for lang_ in ("sv", "en"):
            if not row[f"name_{lang_}_given"]:
                new[f"name_{lang_}"] = None
        if new.get("scope_kind") == "national":
            new["scope_value"] = None
        if not old:
            old = {}
        for column in COLUMNS:
            before, after = old.get(column), new[column]
            if column == "scope_kind" and not old:
                before = None
            if before != after:
                out.append({"field": i18n.t(f"catalog.form.field.{column}", lang),
                            "before": _shown(column, before, lang), "after": _shown(column, after, lang)})
    return pl.DataFrame(out, schema={"field": pl.String, "before": pl.String, "after": pl.String}, orient="row")
