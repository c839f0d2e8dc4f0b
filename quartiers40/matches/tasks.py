"""What came of the suggestions follows the writes: a change of public content (a topic
bumped by a service, core/pagecache.py) queues one linking run; it runs nightly too
(`manage.py matches_outcomes_link`, or `matches_outcomes_link_task` from the worker)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# The topics whose writes may be an outcome: an offer, an interest, a registration, a project.
OUTCOME_TOPICS = frozenset({"challenges", "opportunities", "meetings", "projects"})
PENDING_KEY = "matches:link-pending"
PENDING_SECONDS = 30
# After a write, only the recent matches are read again; the nightly run reads them all.
RECENT_DAYS = 180


@task()
def matches_outcomes_link_task(*, recent_days: int | None = RECENT_DAYS) -> dict:
    from .services import match_outcomes_link

    cache.delete(PENDING_KEY)  # a write made while this runs queues another run
    since = timezone.now() - timedelta(days=recent_days) if recent_days else None
    report = match_outcomes_link(since=since)
    return {"examined": report.examined, "linked": report.linked}


def matches_link_queue(topics: tuple[str, ...]) -> None:
    """Listener of core.pagecache: queue one linking run unless one is already waiting."""
    if not OUTCOME_TOPICS & set(topics):
        return
    if not cache.add(PENDING_KEY, 1, PENDING_SECONDS):
        return
    backend = getattr(settings, "MATCHES_TASK_BACKEND", "") or getattr(
        settings, "SEARCH_TASK_BACKEND", "default"
    )
    try:
        matches_outcomes_link_task.using(backend=backend).enqueue()
    except Exception:
        cache.delete(PENDING_KEY)
        logger.exception("matches: could not queue the outcome linking")
