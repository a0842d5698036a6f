"""Turning cells into values: numbers written any Finnish way, periods, missing markers, and
names of units and indicators resolved against the catalogue. (Just over 400 lines because every
way a cell writes a period, ISO weeks included, is one table of rules read in one place.)"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import polars as pl

from vetopito import db, i18n

# Cells that mean "no value": kept as the observation's flag, never read as zero.
MISSING_MARKERS = ("..", ".", "-", "–", "—", "*", "x", "X", "n/a", "N/A")

NUMBER_PATTERN = r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$"


def number_expr(column: str) -> pl.Expr:
    """A cell as a float: `%`, spaces, no-break spaces dropped; comma or point as decimal mark,
    decided per cell; null when not a number.

    A point or comma is read as grouping thousands only where it cannot be the decimal mark: beside
    the other mark (`1.234,5` and `1,234.5` both read as 1234.5) or repeated (`1.234.567`,
    `1,234,567`). Alone it is the decimal mark: `83.193` is 83.193 (THL and Sotkanet write three
    decimals with a point) and `2,650` is 2.65, as Finnish Excel writes it."""
    s = (pl.col(column).str.strip_chars()
         .str.replace_all(r"[\s\u00a0\u202f%]", "")
         .str.replace_all("\u2212", "-"))
    s = (pl.when(s.str.contains(r"^-?\d{1,3}((\.\d{3})+,\d+|(\.\d{3}){2,})$"))
         .then(s.str.replace_all(r"\.", "").str.replace(",", ".", literal=True))
         .when(s.str.contains(r"^-?\d{1,3}((,\d{3})+\.\d+|(,\d{3}){2,})$"))
         .then(s.str.replace_all(",", "", literal=True))
         .otherwise(s.str.replace(",", ".", literal=True)))
    return pl.when(s.str.contains(NUMBER_PATTERN)).then(s).otherwise(None).cast(pl.Float64, strict=False)


def is_marker_expr(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().is_in(list(MISSING_MARKERS))


# Month names as CLDR writes them (Babel): Finnish as stems ("tammi" of "tammikuu"), so that
# "tammikuu" and "tammi" both match; Swedish and English whole or as 3-letter abbreviations.
_MONTHS_FI = tuple(name.removesuffix("kuu") for name in i18n.month_names("fi"))
_MONTHS_SV = i18n.month_names("sv")
_MONTHS_EN = i18n.month_names("en")


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for i, stem in enumerate(_MONTHS_FI):
        if word.startswith(stem) and (word == stem or word[len(stem):].startswith("kuu")):
            return i + 1
    for names in (_MONTHS_SV, _MONTHS_EN):
        for i, name in enumerate(names):
            if word == name or (len(word) >= 3 and name.startswith(word) and len(word) == 3):
                return i + 1
    return None


@dataclass(frozen=True)
class Period:
    start: dt.date
    grain: str  # year | quarter | month | week | day
    preliminary: bool = False


_PERIOD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:vuosi |år |year )?(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})m(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{1,2})[/.](\d{4})$"), "my"),          # 3/2024, 03/2024, 3.2024 (Excel's kk.vvvv)
    (re.compile(r"^(\d{4})\s*-?\s*[qk]([1-4])$"), "yq"),    # 2024Q1, 2024 Q1, 2024-Q1, 2024K1
    (re.compile(r"^[qk]([1-4])[/ ](\d{4})$"), "qy"),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t]\d{2}:\d{2}(?::\d{2})?)?$"), "ymd"),
    (re.compile(r"^([a-zåäö]+\.?)\s+(\d{4})$"), "namey"),      # Maaliskuu 2024, maalis 2024, mars 2024
    (re.compile(r"^(\d{4})\s+([a-zåäö]+\.?)$"), "yname"),      # 2024 Maaliskuu (THL cubes)
    (re.compile(r"^(\d{4})/(\d{1,2})$"), "ym"),                 # 2024/03
    (re.compile(r"^(\d{4})\s+([1-4])\.?\s*(?:vuosi)?(?:neljännes|kvartalet|kvartal|quarter)$"), "yq"),
]

# Weeks as THL cubes (`Vuosi 2024 Viikko 05`), ISO 8601 (`2024-W05`, `2024W05`) and people
# (`viikko 5 2024`, `vk 5/2024`, `v5/2024`, `v. 5/2024`, `wk 5/2024`, `vecka 5 2024`) write them:
# the ISO week (Monday first, week 1 holds the year's first Thursday), grain `week`, its start the
# Monday. Every form names the year and the week apart, so none can be read as a month or a day.
WEEK_PATTERN = re.compile(r"^(?:(?:vuosi|år|year)\s+)?(\d{4})\s*(?:-?w|\s(?:viikko|vecka|week|vk|v)\.?\s*)(\d{1,2})$")
WEEK_FIRST_PATTERN = re.compile(r"^(?:viikko|vecka|week|vko|vk|wk|v)\.?\s*(\d{1,2})(?:\s*[/ ]\s*|\s*,\s*)(\d{4})$")


def _week_of(text: str) -> tuple[int, int] | None:
    """(ISO year, week) of a text that names a week in any form above, valid or not."""
    m = WEEK_PATTERN.match(text)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = WEEK_FIRST_PATTERN.match(text)
    if m:
        return int(m.group(2)), int(m.group(1))
    return None


def is_week(text: str) -> bool:
    """Whether `text` is written as a week (`Vuosi 2024 Viikko 05`, `2024-W05`, `vk 5/2024`), a
    week the year has or not (`2024-W53`: 2024 has 52)."""
    return _week_of(re.sub(r"\s+", " ", str(text).strip().strip('"').lower())) is not None


def week_start(year: int, week: int) -> dt.date | None:
    """The Monday of ISO week `week` of `year`; None when the year has no such week."""
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


# Cells that are the total of a table's other rows, as THL, StatFin and Excel write them: in a
# unit column the whole country's figure, in a period column a total over time (never a period).
TOTAL_UNITS = frozenset({"kaikki alueet", "koko maa", "yhteensä", "hela landet", "whole country", "totalt",
                         "total", "kaikki", "summa"})
TOTAL_PERIODS = frozenset({"kaikki ajat", "yhteensä", "alla tider", "all times", "total", "totalt", "summa"})


def is_total(text: str | None, totals: frozenset[str]) -> bool:
    return text is not None and norm(text) in totals


def parse_period(text: str) -> Period | None:
    """`2024`, `2024-03`, `2024/03`, `3/2024`, `3.2024`, `2024Q1`, `2024 Q1`, `2024-Q1`, `Q1/2024`,
    `2024 1. neljännes`, `2024M03(*)`, `15.3.2024`, `2024-03-15`, `maaliskuu 2024`, `Maaliskuu
    2024`, `2024 Maaliskuu`, `maalis 2024`, `mars 2024`, `March 2024` (month names from Babel),
    `Vuosi 2024 Viikko 05`, `2024-W05`, `viikko 5 2024`, `vk 5/2024` (ISO weeks: the Monday): the
    period's first day and grain; None when it is none of these, or a week the year does not have."""
    raw = re.sub(r"\s+", " ", text.strip().strip('"').lower())
    preliminary = raw.endswith("*")
    raw = raw.rstrip("*").strip()
    week = _week_of(raw)
    if week is not None:
        monday = week_start(*week)
        if monday is None or not 1900 <= week[0] <= 2100:
            return None
        return Period(monday, "week", preliminary)
    try:
        for pattern, kind in _PERIOD_RULES:
            m = pattern.match(raw)
            if not m:
                continue
            g = m.groups()
            if kind == "year":
                start, grain = dt.date(int(g[0]), 1, 1), "year"
            elif kind == "ym":
                start, grain = dt.date(int(g[0]), int(g[1]), 1), "month"
            elif kind == "my":
                start, grain = dt.date(int(g[1]), int(g[0]), 1), "month"
            elif kind == "yq":
                start, grain = dt.date(int(g[0]), 3 * int(g[1]) - 2, 1), "quarter"
            elif kind == "qy":
                start, grain = dt.date(int(g[1]), 3 * int(g[0]) - 2, 1), "quarter"
            elif kind == "dmy":
                start, grain = dt.date(int(g[2]), int(g[1]), int(g[0])), "day"
            elif kind == "ymd":
                start, grain = dt.date(int(g[0]), int(g[1]), int(g[2])), "day"
            elif kind == "yname":
                month = _month_number(g[1])
                if month is None:
                    return None
                start, grain = dt.date(int(g[0]), month, 1), "month"
            else:
                month = _month_number(g[0])
                if month is None:
                    return None
                start, grain = dt.date(int(g[1]), month, 1), "month"
            if not 1900 <= start.year <= 2100:
                return None
            return Period(start, grain, preliminary)
    except ValueError:
        return None
    return None


_PERIOD_AT_END = re.compile(
    r"(\d{4}[-m]\d{1,2}\*?|\d{1,2}[/.]\d{4}|\d{4}\s*-?\s*[qk][1-4]|[qk][1-4]/\d{4}|\d{1,2}\.\d{1,2}\.\d{4}"
    r"|\d{4}-\d{2}-\d{2}|[a-zåäö]+\s+\d{4}|\d{4})$", re.IGNORECASE)


def split_period_header(header: str) -> tuple[str, Period] | None:
    """`T3 mediaani 1/2020` → (`T3 mediaani`, 1/2020); None when the header ends in no period."""
    text = header.strip()
    m = _PERIOD_AT_END.search(text)
    if not m:
        return None
    period = parse_period(m.group(1))
    if period is None:
        # "tammikuu 2020" matched as a word: only month words count
        return None
    return text[: m.start()].strip(" -:_"), period


_SUFFIXES = (" hyvinvointialue", "n hyvinvointialue", " välfärdsområde", "s välfärdsområde",
             " wellbeing services county", " hyvinvointialueen")


def norm(text: str) -> str:
    """How names are compared: NFC, lower case, single spaces, no surrounding quotes."""
    text = unicodedata.normalize("NFC", str(text)).strip().strip('"').lower()
    return re.sub(r"\s+", " ", text)


def fold(text: str) -> str:
    """A header as the loader matches it: `norm` without diacritics (`nimittaja` = `Nimittäjä`,
    `maara` = `määrä`)."""
    decomposed = unicodedata.normalize("NFKD", norm(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def name_keys(text: str) -> tuple[str, ...]:
    """Every form of a name worth looking up: as is, without the county suffix, a zero-padded
    code (`2` → `02`), and the parts of a PxWeb code+name cell (`MK01 Uusimaa`). Remembered per
    text (a tuple: nobody can change what another caller gets): every load builds its `Lookup`
    from every name of the catalogue, the same few thousand names each time."""
    base = norm(text)
    keys = [base]
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            keys.append(base[: -len(suffix)].strip())
    if base.isdigit() and len(base) == 1:
        keys.append("0" + base)
    m = re.match(r"^([a-z]{2,4}\d{1,3})\s+(.+)$", base)
    if m:
        keys.extend([m.group(1), *name_keys(m.group(2))])
    m = re.match(r"^hva(\d{2})$", base)
    if m:
        keys.append(m.group(1))
    return tuple(dict.fromkeys(keys))


@dataclass
class Lookup:
    """The catalogue as the loader needs it: names → unit ids and indicator ids."""

    units: dict[str, str] = field(default_factory=dict)
    unit_names: dict[str, str] = field(default_factory=dict)  # display name → id, for suggestions
    sotkanet_units: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)
    sotkanet_indicators: dict[str, str] = field(default_factory=dict)
    indicator_info: dict[str, dict] = field(default_factory=dict)
    unit_kinds: dict[str, str] = field(default_factory=dict)
    unit_parents: dict[str, str | None] = field(default_factory=dict)
    unit_rows: dict[str, dict] = field(default_factory=dict)
    # every name worth suggesting (official, short, common names, aliases), normalised → (as written, id)
    unit_suggest: dict[str, tuple[str, str]] = field(default_factory=dict)
    # indicator ids and names in fi/sv/en, normalised → (as written, id)
    indicator_suggest: dict[str, tuple[str, str]] = field(default_factory=dict)
    # every unit each name key may mean, the one `units` gives first (names shared across regions)
    # the tables of the database (a file made at an older schema lacks the later migrations'); None:
    # not read (a lookup built by hand), ask the database
    tables: frozenset[str] | None = None
    _candidates: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _suggest_within: dict[frozenset[str], dict[str, tuple[str, str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> Lookup:
        lookup = cls(tables=db.table_names(con))
        units = db.fetch(con, "load/unit_names")
        derived: list[tuple[str, str]] = []
        for row in units.iter_rows(named=True):
            lookup.unit_kinds[row["id"]] = row["kind"]
            lookup.unit_parents[row["id"]] = row["parent_id"]
            lookup.unit_rows[row["id"]] = row
            for name in (row["id"], row["code"], row["name_fi"], row["name_sv"], row["name_en"],
                         row["short_fi"], row["short_sv"], row["short_en"]):
                if name:
                    keys = name_keys(name)
                    lookup.units.setdefault(keys[0], row["id"])  # a name as written wins …
                    lookup._add_candidate(keys[0], row["id"])
                    derived.extend((key, row["id"]) for key in keys[1:])
            lookup.unit_names.setdefault(row["short_fi"] or row["name_fi"], row["id"])
            for name in (row["short_fi"], row["name_fi"], row["short_sv"], row["name_sv"],
                         row["short_en"], row["name_en"]):
                if name and not name.strip().isdigit():
                    lookup.unit_suggest.setdefault(norm(name), (name.strip(), row["id"]))
        for key, unit_id in derived:  # … over a derived form (YTA code 1 padded to 01 is not region 01)
            lookup.units.setdefault(key, unit_id)
            lookup._add_candidate(key, unit_id)
        aliases = db.fetch(con, "load/unit_aliases")
        for row in aliases.iter_rows(named=True):
            if row["alias_kind"] == "sotkanet":
                lookup.sotkanet_units[norm(row["alias"])] = row["unit_id"]
            for key in {row["alias_norm"], *name_keys(row["alias"])}:
                lookup.units.setdefault(key, row["unit_id"])
                lookup._add_candidate(key, row["unit_id"])
            if row["alias_kind"] != "sotkanet" and not str(row["alias"]).strip().isdigit():
                lookup.unit_suggest.setdefault(norm(row["alias"]), (str(row["alias"]).strip(), row["unit_id"]))
        indicators = db.fetch(con, "load/indicator_names")
        for row in indicators.iter_rows(named=True):
            lookup.indicator_info[row["id"]] = row
            for name in (row["id"], row["name_fi"], row["name_sv"], row["name_en"],
                         row["short_fi"], row["short_sv"], row["short_en"]):
                if name:
                    lookup.indicators.setdefault(norm(name), row["id"])
                    lookup.indicator_suggest.setdefault(norm(name), (name.strip(), row["id"]))
            if row["sotkanet_id"] is not None:
                lookup.sotkanet_indicators[str(row["sotkanet_id"])] = row["id"]
        # a file before migration 015 has no learnt names (a test builds one with today's loader)
        has_aliases = "indicator_alias" in lookup.tables
        for row in (db.fetch(con, "load/indicator_aliases") if has_aliases else pl.DataFrame()).iter_rows(named=True):
            if row["indicator_id"] not in lookup.indicator_info:
                continue  # an alias of an indicator no longer in the catalogue means nothing
            if row["alias_kind"] == "sotkanet":
                lookup.sotkanet_indicators.setdefault(str(row["alias"]).strip(), row["indicator_id"])
            lookup.indicators.setdefault(row["alias_norm"], row["indicator_id"])
        return lookup

    def only_indicators(self, visible: set[str] | frozenset[str]) -> Lookup:
        """This lookup with the indicators a user does not see left out (another region's or
        team's own): for the loader, such an indicator is unknown, and no suggestion names it."""
        self.indicators = {k: i for k, i in self.indicators.items() if i in visible}
        self.sotkanet_indicators = {k: i for k, i in self.sotkanet_indicators.items() if i in visible}
        self.indicator_info = {i: r for i, r in self.indicator_info.items() if i in visible}
        self.indicator_suggest = {k: v for k, v in self.indicator_suggest.items() if v[1] in visible}
        return self

    def unit(self, text: str, within: frozenset[str] | set[str] | None = None) -> str | None:
        """The id of the unit `text` names. With `within` (a user's scope), a name several units
        share resolves to the one within it (two regions' `Kotihoito Keskusta`), and to the
        usual one only when none of them is."""
        keys = name_keys(text)
        if within is not None:
            for key in keys:
                for unit_id in self._candidates.get(key, ()):
                    if unit_id in within:
                        return unit_id
        for key in keys:
            if key in self.units:
                return self.units[key]
        return None

    def _add_candidate(self, key: str, unit_id: str) -> None:
        ids = self._candidates.setdefault(key, [])
        if unit_id not in ids:
            ids.append(unit_id)

    def indicator(self, text: str) -> str | None:
        return self.indicators.get(norm(text))

    def closest_units(self, text: str, n: int = 3, within: frozenset[str] | set[str] | None = None) -> list[str]:
        """The `n` known names closest to `text`, one per unit, among official, short and common
        names and aliases (`Siun sotee` → `Siun sote`); with `within`, among those units only
        (a user's scope: a suggestion names no unit outside it)."""
        names = self.unit_suggest
        if within is not None:
            within = frozenset(within)
            if within not in self._suggest_within:  # once per scope, not once per unknown name
                self._suggest_within[within] = {key: found for key, found in self.unit_suggest.items()
                                                if found[1] in within}
            names = self._suggest_within[within]
        return [shown for shown, _ in _closest(text, names, n)]

    def closest_indicators(self, text: str, n: int = 3) -> list[str]:
        """The `n` indicators closest to `text` by id or by name in any language, as `id` or
        `id (name as matched)`; the best `n` even when none is really close (never empty
        while the catalogue has indicators)."""
        return [unit_id if norm(shown) == norm(unit_id) else f"{unit_id} ({shown})"
                for shown, unit_id in _closest(text, self.indicator_suggest, n)]


def _closest(text: str, names: dict[str, tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """Best matches (as written, id) by difflib ratio, one per id: close ones (ratio ≥ 0.4) first,
    else the best there are."""
    wanted = norm(text)
    for cutoff in (0.4, 0.0):
        hits = difflib.get_close_matches(wanted, list(names), n=max(4 * n, 12), cutoff=cutoff)
        found: dict[str, str] = {}
        for hit in hits:
            shown, unit_id = names[hit]
            found.setdefault(unit_id, shown)
        if found:
            return [(shown, unit_id) for unit_id, shown in list(found.items())[:n]]
    return []


MAX_DAYS = 3650.0          # 10 years: a waiting time or a sick-leave figure above it is a typo
MAX_COUNT = 10_000_000.0   # more people or events than Finland has
DAY_UNITS = ("days", "days_per_person_year")
WHOLE_UNITS = ("count", "persons")


def plausibility_checks() -> list[tuple[str, str, pl.Expr]]:
    """(message key, field, row filter) for values no extract should hold, over the validated
    frame's `<field>_num`, `unit_is_days` / `unit_is_whole` (the indicator's unit is one of
    DAY_UNITS / WHOLE_UNITS) and `has_flag` (a flag cell not blank) columns: every number finite (`1e400`
    reads as infinity), days at most 10 years unless the row carries a flag, counts and persons
    whole and at most 10 000 000."""
    value = pl.col("value_num")
    unflagged = ~pl.col("has_flag")
    checks = [("ingest.error.not_finite", name, pl.col(f"{name}_num").is_infinite())
              for name in ("value", "numerator", "denominator", "respondents")]
    checks += [
        ("ingest.error.days_implausible", "value",
         pl.col("unit_is_days") & value.is_finite() & (value > MAX_DAYS) & unflagged),
        ("ingest.error.count_not_whole", "value",
         pl.col("unit_is_whole") & value.is_finite() & (value != value.round(0))),
        ("ingest.error.count_too_large", "value",
         pl.col("unit_is_whole") & value.is_finite() & (value > MAX_COUNT)),
    ]
    return checks
