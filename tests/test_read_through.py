"""The app reads its database through once per state of it (`vetopito.ui.database`): opened again on
a database nobody wrote since (the caches dropped), it is not read again; written since, it is. On
the file (`make test`) and on the lake (`make test-lake`: the state is the lake's snapshot)."""

from __future__ import annotations

from tests.apptest_helpers import app_test
from vetopito import db


def test_an_unchanged_database_is_read_through_once_and_a_written_one_again(app_env, demo_db_copy, monkeypatch):
    calls = []
    real = db.verify
    monkeypatch.setattr(db, "verify", lambda con: calls.append(1) or real(con))
    for _ in range(2):
        app_env(demo_db_copy)  # a cold cache: the connection is opened again
        assert not app_test().exception
    assert calls == [1]
    con = db.connect(demo_db_copy)
    before = db.store_state(con)
    db.set_meta(con, "read_through_probe", "1")
    assert db.store_state(con) != before
    con.close()
    app_env(demo_db_copy)
    assert not app_test().exception
    assert calls == [1, 1]
