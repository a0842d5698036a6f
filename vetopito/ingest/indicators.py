"""The catalogue as loads: the `indicators` format (one row per indicator, the columns of
`data/reference/indicators.csv` with Finnish, Swedish or English headers) and the
`definition_changes` format (one row per dated definition change).
(Over 400 lines because both catalogue formats share one vocabulary of headers and words and one
problem collector; the catalogue page's form and the export, which write the same format, are in
`ingest/catalogue_form.py`.)

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
    "scope_kind", "scope_value",
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
    "scope_kind": ("scope_kind", "scope", "laajuus", "kenen mittari", "omfattning", "vems mätare"),
    "scope_value": ("scope_value", "scope_unit", "alue tai tiimi", "laajuuden alue tai tiimi", "område eller team",
                    "region or team"),
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
SCOPE_KINDS = ("national", "region", "team")
_SCOPE_WORDS = {
    "national": ("national", "kansallinen", "valtakunnallinen", "koko maa", "nationell", "hela landet"),
    "region": ("region", "alue", "alueen oma", "hyvinvointialue", "regional", "välfärdsområde", "områdets egen",
               "region's own"),
    "team": ("team", "tiimi", "tiimin oma", "teamets egen", "team's own"),
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


def unquote(text: str) -> str:
    """A cell without the apostrophe a spreadsheet (and the catalogue's own export,
    `export.safe`) puts before a text that would start like a formula: `'=x` → `=x`."""
    return text[1:] if re.match(r"'[=+\-@]", text) else text


def _words(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(word): code for code, words in mapping.items() for word in (code, *words)}


_HEADER_OF = _words(HEADERS)
_UNITS_OF, _THEMES_OF = _words(_UNIT_WORDS), _words(_THEME_WORDS)
_DIRECTIONS_OF, _AGGREGATIONS_OF, _YES_NO_OF = _words(_DIRECTION_WORDS), _words(_AGGREGATION_WORDS), _words(_YES_NO)
_SCOPES_OF = _words(_SCOPE_WORDS)


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
    """May this user define any indicator (None: the command line, everything)? Which ones is
    `access.Scope.may_define` (national: admins and analysts of the whole country; a region's own:
    its analysts; a team's own: its coach and analysts)."""
    return scope is None or scope.may_define_indicators


def _may_define(scope, kind: str | None, value: str | None) -> bool:
    return scope is None or scope.may_define(kind or "national", value or "")


def _scope_value(p: _Problems, row: int, head: str, kind: str | None, text: str | None, ctx: Context) -> str | None:
    """The unit id a row's scope names: a region (id, code or name) or a team; '' for national.
    A name no unit of that kind has is a problem naming only what the row wrote."""
    if kind is None:
        return None
    if kind == "national":
        if text is not None:
            p.add(row, head, text, "ingest.error.indicator_scope_national_value")
        return ""
    if text is None:
        p.add(row, head, None, "ingest.error.indicator_scope_value_missing", kind=kind)
        return None
    unit_id = ctx.lookup.unit(text) or (text if ctx.lookup.unit_kinds.get(text) else None)
    if unit_id is None or ctx.lookup.unit_kinds.get(unit_id) != kind:
        p.add(row, head, text, f"ingest.error.indicator_scope_no_{kind}")
        return None
    return unit_id


def stored_indicators(con) -> dict[str, dict[str, Any]]:
    """Every stored indicator as this format compares it, by id."""
    return {r["id"]: r for r in db.fetch(con, "load/indicators/indicator_state").iter_rows(named=True)}


def _canonical(row: dict[str, Any]) -> dict[str, str | None]:
    """A row's comparable fields as text (stored and incoming rows alike)."""
    out: dict[str, str | None] = {}
    for column in COLUMNS:
        value = row.get(column)
        if column == "seasonal":
            value = "yes" if value in (True, "yes") else "no"
        out[column] = None if value is None or value == "" else str(value)
    out["scope_kind"] = out["scope_kind"] or "national"
    out["scope_value"] = out["scope_value"] or None
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
        cell = {c: unquote((record[f"c{i}"] or "").strip()) or None for c, i in found.items()}
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
        scope_kind = _choice(p, row, "scope_kind", heads.get("scope_kind", "scope_kind"), cell.get("scope_kind"),
                             _SCOPES_OF, "ingest.error.indicator_scope_kind") if cell.get("scope_kind") else "national"
        scope_value = _scope_value(p, row, heads.get("scope_value", "scope_value"), scope_kind,
                                   cell.get("scope_value"), ctx)
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
        if old is not None and ctx.scope is not None and not ctx.scope.sees_indicator(old["id"]):
            # another region's or team's own indicator: its id is taken, and nothing more is said
            p.add(row, heads["id"], ind_id, "ingest.error.indicator_id_taken")
            continue
        if scope_value is not None and not _may_define(ctx.scope, scope_kind, scope_value):
            p.add(row, heads.get("scope_kind", heads["id"]), cell.get("scope_value") or cell.get("scope_kind"),
                  "ingest.error.indicator_scope_no_right")
        elif old is not None and not _may_define(ctx.scope, old["scope_kind"], old["scope_value"]):
            p.add(row, heads["id"], ind_id, "ingest.error.indicator_scope_no_right")
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
            "sort_order": str(sort_order), "seasonal": seasonal,
            "scope_kind": scope_kind, "scope_value": scope_value or None, "row_number": row,
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
    statuses, details, seasons, scopes = [], [], [], []
    for row in rows.iter_rows(named=True):
        old = stored.get(row["id"])
        if old is None:
            statuses.append("new")
            details.append(False)
            seasons.append(False)
            scopes.append(False)
            continue
        statuses.append("unchanged" if _canonical(old) == _canonical(row) else "changed")
        details.append(bool(old["has_detail"]))
        seasons.append(bool(old["has_seasonality"]))
        scopes.append(bool(old["has_scope"]))
    # the id as `indicator_id`: the upload page's table of changes shows it as the indicator (an
    # `id` column would be read as a unit's, and `cycle.PLAN_UNIT_COLUMNS` checks `id` as a unit)
    return rows.with_columns(pl.Series("status", statuses, dtype=pl.String),
                             pl.Series("has_detail", details, dtype=pl.Boolean),
                             pl.Series("has_seasonality", seasons, dtype=pl.Boolean),
                             pl.Series("has_scope", scopes, dtype=pl.Boolean)).rename({"id": "indicator_id"})


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
    history.save(con, "indicator_scope", load_id, _keys(changes.filter(pl.col("has_scope")), "indicator_id"))
    with registered(con, "ref_indicator", changes.with_columns(pl.col("unit").replace(BASE_UNIT))):
        db.execute(con, "catalog/sync/upsert_indicators")
        db.execute(con, "catalog/sync/upsert_indicator_seasonality")
    with registered(con, "ref_indicator_detail", detail_frame(changes)):
        db.execute(con, "load/indicators/upsert_indicator_detail")
    scopes = scope_frame(changes)
    with registered(con, "ref_indicator_scope", scopes):
        db.execute(con, "load/indicators/delete_indicator_scope")
        db.execute(con, "load/indicators/insert_indicator_scope")
    # a team's own indicator is a measure of that team from its creation (the team page lists it)
    measures = scopes.join(changes.filter(pl.col("status") == "new").select(pl.col("id").alias("indicator_id")),
                           on="indicator_id").filter(pl.col("scope_kind") == "team") \
        .select(pl.col("scope_value").alias("team_id"), "indicator_id")
    if measures.height:
        with registered(con, "ref_team_measure", measures):
            db.execute(con, "load/indicators/insert_team_measures")
    history.record_created(con, "indicator", load_id, changes.filter(pl.col("status") == "new"))
    history.record_created(con, "indicator_detail", load_id,
                           _keys(changes.filter(~pl.col("has_detail")), "indicator_id"))
    history.record_created(con, "indicator_seasonality", load_id,
                           _keys(changes.filter(~pl.col("has_seasonality")), "indicator_id"))
    history.record_created(con, "indicator_scope", load_id, _keys(changes.filter(~pl.col("has_scope")), "indicator_id"))
    history.record_created(con, "team_measure", load_id, measures)


def scope_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """The `indicator_scope` rows of catalogue rows (`ref_indicator_scope`): national with an
    empty scope value where a row names none."""
    if "scope_kind" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, dtype=pl.String).alias("scope_kind"),
                                 pl.lit(None, dtype=pl.String).alias("scope_value"))
    return rows.select(pl.col("id").alias("indicator_id"),
                       pl.col("scope_kind").fill_null("national"),
                       pl.when(pl.col("scope_kind").fill_null("national") == "national").then(pl.lit(""))
                       .otherwise(pl.col("scope_value")).fill_null("").alias("scope_value"))


def detail_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """The `indicator_detail` rows of catalogue rows (`ref_indicator_detail` of
    load/indicators/upsert_indicator_detail): the unit code, respondent minimum and given-name flags."""
    given = [c for c in ("name_sv_given", "name_en_given") if c not in rows.columns]
    rows = rows.with_columns(*(pl.lit(True).alias(c) for c in given))
    if "min_respondents" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, dtype=pl.String).alias("min_respondents"))
    return rows.select(pl.col("id").alias("indicator_id"), "unit", "min_respondents", "name_sv_given",
                       "name_en_given")


# The tables an indicators or definition-changes load writes, referring rows first; a created
# indicator is removed after the undo committed (DuckDB cannot delete a referenced row in the
# transaction that deleted the rows referring to it).
CATALOGUE_UNDO = history.Undo(("team_measure", "indicator_definition_change", "indicator_seasonality",
                               "indicator_scope", "indicator_detail", "indicator"),
                              counted=("indicator", "indicator_definition_change"), after_commit=("indicator",))

INDICATORS = Format("indicators", detect_indicators, parse_indicators, plan_indicators, commit_indicators,
                    CATALOGUE_UNDO.undo, blockers_by("load/indicators/indicator_undo_blockers"), priority=15,
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
    stored = {i: r for i, r in stored_indicators(ctx.con).items()
              if ctx.scope is None or ctx.scope.sees_indicator(i)}
    known = set(stored)
    may = _may_load_catalogue(ctx.scope)
    rows, first = [], {}
    for record in table.frame.iter_rows(named=True):
        row = int(record["_row"])
        cell = {c: unquote((record[f"c{i}"] or "").strip()) or None for c, i in found.items()}
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
        elif ind is not None and not _may_define(ctx.scope, stored[ind]["scope_kind"], stored[ind]["scope_value"]):
            p.add(row, heads["indicator"], ind, "ingest.error.indicator_scope_no_right")
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
              for r in db.fetch(con, "load/indicators/definition_change_state").iter_rows(named=True)}
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
        db.execute(con, "catalog/sync/upsert_definition_changes")
    history.record_created(con, "indicator_definition_change", load_id, keys.filter(pl.col("status") == "new"))


DEFINITION_CHANGES = Format("definition_changes", detect_changes, parse_changes, plan_changes, commit_changes,
                            history.Undo(("indicator_definition_change",)).undo,
                            blockers_by("load/indicators/indicator_undo_blockers"), priority=16)
