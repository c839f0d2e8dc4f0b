"""Editions: created in a series, changed, published, cancelled (everyone registered told)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.members.models import User
from quartiers40.notifications.services import notification_record

from .. import permissions
from ..enums import (
    EDITION_WORKFLOW,
    EditionFormat,
    EditionStatus,
    RegistrationStatus,
    SeriesStatus,
)
from ..models import Edition, Series
from ._shared import edition_lock, log, meetings_slug
from .registrations import offer_free_seats

EDITION_EDITABLE_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "format",
    "address",
    "accessibility_info",
    "online_url",
    "onsite_capacity",
    "online_capacity",
    "registration_open",
    "call_for_pitches_open",
)

# What the registered hear of when it changes (notifications' "meeting_change").
CHANGES_PEOPLE_HEAR_OF = {"starts_at", "ends_at", "format", "address", "online_url"}
REGISTERED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
    RegistrationStatus.PENDING_CONFIRMATION,
)


@bumps_cache_version("meetings")
@transaction.atomic
def edition_create(
    *,
    series: Series,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    format: str = EditionFormat.ON_SITE,
    address: str = "",
    accessibility_info: str = "",
    online_url: str = "",
    onsite_capacity: int | None = None,
    online_capacity: int | None = None,
    registration_open: bool = True,
    call_for_pitches_open: bool = False,
    organisers: Iterable[User] = (),
) -> Edition:
    """A draft edition of the series; its creator becomes one of its organisers."""
    if not permissions.can_manage_series(actor, series):
        raise PermissionDenied
    edition = Edition(
        series=series,
        created_by=actor,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        description=description,
        format=format,
        address=address,
        accessibility_info=accessibility_info,
        online_url=online_url,
        onsite_capacity=onsite_capacity,
        online_capacity=online_capacity,
        registration_open=registration_open,
        call_for_pitches_open=call_for_pitches_open,
    )
    edition.slug = meetings_slug(Edition, edition.title, fallback="edition")
    edition.full_clean()
    edition.save()
    edition.organisers.set({actor, *organisers})
    log(edition, action="edition_created", actor=actor, to_status=edition.status)
    return edition


@bumps_cache_version("meetings")
@transaction.atomic
def edition_update(
    *, edition: Edition, actor: User, organisers: Iterable[User] | None = None, **fields: Any
) -> Edition:
    """Change the fields given (a partial update); more seats promote waiting people at once."""
    if not permissions.can_organise(actor, edition):
        raise PermissionDenied
    for name in fields:
        if name not in EDITION_EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
    edition_lock(edition)
    changed = [name for name, value in fields.items() if getattr(edition, name) != value]
    for name, value in fields.items():
        setattr(edition, name, value)
    edition.full_clean()
    edition.save()
    if organisers is not None:
        edition.organisers.set(organisers)
    log(edition, action="edition_updated", actor=actor, reason=", ".join(fields))
    if edition.status == EditionStatus.PUBLISHED and set(changed) & CHANGES_PEOPLE_HEAR_OF:
        # The registered and the edition's followers hear of a new date, place or format.
        notification_record(
            kind="meeting_change",
            item=edition,
            title=edition.title,
            path=reverse("meetings:edition_detail", kwargs={"slug": edition.slug}),
            recipients=edition.registrations.filter(
                user__isnull=False, status__in=REGISTERED
            ).values_list("user_id", flat=True),
        )
    now = timezone.now()
    for attendance in edition.attendance_modes():
        offer_free_seats(edition, attendance, now=now)
    return edition


@bumps_cache_version("meetings")
@transaction.atomic
def edition_publish(*, edition: Edition, actor: User) -> Edition:
    edition_lock(edition)
    step = EDITION_WORKFLOW.check(edition, "publish", actor=actor, locked=True)
    if edition.series.status != SeriesStatus.APPROVED:
        raise ValidationError(_("La série doit d'abord être validée par la coordination."))
    if edition.format in (EditionFormat.ONLINE, EditionFormat.HYBRID) and not edition.online_url:
        raise ValidationError(
            _(
                "Indiquez le lien de connexion avant de publier : les personnes inscrites en "
                "ligne le recevront."
            ),
            code="online_link_missing",
        )
    EDITION_WORKFLOW.apply(edition, step, actor=actor)
    first_time = edition.published_at is None
    edition.published_at = timezone.now()
    edition.save(update_fields=["status", "published_at", "updated_at"])
    if first_time:  # followers of its series and of the series' organisation hear of it
        notification_record(
            kind="meeting_new",
            item=edition,
            title=edition.title,
            path=reverse("meetings:edition_detail", kwargs={"slug": edition.slug}),
            audience=[edition.series, *filter(None, [edition.series.organisation])],
        )
    return edition


@bumps_cache_version("meetings")
@transaction.atomic
def edition_cancel(*, edition: Edition, actor: User, reason: str) -> Edition:
    """Cancel an edition; everyone registered (waiting list included) is told by e-mail.

    The e-mails are one task, queued after commit, that writes to each person in the
    worker (`tasks.edition_cancelled_notify`): the request takes as long for 200 people
    as for 2.
    """
    if not permissions.can_organise(actor, edition):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez pourquoi la rencontre est annulée.")})
    edition_lock(edition)
    step = EDITION_WORKFLOW.check(edition, "cancel", actor=actor, locked=True)
    EDITION_WORKFLOW.apply(edition, step, actor=actor, reason=reason)
    edition.cancelled_at = timezone.now()
    edition.cancellation_reason = reason
    edition.registration_open = False
    edition.save()
    edition_id = edition.pk
    transaction.on_commit(lambda: _enqueue_cancellation_emails(edition_id))
    return edition


def _enqueue_cancellation_emails(edition_id: int) -> None:
    from quartiers40.core.tasks import task_enqueue

    from ..tasks import edition_cancelled_notify

    task_enqueue(edition_cancelled_notify, edition_id=edition_id)
