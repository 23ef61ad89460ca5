"""Screenshot pages of a running atlas in headless Chromium (Debian's chromium + chromedriver).

    python scripts/screenshot.py http://127.0.0.1:8050/ out.png [--size 1600x900] [--wait 3]
        [--zoom 2]

``--size`` is the screen in pixels; the page gets exactly that viewport (headless Chromium's
window has a minimum width of 500 px, so the size is set through the DevTools protocol).
``--zoom 2`` shows the page as a browser zoomed to 200% does: the CSS viewport is the size
divided by the zoom (683x384 CSS pixels for a 1366x768 screen), drawn at twice the resolution.
"""

from __future__ import annotations

import argparse
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser(width: int, height: int, zoom: float = 1.0) -> webdriver.Chrome:
    """A headless Chromium whose page viewport is ``width`` x ``height`` screen pixels at
    ``zoom`` (CSS viewport ``width / zoom`` x ``height / zoom``)."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", f"--window-size={max(width, 500)},{height + 200}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    set_viewport(driver, width, height, zoom)
    return driver


def set_viewport(driver, width: int, height: int, zoom: float = 1.0) -> None:
    """Give the page a ``width`` x ``height`` screen at browser zoom ``zoom``."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": round(width / zoom), "height": round(height / zoom),
        "deviceScaleFactor": zoom, "mobile": False})


def main() -> None:
    """Open the URL and save a PNG."""
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--wait", type=float, default=3.0)
    parser.add_argument("--zoom", type=float, default=1.0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    driver = browser(width, height, args.zoom)
    try:
        driver.get(args.url)
        time.sleep(args.wait)
        driver.save_screenshot(args.out)
        for entry in driver.get_log("browser"):
            print("console:", entry.get("level"), entry.get("message")[:300])
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
