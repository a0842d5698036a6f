"""The derived tables behind the directors' pages (region_series, observation_summary) equal the
on-the-fly computation from `observation` after the seed, after a load and after its undo."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from vetopito import aggregates, dashboard, db, ingest
from vetopito.export import cli as export_cli
from vetopito.export import tables


def _all_ids(run) -> list[str]:
    return dashboard.indicators(run)["indicator_id"].to_list()


def assert_in_step(con) -> None:
    """region_series and observation_summary say exactly what observation says."""
    run = dashboard.runner(con)
    ids = _all_ids(run)
    stored = run("region__reference_series", indicator_ids=ids)
    live = run("region__reference_live_for_test", indicator_ids=ids)
    assert stored.height > 0
    assert_frame_equal(stored, live, check_dtypes=False)
    observations = db.run(con, "ingest__observations_for_test")
    regions = dashboard.regions(run)
    for unit_id in regions["unit_id"].to_list():
        mine = run("region__observations", unit_id=unit_id).select(
            "indicator_id", "unit_id", "period_start", "grain", "value").sort(pl.all())
        expected = observations.filter(pl.col("unit_id") == unit_id).sort(pl.all())
        assert_frame_equal(mine, expected, check_dtypes=False)
    summary = observations.group_by("unit_id", "indicator_id").agg(
        pl.len().alias("n_observations"), pl.col("period_start").max().alias("latest_period"))
    stored_summary = db.fetch(con, "region__summary_for_test")
    assert_frame_equal(stored_summary.sort("unit_id", "indicator_id"),
                       summary.sort("unit_id", "indicator_id"), check_dtypes=False)


def test_seeded_demo_is_in_step(demo_con):
    assert_in_step(demo_con)


def test_in_step_after_load_and_undo(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        run = dashboard.runner(con)
        before = run("region__reference_series", indicator_ids=_all_ids(run))
        rows = export_cli.export_rows(con, region="15", indicator="hoitoonpaasy_pth_laakari_7vrk")
        assert rows.height > 3 and rows["numerator"].null_count() == 0
        # raise the region's latest numerators: its own rows, FI and YTA2 must move with them
        changed = rows.tail(3).with_columns(
            pl.min_horizontal(pl.col("numerator") + 5, pl.col("denominator")).alias("numerator"))
        changed = changed.with_columns((pl.col("numerator") / pl.col("denominator") * 100).round(1).alias("value"))
        report = ingest.load(con, tables.observations_csv(changed), file_name="more.csv", user="test")
        assert report.committed and report.counts["changed"] == 3, report.to_dict()
        assert_in_step(con)
        after = run("region__reference_series", indicator_ids=_all_ids(run))
        assert not after.equals(before)
        ingest.undo(con, report.load_id, user="test")
        assert_in_step(con)
        assert_frame_equal(run("region__reference_series", indicator_ids=_all_ids(run)), before)
    finally:
        con.close()


def test_refresh_of_one_indicator_leaves_the_others(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        run = dashboard.runner(con)
        before = run("region__reference_series", indicator_ids=_all_ids(run))
        with db.transaction(con):
            aggregates.refresh(con, ["t3_laakari"])
        assert_frame_equal(run("region__reference_series", indicator_ids=_all_ids(run)), before)
        with db.transaction(con):
            aggregates.refresh(con)
        assert_in_step(con)
    finally:
        con.close()


def test_empty_database_has_empty_derived_tables(empty_con):
    with db.transaction(empty_con):
        aggregates.refresh(empty_con)
    assert db.fetch(empty_con, "region__summary_for_test").is_empty()


@pytest.mark.parametrize("code", ["05", "15", "90"])
def test_regions_with_unit_data(demo_con, code):
    run = dashboard.runner(demo_con)
    listed = run("units__regions_with_data")
    assert code in listed["code"].to_list()
    region = dashboard.region_row(dashboard.regions(run), code)
    assert dashboard.org_units(run, region["unit_id"]).height == \
        listed.filter(pl.col("code") == code)["n_units"][0]
