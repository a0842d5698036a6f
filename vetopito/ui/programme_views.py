"""The programme page's cached views: one programme's follow-up for the current user, the board
drawn as one element, and the follow-up report made only when a download button is clicked."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from vetopito import access, i18n
from vetopito.ui.database import connection
from vetopito.ui.markup import md, t_md
from vetopito.ui.store import cached_build, current_scope, data_cache, data_version, scope_digest
from vetopito.ui.widgets import chart_alternative


def followup(programme_id: str, lang: str):
    """`followup.model.programme_followup` for the current user, cached per programme, language,
    day, scope and data version (None when the user does not read that programme)."""
    from vetopito.followup import model

    return cached_build(model.programme_followup, programme_id, lang, dt.date.today())


def draw_board(view) -> None:
    """The board and its style in one `st.html` element (no markdown is rendered in it; every
    data text is escaped by `followup.board` anyway)."""
    from vetopito.followup import board

    with st.container(key="programme_board"):
        st.html(board.board_css() + board.board_html(view))


@data_cache(max_entries=20, ttl=3600)
def _report(programme_id: str, round_date: dt.date, lang: str, kind: str, today: dt.date, version: int,
            scope_key: str, _scope: access.Scope) -> bytes:
    # keyed by programme, round, language, kind, day, data version and the scope's digest
    from vetopito.followup import report

    with connection().cursor() as cur:   # the download runs on its own thread: a cursor of its own
        return report.report_bytes(cur, programme_id, round_date, lang=lang, kind=kind, scope=_scope, today=today)


def report(programme_id: str, round_date: dt.date, *, lang: str, kind: str):
    """A zero-argument callable for `st.download_button(data=…, on_click="ignore")`: the DOCX, PDF or
    CSV is made when the button is clicked; the scope and the version are read now, in the script."""
    scope = current_scope()
    key, version, today = scope_digest(scope), data_version(), dt.date.today()
    return lambda: _report(programme_id, round_date, lang, kind, today, version, key, scope)


def draw_report_buttons(programme_id: str, round_date: dt.date, token: str, lang: str) -> None:
    """The report of the chosen round as DOCX, PDF and CSV, each made when its button is clicked."""
    from vetopito.followup.report import KINDS

    stem = f"{programme_id}_{token}"
    docx, pdf, csv = st.columns(3)
    docx.download_button(i18n.t("followup.page.docx"), report(programme_id, round_date, lang=lang, kind="docx"),
                         file_name=f"{stem}.docx", mime=KINDS["docx"], key="report_docx", on_click="ignore",
                         icon=":material/download:")
    pdf.download_button(i18n.t("followup.page.pdf"), report(programme_id, round_date, lang=lang, kind="pdf"),
                        file_name=f"{stem}.pdf", mime=KINDS["pdf"], key="report_pdf", on_click="ignore",
                        icon=":material/download:")
    csv.download_button(i18n.t("followup.page.csv"), report(programme_id, round_date, lang=lang, kind="csv"),
                        file_name=f"{stem}.csv", mime=KINDS["csv"], key="report_csv", on_click="ignore",
                        icon=":material/download:")


def draw_facts(view) -> None:
    """The programme's funder, period, regions and owner in one line (every value escaped), and
    the demo note for the synthetic programme."""
    info, lang = view.programme, view.lang
    if info.get("is_demo"):
        st.caption(i18n.t("followup.page.demo"))
    regions = ", ".join(view.region_names.get(r, r) for r in info.get("region_ids") or []) or "–"
    st.markdown(t_md("followup.page.facts", funder=info.get("funder") or "–",
                     start=i18n.fmt_date(info.get("period_start"), lang), end=i18n.fmt_date(info.get("period_end"), lang),
                     regions=regions, owner=info.get("owner_email") or "–"))


def _entries_markdown(view, sub) -> str:
    """Every round's entry of the sub-project in round order, as one markdown text: the round as a
    heading, the entry's lines escaped one by one (a blank line in it stays a paragraph break)."""
    lang, parts = view.lang, []
    for rnd in view.rounds:
        entry = sub.entries.get(rnd.date)
        parts.append(f"##### {md(rnd.label(lang))}")
        if entry is None:
            parts.append(f"*{md(i18n.t('followup.sub.no_entry', lang))}*")
            continue
        paragraphs = [" ".join(md(line) for line in block.splitlines() if line.strip())
                      for block in entry.text.replace("\r\n", "\n").split("\n\n")]
        parts.extend(p for p in paragraphs if p)
        parts.append(f"*{t_md('followup.sub.written', lang, author=entry.author_email, at=i18n.fmt_datetime(entry.written_at, lang))}*")
    return "\n\n".join(parts)


def draw_subproject(view, sub) -> None:
    """A sub-project: its measures (facts, status today, chart and its text alternative), the
    milestones' timeline, every round's entry, and the entry form for the programme's manager."""
    from vetopito.followup import charts, report
    from vetopito.followup import status as statuses

    lang = view.lang
    goal = next((g for g in view.goals if g.goal_id == sub.goal_id), None)
    st.header(i18n.t("followup.sub.title", lang, id=md(sub.subproject_id), name=md(sub.name)), divider="gray")
    st.markdown(t_md("followup.sub.facts", lang, goal=goal.name if goal else sub.goal_id, scope=sub.scope_name or "–"))
    st.subheader(i18n.t("followup.sub.measures", lang))
    for measure in sub.measures:
        now = statuses.measure_status(view, measure, view.today)
        st.markdown(f"#### {md(measure.name)}\n\n"
                    + t_md("followup.sub.measure_facts", lang, method=measure.method or "–",
                           baseline=report.baseline_text(measure, lang), targets=report.targets_text(measure, lang))
                    + "\n\n" + t_md("followup.sub.status_now", lang, status=statuses.status_text(measure, now, lang)))
        chart = charts.measure_chart(measure, view)
        if chart is not None:
            st.altair_chart(chart, width="stretch", key=f"chart_{measure.measure_id}")
            if measure.kind == "indicator":
                st.caption(i18n.t("followup.chart.markers", lang))
            chart_alternative(charts.measure_alternative(measure, view), key=f"m_{measure.measure_id}")
    timeline = charts.milestone_timeline(sub.measures, view)
    if timeline is not None:
        st.subheader(i18n.t("followup.sub.milestones", lang))
        st.altair_chart(timeline, width="stretch", key="milestones")
        chart_alternative(charts.milestone_alternative(sub.measures, view), key="milestones")
    st.subheader(i18n.t("followup.sub.entries", lang))
    st.markdown(_entries_markdown(view, sub))
    _entry_form(view, sub)


def _entry_form(view, sub) -> None:
    """`ui.programme_entry`: the programme manager's form (this round's entry, a milestone ticked),
    under a heading of its own; a reader gets the form's sentence saying whose entries they are."""
    from vetopito.ui import programme_entry

    if current_scope().may_edit_programme(view.programme_id):
        st.subheader(i18n.t("followup.sub.edit_heading", view.lang))
    programme_entry.entry_form(view.source, sub.subproject_id)
