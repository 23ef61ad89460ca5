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


# A filter change as felt: from the user's event (a click, or Enter in a date field) until the
# browser paints the last change of the country fills. Installed before any page script: the
# event is read in the capture phase (``event.timeStamp``, the clock of ``performance.now()``);
# after any change in the map (a fill set, paths drawn again), the next animation frame (the
# paint that shows it) compares every country's fill with the last ones seen; the callback
# requests the page sends are noted with their outputs, and the nodes added or removed outside
# the map (components drawn again) are counted.
FELT_PROBE = """
(function () {
  var felt = window.__atlasFelt = {armed: false, start: null, last: null, painted: null,
                                   changes: 0, nodes: 0, requests: [], fills: null,
                                   frame: false};
  function fills() {
    var seen = {};
    document.querySelectorAll('path.atlas-country').forEach(function (path, i) {
      seen[path.getAttribute('class') + '#' + i] = path.getAttribute('fill');
    });
    return seen;
  }
  felt.snapshot = function () { felt.fills = fills(); };
  function compare() {
    felt.frame = false;
    var now = fills(), changed = 0;
    Object.keys(now).forEach(function (key) {
      if (!felt.fills || felt.fills[key] !== now[key]) { changed += 1; }
    });
    if (changed) {
      felt.changes += changed;
      felt.last = felt.painted = performance.now();
      felt.fills = now;
    }
  }
  function arm(event) {
    if (!felt.armed || felt.start !== null) { return; }
    if (event.type === 'keydown' && event.key !== 'Enter') { return; }
    felt.start = event.timeStamp;
  }
  document.addEventListener('click', arm, true);
  document.addEventListener('keydown', arm, true);
  var observer = new MutationObserver(function (records) {
    if (felt.start === null) { return; }
    records.forEach(function (record) {
      var target = record.target;
      if (record.type === 'attributes'
          || (target.closest && target.closest('.leaflet-container'))) {
        if (!felt.frame) { felt.frame = true; requestAnimationFrame(compare); }
      } else {
        felt.nodes += record.addedNodes.length + record.removedNodes.length;
      }
    });
  });
  document.addEventListener('DOMContentLoaded', function () {
    observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                     attributeFilter: ['fill']});
  });
  var send = window.fetch;
  window.fetch = function (resource, init) {
    var url = typeof resource === 'string' ? resource : (resource && resource.url) || '';
    if (url.indexOf('_dash-update-component') < 0 || !felt.armed) {
      return send.apply(this, arguments);
    }
    var entry = {output: '', start: performance.now(), end: null};
    try { entry.output = JSON.parse(init.body).output; } catch (error) { entry.output = '?'; }
    felt.requests.push(entry);
    return send.apply(this, arguments).then(function (response) {
      entry.end = performance.now();
      return response;
    });
  };
})();
"""

FELT_ARM = """
var felt = window.__atlasFelt;
felt.snapshot();
felt.armed = true; felt.start = null; felt.last = null; felt.painted = null; felt.changes = 0;
felt.nodes = 0; felt.requests = [];
"""

FELT_READ = """
var felt = window.__atlasFelt;
return {start: felt.start, last: felt.last, painted: felt.painted, changes: felt.changes,
        nodes: felt.nodes, now: performance.now(),
        requests: felt.requests.map(function (r) { return [r.output, r.start, r.end]; })};
"""


@dataclass(frozen=True)
class Felt:
    """One filter change as the user felt it."""

    #: From the event to the paint of the last country fill that changed (None: no change).
    ms: float | None
    #: Country paths whose fill changed (a path changed twice counts twice).
    fill_changes: int
    #: The callback requests the change sent: (outputs, ms from the event to the reply).
    requests: list[tuple[str, float | None]]
    #: Nodes added or removed outside the map: the components the change drew again.
    nodes: int


def open_page(url: str, timeout: float = 30.0) -> tuple[webdriver.Chrome, str]:
    """A new headless Chromium with the felt probe, on ``url`` with its shapes drawn."""
    driver, profile = start_browser()
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FELT_PROBE})
    loaded = load_page(driver, url, timeout=timeout)
    if loaded.drawn_ms is None:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        raise RuntimeError(f"{url} drew no shapes: {'; '.join(loaded.console) or 'no error'}")
    return driver, profile


def felt_change(driver: webdriver.Chrome, act, *, settle: float = 0.5,
                timeout: float = 10.0) -> Felt:
    """Arm the probe, ``act(driver)`` (a click, a date typed), and wait until the fills have
    been still for ``settle`` seconds and every callback request has its reply."""
    driver.execute_script(FELT_ARM)
    act(driver)
    deadline = time.monotonic() + timeout
    while True:
        seen = driver.execute_script(FELT_READ)
        pending = any(end is None for _, _, end in seen["requests"])
        quiet_ms = seen["now"] - (seen["last"] or seen["start"] or seen["now"])
        if (seen["start"] is not None and not pending and quiet_ms >= settle * 1000
                and (seen["painted"] is not None or quiet_ms >= 2 * settle * 1000)):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    driver.execute_script("window.__atlasFelt.armed = false;")
    start = seen["start"]
    painted = seen["painted"]
    return Felt(
        ms=painted - start if start is not None and painted is not None else None,
        fill_changes=seen["changes"],
        requests=[(output, end - start if end is not None and start is not None else None)
                  for output, _, end in seen["requests"]],
        nodes=seen["nodes"])


def click_option(control_id: str, value: str):
    """The action of choosing ``value`` in the radio items or checklist ``control_id``."""
    def act(driver: webdriver.Chrome) -> None:
        driver.find_element("css selector",
                            f'#{control_id} input[value="{value}"]').click()
    return act


def type_date(input_css: str, text: str):
    """The action of typing ``text`` in a date field and pressing Enter."""
    from selenium.webdriver.common.keys import Keys

    def act(driver: webdriver.Chrome) -> None:
        field_ = driver.find_element("css selector", input_css)
        field_.send_keys(Keys.CONTROL, "a")
        field_.send_keys(text)
        field_.send_keys(Keys.ENTER)
    return act


def felt_in_turns(pages: dict[str, tuple[str, list]], *, rounds: int = 1
                  ) -> dict[str, list[Felt]]:
    """Open each page of ``pages`` (name -> (URL, actions)) in a browser of its own, then play
    the actions in turns, one of each page after the other (so that the pages share whatever
    else the machine does), ``rounds`` times over. Returns the changes felt by name."""
    opened = {}
    felt: dict[str, list[Felt]] = {name: [] for name in pages}
    try:
        for name, (url, _) in pages.items():
            opened[name] = open_page(url)
        for _ in range(rounds):
            for step in range(max(len(actions) for _, actions in pages.values())):
                for name, (_, actions) in pages.items():
                    if step < len(actions):
                        felt[name].append(felt_change(opened[name][0], actions[step]))
    finally:
        for driver, profile in opened.values():
            try:
                driver.quit()
            finally:
                shutil.rmtree(profile, ignore_errors=True)
    return felt
