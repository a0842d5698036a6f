"""The programme board as one HTML table (one markdown element, however many cells): benefit goals
and sub-projects down, reporting rounds (and today) across. Every cell says its status with an
icon, a colour and a word (the icon is hidden from screen readers, the word is not), and opens on
click (a `<details>`, so from the keyboard too) to the status of each measure and the round's
entry, which also shows on hover (`title`).

Every text from data is escaped here (`html_text`): HTML-escaped, and the marks markdown or
Streamlit's directives would read written as character references, inside an HTML block that no
blank line ends (line breaks become `<br>`)."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from vetopito import i18n
from vetopito.followup import links
from vetopito.followup import status as st_
from vetopito.followup.model import Followup, Subproject

ICONS = {"ok": "✓", "open": "○", "attention": "!", "upcoming": "·", None: "–"}
# text #1B1F24 on these tints is over 13:1; the borders carry the colour (Okabe–Ito, as the charts)
COLOURS = {"ok": ("#E8F5EF", "#007A5A"), "open": ("#F1F4F8", "#5B6570"), "attention": ("#FFF1E0", "#B35C00"),
           "upcoming": ("#FFFFFF", "#C3CAD1"), None: ("#FFFFFF", "#C3CAD1")}
_MARKS = "\\`*_[]{}()#+-.!|~$:<>&\"'"
TITLE_MAX = 400


def html_text(value: object, *, lines: bool = False) -> str:
    """A data text for the board's HTML: escaped, every mark markdown or Streamlit could read as
    markup written as a character reference (`*` → `&#42;`), line breaks as `<br>` when `lines`,
    else spaces. Never a blank line, which would end the HTML block."""
    text = "" if value is None else str(value).replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    out = "".join(f"&#{ord(c)};" if c in _MARKS else c for c in text)
    if lines:
        return "<br>".join(part.strip() for part in out.split("\n"))
    return " ".join(out.split())


def attribute_text(value: object) -> str:
    """A data text for an attribute (`title`): one line, at most `TITLE_MAX` characters, escaped."""
    text = " ".join(("" if value is None else str(value)).split())
    if len(text) > TITLE_MAX:
        text = text[: TITLE_MAX - 1] + "…"
    return html_text(text)


@dataclass(frozen=True)
class Cell:
    """One sub-project at one column: its level (None: no measures), a line per measure, the entry."""

    level: str | None
    lines: list[str]
    entry: str | None
    upcoming: bool = False


def cell(followup: Followup, sub: Subproject, at: dt.date, round_date: dt.date | None) -> Cell:
    """The cell of `sub` at date `at`; `round_date` names the round whose entry it shows (None: today)."""
    lang = followup.lang
    entry = sub.entries.get(round_date) if round_date else None
    if at > followup.today:
        return Cell("upcoming", [], entry.text if entry else None, upcoming=True)
    statuses = st_.subproject_statuses(followup, sub, at)
    lines = [f"{m.name}: {st_.status_text(m, s, lang)}" for m, s in zip(sub.measures, statuses, strict=True)]
    return Cell(st_.cell_level(statuses), lines, entry.text if entry else None)


def board_cells(followup: Followup) -> dict[str, list[Cell]]:
    """Every sub-project's cells: one per reporting round, then today's."""
    out = {}
    for sub in followup.subprojects():
        cells = [cell(followup, sub, r.date, r.date) for r in followup.rounds]
        cells.append(cell(followup, sub, followup.today, None))
        out[sub.subproject_id] = cells
    return out


def level_counts(followup: Followup) -> dict[str, int]:
    """How many sub-projects stand at each level today (the board's summary line)."""
    counts = {level: 0 for level in st_.LEVELS}
    for cells in board_cells(followup).values():
        if cells[-1].level in counts:
            counts[cells[-1].level] += 1
    return counts


def _cell_html(c: Cell, lang: str, column: str) -> str:
    t = lambda key, **v: html.escape(i18n.t(f"followup.board.{key}", lang, **v))  # noqa: E731
    level = "upcoming" if c.upcoming else c.level
    word = t(f"level.{level}" if level else "level.none")
    tint, border = COLOURS[level]
    title = f' title="{attribute_text(c.entry)}"' if c.entry else ""
    mark = f'<span class="vv-has-entry">{t("has_entry")}</span>' if c.entry else ""
    summary = (f'<summary{title}><span class="vv-icon" aria-hidden="true" style="color:{border}">{ICONS[level]}'
               f'</span> <span class="vv-word">{word}</span>{mark}<span class="vv-sr"> ({html.escape(column)})</span>'
               '</summary>')
    body = "".join(f"<li>{html_text(line)}</li>" for line in c.lines)
    body = f"<ul>{body}</ul>" if body else ""
    entry = (f'<div class="vv-entry"><strong>{t("entry")}</strong><br>{html_text(c.entry, lines=True)}</div>'
             if c.entry else f'<div class="vv-entry vv-none">{t("no_entry")}</div>')
    style = f'background:{tint};border-left:4px solid {border}'
    return f'<td class="vv-cell vv-{level or "none"}" style="{style}"><details>{summary}{body}{entry}</details></td>'


def board_html(followup: Followup) -> str:
    """The whole board, one HTML table: from constants, the app's messages (escaped) and data
    texts escaped by `html_text`."""
    lang = followup.lang
    t = lambda key, **v: html.escape(i18n.t(f"followup.board.{key}", lang, **v))  # noqa: E731
    columns = [r.label(lang) for r in followup.rounds] + [i18n.t("followup.board.today", lang,
                                                                  date=i18n.fmt_date(followup.today, lang))]
    # a round's date on one line and its name under it (the column stays narrow, the date whole)
    heads = [html_text(i18n.fmt_date(r.date, lang)) + (f'<br><span class="vv-round">{html_text(r.name)}</span>'
                                                          if r.name else "") for r in followup.rounds]
    heads.append(html_text(columns[-1]))
    head = "".join(f'<th scope="col">{h}</th>' for h in heads)
    cells = board_cells(followup)
    rows = []
    for goal in followup.goals:
        rows.append(f'<tr class="vv-goal"><th scope="colgroup" colspan="{len(columns) + 1}">'
                    f'{html_text(goal.name)}</th></tr>')
        for sub in goal.subprojects:
            scope = f'<br><span class="vv-scope">{html_text(sub.scope_name)}</span>' if sub.scope_name else ""
            row = "".join(_cell_html(c, lang, col) for c, col in zip(cells[sub.subproject_id], columns, strict=True))
            link = html_text(links.href(followup.programme_id, sub.subproject_id, lang))
            rows.append(f'<tr><th scope="row"><a href="{link}" target="_self">{html_text(sub.subproject_id)} '
                        f'{html_text(sub.name)}</a>{scope}</th>{row}</tr>')
    caption = t("caption", programme=followup.programme["name"] or "")
    return (f'<div class="vv-board-wrap"><table class="vv-board"><caption class="vv-sr">{caption}</caption>'
            f'<thead><tr><th scope="col">{t("subproject")}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def board_css() -> str:
    """The board's style: constants only."""
    return """<style>
.vv-board-wrap {overflow-x: auto;}
.vv-board {border-collapse: separate; border-spacing: 3px; width: 100%; font-size: 0.9rem;}
.vv-board th, .vv-board td {vertical-align: top; text-align: left; padding: 0.35rem 0.5rem; border: none;}
.vv-board thead th {font-weight: 600; color: #1B1F24; white-space: nowrap;}
.vv-board thead .vv-round {font-weight: 400; font-size: 0.8rem; color: #3D4650;}
.vv-board tr.vv-goal th {background: #E4EAF1; font-weight: 700; color: #1B1F24;}
.vv-board tbody th[scope=row] {min-width: 10rem; font-weight: 600; color: #1B1F24;}
.vv-board .vv-scope {font-weight: 400; font-size: 0.8rem; color: #3D4650;}
.vv-board td.vv-cell {min-width: 6rem; color: #1B1F24;}
.vv-board th a {color: #0b5394;}
.vv-board summary {cursor: pointer; list-style: none; font-weight: 600;}
.vv-board summary::-webkit-details-marker {display: none;}
.vv-board summary:focus-visible {outline: 2px solid #0b5394; outline-offset: 2px;}
.vv-board .vv-icon {font-weight: 800; font-size: 1rem; display: inline-block; width: 1rem; text-align: center;}
.vv-board .vv-has-entry {display: block; font-weight: 400; font-size: 0.78rem; color: #3D4650;}
.vv-board ul {margin: 0.3rem 0 0.2rem 1rem; padding: 0; font-weight: 400;}
.vv-board .vv-entry {margin-top: 0.3rem; font-weight: 400; white-space: normal;}
.vv-board .vv-none {color: #3D4650;}
.vv-sr {position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;}
</style>"""
