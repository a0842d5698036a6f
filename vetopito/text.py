"""Texts from data or from a user, made safe to put into Streamlit markdown.

Streamlit renders markdown in `st.markdown`, `st.caption`, `st.title`/`header`/`subheader`,
the alerts (`st.info` …), `st.table` cells, widget and button labels and `help=`: CommonMark with
GFM, `:red[…]` directives, `:material/…:` icons, `:smile:` emoji and `$…$` LaTeX. A team name
`**x** :red[y]` would be bold and red there, a newline and `# x` a heading, and
`![x](https://…)` an image the browser fetches from an address chosen by whoever loaded it.

`escape_markdown` makes a text read as itself: a markdown-significant mark gets a backslash
where it is markup (see its docstring), line breaks fold into spaces (no headings, lists or
tables from a newline), and an invisible word joiner (U+2060) goes into `://` and `www.`, which
GFM would otherwise turn into links even when escaped. `safe_link` keeps a link only when it is `https:`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

WORD_JOINER = "\u2060"
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x1c-\x1e\x85\u2028\u2029]+")
# GFM turns `https://…` and `www.…` into links even when escaped (it works on the parsed text)
_AUTOLINK = re.compile(r"(?i)(:(?=//)|\bwww(?=\.))")
# the marks that are markup wherever they stand: `\` escapes, `` ` `` code, `*` emphasis, `[]`
# links and images (and with them `!`, `(`, `)`, `:red[…]`), `<` HTML and autolinks, `~` strike,
# `$` LaTeX
_ALWAYS = frozenset("\\`*[]<~$")
# at the start of a line (after folding: of the text) a heading, a list item, a quote or a rule
_LINE_START = re.compile(r"^(?:(#)(?=#{0,5}(?:\s|$))|([-+])(?=\s|$)|\d{1,9}([.)])(?=\s|$)|(>)|(-)(?=(?:[ ]*-){2,}[ ]*$))")
_MATERIAL = re.compile(r":material/")
_SHORTCODE = re.compile(r"(?=(:[\w+/-]+:))")   # overlapping: `a:b:c:` holds two


def fold_lines(text: str) -> str:
    """Line breaks (and tabs, U+2028/2029) as single spaces, no leading or trailing spaces: a data
    text stays on one line and cannot start an indented code block."""
    return _LINE_BREAKS.sub(" ", text).strip(" ")


def escape_markdown(value: Any) -> str:
    """`value` as text that any Streamlit markdown element shows exactly as it reads (apart
    from folded line breaks): `**x** :red[y]` → `\\*\\*x\\*\\* :red\\[y\\]`. None is ''.

    Every mark that is markup where it stands gets a backslash (CommonMark allows one before any
    ASCII punctuation, and Streamlit's directive, icon, emoji and math plugins respect it); marks
    that are markup only in some places are escaped there: `_` unless inside a word, `&` before
    an entity name, `:` opening an emoji or icon shortcode, and `#`, `-`, `+`, `1.`, `>` at the
    start. So `HVA15-kuopio_tk`, `12.5.2024` and `lataus 2 (b.csv): ok` read the same escaped."""
    if value is None:
        return ""
    # a word joiner of the data is invisible and is the escaper's own mark: it is dropped
    text = fold_lines(str(value).replace("\x00", "\ufffd").replace(WORD_JOINER, ""))
    text = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, text)
    marks = {i for i, char in enumerate(text) if char in _ALWAYS}
    start = _LINE_START.match(text)
    if start:
        marks.add(next(start.start(g) for g in range(1, 6) if start.group(g)))
    for i, char in enumerate(text):
        after = text[i + 1] if i + 1 < len(text) else ""
        if char == "_" and not (i > 0 and text[i - 1].isalnum() and after.isalnum()):
            marks.add(i)                        # `_x_` emphasis; `mk_palautuminen_pct` is none
        elif char == "&" and (after.isalnum() or after == "#"):
            marks.add(i)                        # `&amp;` `&#65;` entities
        elif char == ":" and after.isascii() and after.isalpha():
            marks.add(i)                        # `:red[…]`, `:small` directives
    for code in _SHORTCODE.finditer(text):     # `:smile:`, `:material/home:`: Streamlit reads the
        first, last = code.start(1), code.end(1) - 1   # closing colon and the raw `:material/`
        marks.update({first, last}, (j for j in range(first, last) if text[j] == "/"))
    marks.update(m.end() - 1 for m in _MATERIAL.finditer(text))   # Streamlit rewrites the raw `:material/`
    out = ["\\" + char if i in marks else char for i, char in enumerate(text)]
    return "".join(out)


def visible_text(escaped: str) -> str:
    """What `escape_markdown` shows, for tests and logs: escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "")


def escape_values(values: dict[str, Any]) -> dict[str, Any]:
    """The fields of a message (`i18n.t(key, **fields)`) escaped, numbers left as they are (a
    field may carry a format spec such as `{n:,}`)."""
    return {k: v if isinstance(v, int | float) and not isinstance(v, bool) else escape_markdown(v)
            for k, v in values.items()}


def is_https_link(link: Any) -> bool:
    """True for an absolute `https://host/…` address with no spaces or control characters; every
    other scheme (`data:`, `javascript:`, `http:`, relative paths) is refused."""
    if not isinstance(link, str) or not link or link != link.strip():
        return False
    if any(ord(c) < 33 or ord(c) == 127 or c in "<>\"\\`" for c in link):
        return False
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and link.lower().startswith("https://")


def safe_link(link: Any) -> str | None:
    """An https link ready for markdown's `(…)` (brackets and quotes percent-encoded), or None."""
    if not is_https_link(link):
        return None
    return quote(link, safe=":/?#@!$&'*+,;=%-._~")
