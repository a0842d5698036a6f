"""Links both ways between a region's dashboard and the programmes that aim to move its
indicators: the programmes (and sub-projects) whose indicator measures follow an indicator at the
region or at a unit below it, as markdown links to the programme page (`/ohjelma?ohjelma=…&osahanke=…`).
Every name from data is escaped (`text.escape_markdown`); the link's parameters are URL-quoted."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import polars as pl

from vetopito import i18n
from vetopito.scoped import Runner
from vetopito.text import escape_markdown as md

PAGE = "ohjelma"   # the programme page's url_path (app.py)
NAME_MAX = 48


def region_links(run: Runner, unit_id: str) -> pl.DataFrame:
    """programme_id, programme_name, subproject_id, subproject_name, indicator_id, measure_id,
    unit_id of every indicator measure at the region or below it, of the programmes the user reads."""
    return run("pages/programme/region_measures", unit_id=unit_id)


def href(programme_id: str, subproject_id: str | None = None, lang: str | None = None) -> str:
    """A relative link to the programme page (the region page is served at `/`)."""
    params = {"ohjelma": programme_id}
    if subproject_id:
        params["osahanke"] = subproject_id
    if lang and lang != i18n.DEFAULT_LANGUAGE:
        params["lang"] = lang
    return f"{PAGE}?{urlencode(params)}"


def _short(text: str) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= NAME_MAX else text[: NAME_MAX - 1] + "…"


def _sub_link(row: dict, lang: str) -> str:
    label = i18n.t("followup.region.tile_link", lang, id=md(row["subproject_id"]), name=md(_short(row["subproject_name"])))
    return f"[{label}]({href(row['programme_id'], row['subproject_id'], lang)})"


def programmes_markdown(links: pl.DataFrame, lang: str) -> str:
    """One line per programme, its sub-projects linked (empty when none)."""
    if links.is_empty():
        return ""
    lines = []
    subs = links.unique(["programme_id", "subproject_id"], maintain_order=True)
    for (programme_id, name), rows in subs.group_by(["programme_id", "programme_name"], maintain_order=True):
        items = ", ".join(_sub_link(r, lang) for r in rows.iter_rows(named=True))
        programme = f"[{md(name)}]({href(programme_id, None, lang)})"
        lines.append("- " + i18n.t("followup.region.programme_line", lang, programme=programme, subprojects=items))
    return "\n".join(lines)


def tile_html(links: pl.DataFrame, indicator_id: str, lang: str) -> str:
    """The links of a tile to the sub-projects that aim to move its indicator, as HTML for the
    region page's tile grid ("" when none); names `html.escape`d, parameters URL-quoted. They open
    in a new tab, as Streamlit's markdown links did."""
    rows = links.filter(pl.col("indicator_id") == indicator_id).unique(["programme_id", "subproject_id"],
                                                                       maintain_order=True)
    if rows.is_empty():
        return ""
    items = []
    for row in rows.iter_rows(named=True):
        label = i18n.t("followup.region.tile_link", lang, id=row["subproject_id"], name=_short(row["subproject_name"]))
        link = html.escape(href(row["programme_id"], row["subproject_id"], lang), quote=True)
        items.append(f'<a href="{link}" target="_blank" rel="noopener noreferrer">⚑ {html.escape(label)}</a>')
    return f'<p class="vv-links">{" · ".join(items)}</p>'
