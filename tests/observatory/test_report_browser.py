"""The quarterly report in a real browser: the coordination team writes the editorial and
publishes, without JavaScript; the public page shows it; axe-core on the new pages.

Outside tests/browser (like test_open_data_browser.py): its own Chromium, module scope,
marked `browser` (`-m "not browser"` leaves it out)."""

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from quartiers40.observatory.quarters import Quarter
from quartiers40.observatory.reports.services import report_draft
from quartiers40.observatory.services import observatory_recompute
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_no_axe_violations
from tests.members.factories import CoordinatorFactory
from tests.observatory.conftest import territory  # noqa: F401 (the hand-counted fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server):
    contexts = []

    def open_(user=None, **options):
        options.setdefault("locale", "fr-FR")
        context = chromium.new_context(**options)
        context.set_default_timeout(8_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def drafted(territory):  # noqa: F811
    observatory_recompute()
    return report_draft(Quarter(2025, 4)).report


def test_the_team_writes_and_publishes_and_the_public_reads_it(live_server, open_page, drafted):
    coordinator = CoordinatorFactory()
    # axe-core needs JavaScript: the team's pages are checked in a page that runs it.
    checked = open_page(coordinator)
    for path in ("/observatoire/rapports/", "/observatoire/rapports/2025-t4/modifier/"):
        checked.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(checked)
    # The journey itself without JavaScript.
    team = open_page(coordinator, java_script_enabled=False)
    team.goto(f"{live_server.url}/observatoire/rapports/")
    team.get_by_role("link", name="Rapport du T4 2025").click()
    expect(team.get_by_role("heading", level=1)).to_contain_text("Éditorial du rapport du T4 2025")
    # Publishing without an editorial is refused on the field (the textarea's maxlength
    # keeps a too-long text from being typed here; test_report_views covers it).
    team.get_by_label("Éditorial").fill("   ")
    team.get_by_role("button", name="Publier le rapport").click()
    expect(team.get_by_text("Écrivez l'éditorial avant de publier le rapport.")).to_be_visible()
    team.get_by_label("Éditorial").fill("Deux **projets** de plus à Franc-Moisin.")
    team.get_by_role("button", name="Publier le rapport").click()
    expect(team.get_by_text("Le rapport est publié.")).to_be_visible()

    visitor = open_page()
    visitor.goto(f"{live_server.url}/observatoire/")
    assert_no_axe_violations(visitor)
    visitor.get_by_role("link", name="Les rapports d'impact, trimestre par trimestre").click()
    visitor.get_by_role("link", name="Rapport du T4 2025", exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Rapport d'impact du T4 2025")
    expect(visitor.locator(".report-editorial strong")).to_have_text("projets")
    # Charts named by their caption; their tables behind a disclosure.
    expect(
        visitor.get_by_role("img", name="Projets d'IA publiés, par étape, par trimestre")
    ).to_be_visible()
    expect(visitor.get_by_role("link", name="Le rapport du T4 2025 en PDF")).to_be_visible()
    assert_no_axe_violations(visitor)
    # On a phone the key figures' table scrolls sideways: reachable by the keyboard too.
    phone = open_page(viewport={"width": 360, "height": 800})
    phone.goto(f"{live_server.url}/observatoire/rapports/2025-t4/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(phone)
