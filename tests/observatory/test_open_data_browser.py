"""The open-data page as people see it: accessible (axe-core, WCAG 2.1 AA), usable without
JavaScript, on a 360 px phone.

Browser tests live under tests/browser/, whose conftest starts one Chromium for the whole
session and runs them last. This module is outside it: it starts its own Chromium for its
own tests only (module scope), so that it never runs beside the session's, and it is marked
`browser` like them (`-m "not browser"` leaves it out).
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from quartiers40.meetings.enums import EditionStatus
from quartiers40.observatory.open_data.registry import DATASETS
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_no_axe_violations
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import ActionItemFactory, EditionFactory
from tests.members.factories import OrganisationFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The Playwright sync API runs an event loop in this thread (see tests/browser/conftest.py).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PHONE = {"width": 360, "height": 800}
# Looked at by hand; never in the repository.
SCREENSHOT = Path(tempfile.gettempdir()) / "open-data-360.png"


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium):
    contexts = []

    def open_(**options):
        options.setdefault("locale", "fr-FR")
        context = chromium.new_context(**options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def world():
    organisation = OrganisationFactory(name="Clic Solidaire Sevran")
    PublishedProjectFactory(carrier=organisation)
    ChallengeFactory()
    PlaceFactory(opportunity=OpportunityFactory(organisation=organisation))
    edition = EditionFactory(
        starts_at=timezone.now() - timedelta(days=20), status=EditionStatus.PUBLISHED
    )
    ActionItemFactory(edition=edition, owner_organisation=organisation)


def test_catalogue_page_is_accessible(live_server, open_page, world):
    page = open_page()
    page.goto(f"{live_server.url}/donnees-ouvertes/")
    assert page.locator("h1").inner_text() == "Données ouvertes"
    assert_no_axe_violations(page)


def test_catalogue_page_on_a_360_px_phone(live_server, open_page, world):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/donnees-ouvertes/")
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page)
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_catalogue_page_works_without_javascript(live_server, open_page, world):
    page = open_page(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    page.goto(f"{live_server.url}/donnees-ouvertes/")
    for dataset in DATASETS:
        section = page.locator(f"#{dataset.key}")
        assert section.is_visible()
        assert section.get_by_role("link").count() == len(dataset.distributions) + 1  # + schema
    # A file is downloaded from the page itself, without JavaScript.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tout télécharger en un fichier ZIP").click()
    assert download.value.suggested_filename.startswith("quartiers40-donnees-ouvertes-")
