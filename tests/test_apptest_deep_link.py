"""`apptest_helpers.deep_link` (a page opened as a link opens it, without the home page's run
first) opens the same page that `AppTest.switch_page` reaches after a home run, for every page
app.py lists, and refuses a page the user may not see, as `switch_page` does."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import ROOT, deep_link, page_url_paths


def test_every_page_of_app_py_has_its_url_path():
    assert set(page_url_paths()) >= {"region", "compare", "units", "team", "cohort", "present", "programme",
                                     "upload", "catalog", "admin"}
    assert page_url_paths()["compare"] == "vertailu"


def test_a_deep_link_opens_the_page_switch_page_reaches(app_env, demo_db_path):
    app_env(demo_db_path)
    switched = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    for page in page_url_paths():
        switched.switch_page(f"pages/{page}.py").run()
        linked = deep_link(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), page)
        assert not linked.exception and not switched.exception, page
        # the same page ran (its script hash); its heading drawn (the presentation's is the team's
        # name, which the switched session carried from the team page before it)
        assert linked._finished_page_script_hash == switched._finished_page_script_hash, page
        assert linked.title and switched.title, page
        if page != "present":
            assert linked.title[0].value == switched.title[0].value, page


def test_a_deep_link_to_a_page_not_registered_raises(app_env, demo_db_path, monkeypatch):
    from vetopito.ui import store

    app_env(demo_db_path)
    monkeypatch.setattr(store, "may_see_page", lambda name, scope: name != "admin")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        deep_link(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "admin")
