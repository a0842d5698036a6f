"""The catalogue as loads: the `indicators` format (one row per indicator, the columns of
`data/reference/indicators.csv` with Finnish, Swedish or English headers) and the
`definition_changes` format (one row per dated definition change).

Dated definition changes are a file of their own, one row per change (`indicator, valid_from,
note_fi, note_sv, note_en`), as `data/reference/indicator_definition_changes.csv` is: an indicator
may have several changes, and an analyst writes them in Excel as rows under one another; as
columns of the indicator row an indicator would need a column group per change.

Every cell is checked here with the loader's row/column/value/expected problems; an edit that
would change what loaded values mean (unit, aggregation, direction) is refused while values of the
indicator are stored. What `indicator` cannot hold (DuckDB cannot alter a referenced table) lives
beside it in `indicator_detail` (migration 016): the catalogue's own unit code (`UNIT_CODES`, of
which the three new ones are stored in `indicator.unit` as the nearest code the value checks know,
`BASE_UNIT`), the minimum of respondents, and whether the Swedish and English names were given (a
missing one is stored as the Finnish name and marked as a fallback where shown). Undo goes through
`history.TRACKED` (`indicator`, `indicator_detail`, `indicator_seasonality`,
`indicator_definition_change`)."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import polars as pl

from vetopito import db, i18n
from vetopito.ingest import history
from vetopito.ingest.history import blockers_by
from vetopito.ingest.parsing import Context, Format, Parsed, registered
from vetopito.ingest.problems import ERROR_SCHEMA, no_problems
from vetopito.ingest.read import Table
from vetopito.ingest.values import parse_period

# The columns of an indicators file in the order the export writes them (English headers).
COLUMNS = (
    "id", "name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en", "theme", "unit",
    "direction", "decimals", "aggregation", "min_persons", "min_respondents", "definition_fi",
    "definition_sv", "definition_en", "source", "licence", "sotkanet_id", "sort_order", "seasonal",
)
REQUIRED = ("id", "name_fi", "theme", "unit", "direction", "decimals", "aggregation", "source")

# Finnish and Swedish headers (compared without case, diacritics, spaces or punctuation).
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "tunnus", "mittarin tunnus", "kod", "indikator id"),
    "name_fi": ("name_fi", "nimi_fi", "nimi", "namn_fi"),
    "name_sv": ("name_sv", "nimi_sv", "namn_sv", "namn"),
    "name_en": ("name_en", "nimi_en", "namn_en"),
    "short_fi": ("short_fi", "lyhyt_fi", "lyhyt nimi_fi", "kort_fi"),
    "short_sv": ("short_sv", "lyhyt_sv", "lyhyt nimi_sv", "kort_sv", "kortnamn"),
    "short_en": ("short_en", "lyhyt_en", "lyhyt nimi_en", "kort_en"),
    "theme": ("theme", "teema", "tema"),
    "unit": ("unit", "yksikkö", "mittayksikkö", "enhet", "måttenhet"),
    "direction": ("direction", "suunta", "riktning"),
    "decimals": ("decimals", "desimaalit", "decimaler"),
    "aggregation": ("aggregation", "yhteenlasku", "summering", "aggregering"),
    "min_persons": ("min_persons", "vähintään henkilöitä", "min henkilöt", "minst personer"),
    "min_respondents": ("min_respondents", "vähintään vastaajia", "min vastaajat", "minst svarande"),
    "definition_fi": ("definition_fi", "määritelmä_fi", "määritelmä", "definition"),
    "definition_sv": ("definition_sv", "määritelmä_sv"),
    "definition_en": ("definition_en", "määritelmä_en"),
    "source": ("source", "lähde", "källa"),
    "licence": ("licence", "license", "lisenssi", "licens"),
    "sotkanet_id": ("sotkanet_id", "sotkanet", "sotkanet tunnus", "sotkanet id"),
    "sort_order": ("sort_order", "järjestys", "ordning"),
    "seasonal": ("seasonal", "kausivaihtelu", "säsongsvariation", "säsong"),
}

# The catalogue's units, the closed list of the format, and the words a file may use for each.
UNIT_CODES = ("pct", "days", "count", "hours_per_person_month", "days_per_person_year", "per_1000", "score",
              "yes_no", "hours", "persons")
_UNIT_WORDS = {
    "pct": ("%", "pct", "prosentti", "prosenttia", "procent", "percent", "per cent"),
    "days": ("days", "päivää", "päivät", "pv", "vrk", "dagar", "dygn"),
    "count": ("count", "lukumäärä", "lkm", "antal", "number"),
    "hours_per_person_month": ("hours_per_person_month", "hours per person per month", "h/hlö/kk",
                               "tuntia / henkilö / kk", "tuntia henkilöä kohden kuukaudessa",
                               "timmar per person och månad", "h/person/mån"),
    "days_per_person_year": ("days_per_person_year", "days per person-year", "days per person year",
                             "pv/htv", "päivää / henkilötyövuosi", "dagar / årsverke", "d/åv"),
    "per_1000": ("per_1000", "rate per 1 000", "rate per 1000", "per 1 000", "per 1000", "/1000", "‰",
                 "1 000 kohden", "1000 kohden", "promille", "per 1 000 invånare"),
    "score": ("score", "pistettä", "pisteet", "poäng"),
    "yes_no": ("yes_no", "yes/no", "kyllä/ei", "ja/nej"),
    "hours": ("hours", "tuntia", "h", "timmar"),
    "persons": ("persons", "henkilöä", "hlö", "personer"),
}
# `indicator.unit` keeps its CHECK list (001_core.sql): a new code is stored there as the nearest
# code the value checks know (ingest/values.py, observation_checks.py: hours are non-negative, a
# yes/no is a whole count 0 or 1, a rate per 1 000 is not whole), the code itself in indicator_detail.
BASE_UNIT = {"hours_per_person_month": "hours", "per_1000": "score", "yes_no": "count"}
THEMES = ("access", "wellbeing", "retention", "development")
_THEME_WORDS = {
    "access": ("access", "hoitoonpääsy", "saatavuus", "tillgång"),
    "wellbeing": ("wellbeing", "hyvinvointi", "työhyvinvointi", "välbefinnande"),
    "retention": ("retention", "pitovoima", "henkilöstö", "personal", "kvarhållande"),
    "development": ("development", "kehittäminen", "utveckling"),
}
DIRECTIONS = ("higher", "lower", "neutral")
_DIRECTION_WORDS = {
    "higher": ("higher", "higher is better", "suurempi", "suurempi on parempi", "högre", "högre är bättre"),
    "lower": ("lower", "lower is better", "pienempi", "pienempi on parempi", "lägre", "lägre är bättre"),
    "neutral": ("neutral", "ei suuntaa", "ingen riktning", "none"),
}
AGGREGATIONS = ("ratio", "sum", "mean", "none")
_AGGREGATION_WORDS = {
    "ratio": ("ratio", "ratio of sums", "summien suhde", "osoittajien ja nimittäjien summien suhde",
              "kvot", "kvoten av summorna"),
    "sum": ("sum", "summa"),
    "mean": ("mean", "keskiarvo", "medelvärde", "average"),
    "none": ("none", "ei", "ei lasketa yhteen", "summeras inte", "ingen", "not aggregated"),
}
_YES_NO = {"yes": ("yes", "kyllä", "k", "ja", "true", "1"), "no": ("no", "ei", "e", "nej", "false", "0")}
# Changing these changes what values already loaded mean.
MEANING = ("unit", "aggregation", "direction")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,62}")
MAX_DECIMALS = 3


def fold(text: str) -> str:
    """A header or word as it is compared: lower case, no diacritics, only letters, digits, %, ‰."""
    text = unicodedata.normalize("NFKD", str(text).replace("\u00a0", " ").strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9%‰]", "", text)


def _words(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(word): code for code, words in mapping.items() for word in (code, *words)}


_HEADER_OF = _words(HEADERS)
_UNITS_OF, _THEMES_OF = _words(_UNIT_WORDS), _words(_THEME_WORDS)
_DIRECTIONS_OF, _AGGREGATIONS_OF, _YES_NO_OF = _words(_DIRECTION_WORDS), _words(_AGGREGATION_WORDS), _words(_YES_NO)


def header_map(header: list[str]) -> dict[str, int]:
    """The catalogue column each header cell names: {column: index} (first one wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = _HEADER_OF.get(fold(cell))
        if column is not None and column not in found:
            found[column] = index
    return found


def _note_ignored(table: Table, ctx: Context, found: dict[str, int]) -> None:
    """No column is dropped without a word: the headers this format does not read, in a note."""
    used = set(found.values())
    ignored = [h for i, h in enumerate(table.header) if i not in used and h.strip()]
    if ignored:
        ctx.notes.append(i18n.t("ingest.note.catalogue_ignored_columns", ctx.lang,
                                columns=", ".join(f'"{h}"' for h in ignored)))


def detect_indicators(header, table, options) -> bool:
    found = header_map(table.header)
    return {"id", "name_fi", "unit", "direction"} <= set(found)


class _Problems:
    """Problems as rows of the loader's problem frame."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, row: int | None, column: str | None, value: Any, key: str, **fields: Any) -> None:
        self.rows.append({"row": row, "column": column, "value": None if value is None else str(value),
                          "key": key, "fields": json.dumps({k: str(v) for k, v in fields.items()},
                                                           ensure_ascii=False)})

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=ERROR_SCHEMA, orient="row") if self.rows else no_problems()


def _int_or_none(text: str | None) -> int | None:
    if text is None:
        return None
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    return int(cleaned) if re.fullmatch(r"[+-]?\d+", cleaned) else None


def _choice(p: _Problems, row: int, column: str, head: str, value: str | None, words: dict[str, str],
            key: str) -> str | None:
    if value is None:
        return None
    code = words.get(fold(value))
    if code is None:
        p.add(row, head, value, key)
    return code


def _may_load_catalogue(scope) -> bool:
    """The national catalogue is the analysts' and admins' (None: the command line, everything)."""
    return scope is None or (scope.can_load and scope.has_role("analyst", "admin"))


def stored_indicators(con) -> dict[str, dict[str, Any]]:
    """Every stored indicator as this format compares it, by id."""
    return {r["id"]: r for r in db.fetch(con, "catalog__indicator_state").iter_rows(named=True)}


def _canonical(row: dict[str, Any]) -> dict[str, str | None]:
    """A row's comparable fields as text (stored and incoming rows alike)."""
    out: dict[str, str | None] = {}
    for column in COLUMNS:
        value = row.get(column)
        if column == "seasonal":
            value = "yes" if value in (True, "yes") else "no"
        out[column] = None if value is None or value == "" else str(value)
    for lang in ("sv", "en"):
        out[f"name_{lang}_given"] = str(bool(row.get(f"name_{lang}_given", True)))
    return out


def parse_indicators(table: Table, ctx: Context) -> Parsed:
    found = header_map(table.header)
    heads = {column: table.header[index] for column, index in found.items()}
    _note_ignored(table, ctx, found)
    p = _Problems()
    for column in REQUIRED:
        if column not in found:
            p.add(None, column, None, "ingest.error.indicator_missing_column")
    stored = stored_indicators(ctx.con)
    may = _may_load_catalogue(ctx.scope)
    rows: list[dict[str, Any]] = []
    first: dict[str, int] = {}
    for record in table.frame.iter_rows(named=True):
        row = int(record["_row"])
        cell = {c: (record[f"c{i}"] or "").strip() or None for c, i in found.items()}
        before = len(p.rows)
        if not may:
            p.add(row, heads.get("id"), cell.get("id"), "ingest.error.indicator_no_right")
            continue
        for column in REQUIRED:
            if column in found and cell.get(column) is None:
                p.add(row, heads[column], None, "ingest.error.required")
        ind_id = cell.get("id")
        if ind_id is not None:
            if not ID_PATTERN.fullmatch(ind_id):
                p.add(row, heads["id"], ind_id, "ingest.error.indicator_id")
            elif ind_id in first:
                p.add(row, heads["id"], ind_id, "ingest.error.indicator_duplicate", first=first[ind_id])
            else:
                first[ind_id] = row
        unit = _choice(p, row, "unit", heads.get("unit", "unit"), cell.get("unit"), _UNITS_OF,
                       "ingest.error.indicator_unit")
        theme = _choice(p, row, "theme", heads.get("theme", "theme"), cell.get("theme"), _THEMES_OF,
                        "ingest.error.indicator_theme")
        direction = _choice(p, row, "direction", heads.get("direction", "direction"), cell.get("direction"),
                            _DIRECTIONS_OF, "ingest.error.indicator_direction")
        aggregation = _choice(p, row, "aggregation", heads.get("aggregation", "aggregation"),
                              cell.get("aggregation"), _AGGREGATIONS_OF, "ingest.error.indicator_aggregation")
        seasonal = _choice(p, row, "seasonal", heads.get("seasonal", "seasonal"), cell.get("seasonal"), _YES_NO_OF,
                           "ingest.error.indicator_seasonal") if cell.get("seasonal") else "no"
        decimals = _int_or_none(cell.get("decimals"))
        if cell.get("decimals") is not None and (decimals is None or not 0 <= decimals <= MAX_DECIMALS):
            p.add(row, heads["decimals"], cell["decimals"], "ingest.error.indicator_decimals")
        numbers: dict[str, int | None] = {}
        for column, key in (("min_persons", "ingest.error.indicator_minimum"),
                            ("min_respondents", "ingest.error.indicator_minimum"),
                            ("sotkanet_id", "ingest.error.indicator_integer"),
                            ("sort_order", "ingest.error.indicator_integer")):
            numbers[column] = _int_or_none(cell.get(column))
            bad = numbers[column] is None or (key.endswith("minimum") and numbers[column] < 1) \
                or (column == "sotkanet_id" and numbers[column] < 0)
            if cell.get(column) is not None and bad:
                p.add(row, heads[column], cell[column], key)
        old = stored.get(ind_id or "")
        if old is not None and old["has_values"]:
            for column, new in (("unit", unit), ("aggregation", aggregation), ("direction", direction)):
                if new is not None and new != old[column]:
                    p.add(row, heads[column], cell[column], "ingest.error.indicator_meaning_change",
                          stored=old[column])
        if len(p.rows) > before:
            continue
        name_fi = cell["name_fi"]
        sort_order = numbers["sort_order"]
        if sort_order is None:  # a new indicator without a place goes last
            sort_order = old["sort_order"] if old is not None else 1000 + row
        rows.append({
            "id": ind_id, "name_fi": name_fi,
            "name_sv": cell.get("name_sv") or name_fi, "name_en": cell.get("name_en") or name_fi,
            "name_sv_given": cell.get("name_sv") is not None, "name_en_given": cell.get("name_en") is not None,
            "short_fi": cell.get("short_fi"), "short_sv": cell.get("short_sv"), "short_en": cell.get("short_en"),
            "theme": theme, "unit": unit, "direction": direction, "decimals": str(decimals),
            "aggregation": aggregation,
            "min_persons": None if numbers["min_persons"] is None else str(numbers["min_persons"]),
            "min_respondents": None if numbers["min_respondents"] is None else str(numbers["min_respondents"]),
            "definition_fi": cell.get("definition_fi"), "definition_sv": cell.get("definition_sv"),
            "definition_en": cell.get("definition_en"), "source": cell["source"], "licence": cell.get("licence"),
            "sotkanet_id": None if numbers["sotkanet_id"] is None else str(numbers["sotkanet_id"]),
            "sort_order": str(sort_order), "seasonal": seasonal, "row_number": row,
        })
    errors = p.frame()
    bad_rows = set(errors["row"].drop_nulls().to_list())
    if errors.filter(pl.col("row").is_null()).height:
        rows = []
    frame = pl.DataFrame([r for r in rows if r["row_number"] not in bad_rows], schema=_ROW_SCHEMA, orient="row")
    return Parsed(rows=frame, errors=errors, layout="indicators", n_rows=table.frame.height)


_ROW_SCHEMA = {**{c: pl.String for c in COLUMNS}, "name_sv_given": pl.Boolean, "name_en_given": pl.Boolean,
               "row_number": pl.Int64}


def plan_indicators(con, rows: pl.DataFrame) -> pl.DataFrame:
    """The rows beside what is stored: `status` new / changed / unchanged, and which side tables
    already hold a row (`has_detail`, `has_seasonality`), for the commit's history."""
    stored = stored_indicators(con)
    statuses, details, seasons = [], [], []
    for row in rows.iter_rows(named=True):
        old = stored.get(row["id"])
        if old is None:
            statuses.append("new")
            details.append(False)
            seasons.append(False)
            continue
        statuses.append("unchanged" if _canonical(old) == _canonical(row) else "changed")
        details.append(bool(old["has_detail"]))
        seasons.append(bool(old["has_seasonality"]))
    # the id as `indicator_id`: the upload page's table of changes shows it as the indicator (an
    # `id` column would be read as a unit's, and `cycle.PLAN_UNIT_COLUMNS` checks `id` as a unit)
    return rows.with_columns(pl.Series("status", statuses, dtype=pl.String),
                             pl.Series("has_detail", details, dtype=pl.Boolean),
                             pl.Series("has_seasonality", seasons, dtype=pl.Boolean)).rename({"id": "indicator_id"})


def _keys(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return frame.select(pl.col("id").alias(column))


def commit_indicators(con, plan: pl.DataFrame, load_id: int) -> None:
    changes = plan.filter(pl.col("status") != "unchanged").rename({"indicator_id": "id"})
    if changes.is_empty():
        return
    changed = changes.filter(pl.col("status") == "changed")
    history.save(con, "indicator", load_id, changed)
    history.save(con, "indicator_detail", load_id, _keys(changes.filter(pl.col("has_detail")), "indicator_id"))
    history.save(con, "indicator_seasonality", load_id,
                 _keys(changes.filter(pl.col("has_seasonality")), "indicator_id"))
    with registered(con, "ref_indicator", changes.with_columns(pl.col("unit").replace(BASE_UNIT))):
        db.execute(con, "catalog__upsert_indicators")
        db.execute(con, "catalog__upsert_indicator_seasonality")
    with registered(con, "ref_indicator_detail", detail_frame(changes)):
        db.execute(con, "ingest__upsert_indicator_detail")
    history.record_created(con, "indicator", load_id, changes.filter(pl.col("status") == "new"))
    history.record_created(con, "indicator_detail", load_id,
                           _keys(changes.filter(~pl.col("has_detail")), "indicator_id"))
    history.record_created(con, "indicator_seasonality", load_id,
                           _keys(changes.filter(~pl.col("has_seasonality")), "indicator_id"))


def detail_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """The `indicator_detail` rows of catalogue rows (`ref_indicator_detail` of
    ingest__upsert_indicator_detail): the unit code, respondent minimum and given-name flags."""
    given = [c for c in ("name_sv_given", "name_en_given") if c not in rows.columns]
    rows = rows.with_columns(*(pl.lit(True).alias(c) for c in given))
    if "min_respondents" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, dtype=pl.String).alias("min_respondents"))
    return rows.select(pl.col("id").alias("indicator_id"), "unit", "min_respondents", "name_sv_given",
                       "name_en_given")


# The tables an indicators or definition-changes load writes, referring rows first; a created
# indicator is removed after the undo committed (DuckDB cannot delete a referenced row in the
# transaction that deleted the rows referring to it).
CATALOGUE_UNDO = history.Undo(("indicator_definition_change", "indicator_seasonality", "indicator_detail",
                               "indicator"), counted=("indicator", "indicator_definition_change"),
                              after_commit=("indicator",))

INDICATORS = Format("indicators", detect_indicators, parse_indicators, plan_indicators, commit_indicators,
                    CATALOGUE_UNDO.undo, blockers_by("ingest__indicator_undo_blockers"), priority=15,
                    after_undo=CATALOGUE_UNDO.after())


# --- dated definition changes --------------------------------------------------------------------

CHANGE_COLUMNS = ("indicator", "valid_from", "note_fi", "note_sv", "note_en")
CHANGE_HEADERS: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indicator_id", "mittari", "indikaattori", "mätare", "indikator"),
    "valid_from": ("valid_from", "voimassa alkaen", "alkaen", "muutospäivä", "giltig från", "från"),
    "note_fi": ("note_fi", "muutos_fi", "kuvaus_fi", "muutos", "ändring_fi"),
    "note_sv": ("note_sv", "muutos_sv", "kuvaus_sv", "ändring_sv", "ändring"),
    "note_en": ("note_en", "muutos_en", "kuvaus_en", "change_en", "change"),
}
_CHANGE_HEADER_OF = _words(CHANGE_HEADERS)


def change_header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = _CHANGE_HEADER_OF.get(fold(cell))
        if column is not None and column not in found:
            found[column] = index
    return found


def detect_changes(header, table, options) -> bool:
    return {"indicator", "valid_from", "note_fi"} <= set(change_header_map(table.header))


def parse_changes(table: Table, ctx: Context) -> Parsed:
    found = change_header_map(table.header)
    heads = {column: table.header[index] for column, index in found.items()}
    _note_ignored(table, ctx, found)
    p = _Problems()
    known = set(stored_indicators(ctx.con))
    may = _may_load_catalogue(ctx.scope)
    rows, first = [], {}
    for record in table.frame.iter_rows(named=True):
        row = int(record["_row"])
        cell = {c: (record[f"c{i}"] or "").strip() or None for c, i in found.items()}
        before = len(p.rows)
        if not may:
            p.add(row, heads["indicator"], cell.get("indicator"), "ingest.error.indicator_no_right")
            continue
        for column in ("indicator", "valid_from", "note_fi"):
            if cell.get(column) is None:
                p.add(row, heads[column], None, "ingest.error.required")
        ind = cell.get("indicator")
        if ind is not None and ind not in known:
            close = ", ".join(ctx.closest_indicators(ind)) or "–"
            p.add(row, heads["indicator"], ind, "ingest.error.unknown_indicator", closest=close)
        valid_from = None
        if cell.get("valid_from") is not None:
            period = parse_period(cell["valid_from"])
            if period is None or period.grain != "day":
                p.add(row, heads["valid_from"], cell["valid_from"], "ingest.error.indicator_change_date")
            else:
                valid_from = period.start
        if ind is not None and valid_from is not None:
            if (ind, valid_from) in first:
                p.add(row, heads["valid_from"], cell["valid_from"], "ingest.error.indicator_duplicate",
                      first=first[(ind, valid_from)])
            else:
                first[(ind, valid_from)] = row
        if len(p.rows) > before:
            continue
        note_fi = cell["note_fi"]
        rows.append({"indicator_id": ind, "valid_from": valid_from.isoformat(), "note_fi": note_fi,
                     "note_sv": cell.get("note_sv") or note_fi, "note_en": cell.get("note_en") or note_fi,
                     "row_number": row})
    errors = p.frame()
    schema = {"indicator_id": pl.String, "valid_from": pl.String, "note_fi": pl.String, "note_sv": pl.String,
              "note_en": pl.String, "row_number": pl.Int64}
    return Parsed(rows=pl.DataFrame(rows, schema=schema, orient="row"), errors=errors, layout="definition_changes",
                  n_rows=table.frame.height)


def plan_changes(con, rows: pl.DataFrame) -> pl.DataFrame:
    stored = {(r["indicator_id"], r["valid_from"].isoformat()): r
              for r in db.fetch(con, "catalog__definition_change_state").iter_rows(named=True)}
    statuses = []
    for row in rows.iter_rows(named=True):
        old = stored.get((row["indicator_id"], row["valid_from"]))
        if old is None:
            statuses.append("new")
        else:
            same = all(old[c] == row[c] for c in ("note_fi", "note_sv", "note_en"))
            statuses.append("unchanged" if same else "changed")
    return rows.with_columns(pl.Series("status", statuses, dtype=pl.String))


def commit_changes(con, plan: pl.DataFrame, load_id: int) -> None:
    changes = plan.filter(pl.col("status") != "unchanged")
    keys = changes.with_columns(pl.col("valid_from").str.to_date())
    history.save(con, "indicator_definition_change", load_id, keys.filter(pl.col("status") == "changed"))
    with registered(con, "ref_definition_change", changes):
        db.execute(con, "catalog__upsert_definition_changes")
    history.record_created(con, "indicator_definition_change", load_id, keys.filter(pl.col("status") == "new"))


DEFINITION_CHANGES = Format("definition_changes", detect_changes, parse_changes, plan_changes, commit_changes,
                            history.Undo(("indicator_definition_change",)).undo,
                            blockers_by("ingest__indicator_undo_blockers"), priority=16)


# --- the catalogue as an indicators file -------------------------------------------------------------

def export_rows(con) -> pl.DataFrame:
    """The stored catalogue as an indicators file reads it back: English headers (`COLUMNS`), a
    fallback name written empty (so that it stays a fallback), `seasonal` as yes/no."""
    rows = []
    for r in stored_indicators(con).values():
        out = {c: r.get(c) for c in COLUMNS}
        for lang in ("sv", "en"):
            if not r[f"name_{lang}_given"]:
                out[f"name_{lang}"] = None
        out["seasonal"] = "yes" if r["seasonal"] else "no"
        rows.append({c: None if v is None else str(v) for c, v in out.items()})
    return pl.DataFrame(rows, schema={c: pl.String for c in COLUMNS}, orient="row")


def export_csv(con) -> bytes:
    """The catalogue as an indicators CSV (UTF-8, comma separated)."""
    return export_rows(con).write_csv().encode("utf-8")


# --- the catalogue page's form -----------------------------------------------------------------------

CHOICES = {"theme": THEMES, "unit": UNIT_CODES, "direction": DIRECTIONS, "aggregation": AGGREGATIONS,
           "seasonal": ("no", "yes")}


def form_values(con, indicator_id: str | None) -> dict[str, str | None]:
    """What the form starts from: the stored indicator as its export row (a fallback name empty),
    or an empty new indicator."""
    if indicator_id:
        rows = export_rows(con).filter(pl.col("id") == indicator_id)
        if rows.height:
            return rows.row(0, named=True)
    empty: dict[str, str | None] = {c: None for c in COLUMNS}
    empty.update(theme=THEMES[0], unit=UNIT_CODES[0], direction=DIRECTIONS[0], decimals="1",
                 aggregation=AGGREGATIONS[0], seasonal="no")
    return empty


def form_csv(values: dict[str, str | None]) -> bytes:
    """The one-row indicators file the form's fields make: the same row the CSV would hold, so
    that the form goes through the same check, plan and commit."""
    row = {c: (str(values.get(c)).strip() if values.get(c) is not None else None) or None for c in COLUMNS}
    return pl.DataFrame([row], schema={c: pl.String for c in COLUMNS}).write_csv().encode("utf-8")


def plan_table(con, plan: pl.DataFrame) -> pl.DataFrame:
    """The plan of a form's row for people: field, stored value, new value (the fields that change;
    every given field of a new indicator)."""
    stored = {r["id"]: r for r in export_rows(con).iter_rows(named=True)}
    out = []
    for row in plan.filter(pl.col("status") != "unchanged").rename({"indicator_id": "id"}).iter_rows(named=True):
        old = stored.get(row["id"], {})
        new = {c: row.get(c) for c in COLUMNS}
        for lang in ("sv", "en"):
            if not row[f"name_{lang}_given"]:
                new[f"name_{lang}"] = None
        for column in COLUMNS:
            before, after = old.get(column), new[column]
            if before != after:
                out.append({"field": column, "before": before, "after": after})
    return pl.DataFrame(out, schema={"field": pl.String, "before": pl.String, "after": pl.String}, orient="row")
