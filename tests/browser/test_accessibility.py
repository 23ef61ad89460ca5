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
