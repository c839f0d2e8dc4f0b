"""Explained matchmaking as an association uses it: "Mon espace" suggests a défi it could
answer, with its reasons; it opens it, comes back and says "utile"."""

import re

from playwright.sync_api import expect

from quartiers40.matches.enums import Feedback, MatchContext, MatchStep
from quartiers40.matches.models import Match
from quartiers40.members.enums import OrganisationKind, Role
from quartiers40.projects.enums import Theme
from tests.browser.conftest import assert_no_axe_violations
from tests.challenges.factories import ChallengeFactory
from tests.members.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import QPVFactory, box

TITLE = "Les jeunes n'arrivent pas à faire un CV"


def test_an_association_is_suggested_a_challenge_opens_it_and_says_useful(
    live_server, sign_in_as, transactional_db
):
    qpv = QPVFactory(
        code="QN09310M",
        name="Franc-Moisin",
        department_code="93",
        commune_code="93066",
        commune_name="Saint-Denis",
        geometry=box(2.36, 48.92, 0.005),
    )
    association = OrganisationFactory(name="Clic Emploi", kind=OrganisationKind.ASSOCIATION)
    association.qpvs.add(qpv)
    admin = MembershipFactory(organisation=association, role=Role.ADMIN).user
    project = PublishedProjectFactory(
        title="Assistant CV pour les jeunes", themes=[Theme.EMPLOYMENT.value], carrier=association
    )
    project.qpvs.add(qpv)
    challenge = ChallengeFactory(title=TITLE, themes=[Theme.EMPLOYMENT.value])
    challenge.qpvs.add(qpv)

    page = sign_in_as(admin)
    page.goto(f"{live_server.url}/compte/")
    block = page.locator("section.matches")
    expect(block.get_by_role("heading", name="Suggestions pour mes organisations")).to_be_visible()
    card = block.locator(".match-card").filter(has_text=TITLE)
    expect(card).to_contain_text("Pourquoi :")
    expect(card).to_contain_text("même thème : emploi")
    assert_no_axe_violations(page)

    card.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{live_server.url}{challenge.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    # The défi's own block suggests the association's project, with its reasons.
    expect(page.locator("section.matches")).to_contain_text("Assistant CV pour les jeunes")
    expect(page.locator("section.matches")).to_contain_text("Déjà présent dans Franc-Moisin")
    assert_no_axe_violations(page)

    page.go_back()
    card = page.locator("section.matches .match-card").filter(has_text=TITLE)
    card.get_by_role("button", name=re.compile("^Utile")).click()
    expect(page.get_by_role("status").first).to_contain_text("utile")
    card = page.locator("section.matches .match-card").filter(has_text=TITLE)
    expect(card).to_contain_text("Votre avis : Utile.")

    match = Match.objects.get(context=MatchContext.ACCOUNT, challenge=challenge, user=admin)
    assert match.feedback == Feedback.USEFUL
    assert match.step == MatchStep.OPENED and match.opened_count == 1
