"""The reference data, the indicator catalogue and their loading into the database."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import polars as pl
import pytest

from vetopito import access, catalog, db, i18n

REF = catalog.REFERENCE


def _rows(name: str) -> list[dict[str, str]]:
    with (REF / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the files ------------------------------------------------------------------------------------

def test_indicator_columns_match_the_table():
    with (REF / "indicators.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert tuple(header) == catalog.INDICATOR_COLUMNS


def test_every_indicator_is_valid():
    rows = _rows("indicators.csv")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert re.fullmatch(r"[a-z0-9_]+", r["id"]), r["id"]
        assert r["theme"] in catalog.THEMES, r["id"]
        assert r["unit"] in catalog.UNITS, r["id"]
        assert r["direction"] in catalog.DIRECTIONS, r["id"]
        assert r["aggregation"] in catalog.AGGREGATIONS, r["id"]
        assert 0 <= int(r["decimals"]) <= 3, r["id"]
        assert r["source"] and r["licence"], r["id"]
        for lang in i18n.LANGUAGES:
            assert r[f"name_{lang}"] and r[f"definition_{lang}"], (r["id"], lang)
        if r["unit"] == "pct" and r["aggregation"] != "ratio":
            pytest.fail(f"{r['id']}: a percentage aggregates as a ratio of sums")
        assert r["min_persons"] == "" or int(r["min_persons"]) >= 1
        assert r["sotkanet_id"] == "" or r["sotkanet_id"].isdigit()


def test_the_catalogue_has_what_the_issue_asks_for():
    ids = {r["id"] for r in _rows("indicators.csv")}
    assert {
        "hoitoonpaasy_pth_laakari_7vrk", "hoitoonpaasy_pth_laakari_14vrk", "hoitoonpaasy_pth_hoitaja_7vrk",
        "hoitoonpaasy_pth_hoitaja_14vrk", "hoitoonpaasy_mielenterveys_14vrk", "hoitoonpaasy_suun_3kk",
        "t3_laakari", "t3_hoitaja", "t3_hammaslaakari", "t3_suuhygienisti", "sairauspoissaolot_pv_htv",
        "sairauspoissaolot_pct", "vaihtuvuus_pct", "vaihtuvuus_ilman_elakkeita_pct", "tayttoaste_pct",
        "mk_palautuminen_pct", "mk_suosittelu_pct", "koulutukset_osallistujat", "tyopajat_osallistujat",
    } <= ids
    survey = {r["id"]: r for r in _rows("indicators.csv") if r["id"].startswith("mk_")}
    assert all(r["min_persons"] == "10" for r in survey.values())


def test_definition_changes_are_dated_and_known():
    ids = {r["id"] for r in _rows("indicators.csv")}
    changes = _rows("indicator_definition_changes.csv")
    assert changes
    for c in changes:
        assert c["indicator_id"] in ids
        dt.date.fromisoformat(c["valid_from"])
        assert c["note_fi"] and c["note_sv"] and c["note_en"]
    assert ("hoitoonpaasy_pth_laakari_14vrk", "2023-09-01") in {(c["indicator_id"], c["valid_from"]) for c in changes}


def test_alias_file_says_where_each_name_comes_from():
    for row in _rows("unit_aliases.csv"):
        assert row["status"] in ("sourced", "established_use"), row
        if row["status"] == "sourced":
            assert row["source"], row
        assert row["alias_kind"] in ("code", "official", "short", "common", "sotkanet", "statfin", "id")


@pytest.mark.parametrize(("text", "expected"), [
    ("Keski-Suomen hyvinvointialue", "keski-suomen"),
    ("  Siun   sote ", "siun sote"),
    ("Östra Nylands välfärdsområde", "östra nylands"),
    ("Central Finland wellbeing services county", "central finland"),
    ("HVA15", "hva15"),
    ("Helsingin\u00a0kaupunki", "helsingin kaupunki"),
])
def test_normalise_alias(text, expected):
    assert catalog.normalise_alias(text) == expected


def test_name_column():
    assert catalog.name_column("sv") == "name_sv"
    assert catalog.name_column("xx") == f"name_{i18n.get_language()}"
    assert catalog.name_column("en", "short") == "short_en"


# --- loading --------------------------------------------------------------------------------------

@pytest.fixture
def ref_con(empty_con):
    assert catalog.ensure_reference(empty_con) is True
    return empty_con


def test_reference_units(ref_con):
    units = db.fetch(ref_con, "access/all_unit_ids")
    kinds = dict(zip(*units.group_by("kind").len().sort("kind").to_dict(as_series=False).values(), strict=True))
    assert kinds == {"country": 1, "region": 22, "yta": 5}
    regions = catalog.regions(ref_con)
    assert regions["id"].to_list() == [f"HVA{c:02d}" for c in range(1, 22)] + ["HVA90"]
    assert regions["code"].to_list() == [f"{c:02d}" for c in range(1, 22)] + ["90"]
    assert set(regions["yta_id"]) == {f"YTA{i}" for i in range(1, 6)}
    assert regions.filter(pl.col("id") == "HVA15")["yta_id"].item() == "YTA2"
    assert regions.filter(pl.col("id") == "HVA90")["sotkanet_id"].item() == "960"
    # 31.12.2022; Finland's 5 563 970 less Åland, which is no wellbeing services county
    assert regions["population"].sum() == 5_533_611
    yta = db.run(ref_con, "catalog/yta", scope_units=["YTA1", "YTA2", "YTA3", "YTA4", "YTA5"])
    assert yta["population"].sum() == 5_533_611


def test_every_region_has_a_boundary(ref_con):
    ids = catalog.regions(ref_con)["id"].to_list()
    frame = db.run(ref_con, "pages/compare/region_boundaries", scope_units=ids)
    assert frame["id"].to_list() == ids
    for text in frame["boundary_geojson"]:
        geometry = json.loads(text)
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        assert geometry["coordinates"]


def test_every_alias_resolves_to_one_unit(ref_con):
    aliases = catalog.unit_aliases(ref_con)
    per_alias = aliases.group_by("alias_norm").agg(pl.col("unit_id").n_unique().alias("n"))
    assert per_alias.filter(pl.col("n") > 1).is_empty()
    lookup = dict(zip(aliases["alias_norm"], aliases["unit_id"], strict=True))
    for alias, unit in [("Siun sote", "HVA14"), ("Pirha", "HVA08"), ("Hyvaks", "HVA15"), ("HVA15", "HVA15"),
                        ("15", "HVA15"), ("965", "HVA15"), ("Keski-Suomen hyvinvointialue", "HVA15"),
                        ("Mellersta Finlands välfärdsområde", "HVA15"), ("Keski-Suomi", "HVA15"),
                        ("1", "HVA01"), ("01", "HVA01"), ("Helsinki", "HVA90"), ("658", "FI"),
                        ("Koko maa", "FI"), ("YTA2", "YTA2")]:
        assert lookup[catalog.normalise_alias(alias)] == unit, alias
    for row in _rows("unit_aliases.csv"):
        assert lookup[catalog.normalise_alias(row["alias"])] == row["unit_id"], row["alias"]


def test_ensure_reference_is_idempotent(ref_con):
    before = db.row_counts(ref_con)
    assert catalog.ensure_reference(ref_con) is False
    assert catalog.ensure_reference(ref_con, force=True) is True
    assert db.row_counts(ref_con) == before


def test_ensure_reference_updates_a_used_database(demo_db_copy):
    """Forcing a reload on a database whose units carry observations still works (only rows
    that differ are updated: DuckDB refuses updates of referenced unit rows)."""
    con = db.connect(demo_db_copy)
    try:
        before = db.row_counts(con)
        assert catalog.ensure_reference(con, force=True) is True
        assert db.row_counts(con) == before
    finally:
        con.close()


def test_ensure_reference_inside_an_open_transaction(empty_con):
    with db.transaction(empty_con):
        assert catalog.ensure_reference(empty_con, own_transaction=False) is True
    assert db.row_counts(empty_con)["unit"] == 28


def test_read_functions(demo_con):
    frame = catalog.indicators(demo_con)
    assert "t3_laakari" in frame["id"].to_list()
    t3 = catalog.indicator(demo_con, "t3_laakari")
    assert t3["unit"] == "days" and t3["direction"] == "lower" and t3["aggregation"] == "mean"
    assert "182" in t3["definition_fi"]
    assert catalog.indicator(demo_con, "no_such") is None
    changes = catalog.definition_changes(demo_con, "hoitoonpaasy_pth_laakari_14vrk")
    assert changes["valid_from"].to_list() == [dt.date(2023, 9, 1)]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogue_table_is_localised(demo_con, lang):
    table = catalog.catalogue_table(catalog.indicators(demo_con), lang)
    assert table.columns[0] == i18n.t("catalog.col.indicator", lang)
    assert table.height == catalog.indicators(demo_con).height
    themed = catalog.catalogue_table(catalog.indicators(demo_con), lang, theme="access")
    assert themed.height == 10
    changes = catalog.definition_change_table(
        access.run_scoped(demo_con, "catalog/definition_changes", access.full_scope(demo_con), indicator=None), lang)
    assert "1.9.2023" in changes[i18n.t("catalog.col.valid_from", lang)].to_list()


# --- the page -------------------------------------------------------------------------------------

def test_catalog_page(app_env, demo_db_path):
    from tests.apptest_helpers import app_test

    app_env(demo_db_path)
    at = app_test("catalog")
    assert not at.exception
    assert at.title[0].value == "Mittarit ja lähteet"
    assert at.dataframe[0].value.shape[0] == len(_rows("indicators.csv"))
    assert any("CC BY 4.0" in m.value for m in at.markdown)


def test_catalog_page_in_swedish_with_a_theme(app_env, demo_db_path):
    from tests.apptest_helpers import app_test

    app_env(demo_db_path)
    at = app_test("catalog", query_params={"lang": "sv", "theme": "access"})
    assert not at.exception
    assert at.title[0].value == "Mätare och källor"
    assert at.dataframe[0].value.shape[0] == 10
    assert at.dataframe[0].value.columns[0] == "Mätare"


def test_seasonal_flag_marks_indicators_with_a_yearly_pattern(demo_con):
    rows = {r["id"]: r for r in _rows("indicators.csv")}
    assert {r["seasonal"] for r in rows.values()} <= set(catalog.SEASONAL_VALUES)
    for known in ("sairauspoissaolot_pct", "sairauspoissaolot_pv_htv", "hoitoonpaasy_pth_laakari_7vrk", "t3_laakari"):
        assert rows[known]["seasonal"] == "yes", known
    assert rows["mk_palautuminen_pct"]["seasonal"] == "no"  # a yearly survey has no season
    stored = dict(access.run_scoped(demo_con, "pages/region/indicators", access.full_scope(demo_con))
                  .select("indicator_id", "seasonal").iter_rows())
    assert stored == {i: r["seasonal"] == "yes" for i, r in rows.items()}
