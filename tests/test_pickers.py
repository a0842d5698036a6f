"""Every picker of a region, YTA, team or indicator holds all the names the catalogue knows for
each option (Streamlit filters on the displayed label only), in the chosen language first; and
after a language switch the chosen value is sent again with its new label."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import app_test
from vetopito import pickers


@pytest.fixture
def demo_app(app_env, demo_db_path):
    app_env(demo_db_path)


def test_search_label_leaves_out_names_it_already_holds():
    assert pickers.search_label("Pohjois-Karjala (14)", ["14", "Siun sote", "siun SOTE", None, "", "HVA14"]) \
        == "Pohjois-Karjala (14) — Siun sote, HVA14"
    assert pickers.search_label("Koko maa", ["koko maa"]) == "Koko maa"


@pytest.mark.parametrize("page_name", [None, "units"])
def test_region_picker_holds_common_swedish_and_code_names(demo_app, page_name):
    at = app_test(page_name, query_params={"region": "14"})
    assert not at.exception
    label = at.selectbox(key="w_region").format_func("14")
    assert label.startswith("Pohjois-Karjala (14)")
    for name in ("Siun sote", "Norra Karelen", "North Karelia", "Pohjois-Karjalan hyvinvointialue", "HVA14",
                 "Sotkanet 972"):
        assert name in label, (name, label)
    assert "Eksote" in at.selectbox(key="w_region").format_func("11")


def test_region_picker_in_swedish_shows_the_swedish_name_first(demo_app):
    at = app_test(query_params={"region": "14", "lang": "sv"})
    label = at.selectbox(key="w_region").format_func("14")
    assert label.startswith("Norra Karelen (14) — Siun sote") and "Pohjois-Karjala," in label


@pytest.mark.parametrize("page_name", [None, "compare"])
def test_indicator_picker_holds_every_language_and_the_id(demo_app, page_name):
    at = app_test(page_name, query_params={"region": "15", "indicator": "t3_laakari"})
    assert not at.exception
    label = at.selectbox(key="w_indicator").format_func("t3_laakari")
    fi_name = label.split(" — ")[0]
    assert fi_name and all(part in label for part in ("t3_laakari", "läkare", "doctor")), label


def test_team_picker_holds_region_names(demo_app):
    at = app_test("team", query_params={"team": "T2025-17"})
    label = at.selectbox(key="w_team").format_func("T2025-17")
    assert label.startswith("T2025-17 · ") and " — " in label
    assert "Södra Savolax" in label and "South Savo" in label, label


def test_cohort_filters_name_the_yta_and_search_region_names(demo_app):
    at = app_test("cohort", query_params={"cohort": "2025"})
    assert not at.exception
    labels = at.selectbox(key="w_yta").options
    assert any(o.startswith("Itä-Suomen yhteistyöalue") and "YTA2" in o for o in labels), labels
    assert not any(o == "YTA2" for o in labels)
    assert any("Siun sote" in o for o in at.selectbox(key="w_region").options)


def test_language_switch_sends_the_chosen_value_again_with_its_new_label(demo_app):
    at = app_test(query_params={"region": "14"})
    at.selectbox(key="w_lang").set_value("sv").run()
    assert not at.exception
    proto = at.selectbox(key="w_region").proto
    assert proto.set_value and proto.raw_value.startswith("Norra Karelen (14)"), (proto.set_value, proto.raw_value)
    indicator = at.selectbox(key="w_indicator").proto
    assert indicator.set_value and indicator.raw_value.startswith("Tillgång till vård"), indicator.raw_value


def test_language_switch_labels_the_language_picker_in_the_new_language(demo_app):
    at = app_test()
    assert at.selectbox(key="w_lang").label == "Kieli"
    at.selectbox(key="w_lang").set_value("sv").run()
    assert at.selectbox(key="w_lang").label == "Språk"
    assert at.query_params["lang"] == ["sv"] or at.query_params["lang"] == "sv"


def test_admin_role_picker_is_relabelled_after_a_language_switch(demo_app):
    at = app_test("admin")
    assert not at.exception
    at.selectbox(key="w_lang").set_value("sv").run()
    proto = at.selectbox(key="w_admin_role").proto
    assert proto.set_value and proto.raw_value == "läsare", (proto.set_value, proto.raw_value)


@pytest.mark.parametrize("page_name", [None, "compare", "units", "team", "cohort", "present", "upload", "catalog",
                                       "admin", "programme"])
def test_after_a_language_switch_every_select_box_of_the_page_shows_its_value_in_the_new_language(
        demo_app, page_name):
    """Each select box's value has its label among the options in the new language, on the run of
    the switch and on the next one (a label made in the old language, e.g. by a `format_func` that
    reads the language from the running thread, matches no option and stops the session)."""
    at = app_test(page_name, query_params={"cohort": "2025", "team": "T2025-17"})
    assert not at.exception
    at.selectbox(key="w_lang").set_value("en").run()
    for _ in range(2):
        assert not at.exception, at.exception
        for box in at.selectbox:
            if box.value is not None:
                assert box.options[box.index] == box.format_func(box.value), (page_name, box.key)
        assert at.selectbox(key="w_lang").label == "Language"
        at.run()
