"""Load data: upload an extract, see what the loader assumed and what would change, commit, undo."""

from functools import partial

import streamlit as st

from vetopito import ingest
from vetopito.i18n import fmt_number, get_language, t, t_plural
from vetopito.ingest import report_view as present
from vetopito.ui import database, frame, markup, store, uploads, urls

frame.demo_banner()
st.title(t("ingest.page.title"))
st.write(t("ingest.page.intro"))
scope = store.current_scope().loading()
if not scope.can_load:
    st.warning(t("ingest.page.no_rights"))
for flash in ("upload_done", "upload_undone"):
    if flash in st.session_state:
        st.success(st.session_state.pop(flash))   # stored escaped

with st.expander(t("ingest.page.options")):
    options = ingest.Options(*(st.text_input(t(f"ingest.page.option.{name}"), key=f"upload_{name}").strip() or None
                               for name in ("indicator", "unit", "period")))
upload = st.file_uploader(t("ingest.page.file"), type=["csv", "txt", "tsv"], key="upload")
if upload is None:
    upload = uploads.resumed_upload()  # the file left for a new indicator on the catalogue page
    if upload is not None:
        st.info(markup.t_md("ingest.page.resumed", file=upload.name))
        if st.button(t("ingest.page.resumed_drop"), key="upload_resumed_drop", icon=":material/close:"):
            uploads.drop_pending()
            uploads.forget_upload()
            st.rerun()
else:
    uploads.uploaded_again()
if upload is None:
    uploads.forget_upload()
else:
    options = uploads.upload_mappings(upload, options)  # the names this file's user mapped to indicators
    bar = st.progress(0.0, text=t("ingest.page.checking"))
    report, view = uploads.checked_upload(upload, options, scope,
                                     progress=lambda fraction, text: bar.progress(fraction, text=text))
    st.info(markup.md(present.detected_text(report)))
    for column, key in zip(st.columns(5), ("rows", "new", "changed", "unchanged", "rejected"), strict=True):
        column.metric(t(f"ingest.page.count.{key}"), fmt_number(report.counts[key]))
    for note in report.notes:
        st.info(markup.md(note))   # a note may name a file
    if report.unknown_indicators and scope.can_load:
        st.subheader(t("ingest.page.unknown_indicators"))
        st.write(t("ingest.page.unknown_indicators_intro"))
        for number, unknown in enumerate(report.unknown_indicators):
            choices = present.map_choices(unknown, database.connection())
            label = "ingest.page.unknown_indicator_label" if unknown["column"] else \
                "ingest.page.unknown_indicator_label_headers"
            st.selectbox(markup.t_md(label, name=unknown["name"], rows=fmt_number(unknown["rows"]),
                                     column=unknown["column"] or ""),
                         list(choices), index=None, format_func=choices.get, key=f"upload_map_{number}",
                         placeholder=t("ingest.page.map_choose"))
        if st.button(t("ingest.page.map_apply"), key="upload_map_apply", type="primary"):
            uploads.remember_mappings(upload, report.unknown_indicators)
            st.rerun()
        st.caption(t("ingest.page.map_new_indicator"))
        uploads.hold_for_new_indicator(upload, report.unknown_indicators)  # the way back from the link
        frame.page_link("catalog", t("ingest.page.map_new_indicator_link"), icon=":material/menu_book:",
                        query_params={"new_indicator": report.unknown_indicators[0]["name"]})
    if not report.ok():
        st.error(t_plural("ingest.page.rejected", report.error_total, total=fmt_number(report.error_total)))
        st.table(markup.md_frame(present.error_view(report)), hide_index=True)  # a table wraps the long problem texts
        st.download_button(t("ingest.page.error_report"), present.error_report_csv(report),
                           file_name=f"{upload.name}.virheet.csv", mime="text/csv", key="upload_error_report",
                           on_click="ignore")
    elif not report.already_loaded:
        choices = present.filter_choices(view)
        left, middle, right = st.columns(3)
        urls.refresh_label("upload_filter", present.status_label)
        statuses = left.multiselect(t("ingest.page.filter"), choices["status"], key="upload_filter",
                                    format_func=present.status_label, placeholder=t("ingest.page.choose"))
        urls.remember_label("upload_filter", statuses, present.status_label)
        indicators = middle.multiselect(t("ingest.page.filter_indicator"), choices["indicator"],
                                        key="upload_filter_indicator", placeholder=t("ingest.page.choose"))
        units = right.multiselect(t("ingest.page.filter_unit"), choices["unit"], key="upload_filter_unit",
                                  placeholder=t("ingest.page.choose"))
        chosen = present.filter_changes(view, statuses=statuses, indicators=indicators, units=units)
        shown, total = present.first_changes(chosen)
        st.dataframe(present.labelled(shown), key="upload_changes", hide_index=True)
        if total > shown.height:
            st.caption(t("ingest.page.changes_shown", shown=fmt_number(shown.height), total=fmt_number(total)))
        # bound now (frame and language): the click runs it after the page, which reuses `chosen` below
        st.download_button(t("ingest.page.changes_csv"), partial(present.changes_csv, chosen, get_language()),
                           file_name=f"{upload.name}.muutokset.csv", mime="text/csv", key="upload_changes_csv",
                           on_click="ignore")
        if uploads.may_commit(scope, report) and st.button(t("ingest.page.confirm"), key="upload_confirm",
                                                           type="primary"):
            done = uploads.load_upload(upload, options, scope, progress=lambda fraction, text: bar.progress(fraction, text=text))
            if done.committed:
                st.session_state["upload_done"] = t("ingest.page.committed", load_id=done.load_id)
                st.session_state["undo_choice"] = done.load_id  # offer the new load, not the one newest before it
                st.rerun()
            st.error(t_plural("ingest.page.load_failed", done.error_total, total=fmt_number(done.error_total)))
            st.table(markup.md_frame(present.error_view(done)), hide_index=True)

st.subheader(t("ingest.page.history"))
history = ingest.loads(database.connection(), scope)
if history.is_empty():
    st.caption(t("ingest.page.nothing_loaded"))
else:
    st.dataframe(present.history_view(history), key="upload_history", hide_index=True)
committed = dict(ingest.undo_choices(database.connection(), scope).select("load_id", "file_name").iter_rows())


def _undo_dialog(load_id: int) -> None:
    """Confirm an undo: the load (file, time, user) and what undoing it removes and restores."""
    try:
        preview = ingest.undo_preview(database.connection(), load_id, scope=scope)
    except (ingest.UndoBlocked, ingest.UndoError) as exc:  # UndoRefused: outside the user's scope
        st.session_state.pop("undo_pending", None)  # said once: the next rerun does not ask again
        st.error(present.md_escape(str(exc)))
        return
    st.markdown(present.md_escape(preview.text()))
    left, right = st.columns(2)
    if left.button(t("ingest.undo.confirm_button"), key="undo_confirm", type="primary"):
        st.session_state.pop("undo_pending", None)
        try:
            st.session_state["upload_undone"] = present.md_escape(
                ingest.undo(database.connection(), load_id, user=scope.user or "app", scope=scope).message)
            store.clear_caches()
        except (ingest.UndoBlocked, ingest.UndoError) as exc:
            st.session_state["upload_undo_failed"] = present.md_escape(str(exc))
        st.rerun()
    if right.button(t("ingest.undo.cancel_button"), key="undo_cancel"):
        st.session_state.pop("undo_pending", None)
        st.rerun()


if "upload_undo_failed" in st.session_state:
    st.error(st.session_state.pop("upload_undo_failed"))
if committed and scope.can_load:
    chosen = st.selectbox(t("ingest.page.undo_choice"), list(committed), key="undo_choice",
                          format_func=lambda load_id: f"{load_id}: {committed[load_id]}")
    if st.button(t("ingest.page.undo"), key="undo_button"):
        st.session_state["undo_pending"] = int(chosen)
    pending = st.session_state.get("undo_pending")
    if pending is not None:
        st.dialog(t("ingest.undo.confirm_title"),
                  on_dismiss=lambda: st.session_state.pop("undo_pending", None))(_undo_dialog)(pending)
else:
    st.session_state.pop("undo_pending", None)
