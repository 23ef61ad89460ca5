"""The export dialog in headless Chromium: open it, choose, download, close with Escape."""

from __future__ import annotations

import time
from pathlib import Path

from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.app import create_app
from dashboard.settings import Settings


def _wait_for_file(folder: str, suffix: str, timeout: float = 60) -> Path:
    """The first complete file ending with ``suffix`` that appears in ``folder``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in Path(folder).glob(f"*{suffix}") if p.stat().st_size > 0]
        if done:
            return done[0]
        time.sleep(0.25)
    raise AssertionError(f"no {suffix} file downloaded to {folder}: {list(Path(folder).iterdir())}")


def _dialog_open(dash_duo) -> bool:
    return dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0]).open;", ids.EXPORT_DIALOG)


def _open_dialog(dash_duo) -> None:
    dash_duo.wait_for_element(f"#{ids.EXPORT_OPEN}", timeout=20).click()
    dash_duo._wait_for(lambda _: _dialog_open(dash_duo), timeout=10, msg="dialog did not open")


def test_export_png_downloads_a_file(dash_duo):
    """Export -> PNG -> Download: a PNG arrives, the dialog says so, Escape closes it, and the
    console has no error."""
    dash_duo.start_server(create_app(Settings.load()))
    _open_dialog(dash_duo)
    title = dash_duo.find_element(f"#{ids.EXPORT_TITLE}")
    dash_duo._wait_for(lambda _: title.get_attribute("value"), timeout=10,
                       msg="title not prefilled")
    assert title.get_attribute("value") == "Couverture du réseau"
    dash_duo.find_element(f"#{ids.EXPORT_FORMAT} input[value='png']").click()
    dash_duo.find_element(f"#{ids.EXPORT_CONFIRM}").click()
    dash_duo.wait_for_contains_text(f"#{ids.EXPORT_STATUS}", ".png", timeout=60)
    png = _wait_for_file(dash_duo.download_path, ".png")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert png.name.startswith("atlas-coverage-")
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    dash_duo._wait_for(lambda _: not _dialog_open(dash_duo), timeout=5,
                       msg="Escape did not close the dialog")
    assert [e for e in dash_duo.get_logs() if e.get("level") == "SEVERE"] == []


def test_programmes_csv_by_keyboard(dash_duo):
    """The dialog works from the keyboard: Enter on the CSV button downloads the programmes,
    the close button closes it."""
    dash_duo.start_server(create_app(Settings.load()))
    _open_dialog(dash_duo)
    dash_duo.find_element(f"#{ids.export_table_button('csv')}").send_keys(Keys.ENTER)
    csv_file = _wait_for_file(dash_duo.download_path, ".csv")
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfIdentifiant;")
    dash_duo.find_element(f"#{ids.EXPORT_CLOSE}").send_keys(Keys.ENTER)
    dash_duo._wait_for(lambda _: not _dialog_open(dash_duo), timeout=5,
                       msg="the close button did not close the dialog")
    assert [e for e in dash_duo.get_logs() if e.get("level") == "SEVERE"] == []
