"""Organisational units of a region: the latest value per unit and a small chart per unit."""

import streamlit as st

from vetopito import alt_text, pickers, ui
from vetopito.i18n import get_language, t
from vetopito.regions import base, charts, drilldown

lang = get_language()
ui.demo_banner()
st.title(t("units.title"))
st.caption(t("units.intro"))

regions, names = ui.region_names(lang)
with_units = drilldown.regions_with_units(ui.query)  # code → number of units with data
ui.url_prefer("region", list(with_units))
left, right = st.columns(2)
region_names = pickers.unit_names(regions, ui.query("catalog__unit_aliases"), lang)
code = ui.url_choice("region", list(names), label=t("region.choose_region"), container=left,
                     format_func=lambda c: pickers.search_label(
                         drilldown.region_label(names[c], c, with_units.get(c), lang),
                         region_names[base.region_row(regions, c)["unit_id"]]))
if with_units:
    st.caption(ui.t_md("units.regions_with_data", regions=", ".join(f"{names[c]} ({c})" for c in with_units)))
region = base.region_row(regions, code)
indicators = base.indicators(ui.query)
available = drilldown.unit_indicator_ids(ui.query, region["unit_id"], indicators)
ui.page_button("pages/region.py", t("units.back"), icon=":material/arrow_back:", key="back_to_region",
               query_params={"region": code, **ui.lang_param()})
if not available:
    st.info(t("units.none"))
    st.stop()
labels = pickers.indicator_labels(indicators, lang)
indicator = ui.url_choice("indicator", available, label=t("region.choose_indicator"),
                          format_func=labels.get, container=right)
meta = base.indicator_meta(indicators, indicator)
series = drilldown.unit_series(ui.query, region["unit_id"], meta, lang)

st.dataframe(drilldown.unit_table(series, meta, lang), hide_index=True, key="units_table")
changes = drilldown.unit_process_changes(ui.query, series, meta, lang)  # rules where a unit's process changed
st.altair_chart(charts.unit_multiples(series, meta, lang=lang, changes=changes), key="units_chart")
ui.chart_alternative(alt_text.units(series, meta, lang), key="units_chart")
