"""Presentation mode: one team per screen, large type, next/previous by button or arrow keys."""

import streamlit as st

from vetopito import i18n, ui
from vetopito.charts import team as team_charts

t = i18n.t
lang = i18n.get_language()
st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] {display: none !important;}
.stMainBlockContainer, .block-container {max-width: 100% !important; padding: 1rem 2rem !important;}
html, body, .stApp, .stMarkdown p, .stMarkdown li, [data-testid="stMarkdownContainer"] p,
[data-testid="stAlert"] p {font-size: 26px !important; color: #000 !important; line-height: 1.4 !important;}
.stApp {background: #fff !important;}
h1 {font-size: 52px !important;} h2 {font-size: 40px !important;} h3 {font-size: 34px !important;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 24px !important; color: #000 !important;}
.stButton button p {font-size: 26px !important;}
[data-testid="stElementContainer"]:has([data-testid="stAlert"]):is(:has(~ .st-key-present_notes), :has(~ * .st-key-present_notes)) {display: none !important;}
.st-key-present_notes p {font-size: 15px !important; color: #444 !important;}
</style>""")
ui.present_notes()

listing = ui.team_list(lang)
if listing.is_empty():
    st.info(t("team.page.none"))
    st.stop()
years = sorted(listing["cohort_year"].unique().to_list())
wanted = st.query_params.get("cohort")
team_in_url = st.query_params.get("team")
if team_in_url in listing["team_id"].to_list() and not wanted:
    wanted = str(listing.filter(listing["team_id"] == team_in_url)["cohort_year"][0])
cohort = int(wanted) if wanted and wanted.isdigit() and int(wanted) in years else years[-1]
ids = listing.filter(listing["cohort_year"] == cohort)["team_id"].to_list()
st.query_params["cohort"] = str(cohort)

current = team_in_url if team_in_url in ids else st.session_state.get("s_present_team")
index = ids.index(current) if current in ids else 0


def move(step: int) -> None:
    st.session_state["s_present_team"] = ids[(index + step) % len(ids)]
    st.query_params["team"] = st.session_state["s_present_team"]


prev_col, pos_col, next_col = st.columns([1, 4, 1])
prev_col.button(t("present.page.previous"), key="present_prev", on_click=move, args=(-1,), shortcut="ArrowLeft")
next_col.button(t("present.page.next"), key="present_next", on_click=move, args=(1,), shortcut="ArrowRight")
team_id = st.session_state.get("s_present_team") if st.session_state.get("s_present_team") in ids else ids[index]
st.query_params["team"] = team_id
pos_col.markdown(t("present.page.position", i=ids.index(team_id) + 1, n=len(ids)))

report = ui.team_report(team_id, lang)
st.title(ui.md(report.team["name"]))
if report.team["aim_text"]:
    st.markdown(f"**{t('team.page.aim')}:** {ui.md(report.team['aim_text'])}")
for measure in report.measures:
    st.subheader(ui.md(measure.name))
    st.vega_lite_chart(ui.team_chart(team_id, measure.indicator_id, lang, height=560, font_scale=2.0,
                                     titled=False), width="stretch")
    key = team_charts.event_key(measure, report.events, lang, markdown=True)
    st.caption(t("team.chart.markers", key=key) + "  \n" + t("team.chart.ruleset") if key
               else t("team.chart.ruleset"))
    st.markdown(f"**{ui.md(measure.text)}**")
