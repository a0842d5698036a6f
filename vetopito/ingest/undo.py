"""Undoing a load: who may (the load scope), what blocks it (later loads), what it would do (the
preview, counted by the undo itself in a transaction that is rolled back), and the load history
a user may see and be offered to undo."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from vetopito import access, aggregates, db, i18n
from vetopito.ingest import demo, formats, history, programmes, replan
from vetopito.ingest.cycle import WRITE_LOCK, loads_shown_to
from vetopito.ingest.parsing import Format
from vetopito.ingest.problems import numbers_in
from vetopito.ingest.result import UndoBlocked, UndoError, UndoRefused, UndoResult


def _check_undo_scope(con, load_id: int, scope, lang: str | None) -> None:
    """Refuse (`UndoRefused`) an undo by a user who may not load, or of a load that touched a unit
    outside `scope.load_units` (the same rule as loading: the unit of each value, the parent of
    each unit created or renamed, the region of each team)."""
    if scope is None:
        return
    if not scope.can_load or not scope.load_units:
        raise UndoRefused(i18n.t("ingest.undo.no_rights", lang, load_id=load_id), [])
    touched = db.fetch(con, "load/undo_scope_units", load_id=load_id)["unit_id"].to_list()
    outside = access.units_outside_load_scope(scope, touched)
    if outside:
        # the message names only the units the user may see (the regions, say): never an
        # organisational unit or team of another region
        seen = [u for u in outside if scope.may_see(u)]
        count = i18n.fmt_number(len(outside), 0, lang)
        if not seen:
            raise UndoRefused(i18n.t("ingest.undo.out_of_scope_unnamed", lang, load_id=load_id, count=count),
                              outside)
        shown = ", ".join(seen[:5]) + (" …" if len(seen) > 5 or len(seen) < len(outside) else "")
        raise UndoRefused(i18n.t("ingest.undo.out_of_scope", lang, load_id=load_id, units=shown, count=count),
                          outside)


PROGRAMME_FORMATS = frozenset(fmt.name for fmt in programmes.FORMATS)


def programme_loads(con) -> pl.DataFrame:
    """Which programmes each committed programme load wrote (`load_id`, `programme_id`)."""
    return db.fetch(con, "load/programme/loads_by_table").select("load_id", "programme_id").unique()


def _check_programme_undo(con, load_id: int, scope, lang: str | None) -> None:
    """A programme load is undone by those who may edit every programme it wrote (its managers;
    its interim targets of indicators are the programme's, whatever their unit)."""
    if scope is None:
        return
    written = programme_loads(con).filter(pl.col("load_id") == load_id)["programme_id"].to_list()
    if not all(scope.may_edit_programme(p) for p in written):
        raise UndoRefused(i18n.t("ingest.undo.no_rights", lang, load_id=load_id), [])


def _blocked(con, load_id: int, blocking: list[int], scope, lang: str | None) -> UndoBlocked:
    """The refusal of an undo that later loads block: it names the first of them the user may see
    in their history; a load outside their scope is only said to exist (neither its id, its file
    nor its units)."""
    shown = loads_shown_to(con, scope)
    named = blocking if shown is None else [b for b in blocking if b in shown]
    if not named:
        return UndoBlocked(i18n.t("ingest.undo.blocked_outside", lang, load_id=load_id), blocking)
    later = db.fetch(con, "load/load_by_id", load_id=named[0]).row(0, named=True)
    return UndoBlocked(i18n.t("ingest.undo.blocked", lang, load_id=load_id, other=named[0],
                              file=later["file_name"]), blocking)


def undo(con: duckdb.DuckDBPyConnection, load_id: int, *, user: str, scope=None,
         lang: str | None = None) -> UndoResult:
    """Undo a committed load in one transaction; `UndoBlocked` names a later load in the way.

    With a `scope` (the page passes the user's `Scope.loading()`; the command line passes none,
    it is the analyst's own machine), `UndoRefused` is raised and nothing written when the user
    may not load, or the load touched a unit outside `scope.load_units`."""
    work = con.cursor()
    try:
        with WRITE_LOCK:
            return replan.attempts(lambda _attempt: _undo_locked(work, load_id, user, scope, lang))
    except replan.TooManyConflicts:
        raise UndoError(i18n.t("ingest.undo.write_conflict", lang, load_id=load_id)) from None
    finally:
        work.close()


def _undoable(work, load_id: int, scope, lang: str | None) -> tuple[dict, Format]:
    """The load's row and format when `scope` may undo it now; else the refusal the undo would give."""
    found = db.fetch(work, "load/load_by_id", load_id=load_id)
    if found.is_empty():
        raise UndoError(i18n.t("ingest.undo.no_such_load", lang, load_id=load_id))
    info = found.row(0, named=True)
    if info["status"] != "committed":
        raise UndoError(i18n.t("ingest.undo.already_undone", lang, load_id=load_id))
    if info["format"] in PROGRAMME_FORMATS:
        _check_programme_undo(work, load_id, scope, lang)
    else:
        _check_undo_scope(work, load_id, scope, lang)
    fmt = formats.by_name(info["format"])
    if fmt is None:
        raise UndoError(i18n.t("ingest.undo.unknown_format", lang, load_id=load_id,
                               format=info["format"]))
    blocking = [b for b in fmt.blockers(work, load_id) if b != load_id]
    if blocking:
        raise _blocked(work, load_id, blocking, scope, lang)
    return info, fmt


class _Rollback(Exception):
    """Ends the transaction of an undo preview: its counts are kept, its changes rolled back."""


@dataclass
class UndoPreview:
    """What undoing a load would do, for the confirmation: the load (file, time, user) and how
    many stored rows it would restore and remove."""

    load_id: int
    file: str
    loaded_at: Any
    user: str
    format: str
    restored: int
    removed: int
    # the names of indicators (aliases) the load learnt, which the undo forgets
    aliases: int = 0

    def text(self, lang: str | None = None) -> str:
        """`Lataus 3 (arvot.csv, ladattu 2.12.2026 14:05, käyttäjä ana@x.fi) perutaan: 4 arvoa poistetaan …`."""
        what = _UNDO_WHAT.get(formats.FLAVOURS.get(self.format, self.format), "rows")
        removed = i18n.t(f"ingest.undo.preview.removed.{what}", lang, n=i18n.fmt_number(self.removed, 0, lang))
        restored = i18n.t(f"ingest.undo.preview.restored.{what}", lang, n=i18n.fmt_number(self.restored, 0, lang))
        text = i18n.t("ingest.undo.preview", lang, load_id=self.load_id, file=self.file, user=self.user,
                      loaded_at=i18n.fmt_datetime(self.loaded_at, lang), removed=removed, restored=restored)
        if self.aliases:
            text += " " + i18n.t("ingest.undo.preview.aliases", lang, n=i18n.fmt_number(self.aliases, 0, lang))
        return text


# what a format's rows are, in the undo confirmation
_UNDO_WHAT = {"observations": "values", "sotkanet": "values", "units": "units", "targets": "targets",
              "events": "events", "teams": "teams", "aims": "aims", "operating_models": "models"}


def undo_preview(con: duckdb.DuckDBPyConnection, load_id: int, *, scope=None,
                 lang: str | None = None) -> UndoPreview:
    """What `undo(con, load_id, scope=scope)` would restore and remove, counted by running the
    format's undo in a transaction that is then rolled back (so the counts are the undo's own, for
    every format); raises what the undo would raise (`UndoError`, `UndoBlocked`, `UndoRefused`)."""
    work = con.cursor()
    try:
        with WRITE_LOCK:
            info, fmt = _undoable(work, load_id, scope, lang)
            counts: list[int] = []
            aliases = history.written_count(work, "indicator_alias", load_id)
            with suppress(_Rollback), db.transaction(work):
                counts.extend(fmt.undo(work, load_id))
                raise _Rollback
    finally:
        work.close()
    return UndoPreview(load_id, info["file_name"], info["loaded_at"], info["user_name"], info["format"],
                       int(counts[0]), int(counts[1]), aliases)


def _undo_locked(work, load_id: int, user: str, scope, lang: str | None) -> UndoResult:
    planned = replan.planned_version(work)   # what may be undone is judged on this version
    info, fmt = _undoable(work, load_id, scope, lang)
    with db.transaction(work):
        replan.still_planned(work, planned)
        touched = aggregates.extent_of_load(work, load_id)
        restored, removed = fmt.undo(work, load_id)
        aggregates.refresh_extent(work, touched)  # derived tables of the directors' pages
        db.execute(work, "load/mark_load_undone", load_id=load_id, user_name=user)
        db.bump_data_version(work)
        demo.refresh_demo_flags(work)
    if fmt.after_undo is not None:
        with db.transaction(work):
            fmt.after_undo(work, load_id)
    message = i18n.t_plural("ingest.undo.done", restored, lang, load_id=load_id, file=info["file_name"],
                     **numbers_in({"restored": restored, "removed": removed}, lang))
    return UndoResult(load_id, info["file_name"], restored, removed, message)



def loads(con: duckdb.DuckDBPyConnection, scope: access.Scope | None = None) -> pl.DataFrame:
    """The load history, newest first. With a scope, only the loads whose every unit lies within
    what the user may load: an analyst of one region does not see who loaded what elsewhere.
    A load that is still remembered but touched nothing (every row undone) stays visible only
    to a user who may load everything."""
    history = db.run(con, "load/loads")
    shown = loads_shown_to(con, scope)
    return history if shown is None else history.filter(pl.col("load_id").is_in(sorted(shown)))


def undo_choices(con: duckdb.DuckDBPyConnection, scope: access.Scope | None = None) -> pl.DataFrame:
    """The committed loads a user may be offered to undo, newest first: those of `loads()` that
    stand, except the loads that built the demo database once the database holds real data
    (a committed load not from the seed): undoing one would tear the demo out from under it."""
    history = loads(con, scope).filter(pl.col("status") == "committed")
    if demo.demo_state(con) == "mixed":
        history = history.filter(~pl.col("is_demo"))
    return history

