"""`vetopito maintain`: on the embedded file a checkpoint and nothing else, said plainly (the lake's
steps are in tests/test_lake_maintain.py)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from vetopito import cli, db, maintain


@pytest.mark.file_only
def test_maintain_on_the_file_is_a_checkpoint_and_changes_nothing(reference_db_path, tmp_path):
    path = tmp_path / "m.duckdb"
    shutil.copy(reference_db_path, path)
    con = db.connect(path)
    before, version = db.row_counts(con), db.data_version(con)
    result = maintain.maintain(con)
    assert result.backend == "file" and [s.name for s in result.steps] == ["checkpoint"]
    assert db.row_counts(con) == before and db.data_version(con) == version
    con.close()
    done = CliRunner().invoke(cli.vetopito, ["maintain", "--db", str(path), "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["ok"] and report["backend"] == "file" and report["steps"][0]["step"] == "checkpoint"
    done = CliRunner().invoke(cli.vetopito, ["maintain", "--db", str(path)])
    assert done.exit_code == 0 and "checkpoint" in done.stdout
