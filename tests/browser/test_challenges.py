"""Défis as people use them: a resident posts, an association offers help, the resident
accepts, coordination records the outcome. Every page and form checked with axe-core."""

import re

from playwright.sync_api import expect

from quartiers40.challenges.enums import ChallengeStatus, ModerationState, OfferState
from quartiers40.challenges.models import Challenge, ChallengeOffer
from tests.challenges.factories import ChallengeFactory
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ResidentFactory,
)
from tests.territories.factories import QPVFactory, box

from .conftest import assert_no_axe_violations

TITLE = "Les parents n'arrivent pas à suivre l'école en ligne"


def test_a_resident_posts_an_association_helps_coordination_records_the_outcome(
    live_server, sign_in_as
):
    qpv = QPVFactory(code="QN09310M", name="Franc-Moisin", geometry=box(2.36, 48.92))
    ChallengeFactory(title="L'école en ligne : les parents perdus", slug="ecole-en-ligne")
    resident = ResidentFactory(display_name="Awa Diallo")
    coordinator = CoordinatorFactory()
    association = OrganisationFactory(name="Clic Solidaire Sevran")
    helper = MembershipFactory(organisation=association).user

    # The resident posts a défi; similar ones show up while typing the title.
    me = sign_in_as(resident)
    me.goto(f"{live_server.url}/defis/")
    me.get_by_role("link", name="Poster un défi").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Poster un défi")
    assert_no_axe_violations(me)
    me.get_by_role("button", name="Poster le défi").click()
    expect(me.get_by_role("alert").first).to_be_visible()
    assert_no_axe_violations(me)
    me.get_by_label(re.compile("^Le défi en une phrase")).fill(TITLE)
    expect(me.locator("#similar-challenges")).to_contain_text(
        "L'école en ligne : les parents perdus"
    )
    me.get_by_label(re.compile("^La situation")).fill(
        "Les devoirs et les notes sont sur un site. Beaucoup de parents n'ont pas d'ordinateur."
    )
    me.get_by_label(re.compile("^Qui est concerné")).fill("Les parents d'élèves du quartier.")
    me.get_by_label(re.compile("^Ce qui voudrait dire")).fill("Chaque famille suit l'école.")
    me.get_by_label("Éducation", exact=True).check()
    # The place picker (territories): type a part of the name, pick the suggestion.
    me.get_by_role("combobox", name=re.compile("^Quartiers prioritaires concernés")).fill(
        qpv.name[:6]
    )
    me.locator(".qpv-picker").get_by_role("option").filter(has_text=qpv.name).first.click()
    me.get_by_role("button", name="Poster le défi").click()
    expect(me.get_by_role("status").first).to_contain_text("l'équipe de coordination le relit")
    challenge = Challenge.objects.get(title=TITLE)
    assert challenge.moderation == ModerationState.PENDING
    assert_no_axe_violations(me)

    # Coordination approves it from the moderation queue.
    team = sign_in_as(coordinator)
    team.goto(f"{live_server.url}/defis/moderation/")
    assert_no_axe_violations(team)
    team.get_by_role("button", name=f"Rendre visible : {TITLE}").click()
    expect(team.get_by_role("status").first).to_contain_text("maintenant visible")

    # An association offers help.
    them = sign_in_as(helper)
    them.goto(f"{live_server.url}/defis/{challenge.slug}/")
    expect(them.get_by_role("main")).to_contain_text("Posté par Un·e habitant·e")
    expect(them.get_by_role("main")).not_to_contain_text("Awa Diallo")
    them.get_by_role("button", name="Je soutiens").click()
    expect(them.get_by_role("main")).to_contain_text("1 personne soutient ce défi")
    them.get_by_role("link", name="Nous pouvons aider").click()
    assert_no_axe_violations(them)
    them.get_by_role("button", name="Envoyer la proposition").click()
    expect(them.get_by_role("alert").first).to_be_visible()
    assert_no_axe_violations(them)
    them.get_by_label(re.compile("^Ce que vous proposez")).fill(
        "Des ateliers le mercredi pour les parents, avec nos médiateurs."
    )
    them.get_by_role("button", name="Envoyer la proposition").click()
    expect(them.get_by_role("status").first).to_contain_text("Votre proposition est envoyée")

    # The resident accepts.
    me.goto(f"{live_server.url}/defis/{challenge.slug}/")
    assert_no_axe_violations(me)
    me.get_by_role("link", name="Accepter l'aide de Clic Solidaire Sevran").click()
    assert_no_axe_violations(me)
    me.get_by_role("button", name="Accepter la proposition").click()
    expect(me.get_by_role("status").first).to_contain_text("La proposition est acceptée")
    expect(me.get_by_role("main")).to_contain_text("En cours de traitement")
    offer = ChallengeOffer.objects.get()
    assert offer.state == OfferState.ACCEPTED and offer.project is not None

    # Coordination records the outcome.
    team.goto(f"{live_server.url}/defis/{challenge.slug}/")
    assert_no_axe_violations(team)
    team.get_by_role("link", name="Enregistrer le résultat").click()
    assert_no_axe_violations(team)
    team.get_by_role("button", name="Enregistrer : le défi est résolu").click()
    expect(team.get_by_role("alert").first).to_be_visible()
    assert_no_axe_violations(team)
    team.get_by_label(re.compile("^Ce qui a été fait")).fill(
        "Des ateliers chaque mercredi au centre social, pendant un trimestre."
    )
    team.get_by_label(re.compile("^Le résultat en une ligne")).fill("40 familles accompagnées")
    team.get_by_role("button", name="Enregistrer : le défi est résolu").click()
    expect(team.get_by_role("region", name="Résolu : ce qui a été fait")).to_contain_text(
        "40 familles accompagnées"
    )
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SOLVED
    assert_no_axe_violations(team)


def test_the_challenge_list_is_accessible(live_server, page):
    qpv = QPVFactory()
    for index in range(25):
        challenge = ChallengeFactory(title=f"Défi accessible {index}")
        challenge.qpvs.add(qpv)
    page.goto(f"{live_server.url}/defis/")
    expect(page.get_by_role("status")).to_have_text(re.compile("^25 défis"))
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^Statut")).select_option(label="Résolu")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucun défi ne correspond")).to_be_visible()
    assert_no_axe_violations(page)
