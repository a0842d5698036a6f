"""The director's queries and library logic against the demo database built by the real loader."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from vetopito import i18n, scoped
from vetopito.regions import base, compare, drilldown, overview, signals, tiles
from vetopito.stats import pchart, season, spc


@pytest.fixture
def run(demo_con):
    return scoped.runner(demo_con)


@pytest.fixture
def regions(run):
    return base.regions(run)


def test_all_22_regions_with_codes(regions):
    assert regions.height == 22
    assert regions["code"].to_list()[:2] == ["01", "02"] and "90" in regions["code"].to_list()
    assert set(regions["yta_id"].unique().to_list()) == {f"YTA{i}" for i in range(1, 6)}


@pytest.mark.parametrize("wanted, code", [("15", "15"), ("HVA15", "15"), ("hva15", "15"), ("5", "05"),
                                          ("90", "90"), ("99", None), ("x", None), (None, None)])
def test_region_code_accepts_code_and_id(regions, wanted, code):
    assert base.region_code(regions, wanted) == code


def test_national_ratio_of_sums_by_hand(demo_con, run):
    """The national figure of a proportion is Σ numerators / Σ denominators of the regions."""
    indicator = "hoitoonpaasy_pth_laakari_7vrk"
    periods = compare.periods(run, indicator)
    start, grain = periods["period_start"][0], periods["grain"][0]
    rows = run("pages/compare/region_values", indicator_id=indicator, period_start=start, grain=grain)
    rows = rows.filter(pl.col("value").is_not_null())
    expected = rows["numerator"].sum() / rows["denominator"].sum() * 100
    ref = run("pages/region/reference_series", indicator_ids=[indicator])
    value, method = overview.reference_value(ref, "FI", indicator, start, grain)
    if method == "reported":  # a loaded national figure wins over the aggregate
        assert value == run("pages/region/observations", unit_id="FI").filter(
            (pl.col("indicator_id") == indicator) & (pl.col("period_start") == start))["value"][0]
    else:
        assert method == "ratio"
        assert value == pytest.approx(expected)
    yta_rows = rows.filter(pl.col("yta_id") == "YTA2")
    yta_value, yta_method = overview.reference_value(ref, "YTA2", indicator, start, grain)
    assert yta_method == "ratio"
    assert yta_value == pytest.approx(yta_rows["numerator"].sum() / yta_rows["denominator"].sum() * 100)


def test_national_mean_of_regions_when_no_denominators(run):
    inds = base.indicators(run)
    meta = base.indicator_meta(inds, "t3_laakari")
    assert meta["aggregation"] in ("mean", "none", "sum")
    if meta["aggregation"] != "mean":
        pytest.skip("t3_laakari is not aggregated as a mean in this catalogue")
    periods = compare.periods(run, "t3_laakari")
    start, grain = periods["period_start"][0], periods["grain"][0]
    rows = run("pages/compare/region_values", indicator_id="t3_laakari", period_start=start, grain=grain)
    ref = run("pages/region/reference_series", indicator_ids=["t3_laakari"])
    value, method = overview.reference_value(ref, "YTA3", "t3_laakari", start, grain)
    assert method == "mean"
    rows = rows.filter(pl.col("yta_id") == "YTA3")
    assert value == pytest.approx(rows["value"].drop_nulls().mean())


def test_region_view_tiles_match_stats(run, regions):
    region = base.region_row(regions, "15")
    view = overview.region_view(run, region, "fi")
    assert [theme for theme, _ in view.tiles_by_theme()][0] == "access"
    assert len(view.tiles) == len(view.indicator_ids()) > 10
    tile = next(t for t in view.tiles if t.indicator_id == "t3_laakari")
    series = overview.series_of(view.observations, "t3_laakari")
    shown = series.filter(pl.col("value").is_not_null())
    meta = base.indicator_meta(view.indicators, "t3_laakari")
    assert tile.latest == i18n.fmt_value(shown["value"][-1], meta["unit"], meta["decimals"], "fi")
    assert tile.period == i18n.fmt_period(shown["period_start"][-1], shown["grain"][-1], "fi")
    expected = spc.spc(series["value"], direction=meta["direction"], periods=series["period_start"].to_list(),
                         rebase_at=view.changes.filter(pl.col("indicator_id") == "t3_laakari")["valid_from"].to_list())
    assert tile.variation == expected.filter(pl.col("value").is_not_null())["variation"][-1]


def test_tile_text_is_finnish(run, regions):
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    text = "\n".join(tiles.tile_body(t, "fi") for t in view.tiles)
    assert "\u00a0%" in text and "," in text and "Koko maa" in text
    assert "%-yks." in text


def test_change_since_previous_and_year(run, regions):
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    tile = next(t for t in view.tiles if t.indicator_id == "hoitoonpaasy_pth_laakari_7vrk")
    series = overview.series_of(view.observations, tile.indicator_id).filter(pl.col("value").is_not_null())
    diff = series["value"][-1] - series["value"][-2]
    assert tile.change_previous.startswith(i18n.fmt_number(diff, 1, "fi", sign=True))
    ago = series.filter(pl.col("period_start") == base.year_ago(series["period_start"][-1]))
    assert tile.change_year.startswith(i18n.fmt_number(series["value"][-1] - ago["value"][0], 1, "fi", sign=True))


def test_chart_data_uses_p_chart_for_access(run, regions):
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    data = overview.chart_data(view, "hoitoonpaasy_pth_laakari_7vrk", "fi")
    assert data["p_chart"] is True and data["chart"] == "p_prime"
    assert data["spc"]["chart"][0] == "p_prime"
    assert not data["national"].is_empty()
    assert list(data["export"].columns)[:6] == ["indicator", "unit", "period", "value", "numerator", "denominator"]
    t3 = overview.chart_data(view, "t3_laakari", "fi")
    assert t3["p_chart"] is False


def test_target_met_and_pick():
    assert signals.target_met(5.0, 10.0, "lower") is True
    assert signals.target_met(50.0, 80.0, "higher") is False
    assert signals.target_met(None, 80.0, "higher") is None
    targets = pl.DataFrame({"indicator_id": ["a", "a"], "due_date": [dt.date(2023, 12, 31), dt.date(2026, 12, 31)],
                            "target_value": [1.0, 2.0]})
    current = signals.pick_target(targets, "a", dt.date(2024, 3, 1))
    assert current["target_value"] == 2.0 and current["expired"] is False and current["scope"] == "own"
    assert signals.pick_target(targets, "a", dt.date(2023, 12, 1))["target_value"] == 1.0  # due this month
    past = signals.pick_target(targets, "a", dt.date(2027, 3, 1))
    assert past["target_value"] == 2.0 and past["expired"] is True
    assert signals.pick_target(targets, "b", None) is None
    national = signals.pick_target(targets.with_columns(pl.lit(3).alias("level")), "a", None)
    assert national["scope"] == "national" and national["target_value"] == 1.0 and not national["expired"]
    assert signals.pick_target(targets.with_columns(pl.lit(2).alias("level")), "a", None)["scope"] == "yta"


def test_value_at_due_date_is_the_period_covering_it_or_before():
    series = pl.DataFrame({"period_start": [dt.date(2023, 11, 1), dt.date(2023, 12, 1), dt.date(2024, 1, 1)],
                           "value": [5.0, 4.0, 3.0]})
    assert signals.value_at(series, dt.date(2023, 12, 31)) == 4.0
    assert signals.value_at(series.with_columns(pl.Series("value", [5.0, None, 3.0])), dt.date(2023, 12, 31)) == 5.0
    assert signals.value_at(series, dt.date(2023, 1, 31)) is None


def _tile(view, indicator_id):
    return next(t for t in view.tiles if t.indicator_id == indicator_id)


def test_expired_own_target_is_judged_at_its_due_date(run, regions):
    """QA: region 15's T3 target 0 days by 31.12.2023 was shown as current against 10/2026."""
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    tile = _tile(view, "t3_laakari")
    assert tile.target == "Tavoite 0\u00a0pv 31.12.2023 mennessä" and tile.target_expired
    series = overview.series_of(view.observations, "t3_laakari")
    at_due = series.filter(pl.col("period_start") == dt.date(2023, 12, 1))["value"][0]
    assert tile.target_met is (at_due <= 0) and tile.target_met is False
    assert tile.assurance is None  # no assurance against a target that is past
    text = tiles.tile_body(tile, "fi")
    assert 'Tavoite 0\u00a0pv 31.12.2023 mennessä — <span class="vv-missed">ei saavutettu määräaikaan</span>' in text
    assert "not met by the due date" in tiles.tile_body(
        _tile(overview.region_view(run, base.region_row(regions, "15"), "en"), "t3_laakari"), "en")
    assert "uppnåddes inte inom utsatt tid" in tiles.tile_body(
        _tile(overview.region_view(run, base.region_row(regions, "15"), "sv"), "t3_laakari"), "sv")
    data = overview.chart_data(view, "t3_laakari", "fi")
    assert data["target"]["legend"] == "Tavoite 0\u00a0pv 31.12.2023 mennessä (määräaika umpeutunut)"


def test_current_own_target_gets_assurance(run, regions):
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    tile = _tile(view, "hoitoonpaasy_pth_laakari_7vrk")
    assert tile.target == "Tavoite 80,0\u00a0% 31.12.2026 mennessä" and not tile.target_expired
    frame = overview.chart_data(view, tile.indicator_id, "fi")["spc"]
    assert tile.assurance == spc.assurance(frame, 80.0, "higher") is not None
    # the verdict is the process's (assurance), not the latest month's "ei vielä saavutettu"
    text = tiles.tile_body(tile, "fi")
    assert tile.target_met is False and i18n.t(f"signals.assurance.{tile.assurance}", "fi") in text
    assert "saavutettu" not in text


@pytest.mark.parametrize("code", ["15", "01", "90", "12"])
def test_national_target_is_labelled(run, regions, code):
    """QA: 'Lääkäri 14 vrk' showed the national 90 % target as if it were the region's."""
    for lang, label in (("fi", "Valtakunnallinen tavoite 90,0\u00a0% 31.12.2025 mennessä"),
                        ("sv", "Nationellt mål 90,0\u00a0% senast 31.12.2025"),
                        ("en", "National target 90.0\u00a0% by 31.12.2025")):
        view = overview.region_view(run, base.region_row(regions, code), lang)
        assert _tile(view, "hoitoonpaasy_pth_laakari_14vrk").target == label


def test_own_target_wins_over_national(run, regions):
    targets = run("pages/region/targets", unit_id="HVA21")
    row = targets.filter(pl.col("indicator_id") == "hoitoonpaasy_pth_laakari_14vrk")
    assert row["unit_id"].to_list() == ["HVA21"] and row["level"].to_list() == [1]
    view = overview.region_view(run, base.region_row(regions, "21"), "fi")
    assert _tile(view, "hoitoonpaasy_pth_laakari_14vrk").target.startswith("Tavoite 85,0")
    national = run("pages/region/targets", unit_id="HVA15").filter(pl.col("indicator_id") == "hoitoonpaasy_pth_laakari_14vrk")
    assert national["unit_id"].to_list() == ["FI"] and national["level"].to_list() == [3]


def test_sick_leave_uses_laney_p_prime(run, regions):
    """QA: with ~250 000 days a month nearly every point was beyond the binomial p-chart limits."""
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    data = overview.chart_data(view, "sairauspoissaolot_pct", "fi")
    frame = data["spc"]
    assert data["chart"] == "p_prime"
    series = overview.series_of(view.observations, "sairauspoissaolot_pct")
    plain = pchart.p_chart(series["numerator"], series["denominator"], direction="lower")
    # sick leave is seasonal: the chart judges the deseasonalised share of each month's denominator
    adjusted = season.deseasonalise(series["value"], series["period_start"].to_list(), "month")
    prime = pchart.p_prime_chart(adjusted.values / 100 * series["denominator"].to_numpy(), series["denominator"],
                                direction="lower")
    assert frame["upper"].to_list() == pytest.approx((prime["upper"] * 100).to_list())
    beyond = lambda f: int((f["rule"] == "beyond_limits").sum())  # noqa: E731
    assert beyond(plain) > 0.8 * plain.height and beyond(frame) < 0.2 * frame.height
    assert prime["sigma_z"][0] > 1


def test_comparison_ranks_by_direction_and_funnel(run):
    indicator = "hoitoonpaasy_pth_laakari_7vrk"
    p = compare.periods(run, indicator)
    data = compare.comparison(run, indicator, p["period_start"][0], p["grain"][0], "fi")
    shown = data["regions"].filter(pl.col("value").is_not_null())
    assert shown["value"].to_list() == sorted(shown["value"].to_list(), reverse=True)
    assert shown["rank"].to_list() == list(range(1, shown.height + 1))
    assert data["funnel"] is not None
    assert set(data["funnel"]["points"]["outside"].unique().to_list()) <= {"inside", "out95", "out998"}
    assert data["funnel"]["adjusted"] is True and data["funnel"]["tau2"] > 0  # over-dispersed demo regions
    lim = compare.funnel_limits(0.5, 100)
    assert lim["lower95"] == pytest.approx(50 - 1.959964 * 5) and lim["upper998"] == pytest.approx(50 + 3.090232 * 5)


def test_comparison_lower_is_better_ranks_ascending(run):
    p = compare.periods(run, "t3_laakari")
    data = compare.comparison(run, "t3_laakari", p["period_start"][0], p["grain"][0], "fi")
    shown = data["regions"].filter(pl.col("value").is_not_null())
    assert shown["value"].to_list() == sorted(shown["value"].to_list())
    assert data["funnel"] is None


def test_period_token():
    assert base.period_token(dt.date(2024, 3, 1), "month") == "2024-03"
    assert base.period_token(dt.date(2024, 4, 1), "quarter") == "2024Q2"
    assert base.period_token(dt.date(2024, 1, 1), "year") == "2024"
    assert base.year_ago(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


def test_org_units_drill_down(run, regions):
    region = base.region_row(regions, "15")
    units = drilldown.org_units(run, region["unit_id"])
    inds = base.indicators(run)
    available = drilldown.unit_indicator_ids(run, region["unit_id"], inds)
    if units.is_empty():
        assert available == []
        return
    assert all(u.startswith("HVA15-") for u in units["unit_id"].to_list())
    meta = base.indicator_meta(inds, available[0])
    series = drilldown.unit_series(run, region["unit_id"], meta, "fi")
    assert set(series["unit_id"].unique().to_list()) <= set(units["unit_id"].to_list())
    assert drilldown.unit_table(series, meta, "fi").height >= 1


def test_tile_text_is_compact(run, regions):
    """Title, then value and period on one line, then changes, Finland/YTA and target as short
    lines of one paragraph, and the sparkline: at most 8 lines."""
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    for tile in view.tiles:
        text = tiles.tile_body(tile, "fi")
        lines = [line for line in re.split(r"</p>|<br>", text) if line.strip()]
        assert len(lines) <= 8, text
        if not tile.hidden:
            assert f'<p class="vv-value">{tile.latest} <span class="vv-gray">{tile.period}</span></p>' in text
    assert tiles.TILES_PER_ROW > 0


def test_regions_with_units_and_label(run):
    with_units = drilldown.regions_with_units(run)
    assert list(with_units)[:1] == ["05"] and with_units["15"] >= 1
    assert drilldown.region_label("Keski-Suomi", "15", 6, "fi") == "Keski-Suomi (15) · 6 yksikköä"
    assert drilldown.region_label("Itä-Uusimaa", "01", None, "fi") == "Itä-Uusimaa (01)"
