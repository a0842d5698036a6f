"""AppTest of the team page, the cohort board and presentation mode (URL, buttons), and the
run-chart spec."""

import json

import polars as pl
import pyarrow as pa
import pytest

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
    teams_shown = frame[~frame["Tiimi"].str.startswith("Kaikki tiimit")]
    assert teams_shown["Tiimi"].nunique() == 23


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


def test_cohort_board_filters_and_sort_live_in_the_url_and_survive_a_page_switch(app_env, demo_db_path):
    app_env(demo_db_path)
    at = app_test("cohort", query_params={"cohort": "2024", "yta": "YTA2", "sort": "name"})
    assert not at.exception
    frame = at.dataframe[0].value
    team_rows = frame[~frame["Tiimi"].str.startswith("Kaikki tiimit")]
    assert list(team_rows["Tiimi"]) == sorted(team_rows["Tiimi"])
    assert set(team_rows["Alue"]) <= {"Etelä-Savo", "Pohjois-Savo", "Pohjois-Karjala", "Keski-Suomi", "Kymenlaakso"}
    totals = frame[frame["Tiimi"].str.startswith("Kaikki tiimit")]
    assert len(totals) == team_rows["Mittari"].nunique()        # one total row per measure
    at.selectbox(key="w_sort").set_value("progress").run()
    at.selectbox(key="w_theme").set_value("leadership").run()
    assert at.query_params["sort"] in ("progress", ["progress"]) and "leadership" in str(at.query_params["theme"])
    assert at.session_state["s_yta"] == "YTA2" and at.session_state["s_sort"] == "progress"
    at.query_params.clear()                       # the sidebar navigation drops the query string
    at.switch_page("pages/team.py").run()
    at.switch_page("pages/cohort.py").run()
    assert (at.selectbox(key="w_yta").value, at.selectbox(key="w_theme").value) == ("YTA2", "leadership")
    assert len(at.get("download_button")) == 1     # the deck is made only when clicked


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_pages_speak_the_chosen_language_with_no_finnish_left(app_env, demo_db_path, lang):
    app_env(demo_db_path)
    finnish = ("Tiimi", "Työpaja", "Tavoite", "tiimi", "Palautuu", "Säännöt", "Ajanjakso", "piilotettu",
               "Kaikki", "Edellinen", "Seuraava", "parannus", "signaali")
    for name, params in (("team", {"team": "T2025-17"}), ("cohort", {"cohort": "2024"}),
                         ("present", {"team": "T2024-03"})):
        at = app_test(name, query_params={**params, "lang": lang})
        assert not at.exception
        texts = [e.value for e in (*at.title, *at.subheader, *at.markdown, *at.caption)]
        texts += [b.label for b in at.button] + [s.label for s in at.selectbox]
        texts += [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("vega_lite_chart")]
        if at.dataframe:
            frame = at.dataframe[0].value
            texts += list(frame.columns) + [str(v) for v in frame.to_numpy().ravel()]
        page_text = "\n".join(str(x) for x in texts)
        leaks = [w for w in finnish if w in page_text]
        assert not leaks, f"{name} ({lang}) shows Finnish: {leaks}"


def test_summary_sentences_in_three_languages(demo_con):
    query = teams.scoped_query(demo_con)
    texts = {lang: teams.team_report(query, "T2025-17", lang).measures for lang in ("fi", "sv", "en")}
    palautuminen = {lang: next(m for m in ms if m.indicator_id == "mk_palautuminen_pct").text
                    for lang, ms in texts.items()}
    assert "alle 10 vastaajaa" in palautuminen["fi"]
    assert "färre än 10 svarande" in palautuminen["sv"]
    assert "fewer than 10 respondents" in palautuminen["en"]
    for lang, measures in texts.items():
        for m in measures:
            assert m.text and m.text.endswith("."), (lang, m.text)
            assert "{" not in m.text, (lang, m.text)      # every field filled in
