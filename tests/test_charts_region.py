"""The director's charts through `chart.to_dict()`: marks, fields, types and the Finnish locale."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from vetopito.regions import charts, compare, signals

pytestmark = pytest.mark.usefixtures("typed_channels")   # every chart here passes typed encodings

META = {"indicator_id": "x", "unit": "pct", "decimals": 1, "direction": "higher", "aggregation": "ratio",
        "name_fi": "X", "short_fi": "X", "theme": "access", "min_persons": None}


def _series(n: int, with_denominators: bool = True) -> pl.DataFrame:
    starts = [dt.date(2020 + i // 12, i % 12 + 1, 1) for i in range(n)]
    den = [1000.0 + 10 * i for i in range(n)]
    num = [round(d * (0.5 + (0.2 if i == n - 1 else 0.01 * (i % 3)))) for i, d in enumerate(den)]
    return pl.DataFrame({"indicator_id": "x", "unit_id": "HVA15", "period_start": starts, "grain": "month",
                         "value": [100 * a / b for a, b in zip(num, den, strict=True)],
                         "numerator": num if with_denominators else [None] * n,
                         "denominator": den if with_denominators else [None] * n})


def _data(n: int = 24, p: bool = True) -> dict:
    series = _series(n, p)
    frame = signals.spc_frame(series, META, [dt.date(2021, 1, 1)])
    return {"meta": META, "spc": frame, "p_chart": p, "trial_limits": bool(frame["trial_limits"].any()),
            "national": pl.DataFrame({"period_start": series["period_start"], "value": 55.0}),
            "target": {"target_value": 60.0, "due_date": dt.date(2025, 12, 31)},
            "changes": pl.DataFrame({"valid_from": [dt.date(2021, 1, 1)], "note": ["uusi määritelmä"]})}


def _layers(spec):
    return spec["layer"]


def test_spc_chart_spec():
    data = {**_data(), "title": "X — Keski-Suomi", "series_label": "Keski-Suomi"}
    spec = charts.spc_chart(data, lang="fi").to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["title"]["text"] == "X — Keski-Suomi"
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in _layers(spec)]
    assert "line" in marks and "circle" in marks and "rule" in marks and "text" in marks
    fields = {enc.get("field") for layer in _layers(spec) for enc in layer.get("encoding", {}).values()
              if isinstance(enc, dict)}
    assert {"period_start", "value", "y", "line", "key", "variation_text", "valid_from"} <= fields
    dots = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "circle")
    assert dots["encoding"]["x"]["type"] == "temporal" and dots["encoding"]["y"]["type"] == "quantitative"
    scale = dots["encoding"]["fill"]["scale"]
    assert scale["range"][:2] == ["#0072B2", "#D55E00"]  # improvement blue, concern vermillion
    assert dots["encoding"]["fill"]["legend"]["labelLimit"] == 0  # "Huolestuttava muutos (…)" is never cut
    assert "NHS Making Data Count" in " ".join(spec["title"]["subtitle"])
    assert "p-kaavio" in " ".join(spec["title"]["subtitle"])  # a frame without `chart`: the plain p-chart text
    prime = charts.spc_chart({**data, "chart": frame_kind(data)}, lang="fi").to_dict()
    assert "p′-kaavio (Laney)" in " ".join(prime["title"]["subtitle"])
    for lang, name in (("sv", "p′-diagram (Laney)"), ("en", "p′-chart (Laney)")):
        assert name in " ".join(charts.spc_chart({**data, "chart": "p_prime"}, lang=lang).to_dict()["title"]["subtitle"])


def frame_kind(data):
    return data["spc"]["chart"][0]


def test_expired_target_line_stops_at_its_due_date_with_its_legend():
    data = _data(48)  # 1/2020 … 12/2023
    data["target"] = {"target_value": 60.0, "due_date": dt.date(2021, 6, 30), "expired": True,
                      "legend": "Tavoite 60,0 % 30.6.2021 mennessä (määräaika umpeutunut)"}
    lines = charts._lines_frame(data, data["spc"], {"series": "s", "mean": "m", "limits": "l", "national": "n",
                                                    "target": data["target"]["legend"]})
    target = lines.filter(pl.col("key") == "target")
    assert target["period_start"].to_list() == [dt.date(2020, 1, 1), dt.date(2021, 6, 30)]
    spec = charts.spc_chart(data, lang="fi").to_dict()
    assert "Tavoite 60,0 % 30.6.2021 mennessä (määräaika umpeutunut)" in str(spec)


def test_spc_chart_names_every_line_in_one_legend():
    """Values, mean, control limits, Finland and the target: one legend with colour and dash."""
    spec = charts.spc_chart({**_data(), "series_label": "Keski-Suomi"}, lang="fi").to_dict()
    lines = next(layer for layer in _layers(spec) if layer["encoding"].get("strokeDash"))
    colour, dash = lines["encoding"]["color"], lines["encoding"]["strokeDash"]
    assert colour["field"] == dash["field"] == "line"
    assert colour["scale"]["domain"] == dash["scale"]["domain"] == \
        ["Keski-Suomi", "Keskiarvo", "Ohjausrajat", "Koko maa", "Tavoite 60,0\u00a0%"]
    assert dash["scale"]["range"][0] == [] and dash["scale"]["range"][2] == [4, 3]
    values = spec["datasets"][lines["data"]["name"]]
    target = [v for v in values if v["key"] == "target"]
    assert len(target) == 2 and all(v["y"] == 60.0 for v in target)
    limits = {v["key"] for v in values if v["line"] == "Ohjausrajat"}
    assert {"lower-0", "upper-0", "lower-1", "upper-1"} <= limits  # each segment drawn apart


def test_spc_chart_trial_limits_said():
    spec = charts.spc_chart(_data(8, p=False), lang="fi").to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Alustavat rajat" in subtitle and "XmR" in subtitle


def test_spc_chart_english_locale():
    spec = charts.spc_chart(_data(), lang="en").to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    assert "Trend" in spec["title"]["text"]


@pytest.fixture
def comparison():
    regions = pl.DataFrame({"unit_id": ["HVA01", "HVA02", "HVA03"], "code": ["01", "02", "03"],
                            "name": ["A", "B", "C"], "name_fi": ["A", "B", "C"], "value": [60.0, 50.0, None],
                            "numerator": [600.0, 50.0, None], "denominator": [1000.0, 100.0, None],
                            "rank": [1, 2, None], "value_text": ["60,0 %", "50,0 %", "–"]})
    return {"meta": META, "regions": regions, "national": 58.0,
            "funnel": compare.funnel_frame(regions, 0.58)}


def test_ranked_bar_spec(comparison):
    spec = charts.ranked_bar(comparison, lang="fi").to_dict()
    bar, rule, label = spec["layer"]
    assert bar["mark"]["type"] == "bar" and bar["encoding"]["y"]["field"] == "name"
    assert bar["encoding"]["y"]["sort"] == ["A", "B"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["field"] == "national"
    assert label["mark"]["type"] == "text" and label["encoding"]["text"]["datum"] == "Koko maa 58,0\u00a0%"
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_funnel_plot_spec(comparison):
    spec = charts.funnel_plot(comparison, lang="fi").to_dict()
    lines, points = spec["layer"]
    assert points["encoding"]["x"]["field"] == "denominator" and points["encoding"]["y"]["field"] == "share"
    assert points["encoding"]["fill"]["legend"]["labelLimit"] == 0  # "99,8 %:n rajojen ulkopuolella" whole
    assert lines["encoding"]["strokeDash"]["scale"]["domain"] == ["Koko maa", "95 %:n rajat", "99,8 %:n rajat"]
    keys = {row["key"] for row in spec["datasets"][lines["data"]["name"]]}
    assert keys == {"lower95", "upper95", "lower998", "upper998", "centre"}


def test_unit_multiples_spec():
    series = _series(12).with_columns(pl.lit("Terveysasema").alias("name"))
    spec = charts.unit_multiples(series, META, lang="fi").to_dict()
    assert spec["facet"]["field"] == "name"
    assert spec["spec"]["mark"]["type"] == "line"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
