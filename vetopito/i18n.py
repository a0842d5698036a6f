"""Texts in Finnish (default), Swedish and English, and locale-aware numbers and dates.

Every UI string goes through `t(key, **values)`. The texts live in `vetopito/messages/*.toml`,
one file per area of the app, each key a table with `fi`, `sv` and `en`:

    [region.title]
    fi = "Alueen tilanne"
    sv = "Områdets läge"
    en = "Region overview"

Counts take their plural form from the language's CLDR plural rules (Babel's
`Locale.plural_form`), written in the text with ICU MessageFormat's plural syntax; `#` stands for
the count as the caller passed it (usually already formatted, `fmt_number(n)`):

    [team.hidden_values]
    fi = "{n, plural, one {# arvo piilotettu} other {# arvoa piilotettu}}: {reason}."
    en = "{n, plural, one {# value hidden} other {# values hidden}}: {reason}."

Finnish, Swedish and English know the categories `one` (exactly 1, no decimals: `1,0` is `other`)
and `other`; `=0` picks an exact number before the category. An older convention is kept for the
texts that use it: `t_plural(key, n)` picks the key `key.one` / `key.other` (or `key` itself) by
the same Babel rule.

Numbers are formatted with Babel in the locales fi_FI, sv_FI and en_GB, so the decimal mark
is a comma in Finnish and Swedish and a point in English; dates read `15.3.2024` in all three,
as they are written in Finland.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import math
import re
import tomllib
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
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
    """The one base of every error the user can act on: a message key, its fields and the language
    it was raised in. `message(lang)` gives the text in any language (the raising language when none
    is asked for, else the current one), `str()` the English one (for logs), and `as_error(lang)` the
    command line's `--json` entry `{"code", "message", ...fields}`; the text says how to fix it.

    Mixed into a builtin exception so that callers may keep catching that: `class E(Localised, ValueError)`.
    `code` is the message key (stable: scripts may branch on it). A subclass whose raisers still pass
    a finished text instead of a key (`key_or_text` not in the catalogue) keeps that text as it is.
    """

    str_language = "en"  # the language of `str()`; LimitExceeded keeps its Finnish one

    def __init__(self, key: str, *args: Any, lang: str | None = None, **fields: Any):
        self.key = key if key in catalogue() else None
        self.text = None if self.key else key
        self.fields = fields
        self.lang = lang if lang in LANGUAGES else None
        super().__init__(self.message(self.str_language), *args)

    @property
    def code(self) -> str:
        return self.key or getattr(self, "default_code", type(self).__name__)

    def message(self, lang: str | None = None) -> str:
        if self.key is None:
            return self.text or ""
        return t(self.key, lang or self.lang, **self.format_fields(lang or self.lang))

    def format_fields(self, lang: str | None) -> dict[str, Any]:
        """The fields as the text shows them (a subclass formats numbers for the language)."""
        return self.fields

    def __str__(self) -> str:
        return self.args[0] if self.args else ""

    def as_error(self, lang: str | None = None) -> dict[str, Any]:
        """The `--json` error entry: code, message in `lang`, and the fields (as JSON can hold them)."""
        fields = {k: v if isinstance(v, str | int | float | bool | None) else str(v)
                  for k, v in self.fields.items() if k not in ("code", "message")}
        return {"code": self.code, "message": self.message(lang), **fields}


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
    lang = _resolve(lang)
    try:
        text = catalogue()[key][lang]
    except KeyError:
        raise MessageError(f"No text with key {key!r}") from None
    if _PLURAL.search(text):
        text = expand_plurals(text, lang, values)
    return text.format(**values) if values else text


def has_text(key: str) -> bool:
    return key in catalogue()


def plural_category(n: Any, lang: str | None = None) -> str:
    """The CLDR plural category of `n` in the language: `one` or `other` in fi/sv/en. `n` may be a
    number or a number as `fmt_number` wrote it (`1`, `1 234`, `2,5`); anything else is `other`."""
    number = _as_number(n, _resolve(lang))
    if number is None:
        return "other"
    return Locale.parse(BABEL_LOCALE[_resolve(lang)]).plural_form(number)


def _as_number(value: Any, lang: str) -> Decimal | int | float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return None if isinstance(value, float) and not math.isfinite(value) else value
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace("\u2212", "-")
    text = text.replace(",", "") if lang == "en" else text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


_PLURAL = re.compile(r"\{(\w+),\s*plural\s*,")


def expand_plurals(text: str, lang: str, values: dict[str, Any]) -> str:
    """Replace each `{name, plural, one {…} other {…}}` by the branch for `values[name]`, `#` in it
    by `{name}`; the result is an ordinary `str.format` text."""
    out, pos = [], 0
    while (match := _PLURAL.search(text, pos)) is not None:
        name = match.group(1)
        branches, end = _plural_branches(text, match.end())
        number = values.get(name)
        exact = _as_number(number, lang)
        chosen = branches.get(f"={exact}") if exact is not None else None
        if chosen is None:
            chosen = branches.get(plural_category(number, lang), branches.get("other", ""))
        out += [text[pos:match.start()], expand_plurals(chosen, lang, values).replace("#", "{" + name + "}")]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _plural_branches(text: str, pos: int) -> tuple[dict[str, str], int]:
    """Parse `one {…} other {…}}` from `pos`; return the branches and the index after the block."""
    branches: dict[str, str] = {}
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            raise MessageError(f"Unclosed plural in {text!r}")
        if text[pos] == "}":
            return branches, pos + 1
        brace = text.index("{", pos)
        selector = text[pos:brace].strip()
        depth, end = 1, brace + 1
        while depth:
            if end >= len(text):
                raise MessageError(f"Unclosed plural branch in {text!r}")
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        branches[selector] = text[brace + 1:end - 1]
        pos = end


def t_plural(key: str, n: float | int | None, /, lang: str | None = None, **values: Any) -> str:
    """`t(key)` for a count `n`: the text `key.<category>` (`key.one`, "1 virhe") for the Babel plural
    category of `n` when that text exists, else `key.other` when it exists, else `key` itself
    ("3 virhettä"); `key` may also hold an ICU plural of its own."""
    category = plural_category(n, lang)
    for candidate in (f"{key}.{category}", f"{key}.other"):
        if has_text(candidate):
            return t(candidate, lang, **values)
    return t(key, lang, **values)


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
    """A period as people write it: `2024`, `Q1/2024`, `3/2024`, `vk 5/2024` (an ISO week: `v.
    5/2024` in Swedish, `wk 5/2024` in English, CLDR's short names of a week), `15.3.2024`."""
    if start is None:
        return "–"
    if grain == "week":
        year, week, _ = start.isocalendar()
        return t("period.week", lang, week=week, year=year)
    if grain == "year":
        return str(start.year)
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1}/{start.year}"
    if grain in ("month", "round"):
        return f"{start.month}/{start.year}"
    return fmt_date(start, lang)


def month_names(lang: str) -> tuple[str, ...]:
    """January … December in lower case, as CLDR names them standing alone (Babel): `tammikuu`,
    `januari`, `january`."""
    names = babel_dates.get_month_names("wide", locale=BABEL_LOCALE[lang], context="stand-alone")
    return tuple(str(names[i]).lower() for i in range(1, 13))


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
