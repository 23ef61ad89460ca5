"""Hostile and broken input in headless Chromium: with the Content-Security-Policy on, data
strings holding HTML or script are shown as text and never run, and bad links give a sane view."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains

from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from tests.browser.conftest import count, severe_logs

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
THEME_LABEL = "<img src=x onerror=alert(3)>"
PARTNER = "<script>alert(4)</script>"
HOSTILE_POST = "SSI-MADRID"
HOSTILE_PROGRAMME = "PRG-HOSTILE"


@pytest.fixture
def hostile_app(tmp_path):
    """The demo data with HTML and script in a post city, a programme title and partner, a
    theme label; one active programme in Spain carries them."""
    for path in DEMO_DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    read = {"dtype": str, "keep_default_na": False}
    posts = pd.read_csv(tmp_path / "posts.csv", **read)
    hostile_post = posts["post_id"] == HOSTILE_POST
    posts.loc[hostile_post, ["city", "city_en", "head_title"]] = [IMG, IMG, SCRIPT]
    posts.to_csv(tmp_path / "posts.csv", index=False)
    themes = pd.read_csv(tmp_path / "themes.csv", **read)
    themes.loc[0, ["label_fr", "label_en"]] = [THEME_LABEL, THEME_LABEL]
    themes.to_csv(tmp_path / "themes.csv", index=False)
    programmes = pd.read_csv(tmp_path / "programmes.csv", **read)
    hostile = programmes.iloc[0].copy()
    hostile.update({
        "programme_id": HOSTILE_PROGRAMME, "title_fr": SCRIPT, "title_en": IMG,
        "countries": "ESP", "lead_post_id": HOSTILE_POST, "themes": themes.loc[0, "theme_id"],
        "status": "active", "start_date": "2020-01-01", "end_date": "2099-12-31",
        "partners": f"{PARTNER}|{IMG}", "description": f"{SCRIPT} {IMG}",
    })
    programmes = pd.concat([programmes, hostile.to_frame().T], ignore_index=True)
    programmes.to_csv(tmp_path / "programmes.csv", index=False)
    return create_app(Settings.load(data_dir=tmp_path, lang="fr"))


def _wait_for_map(dash_duo) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="country shapes not drawn")


def _assert_nothing_ran(dash_duo) -> None:
    with pytest.raises(NoAlertPresentException):
        dash_duo.driver.switch_to.alert.text  # noqa: B018 - reading it raises when no alert
    injected = dash_duo.driver.execute_script(
        "var imgs = document.querySelectorAll('img[src=\"x\"], img[onerror]').length;"
        "var scripts = Array.from(document.scripts).filter(function (s) {"
        "  return /^alert\\(\\d\\)$/.test(s.textContent.trim()); }).length;"
        "return imgs + scripts;")
    assert injected == 0


def test_page_works_with_the_security_policy(dash_duo, demo_app):
    """With the CSP header on, the map draws every country and the console stays clean."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    assert count(dash_duo, "path.atlas-country") >= 250
    assert count(dash_duo, "path.atlas-post") > 50
    policy = dash_duo.driver.execute_script(
        "var r = new XMLHttpRequest(); r.open('GET', '/', false); r.send();"
        "return r.getResponseHeader('Content-Security-Policy');")
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'sha256-" in script_src
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert severe_logs(dash_duo) == []


def test_hostile_strings_are_shown_as_text(dash_duo, hostile_app):
    """A post tooltip and the theme filter show the markup literally; nothing runs."""
    dash_duo.driver.set_window_size(1366, 768)  # Madrid clear of the legend
    dash_duo.start_server(hostile_app)
    _wait_for_map(dash_duo)

    def hovered_tooltip(_driver) -> str:
        # Hovered again each time: the map settles (the world fitted, markers spread) first.
        marker = dash_duo.find_element(f"path.atlas-post-{HOSTILE_POST}")
        ActionChains(dash_duo.driver).move_to_element(marker).perform()
        return dash_duo.driver.execute_script(
            "var t = document.querySelector('.leaflet-tooltip'); return t ? t.textContent : '';")

    dash_duo._wait_for(lambda driver: IMG in hovered_tooltip(driver), timeout=10,
                       msg="post tooltip without the literal city")

    dash_duo.find_element("#filter-themes").click()
    dash_duo._wait_for(lambda _: THEME_LABEL in dash_duo.driver.execute_script(
        "return document.body.innerText;"), timeout=10, msg="theme label not shown as text")
    _assert_nothing_ran(dash_duo)
    assert severe_logs(dash_duo) == []


def test_hostile_strings_in_the_country_panel(dash_duo, hostile_app):
    """The country panel lists the programme's title and partners as text."""
    dash_duo.start_server(hostile_app)
    dash_duo.driver.get(dash_duo.server_url + "/?country=ESP")
    _wait_for_map(dash_duo)
    assert count(dash_duo, "#panel") == 1
    panel_text = "var p = document.getElementById('panel'); return p ? p.innerText : '';"
    dash_duo._wait_for(lambda _: SCRIPT in dash_duo.driver.execute_script(panel_text),
                       timeout=15, msg="programme title not shown as text in the country panel")
    assert PARTNER in dash_duo.driver.execute_script(panel_text)
    _assert_nothing_ran(dash_duo)
    assert severe_logs(dash_duo) == []


@pytest.mark.parametrize("query", [
    "?themes=nonexistent,<script>alert(5)</script>&years=2030-1900",
    "?country=ZZZZZZ&mode=<img src=x onerror=alert(6)>&status=bogus",
    "?years=99999999999999999999-1&zoom=1e400&lat=nan&lon=-1e308&lang=xx",
    "?" + "themes=" + "x," * 3000,
])
def test_bad_links_give_a_sane_view(dash_duo, demo_app, query):
    """Unknown ids, inverted or huge years, junk numbers: the map draws, nothing runs."""
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    _wait_for_map(dash_duo)
    dash_duo.wait_for_text_to_equal("#kpi-posts", "76")
    _assert_nothing_ran(dash_duo)
    assert severe_logs(dash_duo) == []
