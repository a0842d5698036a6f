"""Exports: CSV for Finnish Excel, XLSX, PNG; formula neutralisation; reload through the loader."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import polars as pl
import pytest

from vetopito import db, ingest
from vetopito.export import rows as export_rows_module
from vetopito.export import tables


@pytest.mark.parametrize("text, safe", [("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+358", "'+358"), ("-1+1", "'-1+1"),
                                        ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("ok", "ok"),
                                        ("", "")])
def test_neutralise(text, safe):
    assert tables.neutralise(text) == safe


def test_csv_is_finnish_excel():
    frame = pl.DataFrame({"nimi": ["=HYPERLINK(\"x\")", "Äänekoski"], "arvo": [12.5, -3.25],
                          "pvm": [dt.date(2024, 3, 15), None], "n": [3, None]})
    data = tables.to_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "nimi;arvo;pvm;n"
    assert lines[1] == "\"'=HYPERLINK(\"\"x\"\")\";12,5;15.3.2024;3"
    assert lines[2] == "Äänekoski;-3,25;;"  # a negative number is a number, not a formula


def test_xlsx_opens_with_openpyxl():
    frame = pl.DataFrame({"nimi": ["=1+1", "b"], "arvo": [1.5, None], "pvm": [dt.date(2024, 3, 15)] * 2})
    book = openpyxl.load_workbook(io.BytesIO(tables.to_xlsx(frame, sheet="t3_laakari")))
    ws = book["t3_laakari"]
    assert [c.value for c in ws[1]] == ["nimi", "arvo", "pvm"]
    assert ws["A2"].value == "'=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == 1.5 and ws["B3"].value is None
    assert ws["C2"].value == dt.datetime(2024, 3, 15)


def test_png_signature():
    import altair as alt

    chart = alt.Chart(pl.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q") \
        .properties(width="container")
    png = tables.chart_png(chart, width=300, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_export_reloads_unchanged(demo_con, tmp_path):
    rows = export_rows_module.export_rows(demo_con, region="HVA15", indicator=None)
    assert rows.height > 100
    path = tmp_path / "hva15.csv"
    path.write_bytes(tables.observations_csv(rows))
    head = path.read_bytes()[:80]
    assert head.startswith(b"\xef\xbb\xbfindicator;unit;period;value;numerator;denominator")
    report = ingest.check(demo_con, path)
    assert report.ok(), report.to_dict()["errors"][:3]
    assert report.counts["rows"] == rows.height
    assert report.counts["new"] == 0 and report.counts["changed"] == 0
    assert report.counts["unchanged"] == rows.height
    assert report.detected["delimiter"] == ";"


def test_cli_export_data(demo_db_path, tmp_path, capsys):
    from vetopito import cli

    out = tmp_path / "t3.xlsx"
    assert cli.main(["export", "data", "--db", str(demo_db_path), "--region", "15", "--indicator", "t3_laakari",
                     "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert cli.main(["export", "data", "--db", str(demo_db_path), "--region", "99", "--out",
                     str(tmp_path / "x.csv")]) == 2
    assert "no region '99'" in capsys.readouterr().err


def test_db_untouched_by_check(demo_db_copy):
    con = db.connect(demo_db_copy)
    before = db.data_version(con)
    rows = export_rows_module.export_rows(con, region="01", indicator="t3_laakari")
    ingest.check(con, tables.observations_csv(rows), file_name="x.csv")
    assert db.data_version(con) == before
    con.close()


def test_region_page_export_reloads_unchanged(demo_con):
    """The CSV behind the region page's chart (what its download button serves) reloads unchanged."""
    from vetopito import scoped
    from vetopito.regions import base, overview

    run = scoped.runner(demo_con)
    regions = base.regions(run)
    view = overview.region_view(run, base.region_row(regions, "15"), "fi")
    for indicator in ("hoitoonpaasy_pth_laakari_7vrk", "t3_laakari", "mk_palautuminen_pct"):
        export = overview.chart_data(view, indicator, "fi")["export"]
        report = ingest.check(demo_con, tables.observations_csv(export), file_name=f"{indicator}.csv")
        assert report.ok() and report.counts["unchanged"] == export.height > 0, report.to_dict()
