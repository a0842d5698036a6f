"""The programme manager's form on a sub-project page (issue 13): write this round's entry and
tick the sub-project's milestones done. Each save is a load through the loader's own check, plan
and commit (a one-row round entries file, a measures file of the ticked milestones: the formats of
`ingest/programmes.py`), so it is audited in the load history with who and when, and undoable
there or by the form's own undo of its last save. Only a user who may edit the programme
(`access.Scope.may_edit_programme`) gets the form; anyone else who reads the programme is told
that the entries are its managers' to write.

    entry_form(programme, subproject_id, *, key="prog_entry") -> None   # a Programme or its id
    this_round(programme, today=None) -> date | None   # the first round not yet past, else the last
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from vetopito import i18n, ingest
from vetopito.i18n import t
from vetopito.ingest import report_view as present
from vetopito.programmes import files, model
from vetopito.programmes.model import Programme
from vetopito.ui import database, markup, store

# who a save is written by in the local demo mode, where nobody signs in
LOCAL_AUTHOR = "paikallinen.kayttaja@example.invalid"


def this_round(programme: Programme, today: dt.date | None = None) -> dt.date | None:
    """The round being written: the first whose date has not passed, else the latest."""
    dates = programme.round_dates
    if not dates:
        return None
    today = today or dt.date.today()
    return next((d for d in dates if d >= today), dates[-1])


def _save(csv: bytes, file_name: str, scope) -> ingest.Report:
    return ingest.load(database.connection(), csv, file_name=file_name, user=scope.user or LOCAL_AUTHOR,
                       scope=scope, surface="page")


def _show_rejected(report: ingest.Report) -> None:
    st.error(t("programme.entry.rejected"))
    st.table(markup.md_frame(present.error_view(report)), hide_index=True)


def entry_form(programme: Programme | str, subproject_id: str, *, key: str = "prog_entry") -> None:
    """The form for one sub-project (or, for a reader, a sentence saying whose it is); `programme`
    is the programme as read for the user, or its id (then read here, for the user)."""
    lang = i18n.get_language()
    if isinstance(programme, str):
        read = model.read_programme(store.query, programme)
        if read is None:
            return
        programme = read
    flash = f"{key}_saved"
    if flash in st.session_state:
        st.success(st.session_state.pop(flash))  # escaped when stored
    scope = store.current_scope().loading()
    if not scope.may_edit_programme(programme.id):
        st.caption(t("programme.entry.read_only"))
        return
    rounds = programme.round_dates
    if not rounds:
        st.info(t("programme.entry.no_rounds"))
        return
    current = this_round(programme)
    chosen = st.selectbox(t("programme.entry.round"), rounds, index=rounds.index(current), key=f"{key}_round",
                          format_func=lambda d: i18n.fmt_date(d, lang))
    stored = model.entry(programme, subproject_id, chosen)
    milestones = model.subproject_measures(programme, subproject_id).filter(
        pl.col("kind") == "milestone").rows(named=True)
    with st.form(f"{key}_form_{chosen.isoformat()}"):
        text = st.text_area(t("programme.entry.text"), value=stored["text"] if stored else "", height=160,
                            key=f"{key}_text_{chosen.isoformat()}")
        ticked = {}
        for row in milestones:
            done = st.checkbox(t("programme.entry.milestone_done", name=markup.md(row["name"])),
                               value=row["done_date"] is not None, key=f"{key}_done_{row['measure_id']}")
            day = st.date_input(t("programme.entry.done_date"), value=row["done_date"] or dt.date.today(),
                                key=f"{key}_day_{row['measure_id']}", format="DD.MM.YYYY")
            ticked[row["measure_id"]] = day if done else None
        submitted = st.form_submit_button(t("programme.entry.save"), type="primary")
    if submitted:
        _submit(programme, subproject_id, chosen, text, stored, milestones, ticked, scope, key, lang)
    last = st.session_state.get(f"{key}_last_loads")
    if last and st.button(t("programme.entry.undo_last"), key=f"{key}_undo"):
        for load_id in reversed(last):
            ingest.undo(database.connection(), load_id, user=scope.user or LOCAL_AUTHOR, scope=scope, lang=lang)
        store.clear_caches()
        st.session_state.pop(f"{key}_last_loads", None)
        st.session_state[flash] = markup.md(t("programme.entry.undone", loads=", ".join(map(str, last))))
        st.rerun()


def _submit(programme, subproject_id, chosen, text, stored, milestones, ticked, scope, key, lang) -> None:
    saves = []
    text = (text or "").strip()
    if text and (stored is None or stored["text"] != text):
        row = {"programme": programme.id, "subproject": subproject_id, "round_date": f"{chosen:%-d.%-m.%Y}",
               # the local demo mode's user (`access.DEMO_USER`) is no e-mail address: the entry's author is
               "text": text, "author": scope.user if "@" in (scope.user or "") else LOCAL_AUTHOR,
               "written_at": dt.datetime.now().strftime("%-d.%-m.%Y %H:%M")}
        saves.append((files.entries_csv([row], lang), "kirjaus.csv"))
    changed = [m for m in milestones if ticked[m["measure_id"]] != m["done_date"]]
    if changed:
        decimal = "," if lang != "en" else "."
        rows = []
        for m in changed:
            row = files.measure_row(programme, subproject_id, m["measure_id"], decimal)
            day = ticked[m["measure_id"]]
            row["done_date"] = f"{day:%-d.%-m.%Y}" if day else ""
            rows.append(row)
        saves.append((files.measures_csv(rows, lang), "virstanpylvaat.csv"))
    if not saves:
        st.info(t("programme.entry.unchanged"))
        return
    done = []
    for csv, name in saves:
        report = _save(csv, name, scope)
        if not report.committed:
            _show_rejected(report)
            break
        done.append(report.load_id)
    if done:
        store.clear_caches()
        st.session_state[f"{key}_last_loads"] = done
        st.session_state[f"{key}_saved"] = markup.md(t("programme.entry.saved", loads=", ".join(map(str, done))))
        st.rerun()
