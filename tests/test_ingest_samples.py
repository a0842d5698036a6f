"""The real extracts in tests/fixtures/samples (copied from ../shared/reference/samples): each is detected as what it is, and refused
with errors that say precisely what is missing (an option) or unknown (an indicator, a unit)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vetopito import cli, db, ingest

SAMPLES = Path(__file__).parent / "fixtures" / "samples"  # copies, with their sources and licences

SOTKANET = "sotkanet_rest_csv_indicator127_year2009_oskari_fixture.csv"
PXWEB = "statfin_pxweb_relational_tab_latin1_001_12sg_2021m12_20220311-154122.txt"
THL_AVI = "thl_phc_patients_waiting_over90d_by_avi_2018m01_m06.csv"
THL_KK = "thl_esh_surgery_waiting_over180d_pct_2015_2018.csv"
REGION_IDS = "sotkanet_hyvinvointialue_region_ids.csv"


@pytest.fixture(scope="module")
def ref_path(reference_db_path) -> Path:
    """The reference-only database (conftest), copied by each test that writes."""
    return reference_db_path


@pytest.fixture
def ref_con(ref_path):
    con = db.connect(ref_path)
    yield con
    con.close()


@pytest.mark.parametrize(("name", "detected", "rows"), [
    (SOTKANET, {"encoding": "utf-8", "delimiter": ";", "decimal": "none", "layout": "long", "format": "sotkanet"}, 466),
    # Latin-1 bytes of Finnish text are the same in Windows-1252, which is what is reported
    (PXWEB, {"encoding": "cp1252", "delimiter": "\t", "decimal": "none", "layout": "long", "format": "pxweb"}, 1296),
    (THL_AVI, {"encoding": "utf-8", "delimiter": ",", "decimal": "none", "layout": "wide_period",
               "format": "observations"}, 6),
    (THL_KK, {"encoding": "utf-8", "delimiter": ",", "decimal": ".", "layout": "long", "format": "observations"}, 10),
])
def test_sample_is_detected(ref_con, name, detected, rows):
    report = ingest.check(ref_con, SAMPLES / name)
    assert report.detected == detected
    assert report.counts["rows"] == rows
    assert not report.ok() and report.counts["rejected"] == rows


def test_sotkanet_sample_names_unknown_indicator_and_region_ids(ref_con):
    report = ingest.check(ref_con, SAMPLES / SOTKANET)
    assert [p.line() for p in report.errors[:2]] == [
        'sarake "indicator": kaikki 466 riviä: Sotkanet-indikaattoria 127 ei ole liitetty mihinkään luettelon '
        'indikaattoriin (luettelon Sotkanet-tunnukset: –): kerro, mitä indikaattoria tiedosto koskee, valinnalla '
        '--indicator (esim. --indicator hoitoonpaasy_pth_laakari_7vrk; latussivulla: Lisävalinnat → Indikaattori)',
        'rivi 2, sarake "region": Sotkanet-alue 69 ei ole hyvinvointialue eikä muu tunnettu yksikkö; '
        'tunnetut Sotkanet-aluetunnukset ovat 957–978 (hyvinvointialueet)',
    ]
    assert report.error_total > ingest.problems.ERROR_CAP  # every problem counted, the list capped
    assert len(report.errors) == ingest.problems.ERROR_CAP


def test_thl_kk_pros_names_the_options_it_needs(ref_con):
    report = ingest.check(ref_con, SAMPLES / THL_KK)
    assert [p.line() for p in report.errors] == [
        "tiedostossa ei ole indikaattorisaraketta eikä sen otsikoista selviä indikaattori: anna indikaattori "
        "valinnalla --indicator (latussivulla: Lisävalinnat → Indikaattori)",
        "tiedostossa ei ole yksikkö- tai aluesaraketta: anna yksikkö valinnalla --unit "
        "(latussivulla: Lisävalinnat → Yksikkö)",
    ]
    given = ingest.check(ref_con, SAMPLES / THL_KK,
                         options=ingest.Options(indicator="hoitoonpaasy_pth_laakari_7vrk", unit="FI"))
    assert given.ok() and given.counts["new"] == 10
    assert given.changes["period_start"].dt.month().to_list()[:3] == [4, 8, 12]


def test_thl_avi_sample_needs_indicator_then_says_avi_areas_are_not_units(ref_con):
    report = ingest.check(ref_con, SAMPLES / THL_AVI)
    assert [p.line() for p in report.errors] == [
        'sarake "1/2018": sarakeotsikosta ei selviä indikaattori: anna se valinnalla --indicator '
        '(latussivulla: Lisävalinnat → Indikaattori)']
    report = ingest.check(ref_con, SAMPLES / THL_AVI, options=ingest.Options(indicator="lahtijat_lkm"))
    lines = [p.line() for p in report.errors]
    assert lines[0].startswith('rivi 2, sarake "AVI": "Etelä-Suomi" on aluehallintoviraston (AVI) alue, ei '
                               'hyvinvointialue eikä muu yksikkö: AVI-alueiden lukuja ei voi ladata; lähimmät tunnetut: ')
    assert "Etelä-Savo" in lines[0] or "Etelä-Karjala" in lines[0]
    assert not report.ok()


def test_pxweb_sample_names_indicator_column_and_maakunta_codes(ref_con):
    report = ingest.check(ref_con, SAMPLES / PXWEB)
    lines = [p.line() for p in report.errors[:2]]
    assert lines == [
        'sarake "Riistaonnettomuudet": kaikki 1\xa0296 riviä: tuntematon indikaattori "Riistaonnettomuudet"; '
        'lähimmät tunnetut: perehdytys_pct (Perehdytyssuunnitelman mukaan perehdytetyt, %), '
        'sairauspoissaolot_pct (Sairauspoissaolot, % työajasta), '
        'tayttoaste_pct',
        'rivi 2, sarake "Alue": "MK01 Uusimaa" on maakunta (Tilastokeskuksen MK-koodi), ei hyvinvointialue: '
        'maakuntien lukuja ei ladata. Useimmat maakunnat vastaavat hyvinvointialuetta, mutta Uusimaan maakunta '
        'jakautuu neljään hyvinvointialueeseen (Itä-, Keski- ja Länsi-Uusimaa, Vantaa ja Kerava) ja Helsinkiin; '
        'poimi luvut hyvinvointialueittain (HVA-koodit)',
    ]


def test_region_id_list_is_not_a_loadable_file(ref_con):
    report = ingest.check(ref_con, SAMPLES / REGION_IDS)
    assert report.detected["format"] is None
    assert report.errors[0].line().startswith("tiedoston muotoa ei tunnistettu (sarakkeet: nimi, uusi_id, vanha_id")


def test_samples_leave_the_database_unchanged(ref_con):
    before = db.row_counts(ref_con), db.data_version(ref_con)
    for name in (SOTKANET, PXWEB, THL_AVI, THL_KK, REGION_IDS):
        assert ingest.load(ref_con, SAMPLES / name).load_id is None
    assert (db.row_counts(ref_con), db.data_version(ref_con)) == before


def test_cli_check_on_sample_prints_finnish_and_json(ref_path, capsys):
    assert cli.main(["check", str(SAMPLES / THL_KK), "--db", str(ref_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"{THL_KK}: Muoto havainnot, asettelu pitkä (rivi per arvo), merkistö UTF-8, erotin pilkku (,), "
                      "desimaalimerkki piste (2.5)")
    assert out[1] == "  rivejä 10: uusia 0, muuttuvia 0, ennallaan 0, hylättyjä 10"
    assert out[-1] == "  hylätty: 2 virhettä, mitään ei tallennettu"
    assert cli.main(["check", str(SAMPLES / THL_KK), "--db", str(ref_path), "--lang", "en"]) == 1
    assert "give the indicator with --indicator" in capsys.readouterr().out
    assert cli.main(["check", str(SAMPLES / THL_KK), "--db", str(ref_path), "--json",
                     "--indicator", "hoitoonpaasy_pth_laakari_7vrk", "--unit", "FI"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {k: report[k] for k in ("file", "detected", "counts", "errors", "load_id")} == {
        "file": THL_KK,
        "detected": {"encoding": "utf-8", "delimiter": ",", "decimal": ".", "layout": "long", "format": "observations"},
        "counts": {"rows": 10, "new": 10, "changed": 0, "unchanged": 0, "rejected": 0},
        "errors": [], "load_id": None}
