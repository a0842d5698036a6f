"""The only module of the library that imports Streamlit: the shared connection, cached
queries, URL-backed filter state, the language switch and the "demo data" banner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import streamlit as st

from vetopito import access, db, i18n

DEMO_FLAG = "demo_only"


@st.cache_resource(show_spinner=False, on_release=lambda con: con.close())
def connection():
    """One connection per process; every query takes its own cursor (DuckDB refuses a
    second thread on one connection instead of waiting)."""
    return db.connect()


def data_version() -> int:
    return db.data_version(connection())


def current_scope() -> access.Scope:
    """The signed-in user's scope. Until sign-in exists this is the local demo mode: all units."""
    return _full_scope(data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def _full_scope(_version: int) -> access.Scope:
    return access.full_scope(connection())


@st.cache_data(show_spinner=False, max_entries=2000, ttl=3600)
def _cached(name: str, version: int, params: tuple[tuple[str, Any], ...]) -> pl.DataFrame:
    return db.run(connection(), name, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in params})


def query(name: str, /, **params: Any) -> pl.DataFrame:
    """Run a named query for the current user, cached per query, parameters, scope and data version."""
    bound = access.scoped_params(name, current_scope(), params)
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in bound.items()))
    return _cached(name, data_version(), key)


def clear_caches() -> None:
    """After a committed load or undo: the data version moved, but drop stale entries too."""
    _cached.clear()
    _full_scope.clear()


# --- language ------------------------------------------------------------------------------

def language_selector() -> str:
    """Language from the URL (`?lang=sv`), then the session, then Finnish; shown in the sidebar."""
    current = st.query_params.get("lang") or st.session_state.get("s_lang") or i18n.DEFAULT_LANGUAGE
    current = current if current in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    lang = st.sidebar.selectbox(
        i18n.t("app.language", current), i18n.LANGUAGES, index=i18n.LANGUAGES.index(current),
        format_func=i18n.LANGUAGE_NAMES.get, key="w_lang",
    )
    st.session_state["s_lang"] = lang
    if lang != i18n.DEFAULT_LANGUAGE:
        st.query_params["lang"] = lang
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return i18n.set_language(lang)


# --- filter state that survives page switches and lives in the URL --------------------------------

def url_choice(param: str, options: Sequence[Any], *, label: str, default: Any = None,
               format_func=str, widget=None, container=None) -> Any:
    """A selectbox whose value lives in the URL (`?param=…`) and in a session key of its own.

    The sidebar navigation drops both the query string and the widgets' state, so the
    choice is kept in `s_<param>` and restored from there when the URL lacks it.
    """
    options = list(options)
    if not options:
        return None
    by_text = {str(o): o for o in options}
    wanted = st.query_params.get(param) or st.session_state.get(f"s_{param}")
    if wanted is not None and str(wanted) in by_text:
        value = by_text[str(wanted)]
    else:
        value = default if default in options else options[0]
    key = f"w_{param}"
    if key in st.session_state and st.session_state[key] in options and \
            st.session_state.get(f"s_{param}") == st.session_state[key] and \
            str(st.session_state[key]) != str(value):
        # the URL changed under an existing widget (back button, shared link): the URL wins
        st.session_state[key] = value
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    draw = widget or (container or st).selectbox
    chosen = draw(label, options, index=options.index(value), format_func=format_func, key=key)
    st.session_state[f"s_{param}"] = chosen
    st.query_params[param] = str(chosen)
    return chosen


def demo_banner() -> None:
    """Say plainly that the figures are synthetic while only demo data is loaded."""
    flag = query("meta__get", key=DEMO_FLAG)
    if not flag.is_empty() and flag.item(0, 0) == "true":
        st.warning(i18n.t("app.demo_banner"), icon="⚠️")
