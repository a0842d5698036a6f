"""Text alternatives of the charts (vetopito.alt_text): the sentence a screen-reader user hears
says what the chart shows, the latest value and the signal; the table holds the chart's data;
hidden values stay hidden."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import polars as pl
import pytest

from vetopito import alt_text

META = {"indicator_id": "t3", "name_fi": "T3 lääkäri", "name_sv": "T3 läkare", "name_en": "T3 doctor",
        "unit": "days", "decimals": 0}


def spc_data(values, variation="improvement"):
    n = len(values)
    frame = pl.DataFrame({
        "period_start": [dt.date(2024, m + 1, 1) for m in range(n)], "grain": ["month"] * n,
        "value": values, "mean": [40.0] * n, "lower": [30.0] * n, "upper": [50.0] * n,
        "variation": ["common_cause"] * (n - 1) + [variation],
    })
    return {"spc": frame, "meta": META, "title": "T3 lääkäri — Keski-Suomi",
            "target": {"legend": "Tavoite 0 pv 31.12.2023 mennessä"}}


@pytest.mark.parametrize("lang, words", [
    ("fi", ["T3 lääkäri — Keski-Suomi", "2 arvoa 1/2024–3/2024", "Viimeisin arvo 29", "(3/2024)",
            "signaali: Parantuminen", "Tavoite 0 pv"]),
    ("sv", ["2 värden", "Senaste värdet 29", "signal: Förbättring"]),
    ("en", ["2 values", "Latest value 29", "signal: Improvement"]),
])
def test_region_trend_says_what_latest_and_signal(lang, words):
    alternative = alt_text.region_trend(spc_data([45.0, None, 29.0]), lang)
    for word in words:
        assert word in alternative.summary, (word, alternative.summary)


def test_region_trend_table_is_the_charts_data_with_localised_headers():
    table = alt_text.region_trend(spc_data([45.0, 41.5, 29.0], "concern"), "fi").table()
    assert table.columns == ["Jakso", "Arvo", "Keskiarvo", "Alaraja", "Yläraja", "Signaali"]
    assert table.height == 3
    assert table.row(-1) == ("3/2024", "29\u00a0pv", "40\u00a0pv", "30\u00a0pv", "50\u00a0pv", "Huolestuttava")


def test_a_series_without_values_says_so():
    alternative = alt_text.region_trend(spc_data([None, None]), "fi")
    assert alternative.summary == "T3 lääkäri — Keski-Suomi: ei näytettäviä arvoja."


def regions_frame():
    return pl.DataFrame({
        "code": ["06", "15", "14", "90"], "name": ["Satakunta", "Keski-Suomi", "Pohjois-Karjala", "Helsinki"],
        "value": [78.3, 56.2, 37.1, None], "value_text": ["78,3 %", "56,2 %", "37,1 %", "–"],
        "is_hidden": [False, False, False, True], "chosen": [False, True, False, False], "rank": [1, 2, 3, None],
    })


def test_comparison_names_highest_lowest_country_and_chosen_region():
    data = {"meta": {**META, "unit": "pct", "decimals": 1}, "regions": regions_frame(), "national": 55.64,
            "period_text": "1/2019"}
    summary = alt_text.comparison(data, "fi", chart="map").summary
    assert summary.startswith("Kartta: T3 lääkäri, 1/2019, 3 aluetta.")
    assert "Suurin arvo Satakunta 78,3 %" in summary and "pienin Pohjois-Karjala 37,1 %" in summary
    assert "koko maa 55,6\u00a0%" in summary and "Valittu alue Keski-Suomi: 56,2\u00a0%, sija 2/3." in summary
    assert alt_text.comparison(data, "en", chart="ranking").summary.startswith("Ranking: T3 doctor, 1/2019, 3 regions.")
    table = alt_text.comparison(data, "fi", chart="ranking").table()
    assert table["Alue"].to_list() == ["Satakunta (06)", "Keski-Suomi (15)", "Pohjois-Karjala (14)", "Helsinki (90)"]
    assert table.row(-1) == ("–", "Helsinki (90)", "piilotettu (liian harvaan henkilöön perustuva)")


def test_funnel_names_the_regions_outside_the_limits():
    points = regions_frame().head(3).with_columns(
        pl.Series("denominator", [2652.0, 1519.0, 900.0]), pl.Series("outside", ["out998", "inside", "out95"]))
    data = {"meta": {**META, "unit": "pct", "decimals": 1}, "period_text": "1/2019",
            "funnel": {"points": points, "centre": 55.64}}
    alternative = alt_text.funnel(data, "fi")
    assert "Rajojen sisällä 1; 95 %:n rajojen ulkopuolella: Pohjois-Karjala; " \
           "99,8 %:n rajojen ulkopuolella: Satakunta." in alternative.summary
    assert alternative.table()["Suppilon rajat"].to_list() == [
        "95 %:n rajojen ulkopuolella", "rajojen sisällä", "99,8 %:n rajojen ulkopuolella"]


def test_units_summary_and_table():
    series = pl.DataFrame({
        "unit_id": ["a", "a", "b", "b"], "name": ["Asema A", "Asema A", "Asema B", "Asema B"],
        "period_start": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)] * 2, "grain": ["month"] * 4,
        "value": [10.0, 12.0, 30.0, None], "is_hidden": [False, False, False, True]})
    alternative = alt_text.units(series, META, "fi")
    assert "2 yksikköä, viimeisin jakso 2/2024" in alternative.summary
    assert "Suurin viimeisin arvo Asema B 30\u00a0pv (1/2024), pienin Asema A 12\u00a0pv (2/2024)" in alternative.summary
    assert alternative.table().row(-1) == ("Asema B", "2/2024", "piilotettu (liian harvaan henkilöön perustuva)")


def test_team_measure_keeps_a_hidden_value_hidden():
    points = pl.DataFrame({
        "period_start": [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)], "grain": ["month"] * 3,
        "value": [7.9, 6.6, None], "is_hidden": [False, False, True], "median": [7.25] * 3,
        "baseline": [True, False, False], "shift": [False, True, False], "trend": [False] * 3,
        "astronomical": [False] * 3, "period_label": ["1/2024", "2/2024", "3/2024"]})
    measure = SimpleNamespace(name="Ylityötunnit", unit="hours", decimals=1, points=points,
                              baseline_value=7.9, baseline_hidden=None, aim_value=5.2,
                              aim_date=dt.date(2025, 6, 30), summary={"shift": True})
    alternative = alt_text.team_measure(measure, "fi")
    assert alternative.summary == ("Ajokaavio: Ylityötunnit, 2 mittausta. Viimeisin arvo 6,6\u00a0h (2/2024); "
                                   "lähtötaso 7,9\u00a0h; tavoite 5,2\u00a0h (30.6.2025); signaali: siirtymä.")
    table = alternative.table()
    assert table.columns == ["Jakso", "Arvo", "Mediaani", "Vaihe", "Signaali"]
    assert table["Arvo"].to_list() == ["7,9\u00a0h", "6,6\u00a0h", "piilotettu (liian harvaan henkilöön perustuva)"]
    assert table["Signaali"].to_list() == ["–", "siirtymä", "–"]
