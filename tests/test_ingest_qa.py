"""QA defects of the loader: UTF-16 files, Sotkanet `--indicator`,
suggestions from every name, the upload page's formatting, database-file errors, CLI
messages and exit codes, implausible values, singular Finnish, the derived demo flag and
PxWeb province (maakunta) codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from tests.apptest_helpers import app_test
from vetopito import catalog, cli, db, i18n, ingest
from vetopito.ingest import demo
from vetopito.ingest import report_view as present

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    return empty_con


@pytest.fixture
def ref_path(tmp_path):
    path = tmp_path / "qa.duckdb"
    con = db.connect(path)
    catalog.ensure_reference(con)
    con.close()
    return path


def _lines(report) -> list[str]:
    return [p.line() for p in report.errors]


# 1. UTF-16 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("big_endian", [False, True])
def test_utf16_excel_unicode_text_is_decoded(ref_con, big_endian):
    raw = (FIXTURES / "utf16_excel_unicode.txt").read_bytes()
    if big_endian:
        raw = b"\xfe\xff" + raw[2:].decode("utf-16-le").encode("utf-16-be")
    report = ingest.check(ref_con, raw, file_name="unicode.txt")
    assert report.ok(), _lines(report)
    assert report.detected["encoding"] == "utf-16" and report.detected["delimiter"] == "\t"
    assert report.counts == {"rows": 2, "new": 2, "changed": 0, "unchanged": 0, "rejected": 0}
    assert "merkistö UTF-16 (Excelin ”Unicode-teksti”)" in present.detected_text(report)
    assert sorted(report.changes["unit_id"].to_list()) == sorted(
        [ingest.values.Lookup.from_db(ref_con).unit("Etelä-Savo"), ingest.values.Lookup.from_db(ref_con).unit(
            "Pohjois-Pohjanmaa")])


# 2. Sotkanet --indicator ----------------------------------------------------------------------------

def test_sotkanet_file_with_one_indicator_maps_through_the_option(ref_con):
    path = FIXTURES / "sotkanet_one_indicator.csv"
    refused = ingest.check(ref_con, path)
    assert "--indicator" in _lines(refused)[0] and "Lisävalinnat → Indikaattori" in _lines(refused)[0]
    report = ingest.check(ref_con, path, options=ingest.Options(indicator="hoitoonpaasy_pth_laakari_7vrk"))
    assert report.ok(), _lines(report)
    assert report.detected["format"] == "sotkanet"
    assert report.counts == {"rows": 3, "new": 2, "changed": 0, "unchanged": 0, "rejected": 0}
    assert set(report.changes["indicator_id"].to_list()) == {"hoitoonpaasy_pth_laakari_7vrk"}
    assert ("Sotkanet-indikaattori 4123 luettiin indikaattoriksi hoitoonpaasy_pth_laakari_7vrk "
            "(Hoitoonpääsy: lääkäri 7 vrk) valinnan --indicator mukaan.") in report.notes
    assert "1 rivi muulle sukupuolelle kuin total ohitettiin" in report.notes[0]  # singular


def test_sotkanet_option_refuses_several_ids_and_unknown_indicator(ref_con):
    two = b"indicator;region;year;gender;primary value\n4123;978;2024;total;85\n5000;978;2024;total;80\n"
    report = ingest.check(ref_con, two, file_name="s.csv", options=ingest.Options(indicator="t3_laakari"))
    assert _lines(report) == ['sarake "--indicator": valinta --indicator t3_laakari koskee vain tiedostoa, jossa on '
                              'yksi Sotkanet-indikaattori; tässä tiedostossa on 2: 4123, 5000. Jaa tiedosto '
                              'indikaattoreittain.']
    report = ingest.check(ref_con, two, file_name="s.csv", options=ingest.Options(indicator="t3_laakarit"))
    assert _lines(report)[0].startswith('sarake "--indicator": valinnan --indicator arvo "t3_laakarit" ei ole '
                                        'luettelon indikaattori; lähimmät tunnetut: t3_laakari')


def test_cli_indicator_option_loads_a_sotkanet_file(ref_path, capsys):
    path = str(FIXTURES / "sotkanet_one_indicator.csv")
    assert cli.main(["load", path, "--db", str(ref_path), "--indicator", "hoitoonpaasy_pth_laakari_7vrk",
                     "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["load_id"] == 1 and report["counts"]["new"] == 2


# 3. suggestions -------------------------------------------------------------------------------------

def test_suggestions_come_from_aliases_and_indicator_names(ref_con):
    report = ingest.check(ref_con, b"indicator;unit;period;value\nt3_laakari;Siun sotee;2024;3\nfoo;HVA15;2024;3\n",
                          file_name="x.csv")
    lines = _lines(report)
    assert lines[0] == 'rivi 2, sarake "unit": tuntematon yksikkö "Siun sotee"; lähimmät tunnetut: Siun sote, ' \
                       'Keusote, Soite'
    assert lines[1].startswith('rivi 3, sarake "indicator": tuntematon indikaattori "foo"; lähimmät tunnetut: ')
    assert not lines[1].endswith("–")
    lookup = ingest.values.Lookup.from_db(ref_con)
    assert lookup.closest_indicators("Lääkäri 7vrk")[0] == "hoitoonpaasy_pth_laakari_7vrk (Lääkäri 7 vrk)"
    assert lookup.closest_indicators("t3_laakarit")[0] == "t3_laakari"


def test_wide_period_with_unknown_indicator_is_one_error(ref_con):
    data = b"alue;T3 mediaani 1/2020;T3 mediaani 2/2020;T3 mediaani 3/2020\nHVA15;12;13;14\nHVA14;1;2;3\n"
    report = ingest.check(ref_con, data, file_name="w.csv")
    assert report.error_total == 1
    assert "--indicator" in _lines(report)[0] and "Lisävalinnat → Indikaattori" in _lines(report)[0]
    assert '"T3 mediaani" ei tunneta' in _lines(report)[0]
    assert ingest.check(ref_con, data, file_name="w.csv", options=ingest.Options(indicator="t3_laakari")).ok()


# 4. upload page formatting -------------------------------------------------------------------------

def test_changes_view_formats_periods_numbers_and_unit_names(ref_con):
    report = ingest.check(ref_con, b"indicator;unit;period;value\nsairauspoissaolot_pct;HVA15;3/2026;20\n"
                                   b"hoitoonpaasy_pth_laakari_7vrk;HVA15;2026-03;12.5\n", file_name="a.csv")
    name = db.fetch(ref_con, "load/unit_names").filter(pl.col("id") == "HVA15")["short_fi"][0]
    view = present.changes_view(report, con=ref_con)
    assert view["period"].to_list() == ["3/2026", "3/2026"]
    assert view["new"].to_list() == ["20,0", "12,5"]
    assert view["unit"].to_list() == [name, name] and name != "HVA15"
    assert present.changes_view(report, "en", con=ref_con)["new"].to_list() == ["20.0", "12.5"]


def test_history_translates_team_formats():
    frame = pl.DataFrame({"load_id": [1, 2, 3], "format": ["operating_models", "aims", "teams"],
                          "loaded_at": [dt.datetime(2026, 3, 1, 12)] * 3, "undone_at": [None] * 3,
                          "undone_by": [None] * 3}, schema_overrides={"undone_at": pl.Datetime, "undone_by": pl.String})
    assert present.history_view(frame)["muoto"].to_list() == ["toimintamallit", "tiimien tavoitteet ja mittarit",
                                                              "tiimit"]


def test_upload_page_changes_table_and_placeholders(ref_path, app_env):
    app_env(ref_path)
    at = app_test("upload")
    at.file_uploader(key="upload").set_value(
        ("a.csv", b"indicator;unit;period;value\nsairauspoissaolot_pct;HVA15;3/2026;20\n", "text/csv"))
    at.run()
    assert not at.exception
    changes = at.dataframe[0].value
    assert changes["ajanjakso"].tolist() == ["3/2026"] and changes["uusi"].tolist() == ["20,0"]
    assert changes["yksikkö"].tolist()[0] != "HVA15"
    for key in ("upload_filter", "upload_filter_indicator", "upload_filter_unit"):
        assert at.multiselect(key=key).proto.placeholder == "Kaikki"


# 5. a file that is not a database ----------------------------------------------------------------

def test_garbage_database_file_is_a_clear_error(tmp_path, capsys):
    garbage = tmp_path / "g.duckdb"
    garbage.write_text("garbage\n")
    with pytest.raises(db.DatabaseError) as caught:
        db.connect(garbage)
    assert caught.value.key == "db.error.not_a_database"
    assert cli.main(["info", "--db", str(garbage)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vetopito: Tiedostoa {garbage} ei voi avata tietokantana") and "Traceback" not in err


# 6. CLI messages and exit codes --------------------------------------------------------------------

def test_cli_missing_file_in_finnish_and_english(ref_path, tmp_path, capsys):
    missing = str(tmp_path / "puuttuu.csv")
    assert cli.main(["check", missing, "--db", str(ref_path)]) == 2
    assert capsys.readouterr().err == f"vetopito: {missing}: tiedostoa ei ole\n"
    assert cli.main(["check", missing, "--db", str(ref_path), "--lang", "en"]) == 2
    assert capsys.readouterr().err == f"vetopito: {missing}: no such file\n"


def test_cli_json_prints_an_error_object_when_the_database_is_locked(ref_path, monkeypatch, capsys):
    def locked(*args, **kwargs):
        raise db.DatabaseLocked("db.error.locked", target=str(ref_path), pid="4242")

    monkeypatch.setattr(db, "connect", locked)
    assert cli.main(["load", str(FIXTURES / "targets_good.csv"), "--db", str(ref_path), "--json"]) == 2
    out, err = capsys.readouterr()
    # the one error shape of every `--json` command (was {"error": message})
    assert json.loads(out) == {"ok": False, "errors": [{
        "code": "db.error.locked", "message": i18n.t("db.error.locked", "fi", target=str(ref_path), pid="4242"),
        "target": str(ref_path), "pid": "4242"}]}
    assert "prosessi 4242" in err


def test_cli_undo_of_no_such_load_is_a_usage_error(ref_path, capsys):
    assert cli.main(["undo", "999", "--db", str(ref_path)]) == 2
    assert capsys.readouterr().err == "vetopito: Latausta 999 ei ole.\n"


# 7. implausible values -----------------------------------------------------------------------------

def test_implausible_values_are_refused(ref_con):
    data = (b"indicator;unit;period;value\nt3_laakari;HVA15;3/2026;1e308\nlahtijat_lkm;HVA15;2025;2,5\n"
            b"lahtijat_lkm;HVA14;2025;20000000\nt3_laakari;HVA14;3/2026;1e400\nlahtijat_lkm;HVA13;2025;12\n")
    report = ingest.check(ref_con, data, file_name="x.csv")
    assert _lines(report) == [
        'rivi 2, sarake "value": 1e308 päivää on yli 10 vuotta (3 650 päivää): luku on tuskin oikein; tarkista se '
        'tai merkitse se lippusarakkeeseen',
        'rivi 3, sarake "value": 2,5 ei ole kokonaisluku; tämä indikaattori on lukumäärä',
        'rivi 4, sarake "value": 20000000 on yli 10 000 000: lukumäärä on tuskin oikein; tarkista se',
        'rivi 5, sarake "value": 1e400 ei ole äärellinen luku',
    ]
    assert report.counts["rejected"] == 4 and report.counts["new"] == 1


def test_flagged_long_wait_is_kept(ref_con):
    report = ingest.check(ref_con, b"indicator;unit;period;value;flag\nt3_laakari;HVA15;3/2026;4000;tarkistettu\n",
                          file_name="x.csv")
    assert report.ok(), _lines(report)


# 8. a mistyped --db ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["check", "FILE"], ["load", "FILE"], ["loads"], ["undo", "1"], ["info"],
                                  ["export", "data", "--out", "OUT"]])
def test_missing_database_is_an_error_not_a_new_file(tmp_path, capsys, args):
    target = tmp_path / "kirjoitusvirhe.duckdb"
    args = [str(FIXTURES / "targets_good.csv") if a == "FILE" else str(tmp_path / "o.csv") if a == "OUT" else a
            for a in args]
    assert cli.main([*args, "--db", str(target)]) == 2
    assert not target.exists()
    assert f"{target}" in capsys.readouterr().err


# 9. singulars ----------------------------------------------------------------------------------------

def test_singular_and_plural_texts(ref_path, capsys):
    assert i18n.t_plural("ingest.cli.rejected", 1) == "hylätty: 1 virhe, mitään ei tallennettu"
    assert i18n.t_plural("ingest.cli.rejected", 2, total="2") == "hylätty: 2 virhettä, mitään ei tallennettu"
    assert i18n.t_plural("ingest.page.rejected", 1, "sv").startswith("Filen kan inte laddas: 1 fel.")
    assert i18n.t_plural("ingest.page.title", 1) == i18n.t("ingest.page.title")  # no `.one`: the text itself
    bad = ref_path.parent / "yksi.csv"
    bad.write_bytes(b"indicator;unit;period;value\nt3_laakari;HVA15;2024;-1\n")
    assert cli.main(["check", str(bad), "--db", str(ref_path)]) == 1
    assert "  hylätty: 1 virhe, mitään ei tallennettu\n" in capsys.readouterr().out
    con = db.connect(ref_path)
    try:
        ingest.load(con, b"indicator;unit;period;value\nt3_laakari;HVA15;2024;3\n", file_name="a.csv")
        ingest.load(con, b"indicator;unit;period;value\nt3_laakari;HVA15;2024;4\n", file_name="b.csv")
        assert ingest.undo(con, 2, user="qa").message == "Lataus 2 (b.csv) peruttu: 1 arvo palautettu, 0 poistettu."
    finally:
        con.close()


# 10. the demo flag is derived from the loads --------------------------------------------------------

def test_demo_flag_follows_loads_and_undo(ref_con):
    ingest.load(ref_con, FIXTURES / "events_good.csv", is_demo=True)
    assert (db.get_meta(ref_con, "demo_only"), db.get_meta(ref_con, "demo_mixed")) == ("true", "false")
    real = ingest.load(ref_con, b"indicator;unit;period;value\nt3_laakari;HVA15;2024;3\n", file_name="real.csv")
    assert demo.demo_state(ref_con) == "mixed"
    assert (db.get_meta(ref_con, "demo_only"), db.get_meta(ref_con, "demo_mixed")) == ("false", "true")
    ingest.undo(ref_con, real.load_id, user="qa")
    assert (db.get_meta(ref_con, "demo_only"), db.get_meta(ref_con, "demo_mixed")) == ("true", "false")


def test_banner_says_when_demo_and_real_data_are_mixed(demo_db_copy, app_env):
    con = db.connect(demo_db_copy)
    real = ingest.load(con, b"indicator;unit;period;value\nt3_laakari;HVA15;2031;3\n", file_name="real.csv")
    con.close()
    app_env(demo_db_copy)
    at = app_test("upload")
    assert not at.exception
    assert [w.value for w in at.warning if "esimerkkiaineistoa" in w.value] == [i18n.t("ingest.banner.demo_mixed")]
    con = db.connect(demo_db_copy)
    ingest.undo(con, real.load_id, user="qa")
    con.close()
    app_env(demo_db_copy)
    at = app_test("upload")
    assert i18n.t("app.demo_banner") in [w.value for w in at.warning]


def test_presentation_mode_says_when_demo_and_real_data_are_mixed(demo_db_copy, app_env):
    con = db.connect(demo_db_copy)
    ingest.load(con, b"indicator;unit;period;value\nt3_laakari;HVA15;2031;3\n", file_name="real.csv")
    con.close()
    app_env(demo_db_copy)
    at = app_test("present", query_params={"team": "T2024-01"})
    assert not at.exception
    assert any(i18n.t("ingest.banner.demo_mixed") in c.value for c in at.caption)


# 11. PxWeb province codes ----------------------------------------------------------------------------

def test_pxweb_maakunta_code_says_why(ref_con):
    data = (b'"Riistaonnettomuudet"\n\n"Alue";"Kuukausi";"lahtijat_lkm"\n"MK01 Uusimaa";"2023M09";"12"\n'
            b'"HVA02 Varsinais-Suomi";"2023M09*";"3"\n')
    report = ingest.check(ref_con, data, file_name="px.csv")
    assert report.detected["format"] == "pxweb"
    line = _lines(report)[0]
    assert line.startswith('rivi 4, sarake "Alue": "MK01 Uusimaa" on maakunta (Tilastokeskuksen MK-koodi)')
    assert "neljään hyvinvointialueeseen" in line and "Helsinkiin" in line


def test_every_format_has_a_word_in_each_language():
    """The load history names every format in the user's language: the programme formats, the
    wide observation layouts, indicators and definition changes once showed their code names."""
    from vetopito.ingest import formats

    names = [fmt.name for fmt in formats.FORMATS]
    assert [n for n in names if not i18n.has_text(f"ingest.word.format.{n}")] == []
    for lang in ("fi", "sv"):   # English words may be the code names themselves ("teams")
        frame = pl.DataFrame({"load_id": list(range(len(names))), "format": names,
                              "loaded_at": [dt.datetime(2026, 3, 1, 12)] * len(names), "undone_at": [None] * len(names),
                              "undone_by": [None] * len(names)},
                             schema_overrides={"undone_at": pl.Datetime, "undone_by": pl.String})
        shown = present.history_view(frame, lang)[i18n.t("ingest.page.column.format", lang)].to_list()
        assert [n for n, word in zip(names, shown, strict=True) if word == n] == [], lang

