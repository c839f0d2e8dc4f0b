"""Series: a national one (coordination) or a local one (proposed, then approved)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.emails import email_each, email_send
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.members.models import Organisation, User

from .. import permissions
from ..enums import SERIES_WORKFLOW, SeriesKind, SeriesStatus
from ..models import Series
from ._shared import log, meetings_slug


@bumps_cache_version("meetings")
@transaction.atomic
def series_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    organisation: Organisation | None = None,
    kind: str = SeriesKind.LOCAL,
) -> Series:
    """A national series (coordination; approved at once) or a local one (pending)."""
    if kind == SeriesKind.NATIONAL:
        if not permissions.can_create_national_series(actor):
            raise PermissionDenied
        status = SeriesStatus.APPROVED
    else:
        if organisation is None:
            raise ValidationError({"organisation": _("Choisissez l'organisation organisatrice.")})
        if not permissions.can_create_local_series(actor, organisation):
            raise PermissionDenied
        status = SeriesStatus.PENDING
    series = Series(
        name=name,
        description=description,
        kind=kind,
        organisation=organisation,
        status=status,
        created_by=actor,
    )
    series.slug = meetings_slug(Series, name, fallback="serie")
    series.full_clean()
    series.save()
    log(series, action="series_created", actor=actor, to_status=status)
    if status == SeriesStatus.PENDING:
        email_each(
            to=User.objects.coordination().values_list("email", flat=True),
            subject=_("Série de rencontres à valider : %(name)s") % {"name": name},
            template="meetings/emails/series_submitted.txt",
            context={"series": series, "link": absolute_url(reverse("meetings:series_queue"))},
        )
    return series


def _decide_series(*, series: Series, actor: User, transition: str, reason: str) -> Series:
    step = SERIES_WORKFLOW.check(series, transition, actor=actor)
    SERIES_WORKFLOW.apply(series, step, actor=actor, reason=reason)
    series.decision_reason = reason
    series.decided_by = actor
    series.decided_at = timezone.now()
    series.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    if series.created_by_id and series.created_by is not None:
        email_send(
            to=series.created_by.email,
            subject=_("Votre série de rencontres : %(name)s") % {"name": series.name},
            template="meetings/emails/series_decided.txt",
            context={
                "series": series,
                "link": absolute_url(reverse("meetings:series_detail", args=[series.slug])),
            },
        )
    return series


@bumps_cache_version("meetings")
@transaction.atomic
def series_approve(*, series: Series, actor: User) -> Series:
    return _decide_series(series=series, actor=actor, transition="approve", reason="")


@bumps_cache_version("meetings")
@transaction.atomic
def series_refuse(*, series: Series, actor: User, reason: str) -> Series:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez la raison du refus.")})
    return _decide_series(series=series, actor=actor, transition="refuse", reason=reason)
