"""Month names come from Babel (CLDR), not hand-typed tuples, and periods written with
them still read as the months they name."""

from __future__ import annotations

import pytest

from vetopito import i18n
from vetopito.ingest import values


def test_month_names_are_cldrs():
    assert i18n.month_names("fi")[0] == "tammikuu" and i18n.month_names("fi")[11] == "joulukuu"
    assert i18n.month_names("sv")[4] == "maj" and i18n.month_names("en")[8] == "september"
    assert all(len(i18n.month_names(lang)) == 12 for lang in i18n.LANGUAGES)
    assert not hasattr(i18n, "month_name")  # the unused one is gone


@pytest.mark.parametrize(("word", "month"), [
    ("tammikuu", 1), ("Maaliskuu", 3), ("kesä", 6), ("joulu", 12), ("heinäkuu", 7),
    ("januari", 1), ("maj", 5), ("okt", 10), ("December", 12), ("sep", 9), ("Feb.", 2),
    ("tammikuuta", 1), ("mayo", None), ("kuu", None),
])
def test_month_words(word, month):
    assert values._month_number(word) == month


def test_months_in_the_vega_locale_agree():
    for lang in i18n.LANGUAGES:
        assert [m.lower() for m in i18n.vega_locale(lang)["time"]["months"]] == list(i18n.month_names(lang))
