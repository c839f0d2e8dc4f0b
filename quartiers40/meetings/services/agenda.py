"""The call for pitches and the agenda."""

from datetime import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.challenges.models import Challenge
from quartiers40.core.emails import email_send
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.members.models import User
from quartiers40.projects.models import Project

from .. import permissions
from ..enums import PITCH_WORKFLOW, AgendaItemKind, EditionStatus, PitchStatus
from ..models import AgendaItem, Edition, PitchApplication
from ._shared import edition_lock, log


@bumps_cache_version("meetings")
@transaction.atomic
def pitch_apply(
    *,
    edition: Edition,
    actor: User,
    pitch: str,
    speaker_name: str,
    project: Project | None = None,
    challenge: Challenge | None = None,
) -> PitchApplication:
    if (project is None) == (challenge is None):
        raise ValidationError(_("Choisissez un projet ou un défi (un seul)."))
    if project is not None and not permissions.can_apply_with_project(actor, project):
        raise PermissionDenied
    if challenge is not None and not permissions.can_apply_with_challenge(actor, challenge):
        raise PermissionDenied
    edition_lock(edition)
    if not (edition.status == EditionStatus.PUBLISHED and edition.call_for_pitches_open):
        raise ValidationError(_("L'appel à présentations est fermé."), code="closed")
    existing = edition.pitches.exclude(status=PitchStatus.DECLINED)
    if (project and existing.filter(project=project).exists()) or (
        challenge and existing.filter(challenge=challenge).exists()
    ):
        raise ValidationError(_("Une proposition existe déjà pour cette rencontre."))
    application = PitchApplication(
        edition=edition,
        project=project,
        challenge=challenge,
        pitch=pitch,
        speaker_name=speaker_name,
        submitted_by=actor,
    )
    application.full_clean()
    application.save()
    log(application, action="pitch_submitted", actor=actor, to_status=application.status)
    return application


def _next_order(edition: Edition) -> int:
    return (edition.agenda_items.aggregate(top=Max("order"))["top"] or 0) + 1


@bumps_cache_version("meetings")
@transaction.atomic
def pitch_decide(*, pitch: PitchApplication, actor: User, accept: bool) -> PitchApplication:
    """Accept (the pitch becomes an agenda item at the end) or decline an application."""
    step = PITCH_WORKFLOW.check(pitch, "accept" if accept else "decline", actor=actor)
    PITCH_WORKFLOW.apply(pitch, step, actor=actor)
    pitch.decided_at = timezone.now()
    pitch.save(update_fields=["status", "decided_at", "updated_at"])
    edition = pitch.edition
    if accept:
        AgendaItem.objects.create(
            edition=edition,
            order=_next_order(edition),
            title=pitch.subject_title,
            speakers=pitch.speaker_name,
            kind=AgendaItemKind.PITCH,
            project=pitch.project,
            challenge=pitch.challenge,
            pitch=pitch,
        )
    if pitch.submitted_by is not None:
        email_send(
            to=pitch.submitted_by.email,
            subject=_("Votre proposition de présentation : %(title)s") % {"title": edition.title},
            template="meetings/emails/pitch_decided.txt",
            context={
                "pitch": pitch,
                "edition": edition,
                "link": absolute_url(reverse("meetings:edition_detail", args=[edition.slug])),
            },
        )
    return pitch


@bumps_cache_version("meetings")
@transaction.atomic
def agenda_item_save(
    *,
    edition: Edition,
    actor: User,
    title: str,
    item: AgendaItem | None = None,
    order: int | None = None,
    starts_at: time | None = None,
    duration_minutes: int = 10,
    speakers: str = "",
    kind: str = AgendaItemKind.TALK,
    project: Project | None = None,
    challenge: Challenge | None = None,
) -> AgendaItem:
    """Add an item (`item=None`; at the end unless `order` says where) or change one; every
    field is given, but `order=None` keeps an item's place."""
    if not permissions.can_edit_agenda(actor, edition):
        raise PermissionDenied
    if item is None:
        item = AgendaItem(edition=edition, order=order or _next_order(edition))
    elif item.edition_id != edition.pk:
        raise PermissionDenied
    elif order:
        item.order = order
    item.title = title
    item.starts_at = starts_at
    item.duration_minutes = duration_minutes
    item.speakers = speakers
    item.kind = kind
    item.project = project
    item.challenge = challenge
    item.full_clean()
    item.save()
    log(edition, action="agenda_item_saved", actor=actor, reason=item.title)
    return item


@bumps_cache_version("meetings")
@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor: User) -> None:
    if not permissions.can_edit_agenda(actor, item.edition):
        raise PermissionDenied
    edition = edition_lock(item.edition)
    log(edition, action="agenda_item_deleted", actor=actor, reason=item.title)
    item.delete()
    _renumber(list(edition.agenda_items.order_by("order", "starts_at", "pk")))


def _renumber(items: list[AgendaItem]) -> None:
    """Positions 1..n in the given order (what the pages and the API show)."""
    for position, other in enumerate(items, start=1):
        if other.order != position:
            other.order = position
            other.save(update_fields=["order"])


@bumps_cache_version("meetings")
@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: User, up: bool) -> None:
    """Swap with the neighbour above (or below); renumbers the agenda 1..n."""
    if not permissions.can_edit_agenda(actor, item.edition):
        raise PermissionDenied
    edition = edition_lock(item.edition)
    items = list(edition.agenda_items.order_by("order", "starts_at", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(items)
