"""Every screen size: nothing of the panel, the legend or the map's controls off screen or
overlapping; the filters in a drawer where the column would not fit; the phone's bottom sheet;
the axe audit clean at each size (docs/layouts.md)."""

from __future__ import annotations

import pytest

from tests.browser.axe import audit
from tests.browser.conftest import count, set_screen

#: (name, screen width, height, browser zoom): 200% on a 1366x768 screen is 683x384 CSS px.
SIZES = [
    ("phone", 390, 844, 1), ("tablet", 768, 1024, 1), ("tablet-landscape", 1024, 768, 1),
    ("laptop", 1366, 768, 1), ("full-hd", 1920, 1080, 1), ("laptop-200%", 1366, 768, 2),
]
#: What must stay whole on screen and clear of each other.
PARTS = {"panel": "#panel", "legend": "#legend", "zoom": ".leaflet-control-zoom",
         "source": "#map-source", "credit": ".leaflet-control-attribution",
         "header": ".header"}

BOXES = """
var parts = arguments[0], out = {};
Object.keys(parts).forEach(function (name) {
  var el = document.querySelector(parts[name]);
  if (!el) { return; }
  var style = getComputedStyle(el), box = el.getBoundingClientRect();
  var hidden = style.visibility === 'hidden' || style.display === 'none' || !box.width;
  for (var p = el.parentElement; p && !hidden; p = p.parentElement) {
    var s = getComputedStyle(p);
    hidden = s.display === 'none' || s.visibility === 'hidden';
  }
  if (!hidden) { out[name] = [box.left, box.top, box.right, box.bottom]; }
});
out.viewport = [document.documentElement.clientWidth, document.documentElement.clientHeight];
return out;
"""


def _open(dash_duo, query: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="map not drawn")


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _check(boxes: dict, where: str) -> None:
    width, height = boxes.pop("viewport")
    for name, (left, top, right, bottom) in boxes.items():
        assert left >= -0.5 and top >= -0.5 and right <= width + 0.5 and bottom <= height + 0.5, (
            f"{where}: {name} {[left, top, right, bottom]} leaves the {width}x{height} screen")
    names = sorted(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            assert not _overlap(boxes[first], boxes[second]), (
                f"{where}: {first} {boxes[first]} overlaps {second} {boxes[second]}")


def _panel_settled(dash_duo) -> bool:
    return dash_duo.driver.execute_script(
        "var p = document.getElementById('panel');"
        "return p.classList.contains('panel-open') && getComputedStyle(p).transform === 'none';")


@pytest.mark.parametrize(("name", "width", "height", "zoom"), SIZES, ids=[s[0] for s in SIZES])
def test_nothing_off_screen_or_overlapping(dash_duo, demo_app, name, width, height, zoom):
    """At each size, closed and with Mali's panel open: the panel, legend, zoom buttons, source
    line, credit and header lie inside the screen and clear of each other; the map keeps at
    least a third of the screen; axe finds nothing serious."""
    dash_duo.start_server(demo_app)
    set_screen(dash_duo, width, height, zoom)
    _open(dash_duo, "?mode=programmes")
    boxes = dash_duo.driver.execute_script(BOXES, PARTS)
    assert "panel" not in boxes and {"legend", "zoom", "source", "header"} <= set(boxes)
    _check(boxes, f"{name}, no panel")
    map_box = dash_duo.driver.execute_script(
        "var b = document.querySelector('.map').getBoundingClientRect();"
        "return [b.width, b.height, innerWidth, innerHeight];")
    assert map_box[0] * map_box[1] >= map_box[2] * map_box[3] / 3, f"{name}: map {map_box}"

    _open(dash_duo, "?mode=programmes&country=MLI")
    dash_duo.wait_for_text_to_equal("#panel-title", "Mali", timeout=20)
    dash_duo._wait_for(lambda _: _panel_settled(dash_duo), timeout=10, msg="panel not open")
    boxes = dash_duo.driver.execute_script(BOXES, PARTS)
    assert "panel" in boxes
    _check(boxes, f"{name}, Mali's panel open")
    dash_duo.driver.set_script_timeout(60)
    assert audit(dash_duo.driver) == [], name


def test_phone_is_map_first_with_filters_in_a_drawer(dash_duo, demo_app):
    """On a 390x844 phone the filters wait in a drawer: the Filters button opens it on screen
    (its first control focused), Escape puts it away and focus returns to the button; the panel
    opens as a sheet along the bottom of the screen, the whole width."""
    from selenium.webdriver.common.keys import Keys

    dash_duo.start_server(demo_app)
    set_screen(dash_duo, 390, 844, 1)
    _open(dash_duo, "")
    drawer = dash_duo.find_element("#filters")
    toggle = dash_duo.find_element("#filters-toggle")
    assert not drawer.is_displayed() and toggle.is_displayed()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    dash_duo._wait_for(lambda _: dash_duo.driver.execute_script(
        "var b = document.getElementById('filters').getBoundingClientRect();"
        "return b.left >= 0 && b.right <= innerWidth;"), timeout=5, msg="drawer not on screen")
    assert toggle.get_attribute("aria-expanded") == "true"
    dash_duo._wait_for(lambda _: dash_duo.driver.execute_script(
        "return document.getElementById('filters').contains(document.activeElement);"),
        timeout=5, msg="focus not in the drawer")
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    dash_duo._wait_for(lambda _: not drawer.is_displayed(), timeout=5, msg="drawer still open")
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == "filters-toggle"

    _open(dash_duo, "?country=SEN")
    dash_duo.wait_for_text_to_equal("#panel-title", "Sénégal", timeout=20)
    dash_duo._wait_for(lambda _: _panel_settled(dash_duo), timeout=10, msg="panel not open")
    left, top, right, bottom = dash_duo.driver.execute_script(
        "var b = document.getElementById('panel').getBoundingClientRect();"
        "return [b.left, b.top, b.right, b.bottom];")
    assert (left, right, bottom) == (0, 390, 844) and 844 * 0.3 < top < 844 * 0.7
