"""Presentation mode: one team's whole story per screen (every measure as a small multiple, aim,
workshop markers, summaries), large type, next/previous by button or arrow keys."""

import streamlit as st

from vetopito import alt_text, i18n
from vetopito.teams import charts as team_charts
from vetopito.ui import frame, markup, team_views, urls, widgets

t = i18n.t
lang = i18n.get_language()
plain = markup.plain_markdown
st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] {display: none !important;}
.stMainBlockContainer, .block-container {max-width: 100% !important; padding: 0.4rem 1.5rem 0 !important;}
html, body, .stApp, .stMarkdown p, .stMarkdown li, [data-testid="stMarkdownContainer"] p,
[data-testid="stAlert"] p {font-size: 22px !important; color: #000 !important; line-height: 1.3 !important;}
.stApp {background: #fff !important;}
h1 {font-size: 44px !important; padding: 0 !important;} h2 {font-size: 34px !important;}
.st-key-present_story [data-testid="stVerticalBlock"] {gap: 0.3rem !important;}
[class*="st-key-present_measure_"] strong {font-size: 24px !important;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 18px !important; color: #000 !important;}
.stButton button p {font-size: 24px !important;}
.stButton button:focus-visible {outline: 4px solid #0b5394 !important; outline-offset: 3px !important;}
[data-testid="stElementContainer"]:has([data-testid="stAlert"]):is(:has(~ .st-key-present_notes), :has(~ * .st-key-present_notes)) {display: none !important;}
.st-key-present_notes p {font-size: 15px !important; color: #444 !important;}
</style>""")
frame.present_notes()

listing = team_views.team_list(lang)
if listing.is_empty():
    st.info(t("team.page.none"))
    st.stop()
years = sorted(listing["cohort_year"].unique().to_list())
cohort_of_team = dict(zip(listing["team_id"].to_list(), listing["cohort_year"].to_list(), strict=True))


def chosen() -> tuple[list[str], str]:
    """The cohort's teams and the one to show: the URL's team (a link from its team page), else
    the one this session last showed, else the cohort's first. URL values are checked by `ui`."""
    team_in_url = urls.url_value("team")
    if team_in_url in cohort_of_team:
        cohort = cohort_of_team[team_in_url]
    else:
        cohort = urls.url_pick("cohort", years, default=years[-1])
    ids = listing.filter(listing["cohort_year"] == cohort)["team_id"].to_list()
    current = team_in_url if team_in_url in ids else st.session_state.get("s_present_team")
    return ids, current if current in ids else ids[0]


def move(step: int) -> None:
    ids, current = chosen()
    st.session_state["s_present_team"] = ids[(ids.index(current) + step) % len(ids)]
    st.query_params["team"] = st.session_state["s_present_team"]


@st.fragment
def story() -> None:
    """One team; a step reruns only this fragment (the app's frame and navigation stay as they are)."""
    ids, team_id = chosen()
    st.session_state["s_present_team"] = team_id
    cohort = str(listing.filter(listing["team_id"] == team_id)["cohort_year"][0])
    if st.query_params.get("team") != team_id or st.query_params.get("cohort") != cohort:
        st.query_params.update({"cohort": cohort, "team": team_id})
    team_views.await_prefetch(team_id, lang)   # a step taken while its team was still being prefetched
    report = team_views.team_report(team_id, lang)
    with st.container(key="present_story"):
        prev_col, title_col, next_col = st.columns([1.3, 8, 1.3], vertical_alignment="center")
        prev_col.button(t("present.page.previous"), key="present_prev", on_click=move, args=(-1,),
                        shortcut="ArrowLeft")
        title_col.title(plain(report.team["name"]))
        next_col.button(t("present.page.next"), key="present_next", on_click=move, args=(1,),
                        shortcut="ArrowRight")
        facts = t("present.page.position", i=ids.index(team_id) + 1, n=len(ids)) + " · " + t("present.page.keys")
        if report.team["aim_text"]:
            facts += f"  \n**{t('team.page.aim')}:** {plain(report.team['aim_text'])}"
        st.markdown(facts)
        key = team_charts.team_event_key(report.measures, report.events, lang)
        st.caption(t("team.chart.markers", key=plain(key)) + " · " + t("team.chart.ruleset") if key
                   else t("team.chart.ruleset"))
        columns, _ = team_charts.present_layout(len(report.measures))
        options = team_charts.present_chart_options(len(report.measures))
        for start in range(0, len(report.measures), columns):
            cells = st.columns(columns, gap="medium")
            for cell, measure in zip(cells, report.measures[start:start + columns], strict=False):
                with cell.container(key=f"present_measure_{start + cells.index(cell)}"):
                    st.markdown(f"**{plain(measure.name)}**")
                    st.vega_lite_chart(team_views.team_chart(team_id, measure.indicator_id, lang, **options),
                                       width="stretch")
                    widgets.chart_alternative(alt_text.team_measure(measure, lang), table=False, visible=False,
                                         key=f"present_{start + cells.index(cell)}")
                    st.markdown(plain(measure.text))
    # the next two teams' and the previous one's charts are built (on a thread, nearest first) while
    # the coach speaks: the next steps only draw; moving on, a step builds only the team after next
    index = ids.index(team_id)
    ahead = [ids[(index + k) % len(ids)] for k in (1, -1, 2)]
    team_views.prefetch_team_charts(list(dict.fromkeys(t for t in ahead if t != team_id)), lang,
                                    team_charts.present_chart_options)


story()
