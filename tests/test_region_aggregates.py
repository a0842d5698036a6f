"""The derived tables behind the directors' pages (region_series, observation_summary) equal the
on-the-fly computation from `observation` after the seed, after a load and after its undo."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests import sql
from vetopito import access, aggregates, db, ingest, scoped
from vetopito.export import rows as export_rows_module
from vetopito.export import tables
from vetopito.regions import base, compare, drilldown, overview, tiles
from vetopito.regions import charts as region_charts


def _all_ids(run) -> list[str]:
    return base.indicators(run)["indicator_id"].to_list()


def assert_in_step(con) -> None:
    """region_series and observation_summary say exactly what observation says."""
    run = scoped.runner(con)
    ids = _all_ids(run)
    stored = run("pages/region/reference_series", indicator_ids=ids)
    live = sql.run_scoped(con, "pages/region/reference_live", access.full_scope(con), indicator_ids=ids)
    assert stored.height > 0
    assert_frame_equal(stored, live, check_dtypes=False)
    observations = sql.run(con, "load/observations")
    regions = base.regions(run)
    for unit_id in regions["unit_id"].to_list():
        mine = run("pages/region/observations", unit_id=unit_id).select(
            "indicator_id", "unit_id", "period_start", "grain", "value").sort(pl.all())
        expected = observations.filter(pl.col("unit_id") == unit_id).sort(pl.all())
        assert_frame_equal(mine, expected, check_dtypes=False)
    summary = observations.group_by("unit_id", "indicator_id").agg(
        pl.len().alias("n_observations"), pl.col("period_start").max().alias("latest_period"))
    stored_summary = sql.fetch(con, "pages/region/summary")
    assert_frame_equal(stored_summary.sort("unit_id", "indicator_id"),
                       summary.sort("unit_id", "indicator_id"), check_dtypes=False)


def test_seeded_demo_is_in_step(demo_con):
    assert_in_step(demo_con)


def test_in_step_after_load_and_undo(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        run = scoped.runner(con)
        before = run("pages/region/reference_series", indicator_ids=_all_ids(run))
        rows = export_rows_module.export_rows(con, region="15", indicator="hoitoonpaasy_pth_laakari_7vrk")
        assert rows.height > 3 and rows["numerator"].null_count() == 0
        # raise the region's latest numerators: its own rows, FI and YTA2 must move with them
        changed = rows.tail(3).with_columns(
            pl.min_horizontal(pl.col("numerator") + 5, pl.col("denominator")).alias("numerator"))
        changed = changed.with_columns((pl.col("numerator") / pl.col("denominator") * 100).round(1).alias("value"))
        report = ingest.load(con, tables.observations_csv(changed), file_name="more.csv", user="test")
        assert report.committed and report.counts["changed"] == 3, report.to_dict()
        assert_in_step(con)
        after = run("pages/region/reference_series", indicator_ids=_all_ids(run))
        assert not after.equals(before)
        ingest.undo(con, report.load_id, user="test")
        assert_in_step(con)
        assert_frame_equal(run("pages/region/reference_series", indicator_ids=_all_ids(run)), before)
    finally:
        con.close()


def test_a_load_rebuilds_within_its_extent_and_stays_in_step(demo_db_copy):
    """The derived rows are rebuilt only within what the load spans (its indicators and periods);
    the tables still say what `observation` says after the load and after its undo."""
    con = db.connect(demo_db_copy)
    try:
        rows = [["t3_laakari", "HVA15-kyllo-tk", "2025-03", 14],
                ["t3_laakari", "HVA15-palokka-tk", "2025-05", 20],
                ["sairauspoissaolot_pv_htv", "HVA15", "2025-04", 18.5]]
        csv = pl.DataFrame(rows, schema=["indicator", "unit", "period", "value"], orient="row").write_csv()
        report = ingest.load(con, csv.encode(), file_name="extent.csv", user="test")
        assert report.committed, report.to_dict()
        extent = aggregates.extent_of_load(con, report.load_id)
        assert extent == aggregates.Extent(("sairauspoissaolot_pv_htv", "t3_laakari"),
                                           dt.date(2025, 3, 1), dt.date(2025, 5, 1))
        assert_in_step(con)
        ingest.undo(con, report.load_id, user="test")
        assert aggregates.extent_of_load(con, report.load_id) is None  # its rows are gone
        assert_in_step(con)
    finally:
        con.close()


def test_refresh_of_one_indicator_leaves_the_others(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        run = scoped.runner(con)
        before = run("pages/region/reference_series", indicator_ids=_all_ids(run))
        with db.transaction(con):
            aggregates.refresh(con, ["t3_laakari"])
        assert_frame_equal(run("pages/region/reference_series", indicator_ids=_all_ids(run)), before)
        with db.transaction(con):
            aggregates.refresh(con)
        assert_in_step(con)
    finally:
        con.close()


def test_empty_database_has_empty_derived_tables(empty_con):
    with db.transaction(empty_con):
        aggregates.refresh(empty_con)
    assert sql.fetch(empty_con, "pages/region/summary").is_empty()


@pytest.mark.parametrize("code", ["05", "15", "90"])
def test_regions_with_unit_data(demo_con, code):
    run = scoped.runner(demo_con)
    listed = run("pages/units/regions_with_data")
    assert code in listed["code"].to_list()
    region = base.region_row(base.regions(run), code)
    assert drilldown.org_units(run, region["unit_id"]).height == \
        listed.filter(pl.col("code") == code)["n_units"][0]


# --- coverage: a computed national/YTA figure needs every region ---------------------------------

IND = "hoitoonpaasy_pth_laakari_7vrk"  # ratio, %
ALL, SAME_YTA, ONE = dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def _row(unit: str, start: dt.date, num: int, den: int = 200) -> list:
    return [IND, unit, f"{start.year}-{start.month:02d}", round(100 * num / den, 1), num, den]


def _csv(rows: list[list]) -> bytes:
    frame = pl.DataFrame(rows, schema=["indicator", "unit", "period", "value", "numerator", "denominator"],
                         orient="row")
    return frame.write_csv().encode("utf-8")


def _coverage_db(con, *, national_at_one: float | None = None):
    """10/2026 from every region, 11/2026 from every region of Päijät-Häme's YTA, 12/2026 from
    Päijät-Häme alone (and, when given, a reported FI figure for 12/2026). Returns the region and
    the region frame."""
    first = ingest.load(con, _csv([_row("HVA15", ALL, 100)]), file_name="first.csv", user="test")
    assert first.committed, first.to_dict()
    run = scoped.runner(con)
    regions = base.regions(run)
    phh = regions.filter(pl.col("name_fi").str.contains("Päijät")).row(0, named=True)
    mates = regions.filter(pl.col("yta_id") == phh["yta_id"])["unit_id"].to_list()
    rows = [_row(u, ALL, 100 + i) for i, u in enumerate(regions["unit_id"].to_list()) if u != "HVA15"]
    rows += [_row(u, SAME_YTA, 120 + i) for i, u in enumerate(mates)]
    rows += [_row(phh["unit_id"], ONE, 150)]
    if national_at_one is not None:
        rows.append([IND, "FI", "2026-12", national_at_one, None, None])
    report = ingest.load(con, _csv(rows), file_name="months.csv", user="test")
    assert report.committed, report.to_dict()
    return phh, regions


def _reference(con) -> pl.DataFrame:
    run = scoped.runner(con)
    return run("pages/region/reference_series", indicator_ids=[IND])


def test_one_region_month_gets_no_computed_national_or_yta(empty_con):
    phh, regions = _coverage_db(empty_con)
    ref = _reference(empty_con)
    at = lambda start: ref.filter(pl.col("period_start") == start)  # noqa: E731
    n_regions = regions.height
    ytas = sorted(regions["yta_id"].unique().to_list())
    # every region: FI and every YTA computed as a ratio of sums over all of them
    full = at(ALL)
    assert sorted(full["unit_id"].to_list()) == sorted(["FI", *ytas])
    assert set(full["method"].to_list()) == {"ratio"}
    assert full.filter(pl.col("unit_id") == "FI")["n_regions"][0] == n_regions
    # every region of one YTA: that YTA only
    assert at(SAME_YTA)["unit_id"].to_list() == [phh["yta_id"]]
    # one region: nothing, not its own value as the country's
    assert at(ONE).is_empty()
    assert_in_step(empty_con)


def test_reported_national_figure_is_kept_when_regions_are_missing(empty_con):
    phh, _ = _coverage_db(empty_con, national_at_one=71.5)
    one = _reference(empty_con).filter(pl.col("period_start") == ONE)
    assert one.select("unit_id", "value", "method").rows() == [("FI", 71.5, "reported")]
    assert_in_step(empty_con)


def test_pages_show_a_dash_without_a_national_figure(empty_con):
    phh, regions = _coverage_db(empty_con)
    run = scoped.runner(empty_con)
    view = overview.region_view(run, phh, "fi")
    tile = next(t for t in view.tiles if t.indicator_id == IND)
    assert tile.period == "12/2026" and (tile.national, tile.yta) == ("–", "–")
    assert "Koko maa – · YTA –" in tiles.tile_body(tile, "fi")
    data = overview.chart_data(view, IND, "fi")
    assert ONE not in data["national"]["period_start"].to_list()
    assert ALL in data["national"]["period_start"].to_list()
    region_charts.spc_chart(data, lang="fi").to_dict()
    # a region of another YTA: its latest month (10/2026) has both figures
    other = regions.filter(pl.col("yta_id") != phh["yta_id"]).row(0, named=True)
    tile = next(t for t in overview.region_view(run, other, "fi").tiles if t.indicator_id == IND)
    assert tile.period == "10/2026" and "–" not in (tile.national, tile.yta)
    # the comparison: no national line or funnel for the one-region month, both for the full one
    lonely = compare.comparison(run, IND, ONE, "month", "fi")
    assert lonely["national"] is None and lonely["funnel"] is None
    assert len(region_charts.ranked_bar(lonely, lang="fi").to_dict()["layer"]) == 1
    full = compare.comparison(run, IND, ALL, "month", "fi")
    assert full["national"] is not None and full["funnel"] is not None
    region_charts.ranked_bar(full, lang="fi").to_dict()
    region_charts.funnel_plot(full, lang="fi").to_dict()


def test_migration_011_rebuilds_with_the_coverage_rule(tmp_path):
    """A file migrated to 010 before the coverage rule: migration 011 empties the derived tables and
    `db.migrate` rebuilds them with the current statement (its directive line), in one transaction."""
    path = tmp_path / "old.duckdb"
    con = db.connect(path)
    _coverage_db(con)
    before = sql.fetch(con, "pages/region/summary")
    stored = _reference(con)
    migration = next(m for m in db.migrations() if m.version == 11)
    assert migration.path.name == "011_region_series_coverage.sql"
    assert db.REBUILD_DERIVED in migration.path.read_text(encoding="utf-8")
    with db.transaction(con):
        db.execute(con, "load/derived/delete_series", indicator_ids=[IND], first=None, last=None)  # what the old rule left is gone
        sql.execute(con, "meta/forget_migration", version=11)
    assert _reference(con).is_empty()
    # 011 applied again as `db.migrate` applies it (the later migrations rebuilt keyed tables, and
    # today's loader needs their schema, so the file is not taken back to 010 as a whole)
    db._apply(con, migration)
    con.close()
    con = db.connect(path)
    try:
        assert db.schema_version(con) == db.latest_schema_version()
        assert_frame_equal(_reference(con), stored)
        assert_frame_equal(sql.fetch(con, "pages/region/summary"), before)
        assert_in_step(con)
    finally:
        con.close()
