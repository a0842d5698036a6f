"""Database trouble is a message, not an exception: a file held by another
process, an empty, truncated, non-DuckDB or corrupted file and a full disk each give a page that
says what happened and what to do, and on the command line their localised message with exit 2."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import db_damage
from tests.apptest_helpers import app_test
from vetopito import cli, db, i18n

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
TARGETS = str(FIXTURES / "targets_good.csv")
BROKEN = {"truncated": db_damage.truncated, "empty": db_damage.empty, "not_duckdb": db_damage.not_duckdb,
          "corrupted": db_damage.corrupted}
# what each broken file is called, in Finnish, on the page and on the command line
PAGE_WORDS = {"truncated": "tiedostosta puuttuu loppu", "empty": "tiedosto on tyhjä",
              "not_duckdb": "tiedosto ei ole DuckDB-tietokanta", "corrupted": "taulun observation tarkistussumma ei täsmää"}
CLI_KEYS = {"truncated": "db.error.truncated", "empty": "db.error.empty", "not_duckdb": "db.error.not_a_database",
            "corrupted": "db.error.corrupt_table"}


@pytest.fixture
def broken(demo_db_path, tmp_path, request):
    return BROKEN[request.param](demo_db_path, tmp_path / f"{request.param}.duckdb")


def _page_text(at) -> str:
    """The error boxes' text as the reader sees it (markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))


# --- on a page --------------------------------------------------------------------------------------

def test_a_file_held_by_another_process_shows_the_friendly_message_on_the_page(app_env, demo_db_copy):
    app_env(demo_db_copy)
    with db_damage.held(demo_db_copy) as pid:
        at = app_test()
        assert not at.exception, at.exception
        assert at.title[0].value == "Tietokanta ei ole käytettävissä"
        text = _page_text(at)
        assert f"Tietokanta vetovoima.duckdb on juuri nyt toisen ohjelman käytössä (prosessi {pid})" in text
        assert "Odota hetki ja lataa sivu uudelleen" in text
    at.run()  # the other program let go: the next run opens the file, the page is back
    assert not at.exception and not at.error


def test_the_locked_page_is_in_the_users_language(app_env, demo_db_copy):
    app_env(demo_db_copy)
    with db_damage.held(demo_db_copy):
        at = app_test(query_params={"lang": "sv"})
        assert not at.exception
        assert "används just nu av ett annat program" in _page_text(at)


@pytest.mark.parametrize("broken", list(BROKEN), indirect=True)
def test_a_broken_file_is_a_page_that_says_what_happened_and_what_to_do(app_env, broken):
    app_env(broken)
    at = app_test()
    assert not at.exception, at.exception
    text = _page_text(at)
    assert PAGE_WORDS[broken.stem] in text, text
    assert "palauta tiedosto varmuuskopiosta" in text and "vetopito check-db" in text
    assert not at.dataframe and not at.get("vega_lite_chart")  # nothing is shown from it


@pytest.mark.parametrize("broken", ["corrupted"], indirect=True)
def test_a_broken_file_shows_no_page_past_the_message(app_env, broken):
    """The gate stops before navigation: a link to another page shows the same message."""
    app_env(broken)
    at = app_test(query_params={"cohort": "2024"})
    assert not at.exception and PAGE_WORDS["corrupted"] in _page_text(at)
    with pytest.raises(ValueError, match=r"Known pages: \['Vetovoima'\]"):  # only the gate is registered
        at.switch_page("pages/present.py")


# --- on the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["info", "load", "check", "check-db"])
@pytest.mark.parametrize("broken", list(BROKEN), indirect=True)
def test_a_broken_file_is_exit_2_and_one_localised_line(broken, command, capsys):
    args = {"load": ["load", TARGETS], "check": ["check", TARGETS]}.get(command, [command])
    assert cli.main([*args, "--db", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    head = i18n.t(CLI_KEYS[broken.stem], "fi", target=str(broken), reason="\x00", table="observation").split("\x00")[0]
    assert f"vetopito: {head}" in err, err


@pytest.mark.parametrize("command", ["loads", "audit", "export"])
@pytest.mark.parametrize("broken", ["empty", "not_duckdb"], indirect=True)
def test_a_file_that_is_no_database_is_exit_2_for_the_reading_commands(broken, command, tmp_path, capsys):
    """(`loads` and `audit` read only their own tables: a damaged block elsewhere does not stop them
    from printing what is whole; `info` and `check-db` are the commands that read everything.)"""
    args = {"export": ["export", "data", "--out", str(tmp_path / "o.csv")]}.get(command, [command])
    assert cli.main([*args, "--db", str(broken)]) == 2
    err = capsys.readouterr().err
    head = i18n.t(CLI_KEYS[broken.stem], "fi", target=str(broken), reason="\x00").split("\x00")[0]
    assert f"vetopito: {head}" in err and "Traceback" not in err, err


@pytest.mark.parametrize("broken", list(BROKEN), indirect=True)
def test_the_load_message_is_in_the_chosen_language(broken, capsys):
    assert cli.main(["load", TARGETS, "--db", str(broken), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vetopito: The database file") or err.startswith("vetopito: The file"), err
    assert "Traceback" not in err


def test_a_held_file_is_exit_2_for_info_and_load(demo_db_copy, capsys):
    with db_damage.held(demo_db_copy) as pid:
        for args in (["info"], ["load", TARGETS]):
            assert cli.main([*args, "--db", str(demo_db_copy)]) == 2
            err = capsys.readouterr().err
            assert f"on toisen ohjelman käytössä (prosessi {pid})" in err and "Traceback" not in err


def test_the_command_line_prints_no_traceback_in_a_real_process(demo_db_path, tmp_path):
    """The installed command, not only `cli.main`: exit 2 and the message on stderr."""
    broken = db_damage.truncated(demo_db_path, tmp_path / "katkennut.duckdb")
    vetopito = Path(shutil.which("vetopito") or Path(__file__).parent.parent / ".venv" / "bin" / "vetopito")
    done = subprocess.run([str(vetopito), "info", "--db", str(broken)], capture_output=True, text=True)
    assert done.returncode == 2
    # DuckDB 1.5.5 refuses a truncated file at open (2.0 opened it and failed on the read-through):
    # either way the one message says the file is cut short
    assert f"vetopito: Tietokantatiedosto {broken} on katkennut: siitä puuttuu loppu" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


# --- a full disk ------------------------------------------------------------------------------------

@pytest.fixture
def full_disk(demo_db_path, tmp_path):
    """The demo database on a small tmpfs filled to the last byte (skipped where mounting is not allowed)."""
    mount = tmp_path / "full"
    mount.mkdir()
    size_mb = db_damage.size(demo_db_path) // 2**20 + 16   # room, once the filler is gone, for a load and its write-ahead log
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to fill it: {done.stderr.strip()}")
    try:
        path = mount / "vetovoima.duckdb"
        shutil.copy(demo_db_path, path)
        with (mount / "filler").open("wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        yield path
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_exit_2_with_its_message_and_nothing_written(full_disk, capsys):
    before = full_disk.read_bytes()
    loads_before = _loads(full_disk)
    assert cli.main(["load", TARGETS, "--db", str(full_disk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vetopito: Levy on täynnä: tietokantaan {full_disk} ei voitu kirjoittaa"), err
    assert "Traceback" not in err
    (full_disk.parent / "filler").unlink()
    assert full_disk.read_bytes() == before or _loads(full_disk) == loads_before  # nothing of the load was kept
    assert cli.main(["load", TARGETS, "--db", str(full_disk), "--lang", "en"]) == 0  # with space, it loads
    assert _loads(full_disk) == loads_before + 1


def _loads(path: Path) -> int:
    con = db.connect(path, read_only=True)
    try:
        return db.run(con, "load/loads").height
    finally:
        con.close()


def test_a_full_disk_on_the_upload_page_is_its_message(app_env, full_disk):
    app_env(full_disk)
    (full_disk.parent / "filler").unlink()   # room to open the file (its write-ahead log)
    at = app_test("upload")
    assert not at.exception
    with (full_disk.parent / "filler").open("wb") as filler:   # now the disk fills up
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    at.file_uploader(key="upload").set_value(("tavoitteet.csv", Path(TARGETS).read_bytes(), "text/csv"))
    at.run()
    at.button(key="upload_confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert "Levy on täynnä" in _page_text(at)


# --- the one classifier ---------------------------------------------------------------------------

def test_every_kind_has_its_class_and_a_text_in_every_language():
    for kind, cls in (("locked", db.DatabaseLocked), ("disk_full", db.DiskFull), ("corrupt", db.DatabaseDamaged),
                      ("truncated", db.DatabaseDamaged), ("empty", db.DatabaseDamaged),
                      ("not_a_database", db.DatabaseDamaged), ("not_writable", db.DatabaseNotWritable)):
        for lang in i18n.LANGUAGES:
            assert i18n.t(f"db.error.{kind}", lang, target="x", reason="r", pid="1")
        assert issubclass(cls, db.DatabaseError)


def test_errors_that_are_not_trouble_with_the_file_pass_through(empty_con):
    import duckdb

    with pytest.raises(duckdb.CatalogException):
        db.run(empty_con, "meta/table_scan", table_name="no_such_table")
