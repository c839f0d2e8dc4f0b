"""Background work of the opportunities domain, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from .importers.api_refresh import opportunities_refresh


@task()
def opportunities_refresh_task() -> dict[str, int]:
    """Refresh the data·inclusion services around the QPVs; scheduled daily (cron enqueues it).

    Returns the counts (created, updated, unchanged, restored, withdrawn, errors).
    """
    return dict(opportunities_refresh().counts)
