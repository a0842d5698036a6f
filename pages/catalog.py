"""Indicators and sources: the catalogue in the chosen language, definition changes, attribution;
the loads that made each indicator, its export as an indicators file, and (for analysts and
admins) a form that adds or edits an indicator through the loader's own check, plan and commit."""

import streamlit as st

from vetopito import catalog, i18n, ingest, ui
from vetopito.i18n import t
from vetopito.ingest import indicators as indicator_files
from vetopito.ingest import report_view as present

lang = i18n.get_language()
ui.demo_banner()
st.title(t("catalog.title"))
st.write(t("catalog.intro"))
for flash in ("catalog_saved",):
    if flash in st.session_state:
        st.success(st.session_state.pop(flash))   # stored escaped

theme = ui.url_choice(
    "theme", ["", *catalog.THEMES], label=t("catalog.theme_filter"),
    format_func=lambda v: t(f"catalog.theme.{v}") if v else t("catalog.all_themes"),
)

indicators = ui.query("catalog__indicators")
changes = ui.query("catalog__definition_changes_all")

st.subheader(t("catalog.indicators_heading"))
st.dataframe(catalog.catalogue_table(indicators, lang, theme or None), hide_index=True,
             width="stretch", key="catalog_table")
st.download_button(t("catalog.export"), indicator_files.export_csv(ui.connection()), file_name="mittarit.csv",
                   mime="text/csv", key="catalog_export")

st.subheader(t("catalog.changes_heading"))
st.caption(t("catalog.changes_intro"))
change_table = catalog.definition_change_table(changes, lang)
if change_table.is_empty():
    st.info(t("catalog.no_changes"))
else:
    st.dataframe(change_table, hide_index=True, width="stretch", key="catalog_changes")

st.subheader(t("catalog.loads_heading"))
st.caption(t("catalog.loads_intro"))
names = {r["id"]: catalog.indicator_name(r, lang) for r in indicators.iter_rows(named=True)}
loads_table = catalog.indicator_loads_table(ui.query("catalog__indicator_loads"), names, lang)
if loads_table.is_empty():
    st.info(t("catalog.no_loads"))
else:
    st.dataframe(loads_table, hide_index=True, width="stretch", key="catalog_loads")

scope = ui.current_scope().loading()
if scope.can_load and scope.has_role("analyst", "admin"):
    st.subheader(t("catalog.form.heading"))
    st.write(t("catalog.form.intro"))
    editing = st.selectbox(t("catalog.form.pick"), ["", *indicators["id"].to_list()], key="catalog_form_pick",
                           format_func=lambda v: f"{v} – {names[v]}" if v else t("catalog.form.new"))
    start = indicator_files.form_values(ui.connection(), editing or None)
    with st.form(f"catalog_form_{editing}"):
        values = {}
        for column in indicator_files.COLUMNS:
            label = t(f"catalog.form.field.{column}")
            if column in indicator_files.CHOICES:
                options = indicator_files.CHOICES[column]
                values[column] = st.selectbox(
                    label, options, index=options.index(start[column]) if start[column] in options else 0,
                    key=f"catalog_form_{column}_{editing}",
                    format_func=lambda v, c=column: t(f"catalog.choice.seasonal.{v}") if c == "seasonal"
                    else t(f"catalog.{c}.{v}"))
            else:
                values[column] = st.text_input(label, value=start[column] or "", key=f"catalog_form_{column}_{editing}")
        if st.form_submit_button(t("catalog.form.check")):
            st.session_state["catalog_form_csv"] = indicator_files.form_csv(values)
    held = st.session_state.get("catalog_form_csv")
    if held is not None:
        report = ingest.check(ui.connection(), held, file_name="lomake.csv", scope=scope, surface="page")
        if not report.ok():
            st.error(t("catalog.form.rejected"))
            st.table(ui.md_frame(present.error_view(report)), hide_index=True)
        elif report.already_loaded or report.changes is None or report.changes.is_empty():
            st.info(t("catalog.form.unchanged"))
        else:
            st.write(t("catalog.form.plan"))
            plan = indicator_files.plan_table(ui.connection(), report.changes)
            st.dataframe(plan.rename({"field": t("catalog.form.col.field"), "before": t("catalog.form.col.before"),
                                      "after": t("catalog.form.col.after")}), hide_index=True,
                         key="catalog_form_plan")
            if st.button(t("catalog.form.commit"), key="catalog_form_commit", type="primary"):
                done = ingest.load(ui.connection(), held, file_name="lomake.csv", user=scope.user or "app",
                                   scope=scope, surface="page")
                if done.committed:
                    ui.clear_caches()
                    st.session_state.pop("catalog_form_csv", None)
                    st.session_state["catalog_saved"] = ui.md(t("catalog.form.saved", load_id=done.load_id))
                    st.rerun()
                st.error(t("catalog.form.rejected"))
                st.table(ui.md_frame(present.error_view(done)), hide_index=True)

st.subheader(t("catalog.sources_heading"))
st.write(t("catalog.attribution"))
st.caption(t("catalog.aliases_note"))
