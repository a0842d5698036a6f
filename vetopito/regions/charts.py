"""The director's charts: the SPC trend of one indicator, the ranking of regions, the funnel
plot and small multiples of organisational units. Pure: frames in, Altair charts out."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from vetopito import i18n
from vetopito.charts import base

VARIATION_COLOURS = {"improvement": base.IMPROVEMENT, "concern": base.CONCERN,
                     "common_cause": base.NEUTRAL, "neither": "#CC79A7"}


def _t(key: str, lang: str | None) -> str:
    return i18n.t(key, lang)


PROCESS_CHANGE = "#5B3A8C"  # the rule and label of a marked process change (dark violet: apart from the lines)

LINE_STYLES = {  # role → (colour, dash): the region's values (deseasonalised for a seasonal
    # indicator, with the observed values as a light line behind), its mean, limits, Finland, target
    "series": (base.SERIES, []), "observed": ("#8C969E", [6, 2, 1, 2]), "mean": (base.NEUTRAL, []),
    "limits": (base.NEUTRAL, [4, 3]),
    "national": (base.NATIONAL, [1, 2]), "target": (base.TARGET, [6, 3]),
}


def _lines_frame(data: dict[str, Any], points: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """Every line of the SPC chart in one long frame (`period_start, y, line, key`), so that one
    legend names them all with their colour and dash."""
    seg = pl.col("segment").cast(pl.String)
    parts = [points.select("period_start", pl.col("value").alias("y"), pl.lit(labels["series"]).alias("line"),
                           pl.lit("series").alias("key"))]
    if data.get("seasonal") == "adjusted" and "observed" in points.columns:
        parts.append(points.select("period_start", pl.col("observed").alias("y"),
                                   pl.lit(labels["observed"]).alias("line"), pl.lit("observed").alias("key")))
    for col, role in (("mean", "mean"), ("lower", "limits"), ("upper", "limits")):
        parts.append(points.select("period_start", pl.col(col).alias("y"), pl.lit(labels[role]).alias("line"),
                                   (pl.lit(f"{col}-") + seg).alias("key")))
    national = data.get("national")
    if national is not None and not national.is_empty():
        parts.append(national.select("period_start", pl.col("value").alias("y"),
                                     pl.lit(labels["national"]).alias("line"), pl.lit("national").alias("key")))
    target = data.get("target")
    if target is not None and points.height:
        span = [points["period_start"].min(), points["period_start"].max()]
        if target.get("expired") and target.get("due_date") is not None:  # drawn up to its due date
            span[1] = max(span[0], min(span[1], target["due_date"]))
        parts.append(pl.DataFrame({"period_start": span, "y": [float(target["target_value"])] * 2,
                                   "line": [labels["target"]] * 2, "key": ["target"] * 2}))
    return pl.concat([p.with_columns(pl.col("y").cast(pl.Float64), pl.col("period_start").cast(pl.Date))
                      for p in parts], how="vertical")


def spc_chart(data: dict[str, Any], *, lang: str | None = None, height: int = 320) -> alt.TopLevelMixin:
    """Values, mean, control limits (one set per phase: they break where a definition change
    or a marked process change recalculated them), special causes coloured by direction, the national
    line, the target, definition changes and process changes (`data["process_changes"]`: rule +
    label); for a seasonal indicator the deseasonalised values with the
    observed ones as a light line; every line named in a legend under the chart, the indicator and
    region in the title (`data["title"]`), the rule set, trial limits and `data["notes"]` (the
    seasonal view, the dates limits were recalculated from) in the subtitle."""
    meta, frame = data["meta"], data["spc"]
    fmt = base.number_format(meta["decimals"])
    suffix = i18n.unit_suffix(meta["unit"], lang)
    y_title = f"{_t('region.chart.value', lang)} ({suffix})" if suffix else _t("region.chart.value", lang)
    variation_labels = {k: _t(f"region.variation.{k}", lang) for k in VARIATION_COLOURS}
    rule_labels = {k: _t(f"region.rule.{k}", lang) for k in ("beyond_limits", "shift", "trend", "two_of_three")}
    points = frame.with_columns(
        pl.col("variation").replace_strict(variation_labels, default=None).alias("variation_text"),
        pl.col("rule").replace_strict(rule_labels, default=None).alias("rule_text"),
    )
    target = data.get("target")
    labels = {
        "series": data.get("series_label") or _t("region.chart.value", lang),
        "observed": _t("signals.chart.observed", lang),
        "mean": _t("region.chart.mean", lang), "limits": _t("region.chart.limits", lang),
        "national": _t("region.chart.national", lang),
        "target": (target or {}).get("legend") or (_t("region.chart.target", lang) + (
            "" if target is None else " " + i18n.fmt_value(target["target_value"], meta["unit"], meta["decimals"],
                                                           lang))),
    }
    lines = _lines_frame(data, points, labels)
    shown = [role for role in LINE_STYLES if labels[role] in set(lines["line"].to_list())]
    legend = {"orient": "bottom", "direction": "horizontal", "labelLimit": 0, "title": None,
              "symbolStrokeWidth": 2, "symbolSize": 300}
    grain = frame["grain"][0] if "grain" in frame.columns and frame.height else None
    when = base.period_format(grain, lang)  # a week as `vk 5/2024`, any other period by its first day
    x = alt.X("period_start:T", title=_t("region.chart.period", lang), axis=base.period_axis(grain, frame.height, lang))
    line_layer = alt.Chart(lines).mark_line(strokeWidth=1.5).encode(
        x=x, y=alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False)), detail=alt.Detail("key:N"),
        color=alt.Color("line:N", legend=alt.Legend(**legend), sort=[labels[r] for r in shown],
                        scale=alt.Scale(domain=[labels[r] for r in shown],
                                        range=[LINE_STYLES[r][0] for r in shown])),
        strokeDash=alt.StrokeDash("line:N", legend=alt.Legend(**legend), sort=[labels[r] for r in shown],
                                  scale=alt.Scale(domain=[labels[r] for r in shown],
                                                  range=[LINE_STYLES[r][1] for r in shown])),
        tooltip=[alt.Tooltip("line:N", title=" "),
                 alt.Tooltip("period_start:T", title=_t("region.chart.period", lang), format=when),
                 alt.Tooltip("y:Q", title=_t("region.chart.value", lang), format=fmt)])
    colour = alt.Fill("variation_text:N", title=_t("region.chart.signal", lang),
                       legend=alt.Legend(**{**legend, "orient": "top", "title": _t("region.chart.signal", lang),
                                            "symbolStrokeWidth": 0, "symbolSize": 60}),
                       scale=alt.Scale(domain=list(variation_labels.values()),
                                       range=list(VARIATION_COLOURS.values())))
    # only the columns the points draw and name (the frame has twice as many: the browser parses each)
    dot_columns = ["period_start", "value", *(["observed"] if data.get("seasonal") == "adjusted" else []),
                   "mean", "lower", "upper", "variation_text", "rule_text"]
    dots = alt.Chart(points.select(dot_columns)).mark_circle(size=45, opacity=1).encode(
        x=x, y=alt.Y("value:Q"), fill=colour,
        tooltip=[alt.Tooltip("period_start:T", title=_t("region.chart.period", lang), format=when),
                 alt.Tooltip("value:Q", title=_t("region.chart.value", lang), format=fmt),
                 *([alt.Tooltip("observed:Q", title=_t("signals.chart.observed", lang), format=fmt)]
                   if data.get("seasonal") == "adjusted" else []),
                 alt.Tooltip("mean:Q", title=_t("region.chart.mean", lang), format=fmt),
                 alt.Tooltip("lower:Q", title=_t("region.chart.lower", lang), format=fmt),
                 alt.Tooltip("upper:Q", title=_t("region.chart.upper", lang), format=fmt),
                 alt.Tooltip("variation_text:N", title=_t("region.chart.signal", lang)),
                 alt.Tooltip("rule_text:N", title=_t("region.chart.rule", lang))])
    layers = [line_layer, dots]
    changes = data.get("changes")
    if changes is not None and not changes.is_empty() and frame.height:
        # a change before the series' first period does not stretch its time axis (a weekly series
        # of this year beside a definition change of two years ago)
        changes = changes.filter(pl.col("valid_from") >= frame["period_start"].min())
    if changes is not None and not changes.is_empty():
        cframe = changes.with_columns(pl.lit(_t("region.chart.definition_change", lang)).alias("label"))
        cchart = alt.Chart(cframe)
        layers.append(cchart.mark_rule(color="#555555", strokeDash=[2, 2]).encode(
            x=alt.X("valid_from:T"), tooltip=[alt.Tooltip("valid_from:T", format=base.date_format()),
                                       alt.Tooltip("note:N", title=_t("region.chart.definition_change", lang))]))
        layers.append(cchart.mark_text(align="left", dx=3, y=8, color="#555555", fontSize=10).encode(
            x=alt.X("valid_from:T"), text=alt.Text("label:N")))
    process = data.get("process_changes")
    if process is not None and not process.is_empty():  # a rule and a label where a phase starts
        pchart = alt.Chart(process)
        layers.append(pchart.mark_rule(color=PROCESS_CHANGE, strokeWidth=1.5, strokeDash=[5, 3]).encode(
            x=alt.X("period_start:T"),
            tooltip=[alt.Tooltip("period_start:T", title=_t("region.chart.period", lang), format=when),
                     alt.Tooltip("note:N", title=_t("signals.chart.process_change", lang))]))
        layers.append(pchart.mark_text(align="left", dx=3, y=22, color=PROCESS_CHANGE, fontSize=11,
                                       fontWeight="bold").encode(x=alt.X("period_start:T"), text=alt.Text("label:N")))
    kind = data.get("chart") or ("p" if data.get("p_chart") else "xmr")
    subtitle = [_t({"p_prime": "region.chart.ruleset_p_prime", "p": "region.chart.ruleset_p"}.get(
        kind, "region.chart.ruleset"), lang)]
    if data.get("trial_limits"):
        subtitle.append(_t("region.chart.trial_limits", lang))
    subtitle.extend(data.get("notes") or ())  # seasonal view, limits recalculated from a change
    title = alt.TitleParams(text=data.get("title") or _t("region.chart.title", lang), subtitle=subtitle,
                            anchor="start")
    chart = alt.layer(*layers).properties(
        height=height, width="container", title=title)
    return base.localise(chart, lang)


CHOSEN = "#D55E00"  # the chosen region's bar and label (vermillion: apart from the bars' blue)
CHOSEN_RING = "#000000"  # the chosen region's point in the funnel (as its outline on the map), apart from every fill


def _chosen_column(rows: pl.DataFrame) -> pl.DataFrame:
    return rows if "chosen" in rows.columns else rows.with_columns(pl.lit(False).alias("chosen"))


def _target_rules(data: dict[str, Any], channel: str, *, lang: str | None) -> list[alt.Chart]:
    """A dashed green rule per target (`data["targets"]`) along `channel` ("x" or "y"), labelled."""
    targets = data.get("targets")
    if targets is None or targets.is_empty():
        return []
    base_chart = alt.Chart(targets)
    enc = {channel: alt.X("target_value:Q") if channel == "x" else alt.Y("target_value:Q"),
           "tooltip": [alt.Tooltip("target_label:N", title=_t("region.chart.target", lang))]}
    rule = base_chart.mark_rule(color=base.TARGET, strokeDash=[6, 3], strokeWidth=2).encode(**enc)
    if channel == "x":
        text = base_chart.mark_text(color=base.TARGET, align="left", baseline="top", dx=4, y=4, angle=0,
                                    fontWeight="bold").encode(x=alt.X("target_value:Q"), text=alt.Text("target_label:N"))
    else:
        text = base_chart.mark_text(color=base.TARGET, align="right", baseline="bottom", dy=-3, x="width",
                                    fontWeight="bold").encode(y=alt.Y("target_value:Q"), text=alt.Text("target_label:N"))
    return [rule, text]


def ranked_bar(data: dict[str, Any], *, lang: str | None = None) -> alt.TopLevelMixin:
    """Regions ranked best first (by the indicator's direction), the chosen region's bar in its own
    colour, with the national line and the targets."""
    meta, rows = data["meta"], _chosen_column(data["regions"].filter(pl.col("value").is_not_null()))
    fmt = base.number_format(meta["decimals"])
    order = rows["name"].to_list()
    bars = alt.Chart(rows.select("code", "name", "value", "rank", "chosen")).mark_bar().encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        x=alt.X("value:Q", title=_t("region.chart.value", lang)),
        color=base.when("datum.chosen", CHOSEN, base.SERIES),
        tooltip=[alt.Tooltip("name:N", title=_t("compare.region", lang)),
                 alt.Tooltip("value:Q", title=_t("region.chart.value", lang), format=fmt),
                 alt.Tooltip("rank:Q", title=_t("compare.rank", lang))])
    layers = [bars]
    if data.get("national") is not None:
        nat = alt.Chart(pl.DataFrame({"national": [data["national"]]}))
        layers.append(nat.mark_rule(color=base.NATIONAL, strokeWidth=2).encode(
            x=alt.X("national:Q"), tooltip=[alt.Tooltip("national:Q", title=_t("region.chart.national", lang), format=fmt)]))
        label = i18n.t("compare.national", lang, value=i18n.fmt_value(data["national"], meta["unit"],
                                                                      meta["decimals"], lang))
        layers.append(nat.mark_text(color=base.NATIONAL, align="left", baseline="bottom", dx=4, y=-4,
                                    fontWeight="bold").encode(x=alt.X("national:Q"), text=alt.TextDatum(label)))
    layers += _target_rules(data, "x", lang=lang)
    chart = alt.layer(*layers).properties(height=max(200, 24 * rows.height), width="container")
    return base.localise(chart, lang)


def funnel_plot(data: dict[str, Any], *, lang: str | None = None) -> alt.TopLevelMixin:
    """Each region's share against its denominator inside 95 % and 99.8 % limits around the national
    share; the limit lines and the national share named in a legend (the limits called widened when
    `funnel_frame` added the between-region spread), the points in another."""
    funnel, meta = data["funnel"], data["meta"]
    fmt = base.number_format(meta["decimals"])
    labels = {k: _t(f"compare.outside.{k}", lang) for k in ("inside", "out95", "out998")}
    points = _chosen_column(funnel["points"]).with_columns(
        pl.col("outside").replace_strict(labels, default=None).alias("outside_text"))
    limits = funnel["limits"]
    l95, l998 = (("compare.limits95_widened", "compare.limits998_widened") if funnel.get("adjusted")
                 else ("compare.limits95", "compare.limits998"))
    line_labels = {"national": _t("region.chart.national", lang), "l95": _t(l95, lang), "l998": _t(l998, lang)}
    styles = {"national": (base.NATIONAL, []), "l95": (base.NEUTRAL, [4, 3]), "l998": (base.NEUTRAL, [])}
    parts = [limits.select("denominator", pl.col(col).alias("y"), pl.lit(line_labels[role]).alias("line"),
                           pl.lit(col).alias("key"))
             for col, role in (("lower95", "l95"), ("upper95", "l95"), ("lower998", "l998"), ("upper998", "l998"))]
    if limits.height:
        parts.append(pl.DataFrame({"denominator": [limits["denominator"].min(), limits["denominator"].max()],
                                   "y": [float(funnel["centre"])] * 2, "line": [line_labels["national"]] * 2,
                                   "key": ["centre"] * 2}))
    lines = pl.concat([p.with_columns(pl.col("denominator").cast(pl.Float64), pl.col("y").cast(pl.Float64))
                       for p in parts], how="vertical")
    legend = {"orient": "bottom", "direction": "horizontal", "labelLimit": 0, "title": None}
    domain = list(line_labels.values())
    # the axis spans the limit curves (0.8 × the smallest denominator … 1.1 × the largest), not
    # Vega's "nice" powers of ten, which would leave most of the plot empty
    span = [float(limits["denominator"].min()), float(limits["denominator"].max())] if limits.height else None
    scale = alt.Scale(type="log", domain=span, nice=False) if span else alt.Scale(type="log")
    x = alt.X("denominator:Q", title=_t("compare.denominator", lang), scale=scale)
    line_layer = alt.Chart(lines).mark_line(strokeWidth=1.2).encode(
        x=x, y=alt.Y("y:Q", title=_t("region.chart.value", lang) + " (%)", scale=alt.Scale(zero=False)),
        detail=alt.Detail("key:N"),
        color=alt.Color("line:N", legend=alt.Legend(**legend), sort=domain,
                        scale=alt.Scale(domain=domain, range=[styles[k][0] for k in line_labels])),
        strokeDash=alt.StrokeDash("line:N", legend=alt.Legend(**legend), sort=domain,
                                  scale=alt.Scale(domain=domain, range=[styles[k][1] for k in line_labels])))
    sent = [c for c in ("code", "name", "share", "denominator", "outside_text", "chosen") if c in points.columns]
    dots = alt.Chart(points.select(sent)).mark_circle(
        size=70, opacity=1).encode(
        x=x, y=alt.Y("share:Q"),
        stroke=base.when("datum.chosen", CHOSEN_RING, None, alt.StrokeValue),
        strokeWidth=base.when("datum.chosen", 3, 0, alt.StrokeWidthValue),
        fill=alt.Fill("outside_text:N", title=None, legend=alt.Legend(**{**legend, "orient": "top"}),
                      scale=alt.Scale(domain=list(labels.values()), range=[base.NEUTRAL, base.WARNING, base.CONCERN])),
        tooltip=[alt.Tooltip("name:N", title=_t("compare.region", lang)),
                 alt.Tooltip("share:Q", title=_t("region.chart.value", lang), format=fmt),
                 alt.Tooltip("denominator:Q", title=_t("compare.denominator", lang), format=",.0f"),
                 alt.Tooltip("outside_text:N", title=" ")])
    layers = [line_layer, dots]
    chosen = points.filter(pl.col("chosen"))
    if chosen.height:  # the chosen region's point is labelled with its name and value
        label = chosen.with_columns(pl.format("{} {}", pl.col("name"), pl.col("value_text")).alias("label_text"))
        layers.append(alt.Chart(label.select("code", "name", "denominator", "share", "label_text")).mark_text(
            align="left", dx=9, dy=-9, color=CHOSEN, fontWeight="bold", fontSize=13).encode(
            x=x, y=alt.Y("share:Q"), text=alt.Text("label_text:N")))
    layers += _target_rules(data, "y", lang=lang)
    chart = alt.layer(*layers).properties(height=380, width="container")
    return base.localise(chart, lang)


def unit_multiples(series: pl.DataFrame, meta: dict[str, Any], *, lang: str | None = None,
                   columns: int = 3, changes: pl.DataFrame | None = None) -> alt.TopLevelMixin:
    """One small line chart per organisational unit, on a shared scale; a process change marked on a
    unit (`drilldown.unit_process_changes`) is a rule in that unit's chart, its label in the tooltip."""
    fmt = base.number_format(meta["decimals"])
    x = alt.X("period_start:T", title=None)
    encoding = {"x": x, "y": alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
                "tooltip": [alt.Tooltip("period_start:T", format=base.date_format()),
                            alt.Tooltip("value:Q", format=fmt)]}
    if changes is None or changes.is_empty():
        chart = alt.Chart(series.select("name", "period_start", "value")).mark_line(color=base.SERIES).encode(
            **encoding).properties(height=110, width=220)
    else:  # one data set for both layers (a faceted layer chart shares its data), told apart by `label`
        rows = pl.concat([series.select("name", "period_start", pl.col("value").cast(pl.Float64),
                                        pl.lit(None, dtype=pl.String).alias("label")),
                          changes.select("name", "period_start", pl.lit(None, dtype=pl.Float64).alias("value"),
                                         "label")], how="vertical")
        line = alt.Chart().mark_line(color=base.SERIES).encode(**encoding).transform_filter("!isValid(datum.label)")
        rule = alt.Chart().mark_rule(color=PROCESS_CHANGE, strokeDash=[4, 2], strokeWidth=1.5).encode(
            x=x, tooltip=[alt.Tooltip("period_start:T", format=base.date_format()),
                          alt.Tooltip("label:N", title=_t("signals.chart.process_change", lang))],
        ).transform_filter("isValid(datum.label)")
        chart = alt.layer(line, rule, data=rows).properties(height=110, width=220)
    chart = chart.facet(facet=alt.Facet("name:N", title=None), columns=columns)
    return base.localise(chart, lang)
