"""A test page for the programme entry form (tests/test_programme_entry_app.py): the programme and
sub-project named in the URL, read for the signed-in user, with the form under them."""

import streamlit as st

from vetopito.programmes import model
from vetopito.ui import markup, programme_entry, store

programme = model.read_programme(store.query, st.query_params.get("programme", "DEMO-TULEVAISUUS"))
if programme is None:
    st.info("no programme")
else:
    st.title(markup.md(programme.info["name"]))
    programme_entry.entry_form(programme, st.query_params.get("subproject", "1.3"))
