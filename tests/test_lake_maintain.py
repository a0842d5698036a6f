"""`vetopito maintain` on a lake (`make test-lake`): after loads and undos it expires the old
snapshots, merges and deletes files, and every value and the data version stay as they were. The
lake has a data path of its own: maintenance deletes files, and the fixtures' copied lakes share
their template's."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests import sql
from vetopito import backend as store
from vetopito import cli, db, ingest, maintain


@pytest.fixture
def lake(backend, stores, tmp_path, monkeypatch):
    if backend != "lake":
        pytest.skip("on the lake only: make test-lake")
    monkeypatch.setenv(store.DATA_PATH_VAR, str(tmp_path / "own-data"))
    return stores.new("maintain")


def test_maintain_expires_snapshots_merges_files_and_changes_no_value(lake):
    con = db.connect(lake)
    try:
        for month in range(1, 7):   # six small loads, and a change and an undo of one of them
            ingest.load(con, f"indicator,unit,period,value\nt3_laakari,HVA15,2025-{month:02d},{month}\n".encode(),
                        file_name=f"m{month}.csv")
        changed = ingest.load(con, b"indicator,unit,period,value\nt3_laakari,HVA15,2025-03,33\n", file_name="c.csv")
        ingest.undo(con, changed.load_id, user="test")
        values, version = sql.run(con, "load/observations").rows(), db.data_version(con)
        result = maintain.maintain(con, keep_days=0, grace_hours=0)
        steps = {s.name: s for s in result.steps}
        assert list(steps) == ["flush", "expire", "rewrite", "merge", "cleanup", "orphans"]
        assert steps["expire"].done > 0 and result.after["snapshots"] < result.before["snapshots"]
        assert result.after["snapshots"] >= 1
        assert sql.run(con, "load/observations").rows() == values and db.data_version(con) == version
        assert db.key_problems(con).is_empty()
        ingest.undo(con, ingest.loads(con).filter(file_name="m6.csv")["load_id"][0], user="test")  # undo still works
        assert len(sql.run(con, "load/observations")) == 5
        db.verify(con)
    finally:
        con.close()
    done = CliRunner().invoke(cli.vetopito, ["maintain", "--db", lake, "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["backend"] == "lake" and [s["step"] for s in report["steps"]][0] == "flush"
