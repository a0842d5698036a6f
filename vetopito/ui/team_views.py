"""The coach's pages' cached views: a team's report and charts, the team list, the slides made
when a download button is clicked, and the presentation mode's prefetch of the next team."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import polars as pl
import streamlit as st

from vetopito import access
from vetopito.ui.database import connection
from vetopito.ui.store import (
    current_scope,
    data_cache,
    data_version,
    query,
    scope_digest,
    vega_spec,
)


@data_cache(max_entries=20, ttl=3600)
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


@data_cache(max_entries=100, ttl=3600)
def _team_list(lang: str, scope_digest: str, version: int) -> pl.DataFrame:
    from vetopito.teams import progress
    return progress.team_list(query, lang)


def team_report(team_id: str, lang: str):
    """`teams.progress.team_report` for the current user, cached per team, language, scope and
    data version: a rerun (a button, a view switch) reuses the suppressed measures, run charts and
    summaries."""
    return _team_report(team_id, lang, *_team_cache_key())


@data_cache(max_entries=500, ttl=3600)
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


@data_cache(max_entries=1000, ttl=3600)
def _team_chart(team_id: str, indicator_id: str, lang: str, view: str, options: tuple,
                scope_digest: str, version: int) -> dict | None:
    from vetopito.teams import charts as team_charts
    report = _team_report(team_id, lang, scope_digest, version)
    measure = next((m for m in report.measures if m.indicator_id == indicator_id), None) if report else None
    if measure is None:
        return None
    chart = (team_charts.spc_chart(measure, lang=lang) if view == "spc"
             else team_charts.run_chart(measure, report.events, lang=lang, **dict(options)))
    return vega_spec(chart)


# (team, language, scope digest, data version) → set once a prefetch thread has built that team
_IN_FLIGHT: dict[tuple, threading.Event] = {}
_IN_FLIGHT_LOCK = threading.Lock()
PREFETCH_WAIT_S = 15.0


def prefetch_team_charts(team_ids: Sequence[str], lang: str, options_for) -> None:
    """Build the reports and run-chart specs of `team_ids` (presentation mode: the next teams and
    the previous one, nearest first) into the caches on a background thread while the coach
    speaks, so that the step to them only draws (a team's charts take about half a second to
    build). A team another prefetch is already building is left to it. `options_for(n)` gives each
    chart's `run_chart` options, the same the page asks for. The thread carries this session's
    script context, so the queries keep the user's scope. Only for a browser session (it sends
    headers): under AppTest the thread would outlive the test and its connection."""
    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    if not st.context.headers:
        return
    key = _team_cache_key()

    def build() -> None:
        for team_id in team_ids:
            flight = (team_id, lang, *key)
            with _IN_FLIGHT_LOCK:
                if flight in _IN_FLIGHT:
                    continue
                done = _IN_FLIGHT[flight] = threading.Event()
            try:
                report = _team_report(team_id, lang, *key)
                for measure in report.measures if report else []:
                    options = tuple(sorted(options_for(len(report.measures)).items()))
                    _team_chart(team_id, measure.indicator_id, lang, "run", options, *key)
            except Exception:   # costs only the head start: the page builds what it needs itself
                logging.getLogger(__name__).warning("prefetch of team %s failed", team_id, exc_info=True)
            finally:
                done.set()
                with _IN_FLIGHT_LOCK:
                    _IN_FLIGHT.pop(flight, None)

    thread = threading.Thread(target=build, name="vetopito-prefetch", daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())
    thread.start()


def await_prefetch(team_id: str, lang: str) -> None:
    """Wait while a prefetch thread is building `team_id` (a step taken before the neighbour was
    ready): building it a second time beside the thread would take both twice as long."""
    with _IN_FLIGHT_LOCK:
        done = _IN_FLIGHT.get((team_id, lang, *_team_cache_key()))
    if done is not None:
        done.wait(PREFETCH_WAIT_S)
