"""Reminders of the meetings domain: the day before an edition, and overdue action items.

Both take `now` so tests drive the clock, both are idempotent (run them as often as you
like): a registration is reminded once (`Registration.reminder_sent_at`), an overdue
action item at most once a week (`ActionItem.last_reminded_at`). They run daily from cron
(`manage.py meetings_reminders`, or `--enqueue` for the task worker).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from quartiers40.core.db import lock_row
from quartiers40.core.emails import email_each, email_send
from quartiers40.core.links import absolute_url
from quartiers40.core.services import action_log_record

from . import ics, selectors, services
from .enums import EditionStatus, RegistrationStatus, SeriesStatus
from .models import ActionItem, Registration

ACTION_REMINDER_INTERVAL = timedelta(days=7)


def _end_of_tomorrow(now: datetime) -> datetime:
    local = timezone.localtime(now)
    day_after = (local + timedelta(days=2)).date()
    return timezone.make_aware(datetime(day_after.year, day_after.month, day_after.day))


def registrations_to_remind(*, now: datetime):
    """Confirmed registrations to an edition starting before tomorrow ends, not yet reminded.

    Run daily, this reminds the day before; a registration made on the eve, or a missed run,
    is still reminded before the meeting starts.
    """
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        edition__status=EditionStatus.PUBLISHED,
        edition__series__status=SeriesStatus.APPROVED,
        edition__starts_at__gt=now,
        edition__starts_at__lt=_end_of_tomorrow(now),
    )


def _send_edition_reminder(registration: Registration, *, now: datetime) -> None:
    edition = registration.edition
    # Usually the day before; the same day for a registration made on the day itself.
    is_today = timezone.localdate(edition.starts_at) == timezone.localdate(now)
    context = {
        "registration": registration,
        "edition": edition,
        "is_today": is_today,
        "online_url": edition.online_url
        if registration.attendance == "online" and registration.status == "confirmed"
        else "",
        "ics_url": ics.edition_ics_url(edition),
        **services.registration_links(registration),
    }
    email_send(
        to=registration.contact_email,
        subject=(
            _("Rappel : %(title)s, aujourd'hui") if is_today else _("Rappel : %(title)s, demain")
        )
        % {"title": edition.title},
        template="meetings/emails/reminder_edition.txt",
        context=context,
    )


def edition_reminders_send(*, now: datetime) -> int:
    """Send the day-before reminder to each confirmed registrant, once.

    Each registration in its own transaction, locked: two workers never send it twice,
    and one failure does not resend the others.
    """
    sent = 0
    candidates = list(registrations_to_remind(now=now).values_list("pk", flat=True))
    for registration_id in candidates:
        with transaction.atomic():
            registration = registrations_to_remind(now=now).filter(pk=registration_id).first()
            if registration is None:
                continue
            lock_row(registration, related=("edition", "edition__series", "user"))
            if registration.reminder_sent_at is not None or not registration.contact_email:
                continue  # reminded by another worker meanwhile, or no address
            registration.reminder_sent_at = now
            registration.save(update_fields=["reminder_sent_at"])
            _send_edition_reminder(registration, now=now)
            sent += 1
    return sent


def action_items_to_remind(*, now: datetime):
    """Overdue items (past due, still open or in progress) not reminded in the last week."""
    return ActionItem.objects.overdue(timezone.localdate(now)).exclude(
        last_reminded_at__gt=now - ACTION_REMINDER_INTERVAL
    )


def action_item_reminders_send(*, now: datetime) -> int:
    """Remind the owners of each overdue action item, at most once a week per item."""
    sent = 0
    for item_id in list(action_items_to_remind(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            item = action_items_to_remind(now=now).filter(pk=item_id).first()
            if item is None:
                continue
            lock_row(item, related=("edition", "owner_user", "owner_organisation"))
            if item.last_reminded_at and item.last_reminded_at > now - ACTION_REMINDER_INTERVAL:
                continue  # reminded by another worker meanwhile
            owners = selectors.action_item_owner_emails(item)
            item.last_reminded_at = now
            item.save(update_fields=["last_reminded_at"])
            action_log_record(target=item, action="action_item_overdue_reminded")
            if not owners:
                continue
            context = {
                "item": item,
                "edition": item.edition,
                "link": absolute_url(reverse("meetings:action_update", args=[item.pk])),
                "days_late": (timezone.localdate(now) - item.due_date).days,
            }
            email_each(
                to=owners,
                subject=_("Action en retard : %(title)s") % {"title": item.title},
                template="meetings/emails/reminder_action_overdue.txt",
                context=context,
            )
            sent += 1
    return sent


def reminders_send(*, now: datetime) -> dict[str, int]:
    return {
        "editions": edition_reminders_send(now=now),
        "action_items": action_item_reminders_send(now=now),
    }


@task()
def meetings_reminders_task() -> dict[str, int]:
    """The daily reminders; cron enqueues it (`manage.py meetings_reminders --enqueue`)."""
    return reminders_send(now=timezone.now())
