"""Organisational units of a region: the latest value per unit and a small chart per unit."""

import streamlit as st

from vetopito import alt_text, pickers
from vetopito.i18n import get_language, t
from vetopito.regions import base, charts, drilldown
from vetopito.ui import frame, markup, store, urls, widgets

lang = get_language()
frame.demo_banner()
st.title(t("units.title"))
st.caption(t("units.intro"))

regions, names = widgets.region_names(lang)
with_units = drilldown.regions_with_units(store.query)  # code → number of units with data
urls.url_prefer("region", list(with_units))
left, right = st.columns(2)
region_names = pickers.unit_names(regions, store.query("catalog/unit_aliases"), lang)
code = urls.url_choice("region", list(names), label=t("region.choose_region"), container=left,
                     format_func=lambda c: pickers.search_label(
                         drilldown.region_label(names[c], c, with_units.get(c), lang),
                         region_names[base.region_row(regions, c)["unit_id"]]))
if with_units:
    st.caption(markup.t_md("units.regions_with_data", regions=", ".join(f"{names[c]} ({c})" for c in with_units)))
region = base.region_row(regions, code)
indicators = base.indicators(store.query)
available = drilldown.unit_indicator_ids(store.query, region["unit_id"], indicators)
frame.page_button("pages/region.py", t("units.back"), icon=":material/arrow_back:", key="back_to_region",
               query_params={"region": code, **urls.lang_param()})
if not available:
    st.info(t("units.none"))
    st.stop()
labels = pickers.indicator_labels(indicators, lang)
indicator = urls.url_choice("indicator", available, label=t("region.choose_indicator"),
                          format_func=labels.get, container=right)
meta = base.indicator_meta(indicators, indicator)
series = drilldown.unit_series(store.query, region["unit_id"], meta, lang)

# one markdown table: a region's units fit on the page, and no data grid is loaded for them
st.markdown(markup.table_md(drilldown.unit_table(series, meta, lang), right=(t("units.col.value"),)))
changes = drilldown.unit_process_changes(store.query, series, meta, lang)  # rules where a unit's process changed
st.altair_chart(charts.unit_multiples(series, meta, lang=lang, changes=changes), key="units_chart")
widgets.chart_alternative(alt_text.units(series, meta, lang), key="units_chart")
