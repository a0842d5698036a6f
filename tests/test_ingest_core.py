"""The loader end to end on real DuckDB files: formats, exact errors, idempotence, undo, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vetopito import catalog, cli, db, ingest
from vetopito.ingest import read

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    return empty_con


def _state(con):
    return db.row_counts(con), db.data_version(con)


@pytest.mark.parametrize(("name", "fmt", "layout", "counts"), [
    ("units_good.csv", "units", "units", {"rows": 2, "new": 2}),
    ("targets_good.csv", "targets", "targets", {"rows": 2, "new": 2}),
    ("events_good.csv", "events", "events", {"rows": 2, "new": 2}),
    ("wide_indicator_good.csv", "observations", "wide_indicator", {"rows": 2, "new": 4}),
    ("wide_period_good.csv", "observations", "wide_period", {"rows": 2, "new": 5}),
    ("long_bom.csv", "observations", "long", {"rows": 1, "new": 1}),
    # a row without its last cells, and rows ending in separators the header does not have
    ("ragged_rows_good.csv", "observations", "long", {"rows": 3, "new": 3}),
])
def test_good_fixture_loads(ref_con, name, fmt, layout, counts):
    options = ingest.Options(indicator="t3_laakari") if "wide_period" in name else None
    report = ingest.load(ref_con, FIXTURES / name, options=options)
    assert report.ok(), [p.line() for p in report.errors]
    assert report.detected["format"] == fmt
    assert report.detected["layout"] == layout
    for key, value in counts.items():
        assert report.counts[key] == value
    assert report.load_id is not None


def test_wide_indicator_reads_mixed_decimals_and_t3_sentinel(ref_con):
    report = ingest.load(ref_con, FIXTURES / "wide_indicator_good.csv")
    assert report.detected["decimal"] == "mixed"
    values = {(r["indicator_id"], r["period_start"].month): (r["value"], r["flag"])
              for r in report.changes.iter_rows(named=True)}
    assert values[("hoitoonpaasy_pth_laakari_7vrk", 3)] == (45.5, None)
    assert values[("hoitoonpaasy_pth_laakari_7vrk", 4)] == (3.36, None)
    assert values[("t3_laakari", 4)] == (182.0, "no_free_slot")


def test_bom_and_nbsp_thousands(ref_con):
    report = ingest.check(ref_con, FIXTURES / "long_bom.csv")
    assert report.detected["encoding"] == "utf-8-sig"
    assert report.changes["value"].to_list() == [1234.5]


def test_missing_marker_kept_as_flag(ref_con):
    report = ingest.check(ref_con, FIXTURES / "wide_period_good.csv", options=ingest.Options(indicator="t3_laakari"))
    flags = dict(zip(report.changes["row_number"].to_list(), report.changes["flag"].to_list(), strict=True))
    assert "x" in flags.values()
    assert any("tyhjä solu ohitettiin" in note for note in report.notes)  # 1 blank cell: singular


def test_wide_period_without_indicator_names_the_option(ref_con):
    report = ingest.check(ref_con, FIXTURES / "wide_period_good.csv")
    assert [p.line() for p in report.errors] == [  # one error for the file, not one per column
        'sarake "T3 mediaani 1/2020": sarakeotsikoiden indikaattoria "T3 mediaani" ei tunneta (lähimmät tunnetut: '
        't3_hoitaja (T3 hoitaja), t3_hammaslaakari (T3 hammaslääkäri), t3_suuhygienisti (T3 suuhygienisti)): valitse '
        'indikaattori valinnalla --indicator tai latussivun kohdassa Lisävalinnat → Indikaattori']


def test_bad_file_exact_errors_and_nothing_changes(ref_con):
    before = _state(ref_con)
    report = ingest.load(ref_con, FIXTURES / "observations_bad.csv")
    assert not report.ok()
    assert report.load_id is None
    assert [p.line() for p in report.errors] == [
        'rivi 3, sarake "arvo": sama rivi (indikaattori, yksikkö, ajanjakso) on jo rivillä 2',
        'rivi 4, sarake "alue": tuntematon yksikkö "Pohjois-Savoo"; lähimmät tunnetut: Pohjois-Savo, '
        'Pohjois-Suomen YTA, Pohjois-Karjala',
        'rivi 4, sarake "arvo": "12.5.2024" ei ole luku',
        'rivi 5, sarake "ajanjakso": "13/2024" ei ole ajanjakso; odotettiin esim. 2024, 3/2024, 2024-03, '
        '2024Q1, 2024M03 tai 15.3.2024',
        'rivi 5, sarake "arvo": 120 ei ole prosenttiosuus väliltä 0–100',
        'rivi 6, sarake "osoittaja": osoittaja 600 on suurempi kuin nimittäjä 500',
        'rivi 7, sarake "arvo": arvo 50 ei vastaa osoittajaa ja nimittäjää (niistä laskettuna 30)',
        'rivi 8, sarake "indikaattori": tuntematon indikaattori "t3_laakarit"; lähimmät tunnetut: '
        't3_laakari, t3_hammaslaakari, t3_hoitaja',
        'rivi 9, sarake "arvo": -5 on negatiivinen; päiviä tai lukumääriä ei voi olla alle nollan',
    ]
    assert report.error_total == 9
    assert report.counts["rejected"] == 7
    assert _state(ref_con) == before


def test_rows_wider_than_the_header_are_errors_and_nothing_changes(ref_con):
    """A comma file with unquoted decimal commas: the row's extra cell is an error that says why,
    rather than a value silently cut to its whole part."""
    before = _state(ref_con)
    report = ingest.load(ref_con, FIXTURES / "comma_decimal_in_comma_file_bad.csv")
    assert report.detected["delimiter"] == "," and report.detected["layout"] == "long"
    assert [p.line() for p in report.errors] == [
        'rivi 2: soluja on enemmän kuin otsikkorivillä (4): ”5” jää yli. Jos desimaalipilkku on myös erotin, '
        'tallenna tiedosto Excelissä muodossa CSV (puolipisteellä erotettu)']
    assert report.counts == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0, "rejected": 1}
    assert report.load_id is None and _state(ref_con) == before
    english = ingest.check(ref_con, FIXTURES / "comma_decimal_in_comma_file_bad.csv", lang="en")
    assert english.errors[0].line("en").startswith('row 2: more cells than the header (4): “5” is left over')


def test_a_note_line_above_a_header_of_years_stays_a_title():
    table = read.read_table("Mittari;T3 lääkäri\nalue;2023;2024\nHVA15;12;13\n".encode())
    assert table.header == ["alue", "2023", "2024"] and table.title_lines == ["Mittari;T3 lääkäri"]
    assert table.extra_cells.is_empty()


def test_a_two_cell_header_above_wider_rows_says_why(ref_con):
    """THL's `kk,pros` written with decimal commas in a comma file: refused, and the message says why."""
    report = ingest.check(ref_con, b"kk,pros\n4/2015,0,9\n8/2015,1,8\n", file_name="thl.csv")
    assert [p.line() for p in report.errors] == [
        'tiedoston muotoa ei tunnistettu: rivit (4/2015, 0, 9) ovat leveämpiä kuin otsikkorivi ”kk,pros”. Jos '
        'desimaalipilkku on myös erotin, tallenna tiedosto Excelissä muodossa CSV (puolipisteellä erotettu)']


def test_ragged_rows_read_as_written(ref_con):
    report = ingest.check(ref_con, FIXTURES / "ragged_rows_good.csv")
    rows = {r["unit_id"] + r["indicator_id"][:2]: (r["value"], r["numerator"], r["denominator"])
            for r in report.changes.iter_rows(named=True)}
    assert rows == {"HVA15ho": (50.0, 10.0, 20.0), "HVA14ho": (45.0, None, None), "HVA15t3": (12.0, None, None)}


def test_year_with_month_or_quarter_columns_is_one_period(ref_con):
    text = ("indikaattori;alue;vuosi;kuukausi;arvo\n"
            "t3_laakari;HVA15;2024;3;12\nt3_laakari;HVA15;2024;huhtikuu;13\nt3_laakari;HVA15;2024;2024M05*;14\n"
            "t3_laakari;HVA15;2024;13;15\n")
    report = ingest.check(ref_con, text.encode(), file_name="kk.csv")
    assert [(r["period_start"].month, r["grain"], r["flag"]) for r in report.changes.iter_rows(named=True)] == \
        [(3, "month", None), (4, "month", None), (5, "month", "preliminary")]
    assert [p.line() for p in report.errors] == [
        'rivi 5, sarake "kuukausi": "13/2024" ei ole ajanjakso; odotettiin esim. 2024, 3/2024, 2024-03, 2024Q1, '
        '2024M03 tai 15.3.2024']
    quarters = ingest.check(ref_con, b"indicator;unit;year;quarter;value\nt3_laakari;HVA15;2024;1;12\n"
                                     b"t3_laakari;HVA15;2024;Q2;12\n", file_name="q.csv")
    assert quarters.ok() and quarters.changes["period_start"].dt.month().to_list() == [1, 4]


def test_first_of_month_dates_for_a_monthly_indicator_get_a_note(ref_con):
    """Excel turns 3/2024 into 1.3.2024: the values load as dated, and a note says how to write months."""
    alone = ingest.check(ref_con, b"indikaattori;alue;ajanjakso;arvo\nt3_laakari;HVA15;1.3.2024;12\n", file_name="d.csv")
    assert alone.ok() and alone.notes == []  # nothing says the indicator is monthly
    assert ingest.load(ref_con, b"indikaattori;alue;ajanjakso;arvo\nt3_laakari;HVA15;2/2024;11\n",
                       file_name="kk.csv").committed
    report = ingest.check(ref_con, b"indikaattori;alue;ajanjakso;arvo\nt3_laakari;HVA15;1.3.2024;12\n"
                                   b"t3_laakari;HVA14;15.4.2024;9\n", file_name="d.csv")
    assert report.ok() and report.changes["grain"].to_list() == ["day", "day"]
    assert report.notes == [
        "1 arvo on päivätty kuukauden ensimmäiselle päivälle (1.3.2024), vaikka indikaattorin muut arvot ovat "
        "kuukausittaisia; se tallentuu päivän arvona. Jos se on kuukausi, kirjoita ajanjakso muodossa 3/2024: "
        "Excel muuttaa sen päivämääräksi, ellei solun muoto ole teksti."]


def test_station_column_beside_region_column_names_the_unit(ref_con):
    assert ingest.load(ref_con, FIXTURES / "units_good.csv").committed
    report = ingest.check(ref_con, b"indikaattori;hyvinvointialue;toimipiste;ajanjakso;arvo\n"
                                   b"t3_laakari;HVA15;HVA15-kuopio-tk;3/2024;12\n", file_name="tp.csv")
    assert report.ok() and report.changes["unit_id"].to_list() == ["HVA15-kuopio-tk"]
    elsewhere = ingest.check(ref_con, b"indikaattori;hyvinvointialue;toimipiste;ajanjakso;arvo\n"
                                      b"t3_laakari;Pohjois-Savo;HVA15-kuopio-tk;3/2024;12\n", file_name="tp.csv")
    assert [p.line() for p in elsewhere.errors] == [
        'rivi 2, sarake "hyvinvointialue": toimipiste HVA15-kuopio-tk ei ole alueella ”Pohjois-Savo”: tarkista '
        'toimipisteen tunnus tai alue']


def test_two_columns_for_one_field_are_a_file_problem(ref_con):
    report = ingest.check(ref_con, b"indikaattori;alue;ajanjakso;arvo;value\nt3_laakari;HVA15;3/2024;12;13\n",
                          file_name="kaksi.csv")
    assert [p.line() for p in report.errors] == [
        'sarake "value": sarakkeet "arvo", "value" kertovat saman asian: jätä tiedostoon niistä yksi']
    assert report.counts["rejected"] == 1


def test_errors_in_english(ref_con):
    report = ingest.check(ref_con, FIXTURES / "observations_bad.csv", lang="en")
    assert report.errors[2].line("en") == 'row 4, column "arvo": "12.5.2024" is not a number'


def test_same_file_twice_changes_nothing(ref_con):
    first = ingest.load(ref_con, FIXTURES / "wide_indicator_good.csv")
    state = _state(ref_con)
    again = ingest.load(ref_con, FIXTURES / "wide_indicator_good.csv")
    assert again.already_loaded and again.load_id is None
    assert again.counts["unchanged"] == first.counts["new"]
    assert _state(ref_con) == state


def test_undo_restores_and_blocks(ref_con):
    first = ingest.load(ref_con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-03,10\n", file_name="a.csv")
    second = ingest.load(ref_con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-03,12\n"
                         b"t3_laakari,HVA15,2024-04,13\n", file_name="b.csv")
    assert second.counts == {"rows": 2, "new": 1, "changed": 1, "unchanged": 0, "rejected": 0}
    with pytest.raises(ingest.UndoBlocked, match=r"lataus 2 \(b.csv\)"):
        ingest.undo(ref_con, first.load_id, user="t")
    version = db.data_version(ref_con)
    result = ingest.undo(ref_con, second.load_id, user="t")
    assert (result.restored, result.removed) == (1, 1)
    assert db.data_version(ref_con) == version + 1
    check = ingest.check(ref_con, b"indicator,unit,period,value\nt3_laakari,HVA15,2024-03,10\n", file_name="c.csv")
    assert check.already_loaded
    ingest.undo(ref_con, first.load_id, user="t")
    assert db.row_counts(ref_con)["observation"] == 0


def test_scope_refuses_other_units(ref_con):
    from vetopito.access import Scope
    report = ingest.check(ref_con, b"indicator,unit,period,value\nt3_laakari,HVA14,2024,1\n", file_name="s.csv",
                          scope=Scope(unit_ids=("HVA15",)))
    assert [p.line() for p in report.errors] == [
        'rivi 2, sarake "unit": yksikkö "HVA14" ei kuulu alueisiin, joille sinulla on latausoikeus']


def test_demo_flag(ref_con):
    ingest.load(ref_con, FIXTURES / "events_good.csv", is_demo=True)
    assert db.get_meta(ref_con, "demo_only") == "true"
    ingest.load(ref_con, FIXTURES / "targets_good.csv")
    assert db.get_meta(ref_con, "demo_only") == "false"


def test_cli_exit_codes_and_json(stores, tmp_path, capsys):
    path = stores.empty("cli")
    con = db.connect(path)
    catalog.ensure_reference(con)
    con.close()
    assert cli.main(["check", str(FIXTURES / "targets_good.csv"), "--db", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {"file", "detected", "counts", "errors", "load_id"}
    assert set(report["detected"]) == {"encoding", "delimiter", "decimal", "layout", "format"}
    assert set(report["counts"]) == {"rows", "new", "changed", "unchanged", "rejected"}
    assert cli.main(["load", str(FIXTURES / "observations_bad.csv"), "--db", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"][0] == {"row": 3, "column": "arvo", "value": "45,5",
                                   "problem": "sama rivi (indikaattori, yksikkö, ajanjakso) on jo rivillä 2"}
    assert cli.main(["load", str(tmp_path / "missing.csv"), "--db", str(path)]) == 2
    assert cli.main(["load", str(FIXTURES / "targets_good.csv"), "--db", str(path)]) == 0
    assert cli.main(["undo", "1", "--db", str(path), "--yes"]) == 0
    assert cli.main(["undo", "1", "--db", str(path)]) == 1
    assert cli.main(["loads", "--db", str(path), "--json"]) == 0
