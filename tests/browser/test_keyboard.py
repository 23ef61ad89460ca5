"""Keyboard only: the map is one tab stop that arrow keys pan and +/- zoom; a country opens from
the search box or the list of countries in a few keys, focus moves to the panel's heading, and
Escape closes the panel and gives focus back where it was."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import count, set_screen

ACTIVE = """
var e = document.activeElement;
if (!e || e === document.body) { return 'body'; }
if (e.classList.contains('leaflet-container')) { return 'map'; }
if (e.closest('.leaflet-control-zoom')) { return 'zoom'; }
if (e.closest('.leaflet-control-attribution')) { return 'credit'; }
if (e.tagName.toLowerCase() === 'path') { return 'path'; }
if (e.id === 'panel-title') { return 'panel-title'; }
if (e.closest('.header-search')) { return 'search'; }
if (e.classList.contains('country-list-summary')) { return 'country-list'; }
var box = e.closest('[id]');
return box ? box.id : e.tagName;
"""


def _ready(dash_duo, query: str = "") -> None:
    set_screen(dash_duo, 1366, 768)
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="map not drawn")


class Keyboard:
    """Presses keys on whatever has focus, counting them."""

    def __init__(self, dash_duo):
        self.dash_duo, self.presses = dash_duo, 0

    def press(self, *keys: str) -> None:
        for key in keys:
            ActionChains(self.dash_duo.driver).send_keys(key).perform()
            self.presses += len(key) if key.isalpha() else 1

    def focused(self) -> str:
        return self.dash_duo.driver.execute_script(ACTIVE)

    def tab_to(self, name: str, limit: int) -> None:
        for _ in range(limit):
            self.press(Keys.TAB)
            if self.focused() == name:
                return
        raise AssertionError(f"{name} not reached in {limit} tabs")


def _query(dash_duo) -> dict:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def _panel_open(dash_duo) -> bool:
    return "panel-open" in (dash_duo.find_element("#panel").get_attribute("class") or "")


def test_the_map_is_one_tab_stop_that_keys_pan_and_zoom(dash_duo, demo_app):
    """Tabbing through the whole page meets the map once and none of its shapes; on the map,
    an arrow key pans it and + zooms in (the URL follows)."""
    dash_duo.start_server(demo_app)
    _ready(dash_duo)
    keys = Keyboard(dash_duo)
    seen = []
    while len(seen) < 200 and (not seen or seen[-1] != "body"):  # one round of the page
        keys.press(Keys.TAB)
        seen.append(keys.focused())
    assert "path" not in seen, " ".join(seen)
    assert seen.count("map") == 1, " ".join(seen)
    assert len(seen) < 40, " ".join(seen)
    keys.tab_to("map", 80)
    keys.press(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    dash_duo._wait_for(lambda _: "lon" in _query(dash_duo), timeout=10,
                       msg="arrow keys did not move the map")
    dash_duo._wait_for(lambda _: "zoom" in _query(dash_duo), timeout=10, msg="no zoom in URL")
    before = float(_query(dash_duo)["zoom"][0])
    keys.press(Keys.ADD)
    dash_duo._wait_for(lambda _: float(_query(dash_duo)["zoom"][0]) > before, timeout=10,
                       msg="+ did not zoom in")


def test_search_opens_a_country_and_escape_gives_focus_back(dash_duo, demo_app):
    """From the top of the page: Tab to the search box, type "Mali", Enter: Mali's panel opens
    with focus on its heading; Escape closes it and focus is back in the search box. Fewer
    than 20 keys in all."""
    dash_duo.start_server(demo_app)
    _ready(dash_duo)
    keys = Keyboard(dash_duo)
    keys.tab_to("search", 8)
    keys.press("Mali")
    dash_duo._wait_for(lambda _: dash_duo.driver.execute_script(
        "return !!document.querySelector('.dash-dropdown-content [role=option]');"), timeout=10,
        msg="no choice offered")
    keys.press(Keys.ENTER)
    dash_duo._wait_for(lambda _: _panel_open(dash_duo), timeout=10, msg="panel not open")
    dash_duo.wait_for_text_to_equal("#panel-title", "Mali", timeout=10)
    dash_duo._wait_for(lambda _: keys.focused() == "panel-title", timeout=5,
                       msg="focus not on the panel's heading")
    keys.press(Keys.ESCAPE)
    dash_duo._wait_for(lambda _: not _panel_open(dash_duo), timeout=10, msg="Escape did not close")
    dash_duo._wait_for(lambda _: "country" not in _query(dash_duo), timeout=10,
                       msg="the URL still names the country")
    assert keys.focused() == "search"
    assert keys.presses < 20, keys.presses


def test_the_list_of_countries_opens_any_country(dash_duo, demo_app):
    """The list of countries (A to Z) is one tab stop while folded; Enter unfolds it, Tab
    reaches its first country, Enter opens that country's panel, Escape comes back to it.
    Its buttons, written when it is first unfolded, are all there: as many as it says."""
    dash_duo.start_server(demo_app)
    _ready(dash_duo)
    listed = int(re.search(r"\((\d+)\)",
                           dash_duo.find_element(".country-list-summary").text).group(1))
    keys = Keyboard(dash_duo)
    keys.tab_to("country-list", 40)
    keys.press(Keys.ENTER)
    dash_duo._wait_for(lambda _: count(dash_duo, ".country-list-item") == listed, timeout=10,
                       msg=f"the list does not hold its {listed} countries")
    keys.press(Keys.TAB)
    first = dash_duo.driver.execute_script("return document.activeElement.textContent;")
    assert first == dash_duo.find_element(".country-list-item").text
    keys.press(Keys.ENTER)
    dash_duo._wait_for(lambda _: _panel_open(dash_duo), timeout=10, msg="panel not open")
    dash_duo.wait_for_text_to_equal("#panel-title", first, timeout=10)
    dash_duo._wait_for(lambda _: keys.focused() == "panel-title", timeout=5,
                       msg="focus not on the panel's heading")
    keys.press(Keys.ESCAPE)
    dash_duo._wait_for(lambda _: not _panel_open(dash_duo), timeout=10, msg="Escape did not close")
    assert dash_duo.driver.execute_script("return document.activeElement.textContent;") == first
