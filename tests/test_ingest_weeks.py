"""Issue 11 item 4: a weekly grain. THL cubes write `Vuosi 2024 Viikko 05`, ISO 8601 `2024-W05`,
people `viikko 5 2024` or `vk 5/2024`: each is the ISO week (grain `week`, its start the Monday),
loaded, aggregated, charted and exported at its own grain; a week the year does not have is
refused with a message of its own."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from pptx import Presentation

from tests import sql
from tests.apptest_helpers import app_test, chart_periods, reference_db
from vetopito import catalog, db, i18n, ingest, scoped
from vetopito.export import rows as export_rows
from vetopito.export import slides, tables
from vetopito.ingest.values import is_week, parse_period
from vetopito.regions import base, charts, overview, signals
from vetopito.teams import charts as team_charts
from vetopito.teams import progress

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
WEEKLY = FIXTURES / "thl_cube_access_weekly_2024.csv"
LABEL = "Toteutuneet käynnit 0-7 vrk, %"
ACCESS = "hoitoonpaasy_pth_laakari_7vrk"
MAPPED = ingest.Options(map_indicator=((LABEL, ACCESS),))
MONDAYS = [dt.date(2024, 1, 1) + dt.timedelta(weeks=w) for w in range(12)]  # 2024-W01 starts on 1.1.2024


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    return empty_con


def _lines(report) -> list[str]:
    return [p.line() for p in report.errors]


def _state(con):
    return db.row_counts(con), db.data_version(con)


def _weekly(con, indicator: str = ACCESS) -> pl.DataFrame:
    return (sql.fetch(con, "load/observations").filter(pl.col("indicator_id") == indicator)
            .select("unit_id", "period_start", "grain", "value").sort("unit_id", "period_start"))


# --- the parser ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Vuosi 2024 Viikko 05", "vuosi 2024 viikko 5", "2024-W05", "2024W05", "2024-w05", "2024 viikko 5",
    "viikko 5 2024", "Viikko 05/2024", "vk 5/2024", "vk5/2024", "v5/2024", "v. 5/2024", "wk 5/2024",
    "week 5 2024", "vecka 5 2024", "År 2024 Vecka 05", "Year 2024 Week 05",
])
def test_every_way_of_writing_a_week_is_its_monday(text):
    assert parse_period(text) == parse_period("2024-W05")
    period = parse_period(text)
    assert (period.start, period.grain) == (dt.date(2024, 1, 29), "week")
    assert is_week(text)


@pytest.mark.parametrize(("text", "monday"), [
    ("2025-W01", dt.date(2024, 12, 30)),   # ISO week 1 of 2025 starts in December 2024
    ("2021-W01", dt.date(2021, 1, 4)),     # and week 1 of 2021 in January (1.1.2021 was in 2020-W53)
    ("2020-W53", dt.date(2020, 12, 28)),   # 2020 has 53 weeks
    ("2024-W52", dt.date(2024, 12, 23)),
])
def test_iso_weeks_at_the_turn_of_the_year(text, monday):
    assert parse_period(text).start == monday


@pytest.mark.parametrize("text", ["2024-W53", "2024-W00", "2024-W54", "vk 53/2023"])
def test_a_week_the_year_does_not_have_is_no_period(text):
    assert parse_period(text) is None and is_week(text)


@pytest.mark.parametrize(("text", "grain"), [("2024-05", "month"), ("5/2024", "month"), ("2024", "year"),
                                              ("2024 Q1", "quarter"), ("5.2.2024", "day")])
def test_the_other_grains_are_not_read_as_weeks(text, grain):
    assert parse_period(text).grain == grain and not is_week(text)


def test_a_week_is_labelled_and_tokened_as_people_and_iso_write_it():
    monday = dt.date(2024, 1, 29)
    assert [i18n.fmt_period(monday, "week", lang) for lang in ("fi", "sv", "en")] == [
        "vk 5/2024", "v. 5/2024", "wk 5/2024"]
    assert i18n.fmt_period(dt.date(2024, 12, 30), "week", "fi") == "vk 1/2025"  # the ISO year
    assert base.period_token(monday, "week") == "2024-W05"
    assert base.period_token(dt.date(2024, 12, 30), "week") == "2025-W01"
    assert parse_period(base.period_token(dt.date(2024, 12, 30), "week")).start == dt.date(2024, 12, 30)
    assert signals.period_of(dt.date(2024, 2, 1), "week") == monday  # a Thursday's week
    assert base.year_ago(dt.date(2025, 2, 3), "week") == dt.date(2024, 2, 5)  # 2025-W06 → 2024-W06
    assert i18n.t("grain.week", "fi") == "viikko"


# --- the loader ----------------------------------------------------------------------------------

def test_the_weekly_cube_export_loads_at_its_own_grain_after_one_mapping(ref_con):
    report = ingest.load(ref_con, WEEKLY, options=MAPPED)
    assert report.committed, _lines(report)
    assert report.counts["new"] == 48
    loaded = _weekly(ref_con)
    assert set(loaded["grain"].to_list()) == {"week"}
    assert loaded.filter(pl.col("unit_id") == "HVA14")["period_start"].to_list() == MONDAYS
    assert loaded.filter(pl.col("unit_id") == "FI").height == 12  # the `Kaikki alueet` rows: national
    # the next file of the same source (another form of week, two columns) loads with no question
    again = ingest.load(ref_con, ("Hyvinvointialue;Vuosi;Viikko;Mittari;val\n"
                                  f"Pohjois-Karjalan hyvinvointialue;2024;13;{LABEL};50,5\n").encode(),
                        file_name="vk13.csv")
    assert again.committed, _lines(again)
    assert _weekly(ref_con).filter(pl.col("unit_id") == "HVA14")["period_start"][-1] == dt.date(2024, 3, 25)
    # undoing the first load takes its weeks away, the second's stays
    ingest.undo(ref_con, report.load_id, user="analyytikko@example.fi")
    assert _weekly(ref_con).select("unit_id", "period_start").rows() == [("HVA14", dt.date(2024, 3, 25))]


def test_a_week_the_year_does_not_have_is_refused_with_a_message_of_its_own(ref_con):
    data = "alue;aika;indikaattori;arvo\nHVA14;Vuosi 2024 Viikko 05;t3_laakari;1\nHVA14;2024-W53;t3_laakari;2\n"
    before = _state(ref_con)
    report = ingest.load(ref_con, data.encode(), file_name="viikot.csv")
    assert _lines(report) == [
        'rivi 3, sarake "aika": "2024-W53" ei ole vuoden viikko: ISO-viikkoja on vuodessa 52 tai 53, viikko 1 on '
        'se, jolla on vuoden ensimmäinen torstai; odotettiin esim. 2024-W05, Vuosi 2024 Viikko 05 tai vk 5/2024']
    assert _state(ref_con) == before


def test_a_weekly_export_reloads_unchanged(ref_con):
    assert ingest.load(ref_con, WEEKLY, options=MAPPED).committed
    out = export_rows.export_rows(ref_con, region="14", indicator=ACCESS)
    assert out["period"].to_list() == [f"2024-W{w:02d}" for w in range(1, 13)]
    again = ingest.check(ref_con, out.write_csv().encode(), file_name="export.csv")
    assert again.ok(), _lines(again)
    assert again.counts["unchanged"] == 12 and again.counts["new"] == 0
    # the region page's CSV and XLSX downloads: the same period column; the CSV reloads unchanged
    run = scoped.runner(ref_con)
    data = overview.chart_data(overview.region_view(run, base.region_row(base.regions(run), "14"), "fi"), ACCESS, "fi")
    csv = tables.observations_csv(data["export"], "fi")
    assert "2024-W05" in csv.decode("utf-8-sig")
    reloaded = ingest.check(ref_con, csv, file_name="alue.csv")
    assert reloaded.ok(), _lines(reloaded)
    assert reloaded.counts["unchanged"] == 12
    sheet = openpyxl.load_workbook(io.BytesIO(tables.observations_xlsx(data["export"], "fi", sheet=ACCESS))).active
    header = [c.value for c in sheet[1]]
    periods = [row[header.index("ajanjakso")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert periods == [f"2024-W{w:02d}" for w in range(1, 13)]


def test_weekly_values_are_summed_over_regions_at_their_own_grain(ref_con):
    data = ("alue;viikko;indikaattori;arvo\n" + "".join(
        f"{region};2024-W{w:02d};koulutukset_osallistujat;{10 * w + i}\n"
        for w in (5, 6) for i, region in enumerate(("HVA14", "HVA15", "HVA16"))))
    assert ingest.load(ref_con, data.encode(), file_name="koulutukset_vk.csv").committed
    run = scoped.runner(ref_con)
    view = overview.region_view(run, base.region_row(base.regions(run), "14"), "fi")
    tile = next(t for t in view.tiles if t.indicator_id == "koulutukset_osallistujat")
    assert tile.period == "vk 6/2024" and tile.latest == "60"


# --- the pages -----------------------------------------------------------------------------------

@pytest.fixture
def reference_copy(stores, app_env):
    path = reference_db(stores.new("weeks"))
    app_env(path)
    return path


def _load_weekly(path):
    con = db.connect(path)
    try:
        report = ingest.load(con, WEEKLY, options=MAPPED)
        assert report.committed, _lines(report)
    finally:
        con.close()


def test_a_weekly_indicator_shows_on_the_region_page_at_its_own_grain(reference_copy):
    _load_weekly(reference_copy)
    at = app_test("region", query_params={"region": "14", "indicator": ACCESS})
    assert not at.exception
    tiles = next(h.proto.body for h in at.get("html") if 'class="vv-grid"' in h.proto.body)   # the tile grid
    assert "51,9" in tiles and "vk 12/2024" in tiles  # the latest week's value and its label
    assert [str(p)[:10] for p in chart_periods(at)] == [d.isoformat() for d in MONDAYS]
    assert not [s for s in at.selectbox if s.key == "w_grain"]  # one grain: nothing to choose
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["format"] == "vk %-V/%G" and axis["tickCount"]["interval"] == "week"


def test_weekly_values_beside_monthly_ones_are_offered_as_a_grain(demo_db_copy, app_env):
    app_env(demo_db_copy)
    _load_weekly(demo_db_copy)
    at = app_test("region", query_params={"region": "14", "indicator": ACCESS})
    assert not at.exception
    grain = at.selectbox(key="w_grain")
    assert "Viikko" in grain.options and grain.options[0] == "Kuukausi"
    grain.set_value("week").run()
    assert not at.exception
    assert [str(p)[:10] for p in chart_periods(at) if p.weekday() == 0][:12] == [d.isoformat() for d in MONDAYS]
    assert at.query_params["grain"] in ("week", ["week"])


def test_the_spc_chart_of_a_weekly_series_names_its_weeks(ref_con):
    assert ingest.load(ref_con, WEEKLY, options=MAPPED).committed
    run = scoped.runner(ref_con)
    view = overview.region_view(run, base.region_row(base.regions(run), "14"), "sv")
    data = overview.chart_data(view, ACCESS, "sv")
    assert data["spc"]["grain"].unique().to_list() == ["week"] and data["spc"]["upper"].drop_nulls().len() == 12
    spec = charts.spc_chart(data, lang="sv").to_dict()
    tips = [t for layer in spec["layer"] for t in layer["encoding"].get("tooltip", []) if t["field"] == "period_start"]
    assert tips and {t["format"] for t in tips} == {"v. %-V/%G"}


def test_a_team_measuring_weekly_gets_a_weekly_run_chart_page_presentation_and_slides(demo_db_copy, app_env,
                                                                                      tmp_path):
    team = "T2024-01"
    con = db.connect(demo_db_copy)
    try:
        data = "yksikkö;viikko;indikaattori;arvo\n" + "".join(
            f"{team};2026-W{w:02d};ylityot_h_hlo_kk;{3 + (w % 3) * 0.5}\n".replace(".", ",") for w in range(1, 11))
        report = ingest.load(con, data.encode(), file_name="tiimi_vk.csv")
        assert report.committed, _lines(report)
        measure = next(m for m in progress.team_report(scoped.runner(con), team, "en").measures
                       if m.indicator_id == "ylityot_h_hlo_kk")
        deck = Presentation(slides.write_slides(con, team_id=team, out=tmp_path / "t.pptx", lang="fi"))
    finally:
        con.close()
    assert set(measure.points["grain"].to_list()) == {"week"}  # the latest grain only, not months beside
    assert measure.points["period_label"].to_list()[:2] == ["wk 1/2026", "wk 2/2026"]
    spec = team_charts.run_chart(measure, lang="en").to_dict()
    axes = [layer["encoding"]["x"].get("axis") for layer in spec["layer"] if "x" in layer.get("encoding", {})]
    assert any(a and a.get("format") == "wk %-V/%G" for a in axes)
    titles = [s.shapes.title.text for s in deck.slides]
    assert any(title.endswith(": Ylityötunnit / henkilö / kk") for title in titles), titles
    app_env(demo_db_copy)
    for page in ("team", "present"):
        at = app_test(page, query_params={"team": team})
        assert not at.exception, page
        specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
        assert any("vk %-V/%G" in json.dumps(spec) for spec in specs), page
