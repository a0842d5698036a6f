"""Properties (hypothesis): what a director exports reloads through the loader and changes nothing.

Random observation sets (catalogue indicators of every unit kind: percentages with and without a
numerator and denominator, survey percentages with respondents, T3 days with the 182 "no free slot"
value, other days, hours, counts and persons; random regions; year, quarter, month and day periods,
preliminary `2023M09*` months; values with decimals written with a decimal comma, subnormal and
17-digit floats; missing-value markers; explicit flags) are loaded into a fresh copy of a template
database through the real loader. Then every export path a director has:

* `export.rows.export_rows` for a region, an indicator, a region and an indicator, and every region,
  written by `export.tables.observations_csv` (CSV for Finnish Excel);
* the region page's chart download (`overview.chart_data(...)["export"]`) and the comparison
  page's (`region_compare.comparison(...)["export"]`);
* the command line `vetopito export data … --out x.csv`, checked and loaded by `vetopito check|load
  --json`;

each in the canonical format or in Finnish, Swedish or English (localised headers, names beside the
codes; `--lang` on the command line, Finnish by default), is loaded again: the plan must have 0
new, 0 changed, 0 rejected and `unchanged` = the exported
values, and every table must be exactly as before (a dry check and the load of an already stored
file both write nothing, so the load history is compared too).

XLSX: the loader does not read XLSX (it refuses a binary file, tests/test_ingest_properties.py), so
the XLSX export is not reloaded; its cells are compared with the CSV's instead (numbers to 16
significant digits: xlsxwriter writes `%.16G`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import examples, sql
from vetopito import catalog, cli, db, i18n, ingest, scoped
from vetopito.export import rows as export_rows_module
from vetopito.export import tables
from vetopito.regions import base, overview
from vetopito.regions import compare as region_compare

CATALOGUE = {row["id"]: row for row in catalog.indicator_frame().iter_rows(named=True)}
REGIONS = tuple(f"HVA{n:02d}" for n in range(1, 22)) + ("HVA90",)
MARKERS = ("..", ".", "-", "–", "*", "x", "n/a")
FLAGS = ("arvio", "korjattu", "väliaikainen luku", 'huom; "tarkista"')
HEADER = ("indicator", "unit", "period", "value", "numerator", "denominator", "respondents", "flag")
LANGS = ("fi", "sv", "en")  # the exports' languages; None: the canonical format
SURVEY_MIN = 10  # privacy.SURVEY_MIN_RESPONDENTS
# every example builds and loads a database: fewer under `make test` (tests/examples.py)
SETTINGS = settings(max_examples=examples.per_database(25), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def template(reference_db_path) -> Path:
    """The reference-only database (conftest), copied by each test that writes."""
    return reference_db_path


def snapshot(con) -> dict[str, list]:
    """Every row of every table, sorted (compared whole: 'exactly as before')."""
    return {name: sorted(con.table(name).fetchall(), key=repr) for name in db.row_counts(con)}


# --- the generated observations ----------------------------------------------------------------

def _period(grain: str, start: dt.date, spelling: int, preliminary: bool) -> str:
    q = (start.month - 1) // 3 + 1
    spellings = {
        "year": (f"{start.year}", f"vuosi {start.year}"),
        "quarter": (f"{start.year}Q{q}", f"Q{q}/{start.year}", f"{start.year}K{q}"),
        "month": (f"{start.year}-{start.month:02d}", f"{start.month}/{start.year}", f"{start.year}M{start.month:02d}"),
        "day": (f"{start.day}.{start.month}.{start.year}", start.isoformat()),
    }[grain]
    return spellings[spelling % len(spellings)] + ("*" if preliminary else "")


def _token(grain: str, start: dt.date) -> str:
    """The period as the exports write it (base.period_token)."""
    return {"year": f"{start.year}", "quarter": f"{start.year}Q{(start.month - 1) // 3 + 1}",
            "month": f"{start.year}-{start.month:02d}"}.get(grain, start.isoformat())


@st.composite
def periods(draw) -> tuple[str, dt.date]:
    grain = draw(st.sampled_from(("year", "quarter", "month", "day")))
    year = draw(st.integers(2019, 2025))
    if grain == "year":
        return grain, dt.date(year, 1, 1)
    if grain == "quarter":
        return grain, dt.date(year, 3 * draw(st.integers(0, 3)) + 1, 1)
    if grain == "month":
        return grain, dt.date(year, draw(st.integers(1, 12)), 1)
    return grain, draw(st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)))


def _floats(low: float, high: float):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def figures(draw, indicator: str) -> dict:
    """value, numerator, denominator, respondents and marker of one row, valid for the indicator."""
    info = CATALOGUE[indicator]
    out = {"value": None, "numerator": None, "denominator": None, "respondents": None, "marker": None}
    if draw(st.integers(0, 7)) == 0:
        out["marker"] = draw(st.sampled_from(MARKERS))
        return out
    unit = info["unit"]
    if unit == "pct":
        if info["aggregation"] == "ratio" and draw(st.booleans()):
            den = draw(st.integers(1, 50_000))
            num = draw(st.integers(0, den))
            exact = 100 * num / den  # often 17 significant digits: 33.333333333333336
            out.update(numerator=num, denominator=den,
                       value=exact if draw(st.booleans()) else round(exact, int(info["decimals"])))
        else:
            out["value"] = draw(st.one_of(_floats(0, 100), st.integers(0, 1000).map(lambda v: v / 10)))
        if indicator.startswith("mk_") or draw(st.integers(0, 4)) == 0:
            out["respondents"] = draw(st.integers(0, 400))
    elif indicator.startswith("t3"):
        out["value"] = draw(st.one_of(st.just(182), st.integers(0, 400), _floats(0, 3650)))
    elif unit in ("days", "days_per_person_year", "hours"):
        out["value"] = draw(st.one_of(_floats(0, 3650), st.integers(0, 36500).map(lambda v: v / 10)))
    else:  # count, persons: whole numbers
        out["value"] = draw(st.integers(0, 200_000))
    return out


# any printable text, also one starting like a formula (the export puts an apostrophe before it and
# the loader drops it again), but not one starting with that apostrophe itself; no line breaks
flag_texts = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=8) \
    .filter(lambda s: not s.strip().startswith("'"))


@st.composite
def observation_sets(draw, max_size: int = 10) -> list[dict]:
    """Rows with distinct keys (indicator, unit, period start, grain); a few indicators and regions
    so that several rows share an export."""
    indicators = draw(st.lists(st.sampled_from(sorted(CATALOGUE)), min_size=1, max_size=3, unique=True))
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True))
    keys = draw(st.lists(st.tuples(st.sampled_from(indicators), st.sampled_from(regions), periods()),
                         min_size=1, max_size=max_size, unique_by=lambda k: (k[0], k[1], k[2])))
    rows = []
    for indicator, unit_id, (grain, start) in keys:
        row = {"indicator": indicator, "unit": unit_id, "grain": grain, "start": start,
               "preliminary": grain == "month" and draw(st.integers(0, 3)) == 0,
               "spelling": draw(st.integers(0, 2)),
               "flag": draw(st.one_of(st.none(), st.none(), st.sampled_from(FLAGS), flag_texts)),
               "percent_sign": draw(st.booleans())}
        row.update(draw(figures(indicator)))
        rows.append(row)
    return rows


def _number_text(value, comma: bool = True) -> str:
    if value is None:
        return ""
    text = str(value) if isinstance(value, int) else repr(float(value))
    return text.replace(".", ",") if comma else text


def render(rows: list[dict]) -> bytes:
    """The rows as an analyst's Finnish Excel CSV: `;`, decimal comma, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for r in rows:
        if r["marker"] is not None:
            value = r["marker"]
        else:
            value = _number_text(r["value"])
            if CATALOGUE[r["indicator"]]["unit"] == "pct" and r["percent_sign"]:
                value += " %"
        writer.writerow([r["indicator"], r["unit"], _period(r["grain"], r["start"], r["spelling"], r["preliminary"]),
                         value, _number_text(r["numerator"]), _number_text(r["denominator"]),
                         _number_text(r["respondents"]), r["flag"] or ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def stored_flag(r: dict) -> str | None:
    """The flag the loader stores (observations.validate): marker, flag cell, T3 182, preliminary."""
    if r["marker"] is not None:
        return r["marker"]
    if r["flag"] and r["flag"].strip():  # the reader strips every cell
        return r["flag"].strip()
    if r["indicator"].startswith("t3") and r["value"] == 182:
        return "no_free_slot"
    return "preliminary" if r["preliminary"] else None


def hidden(r: dict) -> bool:
    """Small-number suppression (vetopito/privacy.py) as a model: no value, or too few persons."""
    info = CATALOGUE[r["indicator"]]
    min_persons = int(info["min_persons"]) if info["min_persons"] else None
    if r["value"] is None:
        return True
    if r["respondents"] is not None and r["respondents"] < (min_persons or SURVEY_MIN):
        return True
    if info["unit"] in ("count", "persons") and min_persons and 0 < r["value"] < min_persons:
        return True
    return (r["respondents"] is None and min_persons is not None and r["numerator"] is not None
            and 0 < r["numerator"] < min_persons)


def visible(rows: list[dict], region: str | None = None, indicator: str | None = None) -> dict[tuple, tuple]:
    """What `export_rows` must hold: key (indicator, unit, period) → (value, numerator, denominator, flag)."""
    return {(r["indicator"], r["unit"], _token(r["grain"], r["start"])):
            (float(r["value"]), r["numerator"], r["denominator"], stored_flag(r))
            for r in rows if not hidden(r) and region in (None, r["unit"]) and indicator in (None, r["indicator"])}


def exported(frame: pl.DataFrame) -> dict[tuple, tuple]:
    flags = frame["flag"].to_list() if "flag" in frame.columns else [None] * frame.height
    return {(i, u, p): (v, n, d, f) for (i, u, p, v, n, d), f in
            zip(frame.select("indicator", "unit", "period", "value", "numerator", "denominator").iter_rows(),
                flags, strict=True)}


def fresh_db(template: Path, session_stores, rows: list[dict]) -> Path:
    """A copy of the template, on the session's backend, with `rows` loaded through the real loader."""
    path = session_stores.copy(template, "export_prop")
    con = db.connect(path)
    try:
        report = ingest.load(con, render(rows), file_name="ote.csv", user="analyst")
        assert report.ok(), [p.line() for p in report.errors[:5]]
        assert report.committed and report.counts["new"] == len(rows), report.counts
    finally:
        con.close()
    return path


def assert_reloads_unchanged(con, frame: pl.DataFrame, name: str, lang: str | None = None) -> None:
    """The frame as CSV for Finnish Excel (canonical, or in `lang` with names beside the codes),
    checked and loaded again: nothing new, changed or rejected, every exported value unchanged, not
    one row of any table different."""
    names = tables.export_names(scoped.runner(con), lang) if lang else None
    data = tables.observations_csv(frame, lang, names)
    before = snapshot(con)
    report = ingest.check(con, data, file_name=f"{name}.csv")
    assert report.ok(), (name, [p.line() for p in report.errors[:5]])
    assert report.counts == {"rows": frame.height, "new": 0, "changed": 0, "unchanged": frame.height,
                             "rejected": 0}, (name, report.counts, report.changes.head(5))
    assert report.already_loaded
    assert report.detected["delimiter"] == tables.csv_dialect(lang)["separator"]
    assert report.detected["encoding"] == "utf-8-sig"
    assert snapshot(con) == before, name
    again = ingest.load(con, data, file_name=f"{name}.csv", user="director")
    assert again.already_loaded and again.load_id is None and not again.committed, name
    assert snapshot(con) == before, name


# --- the library export paths -------------------------------------------------------------------

@SETTINGS
@given(observation_sets(), st.sampled_from((None, *LANGS)))
def test_every_director_export_reloads_unchanged(template, session_stores, tmp_path_factory, rows, lang):
    path = fresh_db(template, session_stores, rows)
    con = db.connect(path)
    try:
        run = scoped.runner(con)
        regions = base.regions(run)
        region_ids = sorted({r["unit"] for r in rows})
        indicator_ids = sorted({r["indicator"] for r in rows})
        for region in region_ids:
            frame = export_rows_module.export_rows(con, region=region, indicator=None)
            assert exported(frame) == visible(rows, region=region), region
            if frame.height:
                assert_reloads_unchanged(con, frame, f"rows-{region}", lang)
            view = overview.region_view(run, base.region_row(regions, region[3:]), "fi")
            for indicator in view.indicator_ids():
                chart = overview.chart_data(view, indicator, "fi")["export"]
                assert exported(chart).items() <= visible(rows, region, indicator).items(), (region, indicator)
                assert chart["period"].n_unique() == chart.height  # one grain: the chart's
                if chart.height:
                    assert_reloads_unchanged(con, chart, f"chart-{region}-{indicator}", lang)
        first = rows[0]  # the comparison page's download: every region at one period
        compare = region_compare.comparison(run, first["indicator"], first["start"], first["grain"], "fi")["export"]
        token = _token(first["grain"], first["start"])
        shown = {k: v for k, v in visible(rows, indicator=first["indicator"]).items() if k[2] == token}
        assert exported(compare) == shown
        if compare.height:
            assert_reloads_unchanged(con, compare, "compare", lang)
        indicator = indicator_ids[0]
        pair = export_rows_module.export_rows(con, region=region_ids[0][3:], indicator=indicator)
        assert exported(pair) == visible(rows, region_ids[0], indicator)
        for name, frame in ((f"indicator-{indicator}", export_rows_module.export_rows(con, region=None, indicator=indicator)),
                            ("all", export_rows_module.export_rows(con, region=None, indicator=None))):
            assert exported(frame) == visible(rows, indicator=None if name == "all" else indicator), name
            if frame.height:
                assert_reloads_unchanged(con, frame, name, lang)
    finally:
        con.close()


def test_every_region_export_when_only_some_regions_have_flags_or_respondents(template, session_stores, tmp_path_factory):
    """Found by the property above: regions whose exports have different extra columns (`flag`,
    `respondents`) must still make one file (they did not: polars ShapeError in `export_rows`)."""
    rows = [{"indicator": "t3_laakari", "unit": "HVA15", "grain": "month", "start": dt.date(2024, 3, 1),
             "preliminary": False, "spelling": 0, "flag": None, "percent_sign": False, "value": 182,
             "numerator": None, "denominator": None, "respondents": None, "marker": None},
            {"indicator": "t3_laakari", "unit": "HVA01", "grain": "month", "start": dt.date(2024, 3, 1),
             "preliminary": False, "spelling": 0, "flag": None, "percent_sign": False, "value": 12,
             "numerator": None, "denominator": None, "respondents": None, "marker": None},
            {"indicator": "mk_palautuminen_pct", "unit": "HVA02", "grain": "year", "start": dt.date(2024, 1, 1),
             "preliminary": False, "spelling": 0, "flag": None, "percent_sign": False, "value": 61.5,
             "numerator": None, "denominator": None, "respondents": 40, "marker": None}]
    con = db.connect(fresh_db(template, session_stores, rows))
    try:
        frame = export_rows_module.export_rows(con, region=None, indicator=None)
        assert frame.columns == ["indicator", "unit", "period", "value", "numerator", "denominator",
                                 "respondents", "flag"]
        assert exported(frame) == visible(rows)
        assert_reloads_unchanged(con, frame, "all")
    finally:
        con.close()


# --- the command line ----------------------------------------------------------------------------

def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(argv))
    return code, out.getvalue()


def _csv_cells(data: bytes, separator: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


def _xlsx_cells(data: bytes) -> list[list]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _same_cell(xlsx_value, csv_text: str) -> bool:
    if xlsx_value is None:
        return csv_text == ""
    if isinstance(xlsx_value, int | float) and not isinstance(xlsx_value, bool):
        return math.isclose(xlsx_value, float(csv_text.replace(",", ".")), rel_tol=1e-15, abs_tol=0.0)
    return str(xlsx_value) == csv_text


@settings(max_examples=examples.per_database(20), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(observation_sets(max_size=8), st.data())
def test_cli_export_data_then_check_and_load_changes_nothing(template, session_stores, tmp_path_factory, rows, data):
    path = fresh_db(template, session_stores, rows)
    region = data.draw(st.sampled_from((None, *sorted({r["unit"] for r in rows}))))
    spelled = None if region is None else data.draw(st.sampled_from((region, region[3:], region[3:].lstrip("0"))))
    indicators = sorted({r["indicator"] for r in rows if region in (None, r["unit"])})
    indicator = data.draw(st.sampled_from((None, *indicators)))
    lang = data.draw(st.sampled_from((None, *LANGS)))   # None: the default, Finnish
    choice = [*(["--region", spelled] if spelled else []), *(["--indicator", indicator] if indicator else []),
              *(["--lang", lang] if lang else [])]
    shown = lang or "fi"
    out = tmp_path_factory.mktemp("export_cli") / "vienti.csv"
    code, text = _cli("export", "data", "--db", str(path), *choice, "--out", str(out))
    assert code == 0, text
    cells = _csv_cells(out.read_bytes(), tables.csv_dialect(shown)["separator"])
    n = len(cells) - 1
    assert cells[0][:8] == [i18n.t(f"export.column.{c}", shown) for c in (
        "indicator", "indicator_name", "unit", "unit_name", "period", "value", "numerator", "denominator")]
    assert n == len(visible(rows, region, indicator)), (choice, cells)

    xlsx = out.parent / "vienti.xlsx"
    assert _cli("export", "data", "--db", str(path), *choice, "--out", str(xlsx))[0] == 0
    book = _xlsx_cells(xlsx.read_bytes())
    assert len(book) == len(cells) and book[0] == cells[0]
    assert all(_same_cell(x, c) for xrow, crow in zip(book[1:], cells[1:], strict=True)
               for x, c in zip(xrow, crow, strict=True)), (book, cells)

    con = db.connect(path, read_only=True)
    before = snapshot(con)
    con.close()
    if n == 0:  # every value hidden or missing: a header-only file, nothing to reload
        return
    code, text = _cli("check", str(out), "--db", str(path), "--json")
    report = json.loads(text.splitlines()[0])
    assert code == 0, report["errors"]
    assert report["counts"] == {"rows": n, "new": 0, "changed": 0, "unchanged": n, "rejected": 0}
    assert report["detected"]["delimiter"] == tables.csv_dialect(shown)["separator"] and report["load_id"] is None
    code, text = _cli("load", str(out), "--db", str(path), "--json", "--user", "director")
    report = json.loads(text.splitlines()[0])
    assert code == 0 and report["already_loaded"] and report["load_id"] is None, report
    assert report["counts"]["unchanged"] == n
    con = db.connect(path, read_only=True)
    try:
        assert snapshot(con) == before
    finally:
        con.close()


# --- the demo database ---------------------------------------------------------------------------

@settings(max_examples=examples.on_store(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(REGIONS), st.sampled_from(sorted(CATALOGUE)), st.sampled_from(("id", "code", "short")))
def test_demo_exports_reload_unchanged(demo_con, region, indicator, spelling):
    code = region[3:]
    spelled = {"id": region, "code": code, "short": code.lstrip("0")}[spelling]
    frame = export_rows_module.export_rows(demo_con, region=spelled, indicator=indicator)
    stored = sql.run(demo_con, "load/observations").filter(
        (pl.col("unit_id") == region) & (pl.col("indicator_id") == indicator) & pl.col("value").is_not_null())
    assert frame.height <= stored.height
    assert set(frame["unit"].to_list()) <= {region} and set(frame["indicator"].to_list()) <= {indicator}
    if frame.height:
        report = ingest.check(demo_con, tables.observations_csv(frame), file_name="demo.csv")
        assert report.ok(), [p.line() for p in report.errors[:5]]
        assert report.counts == {"rows": frame.height, "new": 0, "changed": 0, "unchanged": frame.height,
                                 "rejected": 0}
    run = scoped.runner(demo_con)
    view = overview.region_view(run, base.region_row(base.regions(run), code), "fi")
    if indicator in view.indicator_ids():
        chart = overview.chart_data(view, indicator, "fi")["export"]
        assert chart.height > 0
        report = ingest.check(demo_con, tables.observations_csv(chart), file_name="chart.csv")
        assert report.ok(), [p.line() for p in report.errors[:5]]
        assert report.counts == {"rows": chart.height, "new": 0, "changed": 0, "unchanged": chart.height,
                                 "rejected": 0}


# --- formula neutralisation of a stored flag: the loader drops the apostrophe -------------------------

@pytest.mark.parametrize("flag", ["-", "+korjattu", "=arvio"])
def test_a_flag_that_looks_like_a_formula_reloads_unchanged(template, session_stores, tmp_path_factory, flag):
    rows = [{"indicator": "t3_laakari", "unit": "HVA15", "grain": "month", "start": dt.date(2024, 3, 1),
             "preliminary": False, "spelling": 0, "flag": flag, "percent_sign": False, "value": 12,
             "numerator": None, "denominator": None, "respondents": None, "marker": None}]
    con = db.connect(fresh_db(template, session_stores, rows))
    try:
        assert_reloads_unchanged(con, export_rows_module.export_rows(con, region="15", indicator=None), "flag")
    finally:
        con.close()


@pytest.mark.parametrize("flag, preliminary", [("arvio", False), (None, True)])
def test_comparison_export_keeps_flags(template, session_stores, tmp_path_factory, flag, preliminary):
    rows = [{"indicator": "koulutukset_osallistujat", "unit": "HVA01", "grain": "month", "start": dt.date(2023, 9, 1),
             "preliminary": preliminary, "spelling": 2, "flag": flag, "percent_sign": False, "value": 7,
             "numerator": None, "denominator": None, "respondents": None, "marker": None}]
    con = db.connect(fresh_db(template, session_stores, rows))
    try:
        run = scoped.runner(con)
        export = region_compare.comparison(run, "koulutukset_osallistujat", dt.date(2023, 9, 1), "month", "fi")["export"]
        assert_reloads_unchanged(con, export, "compare")
    finally:
        con.close()
