"""The catalogue's forms as pages draw them: the catalogue page's indicator and dated-change forms
and the team page's measure form. Each makes a one-row file (`ingest.catalogue_form`) and sends it
through the loader's check → plan → commit with the user's scope (`form_flow`), so a form can do
nothing a file could not."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from vetopito import i18n, ingest
from vetopito.i18n import t
from vetopito.ingest import catalogue_form, indicators
from vetopito.ingest import report_view as present
from vetopito.ui import database, frame, markup, store, uploads

CHOICE_FIELDS = ("theme", "unit", "direction", "aggregation", "seasonal", "scope_kind")


def show_flash(key: str) -> None:
    """The saved message of the form `key` after its commit's rerun (stored escaped)."""
    if f"{key}_saved" in st.session_state:
        st.success(st.session_state.pop(f"{key}_saved"))


def _choice_label(column: str, value: str, lang: str) -> str:
    return t(f"catalog.choice.seasonal.{value}", lang) if column == "seasonal" else t(f"catalog.{column}.{value}", lang)


def field(column: str, start: dict, key: str, label: str | None = None):
    """One field of an indicator form: a select for a closed list, else a text input."""
    label = label or t(f"catalog.form.field.{column}")
    lang = i18n.get_language()
    if column in CHOICE_FIELDS:
        options = catalogue_form.CHOICES[column]
        return st.selectbox(label, options, index=options.index(start[column]) if start.get(column) in options else 0,
                            key=key, format_func=lambda v, c=column: _choice_label(c, v, lang))
    return st.text_input(label, value=start.get(column) or "", key=key)


def form_flow(key: str, scope, plan_of: Callable[[object, pl.DataFrame], pl.DataFrame], saved: str,
              after_save: Callable[[bytes], None] | None = None) -> None:
    """The file a form held (`st.session_state[f"{key}_csv"]`) checked with the user's scope: its
    problems, or its plan and a save button that commits it as a load (`saved`: the message key
    of the flash after the save, given `load_id`; `after_save(file)` runs after the commit, before
    the page reruns)."""
    held = st.session_state.get(f"{key}_csv")
    if held is None:
        return
    con = database.connection()
    report = ingest.check(con, held, file_name="lomake.csv", scope=scope, surface="page")
    if not report.ok():
        st.error(t("catalog.form.rejected"))
        st.table(markup.md_frame(present.error_view(report)), hide_index=True)
        return
    if report.already_loaded or report.changes is None or report.changes.is_empty():
        st.info(t("catalog.form.unchanged"))
        return
    st.write(t("catalog.form.plan"))
    st.dataframe(plan_of(con, report.changes), hide_index=True, key=f"{key}_plan")
    if st.button(t("catalog.form.commit"), key=f"{key}_commit", type="primary"):
        done = ingest.load(con, held, file_name="lomake.csv", user=scope.user or "app", scope=scope, surface="page")
        if done.committed:
            store.clear_caches()
            st.session_state.pop(f"{key}_csv", None)
            if after_save is not None:
                after_save(held)
            st.session_state[f"{key}_saved"] = markup.md(t(saved, load_id=done.load_id))
            st.rerun()
        st.error(t("catalog.form.rejected"))
        st.table(markup.md_frame(present.error_view(done)), hide_index=True)


def indicator_plan(con, plan: pl.DataFrame) -> pl.DataFrame:
    """An indicator form's plan for people: field label, now, new (`—` for none)."""
    lang = i18n.get_language()
    return catalogue_form.plan_table(con, plan, lang).rename(
        {"field": t("catalog.form.col.field"), "before": t("catalog.form.col.before"),
         "after": t("catalog.form.col.after")})


def change_plan(con, plan: pl.DataFrame) -> pl.DataFrame:
    """A dated change's plan for people: indicator, date, the change in each language."""
    lang = i18n.get_language()
    return plan.select(
        pl.col("indicator_id").alias(t("catalog.change_form.indicator")),
        pl.col("valid_from").str.to_date().map_elements(lambda d: i18n.fmt_date(d, lang), return_dtype=pl.String)
        .alias(t("catalog.change_form.valid_from")),
        *(pl.col(f"note_{x}").alias(t(f"catalog.change_form.note_{x}").split(" (")[0]) for x in ("fi", "sv", "en")))


def indicator_form(scope, names: dict[str, str], editable: list[str]) -> None:
    """The catalogue page's form: add an indicator, or edit one this user may edit; a new one
    starts from `?new_indicator=<name>` when the upload page's link passed it."""
    st.subheader(t("catalog.form.heading"))
    st.write(t("catalog.form.intro"))
    show_flash("catalog_form")
    lang = i18n.get_language()
    editing = st.selectbox(t("catalog.form.pick"), ["", *editable], key="catalog_form_pick",
                           format_func=lambda v: f"{v} – {names[v]}" if v else t("catalog.form.new", lang))
    new_name = st.query_params.get("new_indicator") if not editing else None
    held = uploads.pending_for(new_name)  # the upload that named it, waiting on the upload page
    back = st.session_state.get("catalog_form_back")
    if back is not None and uploads.pending_upload() is not None:  # saved: the way back, name mapped
        st.success(markup.t_md("catalog.form.mapped_for_upload", name=back[0], id=back[1],
                               file=uploads.pending_upload().name))
        frame.page_link("upload", t("catalog.form.back_to_upload"), icon=":material/upload_file:", query_params={})
    elif held is not None:
        uploads.mark_resume(held)
        st.info(markup.t_md("catalog.form.pending_upload", file=held.name, name=new_name))
        frame.page_link("upload", t("catalog.form.back_to_upload"), icon=":material/upload_file:", query_params={})
    start = catalogue_form.form_values(database.connection(), editing or None, scope, new_name)
    with st.form(f"catalog_form_{editing}"):
        values = {column: field(column, start, f"catalog_form_{column}_{editing}")
                  for column in indicators.COLUMNS}
        if st.form_submit_button(t("catalog.form.check")):
            st.session_state["catalog_form_csv"] = catalogue_form.form_csv(values)
    form_flow("catalog_form", scope, indicator_plan, "catalog.form.saved",
              after_save=lambda file: _saved_for_upload(new_name if held is not None else None, file))


def _saved_for_upload(name: str | None, file: bytes) -> None:
    """A new indicator saved from the upload page's link for the unknown `name`: the held upload
    maps `name` to it (`uploads.map_pending`), the form starts empty again, and the page shows the
    way back (`catalog_form_back`)."""
    st.session_state.pop("catalog_form_back", None)
    if name is None:
        return
    indicator_id = catalogue_form.saved_id(file)
    if indicator_id is None:
        return
    uploads.map_pending(name, indicator_id)
    st.session_state["catalog_form_back"] = (name, indicator_id)
    st.query_params.pop("new_indicator", None)
    for column in indicators.COLUMNS:  # the new-indicator form's fields, as they were filled in
        st.session_state.pop(f"catalog_form_{column}_", None)


def change_form(scope, names: dict[str, str], editable: list[str]) -> None:
    """The catalogue page's dated definition change of an indicator this user may edit."""
    if not editable:
        return
    st.subheader(t("catalog.change_form.heading"))
    st.write(t("catalog.change_form.intro"))
    show_flash("catalog_change")
    with st.form("catalog_change_form"):
        values = {
            "indicator": st.selectbox(t("catalog.change_form.indicator"), editable, key="catalog_change_indicator",
                                      format_func=lambda v: f"{v} – {names[v]}"),
            "valid_from": st.date_input(t("catalog.change_form.valid_from"), value=None, format="DD.MM.YYYY",
                                        key="catalog_change_valid_from"),
            **{f"note_{x}": st.text_input(t(f"catalog.change_form.note_{x}"), key=f"catalog_change_note_{x}")
               for x in ("fi", "sv", "en")},
        }
        if st.form_submit_button(t("catalog.change_form.check")):
            values["valid_from"] = values["valid_from"].isoformat() if values["valid_from"] else None
            st.session_state["catalog_change_csv"] = catalogue_form.change_csv(values)
    form_flow("catalog_change", scope, change_plan, "catalog.change_form.saved")


MEASURE_FIELDS = ("name_fi", "name_sv", "name_en", "unit", "direction", "decimals")


def team_measure_form(scope, team_id: str) -> None:
    """The team page's form: a measure of this team's own (names, unit, direction, decimals),
    for the team's coach or an analyst whose load scope holds the team."""
    if not scope.may_define("team", team_id):
        return
    # a toggle, not an expander: an expander's content is built and drawn (hidden) in every new
    # session, and the form's text inputs cost the team page their own scripts in the browser
    if "team_measure_csv" in st.session_state:   # a form under way stays open
        st.session_state["team_measure_open"] = True
    if st.toggle(t("team.measure_form.heading"), key="team_measure_open"):
        st.caption(t("team.measure_form.intro"))
        start = catalogue_form.form_values(database.connection(), None)
        start.update(unit="pct", direction="higher", decimals="0")
        with st.form(f"team_measure_form_{team_id}"):
            values = {column: field(column, start, f"team_measure_{column}") for column in MEASURE_FIELDS}
            if st.form_submit_button(t("catalog.form.check")):
                st.session_state["team_measure_csv"] = catalogue_form.team_measure_csv(team_id, values)
        form_flow("team_measure", scope, indicator_plan, "team.measure_form.saved")
    show_flash("team_measure")
