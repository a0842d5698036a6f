"""Indicators and sources: the catalogue the user sees in the chosen language (scope, the sources'
names, definition changes), attribution; the loads that made each indicator, its export as an
indicators file, and (for those who may define indicators) forms that add or edit an indicator
and add a dated definition change through the loader's own check, plan and commit."""

import streamlit as st

from vetopito import catalog, i18n
from vetopito.i18n import t
from vetopito.ingest import catalogue_form
from vetopito.ui import catalogue_forms, database, frame, store, urls

lang = i18n.get_language()
frame.demo_banner()
st.title(t("catalog.title"))
st.write(t("catalog.intro"))

theme = urls.url_choice(
    "theme", ["", *catalog.THEMES], label=t("catalog.theme_filter"),
    format_func=lambda v: t(f"catalog.theme.{v}", lang) if v else t("catalog.all_themes", lang),
)

indicators = store.query("catalog/indicators")
changes = store.query("catalog/definition_changes", indicator=None)

st.subheader(t("catalog.indicators_heading"))
aliases = store.query("pages/catalog/indicator_aliases")
st.dataframe(catalog.catalogue_table(indicators, lang, theme or None, aliases=aliases, changes=changes),
             hide_index=True, width="stretch", key="catalog_table")
st.download_button(t("catalog.export"), catalogue_form.export_csv(database.connection(), store.current_scope()),
                   file_name="mittarit.csv", mime="text/csv", key="catalog_export", on_click="ignore")

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
loads_table = catalog.indicator_loads_table(store.query("pages/catalog/indicator_loads"), names, lang)
if loads_table.is_empty():
    st.info(t("catalog.no_loads"))
else:
    st.dataframe(loads_table, hide_index=True, width="stretch", key="catalog_loads")

scope = store.current_scope().loading()
if scope.catalogue_national or scope.catalogue_region_ids:   # a coach's measures: the team page
    editable = catalog.editable_ids(indicators, scope)
    catalogue_forms.indicator_form(scope, names, editable)
    catalogue_forms.change_form(scope, names, editable)

st.subheader(t("catalog.sources_heading"))
st.write(t("catalog.attribution"))
st.caption(t("catalog.aliases_note"))
