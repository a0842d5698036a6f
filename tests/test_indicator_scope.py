"""Measures of a team or a region (issue 11 item 2): an indicator's scope in the `indicators`
format, who may define one (`access.Scope.may_define`), who sees it (`Scope.indicator_ids`), and
that it shows where its scope allows and nowhere else: the team's pages, presentation and slides,
the region's pages and exports, never the national comparison nor another region's pages, exports
or decks. An undone load removes it everywhere."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pptx
import pytest

from tests.test_ingest_history import snapshot
from vetopito import access, catalog, db, ingest, scoped
from vetopito.export import rows as export_rows
from vetopito.export import slides
from vetopito.ingest import catalogue_form
from vetopito.regions import base, compare, overview
from vetopito.teams import cohorts, progress

ADMIN = "admin@example.fi"
COACH = "coach17@example.fi"          # coaches T2024-17 (region 15)
COACH_OTHER = "coach02@example.fi"    # coaches T2024-02 (region 12)
DIRECTOR15 = "director15@example.fi"
DIRECTOR12 = "director12@example.fi"
ANALYST14 = "analyst14@example.fi"
ANALYST15 = "analyst15@example.fi"
ANALYST_ALL = "analyst@example.fi"
VIEWER = "viewer@example.fi"
TEAM, OTHER_TEAM = "T2024-17", "T2024-02"
MEASURE = {"name_fi": "Ylityötunnit / hlö / kk", "name_en": "Overtime hours per person per month",
           "unit": "hours_per_person_month", "direction": "lower", "decimals": "1"}
MEASURE_ID = "t2024_17_ylityotunnit_hlo_kk"
REGION_ROW = ("id,name_fi,theme,unit,direction,decimals,aggregation,source,scope_kind,scope_value\n"
              "pk_chat_per_1000,Chat-yhteydenotot,access,per_1000,neutral,1,none,Siun soten chat,region,{region}\n")


@pytest.fixture
def con(demo_db_copy):
    connection = db.connect(demo_db_copy)
    access.grant(connection, ADMIN, "admin", by="bootstrap")
    for email, role, scope in ((COACH, "coach", f"team:{TEAM}"), (COACH_OTHER, "coach", f"team:{OTHER_TEAM}"),
                               (DIRECTOR15, "director", "region:15"), (DIRECTOR12, "director", "region:12"),
                               (ANALYST14, "analyst", "region:14"), (ANALYST15, "analyst", "region:15"),
                               (ANALYST_ALL, "analyst", "all"), (VIEWER, "viewer", "all")):
        access.grant(connection, email, role, scope, by=ADMIN)
    yield connection
    connection.close()


def _scope(con, email):
    return access.scope_for(con, email)


def _add_measure(con, email=COACH, team=TEAM, **values):
    csv = catalogue_form.team_measure_csv(team, {**MEASURE, **values})
    return ingest.load(con, csv, file_name="lomake.csv", user=email, scope=_scope(con, email).loading())


def _lines(report):
    return [p.line() for p in report.errors]


def test_a_coach_adds_a_measure_of_their_team_and_it_becomes_its_measure(con):
    report = _add_measure(con)
    assert report.committed, _lines(report)
    row = catalog.indicator(con, MEASURE_ID)
    assert (row["scope_kind"], row["scope_value"], row["unit"], row["direction"], row["decimals"]) == (
        "team", TEAM, "hours_per_person_month", "lower", 1)
    measures = scoped.runner(con)("pages/team/measures", team_id=TEAM, cohort_year=None)
    assert MEASURE_ID in measures["indicator_id"].to_list()


@pytest.mark.parametrize(("email", "team", "values"), [
    (COACH, OTHER_TEAM, {}),                                  # another coach's team
    (DIRECTOR15, TEAM, {}),                                   # a director defines nothing
    (VIEWER, TEAM, {}),
    (ANALYST14, TEAM, {}),                                    # an analyst of another region
], ids=["coach-other-team", "director", "viewer", "analyst-other-region"])
def test_a_team_measure_outside_ones_rights_is_refused_and_nothing_is_written(con, email, team, values):
    before = snapshot(con)
    report = _add_measure(con, email, team, **values)
    assert not report.committed
    assert report.errors and all(("oikeutta" in p.problem or "vain" in p.problem) for p in report.errors), \
        _lines(report)
    assert snapshot(con) == before


def test_who_may_define_which_scope(con):
    national = REGION_ROW.replace(",region,{region}", ",national,").encode()
    assert not ingest.check(con, national, scope=_scope(con, ANALYST14).loading()).ok()     # national: no
    assert ingest.check(con, national, scope=_scope(con, ANALYST_ALL).loading()).ok()      # the whole country
    assert ingest.check(con, national, scope=_scope(con, ADMIN).loading()).ok()            # admin
    assert ingest.check(con, REGION_ROW.format(region="14").encode(), scope=_scope(con, ANALYST14).loading()).ok()
    refused = ingest.check(con, REGION_ROW.format(region="HVA15").encode(), scope=_scope(con, ANALYST14).loading())
    assert [(p.column, p.value) for p in refused.errors] == [("scope_kind", "HVA15")]
    assert "sinulla ei ole oikeutta määritellä" in refused.errors[0].problem
    coach_national = ingest.check(con, national, scope=_scope(con, COACH).loading())
    assert not coach_national.ok()


def test_bad_scope_cells_get_row_column_value_messages(con):
    text = ("id,name_fi,theme,unit,direction,decimals,aggregation,source,scope_kind,scope_value\n"
            "a1,A,access,pct,higher,1,ratio,x,planeetta,\n"
            "a2,A,access,pct,higher,1,ratio,x,alue,\n"
            "a3,A,access,pct,higher,1,ratio,x,alue,Atlantis\n"
            "a4,A,access,pct,higher,1,ratio,x,tiimi,T1999-99\n"
            "a5,A,access,pct,higher,1,ratio,x,kansallinen,HVA14\n")
    report = ingest.check(con, text.encode(), lang="en")
    assert [(p.row, p.column) for p in report.errors] == [(2, "scope_kind"), (3, "scope_value"), (4, "scope_value"),
                                                          (5, "scope_value"), (6, "scope_value")]
    assert report.errors[0].problem.startswith('"planeetta" is not an allowed scope')
    assert report.errors[2].problem.startswith('"Atlantis" is not a wellbeing services county')
    assert report.errors[3].problem.startswith('"T1999-99" is not a team')


def test_who_sees_a_team_measure(con):
    assert _add_measure(con).committed
    for email in (COACH, DIRECTOR15, ANALYST15, ANALYST_ALL):
        assert _scope(con, email).sees_indicator(MEASURE_ID), email
    for email in (DIRECTOR12, COACH_OTHER, ANALYST14, VIEWER, ADMIN):
        assert not _scope(con, email).sees_indicator(MEASURE_ID), email
        assert MEASURE_ID not in catalog.indicators(con, _scope(con, email))["id"].to_list()
        assert MEASURE_ID.encode() not in catalogue_form.export_csv(con, _scope(con, email))


def _deck_text(data: bytes) -> str:
    deck = pptx.Presentation(io.BytesIO(data))
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)


def test_a_team_measure_shows_on_the_team_page_board_and_slides_of_those_who_see_it(con):
    assert _add_measure(con).committed
    for email in (COACH, DIRECTOR15):
        run = scoped.runner(con, _scope(con, email))
        report = progress.team_report(run, TEAM, "fi")
        assert MEASURE_ID in [m.indicator_id for m in report.measures], email
        board = cohorts.cohort_board(run, 2024, "fi")
        assert MEASURE_ID in board["indicator_id"].to_list(), email
        deck = _deck_text(slides.slide_bytes(con, team_id=TEAM, lang="fi", kind="pptx", scope=_scope(con, email)))
        assert "Ylityötunnit / hlö / kk" in deck, email
    other = _scope(con, DIRECTOR12)
    assert progress.team_report(scoped.runner(con, other), TEAM, "fi") is None
    deck = _deck_text(slides.slide_bytes(con, team_id=None, cohort=2024, lang="fi", kind="pptx", scope=other))
    assert "Ylityötunnit / hlö / kk" not in deck


def _state(con):
    return {t: rows for t, rows in snapshot(con).items() if t != "load_unit"}   # as test_ingest_history


def test_undoing_the_measure_load_removes_it_everywhere(con):
    before = _state(con)
    report = _add_measure(con)
    ingest.undo(con, report.load_id, user=COACH)
    assert _state(con) == before
    assert catalog.indicator(con, MEASURE_ID) is None
    report_after = progress.team_report(scoped.runner(con, _scope(con, COACH)), TEAM, "fi")
    assert MEASURE_ID not in [m.indicator_id for m in report_after.measures]


def _region_indicator_with_values(con):
    assert ingest.load(con, REGION_ROW.format(region="HVA14").encode(), file_name="r.csv", user=ANALYST14,
                       scope=_scope(con, ANALYST14).loading()).committed
    values = "indicator,unit,period,value\n" + "".join(
        f"pk_chat_per_1000,HVA14,2025-{m:02d},{10 + m}\n" for m in range(1, 13))
    report = ingest.load(con, values.encode(), file_name="v.csv", user=ANALYST14, scope=_scope(con, ANALYST14).loading())
    assert report.committed, _lines(report)


def test_a_regions_own_indicator_shows_on_its_pages_and_nowhere_else(con):
    _region_indicator_with_values(con)
    own = scoped.runner(con, _scope(con, ANALYST14))
    regions = base.regions(own)
    hva14 = base.region_row(regions, "14")
    view = overview.region_view(own, hva14, "fi")
    assert "pk_chat_per_1000" in [tile.indicator_id for tile in view.tiles]
    assert "pk_chat_per_1000" not in base.national_indicators(own)["indicator_id"].to_list()   # never compared
    exported = export_rows.export_rows(con, region="14", indicator=None)
    assert "pk_chat_per_1000" in exported["indicator"].to_list()
    for email in (DIRECTOR15, VIEWER, ADMIN):
        run = scoped.runner(con, _scope(con, email))
        view = overview.region_view(run, base.region_row(base.regions(run), "14"), "fi")
        assert "pk_chat_per_1000" not in [tile.indicator_id for tile in view.tiles], email
        assert "pk_chat_per_1000" not in base.indicators(run)["indicator_id"].to_list(), email
        assert run("pages/region/observations", unit_id="HVA14").filter(
            pl.col("indicator_id") == "pk_chat_per_1000").is_empty()
    with pytest.raises(pl.exceptions.PolarsError):   # the comparison never takes it, not even from its own analyst
        compare.comparison(own, "pk_chat_per_1000", dt.date(2025, 12, 1), "month", "fi", None)


def test_values_of_a_regions_own_indicator_elsewhere_are_refused_for_every_loader(con):
    _region_indicator_with_values(con)
    before = snapshot(con)
    report = ingest.load(con, b"indicator,unit,period,value\npk_chat_per_1000,HVA15,2025-01,3\n", file_name="x.csv",
                         lang="en")
    assert not report.committed
    assert [p.problem for p in report.errors] == [
        "the indicator pk_chat_per_1000 is the own indicator of HVA14: values may be loaded only for HVA14 and the "
        "units under it"]
    assert snapshot(con) == before
    # region 15's analyst does not even know it: an unknown indicator, no suggestion names it
    seen = ingest.check(con, b"indicator,unit,period,value\npk_chat_per_1000,HVA15,2025-01,3\n",
                        scope=_scope(con, ANALYST15).loading())
    assert seen.unknown_indicators and "pk_chat" not in " ".join(p.problem for p in seen.errors).replace(
        '"pk_chat_per_1000"', "")


def test_another_regions_analyst_cannot_take_or_edit_its_id(con):
    _region_indicator_with_values(con)
    report = ingest.check(con, REGION_ROW.format(region="HVA15").encode(), scope=_scope(con, ANALYST15).loading())
    assert [p.column for p in report.errors] == ["id"]
    assert "on jo toisen mittarin tunnus" in report.errors[0].problem


def test_a_later_aim_for_the_measure_blocks_the_undo_of_its_creation(con):
    created = _add_measure(con)
    aim = f"team,indicator,baseline_value,aim_value\n{TEAM},{MEASURE_ID},6,4\n".encode()
    later = ingest.load(con, aim, file_name="aims.csv")
    assert later.committed, _lines(later)
    with pytest.raises(ingest.UndoBlocked):
        ingest.undo(con, created.load_id, user=COACH)
    ingest.undo(con, later.load_id, user="t")
    ingest.undo(con, created.load_id, user=COACH)
    assert catalog.indicator(con, MEASURE_ID) is None


def test_a_scope_change_is_listed_among_the_loads_that_changed_the_indicator(con):
    assert ingest.load(con, REGION_ROW.format(region="HVA14").encode(), file_name="r.csv").committed
    moved = ingest.load(con, REGION_ROW.format(region="HVA13").encode(), file_name="r2.csv")
    assert moved.committed
    made = scoped.runner(con)("pages/catalog/indicator_loads")
    assert (moved.load_id, "changed") in set(zip(made["load_id"], made["action"], strict=True))
    ingest.undo(con, moved.load_id, user="t")
    assert catalog.indicator(con, "pk_chat_per_1000")["scope_value"] == "HVA14"
