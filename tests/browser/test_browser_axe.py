"""axe-core (its WCAG 2.0/2.1 A and AA rules) over every page in real Chromium: no violation in
the app's own elements. axe-core comes from the locked dev dependency `axe-playwright-python`
(the `axe.min.js` it bundles, axe-core 4.12.1); nothing is downloaded at run time.

A violation inside one of Streamlit's own components, which the app cannot change, is allowed
only when `STREAMLIT_OWN` lists it (rule, the component's selector, why); the README's
accessibility paragraph lists the same. Today the list is empty: what axe found (the captions'
contrast, the navigation's list structure) was the app's to fix (`ui.accessible_css`,
`ui.sidebar_navigation`).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_rendered
from tests.browser.test_browser_pages import DEFAULT_PAGE, PAGES

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# (axe rule id, CSS selector of the Streamlit component the element lies in, why the app cannot fix it)
STREAMLIT_OWN: list[tuple[str, str, str]] = []


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations on the page as it is now."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return result["violations"]


def apps_own(page, violations: list[dict]) -> list[str]:
    """The violating elements that no entry of STREAMLIT_OWN excuses, one line each."""
    found = []
    for violation in violations:
        for node in violation["nodes"]:
            target = node["target"][0] if node["target"] else ""
            excused = any(rule == violation["id"] and page.evaluate(
                "([t, s]) => { const el = document.querySelector(t); return !!(el && el.closest(s)); }",
                [target, selector]) for rule, selector, _ in STREAMLIT_OWN)
            if not excused:
                found.append(f"{violation['id']}: {target} {node['html'][:160]}\n    "
                             + (node.get("failureSummary") or "").replace("\n", " ")[:300])
    return found


@pytest.mark.parametrize("path", list(PAGES))
def test_axe_finds_no_violation_in_the_apps_own_elements(tab, path):
    page = tab.open("/" if path == DEFAULT_PAGE else f"/{path}", heading=False)
    found = apps_own(page, axe_violations(page))
    assert found == [], f"/{path}: {len(found)} WCAG 2.1 AA violations\n" + "\n".join(found)


def test_axe_with_a_charts_data_table_open(tab):
    """The text alternative's table, opened from the keyboard, passes axe too."""
    page = tab.open("/?region=15&indicator=t3_laakari", charts=1)
    toggle = page.locator('.st-key-alt_region_chart [data-testid="stCheckbox"] input')
    toggle.focus()
    page.keyboard.press("Space")
    page.locator('.st-key-alt_region_chart [data-testid="stDataFrame"]').wait_for(state="visible")
    wait_rendered(page, charts=1)
    page.locator(".st-key-alt_region_chart").screenshot(
        path=str(tab.screenshot("region_alt_table").parent / "region_alt_table_part.png"))
    found = apps_own(page, axe_violations(page))
    assert found == [], f"{len(found)} WCAG 2.1 AA violations\n" + "\n".join(found)
    tab.assert_clean()
