"""First load in headless Chromium: time from navigation start until every country shape is
drawn, with a new browser profile (cold) and again in the same browser (warm, cache on)."""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.remote_connection import RemoteConnection

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
MIN_COUNTRY_SHAPES = 250
COMMAND_TIMEOUT = 60  # seconds per WebDriver command: a page stuck in a script loop fails

# Installed before any page script: notes performance.now() when the shapes are all there.
DRAWN_PROBE = """
(function () {
  function drawn() {
    var count = document.querySelectorAll('path.atlas-country').length;
    if (count >= MIN_SHAPES) {
      window.__atlasDrawn = performance.now();
      window.__atlasShapes = count;
    }
    return !!window.__atlasDrawn;
  }
  var observer = new MutationObserver(function () { if (drawn()) observer.disconnect(); });
  observer.observe(document, {childList: true, subtree: true});
})();
""".replace("MIN_SHAPES", str(MIN_COUNTRY_SHAPES))

PAGE_FIGURES = """
var nav = performance.getEntriesByType('navigation')[0] || {};
var resources = performance.getEntriesByType('resource').map(function (r) {
  return {name: r.name, type: r.initiatorType, transfer: r.transferSize,
          encoded: r.encodedBodySize, decoded: r.decodedBodySize,
          start: r.startTime, end: r.responseEnd};
});
return {drawn: window.__atlasDrawn || null, shapes: window.__atlasShapes || 0,
        domContentLoaded: nav.domContentLoadedEventEnd || null, load: nav.loadEventEnd || null,
        transfer: nav.transferSize || 0, resources: resources};
"""


@dataclass(frozen=True)
class PageLoad:
    """One page load as the browser saw it (times in ms from navigation start)."""

    drawn_ms: float | None
    shapes: int
    dom_content_loaded_ms: float | None
    load_ms: float | None
    transfer_bytes: int  # document + every resource over the wire (0 for a cache hit)
    resources: list[dict]
    console: list[str]  # browser console errors, read when the shapes were not drawn


def start_browser(width: int = 1600, height: int = 900) -> tuple[webdriver.Chrome, str]:
    """A headless Chromium with a new, empty profile; returns the driver and the profile dir."""
    profile = tempfile.mkdtemp(prefix="atlas-bench-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-extensions", f"--window-size={width},{height}",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    RemoteConnection.set_timeout(COMMAND_TIMEOUT)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DRAWN_PROBE})
    return driver, profile


def load_page(driver: webdriver.Chrome, url: str, timeout: float = 30.0) -> PageLoad:
    """Navigate to ``url`` (from about:blank) and wait until the shapes are drawn."""
    driver.get("about:blank")
    driver.get(url)
    deadline = time.monotonic() + timeout
    figures = driver.execute_script(PAGE_FIGURES)
    while figures["drawn"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
        figures = driver.execute_script(PAGE_FIGURES)
    time.sleep(0.3)  # let late resources (async chunks) finish before reading their sizes
    figures = driver.execute_script(PAGE_FIGURES)
    resources = figures["resources"]
    console = []
    if figures["drawn"] is None:
        console = [entry.get("message", "")[:300] for entry in driver.get_log("browser")
                   if entry.get("level") == "SEVERE"]
    return PageLoad(
        drawn_ms=figures["drawn"], shapes=figures["shapes"],
        dom_content_loaded_ms=figures["domContentLoaded"], load_ms=figures["load"],
        transfer_bytes=figures["transfer"] + sum(r["transfer"] or 0 for r in resources),
        resources=resources, console=console,
    )


def cold_and_warm(url: str, runs: int = 3) -> tuple[list[PageLoad], list[PageLoad]]:
    """``runs`` cold loads (each in a new browser and profile) each followed by a warm one."""
    cold, warm = [], []
    for _ in range(runs):
        driver, profile = start_browser()
        try:
            cold.append(load_page(driver, url))
            warm.append(load_page(driver, url))
        finally:
            try:
                driver.quit()
            finally:
                shutil.rmtree(profile, ignore_errors=True)
    return cold, warm


def cold_in_turns(urls: dict[str, str], runs: int = 3) -> tuple[dict[str, list[PageLoad]],
                                                                dict[str, list[PageLoad]]]:
    """``runs`` rounds in which each page of ``urls`` (name -> URL) is loaded cold, each in a
    new browser and profile, then warm in the same browser; the pages take turns, so that
    they share whatever else the machine is doing. Returns (cold, warm) loads by name."""
    cold: dict[str, list[PageLoad]] = {name: [] for name in urls}
    warm: dict[str, list[PageLoad]] = {name: [] for name in urls}
    for _ in range(runs):
        for name, url in urls.items():
            driver, profile = start_browser()
            try:
                cold[name].append(load_page(driver, url))
                warm[name].append(load_page(driver, url))
            finally:
                try:
                    driver.quit()
                finally:
                    shutil.rmtree(profile, ignore_errors=True)
    return cold, warm
