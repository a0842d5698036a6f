"""Every process sees a commit at once (issue 12, item 3): an app process reads the data version at
most once a second and, when it moved, drops its data caches, so a load by another connection shows
on the next rerun without a restart."""

from __future__ import annotations

import html
import re
import time

from tests.apptest_helpers import app_test

NEW_LATEST = b"indicator,unit,period,value\nt3_laakari,HVA15,2026-10,87\n"


def _tile_value(at, indicator: str = "t3_laakari") -> str:
    """The latest value as the region page's tile shows it (the tile grid is one HTML element),
    tags dropped and spaces folded: `29 pv 10/2026`."""
    grid = next(h.proto.body for h in at.get("html") if 'class="vv-grid"' in h.proto.body)
    tile = re.search(rf'data-indicator="{indicator}">(.*?)</li>', grid, re.S).group(1)
    value = re.search(r'<p class="vv-value">(.*?)</p>', tile, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", value)).split())


def test_a_load_by_another_connection_shows_on_the_next_rerun(app_env, demo_db_copy):
    from vetopito import db, ingest
    from vetopito.ui import store

    app_env(demo_db_copy)
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    assert not at.exception
    assert _tile_value(at) == "29 pv 10/2026"
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
    assert _tile_value(at) == "87 pv 10/2026"


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
