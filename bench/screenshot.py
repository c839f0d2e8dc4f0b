"""Take the README screenshot and docs/screenshots/ from a running demo server (make run).

    .venv/bin/python bench/screenshot.py [BASE_URL]

Each page at 360×800 (a cheap phone) and 1280×800 (a desktop), with Debian's Chromium, in
French: the home page, a QPV page, the défi form (as the demo resident), an edition page and
"Mon espace" (as the demo association). The first screen only, as a person first sees it;
the page's height is printed too.
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = {"phone": (360, 800), "desktop": (1280, 800)}
PASSWORD = "quartiers40-demo"  # noqa: S105 - the fictional demo accounts, printed by make run


def _first_link(page, pattern: str) -> str:
    """The first link of the page whose path matches `pattern`."""
    for href in page.eval_on_selector_all(
        "main a[href]", "els => els.map(e => e.getAttribute('href'))"
    ):
        if re.fullmatch(pattern, href or ""):
            return href
    raise SystemExit(f"no link matching {pattern} on {page.url}")


def _sign_in(page, email: str) -> None:
    page.goto(f"{BASE}/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        probe = browser.new_page()
        probe.goto(f"{BASE}/territoires/")
        qpv = _first_link(probe, r"/territoires/qpv/[^/]+/")
        probe.goto(f"{BASE}/rencontres/")
        edition = _first_link(
            probe, r"/rencontres/(?!serie/|mes-|nouvelle|coordination|agenda)[^/]+/"
        )
        probe.close()
        pages = [
            ("home", "/", None),
            ("qpv", qpv, None),
            ("edition", edition, None),
            ("defi-form", "/defis/nouveau/", "habitante@demo.quartiers40.fr"),
            ("mon-espace", "/compte/", "association@demo.quartiers40.fr"),
        ]
        for name, path, account in pages:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="fr-FR"
                )
                page = context.new_page()
                if account:
                    _sign_in(page, account)
                page.goto(f"{BASE}{path}")
                target = OUT / f"{name}-{size}.png"
                page.screenshot(path=str(target))
                full = page.evaluate("document.documentElement.scrollHeight")
                print(f"{target.relative_to(ROOT)}  ({path}, page {full} px high)")
                context.close()
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page.goto(f"{BASE}/")
        page.screenshot(path=str(ROOT / "docs" / "screenshot-home.png"))
        browser.close()


if __name__ == "__main__":
    main()
