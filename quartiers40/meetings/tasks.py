"""Background work of the meetings domain, run by the task worker (`manage.py db_worker`).

The reminders (day before, overdue action items) live in `reminders.py`.
"""

from django.utils import timezone
from django_tasks import task

from .services import registration_offers_expire


@task()
def registration_offers_expire_task() -> int:
    """Expire the seat offers whose deadline passed and offer the seats to the next people.

    Scheduled every 15 minutes (cron enqueues it).
    """
    return registration_offers_expire(now=timezone.now())
