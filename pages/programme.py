"""Programme follow-up: the board of a development programme (goals and sub-projects down, reporting
rounds across), a sub-project's measures and entries (`?osahanke=`), and the follow-up report."""

import streamlit as st

from vetopito import i18n
from vetopito.followup import board
from vetopito.programmes import model as programmes
from vetopito.ui import frame, markup, programme_views, store, urls

t = i18n.t
lang = i18n.get_language()
frame.demo_banner()
st.title(t("followup.page.title"))
st.caption(t("followup.page.intro"))

listing = store.cached_build(programmes.programmes)
if listing.is_empty():
    st.info(t("followup.page.none"))
    st.stop()
names = dict(zip(listing["id"].to_list(), listing["name"].to_list(), strict=True))
programme_id = urls.url_choice("ohjelma", list(names), label=t("followup.page.choose"),
                               format_func=lambda p: names.get(p, p))   # options are plain text
view = programme_views.followup(programme_id, lang)
programme_views.draw_facts(view)

sub_id = urls.url_value("osahanke")
if sub_id and view.subproject(sub_id) is not None:
    frame.page_link("programme", t("followup.page.back"), icon=":material/arrow_back:",
                    query_params={"ohjelma": programme_id, **urls.lang_param()})
    programme_views.draw_subproject(view, view.subproject(sub_id))
    st.stop()
if sub_id:
    urls.url_unknown("osahanke", t("followup.page.board_heading"))

st.header(t("followup.page.board_heading"), divider="gray")
st.markdown(markup.t_md("followup.page.summary", **board.level_counts(view)))
programme_views.draw_board(view)

st.header(t("followup.page.report_heading"), divider="gray")
if not view.rounds:
    st.info(t("followup.page.no_rounds"))
    st.stop()
rounds = {r.date.isoformat(): r for r in view.rounds}
chosen = urls.url_choice("kierros", list(rounds), label=t("followup.page.report_round"),
                         default=view.latest_round().date.isoformat(), format_func=lambda d: rounds[d].label(lang))
programme_views.draw_report_buttons(programme_id, rounds[chosen].date, chosen, lang)
