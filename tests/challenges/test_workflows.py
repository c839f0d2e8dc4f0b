"""The défis' transition tables, and the services checking them under the row lock."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from quartiers40.challenges import services
from quartiers40.challenges.enums import (
    CHALLENGE_WORKFLOW,
    MODERATION_WORKFLOW,
    OFFER_WORKFLOW,
    ChallengeStatus,
    ModerationState,
    OfferState,
)
from quartiers40.challenges.models import Challenge
from quartiers40.core.models import ActionLog
from tests.members.factories import UserFactory

from .factories import ChallengeFactory, OfferFactory

pytestmark = pytest.mark.django_db


def test_the_tables_keep_the_action_log_names():
    assert CHALLENGE_WORKFLOW.log_names() == {
        "challenge_offer_accepted",
        "challenge_solved",
        "challenge_closed",
        "challenge_reopened",
    }
    assert MODERATION_WORKFLOW.log_names() == {
        "challenge_approved",
        "challenge_hidden",
        "challenge_unhidden",
    }
    assert OFFER_WORKFLOW.log_names() == {"challenge_offer_decided", "challenge_offer_withdrawn"}


def test_what_each_person_is_offered(challenge, resident, coordinator):
    stranger = UserFactory()
    assert CHALLENGE_WORKFLOW.allowed(challenge, resident) == {"accept_offer", "close"}
    assert CHALLENGE_WORKFLOW.allowed(challenge, stranger) == set()
    assert MODERATION_WORKFLOW.allowed(challenge, coordinator) == {"hide"}
    assert MODERATION_WORKFLOW.allowed(challenge, resident) == set()
    challenge.status = ChallengeStatus.CLOSED
    assert CHALLENGE_WORKFLOW.allowed(challenge, coordinator) == {"reopen"}
    assert CHALLENGE_WORKFLOW.allowed(challenge, resident) == set()


# --- Moderation: the defects of issue 10 ----------------------------------------------


def test_hiding_a_hidden_challenge_is_refused_with_a_clear_message(
    challenge, coordinator, django_capture_on_commit_callbacks
):
    services.challenge_hide(challenge=challenge, actor=coordinator, reason="Publicité.")
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        services.challenge_hide(challenge=challenge, actor=coordinator, reason="Encore.")
    assert error.value.messages == ["Ce défi est déjà masqué."]
    challenge.refresh_from_db()
    assert challenge.hidden_reason == "Publicité."
    assert ActionLog.objects.filter(action="challenge_hidden").count() == 1
    assert mail.outbox == []


def test_only_the_team_hides_or_shows_a_challenge(challenge, resident):
    with pytest.raises(PermissionDenied):
        services.challenge_hide(challenge=challenge, actor=resident, reason="Je n'aime pas.")
    challenge.moderation = ModerationState.HIDDEN
    challenge.save()
    with pytest.raises(PermissionDenied):
        services.challenge_unhide(challenge=challenge, actor=resident)


def test_showing_a_visible_challenge_is_refused(challenge, coordinator):
    with pytest.raises(ValidationError) as error:
        services.challenge_unhide(challenge=challenge, actor=coordinator)
    assert error.value.messages == ["Ce défi n'est pas masqué."]
    assert not ActionLog.objects.filter(action="challenge_unhidden").exists()


def test_an_approval_reads_the_moderation_state_under_the_lock(resident, coordinator):
    """The caller's copy says « pending », another moderator has hidden it since: the
    approval sees the stored state (it used to check the stale copy before locking)."""
    challenge = ChallengeFactory(author=resident, moderation=ModerationState.PENDING)
    stale = Challenge.objects.get(pk=challenge.pk)
    services.challenge_hide(challenge=challenge, actor=coordinator, reason="Nom d'une personne.")
    assert stale.moderation == ModerationState.PENDING
    with pytest.raises(ValidationError) as error:
        services.challenge_approve(challenge=stale, actor=coordinator)
    assert error.value.messages == ["Ce défi n'attend pas de modération."]
    assert stale.moderation == ModerationState.HIDDEN  # read again under the lock
    challenge.refresh_from_db()
    assert challenge.moderation == ModerationState.HIDDEN
    assert not ActionLog.objects.filter(action="challenge_approved").exists()


def test_moderation_steps_are_logged_from_the_table(coordinator, resident):
    challenge = ChallengeFactory(author=resident, moderation=ModerationState.PENDING)
    services.challenge_approve(challenge=challenge, actor=coordinator)
    services.challenge_hide(challenge=challenge, actor=coordinator, reason="Publicité.")
    services.challenge_unhide(challenge=challenge, actor=coordinator)
    steps = list(
        ActionLog.objects.filter(object_id=str(challenge.pk))
        .order_by("pk")
        .values_list("action", "from_status", "to_status")
    )
    assert steps == [
        ("challenge_approved", "pending", "visible"),
        ("challenge_hidden", "visible", "hidden"),
        ("challenge_unhidden", "hidden", "visible"),
    ]


def test_a_refused_moderation_step_shows_its_message_on_the_page(client, challenge, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("challenges:approve", args=[challenge.slug]), follow=True)
    assert "Ce défi n&#x27;attend pas de modération." in response.content.decode()
    services.challenge_hide(challenge=challenge, actor=coordinator, reason="Publicité.")
    response = client.post(
        reverse("challenges:moderate", args=[challenge.slug]), {"reason": "Encore."}
    )
    assert response.status_code == 400
    assert "Ce défi est déjà masqué." in response.content.decode()


# --- Offers ---------------------------------------------------------------------------


def test_an_answered_offer_takes_no_other_answer(challenge, resident, helper, helper_org):
    offer = OfferFactory(challenge=challenge, organisation=helper_org, author=helper)
    services.challenge_offer_decline(offer=offer, actor=resident)
    for attempt in (
        lambda: services.challenge_offer_decline(offer=offer, actor=resident),
        lambda: services.challenge_offer_withdraw(offer=offer, actor=helper),
    ):
        with pytest.raises((ValidationError, PermissionDenied)):
            attempt()
    offer.refresh_from_db()
    assert offer.state == OfferState.DECLINED
    log = ActionLog.objects.get(action="challenge_offer_decided")
    assert (log.from_status, log.to_status, log.reason) == ("pending", "declined", helper_org.name)


def test_each_answer_has_its_own_address(client, challenge, resident, helper, helper_org):
    offer = OfferFactory(challenge=challenge, organisation=helper_org, author=helper)
    args = [challenge.slug, offer.pk]
    client.force_login(helper)
    assert client.get(reverse("challenges:offer_accept", args=args)).status_code == 403
    assert client.get(reverse("challenges:offer_decline", args=args)).status_code == 403
    assert client.get(reverse("challenges:offer_withdraw", args=args)).status_code == 405

    client.force_login(resident)
    page = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert reverse("challenges:offer_accept", args=args) in page
    assert reverse("challenges:offer_decline", args=args) in page
    assert reverse("challenges:offer_withdraw", args=args) not in page

    client.force_login(helper)
    page = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert reverse("challenges:offer_accept", args=args) not in page
    assert reverse("challenges:offer_withdraw", args=args) in page
    response = client.post(reverse("challenges:offer_withdraw", args=args), follow=True)
    assert "La proposition est retirée." in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == OfferState.WITHDRAWN
    response = client.post(reverse("challenges:offer_withdraw", args=args))
    assert response.status_code == 403  # not pending any more: nobody may withdraw it


def test_a_closed_challenge_offers_no_answer_to_its_offers(client, challenge, resident, helper_org):
    offer = OfferFactory(challenge=challenge, organisation=helper_org)
    services.challenge_close(challenge=challenge, actor=resident, reason="Réglé autrement.")
    client.force_login(resident)
    page = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert reverse("challenges:offer_accept", args=[challenge.slug, offer.pk]) not in page
    with pytest.raises(ValidationError) as error:
        services.challenge_offer_accept(offer=offer, actor=resident)
    assert error.value.messages == [
        "Cette action n'est pas possible pour un défi « Fermé sans solution »."
    ]
