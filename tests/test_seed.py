"""The demo data set: deterministic, realistic where it matters, and loaded by the real loader."""

from __future__ import annotations

import csv
import io
import statistics

import pytest

from tests import sql
from vetopito import catalog, cli, db, demo
from vetopito.demo import regions as demo_regions


def _data_lines(data: bytes) -> int:
    """The file's rows after the header, as a spreadsheet counts them (a quoted cell may hold line
    breaks: the programme's round entries)."""
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1


def _observations() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(demo.render()["20_observations.csv"].decode())))


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return demo.render()


def test_generation_is_deterministic(tmp_path):
    first = demo.generate(tmp_path / "a")
    second = demo.generate(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_committed_seed_files_are_current(rendered):
    """`vetopito seed` would not change the committed files."""
    for name, data in rendered.items():
        assert (demo.SEED_DIR / name).read_bytes() == data, f"data/seed/{name} is stale: run `vetopito seed`"


def test_observation_file_is_small_and_complete(rendered):
    data = rendered["20_observations.csv"]
    assert len(data) < 15_000_000
    rows = _observations()
    regions = {f"HVA{c:02d}" for c in range(1, 22)} | {"HVA90"}
    for indicator in demo_regions.REGION_INDICATORS:
        units = {r["unit"] for r in rows if r["indicator"] == indicator}
        assert regions | {"FI"} <= units, indicator
    months = {r["period"] for r in rows if r["indicator"] == "t3_laakari" and r["unit"] == "HVA15"}
    assert len(months) == demo_regions.N and min(months) == "2019-01" and max(months) == "2026-10"


def test_ratio_rows_are_consistent(rendered):
    for r in _observations():
        if r["numerator"]:
            num, den, value = int(r["numerator"]), int(r["denominator"]), float(r["value"])
            assert 0 <= num <= den
            assert abs(value - 100 * num / den) < 0.006, r
            if r["respondents"]:
                assert int(r["respondents"]) == den


def _series(indicator: str, unit: str) -> dict[str, float]:
    return {r["period"]: float(r["value"]) for r in _observations()
            if r["indicator"] == indicator and r["unit"] == unit}


def test_planted_step_change():
    series = _series("t3_laakari", "HVA14")
    before = [v for p, v in series.items() if "2022-03" <= p < "2024-03"]
    after = [v for p, v in series.items() if p >= "2024-03"]
    assert statistics.mean(after) < 0.6 * statistics.mean(before)


def test_planted_run_of_eight():
    series = _series("hoitoonpaasy_pth_hoitaja_7vrk", "HVA13")
    centre = statistics.mean(series.values())
    run = [series[f"2025-{m:02d}"] for m in range(1, 9)]
    assert all(v > centre for v in run)


def test_planted_outlier():
    series = _series("sairauspoissaolot_pct", "HVA11")
    others = [v for p, v in series.items() if p != "2024-01"]
    moving_ranges = [abs(b - a) for a, b in zip(others, others[1:], strict=False)]
    upper = statistics.mean(others) + 2.66 * statistics.mean(moving_ranges)
    assert series["2024-01"] > upper


def test_seasonality_summer_dip_and_winter_peak():
    access = _series("hoitoonpaasy_pth_laakari_7vrk", "FI")
    july = statistics.mean(v for p, v in access.items() if p.endswith("-07"))
    march = statistics.mean(v for p, v in access.items() if p.endswith("-03"))
    assert july < march - 4
    sick = _series("sairauspoissaolot_pct", "FI")
    assert statistics.mean(v for p, v in sick.items() if p.endswith("-01")) > \
        statistics.mean(v for p, v in sick.items() if p.endswith("-07")) + 1


# --- the database -------------------------------------------------------------------------------

def test_build_database_loads_every_seed_file(demo_con):
    loads = db.run(demo_con, "load/loads")
    files = demo.seed_files()
    # the shipped catalogue comes first, through the indicators and definition-changes formats
    loaded = [*catalog.CATALOGUE_FILES, *files]
    by_name = {f.name: f for f in loaded}
    assert sorted(loads["file_name"].to_list()) == sorted(f.name for f in loaded)
    first = loads.sort("load_id").head(2)
    assert first.select("file_name", "format").rows() == [("indicators.csv", "indicators"),
                                                        ("indicator_definition_changes.csv", "definition_changes")]
    for row in loads.iter_rows(named=True):
        lines = _data_lines(by_name[row["file_name"]].read_bytes())
        assert row["n_rows"] == lines, row["file_name"]
        assert row["n_new"] == lines, row["file_name"]
        assert row["n_rejected"] == 0
    assert db.get_meta(demo_con, "demo_only") == "true"
    counts = db.row_counts(demo_con)
    # the targets file's and the interim targets of the demo programme's indicator measures
    from vetopito.demo import programmes

    programme_targets = sum(len(m[-1].split(";")) for m in programmes.MEASURES if m[2] == "indicator")
    assert counts["target"] == _data_lines((demo.SEED_DIR / "30_targets.csv").read_bytes()) + programme_targets
    assert counts["unit"] >= 28 + _data_lines((demo.SEED_DIR / "10_units.csv").read_bytes())
    obs_files = [r["file_name"] for r in loads.iter_rows(named=True) if r["format"] == "observations"]
    assert counts["observation"] == sum(_data_lines((demo.SEED_DIR / f).read_bytes()) for f in obs_files)


def test_the_sentinel_is_flagged(demo_con):
    from vetopito import access

    flagged = sql.run_scoped(demo_con, "seed/flagged_observations", access.full_scope(demo_con))
    sentinel = flagged.filter((flagged["unit_id"] == "HVA19-kuusamo-tk") & (flagged["indicator_id"] == "t3_laakari"))
    assert sentinel["value"].to_list() == [182.0]
    assert sentinel["flag"].item() == "no_free_slot"


def test_build_database_publishes_atomically(tmp_path):
    target = tmp_path / "demo.duckdb"
    target.write_bytes(b"old")
    bad = tmp_path / "seed"
    bad.mkdir()
    (bad / "20_observations.csv").write_text(
        "indicator,unit,period,value,numerator,denominator,respondents\nno_such_indicator,HVA15,2024-01,1,,,\n")
    with pytest.raises(demo.SeedError, match="20_observations.csv"):
        demo.build_database(target, seed_dir=bad)
    assert target.read_bytes() == b"old"
    assert not (tmp_path / "demo.duckdb.tmp").exists()


def test_init_builds_once(tmp_path, capsys):
    target = tmp_path / "init.duckdb"
    assert cli.main(["init", "--db", str(target)]) == 0
    assert "created" in capsys.readouterr().out
    con = db.connect(target, read_only=True)
    loads = db.run(con, "load/loads").height
    con.close()
    assert cli.main(["init", "--db", str(target)]) == 0
    assert "exists" in capsys.readouterr().out
    con = db.connect(target, read_only=True)
    assert db.run(con, "load/loads").height == loads
    assert db.get_meta(con, "demo_only") == "true"
    con.close()


def test_seed_command_without_build_rewrites_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(demo, "SEED_DIR", tmp_path)
    assert cli.main(["seed", "--no-build"]) == 0
    assert "20_observations.csv" in capsys.readouterr().out
    assert (tmp_path / "20_observations.csv").read_bytes() == demo.render()["20_observations.csv"]
