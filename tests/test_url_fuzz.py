"""A link can carry anything in its query string (a mistyped or an old region, a period that does
not exist, a language we do not have): every page opens and falls back, never an exception."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apptest_helpers import app_test

PAGES = [None, "compare", "units", "team", "cohort", "present", "upload", "catalog", "admin"]
VALUES = st.sampled_from(["", "15", "HVA15", "99", "Keski-Suomi", "t3_laakari", "ei_ole", "2024-03", "2024",
                          "13/2024", "T2026-01", "T1999-99", "2026", "abc", "-1", "0", "en", "sv", "de", "YTA2",
                          "name", "trend", "work_content", "x" * 300, "ä%20;'\"<>", "1e400", "NaN",
                          # values that parse strangely: digits str.isdigit accepts and int() refuses,
                          # more digits than int() reads, control characters
                          "9" * 5000, "²", "2024²", "٢٠٢٤", "２０２４", "2024\n", "\x00", "\u2028"])
PARAMS = st.dictionaries(st.sampled_from(["region", "indicator", "period", "team", "cohort", "lang", "sort",
                                          "theme", "yta", "unit"]), VALUES, max_size=4)
EXAMPLES = int(os.environ.get("VETOPITO_FUZZ_EXAMPLES", "300")) // 15


@pytest.fixture
def demo_app(app_env, demo_db_path):
    return app_env(demo_db_path)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PAGES), PARAMS)
def test_any_link_opens_its_page(demo_app, page, params):
    at = app_test(page, query_params=params)
    assert not at.exception, (page, params, at.exception)


STRANGE = ["9" * 5000, "²", "2024²", "２０２４", "\x00<b>", "T2024-01\u2028"]


@pytest.mark.parametrize("strange", STRANGE)
@pytest.mark.parametrize("page_name", PAGES)
def test_every_parameter_strange_at_once(demo_app, page_name, strange):
    params = {p: strange for p in ["region", "indicator", "period", "team", "cohort", "lang", "sort", "theme",
                                   "yta", "unit"]}
    at = app_test(page_name, query_params=params)
    assert not at.exception, (page_name, strange[:20], at.exception)
