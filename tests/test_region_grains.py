"""An indicator with yearly values (a Sotkanet export) shows up on the region
page at its own grain; one with monthly and yearly values shows the monthly series and offers
the yearly one."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import app_test, chart_periods, reference_db
from vetopito import db, ingest

INDICATOR = "hoitoonpaasy_pth_laakari_7vrk"
# Sotkanet region 978 is HVA05 (region 05); one Sotkanet indicator id, mapped through the option
YEARLY = b"indicator;region;year;gender;primary value\n" + b"".join(
    b"4123;978;%d;total;%d,5\n" % (year, 60 + year - 2019) for year in range(2019, 2025))


def _load_yearly(path):
    con = db.connect(path)
    try:
        report = ingest.load(con, YEARLY, file_name="sotkanet.csv", options=ingest.Options(indicator=INDICATOR))
        assert report.committed, [p.line() for p in report.errors]
    finally:
        con.close()


@pytest.fixture
def reference_copy(tmp_path, app_env):
    path = reference_db(tmp_path / "ref.duckdb")
    app_env(path)
    return path


def test_a_yearly_only_indicator_appears_on_the_region_page(reference_copy):
    _load_yearly(reference_copy)
    at = app_test("region", query_params={"region": "05"})
    assert not at.exception
    assert at.selectbox(key="w_indicator").value == INDICATOR
    tiles = " ".join(h.proto.body for h in at.get("html"))   # the tile grid is one HTML element
    assert "65,5" in tiles and "2024" in tiles  # the latest yearly value and its year
    assert [str(p)[:10] for p in chart_periods(at)] == [f"{y}-01-01" for y in range(2019, 2025)]
    assert not [s for s in at.selectbox if s.key == "w_grain"]  # one grain: nothing to choose


def test_monthly_and_yearly_values_show_the_monthly_and_offer_the_yearly(demo_db_copy, app_env):
    app_env(demo_db_copy)
    _load_yearly(demo_db_copy)
    at = app_test("region", query_params={"region": "05", "indicator": INDICATOR})
    assert not at.exception
    grain = at.selectbox(key="w_grain")
    assert grain.options == ["Kuukausi", "Vuosi"] and grain.value == "month"
    assert len(chart_periods(at)) > 12  # the monthly series
    grain.set_value("year").run()
    assert not at.exception
    starts = [str(p)[:10] for p in chart_periods(at) if str(p)[8:10] == "01"]  # not the target's due date
    assert starts == [f"{y}-01-01" for y in range(2019, 2025)]
    assert at.query_params["grain"] in ("year", ["year"])
