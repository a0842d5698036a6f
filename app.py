"""Vetovoima: the entry point. Page config, language, sign-in, navigation over the pages; nothing else."""

import streamlit as st

from vetopito import i18n
from vetopito.ui import database, frame, signin, store, widgets

st.set_page_config(page_title="Vetovoima", page_icon="📈", layout="wide")
nav = st.sidebar.container(key="app_nav")   # the navigation, above the language picker
lang = widgets.language_selector()
t = i18n.t
database.database_gate()   # a locked, damaged or unwritable database: its message, and nothing else
scope = signin.auth_gate()   # stops here on unsafe settings, for a visitor, or a user without grants


def page(name, **kwargs):
    """The page if this user's roles may see it (the data is scoped in every query anyway)."""
    return st.Page(f"pages/{name}.py", **kwargs) if store.may_see_page(name, scope) else None


pages = {
    t("app.section.regions"): [
        page("region", title=t("nav.region"), icon=":material/location_city:",
             url_path="tilanne", default=True),   # served at /; /alue leads here too
        page("compare", title=t("nav.compare"), icon=":material/map:", url_path="vertailu"),
        page("units", title=t("nav.units"), icon=":material/account_tree:", url_path="yksikot"),
    ],
    t("app.section.teams"): [
        page("team", title=t("nav.team"), icon=":material/groups:", url_path="tiimi"),
        page("cohort", title=t("nav.cohort"), icon=":material/grid_view:", url_path="kohortti"),
        page("present", title=t("nav.present"), icon=":material/slideshow:", url_path="esitys"),
    ],
    t("app.section.programmes"): [
        page("programme", title=t("nav.programme"), icon=":material/flag:", url_path="ohjelma"),
    ],
    t("app.section.data"): [
        page("upload", title=t("nav.upload"), icon=":material/upload_file:", url_path="lataa"),
        page("catalog", title=t("nav.catalog"), icon=":material/menu_book:", url_path="mittarit"),
    ],
    t("app.section.admin"): [
        page("admin", title=t("nav.admin"), icon=":material/admin_panel_settings:", url_path="yllapito"),
    ],
}
pages = {section: [p for p in listed if p] for section, listed in pages.items()}
pages = {section: listed for section, listed in pages.items() if listed}
pages[""] = [frame.alias_page("region", url_path="alue")]   # /alue → the region page at /
with database.database_guard(), store.one_snapshot():   # trouble met on a page: its message; one snapshot per run
    current = st.navigation(pages, position="hidden")   # drawn by the app: frame.sidebar_navigation
    frame.sidebar_navigation(pages, container=nav)
    current.run()
