"""Posting a défi, editing it, its attachments."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row, unique_slug
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record
from quartiers40.members.models import Organisation, User
from quartiers40.members.permissions import is_coordination
from quartiers40.plainlanguage.check import KIND_TEXT, is_easy_to_read
from quartiers40.territories.models import QPV

from .. import permissions
from ..enums import ModerationState
from ..models import (
    MAX_ATTACHMENTS_PER_CHALLENGE,
    Challenge,
    ChallengeAttachment,
    ChallengeStatusChange,
)
from ._common import _context, _email_each, _notify_new

# New accounts: their défis wait for the coordination team until one is approved.
NEW_ACCOUNT_DAYS = 7

# Slugs that would shadow a page of the défis (/defis/nouveau/).
RESERVED_SLUGS = {"nouveau", "moderation", "similaires", "carte", "export"}


def department_of(*, qpvs: Iterable[QPV] = (), commune_insee: str = "") -> str:
    """The département: of the first QPV, else of the commune's INSEE code."""
    for qpv in qpvs:
        if qpv.department_code:
            return qpv.department_code
    code = (commune_insee or "").strip().upper()
    if len(code) != 5:
        return ""
    return code[:3] if code.startswith("97") else code[:2]


def challenge_needs_moderation(user: User, *, now: datetime | None = None) -> bool:
    """A new account's défis wait for the team until one of them is approved.

    Trusted at once: the team, people of a member organisation, accounts older than
    NEW_ACCOUNT_DAYS, and whoever already has a visible défi.
    """
    if is_coordination(user):
        return False
    if permissions.offering_organisations(user).exists():
        return False
    now = now or timezone.now()
    if user.date_joined <= now - timedelta(days=NEW_ACCOUNT_DAYS):
        return False
    return not Challenge.objects.filter(author=user, moderation=ModerationState.VISIBLE).exists()


def _check_place(qpvs: list[QPV], commune_name: str) -> None:
    if not qpvs and not (commune_name or "").strip():
        raise ValidationError(
            {"qpvs": _("Indiquez au moins un quartier prioritaire ou une commune.")}
        )


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_post(
    *,
    actor: User,
    title: str,
    situation: str,
    affected: str = "",
    solved_when: str = "",
    themes: Iterable[str] = (),
    commune_insee: str = "",
    commune_name: str = "",
    qpvs: Iterable[QPV] = (),
    organisation: Organisation | None = None,
    on_behalf_of_resident: bool = False,
    resident_consent: bool = False,
    now: datetime | None = None,
) -> Challenge:
    """Post a défi. A new account's défi waits for moderation (`moderation == pending`)."""
    if not permissions.can_post_challenge(actor):
        raise PermissionDenied
    qpvs = list(qpvs)
    if (
        organisation is not None
        and not permissions.offering_organisations(actor).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied
    if on_behalf_of_resident:
        if not permissions.can_post_for_resident(actor):
            raise PermissionDenied
        if not resident_consent:
            raise ValidationError(
                {
                    "resident_consent": _(
                        "Cochez la case : l'habitant·e doit avoir donné son accord."
                    )
                }
            )
    now = now or timezone.now()
    challenge = Challenge(
        author=actor,
        organisation=organisation,
        title=title,
        situation=situation,
        affected=affected,
        solved_when=solved_when,
        themes=list(themes),
        commune_insee=commune_insee,
        commune_name=commune_name,
    )
    challenge.on_behalf_of_resident = bool(on_behalf_of_resident)
    challenge.resident_consent_at = now if on_behalf_of_resident else None
    challenge.slug = unique_slug(
        Challenge, challenge.title, fallback="defi", reserved=RESERVED_SLUGS
    )
    challenge.department = department_of(qpvs=qpvs, commune_insee=challenge.commune_insee)
    challenge.status_changed_at = now
    challenge.moderation = (
        ModerationState.PENDING
        if challenge_needs_moderation(actor, now=now)
        else ModerationState.VISIBLE
    )
    _check_place(qpvs, challenge.commune_name)
    challenge.full_clean()
    challenge.easy_to_read = is_easy_to_read(challenge.situation, kind=KIND_TEXT)
    challenge.save()
    challenge.qpvs.set(qpvs)
    ChallengeStatusChange.objects.create(
        challenge=challenge, from_status="", to_status=challenge.status, actor=actor
    )
    action_log_record(
        target=challenge,
        action="challenge_posted",
        actor=actor,
        to_status=challenge.status,
        reason="on_behalf_of_resident" if on_behalf_of_resident else "",
    )
    if challenge.moderation == ModerationState.VISIBLE:
        _notify_new(challenge)
    if challenge.moderation == ModerationState.PENDING:
        _email_each(
            User.objects.coordination(),
            subject=_("Défi à modérer : %(title)s") % {"title": challenge.title},
            template="challenges/emails/to_moderate.txt",
            **_context(challenge),
        )
    return challenge


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_update(
    *,
    challenge: Challenge,
    actor: User,
    title: str | None = None,
    situation: str | None = None,
    affected: str | None = None,
    solved_when: str | None = None,
    themes: Iterable[str] | None = None,
    commune_insee: str | None = None,
    commune_name: str | None = None,
    qpvs: Iterable[QPV] | None = None,
) -> list[str]:
    """Change a défi's text or place (None: left as it is); returns the names of the fields
    that changed. The caller's `challenge` holds the new values."""
    if not permissions.can_edit_challenge(actor, challenge):
        raise PermissionDenied
    lock_row(challenge)
    fields: dict[str, Any] = {
        "title": title,
        "situation": situation,
        "affected": affected,
        "solved_when": solved_when,
        "themes": list(themes) if themes is not None else None,
        "commune_insee": commune_insee,
        "commune_name": commune_name,
    }
    changed = [
        name
        for name, value in fields.items()
        if value is not None and getattr(challenge, name) != value
    ]
    current_qpvs = list(challenge.qpvs.all())
    new_qpvs = list(qpvs) if qpvs is not None else None
    if new_qpvs is not None and {q.pk for q in new_qpvs} != {q.pk for q in current_qpvs}:
        changed.append("qpvs")
    place_qpvs = new_qpvs if new_qpvs is not None else current_qpvs
    commune_name_after = commune_name if commune_name is not None else challenge.commune_name
    _check_place(place_qpvs, commune_name_after)
    if not changed:
        return []
    for name in changed:
        if name != "qpvs":
            setattr(challenge, name, fields[name])
    challenge.department = department_of(qpvs=place_qpvs, commune_insee=challenge.commune_insee)
    try:
        challenge.full_clean()
    except ValidationError:
        challenge.refresh_from_db()  # the caller's object keeps what is stored
        raise
    challenge.easy_to_read = is_easy_to_read(challenge.situation, kind=KIND_TEXT)
    challenge.save()
    if "qpvs" in changed:
        challenge.qpvs.set(place_qpvs)
    action_log_record(
        target=challenge, action="challenge_updated", actor=actor, reason=", ".join(changed)
    )
    return changed


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_attachment_add(
    *, challenge: Challenge, actor: User, file: File, title: str
) -> ChallengeAttachment:
    if not permissions.can_edit_challenge(actor, challenge):
        raise PermissionDenied
    lock_row(challenge)
    if challenge.attachments.count() >= MAX_ATTACHMENTS_PER_CHALLENGE:
        raise ValidationError(
            _("Un défi a %(count)s pièces jointes au plus.")
            % {"count": MAX_ATTACHMENTS_PER_CHALLENGE}
        )
    attachment = ChallengeAttachment(challenge=challenge, file=file, title=title)
    attachment.full_clean()
    attachment.save()
    return attachment


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_attachment_remove(*, attachment: ChallengeAttachment, actor: User) -> None:
    if not permissions.can_edit_challenge(actor, attachment.challenge):
        raise PermissionDenied
    attachment.file.delete(save=False)
    attachment.delete()
