"""Team progress: a Läpimurto team's run charts with baseline, aim, workshops and events; its coach adds
the team's own measures here."""

import streamlit as st

from vetopito import alt_text, i18n, pickers
from vetopito.teams import charts as team_charts
from vetopito.teams import progress
from vetopito.ui import catalogue_forms, frame, markup, store, team_views, urls, widgets

t = i18n.t
lang = i18n.get_language()
frame.demo_banner()
st.title(t("team.page.title"))
st.caption(t("team.page.intro"))

listing = team_views.team_list(lang)
if listing.is_empty():
    st.info(t("team.page.none"))
    st.stop()
names = pickers.team_labels(listing, lang)
team_id = urls.url_choice("team", list(names), label=t("team.page.choose"), format_func=names.get)
report = team_views.team_report(team_id, lang)

team = report.team
st.subheader(markup.md(team["name"]))
frame.page_link("present", t("present.page.open"), query_params={"team": team_id, **urls.lang_param()},
             icon=":material/slideshow:")
st.markdown(markup.t_md("team.page.facts", region=team["region_name"], yta=team["yta_name"], year=team["cohort_year"],
              theme=progress.theme_name(team["theme"]), size=team["size"] or "–"))
if team["aim_text"]:
    st.markdown(f"**{t('team.page.aim')}:** {markup.md(team['aim_text'])}")
st.caption(t("team.chart.ruleset"))

@st.fragment
def measure_view(measure) -> None:
    """One measure: its view switch (run chart or SPC) reruns only this part of the page."""
    with st.container(key=f"vv_fragment_{measure.indicator_id}"):
        st.markdown(f"#### {markup.md(measure.name)}")
        views = [t("team.page.view_run")] + ([t("team.page.view_spc")] if measure.spc_possible else [])
        view = st.segmented_control(t("team.page.view"), views, default=views[0],
                                    key=f"view_{measure.indicator_id}", label_visibility="collapsed")
        spc = view == t("team.page.view_spc")
        st.vega_lite_chart(team_views.team_chart(team_id, measure.indicator_id, lang, view="spc" if spc else "run",
                                                 height=360, titled=False), width="stretch")
        widgets.chart_alternative(alt_text.team_measure(measure, lang), key=f"team_{measure.indicator_id}")
        key = team_charts.event_key(measure, report.events, lang, markdown=True)
        if key and not spc:
            st.caption(t("team.chart.markers", key=key))
        st.markdown(markup.md(measure.text))


for measure in report.measures:
    measure_view(measure)
catalogue_forms.team_measure_form(store.current_scope().loading(), team_id)   # the team's coach, its analysts

st.subheader(t("team.page.models"))
if report.models.height:   # one list, one element on the page
    st.markdown("\n".join(f"- {markup.link_md(model['title'], model['link'])} — {progress.theme_name(model['theme'])}"
                          for model in report.models.iter_rows(named=True)))

left, right = st.columns(2)
left.download_button(t("team.page.pptx"), key="dl_pptx", file_name=f"{team_id}.pptx",
                     data=team_views.team_slides(team_id=team_id, lang=lang, kind="pptx"), on_click="ignore",
                     mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
right.download_button(t("team.page.pdf"), key="dl_pdf", file_name=f"{team_id}.pdf",
                      data=team_views.team_slides(team_id=team_id, lang=lang, kind="pdf"), on_click="ignore",
                      mime="application/pdf")
