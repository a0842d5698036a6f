"""Every page follows the catalogue as it is now (issue 11 item 5): a new national indicator, with
values for a region, its health stations and a team, appears at once in the region tiles, the SPC
chart, the comparison, the units page, the team page, the cohort board, the exports and the slides,
with its own unit, direction and decimals and its own suppression; undoing its loads removes it
from every one of them."""

from __future__ import annotations

import io

import polars as pl
import pptx
import pytest

from vetopito import access, db, ingest, scoped
from vetopito.export import rows as export_rows
from vetopito.export import slides
from vetopito.ingest import catalogue_form
from vetopito.regions import base, compare, drilldown, overview
from vetopito.teams import cohorts, progress

ID = "etavastaanotot_per_1000"
NAME = "Etävastaanotot 1 000 asukasta kohden"
TEAM = "T2024-17"
CATALOGUE = ("id,name_fi,theme,unit,direction,decimals,aggregation,source,min_respondents\n"
             f"{ID},{NAME},access,per_1000,lower,2,mean,Alueen asiointipalvelu,3\n").encode()
MONTHS = range(1, 13)
REGION_VALUES = "indicator,unit,period,value\n" + "".join(
    f"{ID},{unit},2025-{m:02d},{base_value + m / 7:.4f}\n"
    for unit, base_value in (("HVA14", 40), ("HVA14-joensuu-tk", 30), ("HVA14-lieksa-tk", 50)) for m in MONTHS)
TEAM_VALUES = "indicator,unit,period,value,respondents\n" + "".join(
    f"{ID},{TEAM},2025-{m:02d},{20 + m},{2 if m == 12 else 5}\n" for m in MONTHS)   # the last rests on 2
AIM = f"team,indicator,baseline_value,baseline_period,aim_value,aim_date\n{TEAM},{ID},21,2025-01,10,2025-12-31\n"


@pytest.fixture
def con(demo_db_copy):
    connection = db.connect(demo_db_copy)
    yield connection
    connection.close()


def _load(con, payload, name):
    report = ingest.load(con, payload if isinstance(payload, bytes) else payload.encode(), file_name=name)
    assert report.committed, [p.line() for p in report.errors]
    return report.load_id


def _everywhere(con) -> dict[str, bool]:
    """Where the indicator shows, page by page (the library calls behind each page)."""
    run = scoped.runner(con, access.full_scope(con))
    region = base.region_row(base.regions(run), "14")
    view = overview.region_view(run, region, "fi")
    tiles = {tile.indicator_id: tile for tile in view.tiles}
    indicators = base.indicators(run)
    found = {"tiles": ID in tiles, "compare": ID in base.national_indicators(run)["indicator_id"].to_list()}
    found["units"] = ID in drilldown.unit_indicator_ids(run, "HVA14", indicators)
    report = progress.team_report(run, TEAM, "fi")
    found["team"] = ID in [m.indicator_id for m in report.measures]
    found["board"] = ID in cohorts.cohort_board(run, 2024, "fi")["indicator_id"].to_list()
    found["export"] = ID in export_rows.export_rows(con, region="14", indicator=None)["indicator"].to_list()
    found["catalogue"] = ID.encode() in catalogue_form.export_csv(con)
    deck = pptx.Presentation(io.BytesIO(slides.slide_bytes(con, team_id=TEAM, lang="fi", kind="pptx")))
    found["slides"] = NAME in "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes
                                        if s.has_text_frame)
    if found["tiles"]:
        tile = tiles[ID]
        assert tile.latest == "41,71", tile.latest       # its own decimals (2) and unit (no %)
        chart = overview.chart_data(view, ID, "fi")
        assert chart["spc"].height == 12 and chart["meta"]["direction"] == "lower"
        data = compare.comparison(run, ID, chart["spc"]["period_start"][-1], "month", "fi", "14")
        assert data is not None
        series = drilldown.unit_series(run, "HVA14", base.indicator_meta(indicators, ID), "fi")
        assert set(series["unit_id"].to_list()) == {"HVA14-joensuu-tk", "HVA14-lieksa-tk"}
    if found["team"]:
        measure = next(m for m in report.measures if m.indicator_id == ID)
        # its own minimum of 3 respondents: 5 are enough (the default minimum would be 10), 2 are not
        shown = measure.points.filter(pl.col("value").is_not_null())
        assert shown.height == 11 and measure.points["is_hidden"].to_list()[-1]
    return found


def test_a_new_indicator_shows_on_every_page_at_once_and_its_undo_removes_it_everywhere(con):
    before = _everywhere(con)
    assert not any(before.values()), before
    loads = [_load(con, CATALOGUE, "mittari.csv"), _load(con, REGION_VALUES, "alue.csv"),
             _load(con, AIM, "tavoite.csv"), _load(con, TEAM_VALUES, "tiimi.csv")]
    after = _everywhere(con)
    assert all(after.values()), after
    for load_id in reversed(loads):
        ingest.undo(con, load_id, user="t")
    assert _everywhere(con) == before
