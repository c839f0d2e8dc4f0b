"""Taking part in a défi: « je soutiens », comments and replies, and hiding a comment."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record
from quartiers40.members.models import User
from quartiers40.notifications.services import notification_record

from .. import permissions
from ..models import Challenge, ChallengeComment, ChallengeReport, ChallengeSupport


def _tell_owners(challenge: Challenge, *, people: list, actor: User) -> None:
    """The author of the défi (and of the comment answered) hear of a support or a comment
    in their notifications ("la vie de mes contenus"), not the person who acted."""
    recipients = {pk for pk in people if pk} - {actor.pk}
    if recipients:
        notification_record(
            kind="own_item", item=challenge, title=challenge.title, recipients=recipients
        )


# --- Support ------------------------------------------------------------------------------


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_support(*, challenge: Challenge, user: User) -> bool:
    """« Je soutiens »: True if counted now, False if the person already supported it.

    The challenge row is locked, the unique constraint has the last word, and the count moves
    with the row, so concurrent clicks neither fail nor count twice.
    """
    if not permissions.can_support_challenge(user, challenge):
        raise PermissionDenied
    lock_row(challenge)
    if challenge.supports.filter(user=user).exists():
        return False
    try:
        with transaction.atomic():
            ChallengeSupport.objects.create(challenge=challenge, user=user)
    except IntegrityError:
        return False
    Challenge.objects.filter(pk=challenge.pk).update(supports_count=F("supports_count") + 1)
    challenge.supports_count += 1
    _tell_owners(challenge, people=[challenge.author_id], actor=user)
    return True


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_unsupport(*, challenge: Challenge, user: User) -> bool:
    if not user.is_authenticated:
        raise PermissionDenied
    lock_row(challenge)
    deleted, _detail = ChallengeSupport.objects.filter(challenge=challenge, user=user).delete()
    if deleted:
        Challenge.objects.filter(pk=challenge.pk).update(
            supports_count=F("supports_count") - deleted
        )
        challenge.supports_count -= deleted
    return bool(deleted)


def _recount_supports(challenge: Challenge) -> int:
    count = ChallengeSupport.objects.filter(challenge=challenge).count()
    Challenge.objects.filter(pk=challenge.pk).update(supports_count=count)
    challenge.supports_count = count
    return count


# --- Comments -----------------------------------------------------------------------------


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_comment_add(
    *,
    challenge: Challenge,
    author: User,
    body: str,
    parent: ChallengeComment | None = None,
) -> ChallengeComment:
    """A comment, or a reply to a top-level comment (one level of replies)."""
    if not permissions.can_comment_challenge(author, challenge):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez votre commentaire.")})
    comment = ChallengeComment(challenge=challenge, author=author, parent=parent, body=body)
    if parent is not None and parent.hidden:
        raise ValidationError({"parent": _("Ce commentaire a été masqué.")})
    comment.full_clean()
    comment.save()
    action_log_record(target=comment, action="challenge_comment_added", actor=author)
    _tell_owners(challenge, people=[challenge.author_id, parent and parent.author_id], actor=author)
    return comment


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_comment_edit(
    *, comment: ChallengeComment, actor: User, body: str, now: datetime | None = None
) -> ChallengeComment:
    now = now or timezone.now()
    if not permissions.can_edit_comment(actor, comment, now=now):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez votre commentaire.")})
    comment.body = body
    comment.edited_at = now
    comment.full_clean()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_comment_hide(
    *, comment: ChallengeComment, actor: User, reason: str
) -> ChallengeComment:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif.")})
    comment.hidden = True
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden", "hidden_reason"])
    action_log_record(target=comment, action="challenge_comment_hidden", actor=actor, reason=reason)
    ChallengeReport.objects.filter(comment=comment, resolved=False).update(
        resolved=True, resolved_at=timezone.now(), resolved_by=actor
    )
    return comment


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_comment_unhide(*, comment: ChallengeComment, actor: User) -> ChallengeComment:
    if not permissions.can_moderate(actor):
        raise PermissionDenied
    comment.hidden = False
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden", "hidden_reason"])
    action_log_record(target=comment, action="challenge_comment_unhidden", actor=actor)
    return comment
