"""The country and post panels in headless Chromium, on the shipped demo data (and one tiny
network with hostile strings)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from geodata.i18n import format_number
from tests.browser.conftest import count, severe_logs
from tests.network_builders import tiny_network
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.urlstate import ViewState


def _plain(text: str) -> str:
    """Selenium reads non-breaking spaces as spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _wait_for_map(dash_duo) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="country shapes not drawn")


def _query(dash_duo) -> dict:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def _click(dash_duo, script_selecting_element: str) -> None:
    """Dispatch a click on the element the script returns (a map path)."""
    dash_duo.driver.execute_script(
        f"var el = {script_selecting_element};"
        "el.dispatchEvent(new MouseEvent('click', {bubbles: true}));")


def _panel_open(dash_duo) -> bool:
    return "panel-open" in (dash_duo.find_element("#panel").get_attribute("class") or "")


def _wait_for_title(dash_duo, title: str) -> None:
    dash_duo._wait_for(lambda _: _panel_open(dash_duo), timeout=10, msg="panel not open")
    dash_duo.wait_for_text_to_equal("#panel-title", title, timeout=10)


def _figure(dash_duo, name: str) -> str:
    return dash_duo.find_element(f"#panel-body .figure-{name} .panel-figure-value").text


def _close_with_escape(dash_duo) -> None:
    dash_duo.find_element("body").send_keys(Keys.ESCAPE)
    dash_duo._wait_for(lambda _: not _panel_open(dash_duo), timeout=10, msg="Escape did not close")
    dash_duo._wait_for(lambda _: not {"country", "post"} & set(_query(dash_duo)), timeout=10,
                       msg="selection still in the URL")


def _demo_programmes(demo_data, iso3s, statuses=("active",)):
    programmes = demo_data.network.programmes
    in_area = programmes["countries"].map(lambda codes: bool(set(codes) & set(iso3s)))
    return programmes[in_area & programmes["status"].isin(statuses)]


def test_country_click_opens_the_country_panel(dash_duo, demo_app, demo_data):
    """Clicking Mali opens its panel: host of Bamako, the same count as the map, a table row
    per programme, the URL names it; Escape closes it."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    assert not _panel_open(dash_duo)
    _click(dash_duo, "document.querySelector('path.atlas-country-MLI')")
    _wait_for_title(dash_duo, "Mali")
    expected = _demo_programmes(demo_data, ["MLI"])
    assert len(expected) == map_view(demo_data, ViewState()).countries_hideout["counts"]["MLI"]
    assert _figure(dash_duo, "programmes") == str(len(expected))
    assert count(dash_duo, "#panel-body .programme-table tbody tr") == len(expected)
    body = dash_duo.find_element("#panel-body").text
    assert "Siège du poste de Bamako." in body and "SSI-BAMAKO" in body
    assert "Afrique" in dash_duo.find_element("#panel-subtitle").text
    assert _query(dash_duo)["country"] == ["MLI"]
    mali = dash_duo.find_element("path.atlas-country-MLI")
    assert "atlas-selected" in mali.get_attribute("class")
    bars = "#panel-body .js-plotly-plot .barlayer .point"
    dash_duo._wait_for(lambda _: count(dash_duo, bars) > 0,
                       timeout=20, msg="the timeline is not drawn")
    themes = [e.get_attribute("data-theme") for e in
              dash_duo.find_elements("#panel-body .bar-row")]
    assert "terrorism" in themes
    _close_with_escape(dash_duo)
    assert severe_logs(dash_duo) == []


def test_small_state_marker_and_empty_state(dash_duo, demo_app, demo_data):
    """Malta's marker opens its panel: covered from Rome, and its only programme is outside the
    default filter, which the panel says."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    _click(dash_duo, "Array.from(document.querySelectorAll('path.atlas-country-MLT'))"
                     ".find(function (p) { return /a/i.test(p.getAttribute('d')); })")
    _wait_for_title(dash_duo, "Malte")
    body = dash_duo.find_element("#panel-body").text
    assert "Couvert depuis le poste de Rome (Italie)." in body
    outside = len(_demo_programmes(demo_data, ["MLT"], ("planned", "active", "completed")))
    assert outside == 1
    assert "Aucun programme ne correspond aux filtres (1 hors filtres)." in body
    chips = [c.text for c in dash_duo.find_elements("#panel-body .section-post .chip")]
    assert chips == ["Italie", "Cité du Vatican", "Saint-Marin"]  # host first
    assert severe_logs(dash_duo) == []


def test_post_marker_chips_and_post_link(dash_duo, demo_app, demo_data):
    """The Dakar marker opens the post panel (area, staff, distinct programmes); a chip opens
    the Gambia; its covering-post button goes back to Dakar."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    _click(dash_duo, "document.querySelector('path.atlas-post-SSI-DAKAR')")
    _wait_for_title(dash_duo, "Poste de Dakar")
    area = sorted(demo_data.network.coverage.query("post_id == 'SSI-DAKAR'")["country_iso3"])
    post = demo_data.network.posts.set_index("post_id").loc["SSI-DAKAR"]
    assert _figure(dash_duo, "staff") == str(post["staff_total"])
    assert _figure(dash_duo, "countries") == str(len(area))
    assert _figure(dash_duo, "programmes") == str(len(_demo_programmes(demo_data, area)))
    assert _query(dash_duo)["post"] == ["SSI-DAKAR"] and "country" not in _query(dash_duo)
    counts = map_view(demo_data, ViewState()).countries_hideout["counts"]
    gambia = dash_duo.driver.find_element(
        By.XPATH, "//div[@id='panel-body']//button[contains(@class,'chip')][.//span[.='Gambie']]")
    assert gambia.find_element(By.CSS_SELECTOR, ".chip-count").text == str(counts["GMB"])
    gambia.click()
    _wait_for_title(dash_duo, "Gambie")
    assert _query(dash_duo)["country"] == ["GMB"]
    gambia_text = dash_duo.find_element("#panel-body").text
    assert "Couvert depuis le poste de Dakar (Sénégal)." in gambia_text
    dash_duo.find_element("#panel-body .post-link").click()
    _wait_for_title(dash_duo, "Poste de Dakar")
    _close_with_escape(dash_duo)
    assert severe_logs(dash_duo) == []


def _search(dash_duo, typed: str, option_text: str) -> None:
    dash_duo.find_element("#panel-search").click()
    box = dash_duo.wait_for_element(".dash-dropdown-content input.dash-dropdown-search")
    box.send_keys(typed)
    xpath = ("//div[contains(@class,'dash-dropdown-content')]//*[@role='option']"
             f"[contains(normalize-space(.), \"{option_text}\")]")
    dash_duo._wait_for(lambda d: d.find_elements(By.XPATH, xpath), timeout=10,
                       msg=f"{option_text!r} not offered for {typed!r}")
    dash_duo.driver.find_element(By.XPATH, xpath).click()


def test_search_box_opens_countries_and_posts(dash_duo, demo_app, demo_data):
    """Typing without accents finds Côte d'Ivoire; typing a city in capitals finds its post."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    _search(dash_duo, "cote d'ivoire", "Côte d'Ivoire")
    _wait_for_title(dash_duo, "Côte d'Ivoire")
    assert _query(dash_duo)["country"] == ["CIV"]
    expected = map_view(demo_data, ViewState()).countries_hideout["counts"]["CIV"]
    assert _figure(dash_duo, "programmes") == str(expected)
    _search(dash_duo, "PEKIN", "SSI-PEKIN")
    _wait_for_title(dash_duo, "Poste de Pékin")
    assert _query(dash_duo)["post"] == ["SSI-PEKIN"]
    assert severe_logs(dash_duo) == []


def test_english_page_finds_and_names_posts_by_their_english_city(dash_duo, demo_app):
    """On the English page, "beijing" finds the Pékin post, shown as the Beijing post."""
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en")
    _wait_for_map(dash_duo)
    _search(dash_duo, "beijing", "Beijing · SSI-PEKIN")
    _wait_for_title(dash_duo, "Beijing post")
    assert "Head of post\nInternal Security Attaché" in dash_duo.find_element("#panel-body").text
    assert _query(dash_duo)["post"] == ["SSI-PEKIN"]
    assert severe_logs(dash_duo) == []


def _tooltip_on(dash_duo, selector: str, start: str) -> str:
    """The text of the tooltip starting with ``start`` that a mouse-over of the map element
    ``selector`` opens. The pointer stays over it, as a user's would: the map is drawn before
    the page's first callbacks have answered, and their restyling closes a tooltip opened in
    that moment."""
    hover = (f"document.querySelector({selector!r}).dispatchEvent("
             "new MouseEvent('mouseover', {bubbles: true, clientX: 300, clientY: 300}));")
    read = ("return Array.from(document.querySelectorAll('.leaflet-tooltip'))"
            ".map(function (t) { return t.textContent; });")

    def opened(_) -> str:
        found = next((text for text in dash_duo.driver.execute_script(read)
                      if text.startswith(start)), "")
        if not found:
            dash_duo.driver.execute_script(hover)
        return found

    dash_duo._wait_for(opened, timeout=10, msg=f"no tooltip starting {start!r} on {selector}")
    return opened(None)


def test_tooltips_elide_post_names_and_count_in_words(dash_duo, demo_app, demo_data):
    """The Abidjan marker reads "Poste d'Abidjan", Cairo's "Poste du Caire" (posts column
    city_fr_of); a country's tooltip counts its programmes with the right plural."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    abidjan = _tooltip_on(dash_duo, "path.atlas-post-SSI-ABIDJAN", "Poste d'Abidjan · ")
    assert abidjan.startswith("Poste d'Abidjan · Côte d'IvoireSSI-ABIDJAN")
    _tooltip_on(dash_duo, "path.atlas-post-SSI-LE-CAIRE", "Poste du Caire · Égypte")
    counts = map_view(demo_data, ViewState()).countries_hideout["counts"]
    busiest = max(counts, key=counts.get)
    assert counts["EGY"] == 1 and counts[busiest] > 1 and "FRA" not in counts
    for iso3 in ("EGY", "FRA", busiest):
        n = counts.get(iso3, 0)
        words = "programme" if n <= 1 else "programmes"
        text = _tooltip_on(dash_duo, f"path.atlas-country-{iso3}", demo_data.name(iso3, "fr"))
        assert text.endswith(f"{n} {words} correspondant aux filtres"), text
    assert severe_logs(dash_duo) == []


def test_shared_link_restores_the_panel_with_its_filters(dash_duo, demo_app, demo_data):
    """A link with filters and ``country=`` opens the same panel with the same figures; the
    zoom button fits the map to the country."""
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?themes=drugs,terrorism&status=all&country=MLI")
    _wait_for_map(dash_duo)
    _wait_for_title(dash_duo, "Mali")
    view = ViewState(country="MLI", filters=filter_state(themes=("drugs", "terrorism"),
                                                        status=()))
    expected = map_view(demo_data, view).countries_hideout["counts"]["MLI"]
    assert _figure(dash_duo, "programmes") == format_number(expected)
    in_mali = _demo_programmes(demo_data, ["MLI"], ("planned", "active", "completed"))
    outside = len(in_mali) - expected
    if outside:
        words = "autre programme" if outside == 1 else "autres programmes"
        assert f"{outside} {words} hors filtres." in dash_duo.find_element("#panel-body").text
    dash_duo.find_element("#panel-zoom").click()
    dash_duo._wait_for(lambda _: float(_query(dash_duo).get("zoom", ["2"])[0]) >= 4, timeout=10,
                       msg="the map did not zoom to Mali")
    lat, lon = float(_query(dash_duo)["lat"][0]), float(_query(dash_duo)["lon"][0])
    assert 5 < lat < 30 and -20 < lon < 30  # around Mali, shifted for the panel's width
    assert _query(dash_duo)["country"] == ["MLI"]
    assert severe_logs(dash_duo) == []


def test_post_link_and_table_sort(dash_duo, demo_app, demo_data):
    """``?post=`` opens the post panel; the budget header sorts the table both ways."""
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?post=SSI-ROME&status=all&lang=en")
    _wait_for_map(dash_duo)
    _wait_for_title(dash_duo, "Rome post")

    area = demo_data.network.coverage.query("post_id == 'SSI-ROME'")["country_iso3"]
    rows = _demo_programmes(demo_data, list(area), ("planned", "active", "completed"))
    budget_of = rows.set_index("programme_id")["budget_eur"].dropna().to_dict()

    def budgets() -> list:
        listed = dash_duo.driver.execute_script(
            "return Array.from(document.querySelectorAll('#panel-body .programme-table tbody tr'))"
            ".map(function (r) { return r.getAttribute('data-programme'); });")
        assert sorted(listed) == sorted(rows["programme_id"])
        return [budget_of.get(i) for i in listed]

    known = sorted(budget_of.values(), reverse=True)
    button = "#panel-body th.col-budget .sort-button"
    dash_duo.find_element(button).click()
    dash_duo._wait_for(lambda _: budgets()[: len(known)] == known, timeout=10,
                       msg="not sorted by budget, largest first")
    assert all(b is None for b in budgets()[len(known):])
    dash_duo.find_element(button).click()
    dash_duo._wait_for(lambda _: budgets()[: len(known)] == known[::-1], timeout=10,
                       msg="not sorted by budget, smallest first")
    assert dash_duo.find_element("#panel-body th.col-budget").get_attribute("aria-sort") == \
        "ascending"
    dash_duo.find_element("#panel-close").click()
    dash_duo._wait_for(lambda _: not _panel_open(dash_duo), timeout=10, msg="not closed")
    assert severe_logs(dash_duo) == []


@pytest.fixture
def hostile_app():
    """An app on the tiny network with markup in a title, a partner and a city."""
    network = tiny_network()
    network.programmes.loc[0, "title_fr"] = "<script>window.hacked = 1</script><b>gras</b>"
    network.programmes.at[0, "partners"] = ("<img src=x onerror='window.hacked=2'>",)
    network.posts.loc[0, "city"] = "<i>Dakar</i>"
    from geodata.network import Network

    rebuilt = Network(posts=network.posts, coverage=network.coverage,
                      programmes=network.programmes, themes=network.themes, source="tiny")
    return create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr"), network=rebuilt)


def test_hostile_strings_show_literally(dash_duo, hostile_app):
    """Markup in the data is shown as text and never runs."""
    dash_duo.start_server(hostile_app)
    dash_duo.driver.get(dash_duo.server_url + "/?country=SEN")
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    _wait_for_title(dash_duo, "Sénégal")
    body = dash_duo.find_element("#panel-body").text
    assert "<script>window.hacked = 1</script><b>gras</b>" in body
    assert "<img src=x onerror='window.hacked=2'>" in body
    assert "Poste de <i>Dakar</i>" in body
    assert dash_duo.driver.execute_script("return window.hacked === undefined")
    assert count(dash_duo, "#panel-body b, #panel-body img, #panel-body script") == 0
    assert severe_logs(dash_duo) == []
