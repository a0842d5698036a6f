"""URL values that parse strangely: every page reads `?param=` through one checked
parser per kind of value (`ui.url_value`); a value that is not of its kind's shape, or names nothing
the page has, falls back to the default with a visible message, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.apptest_helpers import app_test
from vetopito import ui

DIGITS = "0123456789"


# --- the parsers ------------------------------------------------------------------------------------

@given(st.integers(min_value=0, max_value=999_999_999))
def test_url_int_reads_plain_numbers(n):
    assert ui.url_int(str(n)) == n
    assert ui.url_int(str(n).zfill(9)) == n


@given(st.text())
def test_url_int_is_none_or_nine_ascii_digits(text):
    value = ui.url_int(text)
    if value is None:
        assert not (0 < len(text) <= 9 and all(c in DIGITS for c in text))
    else:
        assert 0 < len(text) <= 9 and all(c in DIGITS for c in text) and value == int(text)


@pytest.mark.parametrize("text", ["²", "2024²", "٢٠٢٤", "２０２４", "1" * 5000, "1" * 10, "-1", "+1", " 2024", "2024 ",
                                  "1e3", "0x10", "2_024", "", "NaN"])
def test_url_int_refuses_what_python_would_half_accept(text):
    assert ui.url_int(text) is None


@given(st.text(max_size=200))
def test_every_parser_returns_none_or_a_bounded_ascii_value(text):
    for param, parse in ui.URL_KINDS.items():
        value = parse(text)
        if value is None:
            continue
        shown = str(value)
        assert shown.isascii() and len(shown) <= 64, (param, text)


@given(st.text(max_size=300))
def test_url_text_is_bounded_and_printable(text):
    value = ui.url_text(text)
    assert value is None or (value == text and len(value) <= ui.URL_TEXT_MAX and value.isprintable())


@pytest.mark.parametrize(("parse", "good", "bad"), [
    (ui.url_id, ["t3_laakari", "T2024-01", "YTA2", "work_content", "progress"],
     ["", "t3 laakari", "ä", "x" * 65, "-x", "a\nb", "<b>", "T2024-01²"]),
    (ui.url_region, ["15", "5", "HVA15", "90"], ["", "HVA-15", "Keski-Suomi" * 2, "15²", "1" * 11]),
    (ui.url_period, ["2024", "2024Q1", "2024-03", "2024-03-15"],
     ["", "13/2024", "2024Q5", "2024-3", "²⁰²⁴", "2024-03-15T00", "1" * 5000]),
    (ui.url_language, ["fi", "sv", "en"], ["", "de", "FI", "fi ", "x" * 300]),
])
def test_each_kind_accepts_its_shapes_only(parse, good, bad):
    assert [parse(g) for g in good] == good
    assert [parse(b) for b in bad] == [None] * len(bad)


# --- on the pages -------------------------------------------------------------------------------------

@pytest.fixture
def demo_app(app_env, demo_db_path):
    return app_env(demo_db_path)


def _toasts(at) -> str:
    return " ".join(t.value for t in at.toast)


@pytest.mark.parametrize("cohort", ["9" * 5000, "²", "2024²", "２０２４", "1999"])
def test_present_page_with_a_strange_cohort_falls_back_and_says_so(demo_app, cohort):
    at = app_test("present", query_params={"cohort": cohort})
    assert not at.exception, at.exception
    assert "Osoitteen arvoa cohort ei tunneta, joten näytetään 2025" in _toasts(at).replace("\\", "")
    assert at.query_params["cohort"] == "2025"  # the fallback, the newest cohort
    assert at.title[0].value  # a team is shown


def test_present_page_with_a_known_cohort_says_nothing(demo_app):
    at = app_test("present", query_params={"cohort": "2024"})
    assert not at.exception and not at.toast
    assert at.query_params["cohort"] == "2024"


def test_present_page_takes_the_cohort_of_the_team_in_the_url(demo_app):
    at = app_test("present", query_params={"team": "T2024-02"})
    assert not at.exception and not at.toast
    assert at.query_params["cohort"] == "2024" and at.query_params["team"] == "T2024-02"


@pytest.mark.parametrize(("page_name", "param", "value", "shown"), [
    ("cohort", "cohort", "²", "2025"),
    ("team", "team", "T2024-01²", None),
    ("compare", "period", "1" * 5000, None),
    (None, "region", "1" * 5000, None),
    (None, "indicator", "ei_ole", None),
])
def test_other_pages_fall_back_with_a_message(demo_app, page_name, param, value, shown):
    at = app_test(page_name, query_params={param: value})
    assert not at.exception, at.exception
    toasts = _toasts(at).replace("\\", "")
    assert f"Osoitteen arvoa {param} ei tunneta, joten näytetään" in toasts, toasts
    if shown:
        assert f"näytetään {shown}" in toasts


def test_an_unknown_language_falls_back_to_finnish_and_says_so(demo_app):
    at = app_test(query_params={"lang": "de" * 2000})
    assert not at.exception
    assert "Osoitteen arvoa lang ei tunneta, joten näytetään Suomi" in _toasts(at).replace("\\", "")
