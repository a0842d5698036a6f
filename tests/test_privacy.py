"""Small-number suppression: the rules, complementary suppression, and that hidden values never
reach a page's data, a chart's datasets or an export."""


import polars as pl
import pytest

from vetopito import db, privacy, scoped
from vetopito.teams import charts as team_charts
from vetopito.teams import cohorts, progress


def test_person_counts_under_five_and_surveys_under_ten_are_hidden():
    frame = pl.DataFrame({
        "value": [2.0, 0.0, 5.0, 40.0, 55.0, 30.0],
        "numerator": [None, None, None, 4.0, 11.0, 3.0],
        "denominator": [None, None, None, 9.0, 20.0, 10.0],
        "respondents": [None, None, None, 9, 20, None],
        "unit": ["persons", "persons", "count", "pct", "pct", "pct"],
        "min_persons": [5, 5, 5, 10, 10, 5],
    })
    out = privacy.suppress(frame)
    assert out["hidden_reason"].to_list() == ["few_persons", None, None, "few_respondents", None, "few_persons"]
    assert out["value"].to_list() == [None, 0.0, 5.0, None, 55.0, None]
    hidden = out.filter(pl.col("is_hidden"))
    assert hidden["numerator"].null_count() == hidden.height
    assert hidden["denominator"].null_count() == hidden.height
    assert hidden["respondents"].null_count() == hidden.height


def test_complementary_suppression_hides_a_second_cell_when_one_is_hidden():
    frame = privacy.suppress(pl.DataFrame({
        "group": ["a", "a", "a", "b", "b", "b"],
        "value": [2.0, 7.0, 9.0, 6.0, 8.0, 12.0],
        "unit": ["persons"] * 6, "min_persons": [5] * 6,
    }))
    out = privacy.complementary_suppression(frame, ["group"])
    assert out["hidden_reason"].to_list() == ["few_persons", "complementary", None, None, None, None]
    totals = privacy.group_total(out, ["group"])
    assert totals["total"].to_list() == [9.0, 26.0]  # a: only the 9 is summed; 2 and 7 cannot be told apart


def test_hidden_reason_text_says_why():
    assert privacy.hidden_reason_text("few_respondents", min_persons=10, lang="fi") == "alle 10 vastaajaa"
    assert "5" in privacy.hidden_reason_text("few_persons", lang="en")


@pytest.fixture
def query(demo_con):
    return scoped.runner(demo_con)


def _raw_values(con, team_id, indicator_id):
    frame = db.run(con, "pages/team/observations", team_id=team_id, cohort_year=None, scope_units=[team_id],
                   scope_indicators=[indicator_id])
    return frame.filter(pl.col("indicator_id") == indicator_id)


def test_demo_team_with_few_respondents_hides_values_in_report_and_chart(demo_con, query):
    raw = _raw_values(demo_con, "T2025-17", "mk_palautuminen_pct")
    secret = raw.filter(pl.col("respondents") < 10)
    assert secret.height > 0
    report = progress.team_report(query, "T2025-17", "fi")
    measure = next(m for m in report.measures if m.indicator_id == "mk_palautuminen_pct")
    assert measure.n_hidden == secret.height
    hidden_periods = set(secret["period_start"].to_list())
    shown = measure.points.filter(pl.col("period_start").is_in(list(hidden_periods)))
    assert shown["value"].null_count() == shown.height
    spec = team_charts.run_chart(measure, report.events, lang="fi").to_dict()
    for rows in spec["datasets"].values():
        for row in rows:
            if str(row.get("period_start", ""))[:10] in {str(p) for p in hidden_periods}:
                assert row.get("value") is None
    assert "alle 10 vastaajaa" in measure.text


def test_leavers_two_never_shown_in_board_or_baseline(query):
    board = cohorts.cohort_board(query, 2024, "fi")
    leavers = board.filter(pl.col("indicator_id") == "lahtijat_lkm")
    assert leavers.height > 0
    assert leavers["baseline"].null_count() == leavers.height
    assert leavers["progress"].null_count() == leavers.height
    for value in leavers["latest"].drop_nulls().to_list():
        assert value == 0 or value >= 5


def _board(latest, hidden, unit="persons"):
    n = len(latest)
    return pl.DataFrame({
        "team_id": [f"T{i}" for i in range(n)], "team": [f"Tiimi {i}" for i in range(n)], "region": ["Kainuu"] * n,
        "baseline": [50.0] * n, "aim": [70.0] * n, "min_persons": [5] * n, "indicator_id": ["lahtijat_lkm"] * n, "measure": ["Lähteneet"] * n,
        "unit": [unit] * n, "decimals": [0] * n, "latest": latest, "latest_hidden": hidden,
        "latest_reason": ["few_persons" if h else None for h in hidden], "progress": [0.5] * n,
        "signal": ["improvement"] * n, "aim_reached": [False] * n,
    }, schema_overrides={"latest": pl.Float64, "baseline": pl.Float64, "aim": pl.Float64})


def test_board_total_hides_a_second_team_so_the_hidden_one_cannot_be_worked_back():
    shown, totals = cohorts.board_totals(_board([None, 7.0, 9.0, 12.0], [True, False, False, False]))
    assert shown["latest"].to_list() == [None, None, 9.0, 12.0]       # the smallest other one goes too
    assert shown["latest_reason"].to_list() == ["few_persons", "complementary", None, None]
    assert shown["progress"].to_list() == [None, None, 0.5, 0.5]
    assert totals["total"].to_list() == [21.0] and totals["total_kind"].to_list() == ["sum"]


def test_board_total_is_hidden_when_one_hidden_value_is_all_there_is():
    shown, totals = cohorts.board_totals(_board([None], [True]))
    assert totals["total"].to_list() == [None]
    _, none_hidden = cohorts.board_totals(_board([3.0 + 2, 6.0], [False, False]))
    assert none_hidden["total"].to_list() == [11.0]


def test_board_total_of_shares_is_the_median_of_shown_values():
    shown, totals = cohorts.board_totals(_board([40.0, None, 60.0, 70.0], [False, True, False, False], unit="pct"))
    assert shown["latest"].to_list() == [40.0, None, 60.0, 70.0]      # a median exposes nothing: no second cell
    assert (totals["total"].to_list(), totals["total_kind"].to_list()) == ([60.0], ["median"])
    table = cohorts.board_table(shown, "en", totals)
    assert table["Latest"].to_list()[-1] == "median 60\u00a0%"
    assert table["Team"].to_list()[-1] == "All teams (4)"
