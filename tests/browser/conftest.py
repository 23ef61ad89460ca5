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


#: The screen every browser test gets unless it sets its own (a laptop's): the layouts change
#: below 1100 px (filters in a drawer), and headless Chromium's own window is 800x600.
SCREEN = (1366, 768)


@pytest.fixture(autouse=True)
def _laptop_screen(request):
    """Browser tests see a 1366x768 screen (``set_screen`` changes it)."""
    if "dash_duo" in request.fixturenames:
        set_screen(request.getfixturevalue("dash_duo"), *SCREEN)
    yield


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


def set_screen(dash_duo, width: int, height: int, zoom: float = 1.0) -> None:
    """Give the page a ``width`` x ``height`` screen at browser zoom ``zoom`` (the CSS viewport
    is the size divided by the zoom), whatever the size of the test browser's window."""
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": round(width / zoom), "height": round(height / zoom),
        "deviceScaleFactor": zoom, "mobile": False})


@pytest.fixture(scope="session", autouse=True)
def _no_job_process_left():
    """Background jobs (the dialog's exports and packs) run in processes forked from a job
    host (``dashboard.jobhost``); a job whose page has gone stops within seconds. One still
    running 30 s after the last test hangs: it is reported as an error, and stopped so that the
    run can exit."""
    yield
    import psutil

    def runs(process, what: str) -> bool:
        try:
            return what in " ".join(process.cmdline())
        except psutil.Error:
            return False

    # Jobs are the children of the apps' job hosts, which wait for jobs until their app ends,
    # and of the fork server (those started while a host was loading the data).
    processes = psutil.Process().children(recursive=True)
    parents = [p for p in processes if runs(p, "forkserver")] + [
        p for p in psutil.Process().children() if runs(p, "dashboard.jobhost")]
    jobs = [job for parent in parents for job in parent.children(recursive=True)]
    _, alive = psutil.wait_procs(jobs, timeout=30)
    for job in alive:
        job.kill()
    assert not alive, f"background jobs still running after the session: {alive}"
