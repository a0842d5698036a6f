"""One error shape across the command line: every command that takes `--json`, given a bad
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

# Commands without `--json`, and why.
NO_JSON = {"serve": "it runs the server in this process; an unsafe setting is said on stderr (exit 2)"}

# command → (arguments after the command, with GARBAGE / MISSING / DEMO / TMP replaced; exit code)
BAD_INPUTS = {
    "info": (["--db", "GARBAGE"], 2),
    "check-db": (["--db", "GARBAGE"], 2),
    "check": (["MISSING", "--db", "DEMO"], 2),
    "load": (["--db", "GARBAGE", str(FIXTURES / "targets_good.csv")], 2),
    "loads": (["--db", "GARBAGE"], 2),
    "undo": (["999", "--db", "DEMO", "--yes"], 2),
    "export data": (["--region", "99", "--out", "TMP/o.csv", "--db", "DEMO"], 2),
    "export slides": (["--team", "T1999-99", "--out", "TMP/o.pptx", "--db", "DEMO"], 2),
    "export catalogue": (["--out", "TMP/o.csv", "--db", "GARBAGE"], 2),
    "users import": (["MISSING", "--db", "DEMO"], 2),
    "users list": (["--db", "GARBAGE"], 2),
    "users grant": (["a@example.fi", "analyst", "region:99", "--db", "DEMO"], 2),
    "users revoke": (["a@example.fi", "analyst", "planet:mars", "--db", "DEMO"], 2),
    "audit": (["--db", "GARBAGE"], 2),
    "seed": (["--no-build", "an-extra-argument"], 2),  # seed writes data/seed/ first: a usage error only
    "init": (["--db", "GARBAGE"], 2),
    "bench": (["--size", "no-such-size"], 2),
    "copy": (["--from", "GARBAGE", "--to", "TMP/copy.duckdb"], 2),
    "maintain": (["--db", "GARBAGE"], 2),
    "export programme": (["NO-SUCH-PROGRAMME", "--out", "TMP/programme", "--db", "DEMO"], 2),
}
REPORTS = {  # a rejected file: its report, with `ok: false` beside it
    "load": ([str(FIXTURES / "observations_bad.csv"), "--db", "DEMO"], 1),
    "check": ([str(FIXTURES / "observations_bad.csv"), "--db", "DEMO"], 1),
}


def _invoke(command: str, args: list[str], tmp_path: Path, demo: Path):
    garbage = tmp_path / "roskaa.duckdb"
    garbage.write_bytes(b"this is no database\n" * 1000)
    swap = {"GARBAGE": str(garbage), "MISSING": str(tmp_path / "puuttuu.csv"), "DEMO": str(demo)}
    argv = [*command.split(), *(swap.get(a, a).replace("TMP/", f"{tmp_path}/") for a in args), "--json"]
    return CliRunner().invoke(cli.vetopito, argv, catch_exceptions=False)


def _json_objects(text: str) -> list[dict]:
    """stdout as JSON: one object, or one per line (`check`/`load` print one per file)."""
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_command_takes_json_and_has_a_bad_input_here():
    every = sorted(name for name, _ in _leaves(cli.vetopito))
    assert sorted(set(every) - set(JSON_COMMANDS)) == sorted(NO_JSON), "give the command --json (or a reason in NO_JSON)"
    missing = sorted(set(JSON_COMMANDS) - set(BAD_INPUTS))
    assert not missing, f"add a bad input for {missing} to BAD_INPUTS (tests/test_cli_errors.py)"


def test_undo_under_json_does_not_ask(tmp_path, demo_db_copy):
    loaded = _invoke("load", [str(FIXTURES / "targets_good.csv"), "--db", "DEMO"], tmp_path, demo_db_copy)
    [report] = _json_objects(loaded.stdout)
    load_id = report["load_id"]
    assert loaded.exit_code == 0 and load_id is not None, loaded.stdout
    result = _invoke("undo", [str(load_id), "--db", "DEMO"], tmp_path, demo_db_copy)
    assert result.exit_code == 2, result.stdout + result.stderr
    [shown] = _json_objects(result.stdout)
    assert shown == {"ok": False, "errors": [{"code": "ingest.cli.undo_needs_yes", "load_id": load_id,
                                              "message": i18n.t("ingest.cli.undo_needs_yes", "fi", load_id=load_id)}]}
    done = _invoke("undo", [str(load_id), "--db", "DEMO", "--yes"], tmp_path, demo_db_copy)
    [undone] = _json_objects(done.stdout)
    assert done.exit_code == 0 and undone["ok"] is True and undone["load_id"] == load_id


@pytest.mark.parametrize("command", sorted(BAD_INPUTS))
def test_a_bad_input_gives_the_one_error_shape(command, tmp_path, demo_db_copy):
    args, code = BAD_INPUTS[command]
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
