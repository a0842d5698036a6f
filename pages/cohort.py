"""Cohort board: every team of a coaching cohort × its measures, with signals, aims and progress."""

import streamlit as st

from vetopito import i18n, teams, ui

t = i18n.t
lang = i18n.get_language()
ui.demo_banner()
st.title(t("cohort.page.title"))
st.caption(t("cohort.page.intro"))

years = teams.cohorts(ui.team_query)
if not years:
    st.info(t("team.page.none"))
    st.stop()
cohort = ui.url_choice("cohort", years, label=t("cohort.page.cohort"), default=years[-1])
board = teams.cohort_board(ui.team_query, int(cohort), lang)

all_ = t("cohort.page.all")
c1, c2, c3 = st.columns(3)
yta = c1.selectbox(t("cohort.page.yta"), [all_, *sorted(board["yta_id"].unique().to_list())], key="w_cohort_yta")
regions = dict(zip(board["region_id"].to_list(), board["region"].to_list(), strict=True))
region = c2.selectbox(t("cohort.page.region"), [all_, *sorted(regions)], key="w_cohort_region",
                      format_func=lambda r: regions.get(r, r))
themes = sorted(board["theme"].unique().to_list())
theme = c3.selectbox(t("cohort.page.theme"), [all_, *themes], key="w_cohort_theme",
                     format_func=lambda th: th if th == all_ else teams.theme_name(th))

shown = teams.filter_board(board, yta=None if yta == all_ else yta, region=None if region == all_ else region,
                           theme=None if theme == all_ else theme)
table = teams.board_table(shown, lang)
progress = t("team.col.progress")
st.dataframe(table.drop("team_id") if not table.is_empty() else table, hide_index=True, width="stretch",
             column_config={progress: st.column_config.NumberColumn(progress, format="%.0f")}, key="board")
