"""The coordination team's side: approving, hiding, reports, merging duplicates.

Approve, hide and unhide are the moderation workflow (`enums.MODERATION_WORKFLOW`): each one
checks the moderation state while holding the défi's row lock, so an approval racing a
hide sees what the other one wrote.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record
from quartiers40.core.workflows import Transition
from quartiers40.members.models import User

from .. import permissions
from ..enums import MODERATION_WORKFLOW, ModerationState, ReportTarget
from ..models import (
    Challenge,
    ChallengeComment,
    ChallengeOffer,
    ChallengeReport,
    ChallengeSupport,
)
from ._common import _context, _email_author, _email_each, _notify_new
from .participation import _recount_supports


def _moderate(challenge: Challenge, step: Transition, *, actor: User, reason: str = "") -> None:
    MODERATION_WORKFLOW.apply(challenge, step, actor=actor, reason=reason)
    challenge.hidden_reason = reason if step.name == "hide" else ""
    challenge.save(update_fields=["moderation", "hidden_reason", "updated_at"])


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_approve(*, challenge: Challenge, actor: User) -> Challenge:
    """A défi waiting for moderation becomes visible."""
    step = MODERATION_WORKFLOW.check(challenge, "approve", actor=actor)
    first_time = challenge.moderation == ModerationState.PENDING
    _moderate(challenge, step, actor=actor)
    if first_time:
        _notify_new(challenge)
    _email_author(
        challenge,
        subject=_("Votre défi est en ligne : %(title)s") % {"title": challenge.title},
        template="challenges/emails/approved.txt",
        **_context(challenge),
    )
    return challenge


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_hide(*, challenge: Challenge, actor: User, reason: str) -> Challenge:
    """Hide a pending or visible défi, with the reason the author reads."""
    step = MODERATION_WORKFLOW.check(challenge, "hide", actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif.")})
    _moderate(challenge, step, actor=actor, reason=reason)
    ChallengeReport.objects.filter(
        challenge=challenge, target=ReportTarget.CHALLENGE, resolved=False
    ).update(resolved=True, resolved_at=timezone.now(), resolved_by=actor)
    _email_author(
        challenge,
        subject=_("Votre défi a été masqué : %(title)s") % {"title": challenge.title},
        template="challenges/emails/hidden.txt",
        reason=reason,
        **_context(challenge),
    )
    return challenge


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_unhide(*, challenge: Challenge, actor: User) -> Challenge:
    step = MODERATION_WORKFLOW.check(challenge, "unhide", actor=actor)
    _moderate(challenge, step, actor=actor)
    return challenge


# --- Reports ------------------------------------------------------------------------------


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_report(
    *,
    challenge: Challenge,
    reporter: User,
    reason: str,
    comment: ChallengeComment | None = None,
) -> ChallengeReport:
    """Report abuse on a défi or one of its comments, for the coordination team."""
    if not permissions.can_report(reporter):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Dites-nous ce qui pose problème.")})
    if comment is not None and comment.challenge_id != challenge.pk:
        raise ValidationError(_("Ce commentaire est sur un autre défi."))
    report = ChallengeReport(
        challenge=challenge,
        comment=comment,
        target=ReportTarget.COMMENT if comment is not None else ReportTarget.CHALLENGE,
        reporter=reporter,
        reason=reason,
    )
    report.full_clean()
    report.save()
    action_log_record(target=challenge, action="challenge_reported", actor=reporter)
    _email_each(
        User.objects.coordination(),
        subject=_("Signalement sur un défi : %(title)s") % {"title": challenge.title},
        template="challenges/emails/reported.txt",
        **_context(challenge),
    )
    return report


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_report_resolve(*, report: ChallengeReport, actor: User) -> ChallengeReport:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    report.resolved = True
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.save(update_fields=["resolved", "resolved_at", "resolved_by"])
    return report


# --- Merging duplicates -------------------------------------------------------------------


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_merge(*, keep: Challenge, duplicate: Challenge, actor: User) -> Challenge:
    """Merge `duplicate` into `keep`: its supports (each person once), comments, offers and
    reports move to `keep`; `duplicate` becomes a redirect to it."""
    if not permissions.can_merge_challenges(actor):
        raise PermissionDenied
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choisissez deux défis différents."))
    # Lock both rows in a fixed order (no deadlock with a concurrent merge).
    for challenge in sorted((keep, duplicate), key=lambda item: item.pk):
        lock_row(challenge)
    if keep.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise ValidationError(_("Un de ces défis a déjà été fusionné."))
    already = ChallengeSupport.objects.filter(challenge=keep).values("user_id")
    ChallengeSupport.objects.filter(challenge=duplicate, user_id__in=already).delete()
    ChallengeSupport.objects.filter(challenge=duplicate).update(challenge=keep)
    ChallengeComment.objects.filter(challenge=duplicate).update(challenge=keep)
    ChallengeOffer.objects.filter(challenge=duplicate).update(challenge=keep)
    ChallengeReport.objects.filter(challenge=duplicate).update(challenge=keep)
    Challenge.objects.filter(merged_into=duplicate).update(merged_into=keep)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    _recount_supports(keep)
    _recount_supports(duplicate)
    action_log_record(
        target=duplicate, action="challenge_merged", actor=actor, reason=f"into {keep.pk}"
    )
    action_log_record(
        target=keep, action="challenge_merge_kept", actor=actor, reason=f"from {duplicate.pk}"
    )
    return keep
