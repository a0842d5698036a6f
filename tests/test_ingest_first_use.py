"""One message per problem, the page's own words for the options,
suggestions in the user's language, a deliberate undo (confirmation, no demo loads offered on a
database with real data) and the change table at full precision where display rounding hides a
difference."""

from __future__ import annotations

import io
import re
import sys

import pytest

from tests.apptest_helpers import app_test, reference_db, upload
from vetopito import catalog, cli, db, i18n, ingest, text
from vetopito.ingest import report_view as present

SOTKANET_UNMAPPED = b"indicator;region;year;gender;primary value\n" + b"".join(
    b"4123;%d;2024;total;85\n" % region for region in (978, 970, 971, 972))
EVERY_ROW_LINE = ('sarake "indicator": kaikki 4 riviä: Sotkanet-indikaattoria 4123 ei ole liitetty mihinkään '
                  'luettelon indikaattoriin (luettelon Sotkanet-tunnukset: –): kerro, mitä indikaattoria tiedosto '
                  'koskee, kohdassa Lisävalinnat → Indikaattori (esim. hoitoonpaasy_pth_laakari_7vrk)')
OPTION_NAME = re.compile(r"--[a-z]")


@pytest.fixture
def ref_con(empty_con):
    catalog.ensure_reference(empty_con)
    return empty_con


@pytest.fixture
def page_db(tmp_path, app_env):
    return app_env(reference_db(tmp_path / "page.duckdb"))


def _page_texts(at) -> list[str]:
    """Every text the page shows: alerts, captions, markdown, labels, table cells."""
    texts = [e.value for kind in (at.error, at.warning, at.info, at.success, at.caption, at.markdown, at.title,
                                  at.subheader) for e in kind]
    texts += [m.label for m in at.metric] + [b.label for b in at.button] + [w.label for w in at.text_input]
    for table in [*at.table, *at.dataframe]:
        frame = table.value
        texts += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return texts


# --- one message per problem ---------------------------------------------------------------------

def test_a_problem_of_every_row_is_one_file_level_message(ref_con):
    report = ingest.check(ref_con, SOTKANET_UNMAPPED, file_name="sotkanet.csv", surface="page")
    assert [p.line() for p in report.errors] == [EVERY_ROW_LINE]
    assert report.error_total == 1 and report.errors[0].row is None
    assert report.counts["rejected"] == 4  # every row is still refused


def test_a_problem_of_some_rows_stays_one_line_per_row(ref_con):
    raw = b"indicator;unit;period;value\nt3_laakari;HVA15;2024;3\nt3_laakari;HVA99;2024;3\nt3_laakari;HVA98;2024;3\n"
    report = ingest.check(ref_con, raw, file_name="x.csv")
    assert [p.row for p in report.errors] == [3, 4]


def test_command_line_keeps_its_option_names(ref_con):
    line = ingest.check(ref_con, SOTKANET_UNMAPPED, file_name="sotkanet.csv").errors[0].line()
    assert line.startswith('sarake "indicator": kaikki 4 riviä: ') and "--indicator" in line


def test_messages_the_page_uses_have_a_variant_without_option_names():
    for key, texts in i18n.catalogue().items():
        if not key.startswith("ingest.") or key.startswith("ingest.cli.") or key.endswith(".page"):
            continue
        if any(OPTION_NAME.search(text) for text in texts.values()):
            assert i18n.has_text(f"{key}.page"), key
            page = i18n.catalogue()[f"{key}.page"]
            assert not any(OPTION_NAME.search(text) for text in page.values()), key


def test_upload_page_shows_one_message_and_no_option_names(page_db):
    at = app_test("upload")
    upload(at, "sotkanet.csv", SOTKANET_UNMAPPED)
    assert not at.exception
    problems = at.table[0].value
    assert problems["ongelma"].tolist() == [EVERY_ROW_LINE.split(": ", 1)[1]]  # the table has its own column
    texts = _page_texts(at)
    assert not [text for text in texts if OPTION_NAME.search(text)]
    at.text_input(key="upload_indicator").set_value("hoitoonpaasy_pth_laakarit").run()
    texts = _page_texts(at)
    assert any('Lisävalintojen indikaattori "hoitoonpaasy_pth_laakarit"' in text for text in texts)
    assert not [text for text in texts if OPTION_NAME.search(text)]
    assert "Indikaattori" in at.table[0].value["sarake"].tolist()  # the page's control, not `--indicator`


@pytest.mark.parametrize(("lang", "shown", "hidden"), [
    ("fi", "Pohjois-Savo", "Norra Savolax"),
    ("sv", "Norra Savolax", "Pohjois-Savo"),
    ("en", "North Savo", "Norra Savolax"),
])
def test_unit_suggestions_are_in_the_users_language(ref_con, lang, shown, hidden):
    raw = b"indicator;unit;period;value\nt3_laakari;Norra Savola;2024;3\n"
    line = ingest.check(ref_con, raw, file_name="x.csv", lang=lang).errors[0].line(lang)
    closest = line.rsplit(": ", 1)[1]
    assert closest.split(", ")[0] == shown and hidden not in closest


def test_indicator_suggestions_name_the_indicator_in_the_users_language(ref_con):
    raw = "indicator;unit;period;value\nHoitoonpääsy: läkare 7 dygnn;HVA15;2024;3\n".encode()
    fi = ingest.check(ref_con, raw, file_name="x.csv", lang="fi").errors[0].line("fi")
    assert "hoitoonpaasy_pth_laakari_7vrk (Hoitoonpääsy: lääkäri 7 vrk)" in fi and "läkare" not in fi.split(";")[1]
    en = ingest.check(ref_con, raw, file_name="x.csv", lang="en").errors[0].line("en")
    assert "hoitoonpaasy_pth_laakari_7vrk (Access to care: doctor within 7 days)" in en


# --- undo is deliberate ----------------------------------------------------------------------------

TWO_VALUES = b"indicator,unit,period,value\nt3_laakari,HVA15,2024,3\nt3_laakari,HVA14,2024,4\n"


def _state(path):
    con = db.connect(path)
    try:
        return db.row_counts(con), db.data_version(con), db.run(con, "load/loads")["status"].to_list()
    finally:
        con.close()


def _loaded(path, data: bytes, name: str, **kwargs) -> int:
    con = db.connect(path)
    try:
        return ingest.load(con, data, file_name=name, user="ana@example.fi", **kwargs).load_id
    finally:
        con.close()


def _dialog_text(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_undo_asks_first_and_cancel_changes_nothing(page_db):
    _loaded(page_db, TWO_VALUES, "kaksi_arvoa.csv")
    before = _state(page_db)
    at = app_test("upload")
    at.button(key="undo_button").click().run()
    assert not at.exception
    text = _dialog_text(at)
    assert "Lataus 1 (kaksi_arvoa.csv, ladattu " in text and "käyttäjä ana@example.fi" in text
    assert "2 arvoa poistetaan ja 0 arvoa palautetaan aiempaan" in text
    assert _state(page_db) == before  # asking counts nothing in and writes nothing
    at.button(key="undo_cancel").click().run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "undo_confirm"]  # the dialog is gone
    assert not at.success
    assert _state(page_db) == before
    at.run()  # a later rerun does not bring the dialog back
    assert not [b for b in at.button if b.key == "undo_confirm"]


def test_undo_confirmed_undoes_and_names_what_it_restores(page_db):
    _loaded(page_db, TWO_VALUES, "a.csv")
    _loaded(page_db, b"indicator,unit,period,value\nt3_laakari,HVA15,2024,5\n", "b.csv")
    at = app_test("upload")
    assert at.selectbox(key="undo_choice").value == 2
    at.button(key="undo_button").click().run()
    assert "0 arvoa poistetaan ja 1 arvo palautetaan aiempaan" in _dialog_text(at)
    at.button(key="undo_confirm").click().run()
    assert not at.exception
    assert any("Lataus 2 (b.csv) peruttu" in s.value for s in at.success)
    assert _state(page_db)[2] == ["undone", "committed"]


def test_undo_dialog_shows_a_file_name_as_written(page_db):
    _loaded(page_db, TWO_VALUES, "**lihavoitu**<b>.csv")
    at = app_test("upload")
    at.button(key="undo_button").click().run()
    assert text.escape_markdown("**lihavoitu**<b>.csv") in _dialog_text(at)  # the one escaping of data text


def test_demo_loads_are_not_offered_for_undo_once_real_data_is_loaded(demo_db_copy, app_env):
    app_env(demo_db_copy)
    at = app_test("upload")
    demo_ids = at.selectbox(key="undo_choice").options
    assert demo_ids  # a demo database alone: its loads can be undone (nothing real depends on them)
    real = _loaded(demo_db_copy, b"indicator,unit,period,value\nt3_laakari,HVA15,2019-01,3\n", "oikea.csv")
    at = app_test("upload")
    assert at.selectbox(key="undo_choice").options == [f"{real}: oikea.csv"]


class _Terminal(io.StringIO):
    """Standard input as a terminal where the user types `answer`."""

    def isatty(self) -> bool:
        return True


def _cli_db(tmp_path):
    path = tmp_path / "cli.duckdb"
    con = db.connect(path)
    catalog.ensure_reference(con)
    ingest.load(con, TWO_VALUES, file_name="kaksi.csv", user="ana@example.fi")
    con.close()
    return path


def test_cli_undo_refuses_without_yes_when_stdin_is_not_a_terminal(tmp_path, capsys):
    path = _cli_db(tmp_path)
    before = _state(path)
    assert cli.main(["undo", "1", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Lataus 1 (kaksi.csv, ladattu " in err and "2 arvoa poistetaan" in err and "--yes" in err
    assert _state(path) == before
    assert cli.main(["undo", "1", "--db", str(path), "--yes"]) == 0
    assert _state(path)[2] == ["undone"]


def test_cli_undo_asks_at_a_terminal(tmp_path, capsys, monkeypatch):
    path = _cli_db(tmp_path)
    before = _state(path)
    monkeypatch.setattr(sys, "stdin", _Terminal("\n"))
    assert cli.main(["undo", "1", "--db", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Lataus 1 (kaksi.csv" in out and "Latausta 1 ei peruttu; mitään ei muutettu." in out
    assert _state(path) == before
    monkeypatch.setattr(sys, "stdin", _Terminal("k\n"))
    assert cli.main(["undo", "1", "--db", str(path)]) == 0
    assert "Lataus 1 (kaksi.csv) peruttu" in capsys.readouterr().out
    assert _state(path)[2] == ["undone"]


# --- the change table at full precision where rounding hides a change -------------------------------

PCT = "hoitoonpaasy_pth_laakari_7vrk"  # a percentage shown with 1 decimal


def test_change_table_shows_full_precision_where_rounding_hides_the_change(ref_con):
    ingest.load(ref_con, f"indicator;unit;period;value\n{PCT};HVA15;2024;0,1234\n{PCT};HVA14;2024;20\n".encode(),
                file_name="a.csv")
    report = ingest.check(ref_con, f"indicator;unit;period;value\n{PCT};HVA15;2024;0,1236\n"
                                   f"{PCT};HVA14;2024;20,04\n".encode(), file_name="b.csv")
    view = present.changes_view(report, "fi", con=ref_con).sort("row")
    assert view.select("old", "new").rows() == [("0,1234", "0,1236"), ("20", "20,04")]
    en = present.changes_view(report, "en", con=ref_con).sort("row")
    assert en["new"].to_list() == ["0.1236", "20.04"]


def test_change_table_keeps_display_precision_where_the_change_shows(ref_con):
    ingest.load(ref_con, f"indicator;unit;period;value\n{PCT};HVA15;2024;12,34\n".encode(), file_name="a.csv")
    report = ingest.check(ref_con, f"indicator;unit;period;value\n{PCT};HVA15;2024;13,46\n".encode(),
                          file_name="b.csv")
    assert present.changes_view(report, "fi", con=ref_con).select("old", "new").rows() == [("12,3", "13,5")]


def test_upload_page_change_table_at_full_precision(page_db):
    _loaded(page_db, f"indicator;unit;period;value\n{PCT};HVA15;2024;0,1234\n".encode(), "a.csv")
    at = app_test("upload")
    upload(at, "b.csv", f"indicator;unit;period;value\n{PCT};HVA15;2024;0,1236\n".encode())
    assert not at.exception
    changes = at.dataframe[0].value
    assert changes[["vanha", "uusi"]].values.tolist() == [["0,1234", "0,1236"]]
