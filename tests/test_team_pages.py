"""AppTest of the team page, the cohort board and presentation mode (URL, buttons), and the
run-chart spec."""

import json

import polars as pl
import pyarrow as pa

from tests.conftest import app_test
from vetopito import teams
from vetopito.charts import team as team_charts


def _datasets(element):
    return [pl.from_arrow(pa.ipc.open_stream(d.data.data).read_all()) for d in element.proto.datasets]


def test_team_page_opens_the_team_in_the_url(app_env, demo_db_path):
    app_env(demo_db_path)
    at = app_test("team", query_params={"team": "T2025-17"})
    assert not at.exception
    assert at.selectbox(key="w_team").value == "T2025-17"
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 2
    spec = json.loads(charts[0].proto.spec)
    assert "IHI" in json.dumps(spec)
    assert len(at.get("download_button")) == 2


def test_cohort_board_lists_every_team_of_the_cohort(app_env, demo_db_path):
    app_env(demo_db_path)
    at = app_test("cohort", query_params={"cohort": "2024"})
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame["Tiimi"].nunique() == 23


def test_presentation_buttons_move_team_and_url(app_env, demo_db_path):
    app_env(demo_db_path)
    at = app_test("present", query_params={"team": "T2024-05"})
    assert not at.exception
    assert at.query_params["team"] == ["T2024-05"] or at.query_params["team"] == "T2024-05"
    at.button(key="present_next").click().run()
    assert "T2024-06" in str(at.query_params["team"])
    at.button(key="present_prev").click().run()
    at.button(key="present_prev").click().run()
    assert "T2024-04" in str(at.query_params["team"])
    assert len(at.get("vega_lite_chart")) >= 1


def test_run_chart_spec_has_baseline_median_aim_and_workshops(demo_con):
    report = teams.team_report(teams.scoped_query(demo_con), "T2024-01", "fi")
    measure = report.measures[0]
    spec = team_charts.run_chart(measure, report.events, lang="fi").to_dict()
    layers = spec["layer"]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers]
    assert marks.count("rule") >= 2  # aim line and event rules
    dashed = [lyr for lyr in layers if isinstance(lyr["mark"], dict) and lyr["mark"].get("strokeDash") == [6, 4]]
    assert dashed and dashed[0]["encoding"]["y"]["field"] == "median"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    labels = {row.get("display_label") for rows in spec["datasets"].values() for row in rows}
    assert {"Työpaja 1", "Työpaja 2"} <= labels  # workshop 3 falls after this series ends
