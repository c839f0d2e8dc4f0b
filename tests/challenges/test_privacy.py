"""A défi posted for a resident never exposes anybody; a resident poster stays private.

Pages and e-mails here; exports and the API are covered in test_exports / test_api with the
same function, `permissions.challenge_public_author`.
"""

import pytest
from django.core import mail
from django.urls import reverse

from quartiers40.challenges import services
from quartiers40.challenges.permissions import challenge_public_author, person_public_name
from tests.members.factories import ResidentFactory, UserFactory

from .factories import ChallengeFactory, OfferFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "Les démarches de la CAF en ligne",
    "situation": "Madame ne sait pas se connecter au site de la CAF.",
    "affected": "Les allocataires sans ordinateur.",
    "solved_when": "Un accompagnement régulier existe au centre social.",
    "themes": ["public_services"],
}


@pytest.fixture
def on_behalf(mediator, association):
    mediator.email = "karim.mediateur@exemple.fr"
    mediator.save()
    return services.challenge_post(
        actor=mediator,
        organisation=association,
        on_behalf_of_resident=True,
        resident_consent=True,
        commune_name="Sevran",
        **FIELDS,
    )


@pytest.fixture
def on_behalf_without_organisation(mediator):
    return services.challenge_post(
        actor=mediator,
        on_behalf_of_resident=True,
        resident_consent=True,
        commune_name="Sevran",
        **FIELDS,
    )


def test_the_public_author_of_a_défi_for_a_resident(on_behalf, on_behalf_without_organisation):
    for viewer in (None, UserFactory()):
        assert challenge_public_author(on_behalf, viewer) == "Clic Solidaire, pour un·e habitant·e"
        assert (
            challenge_public_author(on_behalf_without_organisation, viewer)
            == "Un·e médiateur·rice, pour un·e habitant·e"
        )


def test_a_private_resident_poster_is_never_named_to_others(coordinator):
    resident = ResidentFactory(display_name="Fatou Secrète")
    challenge = ChallengeFactory(author=resident)
    assert challenge_public_author(challenge, None) == "Un·e habitant·e"
    assert challenge_public_author(challenge, UserFactory()) == "Un·e habitant·e"
    # She and the team read what the public reads, with a hint: never her bare name.
    assert challenge_public_author(challenge, resident) == (
        "Un·e habitant·e (vous ; votre nom n'est pas public)"
    )
    assert challenge_public_author(challenge, coordinator) == (
        "Un·e habitant·e (Fatou Secrète, nom non public)"
    )
    resident.profile_public = True
    resident.save()
    assert challenge_public_author(challenge, None) == "Fatou Secrète"


def test_a_deleted_account_is_named_so():
    person = UserFactory(is_active=False)
    assert person_public_name(person) == "Compte supprimé"


@pytest.mark.parametrize("who", ["anonymous", "signed-in", "supporter"])
def test_the_page_never_shows_the_mediator_nor_any_resident(client, on_behalf, mediator, who):
    if who != "anonymous":
        user = UserFactory()
        if who == "supporter":
            services.challenge_support(challenge=on_behalf, user=user)
        client.force_login(user)
    for url in (
        reverse("challenges:detail", args=[on_behalf.slug]),
        reverse("challenges:list"),
        reverse("challenges:similar") + "?title=démarches CAF en ligne",
    ):
        page = client.get(url).content.decode()
        assert mediator.display_name not in page
        assert mediator.email not in page
    page = client.get(reverse("challenges:detail", args=[on_behalf.slug])).content.decode()
    assert "Clic Solidaire, pour un·e habitant·e" in page


def test_the_page_of_a_private_resident_poster(client):
    resident = ResidentFactory(display_name="Fatou Secrète", email="fatou@exemple.fr")
    challenge = ChallengeFactory(author=resident)
    services.challenge_comment_add(challenge=challenge, author=resident, body="Merci à tous.")
    for user in (None, UserFactory()):
        if user:
            client.force_login(user)
        page = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
        assert "Fatou" not in page and "fatou@exemple.fr" not in page
        assert "Un·e habitant·e" in page


def test_e_mails_never_name_the_poster(
    on_behalf, mediator, helper, helper_org, coordinator, django_capture_on_commit_callbacks
):
    supporter = UserFactory()
    services.challenge_support(challenge=on_behalf, user=supporter)
    offer = OfferFactory(challenge=on_behalf, organisation=helper_org, author=helper)
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_offer_accept(offer=offer, actor=mediator)
    offer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_solve(
            challenge=on_behalf,
            actor=coordinator,
            outcome_text="Des permanences chaque mardi.",
            outcome_result="30 personnes aidées",
            outcome_project=offer.project,
        )
    assert mail.outbox
    for message in mail.outbox:
        for text in (message.subject, message.body):
            assert mediator.display_name not in text
            assert mediator.email not in text
            assert "habitant" not in text.lower() or "pour un·e habitant·e" in text
        # One recipient per message: supporters never see each other's addresses.
        assert len(message.to) == 1


def test_the_resident_is_not_stored(on_behalf):
    """Nothing on the défi could hold a resident's identity beyond the consent date."""
    fields = {field.name for field in on_behalf._meta.concrete_fields}
    assert not any("resident_name" in name or "resident_email" in name for name in fields)
    assert on_behalf.resident_consent_at is not None
