"""« Nous pouvons aider »: an organisation's offer, and its answer (`enums.OFFER_WORKFLOW`).

Accepting an offer links the défi to a project (the offer's, or a new draft of the offering
organisation) and moves an open défi to « being addressed » (`enums.CHALLENGE_WORKFLOW`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record
from quartiers40.members.models import Organisation, User
from quartiers40.projects.models import Project

from .. import permissions, selectors
from ..enums import CHALLENGE_WORKFLOW, OFFER_WORKFLOW, ChallengeStatus, OfferState
from ..models import Challenge, ChallengeOffer
from ._common import _context, _email_each
from .lifecycle import _step_apply, _step_email


def _offer_author(offer: ChallengeOffer):
    return User.objects.filter(pk=offer.author_id, is_active=True)


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_offer_make(
    *,
    challenge: Challenge,
    actor: User,
    organisation: Organisation,
    proposal: str,
    project: Project | None = None,
) -> ChallengeOffer:
    """« Nous pouvons aider »: an organisation's proposal, possibly with one of its projects."""
    if not permissions.can_offer_help(actor, challenge):
        raise PermissionDenied
    if not permissions.offering_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if project is not None and project.carrier_id != organisation.pk:
        raise ValidationError({"project": _("Ce projet n'est pas porté par cette organisation.")})
    proposal = (proposal or "").strip()
    if not proposal:
        raise ValidationError({"proposal": _("Décrivez ce que vous proposez.")})
    if ChallengeOffer.objects.filter(
        challenge=challenge, organisation=organisation, state=OfferState.PENDING
    ).exists():
        raise ValidationError(
            _("Votre organisation a déjà une proposition en attente sur ce défi.")
        )
    offer = ChallengeOffer(
        challenge=challenge,
        organisation=organisation,
        author=actor,
        proposal=proposal,
        project=project,
    )
    offer.full_clean()
    offer.save()
    action_log_record(
        target=challenge,
        action="challenge_offer_made",
        actor=actor,
        reason=organisation.name,
    )
    _email_each(
        selectors.challenge_managers(challenge),
        subject=_("Une organisation propose son aide : %(title)s") % {"title": challenge.title},
        template="challenges/emails/offer_made.txt",
        exclude=actor,
        organisation=organisation.name,
        proposal=proposal,
        **_context(challenge),
    )
    return offer


def _draft_project_from_offer(offer: ChallengeOffer, challenge: Challenge) -> Project:
    """A new draft project of the offering organisation, created by whoever offered."""
    from quartiers40.projects import permissions as project_permissions
    from quartiers40.projects.services import project_create

    creator = offer.author
    if creator is None or not project_permissions.can_create_project_for(
        creator, offer.organisation
    ):
        raise ValidationError(
            _(
                "La personne qui a fait cette proposition ne fait plus partie de "
                "l'organisation : impossible de créer le projet."
            )
        )
    return project_create(
        actor=creator,
        carrier=offer.organisation,
        qpvs=list(challenge.qpvs.all()),
        title=challenge.title[:200],
        summary=(_("En réponse au défi : %(title)s") % {"title": challenge.title})[:240],
        problem=challenge.situation[:4000],
        description=offer.proposal,
        themes=list(challenge.themes),
        departments=[challenge.department] if challenge.department else [],
    )


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_offer_accept(*, offer: ChallengeOffer, actor: User) -> ChallengeOffer:
    """Accept an offer: it links the défi to a project (the offer's, or a new draft), and an
    open défi becomes « being addressed »."""
    challenge = offer.challenge
    lock_row(challenge)  # the défi first, then its offer: the order every writer takes
    step = OFFER_WORKFLOW.check(offer, "accept", actor=actor)
    offer.challenge = challenge  # the locked one (refreshing the offer dropped it)
    if not challenge.is_active:
        raise ValidationError(
            str(CHALLENGE_WORKFLOW.invalid_message) % {"status": challenge.get_status_display()},
            code="invalid_transition",
        )
    challenge_step = None
    if challenge.status == ChallengeStatus.OPEN:
        challenge_step = CHALLENGE_WORKFLOW.check(
            challenge, "accept_offer", actor=actor, locked=True
        )
    if offer.project is None:
        offer.project = _draft_project_from_offer(offer, challenge)
    OFFER_WORKFLOW.apply(offer, step, actor=actor, reason=offer.organisation.name)
    offer.decided_at = timezone.now()
    offer.save(update_fields=["state", "decided_at", "project"])
    if challenge_step is not None:
        _step_apply(challenge, challenge_step, actor=actor, note=offer.organisation.name)
        challenge.save(update_fields=["status", "status_changed_at", "updated_at"])
        _step_email(challenge, challenge_step, actor=actor, organisation=offer.organisation.name)
    assert offer.project is not None
    _email_each(
        _offer_author(offer),
        subject=_("Votre proposition est acceptée : %(title)s") % {"title": challenge.title},
        template="challenges/emails/offer_accepted.txt",
        project_url=absolute_url(offer.project.get_absolute_url()),
        **_context(challenge),
    )
    return offer


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_offer_decline(
    *, offer: ChallengeOffer, actor: User, note: str = ""
) -> ChallengeOffer:
    step = OFFER_WORKFLOW.check(offer, "decline", actor=actor)
    OFFER_WORKFLOW.apply(offer, step, actor=actor, reason=offer.organisation.name)
    offer.decided_at = timezone.now()
    offer.decision_note = (note or "").strip()
    offer.save(update_fields=["state", "decided_at", "decision_note"])
    _email_each(
        _offer_author(offer),
        subject=_("Réponse à votre proposition : %(title)s") % {"title": offer.challenge.title},
        template="challenges/emails/offer_declined.txt",
        note=offer.decision_note,
        **_context(offer.challenge),
    )
    return offer


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_offer_withdraw(*, offer: ChallengeOffer, actor: User) -> ChallengeOffer:
    step = OFFER_WORKFLOW.check(offer, "withdraw", actor=actor)
    OFFER_WORKFLOW.apply(offer, step, actor=actor, reason=offer.organisation.name)
    offer.decided_at = timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    return offer
