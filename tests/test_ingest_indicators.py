"""The catalogue as loads (`vetopito/ingest/indicators.py`): the `indicators` and
`definition_changes` formats, good and bad files with their exact errors and an unchanged
database, meaning changes refused while values exist, exact undo through `history.TRACKED`,
migration 016 on a database at schema 015, and the export → load round trip (a property test)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import examples, sql
from tests.test_ingest_history import snapshot
from vetopito import catalog, db, ingest
from vetopito.ingest import catalogue_form, history, indicators

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def con(reference_db_path, stores):
    connection = db.connect(stores.copy(reference_db_path, "catalogue"))
    yield connection
    connection.close()


def _lines(report, lang):
    return [e.line(lang) for e in report.errors]


def test_the_shipped_catalogue_reads_as_an_indicators_file_with_nothing_to_change(con):
    report = ingest.check(con, catalog.REFERENCE / "indicators.csv")
    assert report.detected["format"] == "indicators"
    assert report.errors == []
    assert report.counts == {"rows": 24, "new": 0, "changed": 0, "unchanged": 24, "rejected": 0}


def test_a_good_file_with_finnish_headers_creates_its_indicators(con):
    report = ingest.load(con, FIXTURES / "indicators_good.csv", user="analyst@test")
    assert report.committed, _lines(report, "en")
    assert report.detected["format"] == "indicators"
    assert report.counts == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0, "rejected": 0}
    overtime = catalog.indicator(con, "ylityotunnit_hlo_kk")
    assert (overtime["unit"], overtime["direction"], overtime["aggregation"], overtime["decimals"]) == (
        "hours_per_person_month", "lower", "mean", 1)
    assert (overtime["name_sv"], overtime["name_sv_given"]) == ("Övertidstimmar / person / mån", True)
    # a missing English name falls back to the Finnish one, marked as such
    assert (overtime["name_en"], overtime["name_en_given"]) == ("Ylityötunnit / hlö / kk", False)
    assert (overtime["min_persons"], overtime["min_respondents"], overtime["sort_order"]) == (5, None, 500)
    pair = catalog.indicator(con, "tyopari_sujuu_pct")
    assert (pair["unit"], pair["aggregation"], pair["min_respondents"], pair["name_sv_given"]) == (
        "pct", "ratio", 10, False)
    chat = catalog.indicator(con, "chat_per_1000")
    assert (chat["unit"], chat["direction"], chat["aggregation"], chat["theme"]) == (
        "per_1000", "neutral", "sum", "access")
    seasonal = dict(sql.fetch(con, "catalog/indicator_seasonality").rows())
    assert (seasonal["ylityotunnit_hlo_kk"], seasonal["tyopari_sujuu_pct"]) == (False, True)
    loads = ingest.loads(con)
    assert loads["format"][0] == "indicators"
    # loading the same file again changes nothing
    again = ingest.load(con, FIXTURES / "indicators_good.csv", user="analyst@test")
    assert not again.committed and again.already_loaded


BAD_FI = [
    'rivi 2, sarake "id": "Ylityö" ei kelpaa mittarin tunnukseksi; odotettiin pieniä kirjaimia a–z, numeroita '
    'ja alaviivoja, alussa kirjain, enintään 63 merkkiä (esim. hoitoonpaasy_7vrk)',
    'rivi 3, sarake "name_fi": arvo puuttuu; tämä sarake on pakollinen',
    'rivi 3, sarake "source": arvo puuttuu; tämä sarake on pakollinen',
    'rivi 3, sarake "unit": "parsecs" ei ole sallittu yksikkö; sallitut: %, päivää, lukumäärä, h/hlö/kk (tuntia '
    'henkilöä kohden kuukaudessa), pv/htv (päivää henkilötyövuotta kohden), 1 000 kohden, pistettä, kyllä/ei',
    'rivi 3, sarake "direction": "down" ei ole sallittu suunta; sallitut: suurempi (higher), pienempi (lower), '
    'ei suuntaa (neutral)',
    'rivi 3, sarake "aggregation": "median" ei ole sallittu yhteenlasku; sallitut: summien suhde (ratio), summa '
    '(sum), keskiarvo (mean), ei (none)',
    'rivi 3, sarake "seasonal": "maybe" ei kelpaa; odotettiin kyllä tai ei',
    'rivi 3, sarake "decimals": "4" ei kelpaa desimaalien määräksi; odotettiin kokonaislukua 0–3',
    'rivi 3, sarake "min_persons": "0" ei kelpaa vähimmäismääräksi; odotettiin kokonaislukua 1 tai suurempaa, '
    'tai tyhjää',
    'rivi 3, sarake "sort_order": "x" ei ole kokonaisluku; odotettiin kokonaislukua tai tyhjää',
    'rivi 4, sarake "id": "ok_one" on jo rivillä 3; kukin mittari (tai muutos) kerran',
    'rivi 5, sarake "id": "ok_one" on jo rivillä 3; kukin mittari (tai muutos) kerran',
]
BAD_EN = [
    'row 2, column "id": "Ylityö" is not a valid indicator id; expected lower-case letters a–z, digits and '
    'underscores, starting with a letter, at most 63 characters (e.g. hoitoonpaasy_7vrk)',
    'row 3, column "name_fi": the value is missing; this column is required',
    'row 3, column "source": the value is missing; this column is required',
    'row 3, column "unit": "parsecs" is not an allowed unit; allowed: %, days, count, hours per person per month, '
    'days per person-year, rate per 1 000, score, yes/no',
    'row 3, column "direction": "down" is not an allowed direction; allowed: higher, lower, neutral',
    'row 3, column "aggregation": "median" is not an allowed aggregation; allowed: ratio of sums (ratio), sum, '
    'mean, none',
    'row 3, column "seasonal": "maybe" is not valid; expected yes or no',
    'row 3, column "decimals": "4" is not a valid number of decimals; expected a whole number 0–3',
    'row 3, column "min_persons": "0" is not a valid minimum; expected a whole number of 1 or more, or empty',
    'row 3, column "sort_order": "x" is not a whole number; expected a whole number or empty',
    'row 4, column "id": "ok_one" is already on row 3; each indicator (or change) once',
    'row 5, column "id": "ok_one" is already on row 3; each indicator (or change) once',
]


@pytest.mark.parametrize(("lang", "expected"), [("fi", BAD_FI), ("en", BAD_EN)])
def test_a_bad_indicators_file_names_every_cell_and_changes_nothing(con, lang, expected):
    before = snapshot(con)
    report = ingest.load(con, FIXTURES / "indicators_bad.csv", lang=lang)
    assert not report.committed
    assert report.counts["rejected"] == 4
    assert _lines(report, lang) == expected
    assert snapshot(con) == before
    assert ingest.loads(con).is_empty()


def _observation(con, indicator_id: str, value: str = "12,5"):
    csv = f"indikaattori;alue;ajanjakso;arvo\n{indicator_id};Pohjois-Karjala;2024-03;{value}\n"
    return ingest.load(con, csv.encode(), file_name="value.csv", user="analyst@test")


def test_a_meaning_change_is_refused_while_values_exist_and_allowed_before(con):
    good = FIXTURES / "indicators_good.csv"
    assert ingest.load(con, good).committed
    text = good.read_text(encoding="utf-8")
    changed = text.replace(";h/hlö/kk;pienempi;1;keskiarvo;", ";pv/htv;suurempi;1;summa;")
    # no values yet: the unit, direction and aggregation may still change
    first = ingest.load(con, changed.encode(), file_name="changed.csv")
    assert first.committed and first.counts["changed"] == 1
    assert ingest.undo(con, first.load_id, user="t").removed == 0
    assert _observation(con, "ylityotunnit_hlo_kk").committed
    before = snapshot(con)
    for lang, expected in (
        ("fi", ['rivi 2, sarake "yksikkö": mittarille on jo ladattu arvoja, joten "hours_per_person_month" ei voi '
                'muuttua arvoksi "pv/htv" (se muuttaisi ladattujen arvojen merkityksen); lisää päivätty '
                'määritelmän muutos tai uusi mittari',
                'rivi 2, sarake "yhteenlasku": mittarille on jo ladattu arvoja, joten "mean" ei voi muuttua '
                'arvoksi "summa" (se muuttaisi ladattujen arvojen merkityksen); lisää päivätty määritelmän '
                'muutos tai uusi mittari',
                'rivi 2, sarake "suunta": mittarille on jo ladattu arvoja, joten "lower" ei voi muuttua arvoksi '
                '"suurempi" (se muuttaisi ladattujen arvojen merkityksen); lisää päivätty määritelmän muutos '
                'tai uusi mittari']),
        ("sv", ['rad 2, kolumn "yksikkö": mätaren har redan inlästa värden, så "hours_per_person_month" kan inte '
                'ändras till "pv/htv" (det skulle ändra de inlästa värdenas betydelse); lägg till en daterad '
                'definitionsändring eller en ny mätare',
                'rad 2, kolumn "yhteenlasku": mätaren har redan inlästa värden, så "mean" kan inte ändras till '
                '"summa" (det skulle ändra de inlästa värdenas betydelse); lägg till en daterad '
                'definitionsändring eller en ny mätare',
                'rad 2, kolumn "suunta": mätaren har redan inlästa värden, så "lower" kan inte ändras till '
                '"suurempi" (det skulle ändra de inlästa värdenas betydelse); lägg till en daterad '
                'definitionsändring eller en ny mätare']),
    ):
        report = ingest.load(con, changed.encode(), file_name="changed.csv", lang=lang)
        assert not report.committed
        assert _lines(report, lang) == expected
        assert snapshot(con) == before
    # a name or a source may still change
    renamed = text.replace("Alueen HR-järjestelmä", "Alueen HR-järjestelmä (Sarastia)")
    assert ingest.load(con, renamed.encode(), file_name="renamed.csv").committed


def test_an_undo_puts_the_catalogue_back_exactly(con):
    states = [snapshot(con)]
    loads = []
    good = (FIXTURES / "indicators_good.csv").read_text(encoding="utf-8")
    shipped = (catalog.REFERENCE / "indicators.csv").read_text(encoding="utf-8")
    files = [
        good,
        # edits a created indicator and a shipped one (a seed row with no detail or history yet)
        good.replace("Alueen HR-järjestelmä", "HR"),
        shipped.replace("Hoitoonpääsy: lääkäri 7 vrk,", "Hoitoonpääsy: lääkäri 7 vrk (muokattu),", 1)
        .replace(",access,pct,higher,1,ratio,,", ",access,count,higher,2,sum,,", 1),
        (FIXTURES / "definition_changes_good.csv").read_text(encoding="utf-8"),
    ]
    for n, text in enumerate(files):
        report = ingest.load(con, text.encode(), file_name=f"load{n}.csv", user="t")
        assert report.committed, _lines(report, "en")
        loads.append(report.load_id)
        states.append(snapshot(con))
    assert catalog.indicator(con, "hoitoonpaasy_pth_laakari_7vrk")["unit"] == "count"
    with pytest.raises(ingest.UndoBlocked):
        ingest.undo(con, loads[0], user="t")
    for index in reversed(range(len(loads))):
        ingest.undo(con, loads[index], user="t")
        assert snapshot(con) == states[index], f"undo of load {loads[index]}"
    assert catalog.indicator(con, "ylityotunnit_hlo_kk") is None


def test_an_indicator_with_values_cannot_be_undone_before_them(con):
    created = ingest.load(con, FIXTURES / "indicators_good.csv")
    value = _observation(con, "chat_per_1000", "3,5")
    assert value.committed
    with pytest.raises(ingest.UndoBlocked):
        ingest.undo(con, created.load_id, user="t")
    ingest.undo(con, value.load_id, user="t")
    ingest.undo(con, created.load_id, user="t")
    assert catalog.indicator(con, "chat_per_1000") is None


def test_the_tracked_list_names_the_catalogue_tables():
    assert {"indicator", "indicator_detail", "indicator_seasonality", "indicator_definition_change"} <= {
        t.table for t in history.TRACKED}


def test_a_definition_change_file_loads_and_bad_dates_and_indicators_are_named(con):
    report = ingest.load(con, FIXTURES / "definition_changes_good.csv")
    assert report.committed and report.detected["format"] == "definition_changes"
    changes = catalog.definition_changes(con, "t3_laakari")
    assert changes.filter(changes["valid_from"].cast(str) == "2025-01-01").height == 1
    before = snapshot(con)
    bad = b"mittari;voimassa alkaen;muutos_fi\nt3_laakri;2025;Muutos\nt3_laakari;;\n"
    report = ingest.load(con, bad, file_name="bad.csv", lang="fi")
    lines = _lines(report, "fi")
    assert lines[0].startswith('rivi 2, sarake "mittari": tuntematon indikaattori "t3_laakri"; lähimmät tunnetut: ')
    assert lines[1:] == [
        'rivi 2, sarake "voimassa alkaen": "2025" ei ole päivämäärä; odotettiin esim. 1.9.2023 tai 2023-09-01',
        'rivi 3, sarake "voimassa alkaen": arvo puuttuu; tämä sarake on pakollinen',
        'rivi 3, sarake "muutos_fi": arvo puuttuu; tämä sarake on pakollinen',
    ]
    assert snapshot(con) == before


def test_migration_016_brings_a_database_at_schema_015_in_without_changing_a_value(tmp_path, monkeypatch):
    path = tmp_path / "at015.duckdb"
    every = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: every[:15])   # the code before 016 writes a file at 015
    con = db.connect(path)
    catalog.ensure_reference(con)
    assert _observation(con, "t3_laakari", "14").committed
    assert db.schema_version(con) == 15
    assert db.fetch(con, "meta/has_table", table_name="indicator_detail").is_empty()
    before = snapshot(con)
    con.close()
    monkeypatch.setattr(db, "migrations", lambda: every[:18])   # to 018 (the keyless 019 rebuilds tables)
    con = db.connect(path)  # migrates (016, and 017 and 018, which the code needs)
    try:
        assert db.schema_version(con) == 18
        after = snapshot(con)
        new_tables = {"indicator_detail", "indicator_history", "indicator_detail_history",
                      "indicator_seasonality_history", "indicator_definition_change_history",
                      "indicator_scope", "indicator_scope_history"}   # 017: whose an indicator is
        assert new_tables <= set(after) - set(before)
        assert {name: after[name] for name in before} == before
        assert all(after[table] == [] for table in set(after) - set(before))
        shown = catalog.indicators(con)
        shipped = dict(zip(catalog.indicator_frame()["id"], catalog.indicator_frame()["unit"], strict=True))
        assert shown["unit"].to_list() == [shipped[i] for i in shown["id"].to_list()]
        assert shown["name_sv_given"].all() and shown["min_respondents"].null_count() == shown.height
        # the shipped catalogue is unchanged there, and a catalogue load commits and undoes exactly
        assert ingest.check(con, catalog.REFERENCE / "indicators.csv").counts["unchanged"] == 24
        report = ingest.load(con, FIXTURES / "indicators_good.csv")
        assert report.committed
        ingest.undo(con, report.load_id, user="t")
        assert {name: rows for name, rows in snapshot(con).items()} == after
    finally:
        con.close()


# --- export → load round trip ------------------------------------------------------------------------

_TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"),
                                       exclude_characters="\u2028\u2029\u00a0\u3000"),
                min_size=1, max_size=30).map(str.strip).filter(bool)
_OPTIONAL = st.none() | _TEXT


@st.composite
def indicator_rows(draw):
    return {
        "id": draw(st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True).filter(
            lambda s: s not in set(catalog.indicator_frame()["id"]))),
        "name_fi": draw(_TEXT | _TEXT.map(lambda text: "=" + text)), "name_sv": draw(_OPTIONAL), "name_en": draw(_OPTIONAL),
        "short_fi": draw(_OPTIONAL), "short_sv": draw(_OPTIONAL), "short_en": draw(_OPTIONAL),
        "theme": draw(st.sampled_from(indicators.THEMES)),
        "unit": draw(st.sampled_from(indicators.UNIT_CODES)),
        "direction": draw(st.sampled_from(indicators.DIRECTIONS)),
        "decimals": str(draw(st.integers(0, 3))),
        "aggregation": draw(st.sampled_from(indicators.AGGREGATIONS)),
        "min_persons": draw(st.none() | st.integers(1, 50).map(str)),
        "min_respondents": draw(st.none() | st.integers(1, 50).map(str)),
        "definition_fi": draw(_OPTIONAL), "definition_sv": draw(_OPTIONAL), "definition_en": draw(_OPTIONAL),
        "source": draw(_TEXT), "licence": draw(_OPTIONAL),
        "sotkanet_id": draw(st.none() | st.integers(0, 99999).map(str)),
        "sort_order": str(draw(st.integers(-1000, 100000))),
        "seasonal": draw(st.sampled_from(("yes", "no"))),
        # whose it is (issue 11 item 2): national, or a region's own (a team's own: tests/test_indicator_scope.py)
        **draw(st.sampled_from(({"scope_kind": "national", "scope_value": None},
                                {"scope_kind": "region", "scope_value": "HVA14"},
                                {"scope_kind": "region", "scope_value": "HVA90"}))),
    }


@settings(max_examples=examples.on_store(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=indicator_rows())
def test_any_accepted_indicator_round_trips_through_export_and_load(reference_db_path, session_stores, row):
    con = db.connect(session_stores.copy(reference_db_path, "roundtrip"))
    try:
        csv = catalogue_form.form_csv(row)   # the file the catalogue page's form makes of its fields
        report = ingest.load(con, csv, file_name="one.csv")
        assert report.committed, _lines(report, "en")
        exported = catalogue_form.export_rows(con)
        mine = exported.filter(pl.col("id") == row["id"]).row(0, named=True)
        assert mine == row
        again = ingest.check(con, catalogue_form.export_csv(con), file_name="export.csv")
        assert again.errors == []
        assert (again.counts["new"], again.counts["changed"]) == (0, 0)
    finally:
        con.close()


def test_the_demo_database_holds_the_shipped_catalogue_as_its_first_load(demo_con):
    loads = ingest.loads(demo_con).sort("load_id")
    first = loads.row(0, named=True)
    assert (first["format"], first["file_name"], first["is_demo"], first["n_new"]) == (
        "indicators", "indicators.csv", True, 24)
    shipped = catalog.indicator_frame()
    stored = catalog.indicators(demo_con)
    for column in ("id", "name_fi", "name_sv", "name_en", "unit", "direction", "aggregation", "source"):
        assert stored.sort("id")[column].to_list() == shipped.sort("id")[column].to_list(), column
    assert stored.sort("id")["decimals"].cast(str).to_list() == shipped.sort("id")["decimals"].to_list()


def test_the_catalogue_demo_load_is_not_offered_for_undo_once_real_data_is_loaded(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        assert _observation(con, "t3_laakari", "17").committed      # a real load
        offered = ingest.undo_choices(con)["load_id"].to_list()
        catalogue = ingest.loads(con).filter(pl.col("format") == "indicators")["load_id"].to_list()
        assert catalogue and not set(catalogue) & set(offered)
    finally:
        con.close()


def test_vetopito_export_catalogue_writes_a_file_that_loads_back_with_nothing_to_change(
        reference_db_path, stores, tmp_path, capsys):
    from vetopito import cli

    db_file = stores.copy(reference_db_path, "catalogue")
    con = db.connect(db_file)
    assert ingest.load(con, FIXTURES / "indicators_good.csv").committed
    con.close()
    out = tmp_path / "mittarit.csv"
    assert cli.main(["export", "catalogue", "--db", str(db_file), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (27 indicators)"
    again = db.connect(db_file)
    try:
        report = ingest.check(again, out)
        assert report.errors == []
        assert report.counts == {"rows": 27, "new": 0, "changed": 0, "unchanged": 27, "rejected": 0}
    finally:
        again.close()


def test_the_upload_pages_table_of_changes_names_each_indicator(con):
    from vetopito.ingest import report_view as present

    report = ingest.check(con, FIXTURES / "indicators_good.csv", surface="page")
    view = present.changes_view(report, lang="fi", con=con)
    assert view.select("row", "status", "indicator", "unit", "new").rows() == [
        (2, "new", "ylityotunnit_hlo_kk", None, "Ylityötunnit / hlö / kk"),
        (3, "new", "tyopari_sujuu_pct", None, "Työparityöskentely sujuu"),
        (4, "new", "chat_per_1000", None, "Chat-yhteydenotot 1 000 asukasta kohden"),
    ]


def test_a_column_the_catalogue_has_no_field_for_is_named_in_a_note(con):
    text = "id,name_fi,theme,unit,direction,decimals,aggregation,source,omistaja\nx_one,X,access,%,higher,1,ratio,HR,Liisa\n"
    report = ingest.check(con, text.encode(), file_name="x.csv", lang="fi")
    assert report.errors == []
    assert report.notes == ['näitä sarakkeita ei lueta (mittariluettelossa ei ole niille kenttää): "omistaja"']
    shipped = ingest.check(con, catalog.REFERENCE / "indicator_definition_changes.csv", lang="en")
    assert shipped.notes[0] == 'these columns are not read (the catalogue has no field for them): "source"'


def test_the_catalogue_export_neutralises_formula_like_cells_and_loads_back_unchanged(reference_db_path,
                                                                                     session_stores):
    con = db.connect(session_stores.copy(reference_db_path, "neutralised"))
    try:
        row = ("id,name_fi,theme,unit,direction,decimals,aggregation,source\n"
               'kaava,"=HYPERLINK(""http://x"")",access,pct,higher,1,ratio,@lähde\n')
        assert ingest.load(con, row.encode(), file_name="k.csv").committed
        exported = catalogue_form.export_csv(con).decode()
        assert "'=HYPERLINK" in exported and ",'@lähde," in exported
        again = ingest.check(con, exported.encode(), file_name="export.csv")
        assert again.errors == [] and (again.counts["new"], again.counts["changed"]) == (0, 0)
        assert catalog.indicator(con, "kaava")["name_fi"] == '=HYPERLINK("http://x")'
    finally:
        con.close()


def test_a_new_database_gets_the_shipped_catalogue_as_loads_and_keeps_its_edits_when_the_file_changes(empty_con):
    first = ingest.load(empty_con, b"indicator,unit,period,value\nt3_laakari,HVA14,2024-03,5\n", file_name="v.csv")
    assert first.committed
    loads = ingest.loads(empty_con).sort("load_id")
    assert loads["format"].to_list() == ["indicators", "definition_changes", "observations"]
    assert loads["user_name"].to_list()[:2] == ["reference", "reference"] and not loads["is_demo"].any()
    edit = ("id,name_fi,theme,unit,direction,decimals,aggregation,source,short_fi\n"
            "t3_laakari,T3 lääkäri,access,days,lower,0,mean,THL,T3 (oma)\n")
    stored = catalog.indicator(empty_con, "t3_laakari")
    edit = edit.replace("T3 lääkäri,", f"{stored['name_fi']},").replace(",THL,", f",{stored['source']},")
    assert ingest.load(empty_con, edit.encode(), file_name="e.csv").committed
    db.set_meta(empty_con, catalog.META_KEY, "a shipped file of an older release")   # the shipped files changed
    assert ingest.load(empty_con, b"indicator,unit,period,value\nt3_laakari,HVA14,2024-04,6\n",
                       file_name="w.csv").committed
    assert catalog.indicator(empty_con, "t3_laakari")["short_fi"] == "T3 (oma)"   # the analyst's edit stays
    assert ingest.loads(empty_con).height == 5   # and no second seed
