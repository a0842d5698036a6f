"""Comparison of regions: one indicator at one period as a map, a ranking and a funnel plot."""

from functools import partial

import streamlit as st

from vetopito import alt_text, pickers
from vetopito.export import tables
from vetopito.i18n import get_language, t
from vetopito.regions import base, charts, compare, maps
from vetopito.ui import frame, markup, store, urls, widgets

lang = get_language()
frame.demo_banner()
st.title(t("compare.title"))
st.caption(t("compare.intro"))

indicators = base.national_indicators(store.query)
if indicators.is_empty():
    st.info(t("app.no_data"))
    st.stop()
labels = pickers.indicator_labels(indicators, lang)
left, right = st.columns(2)
indicator = urls.url_choice("indicator", list(labels), label=t("region.choose_indicator"),
                          format_func=labels.get, container=left)
periods = compare.periods(store.query, indicator)
if periods.is_empty():
    st.info(t("compare.no_data"))
    st.stop()
by_token = {r["token"]: r for r in periods.iter_rows(named=True)}
token = urls.url_choice("period", list(by_token), label=t("compare.choose_period"), container=right,
                      format_func=lambda k: base.period_label(by_token[k], lang))
chosen = by_token[token]
own = widgets.carried_region()  # the director's region, from the URL or the region page
data = store.cached_build(compare.comparison, indicator, chosen["period_start"], chosen["grain"], lang, own)
meta = data["meta"]

st.subheader(t("compare.map"))
map_col, legend_col = st.columns([4, 1])
# each chart's spec is built once per choice, language, scope and data version (store.chart_spec)
shown = (indicator, token, lang, own)
choropleth = partial(maps.choropleth, data["regions"], store.query("pages/compare/region_boundaries"), meta,
                     lang=lang, period_text=data["period_text"], chosen=data["chosen"])
picked = map_col.vega_lite_chart(store.chart_spec("compare_map", shown, choropleth), width="stretch",
                                 key="compare_map", on_select="rerun", selection_mode=maps.SELECTION)
with map_col:
    widgets.chart_alternative(alt_text.comparison(data, lang, chart="map"), key="compare_map")
region = maps.selected_region(picked, data["regions"]["code"].to_list())
if region:  # a click on a region opens its dashboard, as the ranking's buttons below do
    st.switch_page("pages/region.py",
                   query_params={"region": region, "indicator": indicator, **urls.lang_param()})
with legend_col:
    if data["chosen"]:
        chosen_name = data["regions"].filter(data["regions"]["code"] == data["chosen"])["name"][0]
        st.markdown(t("compare.chosen_region", name=markup.md(chosen_name)))
    st.html(maps.legend_html(data["regions"], meta, lang))
    st.caption(t("compare.map_hint"))

st.subheader(t("compare.ranking"))
st.vega_lite_chart(store.chart_spec("compare_bar", shown, partial(charts.ranked_bar, data, lang=lang)),
                   width="stretch", key="compare_bar")
widgets.chart_alternative(alt_text.comparison(data, lang, chart="ranking"), key="compare_bar")
if data["funnel"] is not None:
    st.subheader(t("compare.funnel"))
    st.caption(compare.funnel_note(data["funnel"], lang))
    st.vega_lite_chart(store.chart_spec("compare_funnel", shown, partial(charts.funnel_plot, data, lang=lang)),
                       width="stretch", key="compare_funnel")
    widgets.chart_alternative(alt_text.funnel(data, lang), key="compare_funnel")

st.subheader(t("compare.open_region"))
ranked = data["regions"].filter(data["regions"]["value"].is_not_null())
cols = st.columns(4)
for index, row in enumerate(ranked.iter_rows(named=True)):
    frame.page_button("pages/region.py", f"{row['rank']}. {markup.md(row['name'])} {row['value_text']}",
                   key=f"open_{row['code']}", icon=":material/location_on:" if row["chosen"] else None,
                   query_params={"region": row["code"], "indicator": indicator, **urls.lang_param()},
                   container=cols[index % 4])

stem = f"{indicator}_{token}"
buttons = st.columns(2)
names = store.cached_build(tables.export_names, lang)  # headers and names in the page's language
buttons[0].download_button(t("region.export.csv"), partial(tables.observations_csv, data["export"], lang, names),
                           file_name=f"{stem}.csv", mime="text/csv", key="export_csv", on_click="ignore")
buttons[1].download_button(t("region.export.xlsx"),
                           partial(tables.observations_xlsx, data["export"], lang, names, sheet=indicator),
                           file_name=f"{stem}.xlsx", key="export_xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
