"""Who may do what with a défi, and what of its author anybody may read.

Views, the API, exports, e-mails and templates all ask here. Roles are checked here; whether a
transition fits the current status is in the workflows of `enums.py` (whose `who` name the
predicates below), checked by the services under a row lock.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.members.enums import Role
from quartiers40.members.models import Organisation, OrganisationMembership
from quartiers40.members.permissions import is_coordination, person_public_name

from .enums import ChallengeStatus, ModerationState, OfferState
from .models import COMMENT_EDIT_WINDOW_MINUTES, Challenge, ChallengeComment, ChallengeOffer


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# ---------------------------------------------------------------------------------------------
# What of a person is shown: `members.permissions.person_public_name` decides, for pages,
# exports, API and e-mails alike (re-exported here for the callers of this module).
# ---------------------------------------------------------------------------------------------


def challenge_public_author(challenge: Challenge, viewer=None) -> str:
    """Who posted the défi, as `viewer` may read it (anonymous when `viewer` is None).

    A défi posted for a resident never names anybody but the organisation, if any: the
    resident's identity is not even stored.
    """
    # A null key reads as None without a query; a set one reads the (usually joined) row.
    organisation = challenge.organisation if challenge.organisation_id is not None else None
    if challenge.on_behalf_of_resident:
        if organisation is not None:
            return _("%(organisation)s, pour un·e habitant·e") % {"organisation": organisation.name}
        return _("Un·e médiateur·rice, pour un·e habitant·e")
    if organisation is not None:
        return organisation.name
    return person_public_name(challenge.author, viewer)


def comment_public_author(comment: ChallengeComment, viewer=None) -> str:
    return person_public_name(comment.author, viewer)


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------


def is_author(user, challenge: Challenge) -> bool:
    return _active(user) and challenge.author_id == user.pk


def is_challenge_manager(user, challenge: Challenge) -> bool:
    """The author (the poster, possibly a mediator), or an admin of the posting organisation."""
    if not _active(user):
        return False
    if challenge.author_id == user.pk:
        return True
    return (
        challenge.organisation_id is not None
        and OrganisationMembership.objects.filter(
            organisation_id=challenge.organisation_id, user=user, role=Role.ADMIN
        ).exists()
    )


def offering_organisations(user):
    """Member organisations `user` belongs to: they may offer help in their name."""
    if not _active(user):
        return Organisation.objects.none()
    return Organisation.objects.members_of_collective().filter(memberships__user=user).distinct()


def can_post_for_resident(user) -> bool:
    """Mediators: people of a member organisation (and the team) post for a resident."""
    return is_coordination(user) or offering_organisations(user).exists()


# ---------------------------------------------------------------------------------------------
# Défis
# ---------------------------------------------------------------------------------------------


def can_view_challenge(user, challenge: Challenge) -> bool:
    if challenge.moderation == ModerationState.VISIBLE:
        return True
    return is_coordination(user) or is_author(user, challenge)


def can_post_challenge(user) -> bool:
    return _active(user)


def can_edit_challenge(user, challenge: Challenge) -> bool:
    if challenge.merged_into_id is not None:
        return False
    if is_coordination(user):
        return True
    return (
        challenge.is_active
        and challenge.moderation != ModerationState.HIDDEN
        and is_challenge_manager(user, challenge)
    )


def can_support_challenge(user, challenge: Challenge) -> bool:
    return (
        _active(user)
        and challenge.is_visible
        and challenge.status in (ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED)
    )


def can_comment_challenge(user, challenge: Challenge) -> bool:
    return _active(user) and challenge.is_visible


def can_report(user) -> bool:
    return _active(user)


def can_moderate(user) -> bool:
    """Hide, unhide, approve, merge, and read the moderation queue."""
    return is_coordination(user)


can_hide_challenge = can_moderate
can_merge_challenges = can_moderate


def can_moderate_challenge(user, challenge: Challenge) -> bool:
    """`who` of the moderation workflow (approve, hide, unhide)."""
    return can_moderate(user)


def can_offer_help(user, challenge: Challenge) -> bool:
    return (
        challenge.is_visible
        and challenge.status in (ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED)
        and offering_organisations(user).exists()
    )


def can_decide_offer(user, challenge: Challenge) -> bool:
    """Accept or decline offers: the author (or the mediator who posted), or the team."""
    return is_coordination(user) or is_challenge_manager(user, challenge)


def can_decide_offer_of(user, offer: ChallengeOffer) -> bool:
    """`who` of the offer workflow's accept and decline: whoever decides on its défi."""
    return can_decide_offer(user, offer.challenge)


def can_record_outcome(user, challenge: Challenge) -> bool:
    return can_decide_offer(user, challenge)


def can_close_challenge(user, challenge: Challenge) -> bool:
    return can_decide_offer(user, challenge)


def can_reopen_challenge(user, challenge: Challenge) -> bool:
    return is_coordination(user)


def can_withdraw_offer(user, offer: ChallengeOffer) -> bool:
    if offer.state != OfferState.PENDING or not _active(user):
        return False
    return (
        is_coordination(user)
        or offer.author_id == user.pk
        or OrganisationMembership.objects.filter(
            organisation_id=offer.organisation_id, user=user
        ).exists()
    )


# ---------------------------------------------------------------------------------------------
# Comments
# ---------------------------------------------------------------------------------------------


def comment_edit_deadline(comment: ChallengeComment):
    return comment.created_at + timedelta(minutes=COMMENT_EDIT_WINDOW_MINUTES)


def can_edit_comment(user, comment: ChallengeComment, *, now=None) -> bool:
    if not _active(user) or comment.author_id != user.pk or comment.hidden:
        return False
    return (now or timezone.now()) <= comment_edit_deadline(comment)


def can_view_comment(user, comment: ChallengeComment) -> bool:
    if not comment.hidden:
        return True
    return is_coordination(user)
