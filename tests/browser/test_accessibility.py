"""Accessibility audit with axe-core in headless Chromium: no serious or critical violation."""

from __future__ import annotations

from tests.browser.axe import audit
from tests.browser.conftest import count


def test_main_screen_has_no_serious_violation(dash_duo, demo_app):
    """The main screen (map, filters, KPI strip, legend) passes axe-core."""
    dash_duo.start_server(demo_app)
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="map not drawn")
    dash_duo.driver.set_script_timeout(60)
    assert audit(dash_duo.driver) == []


def _ready(dash_duo) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="map not drawn")
    dash_duo.driver.set_script_timeout(60)


def test_open_country_panel_has_no_serious_violation(dash_duo, demo_app):
    """With Mali's panel open (tables, charts, chips), axe-core finds nothing serious."""
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?mode=programmes&country=MLI&lang=en")
    _ready(dash_duo)
    dash_duo.wait_for_contains_text("#panel-title", "Mali", timeout=20)
    assert audit(dash_duo.driver) == []


def test_open_export_dialog_has_no_serious_violation(dash_duo, demo_app):
    """With the export dialog open, axe-core finds nothing serious."""
    dash_duo.start_server(demo_app)
    _ready(dash_duo)
    dash_duo.find_element("#export-open").click()
    dash_duo.wait_for_element("#export-confirm", timeout=10)
    assert audit(dash_duo.driver) == []


def test_keyboard_reaches_every_control(dash_duo, demo_app):
    """Tab alone reaches the language switch, export, search, every filter and reset."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    dash_duo.start_server(demo_app)
    _ready(dash_duo)
    seen = []
    for _ in range(40):
        ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
        seen.append(dash_duo.driver.execute_script(
            "var e = document.activeElement;"
            "if (e.classList.contains('dash-dropdown-focus-target')) {"
            "  return e.parentElement.querySelector('button.dash-dropdown').id; }"
            "var box = e.closest('[id]');"
            "return box ? box.id : e.tagName;"))
    for control in ("lang-link-en", "export-open", "filter-mode", "filter-metric",
                    "filter-layers", "filter-themes", "filter-types", "filter-status",
                    "filter-regions", "filter-beneficiaries", "filter-reset"):
        assert control in seen, f"{control} not reachable by Tab: {seen}"
