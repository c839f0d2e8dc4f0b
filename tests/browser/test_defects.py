"""Journeys that would have caught the defects found when the platform was tried (issue 11):
a private resident named on her défi, Django's bare English error pages."""

import re

from playwright.sync_api import expect

from tests.challenges.factories import ChallengeFactory
from tests.members.factories import ResidentFactory


def test_a_private_residents_defi_never_shows_her_name(new_context, live_server, transactional_db):
    resident = ResidentFactory(display_name="Awa D.", profile_public=False)
    challenge = ChallengeFactory(author=resident, title="Pas d'ordinateur pour imprimer")
    page = new_context().new_page()
    for path in [challenge.get_absolute_url(), "/defis/", "/defis/carte/", "/defis/export.csv"]:
        page.goto(live_server.url + path)
        assert "Awa D." not in page.content(), path
    page.goto(live_server.url + challenge.get_absolute_url())
    expect(page.get_by_text(re.compile("Posté par Un·e habitant·e"))).to_be_visible()


def test_a_missing_page_is_the_sites_own_with_a_way_back(
    new_context, live_server, transactional_db
):
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    response = page.goto(live_server.url + "/defis/un-defi-qui-n-existe-pas/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette page n'existe pas ou plus")
    expect(page.get_by_role("banner")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Aller à l'accueil").click()
    expect(page).to_have_url(live_server.url + "/")
