"""The `vetopito` command as one click group: every sub-command declared in one place,
each `--help` works, a broken import fails loudly instead of a command silently missing, and the
exit codes are the documented ones (0 ok, 1 data rejected, 2 usage, I/O or database)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vetopito import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
COMMANDS = {"info", "check-db", "serve", "check", "load", "loads", "undo", "export", "users", "audit", "seed",
            "init", "copy", "maintain", "bench"}


def _paths(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _paths(command, (*prefix, name))


def test_the_commands_are_the_ones_there_were():
    assert set(cli.vetopito.commands) == COMMANDS
    assert set(cli.vetopito.commands["export"].commands) == {"data", "slides", "catalogue", "programme"}
    assert set(cli.vetopito.commands["users"].commands) == {"import", "list", "grant", "revoke"}


@pytest.mark.parametrize("path", list(_paths(cli.vetopito)), ids=" ".join)
def test_every_help_works(path):
    result = CliRunner().invoke(cli.vetopito, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: vetopito {' '.join(path)} ")


def test_a_broken_import_fails_loudly():
    """No "skip a missing command module": with one area unimportable the command does not start."""
    done = subprocess.run([sys.executable, "-c", "import sys; sys.modules['vetopito.export.rows'] = None; "
                           "import vetopito.cli"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "ModuleNotFoundError: import of vetopito.export.rows" in done.stderr, done.stderr


def test_exit_codes(demo_db_copy, tmp_path):
    run = CliRunner().invoke
    assert run(cli.vetopito, ["check", str(FIXTURES / "targets_good.csv"), "--db", str(demo_db_copy)]).exit_code == 0
    assert run(cli.vetopito, ["check", str(FIXTURES / "observations_bad.csv"), "--db", str(demo_db_copy)]).exit_code == 1
    assert run(cli.vetopito, ["check", "--db", str(demo_db_copy)]).exit_code == 2  # no FILE: usage
    assert run(cli.vetopito, ["no-such-command"]).exit_code == 2
    assert run(cli.vetopito, ["info", "--db", str(tmp_path / "none.duckdb")]).exit_code == 2
    assert cli.main(["loads", "--db", str(demo_db_copy), "--no-such-option"]) == 2


def test_the_installed_command_and_python_m_agree(tmp_path):
    done = subprocess.run([sys.executable, "-m", "vetopito.cli", "info", "--db", str(tmp_path / "none.duckdb")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("vetopito: ") and "Traceback" not in done.stderr


def test_users_grant_list_and_revoke(demo_db_copy):
    """`vetopito users grant` gives the role over the scope (what the sign-in browser test's users
    have), `users list` shows it, `users revoke` takes it away; each change names who made it."""
    run = CliRunner().invoke
    db_args = ["--db", str(demo_db_copy)]
    done = run(cli.vetopito, ["users", "grant", "uusi@example.fi", "director", "region:15", "--by", "test", *db_args])
    assert done.exit_code == 0 and done.stdout.startswith("granted: "), done.output
    done = run(cli.vetopito, ["users", "grant", "uusi@example.fi", "viewer", "--json", *db_args])
    assert done.exit_code == 0 and json.loads(done.stdout)["ok"] is True, done.output
    listed = [line.split("\t") for line in run(cli.vetopito, ["users", "list", *db_args]).stdout.splitlines()]
    mine = {(row[2], row[3]) for row in listed if row[0] == "uusi@example.fi"}
    assert mine == {("director", "region:HVA15"), ("viewer", "all")}, mine
    done = run(cli.vetopito, ["users", "revoke", "uusi@example.fi", "director", "region:15", "--by", "test", *db_args])
    assert done.exit_code == 0, done.output
    listed = [line.split("\t") for line in run(cli.vetopito, ["users", "list", *db_args]).stdout.splitlines()]
    assert {(row[2], row[3]) for row in listed if row[0] == "uusi@example.fi"} == {("viewer", "all")}
    audit = run(cli.vetopito, ["audit", "--json", *db_args])
    assert audit.exit_code == 0 and "uusi@example.fi" in audit.stdout, audit.output
