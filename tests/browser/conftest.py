"""Real headless Chromium against pytest-django's live server.

One browser for the whole session, a fresh context (cookies, cache) per test.
Chromium comes from the system (Debian's `chromium` package, installed by CI);
when it is missing the tests fail, they do not skip.
"""

import gzip
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# The Playwright sync API runs an event loop in this thread: Django's ORM, used by
# the tests and factories, would otherwise refuse to run next to it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).parent
CHROMIUM = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
# WCAG 2.1 A and AA, and axe's best practices (landmarks, headings, regions…).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark the tests under tests/browser, and run them last: once Chromium is up, the
    Playwright event loop keeps running in this thread until the session ends.
    (A wrapper registered after pytest-randomly's, so this runs after its shuffle.)"""
    yield
    items.sort(key=lambda item: BROWSER_DIR in item.path.parents)  # stable: order kept


def pytest_itemcollected(item):
    """Mark at collection, before `-m "not browser"` deselects."""
    if BROWSER_DIR in item.path.parents:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The browser tests need it: install the "
            "Debian package `chromium`, or point CHROMIUM_EXECUTABLE at a Chromium binary.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Open as many isolated browser contexts as a test needs (two people, two contexts)."""
    contexts = []

    def open_context(**options):
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def sign_in_as(live_server, new_context):
    """A page already signed in as `user`: the session cookie comes from Django's test
    client, so the page's own first load is really a first load (nothing cached)."""

    def signed_in_page(user, **options):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = new_context(**options)
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    return signed_in_page


_axe = Axe()


def assert_no_axe_violations(page) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules, best practices) on the page; fail listing every
    violation."""
    page.evaluate(_axe.axe_script)
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    violations = results["violations"]
    if violations:
        lines = [f"{len(violations)} axe-core violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{violation['helpUrl']}]"
            )
            lines.extend(
                f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}"
                for node in violation["nodes"]
            )
        pytest.fail("\n".join(lines), pytrace=False)


def open_counting_bytes(page, url: str, *, gzipped: bool = False) -> dict[str, int]:
    """Open `url` and return the uncompressed bytes received, by resource type
    (document, stylesheet, script, image...), for the page and what it loads.

    `gzipped`: count each body gzipped instead, as WhiteNoise and a front server send
    static files and pages to browsers (all of them accept gzip)."""
    responses = []

    def record(response):
        responses.append(response)

    page.on("response", record)
    page.goto(url, wait_until="load")
    page.remove_listener("response", record)
    sizes: dict[str, int] = {}
    for response in responses:
        if 300 <= response.status < 400:  # a redirect has no body
            continue
        kind = response.request.resource_type
        body = response.body()
        size = len(gzip.compress(body, compresslevel=6)) if gzipped else len(body)
        sizes[kind] = sizes.get(kind, 0) + size
    return sizes
