"""A resident finds a free training near home on her phone, without an account, and says
she is interested; the provider sees it and records what came of it. The same search
without JavaScript. axe-core on every page of the journey."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quartiers40.members.enums import Role
from quartiers40.opportunities.enums import Cost, InterestStatus, OpportunityKind
from quartiers40.opportunities.models import OpportunityInterest
from quartiers40.territories.lookup import qpv_index_invalidate
from tests.browser.conftest import assert_no_axe_violations, open_counting_bytes
from tests.members.factories import MembershipFactory, OrganisationFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory, SessionFactory
from tests.territories import fake_geocoder
from tests.territories.conftest import http_server as http_server  # a fixture, used below
from tests.territories.factories import GoutteDOrFactory

PHONE_360 = {"width": 360, "height": 800}
ADDRESS = "20 rue de la Goutte d'Or 75018 Paris"
PAGE_BUDGET = 150 * 1024


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


@pytest.fixture
def offers(transactional_db):
    """A free training 600 m from her address, a paid one nearer, a job 3 km away."""
    GoutteDOrFactory()
    provider = OrganisationFactory(name="Association Les Voisins Numériques")
    membership = MembershipFactory(organisation=provider, role=Role.ADMIN)
    free = OpportunityFactory(
        organisation=provider,
        kind=OpportunityKind.TRAINING,
        title="Premiers pas sur l'ordinateur",
        slug="premiers-pas-sur-l-ordinateur",
        summary="Apprendre l'ordinateur en dix séances, en petit groupe.",
        cost=Cost.FREE,
        age_min=16,
        age_max=25,
    )
    PlaceFactory(opportunity=free, latitude=48.8860 + 600 / 111_132, longitude=2.3540)
    SessionFactory(opportunity=free, starts_on=timezone.localdate() + timedelta(days=12))
    paid = OpportunityFactory(
        organisation=provider, title="Formation payante de bureautique", cost=Cost.PAID
    )
    PlaceFactory(opportunity=paid, latitude=48.8862, longitude=2.3541)
    job = OpportunityFactory(
        organisation=provider, kind=OpportunityKind.JOB, title="Employé·e de caisse"
    )
    PlaceFactory(opportunity=job, latitude=48.8860 + 3000 / 111_132, longitude=2.3540)
    return {"free": free, "paid": paid, "job": job, "provider_person": membership.user}


def _search_free(page, base_url: str) -> None:
    page.goto(f"{base_url}/opportunites/")
    page.get_by_label("Où habitez-vous ?").fill(ADDRESS)
    filters = page.locator("details", has=page.get_by_label("Gratuit seulement"))
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    page.get_by_label("Gratuit seulement").check()
    page.locator("main").get_by_role("button", name="Chercher").click()


def test_a_resident_finds_a_free_training_and_says_she_is_interested(
    new_context, sign_in_as, live_server, settings, http_server, offers
):
    settings.GEOCODER_ENABLED = True
    fake_geocoder.install(http_server, settings)
    page = new_context(viewport=PHONE_360, is_mobile=True, has_touch=True).new_page()

    sizes = open_counting_bytes(page, f"{live_server.url}/opportunites/", gzipped=True)
    assert sum(sizes.values()) < PAGE_BUDGET, sizes
    assert_no_axe_violations(page)
    _search_free(page, live_server.url)

    results = page.locator("article")
    expect(results.first).to_contain_text("Premiers pas sur l'ordinateur")
    expect(page.get_by_text("Formation payante de bureautique")).to_have_count(0)
    # Why it is there, in one line.
    expect(results.first).to_contain_text(re.compile(r"Gratuit · à 600 m"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_360["width"]
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Premiers pas sur l'ordinateur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Premiers pas sur l'ordinateur")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Je suis intéressé·e").first.click()
    page.get_by_label("Votre prénom ou votre nom").fill("Awa")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Je suis intéressé·e").click()
    expect(page.locator("main")).to_contain_text("a reçu votre demande")
    assert_no_axe_violations(page)
    interest = OpportunityInterest.objects.get()
    assert (interest.opportunity, interest.name) == (offers["free"], "Awa")

    # The provider reads it and records what came of it.
    provider = sign_in_as(offers["provider_person"], viewport=PHONE_360, is_mobile=True)
    provider.goto(f"{live_server.url}{offers['free'].get_absolute_url()}interets/")
    expect(provider.locator("main")).to_contain_text("06 12 34 56 78")
    assert_no_axe_violations(provider)
    provider.get_by_label("A commencé").check()
    provider.get_by_role("button", name=re.compile("Enregistrer")).first.click()
    expect(provider.locator("main")).to_contain_text("A commencé")
    interest.refresh_from_db()
    assert interest.status == InterestStatus.STARTED


def test_the_same_search_without_javascript(
    new_context, live_server, settings, http_server, offers
):
    settings.GEOCODER_ENABLED = True
    fake_geocoder.install(http_server, settings)
    page = new_context(
        viewport=PHONE_360, is_mobile=True, has_touch=True, java_script_enabled=False
    ).new_page()
    _search_free(page, live_server.url)
    expect(page.locator("article").first).to_contain_text("Premiers pas sur l'ordinateur")
    expect(page.get_by_text("Formation payante de bureautique")).to_have_count(0)
    expect(page.get_by_role("button", name="Me localiser")).to_be_hidden()
    # Radius and filters are kept in the address: the list is a link she can share.
    assert "gratuit=on" in page.url


def test_every_new_page_has_no_axe_violation(sign_in_as, page, live_server, offers):
    opportunity = offers["free"]
    for path in (
        "/opportunites/carte/",
        f"/opportunites/selection/?ids={opportunity.pk},{offers['job'].pk}",
        f"{opportunity.get_absolute_url()}interet/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page)
    provider = sign_in_as(offers["provider_person"])
    for path in (
        "/opportunites/nouvelle/",
        f"{opportunity.get_absolute_url()}modifier/",
        "/opportunites/mes-opportunites/",
        f"{opportunity.get_absolute_url()}retirer/",
    ):
        provider.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(provider)
