"""Every process sees a commit at once (issue 12, item 3): an app process reads the data version at
most once a second and, when it moved, drops its data caches, so a load by another connection shows
on the next rerun without a restart."""

from __future__ import annotations

import time

from tests.apptest_helpers import app_test, tile_value

NEW_LATEST = b"indicator,unit,period,value\nt3_laakari,HVA15,2026-10,87\n"


def test_a_load_by_another_connection_shows_on_the_next_rerun(app_env, demo_db_copy):
    from vetopito import db, ingest
    from vetopito.ui import store

    app_env(demo_db_copy)
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    assert not at.exception
    assert tile_value(at) == "29 pv 10/2026"
    version = store._seen_version()["version"]

    # another connection (the app's process holds the file; on a lake this is any process)
    other = db.connect(demo_db_copy)
    try:
        report = ingest.load(other, NEW_LATEST, file_name="later.csv", user="night-job")
        assert report.committed, report
    finally:
        other.close()

    time.sleep(1.2)   # the version is read at most once a second
    at.run()
    assert not at.exception
    assert store._seen_version()["version"] == version + 1
    assert tile_value(at) == "87 pv 10/2026"


def test_a_moved_version_drops_the_data_caches(app_env, demo_db_copy):
    from vetopito.ui import store

    app_env(demo_db_copy)
    at = app_test(query_params={"region": "15"})
    assert not at.exception
    calls = []
    original = store._drop_data_caches
    try:
        store._drop_data_caches = lambda: calls.append(1) or original()
        seen = store._seen_version()
        seen["version"] = seen["version"] - 1      # as if another writer had committed since
        store.data_version()
        assert calls == [1]
        store.data_version()                       # the same version again: nothing dropped
        assert calls == [1]
    finally:
        store._drop_data_caches = original


def _t3_october(read, period_start="2026-10-01") -> float:
    from datetime import date

    from vetopito import access
    from vetopito.ui.database import connection

    rows = read("pages/compare/region_values", {
        "indicator_id": "t3_laakari", "grain": "month",
        "period_start": date.fromisoformat(period_start) if period_start[0].isdigit() else period_start,
        "scope_units": list(access.full_scope(connection()).unit_ids), "scope_indicators": ["t3_laakari"]})
    return rows.filter(rows["unit_id"] == "HVA15")["value"].item()


def test_a_page_run_reads_one_snapshot_while_another_connection_commits(app_env, demo_db_copy):
    from vetopito import db, ingest
    from vetopito.ui import store

    app_env(demo_db_copy)
    with store.one_snapshot():
        assert _t3_october(store._read) == 29
        other = db.connect(demo_db_copy)
        try:
            assert ingest.load(other, NEW_LATEST, file_name="later.csv", user="night-job").committed
        finally:
            other.close()
        assert _t3_october(store._read) == 29        # the run's later queries: the same snapshot
    with store.one_snapshot():
        assert _t3_october(store._read) == 87        # the next run: the new data


def test_a_failed_query_ends_the_runs_snapshot_and_the_next_reads_again(app_env, demo_db_copy):
    import duckdb
    import pytest

    from vetopito.ui import store

    app_env(demo_db_copy)
    with store.one_snapshot():
        assert _t3_october(store._read) == 29
        with pytest.raises(duckdb.Error):
            _t3_october(store._read, period_start="not a date")
        assert _t3_october(store._read) == 29


def test_a_run_keeps_its_data_version_while_another_connection_commits(app_env, demo_db_copy):
    # a run that saw the version move half-way would cache its snapshot's old rows under the new
    # version's key, and every later run would be served them
    from vetopito import db, ingest
    from vetopito.ui import store

    app_env(demo_db_copy)
    with store.one_snapshot():
        version = store.data_version()
        assert _t3_october(store._read) == 29
        other = db.connect(demo_db_copy)
        try:
            assert ingest.load(other, NEW_LATEST, file_name="later.csv", user="night-job").committed
        finally:
            other.close()
        time.sleep(1.2)   # past the once-a-second read
        assert store.data_version() == version
    with store.one_snapshot():
        assert store.data_version() == version + 1
        assert _t3_october(store._read) == 87
