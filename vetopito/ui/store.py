"""Cached reads for the current user: the data version, the user's scope and its digest, `query`
(a named query cached per parameters, scope and data version), `cached_build` for library
functions that combine queries, `chart_spec` for finished charts, and the page visibility that
follows the scope.

Every process sees a commit at once: the data version is read at most once a second, and when it
moved (a load or undo by this process, another connection, another process or another replica on
the same lake) every cache made with `data_cache` is dropped, so the next rerun reads the new data."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import threading
from dataclasses import replace
from typing import Any

import polars as pl
import streamlit as st

from vetopito import access, db
from vetopito.ui.database import connection
from vetopito.ui.session import auth_settings, demo_refused, signed_in_email

_DATA_CACHES: list = []


def data_cache(**options: Any):
    """`st.cache_data` (no spinner) for anything made from the data: its entries are keyed by the
    data version like every other, and dropped as soon as this process sees the version move."""
    def wrap(function):
        cached = st.cache_data(show_spinner=False, **options)(function)
        _DATA_CACHES.append(cached)
        return cached
    return wrap


def data_version() -> int:
    """The data version, read at most once a second per process: a page asks for it with every
    query. When it differs from the one this process saw last, the data caches go (`data_cache`),
    so a commit by any writer shows on the next rerun, without a restart. A load or undo in this
    process clears it at once (`clear_caches`)."""
    run = _SNAPSHOT.get()
    if run is not None and run.version is not None:
        return run.version   # a run keys its cache entries by the version it began with
    version = _data_version()
    if run is not None:
        run.version = version
    seen = _seen_version()
    if seen["version"] != version:
        with seen["lock"]:
            if seen["version"] != version:
                if seen["version"] is not None:
                    _drop_data_caches()
                seen["version"] = version
    return version


@st.cache_data(show_spinner=False, ttl=1, max_entries=1)
def _data_version() -> int:
    return db.data_version(connection())


@st.cache_resource(show_spinner=False)
def _seen_version() -> dict[str, Any]:
    """The data version this process last saw (one per process, shared by its sessions)."""
    return {"version": None, "lock": threading.Lock()}


def _drop_data_caches() -> None:
    for cached in _DATA_CACHES:
        cached.clear()


@functools.lru_cache(maxsize=64)
def _digest(unit_ids: tuple[str, ...], indicator_ids: tuple[str, ...] | None) -> str:
    text = "\n".join(unit_ids) + "\n\n" + "\n".join(indicator_ids or ())
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def scope_digest(scope: access.Scope | None = None) -> str:
    """A short key for the user's units and indicators. Cached functions take this, not the ids
    themselves: Streamlit hashes a cache argument item by item, and 2 000 unit ids cost tens
    of milliseconds on every call."""
    scope = scope or current_scope()
    # the programmes the user reads are part of the key (`access.scope`: programme queries)
    return _digest((*scope.unit_ids, "|programmes", *scope.programme_ids, "|regions", *scope.programme_regions,
                    "|all" if scope.all_programmes else "|some"), scope.indicator_ids)


def current_scope() -> access.Scope:
    """The signed-in user's scope (`access.scope_for`); everything in the local demo mode; an
    empty scope for a visitor who is not signed in or has no grants."""
    settings = auth_settings()
    if settings.demo_mode:
        if settings.required or settings.problems or settings.invalid or demo_refused(settings):
            return access.empty_scope()   # app.py refuses to start; show nothing either
        return replace(_full_scope(data_version()), user=access.DEMO_USER)
    email = signed_in_email()
    if not email:
        return access.empty_scope()
    return _user_scope(email, data_version(), access.access_version(connection()))


@data_cache(max_entries=4)
def _full_scope(version: int) -> access.Scope:
    return access.full_scope(connection())


@data_cache(max_entries=2000, ttl=3600)
def _cached(name: str, version: int, params: tuple[tuple[str, Any], ...], scope_key: str,
            _bound: dict[str, Any]) -> pl.DataFrame:
    # `_bound` (with the scope's unit ids) is left out of the key: `params` and `scope_key` say it
    return _read(name, _bound)


# One snapshot per page run: inside `one_snapshot` (app.py wraps each run in it) the run's first
# uncached query opens a read transaction and every later one reads in it, so a page drawn while
# another process commits shows the data before the commit or after it, never some of each.
_SNAPSHOT: contextvars.ContextVar[_RunSnapshot | None] = contextvars.ContextVar("vetovoima_snapshot", default=None)


class _RunSnapshot:
    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._cursor = None
        # the data version the run began with: its snapshot, opened after, is at least as new, so
        # no entry is cached under a version newer than its rows
        self.version: int | None = None

    def cursor(self):
        if self._cursor is None:
            self._cursor = self._stack.enter_context(db.snapshot_reader(connection()))
        return self._cursor

    def end(self, exc: BaseException | None = None) -> None:
        """Roll the snapshot back; after a failed statement its cursor is not reused."""
        self._cursor = None
        self._stack.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)


@contextlib.contextmanager
def one_snapshot():
    run = _RunSnapshot()
    token = _SNAPSHOT.set(run)
    try:
        yield
    finally:
        _SNAPSHOT.reset(token)
        run.end()


def _read(name: str, bound: dict[str, Any]) -> pl.DataFrame:
    run = _SNAPSHOT.get()
    if run is None:
        return db.run(connection(), name, **bound)
    try:
        return db.fetch(run.cursor(), name, **bound)
    except BaseException as exc:
        run.end(exc)   # a failed statement spoils the transaction: the next query opens another
        raise


def query(name: str, /, **params: Any) -> pl.DataFrame:
    """Run a named query for the current user, cached per query, parameters, scope and data version."""
    scope = current_scope()
    bound = access.scoped_params(name, scope, params,
                                 lambda: _readable_programmes(data_version(), scope_digest(scope), scope))
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached(name, data_version(), key, scope_digest(scope), bound)


@data_cache(max_entries=500, ttl=3600)
def _readable_programmes(version: int, scope_key: str, _scope: access.Scope) -> list[str]:
    # `_scope` is left out of the key: `scope_key` says it
    return access.readable_programmes(connection(), _scope)


def clear_caches() -> None:
    """After a committed load or undo: the data version moved, but drop stale entries too."""
    _data_version.clear()
    _drop_data_caches()
    run = _SNAPSHOT.get()
    if run is not None:   # the run goes on after its own commit: its next query reads the new data
        run.end()
        run.version = None


@data_cache(max_entries=500, ttl=600)
def _user_scope(email: str, data_version_: int, access_version_: int) -> access.Scope:
    # no leading underscores: st.cache_data leaves such arguments out of the cache key
    with connection().cursor() as cur:
        return access.scope_for(cur, email)


def may_see_page(name: str, scope: access.Scope | None = None) -> bool:
    return access.page_visible(name, scope or current_scope(), auth_settings())


def cached_build(builder, /, *args: Any) -> Any:
    """`builder(query, *args)` cached per arguments, scope and data version (a library
    function that combines several queries, e.g. `regions.overview.region_view`)."""
    return _cached_build(f"{builder.__module__}:{builder.__qualname__}", args,
                         scope_digest(), data_version())


@data_cache(max_entries=500, ttl=3600)
def _cached_build(path: str, args: tuple, scope_key: str, version: int) -> Any:
    import importlib

    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)(query, *args)


def vega_spec(chart) -> dict:
    """An Altair chart as the Vega-Lite spec `st.altair_chart` would send (its data as Arrow
    datasets, Streamlit's theme "none"), without Altair's JSON-schema validation of the whole spec:
    that validation was most of a chart's build (≈0.7 s of a presentation step's 1.1 s on this
    machine). The app's charts are built by code, not by users, and the chart tests build and
    validate them (`alt.Chart.to_dict()`); the browser tests draw every page's charts. Draw it with
    `st.vega_lite_chart(spec, …)`. Where this Streamlit lacks the converter's parts, its own."""
    import altair as alt
    from streamlit.elements import vega_charts

    to_arrow = getattr(vega_charts, "_to_arrow_dataset", None)
    lock = getattr(vega_charts, "_altair_globals_lock", None)
    if to_arrow is None or lock is None:
        convert = getattr(vega_charts, "_convert_altair_to_vega_lite_spec", None)
        return convert(chart) if convert else chart.to_dict()
    datasets: dict[str, Any] = {}
    alt.data_transformers.register("to_arrow_dataset", to_arrow)
    with lock:   # Altair's theme and data transformer are global: as Streamlit's converter does
        theme = alt.theme.enable("none") if alt.theme.active == "default" else contextlib.nullcontext()
        with theme, alt.data_transformers.enable("to_arrow_dataset", datasets=datasets):
            spec = chart.to_dict(validate=False)
    existing = spec.get("datasets")
    spec["datasets"] = {**existing, **datasets} if isinstance(existing, dict) else datasets
    return spec


def chart_spec(name: str, key: tuple, build) -> dict:
    """The spec (`vega_spec`) of the chart `build()` makes, built once per `name`, `key`, scope and
    data version: `key` must hold everything the chart depends on besides those two (the page's
    choices and language). Building an Altair chart (and Altair's validation of it) costs a page
    about as much as the rest of its run; a new session or a rerun that shows the same chart
    only copies the finished spec."""
    return _chart_spec(name, key, scope_digest(), data_version(), build)


@data_cache(max_entries=500, ttl=3600)
def _chart_spec(name: str, key: tuple, scope_key: str, version: int, _build) -> dict:
    return vega_spec(_build())
