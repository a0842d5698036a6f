"""What frames every page: the synthetic-data banner, the sidebar navigation, links and buttons
to other pages (with
the URL parameters they carry), the hidden alias pages, the presentation mode's notes and the
cohort board's keyboard script."""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from vetopito import i18n
from vetopito.ui.session import auth_settings
from vetopito.ui.store import may_see_page, query

DEMO_FLAG = "demo_only"


def demo_notice() -> str | None:
    """"All figures are synthetic" while only demo data is loaded, "some are" when demo and real
    loads are mixed (flags derived by `ingest.demo`), else None."""
    for key, text in ((DEMO_FLAG, "app.demo_banner"), ("demo_mixed", "ingest.banner.demo_mixed")):
        flag = query("meta/get", key=key)
        if not flag.is_empty() and flag.item(0, 0) == "true":
            return i18n.t(text)
    return None


def demo_banner() -> None:
    """Say plainly, at the top of a page, when the figures are (partly) synthetic."""
    notice = demo_notice()
    if notice:
        st.warning(notice, icon=":material/science:")


def page_button(target: str, label: str, *, query_params: dict[str, str], key: str, icon: str | None = None,
                container=None) -> None:
    """A link-styled button that opens `target` (`pages/x.py`) with `query_params`, in the app.
    Used for links to the default page: `st.page_link` gives it the relative href `?region=15`,
    which a new tab or a copied link resolves against the current page (`/vertailu?region=15`)."""
    if (container or st).button(label, key=key, icon=icon, type="tertiary"):
        st.switch_page(target, query_params=query_params)


def sidebar_navigation(pages: dict[str, list[Any]], *, container) -> None:
    """The app's navigation, drawn by the app: a bold caption per section and a link per visible
    page. Streamlit's own sidebar navigation puts its section headers (div) and list items inside
    one list in a way WCAG 1.3.1 forbids (axe-core: `list`, `listitem`, every page); plain links
    under a text heading carry the same structure without a broken list."""
    with container:
        for section, listed in pages.items():
            visible = [page for page in listed if page.visibility != "hidden"]
            if not visible:
                continue
            if section:   # an HTML element: no markdown to parse (the page links' labels already are)
                st.html(f'<p class="vv-nav-section">{html.escape(section)}</p>')
            for page in visible:
                st.page_link(page, label=page.title, icon=page.icon or None)


def alias_page(target: str, *, url_path: str) -> st.Page:
    """A hidden page at `/<url_path>` that opens `pages/<target>.py` with the same URL
    parameters: the default page lives at `/`, and Streamlit ignores its own url_path, so a
    typed or shared `/alue?region=15` would otherwise say "Page not found"."""

    def redirect() -> None:
        st.switch_page(f"pages/{target}.py", query_params=st.query_params.to_dict())

    return st.Page(redirect, title=url_path, url_path=url_path, visibility="hidden")


def page_link(target: str, label: str, *, query_params: dict[str, str], icon: str | None = None,
              container=None) -> None:
    """`st.page_link` to `pages/<target>.py`, drawn only when this user may see that page (a
    link to a page outside the user's navigation would raise)."""
    if may_see_page(target):
        (container or st).page_link(f"pages/{target}.py", label=label, icon=icon, query_params=query_params)


_ENTER_SELECTS_ROW = """<script>
(() => {
  if (window.__vpEnterSelectsRow) return;
  window.__vpEnterSelectsRow = true;
  // Enter on a cell of a row-selecting grid selects that row, as Shift+Space does in the grid
  // (glide-data-grid's own binding), so a row is opened from the keyboard with Enter. The focus
  // is on the grid's canvas, or, once an arrow key has moved the cell, on that cell of the
  // accessible table the grid keeps inside its canvas for screen readers: both are the grid's.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
    const grid = event.target.closest && event.target.closest(".st-key-board [data-testid='stDataFrame']");
    if (!grid || !event.target.closest("canvas")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    event.target.dispatchEvent(new KeyboardEvent("keydown", {key: " ", code: "Space", shiftKey: true,
                                                             bubbles: true, cancelable: true}));
  }, true);
})();
</script>"""


def enter_selects_board_row() -> None:
    """Keyboard use of the cohort board: Enter on a cell selects its row (and so opens the team).
    A fixed script of our own, no data in it."""
    st.html(_ENTER_SELECTS_ROW, unsafe_allow_javascript=True)


def present_notes() -> None:
    """Presentation mode: the synthetic-data notice (and the local demo mode's) as one small line
    instead of the full-width banners, which the page's style hides (they precede this line)."""
    notes = []
    notice = demo_notice()
    if notice:
        notes.append(i18n.t("present.demo_note") if notice == i18n.t("app.demo_banner") else notice)
    if auth_settings().demo_mode:
        notes.append(i18n.t("auth.demo_mode_banner"))
    with st.container(key="present_notes"):
        if notes:
            st.caption(" ".join(notes))
