"""The roles CSV is read as the loader reads an extract: any of its separators, a Windows-1252 file,
title lines and spreadsheet row numbers, and a file or cell over the loader's limits refused in the
loader's words, in Finnish, Swedish and English; the admin page hands the upload's bytes over."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vetopito import access, catalog, db, i18n, ingest, limits
from vetopito.access import roles_import

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "auth_units.sql"
ADMIN = "admin@example.fi"
ROWS = [["email", "role", "scope", "name"],
        ["d@example.fi", "director", "region:15", "Daniela Johtaja"],
        ["c@example.fi", "coach", "cohort:2024|team:T2025-01", ""]]
GRANTED = ["c@example.fi coach cohort:2024", "c@example.fi coach team:T2025-01", "d@example.fi director region:HVA15"]
WINDOWS_1252 = "sähköposti;rooli;laajuus;nimi\r\npaivi@example.fi;director;region:15;Päivi Jääskeläinen\r\n"


@pytest.fixture
def con(tmp_path):
    con = db.connect(tmp_path / "auth.duckdb")
    con.execute(FIXTURE.read_text(encoding="utf-8"))
    yield con
    con.close()


@pytest.mark.parametrize("sep", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_a_comma_semicolon_or_tab_file_grants_the_same(con, sep):
    raw = "".join(sep.join(row) + "\n" for row in ROWS).encode("utf-8")
    report = roles_import.import_roles_csv(con, raw, by=ADMIN, file_name="roolit.csv")
    assert report.ok, [p.line() for p in report.errors]
    assert report.detected == {"encoding": "utf-8", "delimiter": sep}
    assert sorted(g.describe() for g in report.granted) == GRANTED
    assert sorted(g.describe() for g in access.grants_of(con, "c@example.fi")) == GRANTED[:2]
    names = dict(access.list_users(con).select("email", "display_name").iter_rows())
    assert names["d@example.fi"] == "Daniela Johtaja"


def test_a_windows_1252_file_with_finnish_headers_keeps_its_letters(con):
    report = roles_import.import_roles_csv(con, WINDOWS_1252.encode("cp1252"), by=ADMIN, file_name="roolit.csv")
    assert report.ok, [p.line() for p in report.errors]
    assert report.detected == {"encoding": "cp1252", "delimiter": ";"}
    users = access.list_users(con)
    assert users.select("email", "display_name", "scope_value").rows() == [
        ("paivi@example.fi", "Päivi Jääskeläinen", "HVA15")]


def test_title_lines_are_skipped_and_rows_numbered_as_a_spreadsheet_does(con):
    text = "Käyttöoikeudet 2025\n\nemail;role;scope\nd@example.fi;director;region:15\nx@example.fi;boss;all\n"
    report = roles_import.import_roles_csv(con, text, by=ADMIN)
    assert [tuple(p) for p in report.errors] == [
        (5, "role", "boss",
         'Tuntematon rooli "boss": käytä jotakin näistä: viewer, director, coach, analyst, admin, programme_manager.')]
    assert [p.line("fi") for p in report.errors] == [
        'rivi 5, sarake "role": Tuntematon rooli "boss": käytä jotakin näistä: viewer, director, coach, analyst, '
        'admin, programme_manager.']
    assert access.list_users(con).is_empty()


def _wide() -> bytes:
    columns = limits.MAX_COLUMNS + 1
    return (",".join(f"c{i}" for i in range(columns)) + "\n" + ",".join("x" for _ in range(columns)) + "\n").encode()


OVER_LIMIT = {
    "too_many_columns": (_wide, {"fi": "Tiedostossa on 501 saraketta; enintään 500 on sallittu.",
                                 "sv": "Filen har 501 kolumner; högst 500 är tillåtna.",
                                 "en": "The file has 501 columns; at most 500 are allowed."}),
    "line_too_long": (lambda: ("email,role,scope,name\na@example.fi,viewer,all," + "x" * limits.MAX_LINE_CHARS
                               + "\n").encode(),
                      {"fi": "Rivi 2 on 100\u00a0024 merkkiä pitkä; rivi saa olla enintään 100\u00a0000 merkkiä.",
                       "sv": "Rad 2 är 100\u00a0024 tecken lång; en rad får vara högst 100\u00a0000 tecken.",
                       "en": "Row 2 is 100,024 characters long; a row may be at most 100,000 characters."}),
    "file_too_large": (lambda: b"email,role\n" + b"x" * (limits.MAX_UPLOAD_BYTES + 1024 * 1024),
                       {"fi": "Tiedosto on liian suuri (51,0 Mt); suurin sallittu koko on 50 Mt.",
                        "sv": "Filen är för stor (51,0 MB); största tillåtna storlek är 50 MB.",
                        "en": "The file is too large (51.0 MB); the limit is 50 MB."}),
    "not_text": (lambda: b"PK\x03\x04" + b"\x00" * 64,
                 {"fi": "Tiedosto ei ole tekstiä", "sv": "Filen är inte text", "en": "The file is not text"}),
    "empty": (lambda: b"", {"fi": "Tiedosto on tyhjä.", "sv": "Filen är tom.", "en": "The file is empty."}),
    "blank_lines_only": (lambda: b"\n \n\n", {"fi": "tiedosto on tyhjä", "sv": "filen är tom", "en": "the file is empty"}),
}


@pytest.mark.parametrize("case", list(OVER_LIMIT))
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_file_the_loader_refuses_is_refused_in_the_loaders_words(con, case, lang):
    make, start = OVER_LIMIT[case]
    raw = make()
    report = roles_import.import_roles_csv(con, raw, by=ADMIN, file_name="roolit.csv", lang=lang)
    loader = ingest.check(con, raw, file_name="roolit.csv", lang=lang)
    assert not report.ok and len(report.errors) == 1 and report.errors[0].row is None
    assert report.errors[0].line(lang).startswith(start[lang]), report.errors[0].line(lang)
    assert [p.line(lang) for p in report.errors] == [p.line(lang) for p in loader.errors]
    assert access.list_users(con).is_empty()


CELL_LINES = {
    "fi": ['rivi 2, sarake "name": solussa on ohjausmerkki U+001B (”Veera\\x1b[31m”), jota ei tallenneta; poista '
           'se ja tallenna tiedosto uudelleen',
           "rivi 3: soluja on enemmän kuin otsikkorivillä (4): ”region:12” jää yli. Jos desimaalipilkku on myös "
           "erotin, tallenna tiedosto Excelissä muodossa CSV (puolipisteellä erotettu)",
           'rivi 4, sarake "name": solussa on 10\u00a0001 merkkiä (”' + "y" * 60 + '…”); solussa saa olla '
           "enintään 10\u00a0000 merkkiä. Tarkista myös, ettei lainausmerkki jää sulkematta"],
    "sv": ['rad 2, kolumn "name": cellen innehåller styrtecknet U+001B (”Veera\\x1b[31m”), som inte sparas; ta bort '
           "det och spara filen igen",
           "rad 3: fler celler än rubrikraden (4): ”region:12” blir över. Om decimalkommat också är avgränsare, "
           "spara filen i Excel som CSV (semikolonavgränsad)",
           'rad 4, kolumn "name": cellen har 10\u00a0001 tecken (”' + "y" * 60 + '…”); en cell får ha högst '
           "10\u00a0000 tecken. Kontrollera också att inget citattecken lämnas öppet"],
    "en": ['row 2, column "name": the cell holds the control character U+001B (“Veera\\x1b[31m”), which is not '
           "stored; remove it and save the file again",
           "row 3: more cells than the header (4): “region:12” is left over. If the decimal comma is also the "
           "separator, save the file from Excel as CSV (semicolon-separated)",
           'row 4, column "name": the cell has 10,001 characters (“' + "y" * 60 + '…”); a cell may have at most '
           "10,000. Check also that no quote is left open"],
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_cells_the_loader_would_not_store_are_row_problems_and_nothing_is_written(con, lang):
    text = ("email,role,scope,name\n"
            "v@example.fi,viewer,all,Veera\x1b[31m\n"
            "d@example.fi,director,region:15,Daniela,region:12\n"
            "n@example.fi,viewer,all," + "y" * (limits.MAX_CELL_CHARS + 1) + "\n")
    report = roles_import.import_roles_csv(con, text, by=ADMIN, lang=lang)
    assert [p.line(lang) for p in report.errors] == CELL_LINES[lang]
    assert [(p.row, p.column) for p in report.errors] == [(2, "name"), (3, None), (4, "name")]
    assert access.list_users(con).is_empty() and access.audit_events(con).is_empty()


def test_the_command_line_json_keeps_the_problem_shape(con):
    report = roles_import.import_roles_csv(con, "email,role,scope\nx@example.fi,boss,all\n", by=ADMIN)
    assert report.as_dict()["errors"] == [{"row": 2, "column": "role", "value": "boss",
                                           "problem": report.errors[0].problem}]
    assert report.as_dict()["detected"] == {"encoding": "utf-8", "delimiter": ","}


@pytest.fixture
def admin_db(tmp_path, app_env, monkeypatch):
    monkeypatch.delenv(access.ENV_REQUIRED, raising=False)
    monkeypatch.delenv(access.ENV_READ_ONLY, raising=False)
    path = tmp_path / "admin.duckdb"
    con = db.connect(path)
    catalog.ensure_reference(con)
    con.close()
    app_env(path)
    return path


def upload_roles(data: bytes, name: str = "roolit.csv") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)   # no provider: the demo mode
    at.run()
    at.switch_page("pages/admin.py")
    at.run()
    at.file_uploader(key="w_admin_import").set_value((name, data, "text/csv"))
    return at.run()


def test_admin_page_imports_a_windows_1252_semicolon_file(admin_db):
    at = upload_roles(WINDOWS_1252.encode("cp1252"))
    assert not at.exception
    assert any("roolit.csv" in s.value for s in at.success), [s.value for s in at.success]
    at.run()   # the users table above the form, drawn again
    users = next(d.value for d in at.dataframe if "display_name" in d.value.columns)
    assert users[["email", "display_name"]].values.tolist() == [["paivi@example.fi", "Päivi Jääskeläinen"]]


def test_admin_page_shows_the_loaders_message_for_a_file_it_refuses(admin_db):
    at = upload_roles(_wide())
    assert not at.exception
    problem = i18n.t("admin.import.column.problem", "fi")
    tables = [d.value for d in at.dataframe if problem in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    assert tables[0][problem].to_list() == [
        "Tiedostossa on 501 saraketta; enintään 500 on sallittu. Tarkista, että erotinmerkki on oikea."]
    assert not any("display_name" in d.value.columns for d in at.dataframe)
    assert i18n.t("admin.no_users", "fi") in [i.value for i in at.info]
