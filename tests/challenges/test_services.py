from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quartiers40.challenges import services
from quartiers40.challenges.enums import ChallengeStatus, ModerationState, OfferState
from quartiers40.challenges.models import Challenge, ChallengeStatusChange, ChallengeSupport
from quartiers40.core.models import ActionLog
from quartiers40.projects.enums import ProjectStatus
from tests.members.factories import ResidentFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import GoutteDOrFactory

from .factories import ChallengeFactory, CommentFactory, OfferFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "Les seniors n'arrivent plus à prendre rendez-vous chez le médecin",
    "situation": "Tout passe par une application. Beaucoup n'ont pas de smartphone.",
    "affected": "Les personnes âgées du quartier.",
    "solved_when": "Chacun peut prendre rendez-vous, avec ou sans smartphone.",
    "themes": ["health"],
}


def _old(user):
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


# --- Posting --------------------------------------------------------------------


def test_a_new_account_waits_for_moderation_then_is_trusted(coordinator):
    resident = ResidentFactory()
    qpv = GoutteDOrFactory()
    first = services.challenge_post(actor=resident, qpvs=[qpv], **FIELDS)
    assert first.moderation == ModerationState.PENDING
    assert first.department == "75"
    assert first.status == ChallengeStatus.OPEN
    assert services.challenge_needs_moderation(resident)
    services.challenge_approve(challenge=first, actor=coordinator)
    first.refresh_from_db()
    assert first.moderation == ModerationState.VISIBLE
    second = services.challenge_post(actor=resident, commune_name="Paris", **FIELDS)
    assert second.moderation == ModerationState.VISIBLE
    assert second.slug != first.slug


def test_old_accounts_and_organisation_members_are_trusted(mediator):
    old = _old(ResidentFactory())
    assert services.challenge_post(actor=old, commune_name="Sevran", **FIELDS).moderation == (
        ModerationState.VISIBLE
    )
    assert services.challenge_post(actor=mediator, commune_name="Sevran", **FIELDS).moderation == (
        ModerationState.VISIBLE
    )


def test_posting_needs_a_place(resident):
    with pytest.raises(ValidationError) as error:
        services.challenge_post(actor=resident, **FIELDS)
    assert "qpvs" in error.value.message_dict


def test_department_from_the_commune_code(resident):
    challenge = services.challenge_post(
        actor=resident, commune_name="Sevran", commune_insee="93071", **FIELDS
    )
    assert challenge.department == "93"
    assert services.department_of(commune_insee="97411") == "974"
    assert services.department_of(commune_insee="2A004") == "2A"


def test_posting_for_a_resident_needs_consent_and_stores_no_identity(mediator, association):
    with pytest.raises(ValidationError):
        services.challenge_post(
            actor=mediator, commune_name="Sevran", on_behalf_of_resident=True, **FIELDS
        )
    challenge = services.challenge_post(
        actor=mediator,
        commune_name="Sevran",
        organisation=association,
        on_behalf_of_resident=True,
        resident_consent=True,
        **FIELDS,
    )
    assert challenge.on_behalf_of_resident and challenge.resident_consent_at is not None
    assert challenge.author == mediator


def test_only_mediators_post_for_a_resident(resident):
    with pytest.raises(PermissionDenied):
        services.challenge_post(
            actor=resident,
            commune_name="Sevran",
            on_behalf_of_resident=True,
            resident_consent=True,
            **FIELDS,
        )


def test_posting_in_the_name_of_an_organisation_needs_membership(resident, association):
    with pytest.raises(PermissionDenied):
        services.challenge_post(
            actor=resident, commune_name="Sevran", organisation=association, **FIELDS
        )


def test_update_records_the_changes(challenge, resident):
    qpv = GoutteDOrFactory()
    changed = services.challenge_update(
        challenge=challenge, actor=resident, qpvs=[qpv], title="Un titre plus clair"
    )
    assert set(changed) == {"title", "qpvs"}
    challenge.refresh_from_db()
    assert challenge.title == "Un titre plus clair"
    assert ActionLog.objects.filter(action="challenge_updated").exists()
    with pytest.raises(PermissionDenied):
        services.challenge_update(challenge=challenge, actor=UserFactory(), title="Pirate")


# --- Support --------------------------------------------------------------------


def test_support_is_one_per_person(challenge):
    user = UserFactory()
    assert services.challenge_support(challenge=challenge, user=user) is True
    assert services.challenge_support(challenge=challenge, user=user) is False
    challenge.refresh_from_db()
    assert challenge.supports_count == 1
    assert services.challenge_unsupport(challenge=challenge, user=user) is True
    assert services.challenge_unsupport(challenge=challenge, user=user) is False
    challenge.refresh_from_db()
    assert challenge.supports_count == 0


def test_the_database_refuses_a_second_support(challenge):
    from django.db import IntegrityError, transaction

    user = UserFactory()
    ChallengeSupport.objects.create(challenge=challenge, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChallengeSupport.objects.create(challenge=challenge, user=user)


def test_closed_challenges_take_no_more_support(challenge, resident):
    services.challenge_close(challenge=challenge, actor=resident, reason="Plus d'actualité.")
    with pytest.raises(PermissionDenied):
        services.challenge_support(challenge=challenge, user=UserFactory())


# --- Comments -------------------------------------------------------------------


def test_comments_have_one_level_of_replies(challenge):
    user = UserFactory()
    root = services.challenge_comment_add(challenge=challenge, author=user, body="Moi aussi.")
    reply = services.challenge_comment_add(
        challenge=challenge, author=user, body="Et moi.", parent=root
    )
    with pytest.raises(ValidationError):
        services.challenge_comment_add(
            challenge=challenge, author=user, body="Trop profond.", parent=reply
        )
    other = ChallengeFactory()
    with pytest.raises(ValidationError):
        services.challenge_comment_add(challenge=other, author=user, body="Ailleurs.", parent=root)


def test_a_comment_is_editable_for_fifteen_minutes(challenge):
    comment = CommentFactory(challenge=challenge)
    services.challenge_comment_edit(comment=comment, actor=comment.author, body="Corrigé.")
    comment.refresh_from_db()
    assert comment.body == "Corrigé." and comment.edited_at is not None
    later = comment.created_at + timedelta(minutes=16)
    with pytest.raises(PermissionDenied):
        services.challenge_comment_edit(
            comment=comment, actor=comment.author, body="Trop tard.", now=later
        )
    with pytest.raises(PermissionDenied):
        services.challenge_comment_edit(comment=comment, actor=UserFactory(), body="Pas moi.")


def test_hiding_a_comment_needs_a_reason(challenge, coordinator):
    comment = CommentFactory(challenge=challenge)
    with pytest.raises(ValidationError):
        services.challenge_comment_hide(comment=comment, actor=coordinator, reason=" ")
    services.challenge_comment_hide(comment=comment, actor=coordinator, reason="Insulte.")
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Insulte."
    with pytest.raises(PermissionDenied):
        services.challenge_comment_hide(comment=comment, actor=UserFactory(), reason="x")


# --- Offers and lifecycle -------------------------------------------------------------


def test_an_accepted_offer_creates_a_draft_project_and_moves_the_challenge(
    challenge, resident, helper, helper_org, django_capture_on_commit_callbacks
):
    supporter = UserFactory(email="soutien@exemple.fr")
    services.challenge_support(challenge=challenge, user=supporter)
    offer = services.challenge_offer_make(
        challenge=challenge, actor=helper, organisation=helper_org, proposal="Des ateliers."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_offer_accept(offer=offer, actor=resident)
    offer.refresh_from_db()
    challenge.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED and offer.decided_at
    assert offer.project.status == ProjectStatus.DRAFT
    assert offer.project.carrier == helper_org
    assert challenge.status == ChallengeStatus.BEING_ADDRESSED
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert supporter.email in recipients
    assert helper.email in recipients
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert resident.email not in recipients  # the actor does not mail themself
    steps = list(challenge.status_changes.values_list("from_status", "to_status"))
    assert steps == [("open", "being_addressed")]  # the factory records no first step


def test_an_offer_with_an_existing_project_links_it(challenge, resident, helper, helper_org):
    project = PublishedProjectFactory(carrier=helper_org)
    offer = services.challenge_offer_make(
        challenge=challenge,
        actor=helper,
        organisation=helper_org,
        proposal="Notre assistant répond déjà à ça.",
        project=project,
    )
    services.challenge_offer_accept(offer=offer, actor=resident)
    offer.refresh_from_db()
    assert offer.project == project


def test_an_offer_cannot_bring_another_organisations_project(challenge, helper, helper_org):
    with pytest.raises(ValidationError):
        services.challenge_offer_make(
            challenge=challenge,
            actor=helper,
            organisation=helper_org,
            proposal="x",
            project=PublishedProjectFactory(),
        )


def test_declining_keeps_the_challenge_open(challenge, resident, helper, helper_org):
    offer = OfferFactory(challenge=challenge, organisation=helper_org, author=helper)
    services.challenge_offer_decline(offer=offer, actor=resident, note="Merci !")
    offer.refresh_from_db()
    challenge.refresh_from_db()
    assert offer.state == OfferState.DECLINED
    assert challenge.status == ChallengeStatus.OPEN
    with pytest.raises(ValidationError):
        services.challenge_offer_accept(offer=offer, actor=resident)


def test_solving_records_the_outcome(challenge, resident, helper, helper_org):
    offer = OfferFactory(challenge=challenge, organisation=helper_org, author=helper)
    with pytest.raises(ValidationError):  # open → solved is not a transition
        services.challenge_solve(
            challenge=challenge, actor=resident, outcome_text="x", outcome_result="y"
        )
    services.challenge_offer_accept(offer=offer, actor=resident)
    offer.refresh_from_db()
    with pytest.raises(ValidationError):
        services.challenge_solve(
            challenge=challenge, actor=resident, outcome_text="", outcome_result=""
        )
    with pytest.raises(ValidationError):  # not a project of an accepted offer
        services.challenge_solve(
            challenge=challenge,
            actor=resident,
            outcome_text="Des ateliers.",
            outcome_result="40 familles",
            outcome_project=PublishedProjectFactory(),
        )
    services.challenge_solve(
        challenge=challenge,
        actor=resident,
        outcome_text="Des ateliers chaque mercredi.",
        outcome_result="40 familles accompagnées",
        outcome_project=offer.project,
    )
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SOLVED
    assert challenge.outcome_project == offer.project
    assert ActionLog.objects.filter(
        action="challenge_solved", from_status="being_addressed", to_status="solved"
    ).exists()


def test_closing_needs_a_reason_and_the_team_reopens(challenge, resident, coordinator):
    with pytest.raises(ValidationError):
        services.challenge_close(challenge=challenge, actor=resident, reason="")
    services.challenge_close(challenge=challenge, actor=resident, reason="Réglé autrement.")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.CLOSED
    with pytest.raises(ValidationError):
        services.challenge_close(challenge=challenge, actor=resident, reason="Encore.")
    with pytest.raises(PermissionDenied):
        services.challenge_reopen(challenge=challenge, actor=resident)
    services.challenge_reopen(challenge=challenge, actor=coordinator)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.OPEN and challenge.closed_reason == ""


def test_every_transition_is_in_the_table():
    from quartiers40.challenges.enums import CHALLENGE_WORKFLOW

    statuses = set(ChallengeStatus.values)
    moves = set()
    for transition in CHALLENGE_WORKFLOW.transitions:
        assert set(transition.sources) <= statuses and transition.target in statuses
        assert transition.log.startswith("challenge_")
        moves |= {(source, transition.target) for source in transition.sources}
    assert (ChallengeStatus.SOLVED, ChallengeStatus.OPEN) not in moves
    assert CHALLENGE_WORKFLOW.log_names() == {
        "challenge_offer_accepted",
        "challenge_solved",
        "challenge_closed",
        "challenge_reopened",
    }


def test_supporters_get_one_e_mail_each_at_each_step(
    challenge, resident, coordinator, django_capture_on_commit_callbacks
):
    supporters = [UserFactory() for _ in range(3)]
    for supporter in supporters:
        services.challenge_support(challenge=challenge, user=supporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_close(challenge=challenge, actor=coordinator, reason="Hors sujet.")
    recipients = [message.to for message in mail.outbox]
    expected = sorted([[s.email] for s in supporters] + [[resident.email]])
    assert sorted(recipients) == expected
    assert "Hors sujet." in mail.outbox[0].body
    assert ChallengeStatusChange.objects.filter(challenge=challenge, to_status="closed").exists()


def test_reports_reach_the_team(challenge, coordinator, django_capture_on_commit_callbacks):
    reporter = UserFactory()
    comment = CommentFactory(challenge=challenge)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.challenge_report(
            challenge=challenge, reporter=reporter, reason="Un nom apparaît.", comment=comment
        )
    assert report.target == "comment"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    services.challenge_comment_hide(comment=comment, actor=coordinator, reason="Nom.")
    report.refresh_from_db()
    assert report.resolved


def test_hiding_a_challenge(challenge, coordinator):
    services.challenge_hide(challenge=challenge, actor=coordinator, reason="Publicité.")
    challenge.refresh_from_db()
    assert challenge.moderation == ModerationState.HIDDEN
    assert not Challenge.objects.visible().filter(pk=challenge.pk).exists()
    services.challenge_unhide(challenge=challenge, actor=coordinator)
    challenge.refresh_from_db()
    assert challenge.moderation == ModerationState.VISIBLE and challenge.hidden_reason == ""


# --- Similar défis ------------------------------------------------------------------


def test_similarity_ignores_accents_case_and_small_words():
    from quartiers40.challenges.selectors import normalise, title_similarity

    assert normalise("Les SÉNIORS et l'e-santé") == "les seniors et l e sante"
    close = title_similarity("Les séniors et la téléconsultation", "seniors teleconsultation")
    far = title_similarity("Les séniors et la téléconsultation", "Le wifi du gymnase")
    assert close > 0.5 > far


def test_similar_challenges_are_open_and_visible_only():
    from quartiers40.challenges.selectors import challenges_similar

    open_one = ChallengeFactory(title="Le wifi de la médiathèque ne marche pas")
    ChallengeFactory(title="Le wifi de la médiathèque est en panne", status="closed")
    ChallengeFactory(title="Le wifi de la médiathèque coupé", moderation="hidden")
    found = challenges_similar("wifi médiathèque")
    assert [c.pk for c in found] == [open_one.pk]
    assert 0 < found[0].similarity <= 1
    assert challenges_similar("wifi médiathèque", exclude_pk=open_one.pk) == []
    assert challenges_similar("  de la ") == []
