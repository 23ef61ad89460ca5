"""The map brings what is selected into view: a linked country lands in the part of the map the
panel leaves free (the URL following), choosing a region fits it, a zoomed-in West Africa
shows its countries' names, and the world fits the window."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from flask import request

from dashboard import ids
from tests.browser.conftest import choose_option, count, severe_logs

# The map, the free part beside the open panel, and one country's drawn box, in page pixels.
_BOXES = """
var map = document.getElementById('map').getBoundingClientRect();
var panel = document.getElementById('panel');
var open = panel.classList.contains('panel-open');
var right = open ? panel.getBoundingClientRect().left : map.right;
var paths = document.querySelectorAll('path.atlas-country-' + arguments[0]);
var box = null;
paths.forEach(function (p) {
  var r = p.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) { return; }
  box = box ? {left: Math.min(box.left, r.left), right: Math.max(box.right, r.right),
               top: Math.min(box.top, r.top), bottom: Math.max(box.bottom, r.bottom)}
            : {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
});
return {free: {left: map.left, right: Math.min(right, map.right), top: map.top,
               bottom: map.bottom}, box: box};
"""


def _query(dash_duo) -> dict:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def _wait_for_map(dash_duo) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="country shapes not drawn")


def _in_free_part(dash_duo, iso3: str, slack: float = 4) -> bool:
    found = dash_duo.driver.execute_script(_BOXES, iso3)
    box, free = found["box"], found["free"]
    return bool(box) and (box["left"] >= free["left"] - slack
                          and box["right"] <= free["right"] + slack
                          and box["top"] >= free["top"] - slack
                          and box["bottom"] <= free["bottom"] + slack
                          and box["right"] - box["left"] >= 60)


@pytest.mark.parametrize("iso3", ["IDN", "KEN", "LBN"])
def test_linked_country_lands_beside_the_panel(dash_duo, demo_app, iso3):
    """At 1366x768, `?country=` opens the panel and brings the country, readable, into the
    part of the map the panel leaves free; the URL then records the extent."""
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + f"/?country={iso3}")
    _wait_for_map(dash_duo)
    dash_duo._wait_for(lambda _: float(_query(dash_duo).get("zoom", ["0"])[0]) >= 3
                       and _in_free_part(dash_duo, iso3), timeout=15,
                       msg=f"the map did not bring {iso3} beside the panel")
    query = _query(dash_duo)
    assert query["country"] == [iso3]
    assert float(query["zoom"][0]) >= 3
    assert severe_logs(dash_duo) == []


def test_choosing_a_region_fits_it_and_names_its_countries(dash_duo, demo_app):
    """Choosing West Africa moves the map onto it (the URL follows) and, zoomed in that far,
    the names of Mali, Niger and Burkina Faso are shown; clearing the choice goes back to the
    world view."""
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    assert "zoom" not in _query(dash_duo)
    choose_option(dash_duo, ids.control("regions"), "Ouest")
    dash_duo._wait_for(lambda _: _query(dash_duo).get("regions") == ["west_africa"]
                       and float(_query(dash_duo).get("zoom", ["0"])[0]) >= 3.5, timeout=15,
                       msg="the map did not fit West Africa")
    lat, lon = float(_query(dash_duo)["lat"][0]), float(_query(dash_duo)["lon"][0])
    assert 5 < lat < 22 and -20 < lon < 5
    shown = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.atlas-label'))"
        ".filter(function (e) { return e.style.visibility === 'visible'; })"
        ".map(function (e) { return e.textContent; });")
    assert {"Mali", "Niger", "Burkina Faso"} <= set(shown)
    dash_duo.find_element(f"#{ids.RESET}").click()
    dash_duo._wait_for(lambda _: "zoom" not in _query(dash_duo) and "regions" not in
                       _query(dash_duo), timeout=15, msg="reset did not go back to the world")
    assert severe_logs(dash_duo) == []


def test_a_region_chosen_while_the_page_reads_its_url_is_kept(dash_duo, demo_app):
    """On a slow line the page's first read of its URL answers after the user has chosen a
    region: the choice stays, and the map still fits it rather than going back to the world."""
    @demo_app.server.before_request
    def _slow_url_read():
        if request.path.endswith("/_dash-update-component") and ids.MAP_TARGET.encode() in (
                request.get_data()):
            time.sleep(1.5)

    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    choose_option(dash_duo, ids.control("regions"), "Ouest")
    dash_duo._wait_for(lambda _: _query(dash_duo).get("regions") == ["west_africa"]
                       and float(_query(dash_duo).get("zoom", ["0"])[0]) >= 3.5, timeout=15,
                       msg="the early choice of West Africa was lost")
    time.sleep(2)  # every answer on its way has arrived
    assert _query(dash_duo).get("regions") == ["west_africa"]
    assert float(_query(dash_duo)["zoom"][0]) >= 3.5
    assert "Afrique de l'Ouest" in dash_duo.find_element(f"#{ids.control('regions')}").text


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1024, 768)])
def test_the_world_fits_the_window(dash_duo, demo_app, size):
    """The world view spans the map's width or its height, whatever the window: no band of
    empty sea wider than a tenth of the map on both sides, and nothing of it cut off."""
    dash_duo.driver.set_window_size(*size)
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    found = dash_duo.driver.execute_script(
        "var map = document.getElementById('map').getBoundingClientRect();"
        "var xs = [], ys = [];"
        "['CAN', 'BRA', 'CHL', 'AUS', 'ZAF', 'JPN', 'CHN'].forEach(function (id) {"
        "  document.querySelectorAll('path.atlas-country-' + id).forEach(function (p) {"
        "    var r = p.getBoundingClientRect(); if (r.width) {"
        "      xs.push(r.left, r.right); ys.push(r.top, r.bottom); } }); });"
        "return {map: [map.left, map.right, map.top, map.bottom],"
        "        world: [Math.min.apply(null, xs), Math.max.apply(null, xs),"
        "                Math.min.apply(null, ys), Math.max.apply(null, ys)]};")
    left, right, top, bottom = found["map"]
    west, east, north, south = found["world"]
    width, height = right - left, bottom - top
    assert west >= left - 2 and south <= bottom + 40  # Chile's tip may pass the frame a bit
    assert (west - left) + (right - east) < 0.2 * width or (north - top) < 0.15 * height
    assert "zoom" not in _query(dash_duo)


def test_markers_never_overlap(dash_duo, demo_app):
    """At world zoom and zoomed on the Caribbean, no two markers (small states, posts)
    overlap, and a click on Saint Lucia's marker opens Saint Lucia."""
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.start_server(demo_app)
    overlaps = """
    var circles = [];
    document.querySelectorAll('path.atlas-country, path.atlas-post').forEach(function (p) {
      if (!/a/i.test(p.getAttribute('d') || '')) { return; }
      var r = p.getBoundingClientRect();
      if (!r.width) { return; }
      circles.push({x: r.left + r.width / 2, y: r.top + r.height / 2, r: r.width / 2});
    });
    var n = 0;
    for (var i = 0; i < circles.length; i++) { for (var j = i + 1; j < circles.length; j++) {
      var a = circles[i], b = circles[j];
      if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r - 1) { n++; } } }
    return [circles.length, n];
    """
    for query in ("/", "/?lat=15&lon=-66&zoom=4.5"):
        dash_duo.driver.get(dash_duo.server_url + query)
        _wait_for_map(dash_duo)
        dash_duo._wait_for(lambda _, q=overlaps: dash_duo.driver.execute_script(q)[1] == 0
                           and dash_duo.driver.execute_script(q)[0] >= 10, timeout=10,
                           msg=f"markers overlap at {query}")
    dash_duo.driver.execute_script(
        "var el = Array.from(document.querySelectorAll('path.atlas-country-LCA'))"
        ".find(function (p) { return /a/i.test(p.getAttribute('d')); });"
        "el.dispatchEvent(new MouseEvent('click', {bubbles: true}));")
    dash_duo.wait_for_text_to_equal("#panel-title", "Sainte-Lucie", timeout=10)
    assert severe_logs(dash_duo) == []


def test_tooltips_stay_beside_the_panel(dash_duo, demo_app):
    """With the panel open, a country's tooltip near the panel's edge opens to the left of the
    pointer, inside the visible map."""
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?country=KEN")
    _wait_for_map(dash_duo)
    dash_duo._wait_for(lambda _: _in_free_part(dash_duo, "KEN"), timeout=15,
                       msg="Kenya not in view")
    free = dash_duo.driver.execute_script(_BOXES, "KEN")["free"]
    # The point of Kenya nearest the panel, found on the page.
    point = dash_duo.driver.execute_script("""
        var paths = Array.from(document.querySelectorAll('path.atlas-country-KEN'));
        var r = paths[0].getBoundingClientRect(), y = r.top + r.height / 2;
        for (var x = r.right - 2; x > r.left; x -= 2) {
          var el = document.elementFromPoint(x, y);
          if (paths.indexOf(el) >= 0) { return [x - 3, y]; }
        }
        return null;""")
    assert point, "no point of Kenya found"
    dash_duo.driver.execute_script("""
        var x = arguments[0], y = arguments[1], el = document.elementFromPoint(x, y);
        ['mouseover', 'mousemove', 'mousemove'].forEach(function (type, i) {
          el.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: x + i, clientY: y}));
        });""", point[0], point[1])
    tooltip = dash_duo.wait_for_element(".leaflet-tooltip.atlas-tooltip", timeout=10)
    dash_duo._wait_for(lambda _: tooltip.rect["x"] + tooltip.rect["width"] <= free["right"],
                       timeout=5, msg="the tooltip passes under the panel")
    assert tooltip.text.strip()  # a country's tooltip (the pointer may rest on a neighbour)
