"""Read-only commands work on a read-only file: `info`, `check-db`, `loads`,
`audit` and `export` open the database read-only.

Two proofs, each of what it can prove. The tests run as root, and root ignores `chmod 0444`, so the
file is made immutable with `chattr +i` (which binds root too; skipped where the file system has no
such attribute): a read-write open then fails with "Operation not permitted". And a second process
holding the file read-only lets only read-only opens in (DuckDB refuses a read-write open then), so
a command that works beside it opened the file read-only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests import db_damage
from vetopito import cli, i18n

pytestmark = pytest.mark.file_only  # the file itself: its bytes, locks and damage

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
READING = {"info": ["info"], "check-db": ["check-db"], "loads": ["loads"], "audit": ["audit"],
           "export": ["export", "data", "--region", "15", "--out", "OUT"]}


@pytest.fixture
def immutable(demo_db_path, tmp_path):
    path = tmp_path / "lukittu.duckdb"
    shutil.copy(demo_db_path, path)
    if shutil.which("chattr") is None:
        pytest.skip("no chattr here to make the file immutable (root ignores chmod 0444)")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this file system cannot make a file immutable: {done.stderr.strip()}")
    try:
        with pytest.raises(PermissionError):
            path.open("r+b")  # really unwritable, for root too
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _args(command: str, path: Path, tmp_path: Path) -> list[str]:
    return [str(tmp_path / "vienti.csv") if a == "OUT" else a for a in READING[command]] + ["--db", str(path)]


@pytest.mark.parametrize("command", list(READING))
def test_a_reading_command_works_on_an_immutable_file(immutable, command, tmp_path, capsys):
    assert cli.main(_args(command, immutable, tmp_path)) == 0, capsys.readouterr().err
    assert not Path(f"{immutable}.wal").exists()


def test_a_load_on_an_immutable_file_says_it_may_not_be_written(immutable, capsys):
    assert cli.main(["load", str(FIXTURES / "targets_good.csv"), "--db", str(immutable)]) == 2
    err = capsys.readouterr().err
    head = i18n.t("db.error.not_writable", "fi", target=str(immutable), reason="\x00").split("\x00")[0]
    assert err.startswith(f"vetopito: {head}") and "Traceback" not in err, err


@pytest.mark.parametrize("command", list(READING))
def test_a_reading_command_works_beside_a_process_reading_the_file(demo_db_copy, command, tmp_path, capsys):
    with db_damage.held(demo_db_copy, read_only=True):
        assert cli.main(_args(command, demo_db_copy, tmp_path)) == 0, capsys.readouterr().err
