"""The export dialog in headless Chromium: open it, choose, download, close with Escape."""

from __future__ import annotations

import fcntl
import io
import os
import time
from pathlib import Path

import pytest
from pptx import Presentation
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
    assert png.name.startswith("couverture-du-reseau-")
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


def test_a_briefing_pack_from_the_dialog_and_a_brief_from_the_panel(dash_duo):
    """The preview shows the page; "Briefing pack" + PowerPoint downloads the view, its region
    and a brief per country of the region with matching programmes; the country panel's brief
    button downloads Mali's brief."""
    dash_duo.start_server(create_app(Settings.load()))
    dash_duo.driver.get(dash_duo.server_url + "/?mode=programmes&themes=drugs"
                                              "&regions=africa&country=MLI")
    _open_dialog(dash_duo)
    preview = dash_duo.find_element(f"#{ids.EXPORT_PREVIEW}")
    dash_duo._wait_for(lambda _: (preview.get_attribute("src") or "").startswith(
        "data:image/png;base64,"), timeout=60, msg="no preview")
    first = preview.get_attribute("src")
    dash_duo.find_element(f"#{ids.EXPORT_SIZE} input[value='4:3']").click()
    dash_duo._wait_for(lambda _: preview.get_attribute("src") != first, timeout=60,
                       msg="the preview did not follow the size")
    dash_duo.find_element(f"#{ids.EXPORT_WHAT} input[value='pack']").click()
    dash_duo.find_element(f"#{ids.EXPORT_FORMAT} input[value='pptx']").click()
    dash_duo.find_element(f"#{ids.EXPORT_EXTENT} input[value='regions']").click()
    sized = preview.get_attribute("src")
    dash_duo.find_element(f"#{ids.EXPORT_SUBTITLE}").send_keys("Comité du 3 décembre")
    dash_duo._wait_for(lambda _: preview.get_attribute("src") != sized, timeout=60,
                       msg="the preview did not follow the subtitle")
    dash_duo.find_element(f"#{ids.EXPORT_CONFIRM}").click()
    dash_duo.wait_for_contains_text(f"#{ids.EXPORT_STATUS}", ".pptx", timeout=180)
    pack = _wait_for_file(dash_duo.download_path, ".pptx", timeout=180)
    slides = Presentation(io.BytesIO(pack.read_bytes())).slides
    assert len(slides) >= 3
    # The pack ran as a background job reporting its progress, page by page, to the bar.
    progress = dash_duo.find_element(f"#{ids.EXPORT_PROGRESS}")
    assert float(progress.get_attribute("max")) == len(slides)
    assert float(progress.get_attribute("value")) == len(slides)
    texts = {s.name: s.text_frame.text for s in slides[0].shapes if s.has_text_frame}
    assert texts["Subtitle"] == "Comité du 3 décembre"
    assert "fiche pays" in slides[2].shapes.title.text_frame.text
    pack.unlink()
    dash_duo.find_element(f"#{ids.EXPORT_CLOSE}").click()
    dash_duo.wait_for_element(f"#{ids.PANEL_BRIEF}", timeout=20).click()
    brief = _wait_for_file(dash_duo.download_path, ".pptx", timeout=120)
    assert brief.name == "mali-fiche-pays-2026-11-23.pptx"
    slide = Presentation(io.BytesIO(brief.read_bytes())).slides[0]
    assert slide.shapes.title.text_frame.text == "Mali : fiche pays"
    assert [e for e in dash_duo.get_logs() if e.get("level") == "SEVERE"] == []


@pytest.mark.parametrize(("lang", "place"), [("fr", "En attente : 1er"),
                                             ("en", "Waiting: 1st in line")])
def test_a_queued_export_shows_its_place_then_downloads(dash_duo, tmp_path, lang, place):
    """With the host's one export slot taken by another export, the dialog says the export's
    place in line; once the slot frees, the file downloads and the place goes away."""
    jobs = tmp_path / "jobs"
    dash_duo.start_server(create_app(Settings.load(jobs_dir=str(jobs), export_workers=1)))
    dash_duo.driver.get(dash_duo.server_url + f"/?lang={lang}")
    (jobs / "exports").mkdir(parents=True, exist_ok=True)
    held = open(jobs / "exports" / "slot-0", "a+")  # noqa: SIM115 - another export runs
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        _open_dialog(dash_duo)
        dash_duo.find_element(f"#{ids.EXPORT_FORMAT} input[value='png']").click()
        dash_duo.find_element(f"#{ids.EXPORT_CONFIRM}").click()
        dash_duo.wait_for_text_to_equal(f"#{ids.EXPORT_QUEUE}", place, timeout=60)
        assert dash_duo.find_element(f"#{ids.EXPORT_QUEUE}").is_displayed()
        assert not dash_duo.find_element(f"#{ids.EXPORT_CONFIRM}").is_enabled()
        shot = os.environ.get("ATLAS_SHOT_DIR")
        if shot:
            dash_duo.driver.save_screenshot(os.path.join(shot, f"export-queue-{lang}.png"))
    finally:
        held.close()
    png = _wait_for_file(dash_duo.download_path, ".png", timeout=120)
    assert png.read_bytes().startswith(b"\x89PNG")
    dash_duo._wait_for(lambda _: not dash_duo.find_element(f"#{ids.EXPORT_QUEUE}")
                       .is_displayed(), timeout=10, msg="the place stayed on screen")
    assert [e for e in dash_duo.get_logs() if e.get("level") == "SEVERE"] == []
