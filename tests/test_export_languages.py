"""Exports for Finnish (and Swedish and English) users: every observation download
(the region and comparison pages' CSV and XLSX, `vetopito export data --lang`) has its headers in the
user's language and the indicator's and the unit's name beside each code; a reload of any of them
through the loader (`ingest.check`, `vetopito check` / `load`, the upload page) plans no change;
an XLSX export read back has the CSV's headers and values. The loader leaves the name columns
alone: a name a user edited, or one in another language, changes nothing either."""

from __future__ import annotations

import contextlib
import csv
import io
import json

import polars as pl
import pytest

from tests.apptest_helpers import app_test
from tests.test_downloads import download, media  # noqa: F401  (media: a fixture)
from vetopito import cli, db, ingest, scoped
from vetopito.export import rows as export_rows_module
from vetopito.export import safe, tables
from vetopito.regions import base, compare, overview

LANGS = ("fi", "sv", "en")
HEADERS = {
    "fi": ["indikaattori", "indikaattorin nimi", "yksikkö", "yksikön nimi", "ajanjakso", "arvo", "osoittaja",
           "nimittäjä"],
    "sv": ["indikator", "indikatorns namn", "enhet", "enhetens namn", "period", "värde", "täljare", "nämnare"],
    "en": ["indicator", "indicator name", "unit", "unit name", "period", "value", "numerator", "denominator"],
}
EXTRA = {"fi": ["vastaajat", "merkintä"], "sv": ["svarande", "flagga"], "en": ["respondents", "flag"]}
SEPARATOR = {"fi": ";", "sv": ";", "en": ","}
KESKI_SUOMI = {"fi": "Keski-Suomen hyvinvointialue", "sv": "Mellersta Finlands välfärdsområde",
               "en": "Central Finland wellbeing services county"}   # HVA15
T3 = {"fi": "T3 lääkäri", "sv": "T3 läkare", "en": "T3 doctor"}


def cells(data: bytes, lang: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=SEPARATOR[lang]))


def xlsx_rows(data: bytes) -> list[list]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def names(con, lang: str) -> tables.ExportNames:
    return tables.export_names(scoped.runner(con), lang)


def assert_nothing_changes(con, data: bytes, rows: int, lang: str, name: str) -> None:
    report = ingest.check(con, data, file_name=f"{name}.csv")
    assert report.ok(), (name, lang, [p.line() for p in report.errors[:5]])
    assert report.counts == {"rows": rows, "new": 0, "changed": 0, "unchanged": rows, "rejected": 0}, \
        (name, lang, report.counts, report.changes.head(5))
    assert report.already_loaded
    assert report.detected["delimiter"] == SEPARATOR[lang]
    assert report.detected["format"] == "observations" and report.detected["layout"] == "long"


# --- the library: headers, names, numbers ---------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_csv_headers_and_names_are_in_the_language(demo_con, lang):
    rows = export_rows_module.export_rows(demo_con, region="15", indicator=None)
    table = cells(tables.observations_csv(rows, lang, names(demo_con, lang)), lang)
    assert table[0][:8] == HEADERS[lang]
    assert all(row[2:4] == ["HVA15", KESKI_SUOMI[lang]] for row in table[1:]), table[1]
    assert {row[1] for row in table[1:] if row[0] == "t3_laakari"} == {T3[lang]}   # the code stays the code
    assert len({(row[0], row[1]) for row in table[1:]}) == rows["indicator"].n_unique() > 5
    decimals = [row[5] for row in table[1:] if not row[5].isdigit()]
    assert decimals, "percentages with decimals in the demo data"
    mark, other = ("." , ",") if lang == "en" else (",", ".")
    assert all(mark in v and other not in v for v in decimals), decimals[:5]


@pytest.mark.parametrize("lang", LANGS)
def test_comparison_export_names_every_region(demo_con, lang):
    run = scoped.runner(demo_con)
    period = compare.periods(run, "t3_laakari").row(0, named=True)
    export = compare.comparison(run, "t3_laakari", period["period_start"], period["grain"], lang)["export"]
    table = cells(tables.observations_csv(export, lang, names(demo_con, lang)), lang)
    by_code = {row[2]: row[3] for row in table[1:]}
    assert len(by_code) == export.height > 20
    assert by_code["HVA15"] == KESKI_SUOMI[lang]
    assert all(name and name != code for code, name in by_code.items())


def test_without_a_language_the_canonical_format_stays():
    frame = pl.DataFrame({"indicator": ["t3_laakari"], "unit": ["HVA15"], "period": ["2024"], "value": [1.5],
                          "numerator": [None], "denominator": [None]})
    assert tables.observations_csv(frame).decode("utf-8-sig").split("\r\n")[:2] == [
        "indicator;unit;period;value;numerator;denominator", "t3_laakari;HVA15;2024;1,5;;"]


def test_a_code_the_catalogue_does_not_know_gets_an_empty_name():
    frame = pl.DataFrame({"indicator": ["t3_laakari"], "unit": ["X1"], "period": ["2024"], "value": [1.0],
                          "numerator": [None], "denominator": [None]})
    shown = tables.observations_frame(frame, "fi", tables.ExportNames("fi", {"t3_laakari": "T3: lääkäri"}, {}))
    assert shown.row(0) == ("t3_laakari", "T3: lääkäri", "X1", None, "2024", 1.0, None, None)


# --- a reload of each export in each language changes nothing -------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_page_and_command_export_reloads_unchanged(demo_con, lang):
    run = scoped.runner(demo_con)
    exports = {"all": export_rows_module.export_rows(demo_con, region=None, indicator=None),
               "region": export_rows_module.export_rows(demo_con, region="15", indicator=None)}
    view = overview.region_view(run, base.region_row(base.regions(run), "15"), lang)
    for indicator in ("hoitoonpaasy_pth_laakari_7vrk", "t3_laakari", "mk_palautuminen_pct"):
        exports[f"chart-{indicator}"] = overview.chart_data(view, indicator, lang)["export"]
    period = compare.periods(run, "hoitoonpaasy_pth_laakari_7vrk").row(0, named=True)
    exports["compare"] = compare.comparison(run, "hoitoonpaasy_pth_laakari_7vrk", period["period_start"],
                                              period["grain"], lang)["export"]
    catalogue = names(demo_con, lang)
    for name, frame in exports.items():
        assert frame.height > 0, name
        data = tables.observations_csv(frame, lang, catalogue)
        assert cells(data, lang)[0][:8] == HEADERS[lang]
        assert_nothing_changes(demo_con, data, frame.height, lang, name)


@pytest.fixture
def flagged_db(reference_db_path, stores):
    """A reference database with values that carry every extra column: respondents and flags."""
    path = stores.copy(reference_db_path, "flags")
    con = db.connect(path)
    try:
        report = ingest.load(con, (
            b"indicator;unit;period;value;numerator;denominator;respondents;flag\n"
            b"mk_palautuminen_pct;HVA15;2024;61,5;;;40;arvio\n"
            b"t3_laakari;HVA15;3/2024;12,25;;;;+korjattu\n"
            b"t3_laakari;HVA01;3/2024;7;;;;\n"), file_name="liput.csv")
        assert report.committed, [p.line() for p in report.errors]
    finally:
        con.close()
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_respondents_and_flags_reload_in_every_language(flagged_db, lang):
    """`flagga` was no flag header: a Swedish export dropped its flags on the way back in."""
    con = db.connect(flagged_db)
    try:
        frame = export_rows_module.export_rows(con, region=None, indicator=None)
        data = tables.observations_csv(frame, lang, names(con, lang))
        table = cells(data, lang)
        assert table[0] == HEADERS[lang] + EXTRA[lang]
        assert sorted(row[-1] for row in table[1:]) == ["", "'+korjattu", "arvio"]
        assert_nothing_changes(con, data, 3, lang, "liput")
        assert not ingest.load(con, data, file_name="liput.csv").committed
    finally:
        con.close()


def test_names_are_read_by_nobody(demo_con):
    """The name columns are for people: one edited by hand, or in another language, changes
    nothing (the code beside it is the key), and the file is not refused for it."""
    frame = export_rows_module.export_rows(demo_con, region="15", indicator="t3_laakari")
    shown = tables.observations_frame(frame, "fi", names(demo_con, "sv")).with_columns(
        pl.lit("Savon jokin").alias("yksikön nimi"))
    report = ingest.check(demo_con, tables.to_csv(shown), file_name="muokattu.csv")
    assert report.ok() and report.counts["unchanged"] == frame.height and report.counts["changed"] == 0


# --- XLSX: the CSV's headers and values, numbers as numbers ----------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_reads_back_with_the_same_headers_and_values(flagged_db, lang):
    con = db.connect(flagged_db, read_only=True)
    try:
        frame = export_rows_module.export_rows(con, region=None, indicator=None)
        catalogue = names(con, lang)
        book = xlsx_rows(tables.observations_xlsx(frame, lang, catalogue, sheet="data"))
        table = cells(tables.observations_csv(frame, lang, catalogue), lang)
    finally:
        con.close()
    assert book[0] == table[0] == HEADERS[lang] + EXTRA[lang]
    shown = safe.neutralise(tables.observations_frame(frame, lang, catalogue))   # `'+korjattu`, as in the CSV
    assert [list(row) for row in shown.iter_rows()] == book[1:]
    value = 5  # arvo, värde, value
    assert all(isinstance(row[value], int | float) for row in book[1:])
    assert sorted(row[value] for row in book[1:]) == [7, 12.25, 61.5]


# --- the command line: `vetopito export data --lang`, then `vetopito check` and `load` -------------

def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(argv))
    return code, out.getvalue()


@pytest.mark.parametrize("lang", [None, *LANGS])
def test_cli_export_in_each_language_then_check_and_load_change_nothing(flagged_db, tmp_path, lang):
    out, book = tmp_path / "vienti.csv", tmp_path / "vienti.xlsx"
    option = ["--lang", lang] if lang else []
    assert _cli("export", "data", "--db", str(flagged_db), *option, "--out", str(out))[0] == 0
    assert _cli("export", "data", "--db", str(flagged_db), *option, "--out", str(book))[0] == 0
    lang = lang or "fi"   # the default
    table = cells(out.read_bytes(), lang)
    assert table[0] == HEADERS[lang] + EXTRA[lang]
    assert xlsx_rows(book.read_bytes())[0] == table[0]
    assert {(row[2], row[3]) for row in table[1:]} >= {("HVA15", KESKI_SUOMI[lang])}
    code, text = _cli("check", str(out), "--db", str(flagged_db), "--json")
    report = json.loads(text.splitlines()[0])
    assert code == 0, report["errors"]
    assert report["counts"] == {"rows": 3, "new": 0, "changed": 0, "unchanged": 3, "rejected": 0}
    code, text = _cli("load", str(out), "--db", str(flagged_db), "--json", "--user", "analyst")
    report = json.loads(text.splitlines()[0])
    assert code == 0 and report["already_loaded"] and report["load_id"] is None, report


def test_cli_refuses_an_unknown_language(flagged_db, tmp_path, capsys):
    # click's wording (argparse said "invalid choice: 'de'" and raised SystemExit; cli.main returns the code)
    code = cli.main(["export", "data", "--db", str(flagged_db), "--lang", "de", "--out", str(tmp_path / "x.csv")])
    assert code == 2 and "Invalid value for '--lang': 'de' is not one of 'fi', 'sv', 'en'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


# --- the pages' download buttons (AppTest) and the upload page taking them back ---------------------

@pytest.fixture
def demo_app(app_env, demo_db_copy):
    app_env(demo_db_copy)
    return demo_db_copy


@pytest.mark.parametrize("lang", LANGS)
def test_region_page_downloads_are_in_the_page_language_and_reload_unchanged(demo_app, media, lang):  # noqa: F811
    params = {"region": "15", "indicator": "t3_laakari", **({"lang": lang} if lang != "fi" else {})}
    at = app_test(query_params=params)
    assert not at.exception
    data = download(at, media, "export_csv")
    table = cells(data, lang)
    assert table[0][:8] == HEADERS[lang]
    assert {(row[2], row[3]) for row in table[1:]} == {("HVA15", KESKI_SUOMI[lang])}
    assert xlsx_rows(download(at, media, "export_xlsx"))[0] == table[0]
    # the upload page takes the download back: nothing new, nothing changed
    at = app_test("upload", query_params={"lang": lang} if lang != "fi" else None)
    at.file_uploader(key="upload").set_value(("t3.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    counts = {m.label: m.value for m in at.metric}
    assert list(counts.values())[1:4] == ["0", "0", str(len(table) - 1)], counts


@pytest.mark.parametrize("lang", ("fi", "sv"))
def test_comparison_page_downloads_are_in_the_page_language(demo_app, media, lang):  # noqa: F811
    at = app_test("compare", query_params={"indicator": "t3_laakari", **({"lang": lang} if lang != "fi" else {})})
    assert not at.exception
    table = cells(download(at, media, "export_csv"), lang)
    assert table[0][:8] == HEADERS[lang]
    assert dict((row[2], row[3]) for row in table[1:])["HVA15"] == KESKI_SUOMI[lang]
    assert xlsx_rows(download(at, media, "export_xlsx"))[0] == table[0]
