"""Every bad file is a clear error, never a traceback, and nothing is written: lines and cells over
the limits, an unclosed quote, NUL and other control characters inside cells, far too many lines
or columns (refused from a count of the bytes, before any table is built); through the loader,
the command line and the upload page. File names and cells the command line prints show their
control characters escaped (`\\x1b[31m`), never as terminal escapes."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import app_test
from vetopito import cli, db, ingest, limits, text
from vetopito.ingest import read

HEADER = "indikaattori;alue;ajanjakso;arvo\n"
GOOD = "t3_laakari;HVA01;2024;12\n"


@pytest.fixture
def ref_path(reference_db_path, stores):
    return stores.copy(reference_db_path, "hostile")


@pytest.fixture
def ref_con(ref_path):
    con = db.connect(ref_path)
    yield con
    con.close()


def _state(con):
    return db.row_counts(con), db.data_version(con)


def _refused(con, data: bytes, name: str = "vihamielinen.csv", lang: str = "fi"):
    """Check and load `data`: both refuse it with the same problems, and nothing is written."""
    before = _state(con)
    report = ingest.check(con, data, file_name=name, lang=lang)
    loaded = ingest.load(con, data, file_name=name, lang=lang)
    assert not report.ok() and not loaded.ok() and loaded.load_id is None
    assert [p.line(lang) for p in loaded.errors] == [p.line(lang) for p in report.errors]
    assert _state(con) == before
    return report


def _lines(report, lang: str = "fi") -> list[str]:
    return [p.line(lang) for p in report.errors]


# --- lines and cells over the limits ---------------------------------------------------------

def test_a_line_over_the_line_limit_is_a_file_error_naming_its_row(ref_con):
    data = (HEADER + GOOD + "t3_laakari;HVA01;2024;" + "1" * 140_000 + "\n" + GOOD).encode()
    report = _refused(ref_con, data)
    assert len(report.errors) == 1 and report.errors[0].row is None
    text = report.errors[0].line()
    assert "Rivi 3 on 140\u00a0022 merkkiä pitkä" in text and "enintään 100\u00a0000" in text
    assert _lines(_refused(ref_con, data, lang="en"), "en")[0].startswith("Row 3 is 140,022 characters long")


def test_a_long_line_ending_in_crlf_or_in_cp1252_is_refused_the_same_way(ref_con):
    text = HEADER + GOOD + "t3_laakari;HVÄ01;2024;" + "1" * 140_000 + "\n"
    for data in (text.replace("\n", "\r\n").encode(), text.encode("cp1252"), text.replace("\n", "\r").encode()):
        assert "Rivi 3 on 140\u00a0022 merkkiä pitkä" in _lines(_refused(ref_con, data))[0]


def test_a_cell_over_max_cell_chars_is_a_row_error_naming_row_and_column(ref_con):
    name = "a" * 40_000
    report = _refused(ref_con, f"id;parent;name_fi\nX1;HVA01;Lyhyt\nX2;HVA01;{name}\n".encode())
    problem = next(p for p in report.errors if p.row == 3)
    assert problem.column == "name_fi" and len(problem.value) < 100
    assert "40\u00a0000 merkkiä" in problem.problem and "enintään 10\u00a0000" in problem.problem
    assert problem.line().startswith('rivi 3, sarake "name_fi": ')


def test_a_cell_of_max_cell_chars_still_loads(ref_con):
    report = ingest.load(ref_con, f"id;parent;name_fi\nX1;HVA01;{'a' * limits.MAX_CELL_CHARS}\n".encode(),
                         file_name="units.csv")
    assert report.ok() and report.committed, _lines(report)


def test_a_long_quoted_cell_spanning_lines_is_a_row_error_not_a_traceback(ref_con):
    cell = ("a" * 50_000 + "\n") * 3  # over the csv module's 131 072 characters, each line under the line limit
    rows = "".join(f"X{i};HVA01;Nimi {i}\n" for i in range(3, 12))
    report = _refused(ref_con, f'id;parent;name_fi\nX1;HVA01;Lyhyt\nX2;HVA01;"{cell}"\n{rows}'.encode())
    assert any(p.row == 3 and p.column == "name_fi" and "enintään 10\u00a0000" in p.problem for p in report.errors), \
        _lines(report)


# --- an unclosed quote -----------------------------------------------------------------------

@pytest.mark.parametrize("rest", [5, 20_000])  # swallows a few lines, or more than 131 072 characters
def test_an_unclosed_quote_is_a_file_error_saying_where_it_opened(ref_con, rest):
    data = (HEADER + GOOD + 't3_laakari;"HVA01;2024;12\n' + GOOD * rest).encode()
    report = _refused(ref_con, data)
    assert len(report.errors) == 1 and report.errors[0].row is None
    assert "rivillä 3 alkava lainausmerkki" in report.errors[0].line().lower()
    assert "opens on row 3 is never closed" in _lines(_refused(ref_con, data, lang="en"), "en")[0]


def test_an_unclosed_quote_below_title_lines_counts_them(ref_con):
    data = ('"Otsikko"\n\n' + HEADER + GOOD * 3 + 't3_laakari;HVA01;"2024;12\n' + GOOD * 3).encode()
    assert "rivillä 7 alkava lainausmerkki" in _lines(_refused(ref_con, data))[0].lower()


def test_a_lone_inch_mark_inside_a_cell_is_not_an_unclosed_quote(ref_con):
    report = ingest.check(ref_con, ("id;parent;name_fi\nX1;HVA01;Näyttö 24\" asema\n").encode())
    assert report.ok(), _lines(report)


# --- control characters ----------------------------------------------------------------------
# (a NUL byte in the first 64 KB makes the file binary: `limits.check_text_content`; after them it
# is a control character like these, see the test below)

CONTROLS = {
    "SOH": "\x01", "BEL": "\x07", "BS": "\x08", "VT": "\x0b", "FF": "\x0c", "SO": "\x0e",
    "US": "\x1f", "ANSI colour": "\x1b[31m", "DEL": "\x7f", "C1 NEL": "\x85", "C1 CSI": "\x9b",
    "line separator": "\u2028", "paragraph separator": "\u2029", "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a", "isolate": "\u2066", "right-to-left mark": "\u200f",
}


@pytest.mark.parametrize("control", CONTROLS.values(), ids=CONTROLS.keys())
def test_a_control_character_inside_a_cell_is_a_row_error_naming_row_and_column(ref_con, control):
    data = (HEADER + GOOD + f"t3_laakari;HVA{control}01;2024;12\n" + GOOD).encode()
    problem = next(p for p in _refused(ref_con, data).errors if "ohjausmerkki" in p.problem)
    assert (problem.row, problem.column) == (3, "alue")
    code = f"U+{ord(control[0]):04X}"
    assert code in problem.problem
    assert all(ch not in problem.line() for ch in control if not ch.isprintable() or ch in "\u2028\u2029\u202e")
    english = [line for line in _lines(_refused(ref_con, data, lang="en"), "en") if "control character" in line]
    assert english[0].startswith('row 3, column "alue": the cell holds the control character ' + code)


def test_a_nul_byte_after_the_first_64_kb_is_a_row_error(ref_con):
    body = "".join(f"X{i};HVA01;{'n' * 5000}\n" for i in range(1, 15))  # 70 KB of good rows before it
    assert len(body) > 65_536
    report = _refused(ref_con, ("id;parent;name_fi\n" + body + "X15;HVA01;Ni\x00mi\n").encode())
    problem = next(p for p in report.errors if "ohjausmerkki" in p.problem)
    assert (problem.row, problem.column) == (16, "name_fi") and "U+0000" in problem.problem
    assert problem.value == "Ni\\x00mi" and report.error_total == 1


def test_control_characters_in_a_cp1252_file_are_found_too(ref_con):
    data = (HEADER + "t3_laakari;Hämeenlinna\x1b;2024;12\n").encode("cp1252")
    problem = next(p for p in _refused(ref_con, data).errors if "ohjausmerkki" in p.problem)
    assert (problem.row, problem.column) == (2, "alue")


def test_a_control_character_in_the_header_is_a_file_error(ref_con):
    report = _refused(ref_con, ("indikaattori;al\x1bue;ajanjakso;arvo\n" + GOOD).encode())
    assert "otsikkorivi" in report.errors[0].line().lower() and "U+001B" in report.errors[0].line()
    assert "\x1b" not in report.errors[0].line()


def test_tabs_and_line_breaks_inside_quoted_cells_stay_allowed(ref_con):
    report = ingest.check(ref_con, 'id;parent;name_fi\nX1;HVA01;"Kaksi\r\nriviä\tja sarkain"\n'.encode())
    assert report.ok(), _lines(report)


# --- far too many lines or columns: refused from a count, before any table -------------------

@pytest.fixture
def no_frames(monkeypatch):
    """Fail the test if the reader builds a frame of the file's rows."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("a frame was built")
    monkeypatch.setattr(read, "_read_csv", refuse)


def test_twelve_million_lines_of_separators_are_refused_by_a_count_before_any_frame(ref_con, no_frames):
    data = b"a;b;c;d\n" + b";;;\n" * 12_000_000
    report = _refused(ref_con, data)
    assert _lines(report) == ["Tiedostossa on 12\u00a0000\u00a0001 riviä; yhdellä kertaa voi ladata enintään "
                              "1\u00a0000\u00a0000 riviä. Jaa aineisto useampaan tiedostoon."]


def test_the_line_count_allows_a_header_and_title_lines_above_the_maximum_rows(ref_con, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    titles = '"Otsikko"\n\n'
    ok = ingest.check(ref_con, (titles + HEADER + "".join(f"t3_laakari;HVA{u:02d};2024;12\n"
                                                          for u in range(1, 11))).encode())
    assert ok.ok(), _lines(ok)
    over = _refused(ref_con, (HEADER + GOOD * 20 + "\n" * limits.EXTRA_LINES).encode())
    assert "enintään 10 riviä" in _lines(over)[0]


def test_a_header_over_the_column_limit_is_refused_before_any_frame(ref_con, no_frames):
    data = (";".join(f"h{i}" for i in range(600)) + "\n" + ";".join("1" for _ in range(600)) + "\n").encode()
    assert "600 saraketta" in _lines(_refused(ref_con, data))[0]


def test_a_row_far_wider_than_its_header_is_refused_by_the_column_limit(ref_con):
    data = (HEADER + GOOD * 300 + "x" + ";x" * 5000 + "\n" + GOOD).encode()
    assert "5\u00a0001 saraketta" in _lines(_refused(ref_con, data))[0]


# --- the command line ------------------------------------------------------------------------

HOSTILE = {
    "long_line": (HEADER + GOOD + "x;" + "1" * 140_000 + "\n").encode(),
    "unclosed_quote": (HEADER + GOOD + 't3_laakari;"HVA01;2024;12\n' + GOOD * 20_000).encode(),
    "control": (HEADER + "t3_laakari;HVA\x1b[31m01;2024;12\n").encode(),
    "long_cell": f"id;parent;name_fi\nX1;HVA01;{'a' * 40_000}\n".encode(),
    "lines": b"a;b;c;d\n" + b";;;\n" * 1_100_000,
}


@pytest.mark.parametrize("command", ["check", "load"])
@pytest.mark.parametrize("case", HOSTILE, ids=HOSTILE.keys())
def test_the_command_line_refuses_each_hostile_file_with_exit_1_and_writes_nothing(
        ref_path, tmp_path, capsys, command, case):
    path = tmp_path / f"{case}.csv"
    path.write_bytes(HOSTILE[case])
    con = db.connect(ref_path)
    before = _state(con)
    con.close()
    assert cli.main([command, str(path), "--db", str(ref_path)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err and "\x1b" not in out.out + out.err
    assert "hylätty: " in out.out, out.out[-500:]
    con = db.connect(ref_path)
    assert _state(con) == before
    con.close()


NAME = "ote\x1b[31mpunainen\x1b[0m\u202e.csv"


def test_loads_and_audit_print_a_file_name_with_terminal_escapes_safely(ref_path, capsys):
    con = db.connect(ref_path)
    assert ingest.load(con, (HEADER + GOOD).encode(), file_name=NAME, user="ana\x1b[2Jlyytikko").committed
    con.close()
    assert cli.main(["loads", "--db", str(ref_path)]) == 0
    assert cli.main(["audit", "--db", str(ref_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert out.count("ote\\x1b[31mpunainen\\x1b[0m\\u202e.csv") == 2, out
    assert "ana\\x1b[2Jlyytikko" in out


def test_check_prints_the_file_name_and_cells_safely(tmp_path, ref_path, capsys):
    path = tmp_path / "ote\x1b[31m.csv"
    path.write_bytes((HEADER + "t3_laakari;HVA\x1b[31m01;2024;12\n").encode())
    assert cli.main(["check", str(path), "--db", str(ref_path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "ote\\x1b[31m.csv" in out and "HVA\\x1b[31m01" in out


def test_visible_escapes_control_characters_and_keeps_finnish_text():
    assert limits.visible("Hämeenlinna – 12,5 €") == "Hämeenlinna – 12,5 €"
    assert limits.visible("a\x1b[31mb\x00c\u2028d\u202ee\x85f\tg") == "a\\x1b[31mb\\x00c\\u2028d\\u202ee\\x85f\\tg"
    assert limits.visible("rivi\nrivi") == "rivi\\nrivi"


# --- the upload page -------------------------------------------------------------------------

@pytest.fixture
def page_db(ref_path, app_env):
    app_env(ref_path)
    return ref_path


@pytest.mark.parametrize("case", ["unclosed_quote", "control", "long_line"])
def test_the_upload_page_shows_the_error_for_a_hostile_file(page_db, case):
    con = db.connect(page_db)
    before = _state(con)
    con.close()
    at = app_test("upload")
    at.file_uploader(key="upload").set_value((f"{case}.csv", HOSTILE[case], "text/csv")).run()
    assert not at.exception
    assert any(e.value.startswith("Tiedostoa ei voi ladata") for e in at.error)
    problems = at.table[0].value
    text = " ".join(str(v) for v in problems.to_numpy().ravel())
    expected = {"unclosed_quote": "alkava lainausmerkki", "control": "ohjausmerkki U+001B",
                "long_line": "merkkiä pitkä"}[case]
    assert expected in text
    assert "upload_confirm" not in [b.key for b in at.button]
    con = db.connect(page_db)
    assert _state(con) == before
    con.close()


def test_a_hostile_cell_in_the_page_error_table_is_shown_escaped(page_db):
    at = app_test("upload")
    at.file_uploader(key="upload").set_value(("c.csv", HOSTILE["control"], "text/csv")).run()
    assert not at.exception
    rows = at.table[0].value.astype(str).to_dict("records")
    mine = [r for r in rows if "ohjausmerkki" in " ".join(r.values())]
    # st.table renders markdown: the cell holds the visible form `HVA\x1b[31m01`, escaped for markdown
    shown = text.escape_markdown("HVA\\x1b[31m01")
    assert len(mine) == 1 and shown in mine[0].values() and "\x1b" not in " ".join(mine[0].values())


def test_a_committed_upload_is_not_checked_a_second_time_and_still_says_it_is_loaded(page_db, monkeypatch):
    """Memory: after a commit the page holds what a second check would say (every value stored)
    instead of reading and planning the file again; another write in between makes it check again."""
    calls = []
    real_check = ingest.check
    monkeypatch.setattr(ingest, "check", lambda *a, **k: calls.append(1) or real_check(*a, **k))
    at = app_test("upload")
    data = (HEADER + GOOD + "t3_laakari;HVA02;2024;13\n").encode()
    at.file_uploader(key="upload").set_value(("ote.csv", data, "text/csv")).run()
    assert not at.exception and len(calls) == 1
    at.button(key="upload_confirm").click().run()
    assert not at.exception and len(calls) == 1
    assert any("Tallennettu latauksena 1" in s.value for s in at.success)
    assert any("Sama tiedosto on jo ladattu (lataus 1" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric} == {"Rivejä": "2", "Uusia": "0", "Muuttuvia": "0",
                                                      "Ennallaan": "2", "Hylättyjä": "0"}
    # the same file checked for real says the same
    con = db.connect(page_db)
    again = real_check(con, data, file_name="ote.csv")
    assert again.already_loaded and again.counts == {"rows": 2, "new": 0, "changed": 0, "unchanged": 2, "rejected": 0}
    ingest.load(con, (HEADER + "t3_laakari;HVA03;2024;14\n").encode(), file_name="muu.csv")  # another write
    con.close()
    import streamlit as st
    st.cache_data.clear()  # the page reads the data version at most once a second
    at.run()
    assert not at.exception and len(calls) == 2
