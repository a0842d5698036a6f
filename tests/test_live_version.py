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
