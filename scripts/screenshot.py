"""Screenshot pages of a running atlas in headless Chromium (Debian's chromium + chromedriver).

    python scripts/screenshot.py http://127.0.0.1:8050/ out.png [--size 1600x900] [--wait 3]
"""

from __future__ import annotations

import argparse
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser(width: int, height: int) -> webdriver.Chrome:
    """A headless Chromium sized ``width`` x ``height``."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main() -> None:
    """Open each URL and save a PNG."""
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--wait", type=float, default=3.0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    driver = browser(width, height)
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
