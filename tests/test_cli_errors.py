"""One error shape across the command line (issue 14): every command that takes `--json`, given a bad
input, prints `{"ok": false, "errors": [{"code", "message", ...}]}` on stdout (beside the report
where it prints one), the message on stderr, the documented exit code and never a traceback.
Run through click's `CliRunner`, as a script would run the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vetopito import cli, i18n

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _leaves(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _leaves(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


JSON_COMMANDS = sorted(name for name, command in _leaves(cli.vetopito)
                       if any("--json" in p.opts for p in command.params))

# command → (arguments after the command, with GARBAGE / MISSING / TMP replaced; exit code; is a load report)
BAD_INPUTS = {
    "info": (["--db", "GARBAGE"], 2, False),
    "check-db": (["--db", "GARBAGE"], 2, False),
    "check": (["MISSING", "--db", "DEMO"], 2, False),
    "load": (["--db", "GARBAGE", str(FIXTURES / "targets_good.csv")], 2, False),
    "loads": (["--db", "GARBAGE"], 2, False),
    "users import": (["MISSING", "--db", "DEMO"], 2, False),
    "users list": (["--db", "GARBAGE"], 2, False),
    "audit": (["--db", "GARBAGE"], 2, False),
    "bench": (["--size", "no-such-size"], 2, False),
}
REPORTS = {  # a rejected file: its report, with `ok: false` beside it
    "load": ([str(FIXTURES / "observations_bad.csv"), "--db", "DEMO"], 1),
    "check": ([str(FIXTURES / "observations_bad.csv"), "--db", "DEMO"], 1),
}


def _invoke(command: str, args: list[str], tmp_path: Path, demo: Path):
    garbage = tmp_path / "roskaa.duckdb"
    garbage.write_bytes(b"this is no database\n" * 1000)
    swap = {"GARBAGE": str(garbage), "MISSING": str(tmp_path / "puuttuu.csv"), "DEMO": str(demo)}
    argv = [*command.split(), *(swap.get(a, a) for a in args), "--json"]
    return CliRunner().invoke(cli.vetopito, argv, catch_exceptions=False)


def _json_objects(text: str) -> list[dict]:
    """stdout as JSON: one object, or one per line (`check`/`load` print one per file)."""
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_json_command_has_a_bad_input_here():
    missing = sorted(set(JSON_COMMANDS) - set(BAD_INPUTS))
    assert JSON_COMMANDS and not missing, f"add a bad input for {missing} to BAD_INPUTS (tests/test_cli_errors.py)"


@pytest.mark.parametrize("command", sorted(BAD_INPUTS))
def test_a_bad_input_gives_the_one_error_shape(command, tmp_path, demo_db_copy):
    args, code, _ = BAD_INPUTS[command]
    result = _invoke(command, args, tmp_path, demo_db_copy)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    [shown] = _json_objects(result.stdout)
    assert shown["ok"] is False and shown["errors"], shown
    for error in shown["errors"]:
        assert isinstance(error["code"], str) and error["code"], error
        assert isinstance(error["message"], str) and error["message"], error
    first = shown["errors"][0]["message"]
    assert result.stderr.startswith("vetopito: ") and first.splitlines()[0] in result.stderr, result.stderr


@pytest.mark.parametrize("command", sorted(REPORTS))
def test_a_rejected_file_gives_its_report_with_ok_false(command, tmp_path, demo_db_copy):
    args, code = REPORTS[command]
    result = _invoke(command, args, tmp_path, demo_db_copy)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    [report] = _json_objects(result.stdout)
    assert report["ok"] is False and report["error_total"] > 0
    assert all(set(e) == {"row", "column", "value", "problem"} and e["problem"] for e in report["errors"])


def test_a_missing_file_among_files_is_an_error_beside_the_others(tmp_path, demo_db_copy):
    result = _invoke("check", [str(FIXTURES / "targets_good.csv"), "MISSING", "--db", "DEMO"], tmp_path,
                     demo_db_copy)
    assert result.exit_code == 2
    good, missing = _json_objects(result.stdout)
    assert good["ok"] is True and good["errors"] == []
    assert missing == {"file": str(tmp_path / "puuttuu.csv"), "ok": False, "errors": [{
        "code": "ingest.cli.no_such_file", "file": str(tmp_path / "puuttuu.csv"),
        "message": i18n.t("ingest.cli.no_such_file", "fi", file=str(tmp_path / "puuttuu.csv"))}]}


def test_the_error_is_in_the_language_asked_for(tmp_path):
    missing = tmp_path / "ei.duckdb"
    result = CliRunner().invoke(cli.vetopito, ["info", "--db", str(missing), "--json", "--lang", "en"])
    [shown] = _json_objects(result.stdout)
    assert shown["errors"][0]["code"] == "db.error.no_database"
    assert shown["errors"][0]["message"] == i18n.t("db.error.no_database", "en", target=str(missing))


def test_a_usage_error_without_json_is_clicks_usage_text():
    result = CliRunner().invoke(cli.vetopito, ["undo", "not-a-number"])
    assert result.exit_code == 2
    assert "Usage: vetopito undo" in result.stderr and "'not-a-number' is not a valid integer" in result.stderr
