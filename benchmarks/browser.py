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


# Counts the frames the browser actually paints while the playback runs: at each animation
# frame (a paint), the date on the map is read; a new text is a new frame on screen.
PAINT_PROBE = """
window.__atlasPainted = [];
var badge = document.getElementById('asof-badge');
var last = badge ? badge.textContent : '';
function sample(now) {
  var text = badge ? badge.textContent : '';
  if (text !== last) { window.__atlasPainted.push([now, text]); last = text; }
  if (!window.__atlasStopPaint) { requestAnimationFrame(sample); }
}
requestAnimationFrame(sample);
"""

CALLBACK_REQUESTS = """
return performance.getEntriesByType('resource').filter(function (entry) {
  return entry.name.indexOf('_dash-update-component') >= 0; }).length;
"""


@dataclass(frozen=True)
class Playback:
    """A playback as painted: the time (ms) of each new date on screen, and the dates."""

    times_ms: list[float]
    labels: list[str]
    #: Callback requests sent from the click on play to the end (the frames' one, ideally).
    requests: int = 0
    #: The page's main-thread work (Chromium's ``TaskDuration``, ms) over the run, per date
    #: painted: what a frame costs whatever the other load on the machine.
    task_ms_per_frame: float = float("nan")

    @property
    def frames_per_second(self) -> float:
        """New dates painted per second, from the first to the last one seen."""
        return frame_rate(self.times_ms)

    @property
    def longest_gap_ms(self) -> float:
        """The longest time a date stayed on screen (a stutter shows here)."""
        gaps = [b - a for a, b in zip(self.times_ms, self.times_ms[1:], strict=False)]
        return max(gaps) if gaps else float("nan")


def _task_seconds(driver: webdriver.Chrome) -> float:
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return next((item["value"] for item in metrics if item["name"] == "TaskDuration"), 0.0)


def frame_rate(times_ms: list[float]) -> float:
    """Frames per second from the paint times (ms) of successive frames; NaN for fewer than
    two."""
    if len(times_ms) < 2 or times_ms[-1] <= times_ms[0]:
        return float("nan")
    return (len(times_ms) - 1) / ((times_ms[-1] - times_ms[0]) / 1000)


def playback_rate(url: str, *, seconds: float = 4.0, step: str = "month",
                  timeout: float = 30.0) -> Playback:
    """Open ``url``, choose the playback ``step``, press play and record the dates painted
    over ``seconds`` (after the first frame, whose wait is the frames' one request)."""
    driver, profile = start_browser()
    try:
        load_page(driver, url, timeout=timeout)
        driver.execute_script(
            "var box = document.querySelector('#play-step input[value=\"' + arguments[0]"
            " + '\"]'); if (box) { box.click(); }", step)
        time.sleep(0.3)
        driver.execute_script(PAINT_PROBE)
        driver.execute_cdp_cmd("Performance.enable", {})
        busy = _task_seconds(driver)
        before = driver.execute_script(CALLBACK_REQUESTS)
        driver.execute_script("document.getElementById('play').click();")
        deadline = time.monotonic() + timeout
        while (not driver.execute_script("return window.__atlasPainted.length")
               and time.monotonic() < deadline):
            time.sleep(0.05)
        time.sleep(seconds)
        painted = driver.execute_script("window.__atlasStopPaint = true;"
                                        " return window.__atlasPainted;")
        busy = _task_seconds(driver) - busy
        return Playback(times_ms=[row[0] for row in painted],
                        labels=[row[1] for row in painted],
                        requests=driver.execute_script(CALLBACK_REQUESTS) - before,
                        task_ms_per_frame=(busy * 1000 / len(painted) if painted
                                           else float("nan")))
    finally:
        try:
            driver.quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
