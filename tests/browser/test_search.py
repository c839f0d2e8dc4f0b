"""A resident types what she needs in the header's box on her phone and opens a result;
the same without JavaScript; axe-core on the results page."""

import pytest
from playwright.sync_api import expect

from quartiers40.opportunities.enums import Cost, OpportunityKind
from quartiers40.search.services import search_index_rebuild
from tests.browser.conftest import assert_no_axe_violations, open_counting_bytes
from tests.opportunities.factories import OpportunityFactory, PlaceFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import GoutteDOrFactory

PHONE_360 = {"width": 360, "height": 800}
PAGE_BUDGET = 150 * 1024


@pytest.fixture
def indexed(transactional_db):
    GoutteDOrFactory()
    training = OpportunityFactory(
        kind=OpportunityKind.TRAINING,
        title="Formation au numérique, gratuite",
        slug="formation-au-numerique-gratuite",
        summary="Dix séances pour apprendre l'ordinateur et les démarches en ligne.",
        cost=Cost.FREE,
    )
    PlaceFactory(opportunity=training, latitude=48.8860, longitude=2.3540)
    OpportunityFactory(title="Employé·e de caisse", summary="Un emploi en supermarché.")
    PublishedProjectFactory(title="Assistant CV pour les jeunes", slug="assistant-cv")
    search_index_rebuild()
    return training


def test_a_resident_searches_from_the_header_on_her_phone(new_context, live_server, indexed):
    page = new_context(viewport=PHONE_360, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{live_server.url}/")
    box = page.get_by_label("Rechercher sur tout le site")
    box.fill("formation numerique gratuite")  # no accent, as typed on a phone
    box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/recherche/?q=formation+numerique+gratuite")
    first = page.locator("article").first
    expect(first).to_contain_text("Formation au numérique, gratuite")
    expect(first).to_contain_text("Opportunité")
    expect(first.locator("mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Formation au numérique, gratuite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formation au numérique, gratuite")


def test_the_results_page_without_javascript(new_context, live_server, indexed):
    page = new_context(
        viewport=PHONE_360, is_mobile=True, has_touch=True, java_script_enabled=False
    ).new_page()
    url = f"{live_server.url}/recherche/?q=assistant+emploi"
    sizes = open_counting_bytes(page, url, gzipped=True)
    assert sum(sizes.values()) < PAGE_BUDGET, sizes
    expect(page.locator("main")).to_contain_text("Employé·e de caisse")
    expect(page.locator("main")).to_contain_text("Assistant CV pour les jeunes")
    # Narrow to one type with the links above the results (plain GET links).
    page.get_by_role("link", name="Projet (1)").click()
    expect(page.locator("article")).to_have_count(1)
    expect(page.locator("article").first).to_contain_text("Assistant CV pour les jeunes")


def test_the_results_page_in_english_has_no_axe_violation(new_context, live_server, indexed):
    page = new_context(locale="en-GB").new_page()
    page.goto(f"{live_server.url}/recherche/?q=job+young+people")
    expect(page.locator("main")).to_be_visible()
    assert_no_axe_violations(page)
