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
board = ui.cached_build(teams.cohort_board, int(cohort), lang)

ALL = "all"
ytas = dict(zip(board["yta_id"].to_list(), board["yta_id"].to_list(), strict=True))
regions = dict(zip(board["region_id"].to_list(), board["region"].to_list(), strict=True))
c1, c2, c3, c4 = st.columns(4)
yta = ui.url_choice("yta", [ALL, *sorted(ytas)], label=t("cohort.page.yta"), container=c1,
                    format_func=lambda y: t("cohort.page.all") if y == ALL else y)
region = ui.url_choice("region", [ALL, *sorted(regions, key=regions.get)], label=t("cohort.page.region"),
                       container=c2, format_func=lambda r: t("cohort.page.all") if r == ALL else regions[r])
theme = ui.url_choice("theme", [ALL, *sorted(set(board["theme"].to_list()))], label=t("cohort.page.theme"),
                      container=c3, format_func=lambda th: t("cohort.page.all") if th == ALL else teams.theme_name(th))
sort = ui.url_choice("sort", list(teams.SORTS), label=t("cohort.page.sort"), container=c4,
                     format_func=lambda s: t(f"cohort.sort.{s}"))

shown = teams.filter_board(board, yta=None if yta == ALL else yta, region=None if region == ALL else region,
                           theme=None if theme == ALL else theme, sort=sort)
shown, totals = teams.board_totals(shown)
table = teams.board_table(shown, lang, totals)
progress = t("team.col.progress")
st.dataframe(table.drop("team_id"), hide_index=True, width="stretch",
             column_config={progress: st.column_config.NumberColumn(progress, format="%.0f", width="small"),
                            t("team.col.team"): st.column_config.TextColumn(width=190),
                            t("team.col.measure"): st.column_config.TextColumn(width=180),
                            t("team.col.signal"): st.column_config.TextColumn(width=130),
                            **{t(f"team.col.{c}"): st.column_config.TextColumn(width="small", help=t(f"team.col.{c}"))
                               for c in ("region", "baseline", "latest", "aim", "aim_reached")}},
             key="board")
st.caption(t("cohort.page.totals_note"))

st.download_button(t("cohort.page.deck_pptx"), key="dl_cohort_pptx", file_name=f"vetoa-ja-pitoa-{cohort}.pptx",
                   data=ui.team_slides(cohort=int(cohort), lang=lang, kind="pptx"),
                   mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
