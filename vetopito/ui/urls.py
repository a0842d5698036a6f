"""Values in the URL: one checked parser per kind of value, and the filter state that survives page
switches (`url_choice` keeps a choice in the URL and in a session key of its own)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st

from vetopito import i18n
from vetopito.ui.markup import md

_URL_INT = re.compile(r"[0-9]{1,9}")


_URL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


_URL_REGION = re.compile(r"[A-Za-z0-9]{1,10}")


_URL_PERIOD = re.compile(r"[0-9]{4}(?:Q[1-4]|-W[0-9]{2}|-[0-9]{2}(?:-[0-9]{2})?)?")


URL_TEXT_MAX = 100


def _fullmatch(pattern: re.Pattern, text: Any) -> str | None:
    return text if isinstance(text, str) and pattern.fullmatch(text) else None


def url_int(text: Any) -> int | None:
    """An integer of 1–9 ASCII digits (a cohort year, an index): `²`, `٣`, `1e3`, `-1` and 5 000 digits are None."""
    matched = _fullmatch(_URL_INT, text)
    return int(matched) if matched is not None else None


def url_id(text: Any) -> str | None:
    """An id as the loader accepts them (indicator, team, unit, YTA, theme, sort): ASCII letters, digits, `_.-`, ≤ 64."""
    return _fullmatch(_URL_ID, text)


def url_region(text: Any) -> str | None:
    """A region as a link gives it: an official code (`15`, `5`) or a unit id (`HVA15`)."""
    return _fullmatch(_URL_REGION, text)


def url_period(text: Any) -> str | None:
    """A period token (`regions.base.period_token`): `2024`, `2024Q1`, `2024-03`, `2024-W05`, `2024-03-15`."""
    return _fullmatch(_URL_PERIOD, text)


def url_language(text: Any) -> str | None:
    return text if isinstance(text, str) and text in i18n.LANGUAGES else None


def url_text(text: Any) -> str | None:
    """Any other parameter: printable text of at most `URL_TEXT_MAX` characters."""
    if not isinstance(text, str) or not 0 < len(text) <= URL_TEXT_MAX or not text.isprintable():
        return None
    return text


URL_KINDS = {"region": url_region, "indicator": url_id, "team": url_id, "unit": url_id, "yta": url_id,
             "theme": url_id, "sort": url_id, "cohort": url_int, "period": url_period, "lang": url_language}


def url_value(param: str) -> Any:
    """`?param=` checked by the parser of its kind (`URL_KINDS`, else `url_text`); None when absent,
    empty or not of that shape."""
    raw = st.query_params.get(param)
    if raw is None or raw == "":
        return None
    return URL_KINDS.get(param, url_text)(raw)


def url_unknown(param: str, shown: Any) -> None:
    """Say, briefly, that the URL's `param` was not known and what is shown instead."""
    st.toast(i18n.t("url.unknown", param=md(param), shown=md(shown)), icon=":material/link_off:")


_NO_MATCH = object()


def _url_match(parsed: Any, options: Sequence[Any]) -> Any:
    if parsed is None:
        return _NO_MATCH
    for option in options:
        if option == parsed or str(option) == str(parsed):
            return option
    return _NO_MATCH


def url_pick(param: str, options: Sequence[Any], *, default: Any = None, format_func=str) -> Any:
    """The option `?param=` names (checked by `url_value`), else `default` (else the first option);
    a value in the URL that names no option falls back with a message. Writes nothing to the URL."""
    options = list(options)
    if not options:
        return None
    found = _url_match(url_value(param), options)
    if found is not _NO_MATCH:
        return found
    fallback = default if default in options else options[0]
    if st.query_params.get(param):
        url_unknown(param, format_func(fallback))
    return fallback


def url_choice(param: str, options: Sequence[Any], *, label: str, default: Any = None,
               format_func=str, widget=None, container=None) -> Any:
    """A selectbox whose value lives in the URL (`?param=…`) and in a session key of its own.

    The sidebar navigation drops both the query string and the widgets' state, so the
    choice is kept in `s_<param>` and restored from there when the URL lacks it.
    """
    options = list(options)
    if not options:
        return None
    if st.query_params.get(param):   # the URL wins; checked by its kind's parser, unknown → message
        value = url_pick(param, options, default=default, format_func=format_func)
    else:
        value = _url_match(st.session_state.get(f"s_{param}"), options)
        if value is _NO_MATCH:
            value = default if default in options else options[0]
    key = f"w_{param}"
    if key in st.session_state and st.session_state[key] in options and \
            st.session_state.get(f"s_{param}") == st.session_state[key] and \
            str(st.session_state[key]) != str(value):
        # the URL changed under an existing widget (back button, shared link): the URL wins
        st.session_state[key] = value
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    refresh_label(key, format_func)
    draw = widget or (container or st).selectbox
    # "contains": the labels hold many names (`pickers`), and the default fuzzy match (letters in
    # order) would offer most regions for "Siun sote"
    extra = {} if widget else {"placeholder": i18n.t("app.picker.placeholder"), "filter_mode": "contains"}
    chosen = draw(label, options, index=options.index(value), format_func=format_func, key=key, **extra)
    remember_label(key, chosen, format_func)
    st.session_state[f"s_{param}"] = chosen
    st.query_params[param] = str(chosen)
    return chosen


def _labels(value: Any, format_func) -> Any:
    try:
        return [format_func(v) for v in value] if isinstance(value, list) else format_func(value)
    except (KeyError, TypeError, ValueError):
        return None


def refresh_label(key: str, format_func) -> None:
    """Call before drawing a keyed selectbox or multiselect (and `remember_label` after it): when
    the chosen value's label has changed since the last run (the language was switched), set the
    value again, so Streamlit sends the new label; else the browser keeps the old language's."""
    marker = f"s_label_{key}"
    if key in st.session_state and marker in st.session_state:
        value = st.session_state[key]
        labels = _labels(value, format_func)
        if labels is not None and labels != st.session_state[marker]:
            st.session_state[key] = value


def remember_label(key: str, value: Any, format_func) -> None:
    st.session_state[f"s_label_{key}"] = _labels(value, format_func)


def url_normalise(param: str, resolve) -> None:
    """Rewrite `?param=` through `resolve` (e.g. `HVA15` → `15`) before `url_choice` reads it."""
    wanted = url_value(param)
    if wanted is not None:
        canonical = resolve(wanted)
        if canonical is not None and canonical != wanted:
            st.query_params[param] = canonical


def lang_param() -> dict[str, str]:
    """`{"lang": "sv"}` when a language other than Finnish is chosen, for links between pages."""
    lang = i18n.get_language()
    return {} if lang == i18n.DEFAULT_LANGUAGE else {"lang": lang}


def url_prefer(param: str, preferred: Sequence[Any]) -> None:
    """When the URL names no `param` and the choice carried over from another page (`s_<param>`)
    is not among `preferred`, start from the first preferred one (e.g. a region with data)."""
    if param in st.query_params or not preferred:
        return
    if str(st.session_state.get(f"s_{param}")) not in {str(p) for p in preferred}:
        st.query_params[param] = str(preferred[0])


def choose(param: str, value: Any) -> None:
    """A button's `on_click`: make `value` the `url_choice` of `param` (URL, session, widget)."""
    st.session_state[f"s_{param}"] = value
    st.session_state[f"w_{param}"] = value
    st.query_params[param] = str(value)
