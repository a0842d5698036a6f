"""The cohort board's "✓" (aim met now: by the latest value or reliably), its totals above the
grid and a selected row opening the team; presentation mode's small multiples, start team and
labels clear of their own lines."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tests.apptest_helpers import app_test
from vetopito import i18n, scoped
from vetopito.teams import charts as team_charts
from vetopito.teams import cohorts, progress

pytestmark = pytest.mark.usefixtures("typed_channels")   # every chart here passes typed encodings

START = dt.date(2024, 1, 1)


def _measure(values: list[float], *, aim: float = 10.0, direction: str = "higher", first=dt.date(2023, 1, 1)):
    """A constructed team measure: monthly values from `first`, the team started on START."""
    periods = [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
               for i in range(len(values))]
    n = len(values)
    obs = pl.DataFrame({
        "team_id": ["TX"] * n, "indicator_id": ["mx"] * n, "period_start": periods, "grain": ["month"] * n,
        "value": [float(v) for v in values], "numerator": [None] * n, "denominator": [None] * n, "respondents": [None] * n,
        "flag": [None] * n, "unit": ["pct"] * n, "direction": [direction] * n, "decimals": [1] * n,
        "min_persons": [None] * n,
    }, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64, "respondents": pl.Int64,
                         "flag": pl.String, "min_persons": pl.Int64})
    meta = {"indicator_id": "mx", "name_fi": "Mittari", "unit": "pct", "direction": direction, "decimals": 1,
            "min_persons": None, "baseline_value": 5.0, "baseline_period": dt.date(2023, 1, 1),
            "aim_value": aim, "aim_date": dt.date(2025, 1, 1)}
    events = pl.DataFrame(schema={"event_date": pl.Date, "kind": pl.String, "label": pl.String})
    return progress.build_measure(meta, obs, progress.event_labels(events, "fi"), START, "fi")


def test_an_aim_touched_once_but_missed_by_the_latest_value_gets_no_tick():
    # one month at the aim (10) after the start, the latest value far below it
    m = _measure([5, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 7, 10, 6, 7, 6])
    assert m.aim_reached_on is not None        # it did touch the aim once
    assert m.aim_met is None
    row = {"team_id": "TX", "team": "Tiimi X", "region": "Kainuu", "measure": "Mittari", "unit": "pct",
           "decimals": 1, "baseline": 5.0, "aim": 10.0, "latest": 6.0, "latest_hidden": False,
           "latest_reason": None, "min_persons": None, "signal": "common_cause", "aim_reached": False,
           "aim_met": m.aim_met, "progress": 0.2, "indicator_id": "mx"}
    table = cohorts.board_table(pl.DataFrame([row]), "fi")
    assert "✓" not in table[i18n.t("team.col.baseline_aim", "fi")][0]
    assert "saavutettiin 2/2024, mutta viimeisin arvo ei saavuta sitä." in m.text   # the summary agrees


def test_the_latest_value_at_the_aim_gets_a_tick_that_says_latest():
    m = _measure([5, 5, 6, 5, 6, 7, 10.5])
    assert m.aim_met == "latest"
    for lang in ("fi", "sv", "en"):
        assert cohorts.aim_met_mark("latest", lang).strip() == i18n.t("cohort.aim_met.latest", lang)


def test_a_process_beyond_the_aim_since_the_start_is_met_reliably_even_if_the_latest_dips():
    before = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6]                          # 2023: below the aim
    after = [14, 15, 14, 15, 14, 15, 14, 15, 14, 15, 14, 15, 14, 15, 11]   # 2024-: well above it
    m = _measure(before + after)
    assert m.aim_met == "reliably"
    lower = _measure([14 - v + 6 for v in before] + [6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 9.5],
                     aim=10.0, direction="lower")
    assert lower.aim_met == "reliably"
    # too few values since the start: the limits would be trial limits, so only the latest counts
    short = _measure(before + after[:6] + [9.0])
    assert short.aim_met is None


def test_cohort_board_ticks_only_aims_met_now(demo_con):
    query = scoped.runner(demo_con)
    board = cohorts.cohort_board(query, 2024, "fi")
    col = i18n.t("team.col.baseline_aim", "fi")
    table = cohorts.board_table(board, "fi")
    for row, text in zip(board.iter_rows(named=True), table[col].to_list(), strict=True):
        report_measure = next(m for m in progress.team_report(query, row["team_id"], "fi").measures
                              if m.indicator_id == row["indicator_id"])
        assert row["aim_met"] == report_measure.aim_met
        if row["aim_met"] is None:
            assert "✓" not in text
        else:
            assert text.startswith(i18n.t(f"cohort.aim_met.{row['aim_met']}", "fi") + " ")
    touched_not_met = board.filter(pl.col("aim_met").is_null() & pl.col("aim").is_not_null())
    assert touched_not_met.height > 0


def _board_app(params=None):
    return app_test("cohort", query_params={"cohort": "2024", **(params or {})})


def test_cohort_totals_sit_above_the_grid_and_the_aim_legend_says_what_the_tick_means(app_env, demo_db_path):
    app_env(demo_db_path)
    at = _board_app()
    assert not at.exception
    totals, grid = at.table[0].value, at.dataframe[0].value
    assert totals["Tiimi"].str.startswith("Kaikki tiimit").all() and totals.shape[0] >= 3
    assert not grid["Tiimi"].str.startswith("Kaikki tiimit").any()
    assert any("✓ SPC" in c.value and "MDC" in c.value for c in at.caption)


def test_selecting_a_board_row_opens_that_team(app_env, demo_db_path):
    app_env(demo_db_path)
    at = _board_app({"sort": "name"})
    grid = at.dataframe[0].value
    row = 4
    team_name = grid["Tiimi"].iloc[row]
    at.session_state["board"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.selectbox(key="w_team").value is not None      # the team page, not the board
    assert at.subheader[0].value == team_name
    assert at.query_params["team"] in (at.selectbox(key="w_team").value, [at.selectbox(key="w_team").value])


def _text_layers(spec):
    return [lyr for lyr in spec["layer"] if isinstance(lyr["mark"], dict) and lyr["mark"]["type"] == "text"]


@pytest.mark.parametrize("font_scale", [1.0, 1.6, 2.0])
def test_labels_never_sit_on_their_own_line(demo_con, font_scale):
    """The aim's label lies wholly above (or below) its line at any font size, and every event
    marker lies beside its own rule, towards the inside of the plot."""
    query = scoped.runner(demo_con)
    checked = 0
    for team_id in ("T2024-01", "T2024-05", "T2024-10", "T2025-17"):
        report = progress.team_report(query, team_id, "fi")
        for measure in report.measures:
            spec = team_charts.run_chart(measure, report.events, lang="fi", font_scale=font_scale).to_dict()
            for layer in _text_layers(spec):
                mark, field = layer["mark"], layer["encoding"]["text"]["field"]
                if field == "label":                                     # the aim
                    assert (mark.get("baseline"), mark.get("dy", 0) > 0) in (("bottom", False), ("top", True)), mark
                    assert mark.get("dy", 0) != 0
                    checked += 1
                elif field == "marker":                                  # workshops and events
                    assert mark["baseline"] == "top"
                    assert (mark["align"], mark["dx"] > 0) in (("left", True), ("right", False)), mark
    assert checked >= 4


def test_presentation_opened_for_a_team_starts_at_that_team_after_stepping_elsewhere(app_env, demo_db_path):
    """The team page's link carries the team; it wins over the team this session showed last."""
    app_env(demo_db_path)
    at = app_test("present", query_params={"team": "T2024-05"})
    at.button(key="present_next").click().run()
    assert "T2024-06" in str(at.query_params["team"])
    at.query_params.clear()
    at.query_params["team"] = "T2024-10"
    at.switch_page("pages/team.py").run()
    team_title = at.subheader[0].value
    link = next(e for e in at.get("page_link") if "esitys" in e.proto.page or "present" in e.proto.page)
    assert dict(link.proto.query_string and [kv.split("=") for kv in link.proto.query_string.split("&")]) \
        .get("team") == "T2024-10"
    at.switch_page("pages/present.py").run()
    assert not at.exception
    assert "T2024-10" in str(at.query_params["team"]) and at.session_state["s_present_team"] == "T2024-10"
    assert at.title[0].value == team_title


def test_presentation_draws_every_measure_in_a_grid_that_fits_the_screen(app_env, demo_db_path):
    app_env(demo_db_path)
    at = app_test("present", query_params={"team": "T2024-06"})      # five measures: 3 × 2
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) == 5
    columns, height = team_charts.present_layout(5)
    assert columns == 3 and all(json.loads(c.proto.spec)["height"] == height for c in charts)
    names = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")]
    assert len(names) == 5 and any("Sairauspoissaolot" in n for n in names)   # a name above every chart
    assert sum("Merkit:" in c.value for c in at.caption) == 1           # the markers once, not per chart
