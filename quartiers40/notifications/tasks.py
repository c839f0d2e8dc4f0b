"""The notifications' background tasks (django-tasks, on the e-mail backend)."""

from django_tasks import task

from . import digests


@task()
def event_send_immediate(*, event_id: int) -> int:
    """After an event's commit: one message each to those who want its category at once."""
    return digests.event_send_immediate(event_id)


@task()
def digest_send(*, frequency: str) -> int:
    """Every digest of a frequency (the cron runs `manage.py notifications_digest`)."""
    return digests.digest_run(frequency=frequency).messages
