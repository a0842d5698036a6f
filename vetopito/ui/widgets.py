"""The language switch, Streamlit's own texts in the chosen language (CSS over its English ones),
the contrast fixes and chart text alternatives accessibility asks for, and the region and YTA
pickers' labels."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from vetopito import i18n
from vetopito.ui.markup import md
from vetopito.ui.store import query
from vetopito.ui.urls import url_normalise, url_unknown, url_value


def language_selector() -> str:
    """Language from the URL (`?lang=sv`), then the session, then Finnish; shown in the sidebar.
    A language the app does not have falls back, and a message says so."""
    from_url = url_value("lang")
    current = from_url or st.session_state.get("s_lang") or i18n.DEFAULT_LANGUAGE
    switched = st.session_state.get("w_lang")
    if switched in i18n.LANGUAGES and switched != st.session_state.get("s_lang"):
        current = switched    # just chosen in the widget: its own label is in the new language too
    current = current if current in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    if from_url is None and st.query_params.get("lang"):
        i18n.set_language(current)
        url_unknown("lang", i18n.LANGUAGE_NAMES[current])
    lang = st.sidebar.selectbox(
        i18n.t("app.language", current), i18n.LANGUAGES, index=i18n.LANGUAGES.index(current),
        format_func=i18n.LANGUAGE_NAMES.get, key="w_lang",
    )
    st.session_state["s_lang"] = lang
    if lang != i18n.DEFAULT_LANGUAGE:
        st.query_params["lang"] = lang
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    lang = i18n.set_language(lang)
    st.html(_ACCESSIBLE_CSS + widget_texts_css(lang))   # one element: each costs the browser a layout
    return lang


# WCAG 2.1 AA 1.4.3: Streamlit draws captions at 60 % opacity (#76797c on white,
# 4.37:1 < 4.5:1); the app's captions carry sources, rules and chart summaries, so they get a
# darker grey (#4d5257: 7.9:1 on white, 7.1:1 on the secondary background #f1f4f8).
_ACCESSIBLE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #4d5257 !important; opacity: 1 !important;}
.vv-nav-section {font-size: 0.875rem; font-weight: 600; color: #4d5257; margin: 0;}
[class*="st-key-alt_sr_"], :is([data-testid="stLayoutWrapper"], [data-testid="stElementContainer"]):has(> [class*="st-key-alt_sr_"]) {position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap !important;}
</style>"""


def accessible_css() -> None:
    """Colours the app sets where Streamlit's defaults fail WCAG 2.1 AA contrast, and the
    screen-reader-only text alternatives (`chart_alternative(visible=False)`); constants only."""
    st.html(_ACCESSIBLE_CSS)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ") + '"'


# Streamlit 1.67 has no setting for the language of its own texts: these selectors (stable test ids
# and react-aria's `data-empty`) put the chosen language's text over the English one. The English
# text is shrunk to nothing and the translation drawn by `::after`, which Chromium also gives to
# screen readers. tests/browser/test_browser_pickers.py checks every one in Chromium.
_WIDGET_TEXTS = (
    ('[role="listbox"][data-empty="true"] [role="option"] > span', "app.picker.no_results"),
    ('a[data-testid="stSkipToContent"]', "app.skip_to_content"),
    ('[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] '
     '[data-testid="stMarkdownContainer"] p', "app.uploader.browse"),
    ('[data-testid="stFileUploaderDropzoneInstructions"] span', "app.uploader.limit"),
)


def widget_texts(lang: str) -> None:
    """Streamlit's own English texts (the pickers' "No results", the skip link, the file uploader's
    button and limit) in the chosen language; nothing to do in English."""
    if lang != "en":
        st.html(widget_texts_css(lang))


def widget_texts_css(lang: str) -> str:
    """The `<style>` of `widget_texts` ("" in English); constants and the app's own messages."""
    if lang == "en":
        return ""
    rules = []
    for selector, key in _WIDGET_TEXTS:
        text = _css_string(i18n.t(key, lang, mb=st.get_option("server.maxUploadSize")))
        rules.append(f"{selector} {{font-size: 0 !important;}}\n"
                     f"{selector}::after {{content: {text}; font-size: 0.875rem;}}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def region_names(lang: str) -> tuple[Any, dict[str, str]]:
    """The regions the user sees and their short names by official code, with `?region=`
    normalised to the code (`HVA15` → `15`); stops the page with "no data yet" when empty."""
    from vetopito.regions import base

    regions = base.regions(query)
    if regions.is_empty():
        st.info(i18n.t("app.no_data"))
        st.stop()
    url_normalise("region", lambda wanted: base.region_code(regions, wanted))
    return regions, dict(zip(regions["code"].to_list(), regions[f"short_{lang}"].to_list(), strict=True))


def carried_region() -> str | None:
    """The region a director carries between pages: `?region=` (any form `regions.base.region_code`
    reads) or, when the sidebar dropped the URL, the region page's choice (`s_region`); an official
    code among the regions the user sees, or None. Written back to the URL (no rerun) and the
    session key, so links, reloads and the way back keep it."""
    from vetopito.regions import base

    regions = base.regions(query)
    wanted = st.query_params.get("region") or st.session_state.get("s_region")
    code = None if regions.is_empty() else base.region_code(regions, wanted)
    if code is not None:
        if st.query_params.get("region") != code:
            st.query_params["region"] = code
        st.session_state["s_region"] = code
    return code


def region_labels(regions: pl.DataFrame, lang: str, *, by: str = "code") -> dict[str, str]:
    """Official code (or unit id) → a label that holds every name of the region (`pickers.region_labels`)."""
    from vetopito import pickers

    return pickers.region_labels(regions, query("catalog/unit_aliases"), lang, by=by)


def yta_labels(lang: str) -> dict[str, str]:
    """YTA id → its name in `lang` followed by its other names (`pickers.yta_labels`)."""
    from vetopito import pickers

    return pickers.yta_labels(query("catalog/yta"), query("catalog/unit_aliases"), lang)


def chart_alternative(alternative, *, key: str, table: bool = True, visible: bool = True) -> None:
    """A chart's text alternative (`vetopito.alt_text`): its summary sentence under the chart and,
    behind a toggle, its data as a table. The table is built only once the toggle is on (an
    expander's or popover's content would be built on every run). Presentation mode passes
    `table=False, visible=False`: the sentence is there for screen readers only, so the projector
    screen neither scrolls nor repeats the measure's text below the chart. With the table it is a
    fragment: switching the toggle reruns only the alternative, not the page and its charts."""
    if table:
        _alternative_with_table(alternative, key=key, visible=visible)
    else:
        _alternative(alternative, key=key, visible=visible, table=False)


@st.fragment
def _alternative_with_table(alternative, *, key: str, visible: bool) -> None:
    _alternative(alternative, key=key, visible=visible, table=True)


def _alternative(alternative, *, key: str, visible: bool, table: bool) -> None:
    with st.container(key=f"alt_{key}" if visible else f"alt_sr_{key}"):
        st.caption(md(alternative.summary))
        if table and st.toggle(i18n.t("alt.show_table"), key=f"alt_table_{key}"):
            st.dataframe(alternative.table(), hide_index=True, key=f"alt_data_{key}")
