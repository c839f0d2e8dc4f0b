"""Background work of the projects domain, run by the task worker (`manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from .services import project_freshness_remind


@task()
def projects_freshness_remind_task() -> int:
    """Remind the owners of stale projects; scheduled daily (cron enqueues it)."""
    return project_freshness_remind(now=timezone.now())
