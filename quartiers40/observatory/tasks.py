"""The figures follow the writes: a change of public content (a topic bumped by a service,
core/pagecache.py) queues one recomputation, debounced so that a burst of writes makes one
refresh; it runs nightly too (`manage.py observatory_refresh`)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

logger = logging.getLogger(__name__)

# The topics whose writes change a figure (the observatory's own topic is not one of them:
# its refresh bumps it, and must not queue itself again).
FIGURE_TOPICS = frozenset(
    {"members", "territories", "projects", "challenges", "meetings", "opportunities", "matches"}
)
PENDING_KEY = "observatory:refresh-pending"
# A burst of writes within this many seconds makes one refresh.
PENDING_SECONDS = 60


@task()
def observatory_refresh_task() -> dict:
    from .services import observatory_recompute

    cache.delete(PENDING_KEY)  # a write made while this runs queues another refresh
    report = observatory_recompute()
    return {"rows": report.rows, "seconds": round(report.seconds, 3)}


def observatory_refresh_queue(topics: tuple[str, ...]) -> None:
    """Listener of core.pagecache: queue one refresh unless one is already waiting."""
    if not FIGURE_TOPICS & set(topics):
        return
    if not getattr(settings, "OBSERVATORY_FOLLOWS_WRITES", True):
        return
    if not cache.add(PENDING_KEY, 1, PENDING_SECONDS):
        return
    backend = getattr(settings, "OBSERVATORY_TASK_BACKEND", "") or getattr(
        settings, "SEARCH_TASK_BACKEND", "default"
    )
    try:
        observatory_refresh_task.using(backend=backend).enqueue()
    except Exception:
        cache.delete(PENDING_KEY)
        logger.exception("observatory: could not queue the refresh")
