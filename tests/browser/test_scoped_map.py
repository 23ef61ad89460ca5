"""A viewer scoped to Africa, signed in with HTTP Basic, in headless Chromium: the rest of the
world is out of scope on the map, which opens on Africa; the figures are Africa's, a country
outside does not open."""

from __future__ import annotations

import base64

from accounts.users import add_user
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from layers import palette
from tests.browser.conftest import count, fill_of, severe_logs
from viewmodel.access import scope_countries

AWA = ("awa", "awa-password-1")


def _signed_in(dash_duo, user) -> None:
    """Every request of the browser carries the user's Basic credentials."""
    token = base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()
    dash_duo.driver.execute_cdp_cmd("Network.enable", {})
    dash_duo.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                                    {"headers": {"Authorization": f"Basic {token}"}})


def _on_screen(dash_duo, iso3: str) -> bool:
    """Whether the country's shape shows inside the map's frame."""
    return dash_duo.driver.execute_script(
        "var box = document.querySelector('#map').getBoundingClientRect();"
        "var shape = document.querySelector('path.atlas-country-' + arguments[0])"
        ".getBoundingClientRect();"
        "return shape.right > box.left && shape.left < box.right"
        " && shape.bottom > box.top && shape.top < box.bottom;", iso3)


def test_a_scoped_viewer_sees_africa_and_the_rest_out_of_scope(dash_duo, demo_data, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, AWA[0], "viewer", AWA[1], scope="region:africa")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users), lang="fr"))
    _signed_in(dash_duo, AWA)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/?lang=fr")
    dash_duo.wait_for_element("path.atlas-country-SEN", timeout=30)
    africa = scope_countries(["region:africa"], demo_data)
    posts = int(demo_data.network.posts["country_iso3"].isin(africa).sum())
    dash_duo.wait_for_text_to_equal("#kpi-posts", str(posts), timeout=20)
    assert count(dash_duo, "path.atlas-post") == posts
    dash_duo._wait_for(lambda _: fill_of(dash_duo, "BRA") == palette.OUT_OF_SCOPE, timeout=10,
                       msg="Brazil not drawn out of scope")
    assert fill_of(dash_duo, "DEU") == palette.OUT_OF_SCOPE
    assert fill_of(dash_duo, "SEN") == palette.COVERAGE["host"]
    # The map opens on Africa, not the world, and at home writes no position in the URL.
    dash_duo._wait_for(lambda _: not _on_screen(dash_duo, "JPN"), timeout=10,
                       msg="the map did not open on Africa")
    assert _on_screen(dash_duo, "SEN") and _on_screen(dash_duo, "ZAF")
    assert "lat=" not in dash_duo.driver.current_url
    legend = dash_duo.find_element("#legend").text
    assert "Hors de votre périmètre" in legend
    # A click on Germany opens nothing; a click on Senegal opens its panel.
    dash_duo.driver.execute_script(
        "document.querySelector('path.atlas-country-DEU').dispatchEvent("
        "new MouseEvent('click', {bubbles: true}));")
    dash_duo.driver.execute_script(
        "document.querySelector('path.atlas-country-SEN').dispatchEvent("
        "new MouseEvent('click', {bubbles: true}));")
    dash_duo.wait_for_contains_text("#panel-title", "Sénégal", timeout=20)
    assert "country=SEN" in dash_duo.driver.current_url
    assert severe_logs(dash_duo) == []
