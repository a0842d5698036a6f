"""What every chart shares: the Vega-Lite locale of the chosen language and the palette."""

from __future__ import annotations

import altair as alt

from vetopito import i18n

# Colour-blind-safe roles (Okabe–Ito), the same on every chart.
IMPROVEMENT = "#0072B2"   # blue
CONCERN = "#E69F00"       # orange
NEUTRAL = "#7f7f7f"       # grey
TARGET = "#009E73"        # green
NATIONAL = "#1b1f24"      # near black
SERIES = "#0b5394"

FONT = "Source Sans Pro, Arial, sans-serif"


def localise(chart: alt.TopLevelMixin, lang: str | None = None) -> alt.TopLevelMixin:
    """Give a chart the number and date locale of `lang` (the current language by default)."""
    return chart.configure(locale=i18n.vega_locale(lang), font=FONT)


def date_format(lang: str | None = None) -> str:
    """The tooltip date format: `15.3.2024`."""
    return "%-d.%-m.%Y"


def number_format(decimals: int) -> str:
    return f",.{decimals}f"
