"""What the key pages show, against golden CSVs in tests/golden/: the region overview's tiles, a
region's series, the comparison's values, the units drill-down, a team's measures and points,
and the cohort board, each built by the library function the page calls on the demo database.

A difference fails the test with the file's name. When a change is meant, regenerate the files on
purpose and review their diff: `.venv/bin/python -m pytest tests/test_golden.py --update-golden`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import polars as pl
import pytest

from vetopito import db, scoped
from vetopito.regions import base, compare, drilldown, overview
from vetopito.teams import cohorts, progress

GOLDEN = Path(__file__).resolve().parent / "golden"
REGION = "14"                       # Pohjois-Karjala: the planted step change in T3
SERIES = ("t3_laakari", "hoitoonpaasy_pth_laakari_7vrk")
COMPARED = "hoitoonpaasy_pth_laakari_7vrk"
COHORT = 2024
UPDATE_HINT = "if the change is meant, run `.venv/bin/python -m pytest tests/test_golden.py --update-golden` and review the diff"


@pytest.fixture(scope="module")
def run(demo_db_path):
    con = db.connect(demo_db_path, read_only=True)
    yield scoped.runner(con)
    con.close()


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists, structs and objects as JSON text, so that the frame writes as CSV."""
    simple = (pl.String, pl.Boolean, pl.Date, pl.Datetime, pl.Float64, pl.Float32, pl.Int64, pl.Int32,
              pl.Int16, pl.Int8, pl.UInt32, pl.UInt64, pl.Null)
    return frame.with_columns(
        pl.col(name).map_elements(lambda v: json.dumps(v if not isinstance(v, pl.Series) else v.to_list(),
                                                       default=str, ensure_ascii=False),
                                  return_dtype=pl.String)
        for name, dtype in frame.schema.items() if not isinstance(dtype, simple) and dtype not in simple)


def _csv(frame: pl.DataFrame) -> str:
    # six decimals: the last bits of a parallel sum of doubles are not part of what a page shows
    return _plain(frame).write_csv(float_precision=6, line_terminator="\n")


def check_golden(name: str, frame: pl.DataFrame, update: bool) -> None:
    path = GOLDEN / f"{name}.csv"
    text = _csv(frame)
    if update:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"tests/golden/{name}.csv is missing: {UPDATE_HINT}"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        got, want = text.splitlines(), expected.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
        pytest.fail(f"tests/golden/{name}.csv differs from what the page would show at line {first + 1}:\n"
                    f"  expected: {want[first] if first < len(want) else '(no line)'}\n"
                    f"  got:      {got[first] if first < len(got) else '(no line)'}\n"
                    f"({len(want)} lines expected, {len(got)} got); {UPDATE_HINT}", pytrace=False)


@pytest.fixture(scope="module")
def view(run):
    return overview.region_view(run, base.region_row(base.regions(run), REGION), "fi")


def test_region_overview_tiles(view, update_golden):
    tiles = pl.DataFrame([{k: v for k, v in dataclasses.asdict(t).items()} for t in view.tiles])
    assert tiles.height > 10
    check_golden("region_overview_14", tiles, update_golden)


def test_region_series(view, update_golden):
    frame = pl.concat([overview.series_of(view.observations, ind) for ind in SERIES], how="diagonal_relaxed")
    assert set(frame["indicator_id"].unique().to_list()) == set(SERIES)
    check_golden("region_series_14", frame, update_golden)


def test_comparison_values(run, update_golden):
    periods = compare.periods(run, COMPARED)
    latest = periods.sort("period_start").row(-1, named=True)
    data = compare.comparison(run, COMPARED, latest["period_start"], latest["grain"], "fi", chosen=REGION)
    frame = data["regions"].with_columns(pl.lit(data["national"]).alias("national"))
    assert frame.height == 22 and data["chosen"] == REGION
    check_golden("comparison_values", frame, update_golden)


def test_units_series(run, update_golden):
    region = base.region_row(base.regions(run), REGION)
    meta = base.indicator_meta(base.indicators(run), "t3_laakari")
    frame = drilldown.unit_series(run, region["unit_id"], meta, "fi")
    assert frame.height > 0
    check_golden("units_series_14", frame, update_golden)


def _first_team(run) -> str:
    listing = progress.team_list(run, "fi")
    return listing.filter(pl.col("cohort_year") == COHORT)["team_id"].sort()[0]


def test_team_measures_and_points(run, update_golden):
    report = progress.team_report(run, _first_team(run), "fi")
    assert report is not None and report.measures
    measures = pl.DataFrame([{f.name: getattr(m, f.name) for f in dataclasses.fields(m)
                              if f.name not in ("points", "summary")} for m in report.measures])
    points = pl.concat([m.points.with_columns(pl.lit(m.indicator_id).alias("indicator_id"))
                        for m in report.measures], how="diagonal_relaxed")
    check_golden("team_measures", measures, update_golden)
    check_golden("team_points", points, update_golden)


def test_cohort_board(run, update_golden):
    board = cohorts.cohort_board(run, COHORT, "fi")
    assert board.height > 0
    check_golden("cohort_board_2024", board, update_golden)


@pytest.fixture
def weekly_run(reference_db_path, stores):
    """The reference database with the THL-cube-style weekly fixture loaded (its own copy)."""
    from vetopito import ingest

    con = db.connect(stores.copy(reference_db_path, "weekly"))
    report = ingest.load(con, Path(__file__).parent / "fixtures" / "ingest" / "thl_cube_access_weekly_2024.csv",
                         options=ingest.Options(map_indicator=(("Toteutuneet käynnit 0-7 vrk, %", COMPARED),)))
    assert report.committed
    yield scoped.runner(con)
    con.close()


def test_weekly_region_series_and_tile(weekly_run, update_golden):
    """A weekly grain (`vk 5/2024`) through the region page's library calls: the series with its
    SPC columns and the tile."""
    view = overview.region_view(weekly_run, base.region_row(base.regions(weekly_run), REGION), "fi")
    data = overview.chart_data(view, COMPARED, "fi")
    tile = next(t for t in view.tiles if t.indicator_id == COMPARED)
    frame = data["spc"].with_columns(pl.lit(tile.period).alias("tile_period"), pl.lit(tile.latest).alias("tile_latest"))
    assert frame["grain"].unique().to_list() == ["week"]
    check_golden("region_series_weekly_14", frame, update_golden)
