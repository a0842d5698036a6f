"""The catalogue: indicators, their dated definition changes and the reference units.

`ensure_reference(con)` loads `data/reference/` (indicators, definition changes, the
country, the five collaborative areas, the 22 regions with boundaries and every alias an
extract may use for them) into the database in one transaction. It is idempotent and
cheap: a checksum of the reference files kept in `meta` skips the work when nothing
changed. The read functions below serve pages and the loader.

Unit ids: `FI`, `YTA1`…`YTA5`, `HVA01`…`HVA21`, `HVA90` (code `01`…`21`, `90`).
`unit.boundary_geojson` holds the region's GeoJSON *geometry* object as text
(MultiPolygon/Polygon, WGS84 lon/lat).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vetopito import access, db, i18n

REFERENCE = db.ROOT / "data" / "reference"
REGIONS_DIR = REFERENCE / "regions"
REFERENCE_FILES = (
    REFERENCE / "indicators.csv",
    REFERENCE / "indicator_definition_changes.csv",
    REFERENCE / "unit_aliases.csv",
    REGIONS_DIR / "regions.csv",
    REGIONS_DIR / "yta.csv",
    REGIONS_DIR / "hyvinvointialueet.geojson",
)
# The shipped catalogue as the demo database's first loads (an `indicators` and a
# `definition_changes` load), in this order.
CATALOGUE_FILES = (REFERENCE / "indicators.csv", REFERENCE / "indicator_definition_changes.csv")
META_KEY = "reference_sha256"
COUNTRY_ID = "FI"
COUNTRY_SOTKANET_ID = "658"

INDICATOR_COLUMNS = (
    "id", "name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en", "theme", "unit",
    "direction", "decimals", "aggregation", "min_persons", "definition_fi", "definition_sv",
    "definition_en", "source", "licence", "sotkanet_id", "sort_order", "seasonal",
)
# `seasonal`: `yes` for an indicator with a known yearly pattern (sick leave peaks in winter,
# access to care dips in summer): the region page judges it on deseasonalised values
# (`vetopito.stats.season.deseasonalise`). Kept in the table `indicator_seasonality` (DuckDB cannot
# add a column to `indicator`, which other tables reference).
SEASONAL_VALUES = ("yes", "no")
THEMES = ("access", "wellbeing", "retention", "development")
UNITS = ("pct", "days", "count", "days_per_person_year", "hours", "score", "persons", "hours_per_person_month",
         "per_1000", "yes_no")
DIRECTIONS = ("higher", "lower", "neutral")
AGGREGATIONS = ("ratio", "sum", "mean", "none")

_SUFFIXES = re.compile(r"\b(hyvinvointialueen|hyvinvointialue|välfärdsområdet|välfärdsområde|"
                       r"wellbeing services county|welfare area)\b")


def region_id(code: str) -> str:
    """`'15'` → `'HVA15'`."""
    return f"HVA{code}"


def yta_id(code: str | int) -> str:
    return f"YTA{int(code)}"


def normalise_alias(text: Any) -> str:
    """The form in which unit names are matched: lower case, no "hyvinvointialue" /
    "välfärdsområde" / "wellbeing services county", single spaces.

    `'Keski-Suomen hyvinvointialue'` → `'keski-suomen'`, `' Siun  sote '` → `'siun sote'`.
    The loader must normalise what it reads with this same function.
    """
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ").strip().lower()
    text = _SUFFIXES.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip(" -,.;")


def name_column(lang: str | None = None, prefix: str = "name") -> str:
    """`name_fi` / `name_sv` / `name_en` for the given (or current) language."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    return f"{prefix}_{lang}"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _blank_to_none(row: dict[str, str]) -> dict[str, str | None]:
    return {k: (v if v != "" else None) for k, v in row.items()}


def reference_checksum() -> str:
    digest = hashlib.sha256()
    for path in REFERENCE_FILES:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def indicator_frame() -> pl.DataFrame:
    rows = [_blank_to_none(r) for r in _read_csv(REFERENCE / "indicators.csv")]
    return pl.DataFrame(rows, schema={c: pl.String for c in INDICATOR_COLUMNS}, orient="row")


def definition_change_frame() -> pl.DataFrame:
    cols = ("indicator_id", "valid_from", "note_fi", "note_sv", "note_en")
    rows = [{c: r[c] for c in cols} for r in _read_csv(REFERENCE / "indicator_definition_changes.csv")]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols}, orient="row")


_UNIT_COLUMNS = ("id", "kind", "parent_id", "code", "name_fi", "name_sv", "name_en", "short_fi",
                 "short_sv", "short_en", "boundary_geojson", "population", "sort_order")


def unit_rows() -> list[dict[str, Any]]:
    """The country, the five YTA and the 22 regions, parents before children."""
    regions = _read_csv(REGIONS_DIR / "regions.csv")
    ytas = _read_csv(REGIONS_DIR / "yta.csv")
    with (REGIONS_DIR / "hyvinvointialueet.geojson").open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    geometry = {f["properties"]["code"]: json.dumps(f["geometry"], separators=(",", ":"))
                for f in features}
    total = sum(int(r["population"]) for r in regions)
    rows: list[dict[str, Any]] = [{
        "id": COUNTRY_ID, "kind": "country", "parent_id": None, "code": "FI",
        "name_fi": "Koko maa", "name_sv": "Hela landet", "name_en": "Whole country",
        "short_fi": "Koko maa", "short_sv": "Hela landet", "short_en": "Finland",
        "boundary_geojson": None, "population": total, "sort_order": 0,
    }]
    for y in ytas:
        rows.append({
            "id": yta_id(y["code"]), "kind": "yta", "parent_id": COUNTRY_ID, "code": y["code"],
            "name_fi": y["name_fi"], "name_sv": y["name_sv"], "name_en": y["name_en"],
            "short_fi": y["name_fi"].replace(" yhteistyöalue", " YTA"),
            "short_sv": y["name_sv"].replace(" samarbetsområde", ""),
            "short_en": y["name_en"].replace(" collaborative area", ""),
            "boundary_geojson": None, "population": int(y["population"]), "sort_order": int(y["code"]),
        })
    for r in regions:
        rows.append({
            "id": region_id(r["code"]), "kind": "region", "parent_id": yta_id(r["yta"]), "code": r["code"],
            "name_fi": r["name_fi"], "name_sv": r["name_sv"], "name_en": r["name_en"],
            "short_fi": r["name_short_fi"], "short_sv": r["name_short_sv"], "short_en": r["name_short_en"],
            "boundary_geojson": geometry[r["code"]], "population": int(r["population"]),
            "sort_order": 100 + int(r["code"]),
        })
    return rows


def alias_rows(units: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every alias of the reference units, normalised; one row per (alias_norm, unit)."""
    units = units if units is not None else unit_rows()
    regions = {r["code"]: r for r in _read_csv(REGIONS_DIR / "regions.csv")}
    stat_source = "Statistics Finland classification (data/reference/regions/SOURCES.md)"
    out: dict[tuple[str, str], dict[str, Any]] = {}

    def add(alias: str, unit: str, kind: str, source: str | None) -> None:
        norm = normalise_alias(alias)
        if norm and (norm, unit) not in out:
            out[(norm, unit)] = {"alias_norm": norm, "unit_id": unit, "alias": alias,
                                 "alias_kind": kind, "source": source}

    for u in units:
        if u["kind"] == "region":
            add(u["id"], u["id"], "statfin", "Statistics Finland PxWeb region code (formats.md §3d)")
            add(u["code"], u["id"], "code", stat_source)
            if u["code"].startswith("0"):
                add(u["code"].lstrip("0"), u["id"], "code", stat_source)
            sotkanet = regions[u["code"]]["sotkanet_id"]
            add(sotkanet, u["id"], "sotkanet", "rOpenGov/sotkanet sotkanet_hyvinvointialueet.csv (uusi_id)")
        else:
            add(u["id"], u["id"], "id", None)
        for lang in i18n.LANGUAGES:
            add(u[f"name_{lang}"], u["id"], "official", stat_source if u["kind"] != "country" else None)
        for lang in i18n.LANGUAGES:
            add(u[f"short_{lang}"], u["id"], "short", "regions.csv name_short_* (SOURCES.md)"
                if u["kind"] == "region" else None)
    for row in _read_csv(REFERENCE / "unit_aliases.csv"):
        source = row["source"] or f"established use: {row['note']}".rstrip(": ")
        add(row["alias"], row["unit_id"], row["alias_kind"], source)
    return list(out.values())


def ensure_reference(con: duckdb.DuckDBPyConnection, *, force: bool = False,
                     own_transaction: bool = True, indicators: bool = True) -> bool:
    """Load or update the reference data; return True when something was written.

    Runs in a transaction of its own; a caller that already holds one passes
    `own_transaction=False` (DuckDB cannot tell, and a second `begin` aborts the first).
    `indicators=False` leaves the catalogue (indicators and their definition changes) alone: the
    demo database (`demo.build_database`, `vetopito init`) loads it as its first loads, through the
    `indicators` and `definition_changes` formats (`CATALOGUE_FILES`).
    """
    checksum = reference_checksum()
    if not force and db.get_meta(con, META_KEY) == checksum:
        return False
    units = unit_rows()
    frames = {
        "ref_indicator": indicator_frame(),
        "ref_definition_change": definition_change_frame(),
        "ref_alias": pl.DataFrame(alias_rows(units), orient="row"),
    }
    levels = [pl.DataFrame([u for u in units if u["kind"] == kind],
                           schema={c: (pl.Int64 if c in ("population", "sort_order") else pl.String)
                                   for c in _UNIT_COLUMNS}, orient="row")
              for kind in ("country", "yta", "region")]
    own = own_transaction
    if own:
        con.begin()
    try:
        for name, frame in frames.items():
            con.register(name, frame)
        con.register("ref_unit", pl.concat(levels))
        if indicators:
            db.execute(con, "catalog/sync/upsert_indicators")
            db.execute(con, "catalog/sync/upsert_indicator_seasonality")
            db.execute(con, "catalog/sync/delete_stale_definition_changes")
            db.execute(con, "catalog/sync/upsert_definition_changes")
        for level in levels:
            con.register("ref_unit", level)
            db.execute(con, "catalog/sync/insert_units")
            db.execute(con, "catalog/sync/update_units")
        con.register("ref_unit", pl.concat(levels))
        db.execute(con, "catalog/sync/delete_stale_aliases")
        db.execute(con, "catalog/sync/upsert_aliases")
        db.set_meta(con, META_KEY, checksum)
    except BaseException:
        if own:
            con.rollback()
        raise
    finally:
        for name in (*frames, "ref_unit"):
            try:
                con.unregister(name)
            except duckdb.Error:
                pass
    if own:
        con.commit()
    return True


def indicators(con: duckdb.DuckDBPyConnection, scope: access.Scope | None = None) -> pl.DataFrame:
    """The indicators `scope` sees (default: every one, for the library and the command line)."""
    return access.run_scoped(con, "catalog/indicators", scope or access.full_scope(con))


def indicator(con: duckdb.DuckDBPyConnection, indicator_id: str) -> dict[str, Any] | None:
    """One indicator's catalogue row (a few dozen rows: filtered here, not by a second query)."""
    frame = indicators(con).filter(pl.col("id") == indicator_id)
    return None if frame.is_empty() else frame.row(0, named=True)


DEFINITION_CHANGE_COLUMNS = ("indicator_id", "valid_from", "note_fi", "note_sv", "note_en")


def definition_changes(con: duckdb.DuckDBPyConnection, indicator_id: str) -> pl.DataFrame:
    """The dated definition changes of one indicator, oldest first."""
    return access.run_scoped(con, "catalog/definition_changes", access.full_scope(con),
                             indicator=indicator_id).select(DEFINITION_CHANGE_COLUMNS)


def regions(con: duckdb.DuckDBPyConnection, scope: access.Scope | None = None) -> pl.DataFrame:
    """The regions within `scope` (default: everything, for the library and the command line)."""
    return access.run_scoped(con, "catalog/regions", scope or access.full_scope(con))


def unit_aliases(con: duckdb.DuckDBPyConnection, scope: access.Scope | None = None) -> pl.DataFrame:
    return access.run_scoped(con, "catalog/unit_aliases", scope or access.full_scope(con))


def indicator_name(row: dict[str, Any], lang: str) -> str:
    """An indicator's name in `lang`, marked as the Finnish one where no translation was given."""
    if lang != "fi" and not row.get(f"name_{lang}_given", True):
        return i18n.t("catalog.fallback_name", lang, name=row["name_fi"])
    return row[f"name_{lang}"]


def indicator_loads_table(frame: pl.DataFrame, names: dict[str, str], lang: str | None = None) -> pl.DataFrame:
    """Which loads created or changed each indicator (`pages/catalog/indicator_loads`), for people."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    t = i18n.t
    rows = [{
        t("catalog.col.indicator", lang): names.get(r["indicator_id"], r["indicator_id"]),
        t("catalog.col.id", lang): r["indicator_id"],
        t("catalog.col.action", lang): t(f"catalog.load_action.{r['action']}", lang),
        t("catalog.col.load", lang): r["load_id"],
        t("catalog.col.file", lang): r["file_name"],
        t("catalog.col.user", lang): r["user_name"],
    } for r in frame.iter_rows(named=True)]
    return pl.DataFrame(rows, orient="row") if rows else pl.DataFrame()


def scope_text(row: dict[str, Any], lang: str | None = None) -> str:
    """An indicator's scope for people: `kansallinen`, `alueen oma: HVA14`, `tiimin oma: T2024-01`."""
    kind = row.get("scope_kind") or "national"
    shown = i18n.t(f"catalog.scope_kind.{kind}", lang)
    return shown if kind == "national" else i18n.t("catalog.scope_of", lang, kind=shown, owner=row["scope_value"])


def editable_ids(frame: pl.DataFrame, scope: access.Scope) -> list[str]:
    """The ids of the indicators of `frame` (`catalog/indicators`) this user may edit."""
    return [r["id"] for r in frame.iter_rows(named=True)
            if scope.may_define(r.get("scope_kind") or "national", r.get("scope_value") or "")]


def _by_indicator(frame: pl.DataFrame | None, text) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for r in (frame.iter_rows(named=True) if frame is not None else ()):
        out.setdefault(r["indicator_id"], []).append(text(r))
    return {k: "; ".join(v) for k, v in out.items()}


def catalogue_table(frame: pl.DataFrame, lang: str | None = None, theme: str | None = None, *,
                    aliases: pl.DataFrame | None = None, changes: pl.DataFrame | None = None) -> pl.DataFrame:
    """The catalogue as a table for people: names, scope, unit, direction, aggregation, definition,
    source and licence, with localised headers and values, and (when given) the names sources use
    for each (`aliases`: `pages/catalog/indicator_aliases`) and its dated definition changes
    (`changes`: `catalog/definition_changes`); optionally one theme only."""
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    t = i18n.t
    alias_text = _by_indicator(aliases, lambda r: str(r["alias"]))
    change_text = _by_indicator(changes, lambda r: f"{i18n.fmt_date(r['valid_from'], lang)}: {r[f'note_{lang}']}")
    rows = []
    for r in frame.iter_rows(named=True):
        if theme and r["theme"] != theme:
            continue
        extra = {}
        if aliases is not None:
            extra[t("catalog.col.aliases", lang)] = alias_text.get(r["id"])
        if changes is not None:
            extra[t("catalog.col.changes", lang)] = change_text.get(r["id"])
        rows.append({
            t("catalog.col.indicator", lang): indicator_name(r, lang),
            t("catalog.col.id", lang): r["id"],
            t("catalog.col.scope", lang): scope_text(r, lang),
            t("catalog.col.theme", lang): t(f"catalog.theme.{r['theme']}", lang),
            t("catalog.col.unit", lang): t(f"catalog.unit.{r['unit']}", lang),
            t("catalog.col.direction", lang): t(f"catalog.direction.{r['direction']}", lang),
            t("catalog.col.aggregation", lang): t(f"catalog.aggregation.{r['aggregation']}", lang),
            t("catalog.col.min_persons", lang): r["min_persons"],
            t("catalog.col.definition", lang): r[f"definition_{lang}"],
            t("catalog.col.source", lang): r["source"],
            t("catalog.col.licence", lang): r["licence"],
            **extra,
        })
    return pl.DataFrame(rows, orient="row") if rows else pl.DataFrame()


def definition_change_table(frame: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    lang = lang if lang in i18n.LANGUAGES else i18n.get_language()
    t = i18n.t
    rows = [{
        t("catalog.col.indicator", lang): r[f"name_{lang}"],
        t("catalog.col.valid_from", lang): i18n.fmt_date(r["valid_from"], lang),
        t("catalog.col.note", lang): r[f"note_{lang}"],
    } for r in frame.iter_rows(named=True)]
    return pl.DataFrame(rows, orient="row") if rows else pl.DataFrame()
