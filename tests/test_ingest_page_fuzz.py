"""The upload page shows whatever file it is given: a plan or the problems, never an exception
(the files of tests/test_ingest_fuzz.py, through the page's own views of the report)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from tests import examples
from tests.apptest_helpers import app_test, upload
from tests.test_ingest_fuzz import texts
from tests.test_ingest_page import page_db  # noqa: F401  (the fixture)

EXAMPLES = int(os.environ.get("VETOPITO_FUZZ_EXAMPLES", "300")) // 10


@settings(max_examples=examples.on_store(EXAMPLES), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts())
def test_the_upload_page_shows_any_file(page_db, data):  # noqa: F811
    at = app_test("upload")
    upload(at, "fuzz.csv", data)
    assert not at.exception, at.exception
    assert at.error or at.metric  # the problems, or the plan's counts
