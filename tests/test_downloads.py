"""Every CSV and XLSX the app or the command line writes neutralises a cell a spreadsheet would take
for a formula (`=`, `+`, `-`, `@`, tab, carriage return: an apostrophe before it, OWASP "CSV
injection") while numbers stay numbers, through the one rule of `vetopito.export.safe`; and the
upload page's changes CSV downloads once the history holds a committed load (its callable read
a module variable the page later reused for the undo choice: `'int' object has no attribute
'columns'`). Browser clicks of every download button: tests/browser/test_browser_downloads.py.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import app_test as app_test_module

from tests.apptest_helpers import ROOT, app_test, reference_db, upload
from vetopito import access, catalog, cli, db, ingest
from vetopito.export import safe, tables
from vetopito.ingest import report_view as present

# hostile cells as an attacker would put them in a file; the reader strips cells, so a leading tab
# or carriage return reaches the exports only from the library (the unit tests below)
HOSTILE = ('=HYPERLINK("http://x")', "+SUM(1)", "@SUM(1)", "-1+1", "\t=1", "\r=1")
LOADABLE = HOSTILE[:4]


def csv_cells(data: bytes) -> list[list[str]]:
    """A download as the project writes it: UTF-8 with a BOM, `;` between fields."""
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_cells(data: bytes) -> list[list]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def assert_no_formula_cell(cells: list[list[str]]) -> None:
    """No cell that a spreadsheet would run: each starts otherwise, or is a plain negative number."""
    for row in cells:
        for cell in row:
            assert not cell.startswith(safe.FORMULA_STARTS) or safe.PLAIN_NEGATIVE.fullmatch(cell), (cell, row)


# --- the rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE + ("-5 kg", "-SUM(1)", "-", "+358", "=", "@"))
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe.neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "-3,25", "-3.25", "-0", "ok", "", "'=jo suojattu", " =1", "5-1", "Äänekoski"])
def test_other_cells_stay_as_they_are(text):
    assert safe.neutralise_cell(text) == text


@given(st.lists(st.one_of(st.none(), st.text(max_size=6), st.sampled_from(HOSTILE + ("-5", "-1,5", "-1.5e3"))),
                min_size=1, max_size=8))
def test_the_frame_rule_is_the_cell_rule(texts):
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    assert safe.neutralise(frame)["t"].to_list() == [None if t is None else safe.neutralise_cell(t) for t in texts]


def test_a_frame_keeps_its_numbers_and_neutralises_its_texts_and_headers():
    frame = pl.DataFrame({"=nimi": ["+SUM(1)", "ok", None], "arvo": [-3.5, 2.0, None], "n": [-1, 2, 3],
                          "luokka": ["@x", "b", "@x"]}).with_columns(pl.col("luokka").cast(pl.Categorical))
    out = safe.neutralise(frame)
    assert out.columns == ["'=nimi", "arvo", "n", "luokka"]
    assert out["'=nimi"].to_list() == ["'+SUM(1)", "ok", None]
    assert out["arvo"].to_list() == [-3.5, 2.0, None] and out.schema["arvo"] == pl.Float64
    assert out["n"].to_list() == [-1, 2, 3] and out.schema["n"] == pl.Int64
    assert out["luokka"].to_list() == ["'@x", "b", "'@x"]


def test_table_csv_and_xlsx_neutralise_every_hostile_text_and_keep_numbers():
    frame = pl.DataFrame({"teksti": list(HOSTILE), "arvo": [-1.5, -2, 3, 0.25, -7, 1e-3]})
    cells = csv_cells(tables.to_csv(frame))
    assert [row[0] for row in cells[1:]] == ["'" + h for h in HOSTILE]
    assert [row[1] for row in cells[1:]] == ["-1,5", "-2", "3", "0,25", "-7", "0,001"]
    book = xlsx_cells(tables.to_xlsx(frame))
    # xlsxwriter writes a carriage return as the OOXML escape `_x000D_`, which openpyxl leaves as it is
    assert [row[0].value.replace("_x000D_", "\r") for row in book[1:]] == ["'" + h for h in HOSTILE]
    assert all(row[0].data_type == "s" for row in book[1:])
    assert [row[1].value for row in book[1:]] == [-1.5, -2, 3, 0.25, -7, 1e-3]
    assert all(row[1].data_type == "n" for row in book[1:])


# --- the upload page's downloads (library) --------------------------------------------------------

@pytest.fixture
def reference_con(tmp_path):
    con = db.connect(tmp_path / "ref.duckdb")
    catalog.ensure_reference(con)
    yield con
    con.close()


def hostile_events() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "date", "kind", "label"])
    for day, label in enumerate(LOADABLE, start=1):
        writer.writerow(["HVA15", f"{day}.3.2024", "note", label])
    return out.getvalue().encode("utf-8")


def hostile_bad_observations() -> bytes:
    rows = ["indicator;unit;period;value", '"=HYPERLINK(""http://x"")";HVA15;2024;1', "t3_laakari;+SUM(1);2024;1",
            "t3_laakari;HVA15;@SUM(1);1", "t3_laakari;HVA15;2024;-1+1", "t3_laakari;HVA15;2023;-5"]
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_error_report_neutralises_hostile_cells(reference_con):
    report = ingest.check(reference_con, hostile_bad_observations(), file_name="huono.csv")
    assert not report.ok()
    cells = csv_cells(present.error_report_csv(report))
    values = [row[2] for row in cells[1:]]
    assert set(values) >= {'\'=HYPERLINK("http://x")', "'+SUM(1)", "'@SUM(1)", "'-1+1"}, values
    assert "-5" in values  # a negative number (refused: T3 is never below zero) stays a number
    assert_no_formula_cell(cells)


def test_changes_csv_neutralises_hostile_cells(reference_con):
    report = ingest.check(reference_con, hostile_events(), file_name="tapahtumat.csv")
    assert report.ok(), [p.line() for p in report.errors]
    cells = csv_cells(present.changes_csv(present.changes_view(report, "fi", reference_con), "fi"))
    assert [row[-1] for row in cells[1:]] == ["'" + h for h in LOADABLE]
    assert_no_formula_cell(cells)


# --- the upload page in AppTest -------------------------------------------------------------------

@pytest.fixture
def media(monkeypatch):
    """Every run's media file manager, so that a download's bytes can be read (and a deferred one
    generated, as a click in the browser does) after the run."""
    managers = []
    original = app_test_module.MediaFileManager

    class Recording(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return managers


def download(at, managers, key: str) -> bytes:
    """The bytes the browser gets when the button `key` is clicked."""
    button = next(b for b in at.get("download_button") if key in b.proto.id)
    proto = button.proto
    url = managers[-1].execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
    return managers[-1]._storage.get_file(url.rsplit("/", 1)[-1]).content


@pytest.fixture
def page_db(tmp_path, app_env):
    return app_env(reference_db(tmp_path / "page.duckdb"))


def test_changes_csv_downloads_after_a_committed_load(page_db, media):
    con = db.connect(page_db)
    assert ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,3\n", file_name="a.csv").committed
    con.close()
    at = upload(app_test("upload"), "tapahtumat.csv", hostile_events())
    assert not at.exception
    assert at.selectbox(key="undo_choice").value == 1   # the history holds a committed load
    cells = csv_cells(download(at, media, "upload_changes_csv"))
    assert cells[0] == ["rivi", "tila", "indikaattori", "yksikkö", "ajanjakso", "vanha", "uusi"]
    assert [row[-1] for row in cells[1:]] == ["'" + h for h in LOADABLE]
    assert_no_formula_cell(cells)


def test_changes_csv_is_in_the_language_of_the_page(page_db, media):
    """The click runs the download's callable on Streamlit's download thread, after the page:
    the language is bound when the button is drawn, not looked up then (it would be Finnish)."""
    at = upload(app_test("upload", query_params={"lang": "sv"}), "tapahtumat.csv", hostile_events())
    assert not at.exception
    header = csv_cells(download(at, media, "upload_changes_csv"))[0]
    columns = pl.DataFrame(schema=dict.fromkeys(("row", "status", "indicator", "unit", "period", "old", "new"),
                                                pl.String))
    assert header == present.labelled(columns, "sv").columns != present.labelled(columns, "fi").columns


def test_no_download_button_reads_a_page_variable_late():
    """A `lambda:` as a download's data reads the page's variables when clicked, after the page has
    run (and maybe reused them): every deferred download binds its values (functools.partial or a
    factory such as `ui.team_views.team_slides`)."""
    found = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                data = node.args[1] if len(node.args) > 1 else next(
                    (k.value for k in node.keywords if k.arg == "data"), None)
                if isinstance(data, ast.Lambda):
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_error_report_download_on_the_page_is_neutralised(page_db, media):
    at = upload(app_test("upload"), "huono.csv", hostile_bad_observations())
    assert not at.exception
    cells = csv_cells(download(at, media, "upload_error_report"))
    assert cells[0] == ["rivi", "sarake", "arvo", "ongelma"]
    assert "'+SUM(1)" in [row[2] for row in cells[1:]]
    assert_no_formula_cell(cells)


# --- the audit log: admin page and `vetopito audit --csv` -------------------------------------------

def _cli(*argv: str) -> tuple[int, bytes]:
    out = io.BytesIO()
    wrapper = io.TextIOWrapper(out, encoding="utf-8")
    with contextlib.redirect_stdout(wrapper):
        code = cli.main(list(argv))
        wrapper.flush()
    return code, out.getvalue()


def hostile_audit(path: Path) -> None:
    con = db.connect(path)
    try:
        for year, name in enumerate(LOADABLE, start=2020):
            report = ingest.load(con, f"indicator,unit,period,value\nt3_laakari,HVA15,{year},3\n".encode(),
                                 file_name=name, user="+SUM(1)")
            assert report.committed, name
        access.grant(con, "d@example.fi", "director", "region:15", by='=HYPERLINK("http://x")')
    finally:
        con.close()


def test_audit_csv_of_the_admin_page_is_neutralised(page_db, media):
    hostile_audit(page_db)
    at = app_test("admin")
    assert not at.exception
    cells = csv_cells(download(at, media, "w_admin_audit_csv"))
    flat = {cell for row in cells[1:] for cell in row}
    assert {"'+SUM(1)", "'=HYPERLINK(\"http://x\")"} <= flat, flat
    assert_no_formula_cell(cells)


def test_cli_audit_csv_is_neutralised(page_db):
    hostile_audit(page_db)
    code, data = _cli("audit", "--db", str(page_db), "--csv")
    assert code == 0
    cells = csv_cells(data)
    flat = {cell for row in cells[1:] for cell in row}
    assert {"'+SUM(1)", "'=HYPERLINK(\"http://x\")"} <= flat, flat
    assert_no_formula_cell(cells)


# --- `vetopito export data` (CSV and XLSX) ----------------------------------------------------------

def test_cli_data_export_neutralises_flags_and_keeps_numbers(page_db, tmp_path):
    rows = ["indicator;unit;period;value;flag"] + [
        f'sairauspoissaolot_pv_htv;HVA15;{2015 + i};{i},5;"{h.replace(chr(34), chr(34) * 2)}"'
        for i, h in enumerate(LOADABLE)]
    con = db.connect(page_db)
    report = ingest.load(con, ("\n".join(rows) + "\n").encode(), file_name="liput.csv")
    con.close()
    assert report.committed, [p.line() for p in report.errors]
    out = tmp_path / "vienti.csv"
    assert _cli("export", "data", "--db", str(page_db), "--region", "15", "--out", str(out))[0] == 0
    cells = csv_cells(out.read_bytes())
    flag = cells[0].index("merkintä")   # the command's default language is Finnish
    value = cells[0].index("arvo")
    assert sorted(row[flag] for row in cells[1:]) == sorted("'" + h for h in LOADABLE)
    assert_no_formula_cell(cells)
    book = tmp_path / "vienti.xlsx"
    assert _cli("export", "data", "--db", str(page_db), "--region", "15", "--out", str(book))[0] == 0
    sheet = xlsx_cells(book.read_bytes())
    assert sorted(row[flag].value for row in sheet[1:]) == sorted("'" + h for h in LOADABLE)
    assert all(row[value].data_type == "n" for row in sheet[1:])   # value: a number
    # and the export reloads unchanged: the loader drops the apostrophe of a neutralised flag
    con = db.connect(page_db)
    try:
        again = ingest.check(con, out.read_bytes(), file_name="vienti.csv")
        assert again.ok() and again.counts["unchanged"] == len(LOADABLE) and again.counts["changed"] == 0
    finally:
        con.close()
