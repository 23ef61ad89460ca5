"""A shared link draws its own view first: from the page's first paint, the KPI strip, the
controls and the panel show the link's view, never the default view corrected a moment later."""

from __future__ import annotations

from geodata.i18n import format_number
from tests.browser.conftest import count
from viewmodel.mapview import map_view
from viewmodel.urlstate import Vocabulary, parse_query

LINK = "?mode=programmes&themes=drugs&status=all&country=MLI&lang=en"

#: Records every text the programmes figure of the KPI strip and the panel's title take.
RECORDER = """
window.__seen = {kpi: [], title: []};
new MutationObserver(function () {
  [['kpi', 'kpi-programmes'], ['title', 'panel-title']].forEach(function (pair) {
    var el = document.getElementById(pair[1]), seen = window.__seen[pair[0]];
    var text = el ? el.textContent : null;
    if (text && seen[seen.length - 1] !== text) { seen.push(text); }
  });
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def test_a_shared_link_draws_its_own_view_first(dash_duo, demo_app, demo_data):
    """Opening a link to drugs programmes in Mali: the programmes figure only ever shows the
    link's count, the panel only ever says Mali, and the theme control starts on drugs."""
    view = parse_query(LINK, Vocabulary.of(demo_data))
    expected = map_view(demo_data, view).kpi_texts[3]
    assert expected != map_view(demo_data, parse_query("?lang=en", Vocabulary.of(
        demo_data))).kpi_texts[3]
    dash_duo.start_server(demo_app)
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": RECORDER})
    dash_duo.driver.get(dash_duo.server_url + "/" + LINK)
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="map not drawn")
    dash_duo.wait_for_text_to_equal("#panel-title", "Mali", timeout=20)
    seen = dash_duo.driver.execute_script("return window.__seen;")
    assert seen["kpi"] == [expected], seen
    assert seen["title"] == ["Mali"], seen
    assert "Drug trafficking" in dash_duo.find_element("#filter-themes").text
    assert expected == format_number(int(expected.replace(",", "")), "en")
