"""Background work of the meetings domain, run by the task worker (`manage.py db_worker`).

The reminders (day before, overdue action items) live in `reminders.py`.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .enums import ACTIVE_REGISTRATION_STATUSES
from .models import Edition
from .services import registration_offers_expire
from .services._shared import registration_email


@task()
def registration_offers_expire_task() -> int:
    """Expire the seat offers whose deadline passed and offer the seats to the next people.

    Scheduled every 15 minutes (cron enqueues it).
    """
    return registration_offers_expire(now=timezone.now())


@task()
def edition_cancelled_notify(*, edition_id: int) -> int:
    """Tell everyone registered to a cancelled edition (waiting list included), each with
    their own links: one e-mail queued per person (`core.emails.email_send`).

    `edition_cancel` queues this one task after commit, so the request does not grow with
    the number of people. Returns how many e-mails are queued.
    """
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return 0
    registrations = edition.registrations.filter(
        status__in=ACTIVE_REGISTRATION_STATUSES
    ).select_related("user", "edition")
    sent = 0
    for registration in registrations.order_by("pk"):
        registration_email(
            registration,
            subject=_("Rencontre annulée : %(title)s"),
            template="meetings/emails/edition_cancelled.txt",
            reason=edition.cancellation_reason,
        )
        sent += 1
    return sent
