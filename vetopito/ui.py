"""The only module of the library that imports Streamlit: the shared connection, cached
queries, URL-backed filter state, the language switch and the "demo data" banner."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from vetopito import access, db, i18n
from vetopito import text as texts

DEMO_FLAG = "demo_only"
_log = logging.getLogger(__name__)


# --- texts from data or from a user: never markup ------------------------------------------------

def md(value: Any) -> str:
    """Show this data text: `value` (a team or unit name, an aim, a file name, a cell) escaped
    for any element that renders markdown (`st.markdown`, `st.caption`, `st.title`, alerts,
    `st.table` cells, button and widget labels, `help=`): it reads as itself, on one line."""
    return texts.escape_markdown(value)


def t_md(key: str, /, lang: str | None = None, **values: Any) -> str:
    """`i18n.t(key, **values)` for a markdown element: the message's own markup stays, every
    value (a name, a file name, an e-mail address) is escaped."""
    return i18n.t(key, lang, **texts.escape_values(values))


def message_md(exc: Exception) -> str:
    """The message of an exception for a markdown element: a `Localised` one in the user's
    language with its fields escaped, any other its text escaped."""
    if isinstance(exc, i18n.Localised) and exc.key is not None:
        return t_md(exc.key, **exc.format_fields(None))
    return md(str(exc))


def md_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` for `st.table`, which renders markdown in every cell and header: text columns and
    column names escaped, other columns as they are (for `st.dataframe`, which renders none)."""
    return frame.with_columns(
        pl.col(c).map_elements(md, return_dtype=pl.String) for c, kind in frame.schema.items() if kind == pl.String
    ).rename(md)


def grant_md(grant: access.Grant) -> str:
    """`Grant.describe()` for a markdown element: the e-mail address and the scope's value (both
    typed by an admin) escaped, the role and the scope's kind (from fixed lists) as they are."""
    scope = "all" if grant.scope_kind == "all" else f"{grant.scope_kind}:{md(grant.scope_value)}"
    return f"{md(grant.email)} {grant.role} {scope}"


def link_md(title: Any, link: Any) -> str:
    """`[title](link)` when `link` is an https address, else the escaped title alone."""
    safe = texts.safe_link(link)
    return f"[{md(title)}]({safe})" if safe else md(title)


@st.cache_resource(show_spinner=False, on_release=lambda con: con.close())
def _connection():
    """One connection per process; every query takes its own cursor (DuckDB refuses a
    second thread on one connection instead of waiting). Read-only in a view-only deployment.
    Opened once per process with every table read through (`db.verify`, about 0.1 s on the demo
    database), so a damaged file is said at start instead of on some page later; a failure is not
    cached, so the next run tries again (the other program may have let go of the file)."""
    con = db.connect(read_only=auth_settings().read_only)
    try:
        db.verify(con)
    except BaseException:
        con.close()
        raise
    return con


def connection():
    """The process's connection; on database trouble the page says what happened and stops."""
    try:
        return _connection()
    except db.DatabaseError as exc:
        show_database_trouble(exc)
        st.stop()


# --- database trouble: a page that says what happened and what to do ---------------------------

def database_trouble_text(exc: db.DatabaseError, lang: str | None = None) -> str:
    """What a page says for database trouble of each kind (`db.classify`), in the user's language."""
    kind = getattr(exc, "kind", "error")
    target = str(exc.fields.get("target") or db.database_target())
    file = md(os.path.basename(target) or target)
    if kind == "locked":
        return i18n.t("db.page.locked", lang, file=file, pid=md(exc.fields.get("pid", "?")))
    if kind in ("empty", "truncated", "not_a_database", "corrupt"):
        table = exc.fields.get("table")
        what = (i18n.t("db.page.what.corrupt_table", lang, table=md(table)) if table
                else i18n.t(f"db.page.what.{kind}", lang))
        return i18n.t("db.page.damaged", lang, file=file, what=what)
    if kind in ("disk_full", "not_writable"):
        return i18n.t(f"db.page.{kind}", lang, file=file)
    return i18n.t("db.page.other", lang, file=file, reason=md(exc.message(lang)))


def show_database_trouble(exc: db.DatabaseError) -> None:
    """The page for database trouble: a title and one error box (no exception element, no
    traceback); the full error goes to the server's log for the administrator."""
    _log.warning("database trouble (%s): %s", getattr(exc, "kind", "error"), exc.message("en"))
    st.title(i18n.t("db.page.title"))
    st.error(database_trouble_text(exc), icon=":material/database:")


def database_gate() -> None:
    """Run from app.py before sign-in and navigation: open the database (and read it through, once
    per process); on trouble show the page for it and stop, with no page reachable past it."""
    try:
        _connection()
    except db.DatabaseError as exc:
        show_database_trouble(exc)
        _stop_before_pages()


@contextlib.contextmanager
def database_guard():
    """Around a page's run (`st.navigation(...).run()` in app.py): database trouble met on any page
    (a block that fails its checksum, a full disk on a load) ends the page with its message instead
    of an exception; any other error passes through."""
    try:
        yield
    except (db.DatabaseError, duckdb.Error) as exc:
        problem = db.classify(exc)
        if problem is None:
            raise
        show_database_trouble(problem)
        st.stop()


def data_version() -> int:
    """The data version, read at most once a second: a page asks for it with every query.
    A load or undo in this process clears it at once (`clear_caches`); another process can
    change the file only by publishing a new one, which needs a reconnect anyway."""
    return _data_version()


@st.cache_data(show_spinner=False, ttl=1, max_entries=1)
def _data_version() -> int:
    return db.data_version(connection())


@functools.lru_cache(maxsize=64)
def _digest(unit_ids: tuple[str, ...]) -> str:
    return hashlib.blake2b("\n".join(unit_ids).encode(), digest_size=16).hexdigest()


def scope_digest(scope: access.Scope | None = None) -> str:
    """A short key for the user's units. Cached functions take this, not the unit ids
    themselves: Streamlit hashes a cache argument item by item, and 2 000 unit ids cost tens
    of milliseconds on every call."""
    return _digest((scope or current_scope()).unit_ids)


def current_scope() -> access.Scope:
    """The signed-in user's scope (`access.scope_for`); everything in the local demo mode; an
    empty scope for a visitor who is not signed in or has no grants."""
    settings = auth_settings()
    if settings.demo_mode:
        if settings.required or settings.problems or settings.invalid or _demo_refused(settings):
            return access.empty_scope()   # app.py refuses to start; show nothing either
        return replace(_full_scope(data_version()), user=access.DEMO_USER)
    email = signed_in_email()
    if not email:
        return access.empty_scope()
    return _user_scope(email, data_version(), access.access_version(connection()))


@st.cache_data(show_spinner=False, max_entries=4)
def _full_scope(version: int) -> access.Scope:
    return access.full_scope(connection())


@st.cache_data(show_spinner=False, max_entries=2000, ttl=3600)
def _cached(name: str, version: int, params: tuple[tuple[str, Any], ...], scope_key: str,
            _bound: dict[str, Any]) -> pl.DataFrame:
    # `_bound` (with the scope's unit ids) is left out of the key: `params` and `scope_key` say it
    return db.run(connection(), name, **_bound)


def query(name: str, /, **params: Any) -> pl.DataFrame:
    """Run a named query for the current user, cached per query, parameters, scope and data version."""
    scope = current_scope()
    bound = access.scoped_params(name, scope, params)
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached(name, data_version(), key, scope_digest(scope), bound)


def clear_caches() -> None:
    """After a committed load or undo: the data version moved, but drop stale entries too."""
    _data_version.clear()
    _cached.clear()
    _full_scope.clear()


# --- language ------------------------------------------------------------------------------

def language_selector() -> str:
    """Language from the URL (`?lang=sv`), then the session, then Finnish; shown in the sidebar.
    A language the app does not have falls back, and a message says so."""
    from_url = url_value("lang")
    current = from_url or st.session_state.get("s_lang") or i18n.DEFAULT_LANGUAGE
    switched = st.session_state.get("w_lang")
    if switched in i18n.LANGUAGES and switched != st.session_state.get("s_lang"):
        current = switched    # just chosen in the widget: its own label is in the new language too
    current = current if current in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    if from_url is None and st.query_params.get("lang"):
        i18n.set_language(current)
        url_unknown("lang", i18n.LANGUAGE_NAMES[current])
    lang = st.sidebar.selectbox(
        i18n.t("app.language", current), i18n.LANGUAGES, index=i18n.LANGUAGES.index(current),
        format_func=i18n.LANGUAGE_NAMES.get, key="w_lang",
    )
    st.session_state["s_lang"] = lang
    if lang != i18n.DEFAULT_LANGUAGE:
        st.query_params["lang"] = lang
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    lang = i18n.set_language(lang)
    st.html(_ACCESSIBLE_CSS + widget_texts_css(lang))   # one element: each costs the browser a layout
    return lang


# WCAG 2.1 AA 1.4.3: Streamlit draws captions at 60 % opacity (#76797c on white,
# 4.37:1 < 4.5:1); the app's captions carry sources, rules and chart summaries, so they get a
# darker grey (#4d5257: 7.9:1 on white, 7.1:1 on the secondary background #f1f4f8).
_ACCESSIBLE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #4d5257 !important; opacity: 1 !important;}
[class*="st-key-alt_sr_"], :is([data-testid="stLayoutWrapper"], [data-testid="stElementContainer"]):has(> [class*="st-key-alt_sr_"]) {position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap !important;}
</style>"""


def accessible_css() -> None:
    """Colours the app sets where Streamlit's defaults fail WCAG 2.1 AA contrast, and the
    screen-reader-only text alternatives (`chart_alternative(visible=False)`); constants only."""
    st.html(_ACCESSIBLE_CSS)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ") + '"'


# Streamlit 1.67 has no setting for the language of its own texts: these selectors (stable test ids
# and react-aria's `data-empty`) put the chosen language's text over the English one. The English
# text is shrunk to nothing and the translation drawn by `::after`, which Chromium also gives to
# screen readers. tests/browser/test_browser_pickers.py checks every one in Chromium.
_WIDGET_TEXTS = (
    ('[role="listbox"][data-empty="true"] [role="option"] > span', "app.picker.no_results"),
    ('a[data-testid="stSkipToContent"]', "app.skip_to_content"),
    ('[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] '
     '[data-testid="stMarkdownContainer"] p', "app.uploader.browse"),
    ('[data-testid="stFileUploaderDropzoneInstructions"] span', "app.uploader.limit"),
)


def widget_texts(lang: str) -> None:
    """Streamlit's own English texts (the pickers' "No results", the skip link, the file uploader's
    button and limit) in the chosen language; nothing to do in English."""
    if lang != "en":
        st.html(widget_texts_css(lang))


def widget_texts_css(lang: str) -> str:
    """The `<style>` of `widget_texts` ("" in English); constants and the app's own messages."""
    if lang == "en":
        return ""
    rules = []
    for selector, key in _WIDGET_TEXTS:
        text = _css_string(i18n.t(key, lang, mb=st.get_option("server.maxUploadSize")))
        rules.append(f"{selector} {{font-size: 0 !important;}}\n"
                     f"{selector}::after {{content: {text}; font-size: 0.875rem;}}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


# --- values in the URL: one checked parser per kind of value ------------------------------------
# A link can carry anything (thousands of digits, `²`, which `str.isdigit` calls a digit, a name with
# control characters): every page reads `?param=` through `url_value`, whose parser for that kind
# accepts only bounded ASCII shapes and gives None for anything else; the page then falls back to
# its default and `url_unknown` says so.

_URL_INT = re.compile(r"[0-9]{1,9}")
_URL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_URL_REGION = re.compile(r"[A-Za-z0-9]{1,10}")
_URL_PERIOD = re.compile(r"[0-9]{4}(?:Q[1-4]|-[0-9]{2}(?:-[0-9]{2})?)?")
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
    """A period token (`regions.base.period_token`): `2024`, `2024Q1`, `2024-03`, `2024-03-15`."""
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


def demo_notice() -> str | None:
    """"All figures are synthetic" while only demo data is loaded, "some are" when demo and real
    loads are mixed (flags derived by `ingest.demo`), else None."""
    for key, text in ((DEMO_FLAG, "app.demo_banner"), ("demo_mixed", "ingest.banner.demo_mixed")):
        flag = query("meta__get", key=key)
        if not flag.is_empty() and flag.item(0, 0) == "true":
            return i18n.t(text)
    return None


def demo_banner() -> None:
    """Say plainly, at the top of a page, when the figures are (partly) synthetic."""
    notice = demo_notice()
    if notice:
        st.warning(notice, icon=":material/science:")


# --- sign-in and roles (engineer F) -----------------------------------------------------------

def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, KeyError, AttributeError):   # no secrets.toml at all
        return {}


def auth_settings() -> access.AuthSettings:
    """Sign-in, `auth.required` and read-only settings from `st.secrets` and the environment."""
    return access.settings_from(_secrets(), os.environ)


def signed_in_email() -> str:
    """The signed-in user's e-mail in lower case, or '' when nobody is signed in."""
    info = st.user
    if not info.get("is_logged_in"):
        return ""
    return str(info.get("email") or "").strip().lower()


@st.cache_data(show_spinner=False, max_entries=500, ttl=600)
def _user_scope(email: str, data_version_: int, access_version_: int) -> access.Scope:
    # no leading underscores: st.cache_data leaves such arguments out of the cache key
    with connection().cursor() as cur:
        return access.scope_for(cur, email)


def may_see_page(name: str, scope: access.Scope | None = None) -> bool:
    return access.page_visible(name, scope or current_scope(), auth_settings())


def _gate_page() -> None:
    """The only page while the app refuses to go on: what auth_gate drew is all there is."""


def _stop_before_pages() -> None:
    """End the run with no page but the gate registered, so no page can be reached past the gate
    (a run without st.navigation would list the `pages/` folder)."""
    st.navigation([st.Page(_gate_page, title="Vetovoima", url_path="kirjaudu")], position="hidden").run()
    st.stop()


def server_address() -> str | None:
    """The address Streamlit listens on (`server.address`; unset means every interface)."""
    return st.get_option("server.address")


def _demo_refused(settings: access.AuthSettings) -> bool:
    try:
        access.check_exposure(settings, server_address())
    except access.AuthConfigError:
        return True
    return False


@functools.cache
def _warn_demo_open(address: str) -> None:
    """Once per process, in the server log: the open demo mode is reachable from the network."""
    logging.getLogger("vetopito").warning(
        "OPEN DEMO MODE ON %s: no sign-in, every visitor gets every role (upload, undo, admin); "
        "started with %s=1 / --demo-open", address, access.ENV_DEMO_OPEN)


_SIGN_IN_WAIT_S = 15 * 60


@st.cache_resource(show_spinner=False)
def _sign_ins() -> tuple[threading.Lock, dict[str, float]]:
    """Browsers sent to the identity provider and not yet back signed in: browser key → when."""
    return threading.Lock(), {}


def _browser_key() -> str | None:
    """A key for this browser that survives the round trip to the identity provider (a new
    session): a digest of the token in Streamlit's XSRF cookie (kept across requests; on by
    force when sign-in is configured). None when there is none; then no failure is told."""
    raw = st.context.cookies.get("_streamlit_xsrf")
    if not raw:
        return None
    try:
        from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

        token, _ = decode_xsrf_token_string(raw)
    except Exception:   # an internal of Streamlit moved: sign-in works, only the failure note is lost
        return None
    return hashlib.blake2b(token, digest_size=16).hexdigest() if token else None


def _sign_in_starts() -> None:
    key = _browser_key()
    if key is None:
        return
    lock, started = _sign_ins()
    now = time.monotonic()
    with lock:
        for old in [k for k, at in started.items() if now - at > _SIGN_IN_WAIT_S or len(started) > 10_000]:
            del started[old]
        started[key] = now


def _sign_in_started(*, forget: bool) -> bool:
    """Did this browser leave for the identity provider in the last 15 minutes? Streamlit sends
    a failed sign-in (the provider refused, an answer for another client id, a denied consent)
    back to the start page as a visitor and only logs why; this lets the page say so."""
    key = _browser_key()
    if key is None:
        return False
    lock, started = _sign_ins()
    with lock:
        at = started.pop(key, None) if forget else started.get(key)
    return at is not None and time.monotonic() - at <= _SIGN_IN_WAIT_S


def auth_gate() -> access.Scope:
    """Run from app.py before navigation: stop with a clear message on unsafe settings (a switch
    with an unknown value, sign-in required without a provider, the demo mode on a non-loopback
    address without the override), show the sign-in screen to a visitor, "no access" to a user
    without grants, and the demo-mode banner."""
    address = server_address()
    try:
        settings = access.check_startup(auth_settings())
        exposed = access.check_exposure(settings, address)
    except access.AuthConfigError as exc:
        fields = {k: md(str(v)) for k, v in exc.fields.items()}
        st.error(i18n.t(exc.key, **fields), icon=":material/lock:")
        _stop_before_pages()
    if settings.read_only:
        st.info(i18n.t("auth.read_only_banner"), icon=":material/lock:")
    if settings.demo_mode:
        if exposed:
            _warn_demo_open(str(address or "*"))
            st.error(i18n.t("auth.demo_open_banner", address=md(str(address or "*")),
                            override=access.ENV_DEMO_OPEN), icon=":material/warning:")
        st.warning(i18n.t("auth.demo_mode_banner"), icon=":material/lock_open:")
        return current_scope()
    if not st.user.get("is_logged_in"):
        st.title(i18n.t("auth.sign_in.title"))
        if _sign_in_started(forget=True):   # back from the provider, but not signed in
            st.error(i18n.t("auth.sign_in.failed"), icon=":material/error:")
        st.write(i18n.t("auth.sign_in.intro"))
        for provider in settings.providers:
            label = (i18n.t("auth.sign_in.button_named", provider=provider.capitalize()) if provider
                     else i18n.t("auth.sign_in.button"))
            if st.button(label, key=f"w_login_{provider or 'default'}", type="primary"):
                _sign_in_starts()
                st.login(provider or None)
        _stop_before_pages()
    _sign_in_started(forget=True)
    email = signed_in_email()
    name = st.user.get("name") or email
    st.sidebar.caption(t_md("auth.signed_in_as", name=name))
    if st.sidebar.button(i18n.t("auth.sign_out"), key="w_logout"):
        st.logout()
    if not email:
        st.error(i18n.t("auth.no_email"))
        _stop_before_pages()
    scope = current_scope()
    if not settings.read_only and st.session_state.get("s_auth_recorded") != email:
        with connection().cursor() as cur:
            access.record_sign_in(cur, email, scope.roles)
        st.session_state["s_auth_recorded"] = email
    if not scope.roles:
        st.error(t_md("auth.no_access", email=email), icon=":material/block:")
        _stop_before_pages()
    st.sidebar.caption(i18n.t("auth.roles_line", roles=", ".join(
        i18n.t(f"auth.role.{r}") for r in access.ROLES if r in scope.roles)))
    return scope


# --- directors: region, compare and units pages (engineer D) ------------------------------------

def region_names(lang: str) -> tuple[Any, dict[str, str]]:
    """The regions the user sees and their short names by official code, with `?region=`
    normalised to the code (`HVA15` → `15`); stops the page with "no data yet" when empty."""
    from vetopito.regions import base

    regions = base.regions(query)
    if regions.is_empty():
        st.info(i18n.t("app.no_data"))
        st.stop()
    url_normalise("region", lambda wanted: base.region_code(regions, wanted))
    return regions, dict(zip(regions["code"].to_list(), regions[f"short_{lang}"].to_list(), strict=True))


def carried_region() -> str | None:
    """The region a director carries between pages: `?region=` (any form `regions.base.region_code`
    reads) or, when the sidebar dropped the URL, the region page's choice (`s_region`); an official
    code among the regions the user sees, or None. Written back to the URL (no rerun) and the
    session key, so links, reloads and the way back keep it."""
    from vetopito.regions import base

    regions = base.regions(query)
    wanted = st.query_params.get("region") or st.session_state.get("s_region")
    code = None if regions.is_empty() else base.region_code(regions, wanted)
    if code is not None:
        if st.query_params.get("region") != code:
            st.query_params["region"] = code
        st.session_state["s_region"] = code
    return code


def region_labels(regions: pl.DataFrame, lang: str, *, by: str = "code") -> dict[str, str]:
    """Official code (or unit id) → a label that holds every name of the region (`pickers.region_labels`)."""
    from vetopito import pickers

    return pickers.region_labels(regions, query("catalog__unit_aliases"), lang, by=by)


def yta_labels(lang: str) -> dict[str, str]:
    """YTA id → its name in `lang` followed by its other names (`pickers.yta_labels`)."""
    from vetopito import pickers

    return pickers.yta_labels(query("catalog__yta"), query("catalog__unit_aliases"), lang)


def url_normalise(param: str, resolve) -> None:
    """Rewrite `?param=` through `resolve` (e.g. `HVA15` → `15`) before `url_choice` reads it."""
    wanted = url_value(param)
    if wanted is not None:
        canonical = resolve(wanted)
        if canonical is not None and canonical != wanted:
            st.query_params[param] = canonical


def cached_build(builder, /, *args: Any) -> Any:
    """`builder(query, *args)` cached per arguments, scope and data version (a library
    function that combines several queries, e.g. `regions.overview.region_view`)."""
    return _cached_build(f"{builder.__module__}:{builder.__qualname__}", args,
                         scope_digest(), data_version())


@st.cache_data(show_spinner=False, max_entries=500, ttl=3600)
def _cached_build(path: str, args: tuple, scope_key: str, version: int) -> Any:
    import importlib

    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)(query, *args)


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


def page_button(target: str, label: str, *, query_params: dict[str, str], key: str, icon: str | None = None,
                container=None) -> None:
    """A link-styled button that opens `target` (`pages/x.py`) with `query_params`, in the app.
    Used for links to the default page: `st.page_link` gives it the relative href `?region=15`,
    which a new tab or a copied link resolves against the current page (`/vertailu?region=15`)."""
    if (container or st).button(label, key=key, icon=icon, type="tertiary"):
        st.switch_page(target, query_params=query_params)


def sidebar_navigation(pages: dict[str, list[Any]], *, container) -> None:
    """The app's navigation, drawn by the app: a bold caption per section and a link per visible
    page. Streamlit's own sidebar navigation puts its section headers (div) and list items inside
    one list in a way WCAG 1.3.1 forbids (axe-core: `list`, `listitem`, every page); plain links
    under a text heading carry the same structure without a broken list."""
    with container:
        for section, listed in pages.items():
            visible = [page for page in listed if page.visibility != "hidden"]
            if not visible:
                continue
            if section:
                st.caption(f"**{md(section)}**")
            for page in visible:
                st.page_link(page, label=page.title, icon=page.icon or None)


def alias_page(target: str, *, url_path: str) -> st.Page:
    """A hidden page at `/<url_path>` that opens `pages/<target>.py` with the same URL
    parameters: the default page lives at `/`, and Streamlit ignores its own url_path, so a
    typed or shared `/alue?region=15` would otherwise say "Page not found"."""

    def redirect() -> None:
        st.switch_page(f"pages/{target}.py", query_params=st.query_params.to_dict())

    return st.Page(redirect, title=url_path, url_path=url_path, visibility="hidden")


def page_link(target: str, label: str, *, query_params: dict[str, str], icon: str | None = None,
              container=None) -> None:
    """`st.page_link` to `pages/<target>.py`, drawn only when this user may see that page (a
    link to a page outside the user's navigation would raise)."""
    if may_see_page(target):
        (container or st).page_link(f"pages/{target}.py", label=label, icon=icon, query_params=query_params)


def choose(param: str, value: Any) -> None:
    """A button's `on_click`: make `value` the `url_choice` of `param` (URL, session, widget)."""
    st.session_state[f"s_{param}"] = value
    st.session_state[f"w_{param}"] = value
    st.query_params[param] = str(value)


# --- teams (engineer E) ------------------------------------------------------------------------

def plain_markdown(text: Any) -> str:
    """`text` from data or a user, escaped for an element that renders markdown (`st.table`,
    `st.markdown`, a title): shows as typed, never formats, links or turns into an emoji."""
    return md("" if text is None else str(text))


def plain_table(frame: pl.DataFrame, *, key: str) -> None:
    """A short table drawn whole (`st.table`: no inner scrolling, a real HTML table that screen
    readers walk), every cell escaped: `st.table` renders markdown."""
    cells = frame.select(pl.all().map_elements(plain_markdown, return_dtype=pl.String, skip_nulls=False))
    with st.container(key=key):
        st.table(cells, hide_index=True, border="horizontal")


@st.cache_data(show_spinner=False, max_entries=20, ttl=3600)
def _team_slides(team_id: str | None, cohort: int | None, lang: str, kind: str, version: int,
                 scope_key: str, _scope: access.Scope) -> bytes:
    # keyed by team or cohort, language, kind, data version and the digest of the scope's units
    # (`_scope` itself is not hashed); a cohort deck takes ~20 s, so it is kept for the next click
    from vetopito.export import slides
    return slides.slide_bytes(connection(), team_id=team_id, cohort=cohort, lang=lang, kind=kind,
                              scope=_scope)


def team_slides(*, team_id: str | None = None, cohort: int | None = None, lang: str, kind: str):
    """A zero-argument callable for `st.download_button(data=…, on_click="ignore")`: the PPTX or PDF
    of a team or a cohort is made only when the button is clicked (on Streamlit's download thread),
    once per team or cohort, language, scope and data version. Nothing is built while the page
    runs: the scope, its digest and the version are read now, in the script's thread."""
    scope = current_scope()
    key, version = scope_digest(scope), data_version()
    return lambda: _team_slides(team_id, cohort, lang, kind, version, key, scope)


def _team_cache_key() -> tuple[str, int]:
    """(digest of the user's units, data version): what a cached team view depends on besides its
    arguments. A digest, not the unit tuple: Streamlit hashes a cache argument item by item, and
    2 000 unit ids cost tens of milliseconds on every call."""
    return scope_digest(), data_version()


def team_list(lang: str) -> pl.DataFrame:
    """`teams.progress.team_list` for the current user, cached like `team_report`."""
    return _team_list(lang, *_team_cache_key())


@st.cache_data(show_spinner=False, max_entries=100, ttl=3600)
def _team_list(lang: str, scope_digest: str, version: int) -> pl.DataFrame:
    from vetopito.teams import progress
    return progress.team_list(query, lang)


def team_report(team_id: str, lang: str):
    """`teams.progress.team_report` for the current user, cached per team, language, scope and
    data version: a rerun (a button, a view switch) reuses the suppressed measures, run charts and
    summaries."""
    return _team_report(team_id, lang, *_team_cache_key())


@st.cache_data(show_spinner=False, max_entries=500, ttl=3600)
def _team_report(team_id: str, lang: str, scope_digest: str, version: int):
    # every argument is part of the key (none starts with "_"); `query` applies the same scope
    from vetopito.teams import progress
    return progress.team_report(query, team_id, lang)


def team_chart(team_id: str, indicator_id: str, lang: str, *, view: str = "run", **options: Any) -> dict | None:
    """The Vega-Lite spec of one measure's chart (`view` "run" or "spc"; `options` go to
    `teams.charts.run_chart`), built once per team, measure, view, language, options, scope and
    data version; draw it with `st.vega_lite_chart(spec, width="stretch")`. Building an Altair
    chart costs far more than drawing the finished spec."""
    return _team_chart(team_id, indicator_id, lang, view, tuple(sorted(options.items())), *_team_cache_key())


@st.cache_data(show_spinner=False, max_entries=1000, ttl=3600)
def _team_chart(team_id: str, indicator_id: str, lang: str, view: str, options: tuple,
                scope_digest: str, version: int) -> dict | None:
    from streamlit.elements import vega_charts

    from vetopito.teams import charts as team_charts
    report = _team_report(team_id, lang, scope_digest, version)
    measure = next((m for m in report.measures if m.indicator_id == indicator_id), None) if report else None
    if measure is None:
        return None
    chart = (team_charts.spc_chart(measure, lang=lang) if view == "spc"
             else team_charts.run_chart(measure, report.events, lang=lang, **dict(options)))
    # the same spec (data as Arrow datasets) that st.altair_chart would send; inline JSON otherwise
    convert = getattr(vega_charts, "_convert_altair_to_vega_lite_spec", None)
    return convert(chart) if convert else chart.to_dict()


def prefetch_team_charts(team_ids: Sequence[str], lang: str, options_for) -> None:
    """Build the reports and run-chart specs of `team_ids` (presentation mode: the next and the
    previous team) into the caches on a background thread while the coach speaks, so that the step
    to them only draws (a team's charts take about half a second to build). `options_for(n)`
    gives each chart's `run_chart` options, the same the page asks for. The thread carries this
    session's script context, so the queries keep the user's scope. Only for a browser session
    (it sends headers): under AppTest the thread would outlive the test and its connection."""
    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    if not st.context.headers:
        return
    key = _team_cache_key()

    def build() -> None:
        try:
            for team_id in team_ids:
                report = _team_report(team_id, lang, *key)
                for measure in report.measures if report else []:
                    options = tuple(sorted(options_for(len(report.measures)).items()))
                    _team_chart(team_id, measure.indicator_id, lang, "run", options, *key)
        except Exception:   # costs only the head start: the page builds what it needs itself
            logging.getLogger(__name__).warning("prefetch of teams %s failed", team_ids, exc_info=True)

    thread = threading.Thread(target=build, name="vetopito-prefetch", daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())
    thread.start()


_ENTER_SELECTS_ROW = """<script>
(() => {
  if (window.__vpEnterSelectsRow) return;
  window.__vpEnterSelectsRow = true;
  // Enter on a cell of a row-selecting grid selects that row, as Shift+Space does in the grid
  // (glide-data-grid's own binding), so a row is opened from the keyboard with Enter
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
    const grid = event.target.closest && event.target.closest(".st-key-board [data-testid='stDataFrame']");
    if (!grid || event.target.tagName !== "CANVAS") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    event.target.dispatchEvent(new KeyboardEvent("keydown", {key: " ", code: "Space", shiftKey: true,
                                                             bubbles: true, cancelable: true}));
  }, true);
})();
</script>"""


def chart_alternative(alternative, *, key: str, table: bool = True, visible: bool = True) -> None:
    """A chart's text alternative (`vetopito.alt_text`): its summary sentence under the chart and,
    behind a toggle, its data as a table. The table is built only once the toggle is on (an
    expander's or popover's content would be built on every run). Presentation mode passes
    `table=False, visible=False`: the sentence is there for screen readers only, so the projector
    screen neither scrolls nor repeats the measure's text below the chart."""
    with st.container(key=f"alt_{key}" if visible else f"alt_sr_{key}"):
        st.caption(md(alternative.summary))
        if table and st.toggle(i18n.t("alt.show_table"), key=f"alt_table_{key}"):
            st.dataframe(alternative.table(), hide_index=True, key=f"alt_data_{key}")


def enter_selects_board_row() -> None:
    """Keyboard use of the cohort board: Enter on a cell selects its row (and so opens the team).
    A fixed script of our own, no data in it."""
    st.html(_ENTER_SELECTS_ROW, unsafe_allow_javascript=True)


def present_notes() -> None:
    """Presentation mode: the synthetic-data notice (and the local demo mode's) as one small line
    instead of the full-width banners, which the page's style hides (they precede this line)."""
    notes = []
    notice = demo_notice()
    if notice:
        notes.append(i18n.t("present.demo_note") if notice == i18n.t("app.demo_banner") else notice)
    if auth_settings().demo_mode:
        notes.append(i18n.t("auth.demo_mode_banner"))
    with st.container(key="present_notes"):
        if notes:
            st.caption(" ".join(notes))


# --- loading -------------------------------------------------------------------------------------

def checked_upload(upload, options, scope: access.Scope, progress) -> tuple[Any, Any]:
    """The loader's check of an uploaded file (`st.file_uploader`'s) and its table of changes, kept
    in the session while the upload, the options, the user's scope, the language and the data
    stay the same: choosing a filter reruns the page, and a large file (1 000 000 rows) should not
    be copied, read and planned again each time. `progress(fraction, text)` is called only when
    the check runs."""
    from vetopito import ingest
    from vetopito.ingest import report_view as present
    from vetopito.ingest.result import empty_changes

    key = _upload_key(upload, options, scope, data_version())
    held = st.session_state.get("_upload_checked")
    if held is None or held[0] != key:
        report = ingest.check(connection(), upload.getvalue(), file_name=upload.name, options=options, scope=scope,
                              progress=progress, surface="page")
        view = present.changes_view(report, con=connection()) if report.ok() and not report.already_loaded else None
        # the page shows the view, not the plan it was made from: the session keeps one of them
        # (for 1 000 000 rows the plan is 74 MB, the view 88 MB)
        report = replace(report, changes=empty_changes())
        held = st.session_state["_upload_checked"] = (key, report, view)
    else:
        progress(1.0, i18n.t("ingest.progress.done"))
    return held[1], held[2]


def _upload_key(upload, options, scope: access.Scope, version: int) -> tuple:
    return (upload.file_id, upload.name, repr(options), scope_digest(scope), scope.can_load, i18n.get_language(),
            version)


def load_upload(upload, options, scope: access.Scope, progress) -> Any:
    """Load the uploaded file (the loader checks it again, under its write lock) and return its report.

    Memory: the held check and its table of changes are let go first (the load makes its own), and
    after a commit the page does not check the file a second time to learn that every value is now
    stored (for 1 000 000 rows that check joins the file to the million values just written, the
    largest step of an upload): the held check becomes what that check would say, keyed by the
    data version read under the same lock as the commit, so that any other write in between makes
    the page check the file again."""
    from vetopito import ingest
    from vetopito.ingest.cycle import WRITE_LOCK
    from vetopito.ingest.result import empty_changes

    forget_upload(mappings=False)
    with WRITE_LOCK:
        done = ingest.load(connection(), upload.getvalue(), file_name=upload.name, options=options,
                           user=scope.user or "app", scope=scope, progress=progress, surface="page")
        version = db.data_version(connection()) if done.committed else None
    if version is not None:
        clear_caches()
        counts = dict(done.counts)
        stored = counts["new"] + counts["changed"] + counts["unchanged"]
        counts.update(new=0, changed=0, unchanged=stored)
        same = i18n.t("ingest.note.same_file", load_id=done.load_id, file=upload.name)
        report = replace(done, counts=counts, changes=empty_changes(), load_id=None, committed=False,
                         already_loaded=True, notes=[*done.notes, same])
        st.session_state["_upload_checked"] = (_upload_key(upload, options, scope, version), report, None)
    return done


def forget_upload(*, mappings: bool = True) -> None:
    """Drop the held check when the file is removed from the uploader (a large one holds its plan),
    and the names mapped for it (kept by a load: the page then checks the same file, mapped)."""
    st.session_state.pop("_upload_checked", None)
    if mappings:
        st.session_state.pop("_upload_mappings", None)


def upload_mappings(upload, options):
    """`options` with the indicator names the user mapped for this uploaded file on the page
    (`remember_mappings`); a new file starts with none."""
    held = st.session_state.get("_upload_mappings")
    if held is None or held[0] != upload.file_id:
        st.session_state.pop("_upload_mappings", None)
        return options
    return replace(options, map_indicator=tuple(held[1].items()))


def remember_mappings(upload, unknown: list[dict]) -> None:
    """Keep the indicator chosen in each select `upload_map_<n>` for the unknown names of
    `unknown` (`Report.unknown_indicators`, in the order the page drew them), beside the names
    mapped before, for this uploaded file."""
    held = st.session_state.get("_upload_mappings")
    pairs = dict(held[1]) if held is not None and held[0] == upload.file_id else {}
    for number, name in enumerate(u["name"] for u in unknown):
        chosen = st.session_state.get(f"upload_map_{number}")
        if chosen:
            pairs[name] = chosen
    st.session_state["_upload_mappings"] = (upload.file_id, pairs)
