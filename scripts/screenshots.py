"""Full-page screenshots of the main pages at phone and desktop widths.

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR] [PATH ...]
Drives Debian's Chromium (/usr/bin/chromium) through Playwright; no browser download.
With SCREENSHOT_LOGIN=username:password set, it logs in first (at /accounts/login/),
so members' and moderators' pages can be taken too.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

PAGES = [
    "/",
    "/blog/",
    "/blog/welcome-to-whiskers/",
    "/gallery/",
    "/gallery/cats/",
    "/chat/general/",
    "/accounts/login/",
    "/accounts/signup/",
    "/search/?q=cat",
    "/members/wendy/",
]
WIDTHS = [390, 1280]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
    pages = sys.argv[3:] or PAGES
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            login = os.environ.get("SCREENSHOT_LOGIN", "")
            if login:
                username, _, password = login.partition(":")
                page.goto(base + "/accounts/login/")
                page.locator("main input[name=login]").fill(username)
                page.locator("main input[name=password]").fill(password)
                page.locator("main form button[type=submit]").click()
                page.wait_for_load_state("networkidle")
            for path in pages:
                page.goto(base + path, wait_until="networkidle")
                name = (
                    "".join(c if c.isalnum() else "_" for c in path).strip("_")
                    or "home"
                )
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                overflow = page.evaluate("document.documentElement.scrollWidth") > width
                print(f"{target}{'  (wider than the viewport!)' if overflow else ''}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
