"""Indicators and sources: the catalogue in the chosen language, definition changes, attribution."""

import streamlit as st

from vetopito import catalog, i18n
from vetopito.i18n import t
from vetopito.ui import frame, store, urls

lang = i18n.get_language()
frame.demo_banner()
st.title(t("catalog.title"))
st.write(t("catalog.intro"))

theme = urls.url_choice(
    "theme", ["", *catalog.THEMES], label=t("catalog.theme_filter"),
    format_func=lambda v: t(f"catalog.theme.{v}") if v else t("catalog.all_themes"),
)

indicators = store.query("catalog/indicators")
changes = store.query("catalog/definition_changes", indicator=None)

st.subheader(t("catalog.indicators_heading"))
st.dataframe(catalog.catalogue_table(indicators, lang, theme or None), hide_index=True,
             width="stretch", key="catalog_table")

st.subheader(t("catalog.changes_heading"))
st.caption(t("catalog.changes_intro"))
change_table = catalog.definition_change_table(changes, lang)
if change_table.is_empty():
    st.info(t("catalog.no_changes"))
else:
    st.dataframe(change_table, hide_index=True, width="stretch", key="catalog_changes")

st.subheader(t("catalog.sources_heading"))
st.write(t("catalog.attribution"))
st.caption(t("catalog.aliases_note"))
