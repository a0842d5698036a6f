"""The process's one database connection and the page that database trouble gets: `connection`,
`database_gate` (app.py, before anything else), `database_guard` (around a page's run)."""

from __future__ import annotations

import contextlib
import logging
import os

import duckdb
import streamlit as st

from vetopito import db, i18n
from vetopito.ui.markup import md
from vetopito.ui.session import auth_settings

_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False, on_release=lambda con: con.close())
def _connection():
    """One connection per process; every query takes its own cursor (DuckDB refuses a
    second thread on one connection instead of waiting). Read-only in a view-only deployment.
    Opened once per process with every table read through (`db.verify`, about 0.1 s on the demo
    file, 0.85 s on a lake of it; `_read_through`: not again for a database unchanged since), so a
    damaged file is said at start instead of on some page later; a failure is not
    cached, so the next run tries again (the other program may have let go of the file)."""
    con = db.connect(read_only=auth_settings().read_only)
    try:
        _read_through(con)
    except BaseException:
        con.close()
        raise
    return con


# The databases this process has read through, as they were then (`db.store_state`: a file and its
# write-ahead log on disk, a lake's snapshot): when the connection is opened again (after the caches
# were dropped) on a database that has not changed since, it is not read again; one written since is.
_READ_THROUGH: set[tuple] = set()


def _read_through(con) -> None:
    state = db.store_state(con)
    if state is not None and state in _READ_THROUGH:
        return
    db.verify(con)
    if state is not None:
        _READ_THROUGH.add(state)


def connection():
    """The process's connection; on database trouble the page says what happened and stops."""
    try:
        return _connection()
    except db.DatabaseError as exc:
        show_database_trouble(exc)
        st.stop()


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
        stop_before_pages()


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


def _gate_page() -> None:
    """The only page while the app refuses to go on: what auth_gate drew is all there is."""


def stop_before_pages() -> None:
    """End the run with no page but the gate registered, so no page can be reached past the gate
    (a run without st.navigation would list the `pages/` folder)."""
    st.navigation([st.Page(_gate_page, title="Vetovoima", url_path="kirjaudu")], position="hidden").run()
    st.stop()
