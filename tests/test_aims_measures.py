"""A coach defines a team's own measure in the team's aims file (issue 11 item 2: "on the team page
or in the teams/aims files"): a row naming a measure the catalogue lacks, with its name, unit and
direction, creates that team's own indicator in the same load (the team page form's id rule), with
the same rights (a coach only for their own team), shown on the team's page, and undone with the
load."""

from __future__ import annotations

import pytest

from tests.test_indicator_scope import (  # the roles and the demo copy with their grants
    ANALYST15,
    COACH,
    COACH_OTHER,
    DIRECTOR12,
    DIRECTOR15,
    MEASURE_ID,
    TEAM,
    _lines,
    _scope,
    _state,
)
from tests.test_indicator_scope import con as scope_con
from vetopito import catalog, ingest, scoped
from vetopito.teams import progress

HEADER = "team;indicator;measure_name;measure_name_en;unit;direction;decimals;baseline_value;aim_value;aim_date\n"
ROW = (f"{TEAM};Ylityötunnit / hlö / kk;;Overtime hours per person per month;hours_per_person_month;lower;1;"
       "6,5;4;2025-12-31\n")
PAIR = "työparityöskentely_sujuu"  # not an id (ä): the id is made of the team and the name


@pytest.fixture
def con(demo_db_copy):
    """The demo copy with the roles of tests/test_indicator_scope.py granted."""
    yield from scope_con.__wrapped__(demo_db_copy)


def _load(con, text: str, email: str | None = COACH):
    scope = _scope(con, email).loading() if email else None
    return ingest.load(con, text.encode(), file_name="tavoitteet.csv", user=email or "cli", scope=scope)


def _measures(con, email: str, team: str = TEAM) -> dict[str, progress.Measure]:
    report = progress.team_report(scoped.runner(con, _scope(con, email)), team, "fi")
    return {m.indicator_id: m for m in report.measures} if report else {}


def test_a_coach_defines_their_teams_measure_in_the_aims_file(con):
    report = _load(con, HEADER + ROW)
    assert report.committed, _lines(report)
    assert report.detected["format"] == "aims"
    row = catalog.indicator(con, MEASURE_ID)   # the team page form's id for the same name and team
    assert (row["scope_kind"], row["scope_value"], row["unit"], row["direction"], row["decimals"]) == (
        "team", TEAM, "hours_per_person_month", "lower", 1)
    assert row["name_fi"] == "Ylityötunnit / hlö / kk" and row["name_en"] == "Overtime hours per person per month"
    measure = _measures(con, COACH)[MEASURE_ID]
    assert (measure.baseline_value, measure.aim_value, str(measure.aim_date)) == (6.5, 4.0, "2025-12-31")
    # the region's director sees it; another region's does not, nor another team's coach
    assert MEASURE_ID in _measures(con, DIRECTOR15)
    assert MEASURE_ID not in set(_scope(con, DIRECTOR12).indicator_ids or ())
    # the same file again: nothing new (the measure is known by its name now)
    again = _load(con, HEADER + ROW)
    assert again.already_loaded or again.counts["new"] == 0, _lines(again)


def test_an_id_in_the_indicator_cell_is_the_measures_id(con):
    text = ("tiimi;mittari;mittarin nimi;yksikkö;suunta;lähtötaso;tavoitearvo\n"
            f"{TEAM};t2024_17_tyopari;Työparityöskentely sujuu, % vastaajista;%;higher;40;70\n")
    report = _load(con, text)
    assert report.committed, _lines(report)
    row = catalog.indicator(con, "t2024_17_tyopari")
    assert (row["name_fi"], row["unit"], row["scope_value"], row["decimals"]) == (
        "Työparityöskentely sujuu, % vastaajista", "pct", TEAM, 1)
    assert _measures(con, COACH)["t2024_17_tyopari"].aim_value == 70.0


@pytest.mark.parametrize("email", [COACH_OTHER, DIRECTOR15])
def test_a_measure_for_a_team_outside_ones_rights_is_refused_and_nothing_is_written(con, email):
    before = _state(con)
    report = _load(con, HEADER + ROW, email)
    assert not report.ok() and not report.committed
    assert _lines(report)  # refused with a row, column, value message (the team or the measure's scope)
    assert _state(con) == before
    assert catalog.indicator(con, MEASURE_ID) is None


def test_a_regions_analyst_may_define_it_for_a_team_of_the_region(con):
    report = _load(con, HEADER + ROW, ANALYST15)
    assert report.committed, _lines(report)
    assert catalog.indicator(con, MEASURE_ID)["scope_value"] == TEAM


def test_bad_measure_cells_are_named_by_the_aims_files_row_and_column(con):
    text = HEADER + f"{TEAM};Ylityötunnit / hlö / kk;;;tunteja;alaspäin;9;6,5;4;2025-12-31\n"
    before = _state(con)
    report = _load(con, text)
    assert not report.ok()
    lines = _lines(report)
    assert any(line.startswith('rivi 2, sarake "unit": "tunteja"') for line in lines), lines
    assert any(line.startswith('rivi 2, sarake "direction": "alaspäin"') for line in lines), lines
    assert any(line.startswith('rivi 2, sarake "decimals": "9"') for line in lines), lines
    assert _state(con) == before


def test_an_unknown_indicator_without_measure_columns_keeps_its_message(con):
    report = _load(con, f"team,indicator,baseline_value,aim_value\n{TEAM},ei_tallaista,1,2\n")
    assert not report.ok()
    assert any("ei_tallaista" in line for line in _lines(report))
    assert catalog.indicator(con, "ei_tallaista") is None


def test_undoing_the_aims_load_removes_the_measure_it_created(con):
    before = _state(con)
    report = _load(con, HEADER + ROW + f"{TEAM};mk_palautuminen_pct;;;;;;30;45;2025-12-31\n")
    assert report.committed, _lines(report)
    assert {MEASURE_ID, "mk_palautuminen_pct"} <= set(_measures(con, COACH))
    preview = ingest.undo_preview(con, report.load_id)
    assert preview is not None
    ingest.undo(con, report.load_id, user=COACH)
    assert _state(con) == before
    assert catalog.indicator(con, MEASURE_ID) is None
    assert MEASURE_ID not in _measures(con, COACH)


def test_values_of_the_new_measure_block_the_undo_of_its_aims_load(con):
    report = _load(con, HEADER + ROW)
    assert report.committed, _lines(report)
    values = "unit;indicator;period;value\n" + "".join(f"{TEAM};{MEASURE_ID};2025-{m:02d};{6 - m / 10}\n"
                                                        for m in range(1, 7))
    later = _load(con, values.replace(".", ","), None)  # the values: an analyst's load (the command line)
    assert later.committed, _lines(later)
    with pytest.raises(ingest.UndoBlocked):
        ingest.undo(con, report.load_id, user=COACH)
    ingest.undo(con, later.load_id, user=COACH)
    ingest.undo(con, report.load_id, user=COACH)
    assert catalog.indicator(con, MEASURE_ID) is None
