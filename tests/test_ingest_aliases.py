"""Issue 11 items 3 and 4: the names sources use for indicators, learnt once with a load and
undone with it; periods, total rows and headers as real exports write them; no column ignored
without a word."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests import sql
from vetopito import access, catalog, cli, db, ingest
from vetopito.access import audit
from vetopito.ingest import aliases
from vetopito.ingest.values import parse_period

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
MARCH = FIXTURES / "thl_cube_access_2024_03.csv"
APRIL = FIXTURES / "thl_cube_access_2024_04.csv"
LABEL = "Toteutuneet käynnit 0-7 vrk, %"
ACCESS = "hoitoonpaasy_pth_laakari_7vrk"
MAPPED = ingest.Options(map_indicator=((LABEL, ACCESS),))


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    return empty_con


@pytest.fixture
def ref_path(stores):
    path = stores.empty("names")
    con = db.connect(path)
    catalog.ensure_reference(con)
    con.close()
    return path


def _lines(report) -> list[str]:
    return [p.line() for p in report.errors]


def _state(con):
    return db.row_counts(con), db.data_version(con)


def _values(con, indicator: str = ACCESS) -> list[tuple]:
    rows = sql.fetch(con, "load/observation_rows").filter(pl.col("indicator_id") == indicator)
    return rows.select("unit_id", "period_start", "value").rows()


def _aliases(con) -> list[tuple]:
    return db.fetch(con, "load/indicator_aliases").select("alias", "indicator_id", "alias_kind", "load_id").sort(
        "alias").rows()


# --- the THL cube export: one mapping, then no question ------------------------------------------

def test_an_unknown_cube_label_is_listed_once_with_the_closest_and_nothing_is_written(ref_con):
    before = _state(ref_con)
    report = ingest.load(ref_con, MARCH)
    assert not report.ok() and report.load_id is None
    assert report.counts["rejected"] == 4
    assert len(report.errors) == 1  # one name on every row: one line, not four
    line = report.errors[0].line()
    assert line.startswith(f'sarake "Mittari": kaikki 4 riviä: tuntematon indikaattori "{LABEL}"; lähimmät tunnetut: ')
    assert f"{ACCESS} (Hoitoonpääsy: lääkäri 7 vrk)" in line  # names in the user's language
    assert report.unknown_indicators == [
        {"name": LABEL, "column": "Mittari", "rows": 4, "first_row": None,
         "closest": report.unknown_indicators[0]["closest"]}]
    # the select's order: most words shared with the label (`7`, `vrk`), then spelling
    assert report.unknown_indicators[0]["closest"][:2] == [ACCESS, "hoitoonpaasy_pth_hoitaja_7vrk"]
    assert any("--map-indicator" in note for note in report.notes)
    assert _state(ref_con) == before


def test_the_cube_export_loads_after_one_mapping_and_next_month_loads_with_no_question(ref_con):
    first = ingest.load(ref_con, MARCH, options=MAPPED, user="analyytikko@example.fi")
    assert first.ok() and first.committed, _lines(first)
    assert first.counts == {"rows": 4, "new": 4, "changed": 0, "unchanged": 0, "rejected": 0}
    assert first.new_aliases == [{"alias": LABEL, "indicator_id": ACCESS, "alias_kind": "label"}]
    assert f'Latauksen mukana tallentuu uusi indikaattorinimi: "{LABEL}" → {ACCESS}' in first.notes
    assert '1 yhteensä-rivi ("Kaikki alueet") luettiin koko maan lukuna' in first.notes
    assert _values(ref_con) == [("FI", "2024-03-01", 55.1), ("HVA13", "2024-03-01", 48.7),
                                ("HVA14", "2024-03-01", 54.2), ("HVA20", "2024-03-01", 61.0)]
    assert _aliases(ref_con) == [(LABEL, ACCESS, "label", first.load_id)]

    second = ingest.load(ref_con, APRIL)  # the same source's next file: no option, no question
    assert second.ok() and second.committed, _lines(second)
    assert second.counts["new"] == 4 and second.unknown_indicators == [] and second.new_aliases == []
    assert len(_values(ref_con)) == 8

    undone = ingest.undo(ref_con, first.load_id, user="analyytikko@example.fi")
    assert undone.removed == 4
    assert _aliases(ref_con) == []  # the alias went with the load that saved it …
    assert _values(ref_con) == [("FI", "2024-04-01", 55.3), ("HVA13", "2024-04-01", 50.1),
                                ("HVA14", "2024-04-01", 55.0), ("HVA20", "2024-04-01", 60.4)]
    again = ingest.check(ref_con, MARCH)  # … so the name is unknown again
    assert [u["name"] for u in again.unknown_indicators] == [LABEL]


def test_the_mapping_is_in_the_audit_log_and_stays_there_after_the_undo(ref_con):
    first = ingest.load(ref_con, MARCH, options=MAPPED, user="analyytikko@example.fi")
    ingest.undo(ref_con, first.load_id, user="analyytikko@example.fi")
    events = audit.audit_events(ref_con).filter(pl.col("action") == "map_indicator")
    assert events.select("user_name", "target").rows() == [("analyytikko@example.fi", ACCESS)]
    assert json.loads(events["detail"][0]) == {"alias": LABEL, "kind": "label", "load_id": first.load_id,
                                              "file": MARCH.name}
    assert audit.audit_detail_text("map_indicator", events["detail"][0], "en") == (
        f'the name "{LABEL}" (label) means the indicator; load {first.load_id} (from {MARCH.name})')


def test_a_name_on_some_rows_is_one_line_and_the_other_rows_still_plan(ref_con):
    data = ("alue;kuukausi;mittari;arvo\n"
            "HVA14;3/2024;t3_laakari;10\n"
            "HVA14;4/2024;Lääkärin T3;11\nHVA15;4/2024;Lääkärin T3;12\nHVA13;4/2024;Lääkärin T3;13\n").encode()
    report = ingest.check(ref_con, data, file_name="t3.csv")
    assert report.counts["rejected"] == 3 and report.counts["new"] == 1
    assert len(report.errors) == 1
    assert report.errors[0].line().startswith(
        'rivi 3, sarake "mittari": tuntematon indikaattori "Lääkärin T3" 3 rivillä (ensimmäinen tässä); '
        'lähimmät tunnetut: ')
    assert report.unknown_indicators[0] | {"closest": None} == {
        "name": "Lääkärin T3", "column": "mittari", "rows": 3, "first_row": 3, "closest": None}
    mapped = ingest.check(ref_con, data, file_name="t3.csv",
                          options=ingest.Options(map_indicator=(("lääkärin t3", "t3_laakari"),)))
    assert mapped.ok() and mapped.counts["new"] == 4
    assert mapped.new_aliases == [{"alias": "Lääkärin T3", "indicator_id": "t3_laakari", "alias_kind": "label"}]


def test_a_mapping_to_no_indicator_or_of_a_known_name_is_refused(ref_con):
    before = _state(ref_con)
    wrong = ingest.load(ref_con, MARCH, options=ingest.Options(map_indicator=((LABEL, "hoitoonpaasy_7"),)))
    assert not wrong.ok()
    lines = _lines(wrong)  # the mapping is refused, so the name is still unknown: two lines
    assert len(lines) == 2 and lines[0].startswith(f'sarake "Mittari": kaikki 4 riviä: tuntematon indikaattori "{LABEL}"')
    assert lines[1].startswith(
        f'sarake "--map-indicator": "{LABEL}=hoitoonpaasy_7": luettelossa ei ole indikaattoria "hoitoonpaasy_7"; '
        'lähimmät tunnetut: hoitoonpaasy')
    known = ingest.check(ref_con, MARCH, lang="en", options=ingest.Options(
        map_indicator=((LABEL, ACCESS), ("T3 lääkäri", "t3_hoitaja"))))
    assert [p.line("en") for p in known.errors] == ['column "--map-indicator": "T3 lääkäri=t3_hoitaja": the name "T3 lääkäri" already '
                             'means indicator t3_laakari; a name can mean one indicator only']
    unused = ingest.check(ref_con, MARCH, options=ingest.Options(map_indicator=((LABEL, ACCESS), ("muu", ACCESS))))
    assert unused.ok() and 'Nimeä "muu" (--map-indicator) ei ole tiedostossa; sitä ei tallenneta' in unused.notes
    assert _state(ref_con) == before


def test_a_sotkanet_id_mapped_once_is_an_alias_of_kind_sotkanet(ref_con):
    data = b"indicator;region;year;gender;primary value\n2676;978;2024;total;85\n2676;970;2024;total;80\n"
    report = ingest.load(ref_con, data, file_name="sotkanet.csv",
                         options=ingest.Options(map_indicator=(("2676", "hoitoonpaasy_pth_laakari_14vrk"),)))
    assert report.committed, _lines(report)
    assert _aliases(ref_con) == [("2676", "hoitoonpaasy_pth_laakari_14vrk", "sotkanet", report.load_id)]
    next_year = ingest.check(ref_con, data.replace(b"2024", b"2025"), file_name="sotkanet2025.csv")
    assert next_year.ok() and next_year.counts["new"] == 2


def test_map_option_form():
    assert aliases.parse_map_option([f"{LABEL}={ACCESS}", " a = b "]) == ((LABEL, ACCESS), ("a", "b"))
    with pytest.raises(aliases.MappingError, match='kirjoita muodossa "NIMI=ID"'):
        aliases.parse_map_option(["ilman yhtäsuuruusmerkkiä"])


def test_cli_map_indicator_checks_loads_and_the_next_file_needs_none(ref_path, capsys):
    assert cli.main(["check", str(MARCH), "--db", str(ref_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [u["name"] for u in report["unknown_indicators"]] == [LABEL]
    assert report["ignored_columns"] == []
    assert cli.main(["load", str(MARCH), "--db", str(ref_path), "--json",
                     "--map-indicator", f"{LABEL}={ACCESS}"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["load_id"] == 1 and report["counts"]["new"] == 4
    assert report["new_aliases"] == [{"alias": LABEL, "indicator_id": ACCESS, "alias_kind": "label"}]
    assert cli.main(["load", str(APRIL), "--db", str(ref_path)]) == 0
    out = capsys.readouterr().out
    assert "lataus 2" in out.lower() or "2" in out
    assert cli.main(["load", str(APRIL), "--db", str(ref_path), "--map-indicator", "ilman"]) == 2
    assert 'kirjoita muodossa "NIMI=ID"' in capsys.readouterr().err


# --- periods as real exports write them ----------------------------------------------------------

@pytest.mark.parametrize(("text", "start", "grain"), [
    ("2024 Maaliskuu", "2024-03-01", "month"),
    ("Maaliskuu 2024", "2024-03-01", "month"),
    ("maalis 2024", "2024-03-01", "month"),
    ("maaliskuuta 2024", "2024-03-01", "month"),
    ("mars 2024", "2024-03-01", "month"),
    ("March 2024", "2024-03-01", "month"),
    ("2024/03", "2024-03-01", "month"),
    ("2024 Q1", "2024-01-01", "quarter"),
    ("2024 1. neljännes", "2024-01-01", "quarter"),
    ("2024 3. vuosineljännes", "2024-07-01", "quarter"),
])
def test_period_forms_of_real_exports(text, start, grain):
    period = parse_period(text)
    assert period is not None and (period.start.isoformat(), period.grain) == (start, grain)


def test_every_period_form_loads_and_bad_ones_get_the_loaders_message(ref_con):
    forms = ["2024 Maaliskuu", "Huhtikuu 2024", "touko 2024", "juni 2024", "2024/07", "2024 Q3", "2024 4. neljännes"]
    data = "alue;ajanjakso;indikaattori;arvo\n" + "".join(f"HVA14;{p};t3_laakari;{i}\n" for i, p in enumerate(forms))
    report = ingest.check(ref_con, data.encode(), file_name="jaksot.csv")
    assert report.ok(), _lines(report)
    assert report.counts["new"] == len(forms)
    bad = "alue;ajanjakso;indikaattori;arvo\nHVA14;2024 13;t3_laakari;1\nHVA14;Maaliskuux 2024x;t3_laakari;1\n"
    report = ingest.check(ref_con, bad.encode(), file_name="huonot.csv")
    assert _lines(report) == [
        'rivi 2, sarake "ajanjakso": "2024 13" ei ole ajanjakso; odotettiin esim. 2024, 3/2024, 2024-03, 2024Q1, '
        '2024M03 tai 15.3.2024',
        'rivi 3, sarake "ajanjakso": "Maaliskuux 2024x" ei ole ajanjakso; odotettiin esim. 2024, 3/2024, 2024-03, '
        '2024Q1, 2024M03 tai 15.3.2024']


def test_weeks_load_as_weeks_now_that_the_database_has_a_weekly_grain(ref_con):
    # the weekly grain (tests/test_ingest_weeks.py): what this test once saw refused now loads at
    # its Mondays; a week the year does not have keeps a message of its own (that file)
    data = "alue;aika;indikaattori;arvo\nHVA14;Vuosi 2024 Viikko 05;t3_laakari;1\nHVA14;2024-W06;t3_laakari;2\n"
    report = ingest.load(ref_con, data.encode(), file_name="viikot.csv")
    assert report.committed, _lines(report)
    assert [r[1:] for r in _values(ref_con, "t3_laakari")] == [("2024-01-29", 1.0), ("2024-02-05", 2.0)]


# --- total rows --------------------------------------------------------------------------------

TOTALS = ("alue;kuukausi;indikaattori;arvo\n"
          "HVA14;3/2024;koulutukset_osallistujat;10\n"
          "Kaikki alueet;3/2024;koulutukset_osallistujat;120\n"
          "Yhteensä;4/2024;koulutukset_osallistujat;130\n"
          "HVA14;Kaikki ajat;koulutukset_osallistujat;300\n")


@pytest.mark.parametrize(("lang", "national", "over_time"), [
    ("fi", '2 yhteensä-riviä ("Kaikki alueet", "Yhteensä") luettiin koko maan lukuina',
     '1 koko ajan yhteensä-rivi ("Kaikki ajat") ohitettiin: se ei ole ajanjakso'),
    ("sv", '2 summarader ("Kaikki alueet", "Yhteensä") lästes som siffror för hela landet',
     '1 summarad över hela tiden ("Kaikki ajat") hoppades över: den är ingen period'),
    ("en", '2 total rows ("Kaikki alueet", "Yhteensä") were read as the whole country’s figures',
     '1 total row over all times ("Kaikki ajat") was skipped: it is not a period'),
])
def test_total_rows_are_the_national_figure_where_the_indicator_adds_up(ref_con, lang, national, over_time):
    report = ingest.load(ref_con, TOTALS.encode(), file_name="yhteensa.csv", lang=lang)
    assert report.committed, _lines(report)
    assert national in report.notes and over_time in report.notes
    assert report.counts["new"] == 3
    assert _values(ref_con, "koulutukset_osallistujat") == [
        ("FI", "2024-03-01", 120.0), ("FI", "2024-04-01", 130.0), ("HVA14", "2024-03-01", 10.0)]


def test_total_rows_a_region_analyst_may_not_load_as_national_are_skipped_and_counted(ref_con):
    """The shipped catalogue has no indicator that does not add up over units; the other way a
    total row is skipped is a user whose scope is one region (the whole country is not theirs)."""
    access.grant(ref_con, "analyst14@example.fi", "analyst", "region:14", by="admin@example.fi")
    scope = access.scope_for(ref_con, "analyst14@example.fi").loading()
    assert "FI" not in scope.unit_ids and "HVA14" in scope.unit_ids
    before = _state(ref_con)
    report = ingest.load(ref_con, TOTALS.encode(), file_name="yhteensa.csv", scope=scope, user="analyst14@example.fi")
    assert report.committed, _lines(report)
    assert '2 yhteensä-riviä ("Kaikki alueet", "Yhteensä") ohitettiin: indikaattoria ei lasketa yhteen yksiköiden ' \
           'yli, tai koko maan lukuja ei voi ladata tällä oikeudella' in report.notes
    assert report.counts["new"] == 1
    assert _values(ref_con, "koulutukset_osallistujat") == [("HVA14", "2024-03-01", 10.0)]
    assert _state(ref_con) != before


# --- headers and columns ---------------------------------------------------------------------------

def test_a_denominator_headed_without_diacritics_is_read_not_dropped(ref_con):
    """Before: `nimittaja` matched nothing, so the numerator loaded without its denominator and
    without a note."""
    data = (b"alue;kuukausi;indikaattori;arvo;osoittaja;nimittaja\n"
            b"HVA14;3/2024;hoitoonpaasy_pth_laakari_7vrk;50;50;100\n")
    report = ingest.load(ref_con, data, file_name="ilman_pisteita.csv")
    assert report.committed, _lines(report)
    assert report.ignored_columns == [] and not any("ei luettu" in note for note in report.notes)
    stored = sql.fetch(ref_con, "load/observation_rows")
    assert stored.select("numerator", "denominator").rows() == [(50.0, 100.0)]


def test_headers_match_without_diacritics_and_case(ref_con):
    data = (b"YKSIKKO;Ajanjakso;MITTARI;maara;Vastaajat\n"
            b"HVA14;2024;mk_palautuminen_pct;40;25\n")
    report = ingest.load(ref_con, data, file_name="isot.csv")
    assert report.committed, _lines(report)
    stored = sql.fetch(ref_con, "load/observation_rows")
    assert stored.select("unit_id", "value", "respondents").rows() == [("HVA14", 40.0, 25)]


def test_a_column_that_maps_to_nothing_is_named_in_the_plan_and_in_json(ref_path, tmp_path, capsys):
    path = tmp_path / "huom.csv"
    path.write_text("alue;kuukausi;indikaattori;arvo;huomautus;lähde\n"
                    "HVA14;3/2024;t3_laakari;12;tarkistettu;oma järjestelmä\n", encoding="utf-8")
    assert cli.main(["check", str(path), "--db", str(ref_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ignored_columns"] == ["huomautus", "lähde"]
    assert '2 saraketta ei luettu, koska niitä ei tunnistettu: "huomautus", "lähde"' in report["notes"]
    assert cli.main(["check", str(path), "--db", str(ref_path), "--lang", "en"]) == 0
    assert '2 columns were not read, as they were not recognised: "huomautus", "lähde"' in capsys.readouterr().out


def test_the_apps_own_export_name_columns_need_no_word(ref_con):
    data = ("indikaattori;indikaattorin nimi;yksikkö;yksikön nimi;ajanjakso;arvo\n"
            "t3_laakari;T3 lääkäri;HVA14;Pohjois-Karjala;3/2024;12\n").encode()
    report = ingest.check(ref_con, data, file_name="vienti.csv")
    assert report.ok() and report.ignored_columns == []


def test_a_free_column_title_of_a_wide_file_is_mapped_as_a_column_alias(ref_con):
    data = "alue;kuukausi;Lääkärin T3 (pv);Ylityöt h/hlö\nHVA14;3/2024;12;4,5\nHVA15;3/2024;9;3,0\n".encode()
    report = ingest.check(ref_con, data, file_name="hr.csv")
    assert {u["name"] for u in report.unknown_indicators} == {"Lääkärin T3 (pv)", "Ylityöt h/hlö"}
    mapped = ingest.Options(map_indicator=(("Lääkärin T3 (pv)", "t3_laakari"), ("Ylityöt h/hlö", "ylityot_h_hlo_kk")))
    report = ingest.load(ref_con, data, file_name="hr.csv", options=mapped)
    assert report.committed, _lines(report)
    assert _aliases(ref_con) == [("Lääkärin T3 (pv)", "t3_laakari", "column", report.load_id),
                                 ("Ylityöt h/hlö", "ylityot_h_hlo_kk", "column", report.load_id)]
    assert ingest.check(ref_con, data.replace(b"3/2024", b"4/2024"), file_name="hr2.csv").counts["new"] == 4


def test_the_indicator_in_period_headers_is_listed_once_and_mapped(ref_con):
    data = "Terveysasema;Lääkäri T3 mediaani 1/2024;Lääkäri T3 mediaani 2/2024\nHVA14;12;10\n".encode()
    report = ingest.check(ref_con, data, file_name="t3.csv")
    assert report.unknown_indicators == [{"name": "Lääkäri T3 mediaani", "column": None, "rows": 1, "first_row": None,
                                          "closest": report.unknown_indicators[0]["closest"]}]
    assert report.unknown_indicators[0]["closest"][0] == "t3_laakari"
    report = ingest.check(ref_con, data, file_name="t3.csv",
                          options=ingest.Options(map_indicator=(("Lääkäri T3 mediaani", "t3_laakari"),)))
    assert report.ok() and report.counts["new"] == 2, _lines(report)
    assert report.new_aliases == [{"alias": "Lääkäri T3 mediaani", "indicator_id": "t3_laakari", "alias_kind": "column"}]


def test_the_undo_preview_counts_the_aliases_the_load_saved(ref_con):
    report = ingest.load(ref_con, MARCH, options=MAPPED)
    assert report.committed
    preview = ingest.undo_preview(ref_con, report.load_id)
    assert preview.aliases == 1
    assert "Myös 1 lataukseen tallennettu mittarin nimi (alias) unohdetaan." in preview.text("fi")
