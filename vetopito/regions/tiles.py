"""The presentation of a region's tiles: each tile as compact Streamlit markdown, its Making
Data Count icons as inline SVG, and the style of tiles that need attention. Strings only; the
page draws them."""

from __future__ import annotations

import html

from vetopito import i18n
from vetopito.regions import overview
from vetopito.regions.overview import Tile
from vetopito.text import escape_markdown

TILES_PER_ROW = 3
TILE_HEIGHT = 344  # px: every tile the same height, rows aligned (room for a wrapped target line)


def target_verdict(tile: Tile, lang: str | None = None) -> str:
    """What the tile says about its target, and on what basis: Making Data Count assurance when the
    target is still ahead and the chart has limits ("Tavoite saavutetaan luotettavasti"), the value
    at the due date for a past target, else the latest value ("viimeisin arvo saavuttaa
    tavoitteen"); markdown, colour-coded for a missed target."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    if tile.assurance:
        return t(f"signals.assurance.{tile.assurance}")
    if tile.target_met is None:
        return f":gray[{t('region.tile.target_due_passed')}]" if tile.target_expired else ""
    if tile.target_expired:
        key = "region.tile.target_met_by_due" if tile.target_met else "region.tile.target_not_met_by_due"
    else:
        key = "signals.target.latest_met" if tile.target_met else "signals.target.latest_not_met"
    return f":blue[{t(key)}]" if tile.target_met else f":orange[{t(key)}]"


def tile_markdown(tile: Tile, lang: str | None = None) -> str:
    """The tile as compact Streamlit markdown, one fact per line (st.metric does not localise):
    title; value and period; changes; Finland and YTA; target and its verdict; sparkline. The
    signal and assurance icons are `tile_badges_html`."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = [f"**{escape_markdown(tile.title)}**"]   # an indicator's name is data; the figures are ours
    if tile.hidden:
        return "  \n".join([*lines, t("region.tile.hidden")])
    lines.append(f"#### {tile.latest} :gray[{tile.period}]")
    lines.append(f":small[{t('region.tile.change_previous_short')} {tile.change_previous} · "
                 f"{t('region.tile.change_year_short')} {tile.change_year}]")
    mean = " " + t("region.tile.mean_short") if "mean" in (tile.national_method, tile.yta_method) else ""
    lines.append(f":small[{t('region.tile.national')} {tile.national} · {t('region.tile.yta')} {tile.yta}{mean}]")
    if tile.target:
        verdict = target_verdict(tile, lang)
        lines.append(f":small[{tile.target}{' — ' + verdict if verdict else ''}]")
    else:
        lines.append(f":small[:gray[{t('region.tile.no_target')}]]")
    if tile.sparkline:
        lines.append(f"`{tile.sparkline}`")
    return "  \n".join(lines[:1]) + "\n\n" + lines[1] + "\n\n" + "  \n".join(lines[2:])


ICON_COLOURS = {"improvement": "#005EB8", "concern": "#B25400", "common_cause": "#5F6B73",
                "neither": "#7A3E9D", "pass": "#005EB8", "fail": "#B25400", "hit_and_miss": "#5F6B73"}
TILE_TINTS = {"concern": "#FFF3E6", "improvement": "#EAF2FB", "neither": "#F5EEF9"}
TILE_CLASS = "vv-tile"  # container keys `vv-tile-<attention>-<indicator>` → CSS class st-key-…


def _icon_svg(colour: str, glyph: str) -> str:
    return ('<svg class="vv-icon" width="26" height="26" viewBox="0 0 26 26" aria-hidden="true" '
            f'focusable="false"><circle cx="13" cy="13" r="11" fill="#FFFFFF" stroke="{colour}" '
            f'stroke-width="2.5"/>{glyph}</svg>')


def _letter(colour: str, letter: str) -> str:
    return (f'<text x="13" y="17.5" text-anchor="middle" font-size="13" font-weight="700" '
            f'font-family="Arial, sans-serif" fill="{colour}">{letter}</text>')


def variation_icon(variation: str, side: int) -> str:
    """The MDC variation icon: a flat line for common cause, H or L (the side of the special
    cause) in blue for improvement, orange for concern, purple with no direction."""
    colour = ICON_COLOURS[variation]
    if variation == "common_cause":
        return _icon_svg(colour, f'<path d="M6 13 h14" stroke="{colour}" stroke-width="2.5" '
                                 'stroke-linecap="round"/>')
    return _icon_svg(colour, _letter(colour, "H" if side > 0 else "L"))


def assurance_icon(assurance: str) -> str:
    """The MDC assurance icon: P (passes) blue, F (fails) orange, ? (hit and miss) grey."""
    colour = ICON_COLOURS[assurance]
    return _icon_svg(colour, _letter(colour, {"pass": "P", "fail": "F", "hit_and_miss": "?"}[assurance]))


def tile_badges_html(tile: Tile, lang: str | None = None) -> str:
    """The tile's variation and assurance icons, each with its name beside it (and a prefix for
    screen readers saying which it is), or "" when the tile has neither. HTML from constants and
    the app's own messages only."""
    t = lambda key: html.escape(i18n.t(key, lang))  # noqa: E731
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


def has_badges(tile: Tile) -> bool:
    """Whether the tile draws variation or assurance icons (`tile_badges_html` is not empty)."""
    return bool(tile.variation or tile.assurance)


def tile_text(tile: Tile, lang: str | None = None) -> str:
    """The tile's whole content as one markdown element: its icons as an HTML block (constants and
    the app's escaped messages only), a blank line, then `tile_markdown` (data escaped by
    `escape_markdown`, so it stays text where HTML is allowed). One element instead of two per
    tile: each element the page sends costs the browser a round of layout."""
    badges = tile_badges_html(tile, lang)
    return f"{badges}\n\n{tile_markdown(tile, lang)}" if badges else tile_markdown(tile, lang)


def tile_key(tile: Tile) -> str:
    """The key of a tile's container: its CSS class `st-key-<key>` carries the attention marker."""
    return f"{TILE_CLASS}-{overview.tile_attention(tile) or 'plain'}-{tile.indicator_id}"


def tile_css() -> str:
    """The style of tiles that need attention: a thick border in the signal's colour and a light
    tint, and the icons' layout. Built from constants only."""
    rules = [f'[class*="st-key-{TILE_CLASS}-{kind}-"] {{ border: 3px solid {ICON_COLOURS[kind]} !important; '
             f'background-color: {tint}; }}' for kind, tint in TILE_TINTS.items()]
    rules += [
        ".vv-badges { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; "
        "font-size: 0.875rem; color: #1B1F24; margin-bottom: 1.25rem; }",  # + the gap it had as an element
        ".vv-badge { display: inline-flex; align-items: center; gap: 0.3rem; font-weight: 600; }",
        ".vv-note { font-size: 0.8rem; color: #3D4650; }",
        ".vv-sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; "
        "clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }",
    ]
    return "<style>\n" + "\n".join(rules) + "\n</style>"
