"""Plural forms through Babel's CLDR plural rules in all three languages, and no English text in
the Finnish or Swedish catalogue where the user would read it as English."""

from __future__ import annotations

import pytest

from vetopito import i18n

FORMS = {  # n → (fi, sv, en) of `privacy.hidden_note`'s count
    0: ("0 arvoa piilotettu", "0 värden dolda", "0 values hidden"),
    1: ("1 arvo piilotettu", "1 värde dolt", "1 value hidden"),
    2: ("2 arvoa piilotettu", "2 värden dolda", "2 values hidden"),
    5: ("5 arvoa piilotettu", "5 värden dolda", "5 values hidden"),
    21: ("21 arvoa piilotettu", "21 värden dolda", "21 values hidden"),
}


@pytest.mark.parametrize("n", sorted(FORMS))
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_hidden_values_take_the_plural_form_of_the_count(n, lang):
    text = i18n.t("privacy.hidden_note", lang, n=n, reason="x")
    assert text.startswith(FORMS[n][i18n.LANGUAGES.index(lang)] + ": x."), text


@pytest.mark.parametrize(("n", "fi", "sv", "en"), [
    (0, "0 mittausta", "0 mätningar", "0 measurements"),
    (1, "1 mittaus", "1 mätning", "1 measurement"),
    (2, "2 mittausta", "2 mätningar", "2 measurements"),
    (5, "5 mittausta", "5 mätningar", "5 measurements"),
    (21, "21 mittausta", "21 mätningar", "21 measurements"),   # CLDR: 21 is `other` in fi/sv/en
])
def test_measurement_count(n, fi, sv, en):
    for lang, expected in zip(i18n.LANGUAGES, (fi, sv, en), strict=True):
        assert f"({expected})" in i18n.t("team.summary.no_signal", lang, n=n)


@pytest.mark.parametrize(("value", "category"), [
    (0, "other"), (1, "one"), (2, "other"), (5, "other"), (21, "other"), ("1", "one"), ("1,0", "other"),
    ("12\u00a0345", "other"), (1.5, "other"), (None, "other"), ("–", "other"),
])
def test_plural_category_follows_babel(value, category):
    assert i18n.plural_category(value, "fi") == category


def test_formatted_numbers_choose_the_form_too():
    assert i18n.t("units.n_units", "fi", n=i18n.fmt_number(1)) == "1 yksikkö"
    assert i18n.t("units.n_units", "en", n=i18n.fmt_number(1234, lang="en")) == "1,234 units"
    assert i18n.t("slides.size_value", "sv", n=1) == "1 person"


def test_exact_branch_wins_and_nested_fields_are_filled():
    text = "{n, plural, =0 {ei yhtään} one {# {what}} other {# {what}a}}"
    assert i18n.expand_plurals(text, "fi", {"n": 0}).format(n=0, what="x") == "ei yhtään"
    assert i18n.expand_plurals(text, "fi", {"n": 3}).format(n=3, what="rivi") == "3 rivia"


def test_t_plural_uses_babel_categories():
    assert i18n.t_plural("ingest.cli.rejected", 1) == "hylätty: 1 virhe, mitään ei tallennettu"
    assert i18n.t_plural("ingest.cli.rejected", 1.5, total="1,5").startswith("hylätty: 1,5 virhettä")


def test_every_plural_text_parses_in_every_language():
    for key, texts in i18n.catalogue().items():
        for lang, text in texts.items():
            if ", plural," in text:
                for n in (0, 1, 2, 5, 21):
                    expanded = i18n.expand_plurals(text, lang, {name: n for name in _fields(text)})
                    assert "plural" not in expanded and "#" not in expanded, (key, lang, expanded)


def _fields(text: str) -> set[str]:
    import re
    return set(re.findall(r"\{(\w+)", text))


# Texts that are the same in Swedish (or Finnish) and English on purpose: names, units, codes,
# and Swedish words that English shares.
SAME_ON_PURPOSE = {
    "signals.sr.variation",  # Swedish "Variation:" is the English word too
    "cohort.aim_met.reliably",  # "✓ SPC": a mark and an acronym, the same in every language
    "app.title", "unit.pct.suffix", "unit.days.suffix", "unit.hours.suffix", "unit.count.suffix",
    "unit.score.suffix", "ingest.word.encoding.utf_8", "ingest.word.encoding.iso_8859_15",
    "region.chart.title_of", "team.hidden_or_none", "auth.role.coach", "admin.import.column.problem",
    "catalog.col.definition", "app.section.data", "app.section.admin", "ingest.page.error_column.problem",
    "ingest.page.column.format", "ingest.page.column.status", "ingest.page.column.period",
    "region.chart.period", "region.chart.signal", "compare.choose_period", "units.col.period",
    "team.workshop_n", "team.col.team", "team.col.signal", "team.chart.period", "team.chart.signal",
    "team.page.choose", "team.workshop_marker", "cohort.total.median", "present.page.position",
    "alt.col.period", "alt.col.median", "alt.col.signal", "alt.team_signal.trend",
    "export.column.period",  # Swedish "period" is the English word too
    "followup.chart.period", "programme.column.text",  # Swedish "period", "text" are the English words
    # only punctuation around placeholders: the words come from the data or from other texts
    "catalog.scope_of", "followup.status.indicator_value", "followup.chart.indicator_title",
    "followup.region.programme_line", "followup.report.written",
}


def test_no_finnish_or_swedish_text_is_its_english_one():
    same = {key for key, texts in i18n.catalogue().items()
            if texts["en"].strip() and (texts["fi"] == texts["en"] or texts["sv"] == texts["en"])}
    assert same <= SAME_ON_PURPOSE, sorted(same - SAME_ON_PURPOSE)


def test_streamlit_widget_texts_are_translated():
    for key in ("app.picker.placeholder", "app.picker.no_results", "app.skip_to_content",
                "app.uploader.browse", "app.uploader.limit"):
        texts = i18n.catalogue()[key]
        assert texts["fi"] != texts["en"] and texts["sv"] != texts["en"], key
