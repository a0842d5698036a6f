"""Texts from data or from a user for the elements that render markdown: escaped, never markup
(`md`, `t_md`, `message_md`, `md_frame`, `grant_md`, `link_md`, `plain_markdown`, `plain_table`, `table_md`)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from vetopito import access, i18n
from vetopito import text as texts


def md(value: Any) -> str:
    """Show this data text: `value` (a team or unit name, an aim, a file name, a cell) escaped
    for any element that renders markdown (`st.markdown`, `st.caption`, `st.title`, alerts,
    `st.table` cells, button and widget labels, `help=`): it reads as itself, on one line."""
    return texts.escape_markdown(value)


def t_md(key: str, /, lang: str | None = None, **values: Any) -> str:
    """`i18n.t(key, **values)` for a markdown element: the message's own markup stays, every
    value (a name, a file name, an e-mail address) is escaped."""
    return i18n.t(key, lang, **texts.escape_values(values))


def message_md(exc: Exception) -> str:
    """The message of an exception for a markdown element: a `Localised` one in the user's
    language with its fields escaped, any other its text escaped."""
    if isinstance(exc, i18n.Localised) and exc.key is not None:
        return t_md(exc.key, **exc.format_fields(None))
    return md(str(exc))


def md_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` for `st.table`, which renders markdown in every cell and header: text columns and
    column names escaped, other columns as they are (for `st.dataframe`, which renders none)."""
    return frame.with_columns(
        pl.col(c).map_elements(md, return_dtype=pl.String) for c, kind in frame.schema.items() if kind == pl.String
    ).rename(md)


def grant_md(grant: access.Grant) -> str:
    """`Grant.describe()` for a markdown element: the e-mail address and the scope's value (both
    typed by an admin) escaped, the role and the scope's kind (from fixed lists) as they are."""
    scope = "all" if grant.scope_kind == "all" else f"{grant.scope_kind}:{md(grant.scope_value)}"
    return f"{md(grant.email)} {grant.role} {scope}"


def link_md(title: Any, link: Any) -> str:
    """`[title](link)` when `link` is an https address, else the escaped title alone."""
    safe = texts.safe_link(link)
    return f"[{md(title)}]({safe})" if safe else md(title)


def plain_markdown(text: Any) -> str:
    """`text` from data or a user, escaped for an element that renders markdown (`st.table`,
    `st.markdown`, a title): shows as typed, never formats, links or turns into an emoji."""
    return md("" if text is None else str(text))


def plain_table(frame: pl.DataFrame, *, key: str) -> None:
    """A short table drawn whole (`st.table`: no inner scrolling, a real HTML table that screen
    readers walk), every cell escaped: `st.table` renders markdown."""
    cells = frame.select(pl.all().map_elements(plain_markdown, return_dtype=pl.String, skip_nulls=False))
    with st.container(key=key):
        st.table(cells, hide_index=True, border="horizontal")


def table_md(frame: pl.DataFrame, *, right: tuple[str, ...] = ()) -> str:
    """`frame` as one markdown table (a real HTML table that screen readers walk, drawn with the
    page's markdown: no data grid to load in the browser), every header and cell escaped, `|`
    too; the columns named in `right` (numbers) aligned right. Empty when `frame` has no columns."""
    if not frame.width:
        return ""

    def cell(value: Any) -> str:
        return plain_markdown(value).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(name) for name in frame.columns) + " |",
             "| " + " | ".join("---:" if name in right else "---" for name in frame.columns) + " |"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in frame.iter_rows()]
    return "\n".join(lines)
