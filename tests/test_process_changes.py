"""Process changes an analyst marks as events (kind `process_change`, optionally for one indicator):
the loader checks, plans, commits and undoes them through the one history mechanism and refuses a
unit outside the analyst's scope; the SPC limits are recalculated from the period that holds the
event (limits before and after computed separately, so a signal caused only by the step goes);
the region page's chart draws a rule and a label there and says so in fi/sv/en; a team's SPC view
does the same for a change marked on the team or its parent."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tests import sql
from tests.apptest_helpers import app_test
from vetopito import access, alt_text, catalog, db, ingest, scoped
from vetopito.regions import base, charts, overview, signals
from vetopito.stats import spc
from vetopito.teams import charts as team_charts
from vetopito.teams import progress
from vetopito.text import escape_markdown

ADMIN = "admin@example.fi"
T3 = "t3_laakari"
LABEL = "Uusi ajanvarausmalli käyttöön"
HEADER = "unit,date,kind,label,indicator\n"


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    access.grant(empty_con, "analyst12@example.fi", "analyst", "region:12", by=ADMIN)
    access.grant(empty_con, "analyst15@example.fi", "analyst", "region:15", by=ADMIN)
    return empty_con


def _loading(con, email: str) -> access.Scope:
    return access.scope_for(con, email).loading()


def _events(con) -> list[tuple]:
    frame = sql.fetch(con, "load/events")
    return [tuple(r) for r in frame.iter_rows()]


# --- the loader ------------------------------------------------------------------------------------

def test_check_plan_commit_and_undo_of_a_process_change(ref_con):
    text = (HEADER + f"HVA15,15.3.2024,process_change,{LABEL},{T3}\n"
            "HVA15,2024-06-01,process_change,Kaikki mittarit,\n").encode()
    checked = ingest.check(ref_con, text, file_name="muutokset.csv")
    assert checked.ok() and checked.detected["format"] == "events", checked.detected
    assert checked.counts["new"] == 2 and _events(ref_con) == []  # check writes nothing
    before = db.row_counts(ref_con)
    report = ingest.load(ref_con, text, file_name="muutokset.csv", scope=_loading(ref_con, "analyst15@example.fi"),
                         user="analyst15@example.fi")
    assert report.committed
    assert _events(ref_con) == [("HVA15", dt.date(2024, 3, 15), "process_change", LABEL, T3),
                                ("HVA15", dt.date(2024, 6, 1), "process_change", "Kaikki mittarit", None)]
    again = ingest.load(ref_con, text, file_name="muutokset.csv")
    assert again.counts["unchanged"] == 2 and again.counts["new"] == 0  # the same file twice changes nothing
    result = ingest.undo(ref_con, report.load_id, user="analyst15@example.fi",
                         scope=_loading(ref_con, "analyst15@example.fi"))
    assert result.removed == 2 and _events(ref_con) == []
    assert db.row_counts(ref_con)["event"] == before["event"]


def test_a_process_change_outside_the_scope_is_refused(ref_con):
    text = (HEADER + f"HVA15,2024-03-01,process_change,{LABEL},{T3}\n").encode()
    report = ingest.load(ref_con, text, scope=_loading(ref_con, "analyst12@example.fi"), user="analyst12@example.fi")
    assert not report.committed and _events(ref_con) == []
    assert [(p.row, p.column, p.value) for p in report.errors] == [(2, "unit", "HVA15")]
    # undo of another analyst's process change is refused too
    mine = ingest.load(ref_con, text, scope=_loading(ref_con, "analyst15@example.fi"), user="analyst15@example.fi")
    with pytest.raises(ingest.UndoRefused):
        ingest.undo(ref_con, mine.load_id, user="analyst12@example.fi", scope=_loading(ref_con, "analyst12@example.fi"))
    assert len(_events(ref_con)) == 1


@pytest.mark.parametrize(("lang", "bad_date", "unknown"), [
    ("fi", '"31.2.2024" ei ole ajanjakso', 'tuntematon indikaattori "t3_laakri"; lähimmät tunnetut: t3_laakari'),
    ("sv", '"31.2.2024" är ingen period', 'okänd indikator "t3_laakri"; närmaste kända: t3_laakari'),
    ("en", '"31.2.2024" is not a period', 'unknown indicator "t3_laakri"; closest known: t3_laakari'),
])
def test_bad_date_and_unknown_indicator_are_row_errors_in_the_users_language(ref_con, lang, bad_date, unknown):
    text = (HEADER + f"HVA15,31.2.2024,process_change,{LABEL},{T3}\n"
            f"HVA15,2024-03-01,process_change,{LABEL},t3_laakri\n"
            f"HVA15,2024-03-01,workshop,Työpaja,{T3}\n").encode()
    report = ingest.load(ref_con, text, lang=lang)
    assert not report.committed and _events(ref_con) == []
    by_row = {p.row: p for p in report.errors}
    assert sorted(by_row) == [2, 3, 4]
    assert by_row[2].column == "date" and by_row[2].problem.startswith(bad_date)
    assert by_row[3].column == "indicator" and by_row[3].problem.startswith(unknown), by_row[3].problem
    assert by_row[4].column == "indicator" and "process_change" in by_row[4].problem
    assert {"fi": "vain prosessimuutos", "sv": "bara en processändring",
            "en": "only a process change"}[lang] in by_row[4].problem


def test_events_without_an_indicator_column_still_load(ref_con):
    report = ingest.load(ref_con, b"unit,date,kind,label\nHVA15,2024-03-01,process_change,Muutos\n")
    assert report.committed and _events(ref_con) == [("HVA15", dt.date(2024, 3, 1), "process_change", "Muutos", None)]


# --- the statistics --------------------------------------------------------------------------------

NOISE = [0.6, -0.4, 0.2, -0.7, 0.5, -0.1, 0.3, -0.5, 0.7, -0.3, 0.1, -0.6]
MONTHS = [dt.date(2022 + (m // 12), m % 12 + 1, 1) for m in range(36)]
META = {"indicator_id": T3, "unit": "days", "aggregation": "mean", "direction": "lower", "seasonal": False,
        "decimals": 0}


def _series(step_at: int = 18) -> pl.DataFrame:
    values = [(20.0 if i < step_at else 10.0) + NOISE[i % len(NOISE)] for i in range(len(MONTHS))]
    return pl.DataFrame({"period_start": MONTHS, "grain": ["month"] * len(MONTHS), "value": values,
                         "numerator": [None] * len(MONTHS), "denominator": [None] * len(MONTHS)},
                        schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})


def _marked(day: dt.date, indicator: str | None = T3, label: str = LABEL) -> pl.DataFrame:
    return pl.DataFrame({"unit_id": ["HVA15"], "event_date": [day], "indicator_id": [indicator], "label": [label]},
                        schema=signals.PROCESS_CHANGE_COLUMNS)


def test_limits_before_and_after_a_process_change_are_computed_separately():
    series = _series()
    # marked in the middle of the month of the step: the phase starts at that month
    phases = signals.phase_changes(None, _marked(dt.date(2023, 7, 14)), T3, "month")
    assert signals.rebase_dates(phases) == [dt.date(2023, 7, 1)]
    frame = signals.spc_frame(series, META, signals.rebase_dates(phases))
    assert signals.phase_starts(frame) == [dt.date(2023, 7, 1)]
    for segment, rows in ((0, slice(0, 18)), (1, slice(18, 36))):
        alone = spc.spc(series["value"][rows], direction="lower")
        part = frame.filter(pl.col("segment") == segment)
        assert part["mean"].to_list() == pytest.approx(alone["mean"].to_list())
        assert part["upper"].to_list() == pytest.approx(alone["upper"].to_list())
        assert part["lower"].to_list() == pytest.approx(alone["lower"].to_list())
    assert frame["trial_limits"].to_list() == [False] * 36  # 18 points each: real limits


def test_a_signal_caused_only_by_the_step_disappears():
    series = _series()
    unmarked = signals.spc_frame(series, META)
    # one phase: its mean lies between the two levels, so both sides of the step are special causes
    assert unmarked["special_cause"][:18].all() and unmarked["special_cause"][18:].all()
    assert set(unmarked["variation"].to_list()) == {"concern", "improvement"}
    phases = signals.phase_changes(None, _marked(dt.date(2023, 7, 1)), T3, "month")
    marked = signals.spc_frame(series, META, signals.rebase_dates(phases))
    assert not marked["special_cause"].any()
    assert marked["variation"].to_list() == ["common_cause"] * 36


def test_a_change_for_another_indicator_does_not_rebase_and_one_for_all_does():
    assert signals.phase_changes(None, _marked(dt.date(2023, 7, 1), "vaihtuvuus_pct"), T3, "month") == []
    everyone = signals.phase_changes(None, _marked(dt.date(2023, 8, 20), None), T3, "quarter")
    assert signals.rebase_dates(everyone) == [dt.date(2023, 7, 1)]  # the quarter that holds the date


def test_a_short_phase_gets_trial_limits_as_a_definition_change_does():
    series = _series(step_at=30)
    phases = signals.phase_changes(None, _marked(MONTHS[30]), T3, "month")
    frame = signals.spc_frame(series, META, signals.rebase_dates(phases))
    assert frame.filter(pl.col("segment") == 1)["trial_limits"].all()  # 6 points
    assert not frame.filter(pl.col("segment") == 0)["trial_limits"].any()


@pytest.mark.parametrize(("lang", "text"), [
    ("fi", f"Rajat laskettu uudelleen 1.7.2023 alkaen (prosessimuutos: {LABEL})"),
    ("sv", f"Gränserna har räknats om från 1.7.2023 (processändring: {LABEL})"),
    ("en", f"Limits recalculated from 1.7.2023 (process change: {LABEL})"),
])
def test_the_chart_says_where_and_why_the_limits_were_recalculated(lang, text):
    definitions = pl.DataFrame({"indicator_id": [T3], "valid_from": [dt.date(2022, 9, 1)]})
    phases = signals.phase_changes(definitions, _marked(dt.date(2023, 7, 3)), T3, "month")
    frame = signals.spc_frame(_series(), META, signals.rebase_dates(phases))
    notes = signals.chart_notes(frame, lang, phases)
    assert notes[-1] == text
    assert "1.9.2022" in notes[0] and len(notes) == 2  # the definition change keeps its own note
    rules = signals.change_rules(frame, phases, lang)
    assert rules["period_start"].to_list() == [dt.date(2023, 7, 1)] and rules["note"].to_list() == [LABEL]


# --- the region page and the team pages on the demo data -----------------------------------------

def test_the_demo_marks_the_planted_t3_step_of_pohjois_karjala(demo_con):
    run = scoped.runner(demo_con)
    view = overview.region_view(run, base.region_row(base.regions(run), "14"), "fi")
    data = overview.chart_data(view, T3, "fi")
    assert signals.phase_starts(data["spc"]) == [dt.date(2024, 3, 1)]
    assert f"Rajat laskettu uudelleen 1.3.2024 alkaen (prosessimuutos: {LABEL})" in data["notes"]
    layers = charts.spc_chart(data, lang="fi").to_dict()["layer"]
    texts = [layer for layer in layers if layer["mark"].get("type") == "text" and
             layer["encoding"]["text"]["field"] == "label"]
    assert texts and any(layer["mark"].get("type") == "rule" and layer["encoding"]["x"]["field"] == "period_start"
                         for layer in layers)
    # without the marked change the step itself is the signal: phase 1 rests on the old level
    plain = signals.spc_frame(overview.series_of(view.observations, T3), base.indicator_meta(view.indicators, T3))
    before = plain.filter(pl.col("period_start") >= dt.date(2024, 3, 1))
    after = data["spc"].filter(pl.col("period_start") >= dt.date(2024, 3, 1))
    assert before["mean"][0] > 1.5 * after["mean"][0]


def test_a_team_measure_gets_a_new_phase_from_a_change_marked_on_its_parent(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        run = scoped.runner(con)
        plain = progress.team_report(run, "T2024-11", "en")
        measure = next(m for m in plain.measures if m.indicator_id == "ylityot_h_hlo_kk")
        assert measure.phases == [] and team_charts.spc_data(measure, "en")["notes"] == []
        report = ingest.load(con, (HEADER + "HVA03,2024-07-10,process_change,Uudet vuorolistat,\n").encode())
        assert report.committed
        marked = progress.team_report(scoped.runner(con), "T2024-11", "en")
        measure = next(m for m in marked.measures if m.indicator_id == "ylityot_h_hlo_kk")
        data = team_charts.spc_data(measure, "en")
        assert signals.phase_starts(data["spc"]) == [dt.date(2024, 7, 1)]
        assert data["notes"] == ["Limits recalculated from 1.7.2024 (process change: Uudet vuorolistat)"]
        assert data["process_changes"]["label"].to_list() == ["Process change: Uudet vuorolistat"]
    finally:
        con.close()


def test_a_team_run_chart_restarts_its_median_at_a_change_marked_on_its_parent(demo_db_copy):
    """As the SPC view's limits do: the run chart's median before and after the change are computed
    apart, the rules do not cross it, and the chart draws a rule there and says so."""
    con = db.connect(demo_db_copy)
    try:
        plain = progress.team_report(scoped.runner(con), "T2024-11", "fi")
        before = next(m for m in plain.measures if m.indicator_id == "ylityot_h_hlo_kk")
        assert "phase" not in before.points.columns and before.points["median"].n_unique() == 1
        assert team_charts.median_notes(before, "fi") == []
        report = ingest.load(con, (HEADER + "HVA03,2024-07-10,process_change,Uudet vuorolistat,\n").encode())
        assert report.committed
        marked = progress.team_report(scoped.runner(con), "T2024-11", "fi")
        measure = next(m for m in marked.measures if m.indicator_id == "ylityot_h_hlo_kk")
        points = measure.points
        later = points.filter(pl.col("period_start") >= dt.date(2024, 7, 1))
        assert set(later["phase"].to_list()) == {1}
        assert set(points.filter(pl.col("period_start") < dt.date(2024, 7, 1))["phase"].to_list()) == {0}
        assert later["median"][0] == pytest.approx(float(later["value"].drop_nulls().median()))
        assert later["median"][0] != before.points["median"][0]
        note = "Mediaani laskettu uudelleen 1.7.2024 alkaen (prosessimuutos: Uudet vuorolistat)"
        assert team_charts.median_notes(measure, "fi") == [note]
        spec = team_charts.run_chart(measure, marked.events, lang="fi").to_dict()
        assert note in spec["title"]["subtitle"]
        untitled = team_charts.run_chart(measure, marked.events, lang="fi", titled=False).to_dict()
        assert untitled["title"]["text"] == [note]   # the page draws the name: the chart still says it
        rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"
                 and layer["mark"].get("color") == charts.PROCESS_CHANGE]
        assert rules, "a rule where the median restarted"
        rows = [row for values in spec["datasets"].values() for row in values if row.get("note")]
        assert [str(r["period_start"])[:10] for r in rows] == ["2024-07-01"]
        assert note in alt_text.team_measure(measure, "fi").summary
        en = progress.team_report(scoped.runner(con), "T2024-11", "en")
        measure_en = next(m for m in en.measures if m.indicator_id == "ylityot_h_hlo_kk")
        assert team_charts.median_notes(measure_en, "en") == [
            "Median recalculated from 1.7.2024 (process change: Uudet vuorolistat)"]
    finally:
        con.close()


@pytest.fixture
def demo_app(app_env, demo_db_path):
    app_env(demo_db_path)


def _chart_spec(at) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


@pytest.mark.parametrize(("lang", "text", "label"), [
    ("fi", f"Rajat laskettu uudelleen 1.3.2024 alkaen (prosessimuutos: {LABEL})", f"Prosessimuutos: {LABEL}"),
    ("sv", f"Gränserna har räknats om från 1.3.2024 (processändring: {LABEL})", f"Processändring: {LABEL}"),
])
def test_region_page_says_the_limits_were_recalculated_at_the_process_change(demo_app, lang, text, label):
    at = app_test(query_params={"region": "14", "indicator": T3, "lang": lang})
    assert not at.exception
    spec = _chart_spec(at)
    assert text in json.dumps(spec["title"], ensure_ascii=False)
    datasets = json.dumps([d.data.data.hex() for d in at.get("vega_lite_chart")[0].proto.datasets])
    assert label.encode().hex() in datasets  # the rule's label travels in the chart's data
    # the chart's summary sentence under it says so too
    assert any(text + "." in c.value for c in at.caption), [c.value for c in at.caption]


def test_a_hostile_label_is_plain_text_on_the_chart(app_env, demo_db_copy):
    hostile = "**lihava** <img src=x onerror=alert(1)> [linkki](https://example.com)"
    con = db.connect(demo_db_copy)
    try:
        assert ingest.load(con, (HEADER + f'HVA14,2025-01-01,process_change,"{hostile}",{T3}\n').encode()).committed
    finally:
        con.close()
    app_env(demo_db_copy)
    at = app_test(query_params={"region": "14", "indicator": T3})
    assert not at.exception
    title = json.dumps(_chart_spec(at)["title"], ensure_ascii=False)
    assert f"(prosessimuutos: {hostile})" in title  # Vega draws it as text, never as markup
    assert all(hostile not in m.value for m in at.markdown)  # no markdown element carries it raw
    summary = [c.value for c in at.caption if "prosessimuutos:" in c.value]
    assert summary and hostile not in summary[0]
    assert f"(prosessimuutos: {escape_markdown(hostile)})" in summary[0]  # the summary sentence escapes it


def test_the_unit_drill_down_marks_a_process_change_on_its_unit(demo_db_copy, app_env):
    con = db.connect(demo_db_copy)
    try:
        text = HEADER + "HVA15-kyllo-tk,2025-02-12,process_change,Puhelinajanvaraus uudistettiin,\n"
        assert ingest.load(con, text.encode()).committed
    finally:
        con.close()
    app_env(demo_db_copy)
    at = app_test("units", query_params={"region": "15", "indicator": T3})
    assert not at.exception
    chart = at.get("vega_lite_chart")[0]
    spec = json.loads(chart.proto.spec)
    marks = [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    assert marks == ["line", "rule"]
    data = b"".join(d.data.data for d in chart.proto.datasets)
    assert b"Prosessimuutos: Puhelinajanvaraus uudistettiin" in data
