"""Region dashboard: the SPC trend of the chosen indicator, then every indicator of the region as a tile."""

from functools import partial

import streamlit as st

from vetopito import alt_text, pickers
from vetopito.export import tables
from vetopito.followup import links as programme_links
from vetopito.i18n import get_language, t
from vetopito.regions import base, charts, overview, tiles
from vetopito.ui import frame, store, urls, widgets

lang = get_language()
frame.demo_banner()
st.title(t("region.title"))
st.caption(t("region.intro"))

regions, names = widgets.region_names(lang)
region_labels = widgets.region_labels(regions, lang)
left, right = st.columns(2)
code = urls.url_choice("region", list(names), label=t("region.choose_region"),
                     format_func=region_labels.get, container=left)
view = store.cached_build(overview.region_view, base.region_row(regions, code), lang)
if not view.tiles:
    st.info(t("region.no_data"))
    st.stop()
labels = pickers.indicator_labels(view.indicators, lang)
indicator = urls.url_choice("indicator", view.indicator_ids(), label=t("region.choose_indicator"),
                          format_func=labels.get, container=right)

links = st.columns(2)
frame.page_link("units", t("region.to_units"), icon=":material/account_tree:", container=links[0],
             query_params={"region": code, "indicator": indicator, **urls.lang_param()})
frame.page_link("compare", t("region.to_compare"), icon=":material/map:", container=links[1],
             query_params={"region": code, "indicator": indicator, **urls.lang_param()})

grains = view.grains(indicator)
grain = None
if len(grains) > 1:  # monthly values and a Sotkanet export's yearly ones: the tile's grain first
    grain = urls.url_choice("grain", grains, label=t("region.choose_grain"), format_func=lambda g: t(f"grain.{g}", lang).capitalize(),
                          container=left)
data = overview.chart_data(view, indicator, lang, grain)
build_chart = partial(charts.spc_chart, data, lang=lang, height=440)
with st.container(border=True):
    st.vega_lite_chart(store.chart_spec("region", (code, indicator, grain, lang), build_chart), width="stretch",
                       key="region_chart")
    widgets.chart_alternative(alt_text.region_trend(data, lang), key="region_chart")
    stem = f"{code}_{indicator}" + (f"_{grain}" if grain and grain != grains[0] else "")
    buttons = st.columns([1, 1, 1, 1])
    names = store.cached_build(tables.export_names, lang)  # headers and names in the page's language
    buttons[0].download_button(t("region.export.csv"), partial(tables.observations_csv, data["export"], lang, names),
                               file_name=f"{stem}.csv", mime="text/csv", key="export_csv", on_click="ignore")
    buttons[1].download_button(t("region.export.xlsx"),
                               partial(tables.observations_xlsx, data["export"], lang, names, sheet=indicator),
                               file_name=f"{stem}.xlsx", key="export_xlsx", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    buttons[2].download_button(t("region.export.png"), partial(tables.chart_png, build_chart), file_name=f"{stem}.png",
                               mime="image/png", key="export_png", on_click="ignore")

programmes = store.cached_build(programme_links.region_links, view.region["unit_id"])
if not programmes.is_empty():  # the programmes whose sub-projects aim to move this region's indicators
    st.subheader(t("followup.region.heading"))
    st.markdown(programme_links.programmes_markdown(programmes, lang))

st.header(t("region.tiles_heading"), divider="gray")
# one control instead of a button per tile: it follows the chart's indicator and chooses another
st.session_state["w_tile_chart"] = indicator
st.selectbox(t("region.tile.show_chart"), view.indicator_ids(), format_func=labels.get, key="w_tile_chart",
             on_change=lambda: urls.choose("indicator", st.session_state["w_tile_chart"]),
             placeholder=t("app.picker.placeholder"), filter_mode="contains", width=480)
# the whole grid as one HTML element (every text escaped): each element costs the browser a round
# of React and layout, and 19 tiles were ≈60 of them, drawn by the markdown renderer
st.html(tiles.tiles_html(view.tiles_by_theme(), lang, chosen=indicator,
                         links=lambda indicator_id: programme_links.tile_html(programmes, indicator_id, lang)))
