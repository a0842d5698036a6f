"""Placeholder until this page is built."""

import streamlit as st

from vetopito.i18n import t

st.info(t("app.under_construction"))
