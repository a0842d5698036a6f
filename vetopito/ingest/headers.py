"""The column names observation files use, in Finnish, Swedish and English, as the app's own
exports write them, with and without diacritics and in any case (`nimittaja` = `Nimittäjä`,
`maara`); and the note naming every column no field reads (issue 11 item 4: no column is ever
ignored without a word)."""

from __future__ import annotations

from vetopito import i18n
from vetopito.ingest.parsing import Context
from vetopito.ingest.read import Table
from vetopito.ingest.values import fold

INDICATOR = {"indicator", "indicator_id", "indikaattori", "mittari", "indikator", "mätare", "tunnusluku"}
UNIT = {"unit", "unit_id", "yksikkö", "alue", "region", "område", "enhet", "hyvinvointialue",
        "välfärdsområde", "toimipiste", "organisaatio", "organisation", "organisaatioyksikkö"}
PERIOD = {"period", "ajanjakso", "kausi", "jakso", "vuosi", "year", "år", "kuukausi", "month", "månad",
          "aika", "time", "tid", "kk", "pvm", "date", "päivämäärä", "datum", "quarter", "neljännes",
          "kvartal", "tilastovuosi", "vuosineljännes", "viikko", "week", "vecka", "vko"}
# A unit or period given in two columns: the finer one names the unit (a station within its region);
# a year with a month or quarter column (`vuosi;kuukausi`, as HR systems write it) is one period.
REGION_COLUMNS = {"alue", "region", "område", "hyvinvointialue", "välfärdsområde"}
ORG_COLUMNS = {"toimipiste", "organisaatio", "organisation", "organisaatioyksikkö"}
YEAR_COLUMNS = {"vuosi", "year", "år", "tilastovuosi"}
MONTH_COLUMNS = {"kuukausi", "month", "månad", "kk"}
QUARTER_COLUMNS = {"quarter", "neljännes", "kvartal", "vuosineljännes"}
WEEK_COLUMNS = {"viikko", "week", "vecka", "vko"}
VALUE = {"value", "arvo", "värde", "val", "pros", "primary value", "primary.value", "luku", "value_pct",
         "määrä", "lukumäärä", "antal"}
NUMERATOR = {"numerator", "osoittaja", "täljare", "absolute value", "absolute.value", "absvalue"}
DENOMINATOR = {"denominator", "nimittäjä", "nämnare"}
RESPONDENTS = {"respondents", "vastaajat", "vastaajia", "vastaajamäärä", "svarande", "n_respondents"}
FLAG = {"flag", "merkintä", "lippu", "status"}
GENDER = {"gender", "sukupuoli", "kön", "sex"}


def _export_headers(field: str) -> set[str]:
    """The header the app's observation exports give `field` in fi, sv and en (`export.column.*`):
    an export in any language reloads. Their name columns (`yksikön nimi`, …) are no field: the
    code beside them is the key, and the loader leaves them alone."""
    return {i18n.t(f"export.column.{field}", lang).lower() for lang in i18n.LANGUAGES}


for _names, _field in ((INDICATOR, "indicator"), (UNIT, "unit"), (PERIOD, "period"), (VALUE, "value"),
                       (NUMERATOR, "numerator"), (DENOMINATOR, "denominator"), (RESPONDENTS, "respondents"),
                       (FLAG, "flag")):
    _names |= _export_headers(_field)

# Headers match with and without diacritics and in any case (`nimittaja` = `Nimittäjä`, `maara`):
# every name is also kept folded (`values.fold`), and the parsers fold the file's header.
for _names in (INDICATOR, UNIT, PERIOD, REGION_COLUMNS, ORG_COLUMNS, YEAR_COLUMNS, MONTH_COLUMNS, QUARTER_COLUMNS,
               WEEK_COLUMNS,
               VALUE, NUMERATOR, DENOMINATOR, RESPONDENTS, FLAG, GENDER):
    _names |= {fold(name) for name in _names}

# The name columns of the app's own exports (`yksikön nimi`, …): the code beside them is the key,
# so they are read by nothing and need no word (any other unread column is listed).
EXPORT_NAME_COLUMNS = {fold(i18n.t(f"export.column.{field}", lang))
                       for field in ("indicator_name", "unit_name") for lang in i18n.LANGUAGES}

SOTKANET = {"indicator", "region", "year", "gender"}

FIELDS = ("indicator", "unit", "period", "value", "numerator", "denominator", "respondents", "flag")


def find(header: list[str], names: set[str]) -> int | None:
    for index, cell in enumerate(header):
        if cell in names:
            return index
    return None



def folded(header: list[str]) -> list[str]:
    return [fold(cell) for cell in header]


def note_ignored(table: Table, used: set[int | None], ctx: Context) -> None:
    """Name every column of the file that no field reads (`Report.ignored_columns`, a note)."""
    header = folded(table.header)
    ignored = [name for index, name in enumerate(table.header)
               if index not in used and header[index] not in EXPORT_NAME_COLUMNS and name.strip()]
    if ignored:
        ctx.ignored_columns.extend(ignored)
        ctx.note("ingest.note.ignored_columns", count=len(ignored), columns=", ".join(f'"{c}"' for c in ignored))
