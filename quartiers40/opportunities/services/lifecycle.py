"""The platform's own steps: expiry when an opportunity is over, freshness reminders."""

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record

if TYPE_CHECKING:  # the geocoder (httpx) is imported only where an address is geocoded
    pass

from ..enums import OPPORTUNITY_WORKFLOW
from ..models import (
    OWN_SOURCE,
    Opportunity,
)
from ._common import (
    FRESHNESS_DAYS,
    _email_provider,
)

# --- The platform's own steps --------------------------------------------------------


def opportunity_is_over(opportunity: Opportunity, *, today: date) -> bool:
    """Its deadline has passed, or its last session (or its end date) has."""
    if opportunity.deadline and opportunity.deadline < today:
        return True
    if opportunity.pk:
        last = max(
            (session.ends_on or session.starts_on for session in opportunity.sessions.all()),
            default=None,
        )
        if last is not None and last < today:
            return True
    return bool(opportunity.ends_on and opportunity.ends_on < today)


def opportunities_over(*, today: date):
    """Published items whose deadline, end date or last session has passed (one query)."""
    from django.db.models import Max
    from django.db.models.functions import Coalesce

    return (
        Opportunity.objects.published()
        .annotate(last_session=Max(Coalesce("sessions__ends_on", "sessions__starts_on")))
        .filter(Q(deadline__lt=today) | Q(ends_on__lt=today) | Q(last_session__lt=today))
    )


@bumps_cache_version("opportunities")
def opportunities_expire(*, now: datetime | None = None) -> int:
    """Expire every published item that is over; each in its own transaction."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired = 0
    for pk in list(opportunities_over(today=today).values_list("pk", flat=True)):
        with transaction.atomic():
            opportunity = Opportunity.objects.filter(pk=pk).first()
            if opportunity is None:
                continue
            step = OPPORTUNITY_WORKFLOW.check(opportunity, "expire", actor=None)
            if not opportunity_is_over(opportunity, today=today):
                continue  # its dates changed meanwhile
            OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=None)
            opportunity.expired_at = now
            opportunity.save(update_fields=["status", "expired_at"])
            expired += 1
    return expired


def opportunities_stale(*, now: datetime):
    """Our own published items not updated for FRESHNESS_DAYS and not reminded since."""
    limit = now - timedelta(days=FRESHNESS_DAYS)
    return Opportunity.objects.published().filter(
        source=OWN_SOURCE, last_updated_at__lt=limit, freshness_reminded_at__isnull=True
    )


def opportunity_freshness_remind(*, now: datetime) -> int:
    """Ask each stale item's provider whether it still holds, once until it is updated."""
    sent = 0
    for pk in list(opportunities_stale(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            opportunity = opportunities_stale(now=now).select_for_update().filter(pk=pk).first()
            if opportunity is None:
                continue
            opportunity.freshness_reminded_at = now
            opportunity.save(update_fields=["freshness_reminded_at"])
            action_log_record(target=opportunity, action="opportunity_freshness_reminded")
            _email_provider(
                opportunity,
                subject=_("Votre opportunité est-elle toujours d'actualité ? %(title)s")
                % {"title": opportunity.title},
                template="opportunities/emails/freshness_reminder.txt",
                months=FRESHNESS_DAYS // 30,
            )
            sent += 1
    return sent
