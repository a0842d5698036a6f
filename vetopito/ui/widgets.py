"""The language switch, Streamlit's own texts in the chosen language (CSS over its English ones),
and the region and YTA pickers' labels."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from vetopito import i18n
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
    widget_texts(lang)
    return lang


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
    if lang == "en":
        return
    rules = []
    for selector, key in _WIDGET_TEXTS:
        text = _css_string(i18n.t(key, lang, mb=st.get_option("server.maxUploadSize")))
        rules.append(f"{selector} {{font-size: 0 !important;}}\n"
                     f"{selector}::after {{content: {text}; font-size: 0.875rem;}}")
    st.html("<style>\n" + "\n".join(rules) + "\n</style>")


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
