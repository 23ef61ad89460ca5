"""Browser-test helpers: the app on the shipped demo data, and page probes."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from geodata.countries import load_countries
from geodata.loading import load_network
from viewmodel.data import build_atlas_data


@pytest.fixture(scope="session")
def demo_data():
    """The demo data as the app serves it (for expected values)."""
    return build_atlas_data(load_network(DEMO_DATA_DIR), load_countries())


@pytest.fixture
def demo_app():
    """A fresh app on the demo data."""
    return create_app(Settings.load(data_dir=DEMO_DATA_DIR, lang="fr"))


def severe_logs(dash_duo) -> list:
    """Browser console entries of level SEVERE."""
    return [entry for entry in dash_duo.get_logs() or [] if entry.get("level") == "SEVERE"]


def fill_of(dash_duo, iso3: str) -> str:
    """The fill colour of a country's polygon on the map."""
    return dash_duo.driver.execute_script(
        "var p = document.querySelector('path.atlas-country-' + arguments[0]);"
        "return p ? p.getAttribute('fill') : null;", iso3)


def count(dash_duo, selector: str) -> int:
    """How many elements match ``selector``."""
    return dash_duo.driver.execute_script(
        "return document.querySelectorAll(arguments[0]).length;", selector)


def choose_option(dash_duo, dropdown_id: str, text: str) -> None:
    """Open a dropdown, pick the option containing ``text``, close it again."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    dash_duo.find_element(f"#{dropdown_id}").click()
    xpath = ("//div[contains(@class,'dash-dropdown-content')]//*[@role='option']"
             f"[contains(normalize-space(.), '{text}')]")
    dash_duo._wait_for(lambda d: d.find_elements(By.XPATH, xpath), timeout=10,
                       msg=f"option {text!r} not offered")
    dash_duo.driver.find_element(By.XPATH, xpath).click()
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
