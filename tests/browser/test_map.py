"""The world map in headless Chromium, on the shipped demo data."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import choose_option, count, fill_of, severe_logs
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.urlstate import ViewState


def _plain(text: str) -> str:
    """Selenium reads non-breaking spaces as spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _wait_for_map(dash_duo, minimum: int = 250) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= minimum, timeout=20,
                       msg="country shapes not drawn")


def _query(dash_duo) -> dict:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def test_page_loads_with_every_country_drawn(dash_duo, demo_app, demo_data):
    """The map draws every country shape, the posts and the demo banner; no console error."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    assert count(dash_duo, "path.atlas-country") >= 250
    assert count(dash_duo, "path.atlas-post") == len(demo_data.network.posts)
    assert "démonstration" in dash_duo.find_element("#demo-banner").text
    dash_duo.wait_for_text_to_equal("#kpi-posts", str(len(demo_data.network.posts)))
    dash_duo.wait_for_text_to_equal("#kpi-covered", "157")
    assert fill_of(dash_duo, "MLI") == "#08519c"  # host of a post
    assert severe_logs(dash_duo) == []


# Installed before the page's own scripts: counts the callback requests sent, and notes what
# the page holds when the last country shape is drawn.
DRAW_ORDER_PROBE = """
window.__callbacksSent = 0;
var realFetch = window.fetch;
window.fetch = function (url) {
  if (String(url).indexOf('_dash-update-component') >= 0) { window.__callbacksSent += 1; }
  return realFetch.apply(this, arguments);
};
new MutationObserver(function (records, observer) {
  if (document.querySelectorAll('path.atlas-country').length >= 250) {
    window.__atDraw = {sent: window.__callbacksSent,
                       listed: document.querySelectorAll('.country-list-item').length};
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_the_map_is_drawn_first(dash_duo, demo_app):
    """A cold load draws the map before the rest of the page's work: when the country shapes
    are on screen, at most two callback requests have been sent (the URL's, and perhaps the
    date picker's) and the list of countries' 250 buttons are not written yet; they come
    when the list is unfolded. Counted, not timed."""
    dash_duo.start_server(demo_app)
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": DRAW_ORDER_PROBE})
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en")
    _wait_for_map(dash_duo)
    at_draw = dash_duo.driver.execute_script("return window.__atDraw;")
    assert at_draw["sent"] <= 2, at_draw
    assert at_draw["listed"] == 0, at_draw
    dash_duo.find_element(".country-list-summary").click()
    dash_duo._wait_for(lambda _: count(dash_duo, ".country-list-item") == 250, timeout=10,
                       msg="the list of countries was not written when unfolded")


def test_theme_filter_changes_figures_colour_and_legend(dash_duo, demo_app, demo_data):
    """Choosing drug trafficking in programmes mode changes KPIs, Mali's class and the legend."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    before = dash_duo.find_element("#kpi-programmes").text
    dash_duo.find_element("#filter-mode input[value='programmes']").click()
    choose_option(dash_duo, "filter-themes", "stupéfiants")

    expected = map_view(demo_data, ViewState(mode="programmes",
                                             filters=filter_state(themes=("drugs",))))
    dash_duo.wait_for_text_to_equal("#kpi-programmes", _plain(expected.kpi_texts[3]))
    assert expected.kpi_texts[3] != before
    hideout = expected.countries_hideout
    mali = hideout["values"]["MLI"]
    index = next(i for i, high in enumerate(hideout["highs"]) if mali <= high)
    dash_duo._wait_for(lambda _: fill_of(dash_duo, "MLI") == hideout["colors"][index], timeout=10,
                       msg="Mali not in the expected class colour")
    rows = [r.text for r in dash_duo.find_elements("#legend .legend-row")]
    expected_rows = [_plain(e.label) for legend in expected.legends for e in legend.entries]
    assert rows == expected_rows
    assert _query(dash_duo)["themes"] == ["drugs"] and _query(dash_duo)["mode"] == ["programmes"]
    assert severe_logs(dash_duo) == []


def test_url_restores_filters(dash_duo, demo_app, demo_data):
    """Opening a shared link restores mode, theme, status, years and the selected country."""
    dash_duo.start_server(demo_app)
    query = ("?mode=programmes&themes=drugs,terrorism&status=active,planned&years=2020-2026"
             "&country=MLI")
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    _wait_for_map(dash_duo)
    view = ViewState(mode="programmes", country="MLI", filters=filter_state(
        themes=("drugs", "terrorism"), status=("active", "planned"), years=(2020, 2026)))
    expected = map_view(demo_data, view)
    dash_duo.wait_for_text_to_equal("#kpi-programmes", _plain(expected.kpi_texts[3]))
    dash_duo.wait_for_text_to_equal("#kpi-budget", _plain(expected.kpi_texts[4]))
    chosen = dash_duo.find_element("#filter-themes").text
    assert "Trafic de stupéfiants" in chosen and "2" in chosen  # Dash shows "2 selected"
    assert dash_duo.find_element("#filter-mode input[value='programmes']").is_selected()
    assert dash_duo.find_element("#filter-status input[value='planned']").is_selected()
    mali = dash_duo.find_element("path.atlas-country-MLI")
    assert "atlas-selected" in mali.get_attribute("class")
    # The link keeps its keys; bringing Mali into view adds the map's extent.
    dash_duo._wait_for(lambda _: "zoom" in urlparse(dash_duo.driver.current_url).query,
                       timeout=10, msg="the map's extent did not reach the URL")
    kept = [pair for pair in urlparse(dash_duo.driver.current_url).query.split("&")
            if pair.split("=")[0] not in ("lat", "lon", "zoom")]
    assert "&".join(kept) == query[1:]
    assert severe_logs(dash_duo) == []


def test_layer_toggle_and_click_selection(dash_duo, demo_app, demo_data):
    """Turning posts off removes the markers; clicking a country puts it in the URL."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    dash_duo.find_element("#filter-layers input[value='posts']").click()
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-post") == 0, timeout=10,
                       msg="posts still shown")
    assert _query(dash_duo)["layers"] == ["links,labels"]
    dash_duo.driver.execute_script(
        "document.querySelector('path.atlas-country-BRA')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    dash_duo._wait_for(lambda _: _query(dash_duo).get("country") == ["BRA"], timeout=10,
                       msg="country not in URL")
    dash_duo.find_element("#filter-reset").click()
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-post") == len(demo_data.network.posts),
                       timeout=10, msg="reset did not restore posts")
    assert severe_logs(dash_duo) == []


def _visible_labels(dash_duo) -> list[str]:
    """The country names shown on the map (placed and not hidden by the decluttering)."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.atlas-label'))"
        ".filter(function (el) { return el.style.visibility === 'visible'; })"
        ".map(function (el) { return el.textContent; });")


def test_names_on_the_map(dash_duo, demo_app):
    """Zoomed on West Africa the map names Mali, Niger and Burkina Faso, without two names
    overlapping; with the names layer off only the selected country keeps its name."""
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?lat=13&lon=-2&zoom=5")
    _wait_for_map(dash_duo)
    dash_duo._wait_for(
        lambda _: {"Mali", "Niger", "Burkina Faso"} <= set(_visible_labels(dash_duo)),
        timeout=15, msg="West African names not shown")
    overlapping = dash_duo.driver.execute_script(
        "var boxes = Array.from(document.querySelectorAll('.atlas-label'))"
        ".filter(function (el) { return el.style.visibility === 'visible'; })"
        ".map(function (el) { return el.firstChild.getBoundingClientRect(); });"
        "var n = 0; for (var i = 0; i < boxes.length; i++) {"
        " for (var j = i + 1; j < boxes.length; j++) { var a = boxes[i], b = boxes[j];"
        " if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {"
        " n++; } } }"
        "return n;")
    assert overlapping == 0
    dash_duo.driver.get(dash_duo.server_url + "/?layers=posts,links&country=MLI&lang=en")
    _wait_for_map(dash_duo)
    dash_duo._wait_for(lambda _: _visible_labels(dash_duo) == ["Mali"], timeout=15,
                       msg="only the selected country should keep its name")
    assert severe_logs(dash_duo) == []


# Records the outputs of each callback request the page sends, in order.
REQUESTS_PROBE = """
window.__sent = [];
var send = window.fetch;
window.fetch = function (resource, init) {
  var url = typeof resource === 'string' ? resource : (resource && resource.url) || '';
  if (url.indexOf('_dash-update-component') >= 0) {
    try { window.__sent.push(JSON.parse(init.body).output); } catch (e) { window.__sent.push('?'); }
  }
  return send.apply(this, arguments);
};
"""


def test_a_theme_click_is_one_request_before_the_fills(dash_duo, demo_app, demo_data):
    """A theme chosen in programmes mode: the first request the page sends is the map's,
    which brings the fills and the URL together; the URL callback and the playback do not
    stand before it, and the list of countries adds no component to answer."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    dash_duo.find_element("#filter-mode input[value='programmes']").click()
    dash_duo._wait_for(lambda _: _query(dash_duo).get("mode") == ["programmes"], timeout=10,
                       msg="the mode is not in the URL")
    before = fill_of(dash_duo, "MLI")
    dash_duo.driver.execute_script(REQUESTS_PROBE)
    choose_option(dash_duo, "filter-themes", "stupéfiants")
    dash_duo._wait_for(lambda _: _query(dash_duo).get("themes") == ["drugs"], timeout=10,
                       msg="the theme is not in the URL")
    expected = map_view(demo_data, ViewState(mode="programmes",
                                             filters=filter_state(themes=("drugs",))))
    hideout = expected.countries_hideout
    index = next(i for i, high in enumerate(hideout["highs"])
                 if hideout["values"]["MLI"] <= high)
    dash_duo._wait_for(lambda _: fill_of(dash_duo, "MLI") == hideout["colors"][index],
                       timeout=10, msg="Mali not in the expected class colour")
    assert fill_of(dash_duo, "MLI") != before
    sent = dash_duo.driver.execute_script("return window.__sent;")
    typed = [output for output in sent if "filter-themes.options" not in output]
    assert "layer-countries.hideout" in typed[0] and "url.search" in typed[0], sent
    assert not any("play-frames.data" in output for output in sent), sent
    # The map (with the posts, links and language links), the panel; then the URL read back.
    assert len(typed) <= 3, sent
    assert count(dash_duo, ".country-list-item") == 0  # drawn only when the list is unfolded
    assert severe_logs(dash_duo) == []


def test_a_filter_change_restyles_the_countries_as_drawn(dash_duo, demo_app, demo_data):
    """A change of mode and a click on a country recolour and outline the shapes already on
    the map: the fills, the selection's outline and the tooltip change, and every country path
    and small-state marker is the node that was there before (not drawn again)."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    marked = dash_duo.driver.execute_script(
        "var paths = document.querySelectorAll('path.atlas-country');"
        "paths.forEach(function (p) { p.__atlasBefore = true; });"
        "return paths.length;")
    before = fill_of(dash_duo, "MLI")
    dash_duo.find_element("#filter-mode input[value='programmes']").click()
    hideout = map_view(demo_data, ViewState(mode="programmes")).countries_hideout
    mali = hideout["values"]["MLI"]
    index = next(i for i, high in enumerate(hideout["highs"]) if mali <= high)
    dash_duo._wait_for(lambda _: fill_of(dash_duo, "MLI") == hideout["colors"][index],
                       timeout=10, msg="Mali not in its programmes class colour")
    assert fill_of(dash_duo, "MLI") != before
    dash_duo.driver.execute_script(
        "document.querySelector('path.atlas-country-BRA')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    dash_duo._wait_for(lambda _: "atlas-selected" in dash_duo.find_element(
        "path.atlas-country-BRA").get_attribute("class"), timeout=10,
        msg="Brazil not outlined")
    brazil = dash_duo.find_element("path.atlas-country-BRA")
    assert brazil.get_attribute("stroke") == hideout["outline"]
    dash_duo.driver.execute_script(
        "document.querySelector('path.atlas-country-MLI')"
        ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true, clientX: 500, clientY: 300}))")
    line = hideout["programmes_text"][str(hideout["counts"].get("MLI", 0))]
    read = ("return Array.from(document.querySelectorAll('.leaflet-tooltip'))"
            ".map(function (t) { return t.textContent; });")
    dash_duo._wait_for(lambda _: any(text.startswith("Mali") and _plain(line) in _plain(text)
                                     for text in dash_duo.driver.execute_script(read)),
                       timeout=10, msg="no tooltip of Mali with its programmes")
    kept = dash_duo.driver.execute_script(
        "var paths = Array.from(document.querySelectorAll('path.atlas-country'));"
        "return [paths.length, paths.filter(function (p) { return p.__atlasBefore; }).length];")
    assert kept == [marked, marked]
    assert severe_logs(dash_duo) == []
