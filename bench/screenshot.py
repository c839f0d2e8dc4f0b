"""Take the README screenshot from a running server (make run), with Debian's Chromium.

.venv/bin/python bench/screenshot.py [URL] [OUTPUT]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/"
OUTPUT = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshot-home.png")


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page.goto(URL)
        page.screenshot(path=str(OUTPUT), full_page=False)
        browser.close()
    print(f"Saved {OUTPUT}")


if __name__ == "__main__":
    main()
