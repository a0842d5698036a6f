"""Load data: upload an extract, see what the loader assumed and what would change, commit, undo."""

import streamlit as st

from vetopito import ingest, ui
from vetopito.i18n import t

ui.demo_banner()
st.title(t("ingest.page.title"))
st.write(t("ingest.page.intro"))

upload = st.file_uploader(t("ingest.page.file"), type=["csv", "txt", "tsv"], key="upload")
if upload is not None:
    raw = upload.getvalue()
    with st.spinner(t("ingest.page.checking")):
        report = ingest.check(ui.connection(), raw, file_name=upload.name, scope=ui.current_scope().loading())
    st.caption(t("ingest.page.detected", **{k: str(v) for k, v in report.detected.items()}))
    columns = st.columns(5)
    for column, key in zip(columns, ("rows", "new", "changed", "unchanged", "rejected"), strict=True):
        column.metric(t(f"ingest.page.count.{key}"), report.counts[key])
    for note in report.notes:
        st.info(note)
    if not report.ok():
        st.error(t("ingest.page.rejected", total=report.error_total))
        st.dataframe(report.error_frame(), key="upload_errors")
        st.download_button(t("ingest.page.error_report"), report.error_frame().write_csv(),
                           file_name=f"{upload.name}.errors.csv", key="upload_error_report")
    elif not report.already_loaded:
        status = st.multiselect(t("ingest.page.filter"), ["new", "changed"], default=["new", "changed"],
                                key="upload_filter")
        st.dataframe(ingest.changes_table(report, status), key="upload_changes")
        if st.button(t("ingest.page.confirm"), key="upload_confirm", type="primary"):
            done = ingest.load(ui.connection(), raw, file_name=upload.name, user=ui.current_scope().user or "app",
                               scope=ui.current_scope().loading())
            ui.clear_caches()
            st.success(t("ingest.page.committed", load_id=done.load_id))

st.subheader(t("ingest.page.history"))
history = ingest.loads(ui.connection())
st.dataframe(history.drop("sha256"), key="upload_history")
committed = history.filter(history["status"] == "committed")["load_id"].to_list()
if committed:
    chosen = st.selectbox(t("ingest.page.undo_choice"), committed, key="undo_choice")
    if st.button(t("ingest.page.undo"), key="undo_button"):
        try:
            result = ingest.undo(ui.connection(), int(chosen), user=ui.current_scope().user or "app")
            ui.clear_caches()
            st.success(result.message)
        except (ingest.UndoBlocked, ingest.UndoError) as exc:
            st.error(str(exc))
