"""Texts in Finnish (default), Swedish and English, and locale-aware numbers and dates.

Every UI string goes through `t(key, **values)`. The texts live in `vetopito/messages/*.toml`,
one file per area of the app, each key a table with `fi`, `sv` and `en`:

    [region.title]
    fi = "Alueen tilanne"
    sv = "Områdets läge"
    en = "Region overview"

Numbers are formatted with Babel in the locales fi_FI, sv_FI and en_GB, so the decimal mark
is a comma in Finnish and Swedish and a point in English; dates read `15.3.2024` in all three,
as they are written in Finland.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import math
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
BABEL_LOCALE = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
MESSAGES = Path(__file__).resolve().parent / "messages"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


class MessageError(KeyError):
    """A text key that does not exist, or a catalogue that is broken."""


class Localised:
    """Mixed into an exception whose text is a message key and its fields: `message(lang)` gives
    it in any language, `str()` in English (for logs). E.g. `class E(Localised, ValueError)`."""

    def __init__(self, key: str, **fields: Any):
        self.key = key
        self.fields = fields
        super().__init__(t(key, "en", **fields))

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.fields)


def set_language(lang: str | None) -> str:
    """Set the language of this thread's texts; an unknown code falls back to Finnish."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _language.set(lang)
    return lang


def get_language() -> str:
    return _language.get()


def _resolve(lang: str | None) -> str:
    return lang if lang in LANGUAGES else get_language()


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All texts of all message files; a key defined twice or lacking a language is an error."""
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(MESSAGES.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for key, entry in _flatten(data):
            if key in texts:
                raise MessageError(f"Text {key!r} is defined twice ({path.name})")
            missing = [lang for lang in LANGUAGES if not isinstance(entry.get(lang), str)]
            if missing:
                raise MessageError(f"Text {key!r} in {path.name} lacks {', '.join(missing)}")
            texts[key] = {lang: entry[lang] for lang in LANGUAGES}
    return texts


def _flatten(data: dict[str, Any], prefix: str = ""):
    """Yield (key, {lang: text}) for every table that has texts; a table may hold both its
    own texts and sub-tables (`[a]` with `fi = …` and `[a.b]`)."""
    for key, value in data.items():
        if not isinstance(value, dict):
            continue
        full = f"{prefix}{key}"
        texts = {k: v for k, v in value.items() if not isinstance(v, dict)}
        if texts:
            yield full, texts
        children = {k: v for k, v in value.items() if isinstance(v, dict)}
        if children:
            yield from _flatten(children, full + ".")


def t(key: str, /, lang: str | None = None, **values: Any) -> str:
    """The text `key` in the current (or given) language, with `{name}` fields filled in."""
    try:
        text = catalogue()[key][_resolve(lang)]
    except KeyError:
        raise MessageError(f"No text with key {key!r}") from None
    return text.format(**values) if values else text


def has_text(key: str) -> bool:
    return key in catalogue()


def t_plural(key: str, n: float | int | None, /, lang: str | None = None, **values: Any) -> str:
    """`t(key)` for a count `n`: the text `key.one` when `n` is 1 and that text exists
    ("1 virhe"), else `key.other` when it exists, else `key` itself ("3 virhettä")."""
    if n == 1 and has_text(f"{key}.one"):
        return t(f"{key}.one", lang, **values)
    return t(f"{key}.other" if has_text(f"{key}.other") else key, lang, **values)


# --- numbers -----------------------------------------------------------------------------

def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | int | None, decimals: int = 0, lang: str | None = None,
               *, sign: bool = False) -> str:
    """`1234.5` → `1 234,5` in Finnish; `–` for no value."""
    if is_missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    text = babel_numbers.format_decimal(value, format=pattern, locale=BABEL_LOCALE[_resolve(lang)],
                                        decimal_quantization=True)
    return text.replace("-", "\u2212") if sign or value < 0 else text


def fmt_value(value: float | None, unit: str, decimals: int, lang: str | None = None,
              *, sign: bool = False) -> str:
    """A value with its unit: `12,5 %`, `14 pv`, `1 234`."""
    if is_missing(value):
        return "–"
    number = fmt_number(value, decimals, lang, sign=sign)
    suffix = unit_suffix(unit, lang)
    return f"{number}\u00a0{suffix}" if suffix else number


def unit_suffix(unit: str, lang: str | None = None) -> str:
    key = f"unit.{unit}.suffix"
    return t(key, lang) if has_text(key) else ""


# --- dates and periods -----------------------------------------------------------------------

def fmt_date(value: dt.date | dt.datetime | None, lang: str | None = None) -> str:
    """`15.3.2024` in all three languages (the Finnish convention, also used in Swedish in Finland)."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_dates.format_date(value, format="d.M.yyyy", locale=BABEL_LOCALE[_resolve(lang)])


def fmt_datetime(value: dt.datetime | None, lang: str | None = None) -> str:
    if value is None:
        return "–"
    return babel_dates.format_datetime(value, format="d.M.yyyy HH:mm", locale=BABEL_LOCALE[_resolve(lang)])


def fmt_period(start: dt.date | None, grain: str, lang: str | None = None) -> str:
    """A period as people write it: `2024`, `Q1/2024`, `3/2024`, `15.3.2024`."""
    if start is None:
        return "–"
    if grain == "year":
        return str(start.year)
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1}/{start.year}"
    if grain in ("month", "round"):
        return f"{start.month}/{start.year}"
    return fmt_date(start, lang)


def month_name(month: int, lang: str | None = None) -> str:
    return babel_dates.get_month_names("wide", locale=BABEL_LOCALE[_resolve(lang)])[month]


# --- Vega-Lite locales -------------------------------------------------------------------------

def vega_locale(lang: str | None = None) -> dict[str, Any]:
    """The Vega `config.locale` for charts: decimal comma, no-break-space thousands, month names."""
    loc = BABEL_LOCALE[_resolve(lang)]
    months = babel_dates.get_month_names("wide", locale=loc, context="stand-alone")
    short_months = babel_dates.get_month_names("abbreviated", locale=loc, context="stand-alone")
    days = babel_dates.get_day_names("wide", locale=loc, context="stand-alone")
    short_days = babel_dates.get_day_names("abbreviated", locale=loc, context="stand-alone")
    # Babel counts weekdays from Monday = 0; Vega wants Sunday first.
    order = [6, 0, 1, 2, 3, 4, 5]
    return {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}
        if _resolve(lang) == "en" else
        {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]},
        "time": {
            "dateTime": "%-d.%-m.%Y %H:%M:%S",
            "date": "%-d.%-m.%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": [str(days[i]) for i in order],
            "shortDays": [str(short_days[i]).rstrip(".") for i in order],
            "months": [str(months[i]) for i in range(1, 13)],
            "shortMonths": [str(short_months[i]).rstrip(".") for i in range(1, 13)],
        },
    }
