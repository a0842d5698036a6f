"""Cohort board: every team of a coaching cohort × its measures, with signals, aims and progress."""

import streamlit as st

from vetopito import i18n
from vetopito.regions import base as regions_base
from vetopito.teams import cohorts, progress
from vetopito.ui import frame, markup, store, team_views, urls, widgets

t = i18n.t
lang = i18n.get_language()
frame.demo_banner()
st.title(t("cohort.page.title"))
st.caption(t("cohort.page.intro"))

years = cohorts.cohorts(store.query)
if not years:
    st.info(t("team.page.none"))
    st.stop()
cohort = urls.url_choice("cohort", years, label=t("cohort.page.cohort"), default=years[-1])
board = store.cached_build(cohorts.cohort_board, int(cohort), lang)

ALL = "all"
yta_names = widgets.yta_labels(lang)
ytas = {y: yta_names.get(y, y) for y in board["yta_id"].unique().to_list()}
regions = dict(zip(board["region_id"].to_list(), board["region"].to_list(), strict=True))
region_names = widgets.region_labels(regions_base.regions(store.query), lang, by="unit_id")


@st.fragment
def board_view() -> None:
    """The filters, the totals and the board: a filter or a sort reruns only this part of the page."""
    with st.container(key="vv_fragment_board"):
        c1, c2, c3, c4 = st.columns(4)
        yta = urls.url_choice("yta", [ALL, *sorted(ytas)], label=t("cohort.page.yta"), container=c1,
                            format_func=lambda y: t("cohort.page.all", lang) if y == ALL else ytas[y])
        region = urls.url_choice("region", [ALL, *sorted(regions, key=regions.get)], label=t("cohort.page.region"),
                               container=c2, format_func=lambda r: t("cohort.page.all", lang) if r == ALL
                               else region_names.get(r, regions[r]))
        theme = urls.url_choice("theme", [ALL, *sorted(set(board["theme"].to_list()))], label=t("cohort.page.theme"),
                              container=c3, format_func=lambda th: t("cohort.page.all", lang) if th == ALL
                              else progress.theme_name(th, lang))
        sort = urls.url_choice("sort", list(cohorts.SORTS), label=t("cohort.page.sort"), container=c4,
                             format_func=lambda s: t(f"cohort.sort.{s}", lang))

        shown = cohorts.filter_board(board, yta=None if yta == ALL else yta, region=None if region == ALL else region,
                                   theme=None if theme == ALL else theme, sort=sort)
        shown, totals = cohorts.board_totals(shown)
        table = cohorts.board_table(shown, lang)
        col = {k: t(f"team.col.{k}") for k in ("measure", "baseline_aim", "progress")}
        # the whole table, with the row-selection column, fits beside the sidebar at 1400 px
        width = cohorts.board_column_widths(table, lang, total=cohorts.BOARD_WIDTH_PX - cohorts.ROW_MARKER_PX)
        help_text = {col["measure"]: t("team.col.measure_help"), col["baseline_aim"]: t("team.col.baseline_aim_help")}
        config = {c: st.column_config.TextColumn(width=w, help=help_text.get(c)) for c, w in width.items()}
        config[col["progress"]] = st.column_config.NumberColumn(width=width[col["progress"]], format="%.0f %%",
                                                                help=t("team.col.progress_help"))
        # the totals first, in a grid of their own that shows every row: never scrolled out of sight
        st.markdown(f"**{t('cohort.page.totals')}**")
        summary = cohorts.totals_table(shown, totals, lang).drop("team_id", t("team.col.region"), col["progress"])
        markup.plain_table(summary, key="board_totals")
        st.caption(t("cohort.page.totals_note"))
        st.caption(t("cohort.page.aim_legend", n=progress.SPC_MIN_POINTS) + "  \n" + t("cohort.page.open_hint"))
        picked = st.dataframe(table.drop("team_id"), hide_index=True, width="stretch", height=600, key="board",
                              column_config=config, on_select="rerun", selection_mode="single-row")
        frame.enter_selects_board_row()
        rows = picked.selection.rows if picked else []
        if rows and rows[0] < table.height:
            st.switch_page("pages/team.py", query_params={"team": table["team_id"][rows[0]], **urls.lang_param()})


board_view()

left, right = st.columns(2)
left.download_button(t("cohort.page.deck_pptx"), key="dl_cohort_pptx", file_name=f"vetoa-ja-pitoa-{cohort}.pptx",
                     data=team_views.team_slides(cohort=int(cohort), lang=lang, kind="pptx"), on_click="ignore",
                     mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
right.download_button(t("cohort.page.deck_pdf"), key="dl_cohort_pdf", file_name=f"vetoa-ja-pitoa-{cohort}.pdf",
                      data=team_views.team_slides(cohort=int(cohort), lang=lang, kind="pdf"), on_click="ignore",
                      mime="application/pdf")
st.caption(t("cohort.page.deck_note"))
