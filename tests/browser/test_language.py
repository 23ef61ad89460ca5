"""French by default, English with the switch or ``?lang=en``; every text follows."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import count, severe_logs


def _ready(dash_duo) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="map not drawn")


def _texts(dash_duo) -> dict:
    return {
        "html_lang": dash_duo.driver.execute_script("return document.documentElement.lang"),
        "title": dash_duo.driver.title,
        "filters": dash_duo.find_element(".filters-title").text,
        "kpi": dash_duo.find_element(".kpi-label").text,
        "reset": dash_duo.find_element("#filter-reset").text,
        "legend": dash_duo.find_element("#legend .legend-title").text,
        "status": dash_duo.find_element("#filter-status").text,
        "banner": dash_duo.find_element("#demo-banner").text,
    }


def test_switching_language_changes_every_text_and_keeps_the_view(dash_duo, demo_app):
    """?lang=en shows English; the FR link shows French with the same filters."""
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?mode=programmes&themes=drugs&lang=en")
    _ready(dash_duo)
    dash_duo.wait_for_text_to_equal("#legend .legend-title",
                                    "Programmes per country — Drug trafficking · active")
    english = _texts(dash_duo)
    assert english["html_lang"] == "en"
    assert english["title"].startswith("Atlas · international")
    assert (english["filters"].lower(), english["kpi"], english["reset"]) == ("filters", "posts",
                                                                               "Reset")
    assert "Planned" in english["status"] and "Active" in english["status"]
    assert english["banner"].startswith("Demonstration data")

    dash_duo._wait_for(
        lambda _: "lang" not in parse_qs(urlparse(
            dash_duo.find_element("#lang-link-fr").get_attribute("href")).query),
        timeout=10, msg="FR link not updated")
    dash_duo.find_element("#lang-link-fr").click()
    dash_duo._wait_for(lambda _: "lang=" not in dash_duo.driver.current_url, timeout=10,
                       msg="still in English")
    _ready(dash_duo)
    dash_duo.wait_for_text_to_equal("#legend .legend-title",
                                    "Programmes par pays — Trafic de stupéfiants · en cours")
    french = _texts(dash_duo)
    assert french["html_lang"] == "fr"
    assert (french["filters"].lower(), french["kpi"], french["reset"]) == ("filtres", "postes",
                                                                           "Réinitialiser")
    assert "Prévu" in french["status"] and "En cours" in french["status"]
    query = parse_qs(urlparse(dash_duo.driver.current_url).query)
    assert query["mode"] == ["programmes"] and query["themes"] == ["drugs"]
    assert severe_logs(dash_duo) == []
