"""AppTest of the team page, the cohort board and presentation mode (URL, buttons), and the
run-chart spec."""

import json

import polars as pl
import pyarrow as pa
import pytest

from tests.apptest_helpers import app_test
from vetopito import i18n, scoped
from vetopito.teams import charts as team_charts
from vetopito.teams import cohorts, progress

pytestmark = pytest.mark.usefixtures("typed_channels")   # every chart here passes typed encodings


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
    assert [lyr for lyr in spec["layer"] if lyr["encoding"].get("text", {}).get("field") == "marker"]
    assert any("IHI" in c.value for c in at.caption)  # the rule set is named under the facts
    assert any("T1" in c.value and "Työpaja 1" in c.value for c in at.caption)  # the markers spelled out
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
    report = progress.team_report(scoped.runner(demo_con), "T2024-01", "fi")
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
    totals = at.table[0].value                      # above the grid, never scrolled out of sight
    totals = totals[totals["Tiimi"].str.startswith("Kaikki tiimit")]
    assert len(totals) == team_rows["Mittari"].nunique()        # one total row per measure
    at.selectbox(key="w_sort").set_value("progress").run()
    at.selectbox(key="w_theme").set_value("leadership").run()
    assert at.query_params["sort"] in ("progress", ["progress"]) and "leadership" in str(at.query_params["theme"])
    assert at.session_state["s_yta"] == "YTA2" and at.session_state["s_sort"] == "progress"
    at.query_params.clear()                       # the sidebar navigation drops the query string
    at.switch_page("pages/team.py").run()
    at.switch_page("pages/cohort.py").run()
    assert (at.selectbox(key="w_yta").value, at.selectbox(key="w_theme").value) == ("YTA2", "leadership")
    assert len(at.get("download_button")) == 2     # PPTX and PDF, made only when clicked


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
    query = scoped.runner(demo_con)
    texts = {lang: progress.team_report(query, "T2025-17", lang).measures for lang in ("fi", "sv", "en")}
    palautuminen = {lang: next(m for m in ms if m.indicator_id == "mk_palautuminen_pct").text
                    for lang, ms in texts.items()}
    assert "alle 10 vastaajaa" in palautuminen["fi"]
    assert "färre än 10 svarande" in palautuminen["sv"]
    assert "fewer than 10 respondents" in palautuminen["en"]
    for lang, measures in texts.items():
        for m in measures:
            assert m.text and m.text.endswith("."), (lang, m.text)
            assert "{" not in m.text, (lang, m.text)      # every field filled in


# The unit in the axis title, short event markers, legend, caching.

def test_axis_title_names_the_unit_once():
    assert team_charts.axis_title("Palautuu hyvin työpäivästä, %", "%") == "Palautuu hyvin työpäivästä, %"
    assert team_charts.axis_title("Ylityötunnit / henkilö / kk", "h") == "Ylityötunnit / henkilö / kk (h)"
    assert team_charts.axis_title("Lähtijät", "") == "Lähtijät"


def test_events_get_short_markers_spelled_out_under_the_chart(demo_con):
    report = progress.team_report(scoped.runner(demo_con), "T2024-01", "fi")
    events = report.events
    workshops = events.filter(pl.col("kind") == "workshop")["marker"].to_list()
    changes = events.filter(pl.col("kind") != "workshop")["marker"].to_list()
    assert workshops == [f"T{n}" for n in range(1, len(workshops) + 1)]
    assert changes == [f"M{n}" for n in range(1, len(changes) + 1)]
    measure = report.measures[0]
    spec = team_charts.run_chart(measure, events, lang="fi").to_dict()
    texts = [lyr for lyr in spec["layer"] if lyr["encoding"].get("text", {}).get("field") == "marker"]
    assert texts, "event markers are drawn as short text"
    key = team_charts.event_key(measure, events, "fi")
    assert key.startswith("T1 Työpaja 1 (") and "M1 " in key and "**" not in key
    assert "**T1**" in team_charts.event_key(measure, events, "fi", markdown=True)
    sv = progress.team_report(scoped.runner(demo_con), "T2024-01", "sv")
    assert team_charts.event_key(sv.measures[0], sv.events, "sv").startswith("W1 Workshop 1 (")


def test_run_chart_legend_below_the_plot_and_one_tick_per_label(demo_con):
    report = progress.team_report(scoped.runner(demo_con), "T2024-01", "fi")
    recovery = next(m for m in report.measures if m.indicator_id == "mk_palautuminen_pct")
    spec = team_charts.run_chart(recovery, report.events, lang="fi").to_dict()
    colour = next(lyr["encoding"]["color"] for lyr in spec["layer"]
                  if isinstance(lyr["encoding"].get("color"), dict) and lyr["encoding"]["color"].get("field") == "signal")
    assert colour["legend"]["orient"] == "bottom"
    value_layer = next(lyr for lyr in spec["layer"] if lyr["encoding"].get("y", {}).get("field") == "value"
                       and "title" in lyr["encoding"]["y"])
    assert value_layer["encoding"]["y"]["title"] == "Palautuu hyvin työpäivästä, %"  # not "…, % (%)"
    assert value_layer["encoding"]["x"]["axis"]["tickCount"]["interval"] == "month"
    untitled = team_charts.run_chart(recovery, report.events, lang="fi", titled=False).to_dict()
    assert "title" not in untitled
    assert next(lyr for lyr in untitled["layer"] if "title" in lyr["encoding"].get("y", {}))[
        "encoding"]["y"]["title"] == "%"


def test_team_page_rerun_builds_no_chart_again(app_env, demo_db_path, monkeypatch):
    """A rerun (a button, a view switch) draws the cached chart specs: no Altair chart is built."""
    app_env(demo_db_path)
    calls = []
    original = team_charts.run_chart
    monkeypatch.setattr(team_charts, "run_chart", lambda *a, **kw: calls.append(1) or original(*a, **kw))
    at = app_test("team", query_params={"team": "T2024-01"})
    assert not at.exception
    built = len(calls)
    assert built == len(at.get("vega_lite_chart")) >= 2
    at.run()
    assert not at.exception and len(calls) == built
    # the spec drawn is the library's chart, with its data as Arrow datasets
    frames = _datasets(at.get("vega_lite_chart")[0])
    assert any("value" in f.columns and f.height >= 12 for f in frames)


def test_presentation_shows_the_demo_notice_as_one_small_line(app_env, demo_db_path):
    app_env(demo_db_path)
    at = app_test("present", query_params={"team": "T2024-01"})
    assert not at.exception
    notes = [c.value for c in at.caption if "Esimerkkiaineisto" in c.value]
    assert len(notes) == 1 and "\n" not in notes[0]
    assert not [w for w in at.warning if "Esimerkkiaineisto" in w.value]  # no full banner of the page's own
    style = next(e.proto.body for e in at.get("html") if "present_notes" in e.proto.body)
    assert "display: none" in style


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_cohort_board_gives_the_signal_column_room_for_its_longest_label(app_env, demo_db_path, lang):
    app_env(demo_db_path)
    at = app_test("cohort", query_params={"cohort": "2024", "lang": lang})
    assert not at.exception
    columns = json.loads(at.dataframe[0].proto.columns)
    signal = columns[i18n.t("team.col.signal", lang)]
    longest = max(len(f"{cohorts.SIGNAL_ICONS[k]} {i18n.t(f'team.signal.{k}', lang)}")
                  for k in ("improvement", "concern", "common_cause"))
    assert isinstance(signal["width"], int) and signal["width"] >= 8 * longest  # ~7 px a character at 14 px


@pytest.mark.parametrize(("page_name", "params", "n_buttons"), [("cohort", {"cohort": "2024"}, 2),
                                                                 ("team", {"team": "T2024-01"}, 2)])
def test_slides_are_built_only_when_a_download_button_is_clicked(app_env, demo_db_path, monkeypatch,
                                                                 page_name, params, n_buttons):
    """A rerun (a filter change) builds no deck; the buttons carry a callable that makes the deck on
    click (Streamlit's deferred download), once per deck, language, scope and data version."""
    from vetopito.export import slides
    from vetopito.ui import team_views

    app_env(demo_db_path)
    built, handed = [], []
    monkeypatch.setattr(slides, "slide_bytes", lambda con, **kw: built.append(kw) or b"deck")
    original = team_views.team_slides
    monkeypatch.setattr(team_views, "team_slides", lambda **kw: handed.append((kw, original(**kw))) or handed[-1][1])
    at = app_test(page_name, query_params=params)
    assert not at.exception
    if page_name == "cohort":
        at.selectbox(key="w_sort").set_value("name").run()
    else:
        at.run()
    assert not at.exception
    assert built == []                                           # two runs, no deck built
    buttons = at.get("download_button")
    assert len(buttons) == n_buttons and all(b.proto.ignore_rerun for b in buttons)   # on_click="ignore"
    make = {kw["kind"]: deck for kw, deck in handed}
    assert set(make) == {"pptx", "pdf"} and all(callable(deck) for deck in make.values())
    assert make["pptx"]() == b"deck" and make["pptx"]() == b"deck" and make["pdf"]() == b"deck"
    assert [kw["kind"] for kw in built] == ["pptx", "pdf"]       # a second click reuses the first deck
    assert {kw.get("cohort") or kw.get("team_id") for kw in built} == {int(params.get("cohort", 0)) or params.get("team")}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_cohort_board_columns_fit_beside_the_sidebar_at_1400_px(demo_con, lang):
    query = scoped.runner(demo_con)
    for year in (2024, 2025):
        shown, totals = cohorts.board_totals(cohorts.cohort_board(query, year, lang))
        table = cohorts.board_table(shown, lang, totals)
        widths = cohorts.board_column_widths(table, lang)
        assert set(widths) == set(table.columns) - {"team_id"}
        assert sum(widths.values()) <= cohorts.BOARD_WIDTH_PX
        assert widths[i18n.t("team.col.team", lang)] >= 240            # a 40-character team name shows whole
        assert all(str(v).endswith(("%", "✓")) or "→" in str(v) or str(v).startswith("✓")
                   for v in table[i18n.t("team.col.baseline_aim", lang)].to_list())
