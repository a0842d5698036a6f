"""What every chart shares: the Vega-Lite locale of the chosen language and the palette."""

from __future__ import annotations

import altair as alt

from vetopito import i18n

# Colour-blind-safe roles (Okabe–Ito), the same on every chart. Each mark colour has at least 3:1
# against white (WCAG 2.1 1.4.11, graphical objects): blue 5.2:1, vermillion 3.9:1, grey 4.0:1,
# bluish green 3.4:1. Okabe–Ito's orange (#E69F00, 2.25:1) fails it, so concern is vermillion,
# which keeps the palette's blue/vermillion distinction for every colour-vision deficiency.
IMPROVEMENT = "#0072B2"   # blue
CONCERN = "#D55E00"       # vermillion
WARNING = "#CC79A7"       # reddish purple (3.1:1): the funnel's points outside only the 95 % limits
NEUTRAL = "#7f7f7f"       # grey
TARGET = "#009E73"        # green
NATIONAL = "#1b1f24"      # near black
SERIES = "#0b5394"

FONT = "Source Sans Pro, Arial, sans-serif"

# Every chart passes its encodings as typed channels (`alt.X("period_start:T")`, not "period_start:T";
# `when` instead of `alt.condition`): Altair turns a string or a dict back into a channel by building
# a look-up of its whole schema each time, 2–9 ms a channel, which made a team deck's charts cost
# more than drawing them (the `typed_channels` fixture of tests/conftest.py keeps it so).


def when(test: str, then, otherwise, channel: type = alt.ColorValue):
    """`alt.condition(test, alt.value(then), alt.value(otherwise))` as a typed channel value."""
    return channel(otherwise, condition={"test": test, "value": then})


def localise(chart: alt.TopLevelMixin, lang: str | None = None) -> alt.TopLevelMixin:
    """Give a chart the number and date locale of `lang` (the current language by default)."""
    return chart.configure(locale=i18n.vega_locale(lang), font=FONT)


def date_format(lang: str | None = None) -> str:
    """The tooltip date format: `15.3.2024`."""
    return "%-d.%-m.%Y"


def period_format(grain: str | None, lang: str | None = None) -> str:
    """The tooltip format of a period at `grain`: an ISO week as `vk 5/2024` (`i18n.fmt_period`, in
    d3's `%-V` week and `%G` week-year), any other period by its first day (`date_format`)."""
    if grain == "week":
        return i18n.t("period.week", lang, week="%-V", year="%G")
    return date_format(lang)


def period_axis(grain: str | None, n_periods: int, lang: str | None = None) -> alt.Axis:
    """The time axis of a series at `grain`: years (`2024`) for months and coarser; for weeks one
    labelled tick every few weeks (`vk 5/2024`), never two ticks with the same label."""
    if grain == "week":
        step = max(1, -(-n_periods // 8))
        return alt.Axis(format=period_format("week", lang), tickCount={"interval": "week", "step": step},
                        labelOverlap=True)
    return alt.Axis(format="%Y", tickCount="year", labelOverlap=True)


def number_format(decimals: int) -> str:
    return f",.{decimals}f"
