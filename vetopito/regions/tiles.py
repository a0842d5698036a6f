"""The presentation of a region's tiles: the whole grid (every theme's heading and tiles, their
Making Data Count icons and the style of tiles that need attention) as ONE HTML element. Each
element Streamlit draws costs the browser a round of React and layout, and its markdown renderer
was the largest single cost of the region page (19 tiles were ≈60 elements). Every text from data
is `html.escape`d; the rest are the app's own messages (escaped too) and constants. Strings only;
the page draws them."""

from __future__ import annotations

import html

from vetopito import i18n
from vetopito.regions import overview
from vetopito.regions.overview import Tile

TILES_PER_ROW = 3


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def target_verdict(tile: Tile, lang: str | None = None) -> tuple[str, str | None]:
    """What the tile says about its target, and on what basis, as (text, tone): Making Data Count
    assurance when the target is still ahead and the chart has limits ("Tavoite saavutetaan
    luotettavasti"), the value at the due date for a past target, else the latest value
    ("viimeisin arvo saavuttaa tavoitteen"); the tone `met` (blue), `missed` (orange), `gray` or
    None. ("", None) when the tile has no target."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    if tile.assurance:
        return t(f"signals.assurance.{tile.assurance}"), None
    if tile.target_met is None:
        return (t("region.tile.target_due_passed"), "gray") if tile.target_expired else ("", None)
    if tile.target_expired:
        key = "region.tile.target_met_by_due" if tile.target_met else "region.tile.target_not_met_by_due"
    else:
        key = "signals.target.latest_met" if tile.target_met else "signals.target.latest_not_met"
    return t(key), "met" if tile.target_met else "missed"


def _tone(text: str, tone: str | None) -> str:
    return f'<span class="vv-{tone}">{_e(text)}</span>' if tone else _e(text)


def tile_body(tile: Tile, lang: str | None = None) -> str:
    """The tile's facts as HTML, one fact per line (st.metric does not localise): title; value
    and period; changes; Finland and YTA; target and its verdict; sparkline. The signal and
    assurance icons are `tile_badges_html`."""
    t = lambda key, **kw: _e(i18n.t(key, lang, **kw))  # noqa: E731
    lines = [f'<p class="vv-title"><strong>{_e(tile.title)}</strong></p>']   # an indicator's name is data
    if tile.hidden:
        return "".join([*lines, f'<p class="vv-small">{t("region.tile.hidden")}</p>'])
    lines.append(f'<p class="vv-value">{_e(tile.latest)} '
                 f'<span class="vv-gray">{_e(tile.period)}</span></p>')
    facts = [f'{t("region.tile.change_previous_short")} {_e(tile.change_previous)} · '
             f'{t("region.tile.change_year_short")} {_e(tile.change_year)}']
    mean = " " + t("region.tile.mean_short") if "mean" in (tile.national_method, tile.yta_method) else ""
    facts.append(f'{t("region.tile.national")} {_e(tile.national)} · {t("region.tile.yta")} {_e(tile.yta)}{mean}')
    if tile.target:
        verdict, tone = target_verdict(tile, lang)
        facts.append(_e(tile.target) + (" — " + _tone(verdict, tone) if verdict else ""))
    else:
        facts.append(f'<span class="vv-gray">{t("region.tile.no_target")}</span>')
    lines.append(f'<p class="vv-small">{"<br>".join(facts)}</p>')
    if tile.sparkline:
        lines.append(f'<p class="vv-spark" aria-hidden="true"><code>{_e(tile.sparkline)}</code></p>')
    return "".join(lines)


ICON_COLOURS = {"improvement": "#005EB8", "concern": "#B25400", "common_cause": "#5F6B73",
                "neither": "#7A3E9D", "pass": "#005EB8", "fail": "#B25400", "hit_and_miss": "#5F6B73"}
TILE_TINTS = {"concern": "#FFF3E6", "improvement": "#EAF2FB", "neither": "#F5EEF9"}
TILE_CLASS = "vv-tile"  # a tile is `<li class="vv-tile vv-tile-<attention>" data-indicator="<id>">`


def _icon(kind: str, glyph: str) -> str:
    """An MDC icon drawn by CSS (Streamlit's HTML sanitiser keeps no SVG): a ring in the kind's
    colour around a letter, or around a flat line (`glyph` ""). Hidden from screen readers: the
    badge's own text says what it means."""
    inner = _e(glyph) if glyph else '<span class="vv-flat"></span>'
    return f'<span class="vv-icon vv-icon-{kind}" aria-hidden="true">{inner}</span>'


def variation_icon(variation: str, side: int) -> str:
    """The MDC variation icon: a flat line for common cause, H or L (the side of the special
    cause) in blue for improvement, orange for concern, purple with no direction."""
    return _icon(variation, "" if variation == "common_cause" else ("H" if side > 0 else "L"))


def assurance_icon(assurance: str) -> str:
    """The MDC assurance icon: P (passes) blue, F (fails) orange, ? (hit and miss) grey."""
    return _icon(assurance, {"pass": "P", "fail": "F", "hit_and_miss": "?"}[assurance])


def tile_badges_html(tile: Tile, lang: str | None = None) -> str:
    """The tile's variation and assurance icons, each with its name beside it (and a prefix for
    screen readers saying which it is), or "" when the tile has neither. HTML from constants and
    the app's own messages only."""
    t = lambda key: _e(i18n.t(key, lang))  # noqa: E731
    parts = []
    if tile.variation:
        parts.append(f'<span class="vv-badge vv-{tile.variation}">{variation_icon(tile.variation, tile.signal_side)}'
                     f'<span class="vv-sr">{t("signals.sr.variation")} </span>'
                     f'<span>{t("region.variation_short." + tile.variation)}</span></span>')
    if tile.assurance:  # its name is read out only: the target line shows the verdict in words
        parts.append(f'<span class="vv-badge vv-{tile.assurance}">{assurance_icon(tile.assurance)}'
                     f'<span class="vv-sr">{t("signals.sr.assurance")} '
                     f'{t("signals.assurance." + tile.assurance)}</span></span>')
    if not parts:
        return ""
    seasonal = (f'<span class="vv-note">{t("signals.tile.seasonal")}</span>'
                if tile.seasonal == "adjusted" else "")
    return f'<div class="vv-badges">{"".join(parts)}{seasonal}</div>'


def tile_html(tile: Tile, lang: str | None = None, *, chosen: bool = False, links: str = "") -> str:
    """One tile: a list item whose class carries its attention marker (`vv-tile-concern`, …,
    `vv-tile-plain`) and whose `data-indicator` names its indicator; its icons, its facts, the
    links to the sub-projects that aim to move it (`links`, HTML the caller escaped) and, on the
    tile of the chart's indicator, "In the chart above"."""
    attention = overview.tile_attention(tile) or "plain"
    marker = (f'<p class="vv-in-chart">▲ {_e(i18n.t("region.tile.in_chart", lang))}</p>' if chosen else "")
    classes = f"{TILE_CLASS} {TILE_CLASS}-{attention}" + (" vv-chosen" if chosen else "")
    return (f'<li class="{classes}" data-indicator="{_e(tile.indicator_id)}">'
            f'{tile_badges_html(tile, lang)}{tile_body(tile, lang)}{links}{marker}</li>')


def tiles_html(themes: list[tuple[str, list[Tile]]], lang: str | None = None, *, chosen: str | None = None,
               links=None) -> str:
    """The whole grid: the style, then per theme its heading and its tiles as a list. `links(indicator_id)`
    gives a tile's sub-project links as escaped HTML ("" when none)."""
    parts = [tile_css()]
    for theme, theme_tiles in themes:
        parts.append(f'<h3 class="vv-theme">{_e(i18n.t(f"region.theme.{theme}", lang))}</h3><ul class="vv-grid">')
        parts += [tile_html(tile, lang, chosen=tile.indicator_id == chosen,
                            links=links(tile.indicator_id) if links else "") for tile in theme_tiles]
        parts.append("</ul>")
    return "".join(parts)


def tile_css() -> str:
    """The grid's style: three tiles a row (one on a narrow screen), each bordered like Streamlit's
    containers; tiles that need attention get a thick border in the signal's colour and a light
    tint; the icons, the small and coloured texts. Built from constants only."""
    rules = [
        f".vv-grid {{ display: grid; grid-template-columns: repeat({TILES_PER_ROW}, minmax(0, 1fr)); gap: 1rem; "
        "list-style: none; padding: 0 !important; margin: 0 0 1rem 0; }",
        "@media (max-width: 640px) { .vv-grid { grid-template-columns: minmax(0, 1fr); } }",
        f".{TILE_CLASS} {{ border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 1rem; "
        "margin: 0; background-color: #FFFFFF; color: #31333F; font-size: 1rem; line-height: 1.5; }",
        f".{TILE_CLASS} p {{ margin: 0 0 0.5rem 0; }}",
        f".{TILE_CLASS}.vv-chosen {{ box-shadow: 0 0 0 2px #0B5394; }}",
        "h3.vv-theme { font-size: 1.5rem; font-weight: 600; line-height: 1.2; margin: 0; padding: 0.75rem 0 1rem 0; }",
        ".vv-value { margin: 0.75rem 0 0.75rem 0 !important; font-size: 1.5rem; font-weight: 600; line-height: 1.2; }",
        ".vv-small { font-size: 0.875rem; line-height: 1.75; }",
        ".vv-gray { color: #4D5257; }",
        ".vv-met { color: #005EB8; }",
        ".vv-missed { color: #9C4700; }",
        ".vv-spark code { font-size: 0.875rem; background: #F8F9FB; border-radius: 0.25rem; padding: 0.1rem 0.25rem; "
        "color: #158237; }",
        ".vv-in-chart { font-size: 0.875rem; font-weight: 600; color: #0B5394; margin: 0 !important; }",
        ".vv-links { font-size: 0.875rem; }",
        ".vv-badges { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; "
        "font-size: 0.875rem; color: #1B1F24; margin-bottom: 0.75rem; }",
        ".vv-badge { display: inline-flex; align-items: center; gap: 0.3rem; font-weight: 600; }",
        ".vv-icon { box-sizing: border-box; display: inline-flex; align-items: center; justify-content: center; "
        "width: 26px; height: 26px; border-radius: 50%; border: 2.5px solid currentColor; background: #FFFFFF; "
        "font: 700 13px/1 Arial, sans-serif; }",
        ".vv-flat { display: block; width: 12px; height: 2.5px; border-radius: 2px; background: currentColor; }",
        ".vv-note { font-size: 0.8rem; color: #3D4650; }",
        ".vv-sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; "
        "clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }",
    ]
    rules += [f".vv-icon-{kind} {{ color: {colour}; }}" for kind, colour in ICON_COLOURS.items()]
    rules += [f".{TILE_CLASS}-{kind} {{ border: 3px solid {ICON_COLOURS[kind]}; background-color: {tint}; }}"
              for kind, tint in TILE_TINTS.items()]
    return "<style>\n" + "\n".join(rules) + "\n</style>"
