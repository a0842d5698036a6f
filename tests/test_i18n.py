"""Texts in three languages and locale formatting."""

from __future__ import annotations

import datetime as dt

import pytest

from vetopito import i18n


def test_every_text_has_all_three_languages_and_keys_are_unique():
    texts = i18n.catalogue()
    assert texts, "no texts found"
    for key, entry in texts.items():
        assert set(entry) == set(i18n.LANGUAGES), key


@pytest.mark.parametrize(("lang", "expected"), [("fi", "12,5\u00a0%"), ("sv", "12,5\u00a0%"), ("en", "12.5\u00a0%")])
def test_percent_in_each_language(lang, expected):
    assert i18n.fmt_value(12.5, "pct", 1, lang) == expected


def test_finnish_thousands_use_a_no_break_space():
    assert i18n.fmt_number(1234567.891, 2, "fi") == "1\u00a0234\u00a0567,89"


def test_signed_change_uses_a_real_minus():
    assert i18n.fmt_number(-2.25, 1, "fi", sign=True) == "\u22122,2"
    assert i18n.fmt_number(3, 0, "fi", sign=True) == "+3"


def test_dates_read_day_month_year():
    assert i18n.fmt_date(dt.date(2024, 3, 15), "fi") == "15.3.2024"
    assert i18n.fmt_date(dt.datetime(2024, 3, 15, 12, 0), "en") == "15.3.2024"


@pytest.mark.parametrize(("grain", "expected"), [("year", "2024"), ("quarter", "Q2/2024"), ("month", "4/2024"), ("day", "1.4.2024")])
def test_periods(grain, expected):
    assert i18n.fmt_period(dt.date(2024, 4, 1), grain, "fi") == expected


def test_missing_values_show_a_dash():
    assert i18n.fmt_value(None, "pct", 1) == "–"
    assert i18n.fmt_value(float("nan"), "pct", 1) == "–"


def test_language_falls_back_to_finnish():
    assert i18n.set_language("de") == "fi"
    assert i18n.t("nav.upload") == "Lataa aineisto"
    i18n.set_language("sv")
    assert i18n.t("nav.upload") == "Ladda upp data"
    i18n.set_language("fi")


def test_unknown_key_is_an_error():
    with pytest.raises(i18n.MessageError):
        i18n.t("no.such.key")


def test_vega_locale_finnish_months_and_decimal_comma():
    locale = i18n.vega_locale("fi")
    assert locale["number"]["decimal"] == ","
    assert locale["time"]["months"][2] == "maaliskuu"
    assert locale["time"]["days"][0] == "sunnuntai"


def test_a_table_with_texts_may_also_hold_sub_tables(tmp_path, monkeypatch):
    (tmp_path / "x.toml").write_text(
        '[a]\nfi = "A"\nsv = "A"\nen = "A"\n[a.b]\nfi = "B"\nsv = "B"\nen = "B"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "MESSAGES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        assert i18n.catalogue() == {"a": {"fi": "A", "sv": "A", "en": "A"},
                                    "a.b": {"fi": "B", "sv": "B", "en": "B"}}
    finally:
        i18n.catalogue.cache_clear()


def test_a_text_lacking_a_language_is_reported(tmp_path, monkeypatch):
    (tmp_path / "x.toml").write_text('[a]\nfi = "A"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "MESSAGES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(i18n.MessageError, match="lacks sv, en"):
            i18n.catalogue()
    finally:
        i18n.catalogue.cache_clear()
