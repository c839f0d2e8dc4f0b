"""The opportunities' lifecycle in the background (run by `manage.py db_worker`).

Scheduled like the projects' freshness reminder: cron runs the commands daily
(`manage.py opportunities_expire`, `manage.py opportunities_freshness`), directly or with
`--enqueue` to hand the work to the task worker.
"""

from django.utils import timezone
from django_tasks import task

from .services import opportunities_expire, opportunity_freshness_remind


@task()
def opportunities_expire_task() -> int:
    """Expire the published items whose deadline or last session has passed."""
    return opportunities_expire(now=timezone.now())


@task()
def opportunities_freshness_remind_task() -> int:
    """Ask the providers of items not updated for six months whether they still hold."""
    return opportunity_freshness_remind(now=timezone.now())
