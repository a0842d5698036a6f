"""A link can carry anything in its query string (a mistyped or an old region, a period that does
not exist, a language we do not have): every page opens, never an exception, and answers each
parameter it reads: it shows what the value names, or it says that it does not know the value
(a message naming the parameter) and shows its documented fallback, and the URL then holds
what is shown. The presentation page's team falls back, as its docstring says, to the first
team of the cohort, without a message."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests import examples
from tests.apptest_helpers import app_test
from vetopito import db, i18n, scoped
from vetopito.teams import progress
from vetopito.ui import urls

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


@pytest.fixture(scope="module")
def cohort_of_team(demo_db_path) -> dict[str, str]:
    con = db.connect(demo_db_path, read_only=True)
    try:
        listing = progress.team_list(scoped.runner(con), "fi")
    finally:
        con.close()
    return {t: str(c) for t, c in zip(listing["team_id"].to_list(), listing["cohort_year"].to_list(), strict=True)}


def open_fresh(page: str | None, params: dict[str, str]) -> AppTest:
    """The page opened from a link in a new session: the page runs first and alone, with the
    link's query string (`app_test`: as a browser opens `/<url_path>?…`)."""
    return app_test(page, query_params=params)


def _unknown_said(at: AppTest, param: str) -> bool:
    """A message says that the URL's `param` is not known (in whichever language the page speaks)."""
    toasts = " ".join(t.value for t in at.toast).replace("\\", "")
    return any(i18n.t("url.unknown", lang, param=param, shown="\x00").split("\x00")[0] in toasts
               for lang in i18n.LANGUAGES)


def _picker_keys(at: AppTest) -> set[str]:
    return {box.key for box in at.selectbox}


def _names(param: str, value: str, shown: str) -> bool:
    """Whether the URL's `value` names the option `shown` (a region also by its unit id or unpadded code)."""
    if value == shown:
        return True
    return param == "region" and value.strip().upper() in {f"HVA{shown}", shown.lstrip("0")}


def assert_link_answered(at: AppTest, page: str | None, params: dict[str, str],
                         cohort_of_team: dict[str, str]) -> None:
    """Each parameter the page reads (a picker `w_<param>`, the language, the presentation's team and
    cohort) shows what the URL names, or a message names the parameter and the fallback is shown."""
    assert not at.exception, (page, params, at.exception)
    read = [p for p in urls.URL_KINDS if p != "lang" and f"w_{p}" in _picker_keys(at)] if page != "present" else []
    for param in read:
        wanted = params.get(param) or ""
        shown = str(at.selectbox(key=f"w_{param}").value)
        assert at.query_params.get(param) == shown, (page, param, "the URL holds what is shown")
        if not wanted:
            continue
        if urls.URL_KINDS[param](wanted) is None or not _names(param, wanted, shown):
            assert _unknown_said(at, param), (page, param, wanted, shown, "no message names the parameter")
            assert not _names(param, wanted, shown), (page, param, wanted)
        else:
            assert not _unknown_said(at, param), (page, param, wanted, "a known value was called unknown")
    wanted = params.get("lang") or ""
    language = at.selectbox(key="w_lang").value
    assert at.query_params.get("lang") == (None if language == i18n.DEFAULT_LANGUAGE else language)
    if wanted and urls.url_language(wanted) is None:
        assert _unknown_said(at, "lang") and language == i18n.DEFAULT_LANGUAGE, (page, wanted)
    elif wanted:
        assert language == wanted and not _unknown_said(at, "lang"), (page, wanted)
    if page == "present":
        team, cohort = at.query_params.get("team"), at.query_params.get("cohort")
        assert cohort_of_team.get(team) == cohort, (params, team, cohort, "the team shown is of the cohort shown")
        assert at.title and at.title[0].value, "a team is shown"
        asked_team, asked_cohort = params.get("team") or "", params.get("cohort") or ""
        if asked_team in cohort_of_team and urls.url_id(asked_team):
            assert team == asked_team and not _unknown_said(at, "cohort"), (params, team)
            return
        first = min(t for t, c in cohort_of_team.items() if c == cohort)
        assert team == first, (params, team, "an unknown team falls back to the cohort's first")
        if asked_cohort and asked_cohort != cohort:
            assert _unknown_said(at, "cohort"), (params, cohort)
        elif asked_cohort:
            assert not _unknown_said(at, "cohort"), (params, cohort)
        else:
            assert cohort == max(cohort_of_team.values()), (params, cohort, "no cohort: the newest")


@settings(max_examples=examples.on_store(EXAMPLES), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PAGES), PARAMS)
def test_any_link_opens_its_page(demo_app, cohort_of_team, page, params):
    assert_link_answered(open_fresh(page, params), page, params, cohort_of_team)


STRANGE = ["9" * 5000, "²", "2024²", "２０２４", "\x00<b>", "T2024-01\u2028"]


@pytest.mark.parametrize("strange", STRANGE)
@pytest.mark.parametrize("page_name", PAGES)
def test_every_parameter_strange_at_once(demo_app, cohort_of_team, page_name, strange):
    params = {p: strange for p in ["region", "indicator", "period", "team", "cohort", "lang", "sort", "theme",
                                   "yta", "unit"]}
    at = open_fresh(page_name, params)
    assert_link_answered(at, page_name, params, cohort_of_team)
    pickers = [p for p in urls.URL_KINDS if f"w_{p}" in _picker_keys(at)]
    assert all(_unknown_said(at, p) for p in pickers), (page_name, pickers, "each picker names its parameter")
