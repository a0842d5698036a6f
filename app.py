"""Vetovoima: the entry point. Page config, language, navigation over the pages; nothing else."""

import streamlit as st

from vetopito import i18n, ui

st.set_page_config(page_title="Vetovoima", page_icon="📈", layout="wide")
lang = ui.language_selector()
t = i18n.t

pages = {
    t("app.section.regions"): [
        st.Page("pages/region.py", title=t("nav.region"), icon=":material/location_city:",
                url_path="alue", default=True),
        st.Page("pages/compare.py", title=t("nav.compare"), icon=":material/map:", url_path="vertailu"),
        st.Page("pages/units.py", title=t("nav.units"), icon=":material/account_tree:",
                url_path="yksikot"),
    ],
    t("app.section.teams"): [
        st.Page("pages/team.py", title=t("nav.team"), icon=":material/groups:", url_path="tiimi"),
        st.Page("pages/cohort.py", title=t("nav.cohort"), icon=":material/grid_view:", url_path="kohortti"),
        st.Page("pages/present.py", title=t("nav.present"), icon=":material/slideshow:",
                url_path="esitys"),
    ],
    t("app.section.data"): [
        st.Page("pages/upload.py", title=t("nav.upload"), icon=":material/upload_file:", url_path="lataa"),
        st.Page("pages/catalog.py", title=t("nav.catalog"), icon=":material/menu_book:",
                url_path="mittarit"),
    ],
    t("app.section.admin"): [
        st.Page("pages/admin.py", title=t("nav.admin"), icon=":material/admin_panel_settings:",
                url_path="yllapito"),
    ],
}
st.navigation(pages).run()
