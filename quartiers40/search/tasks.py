"""The index follows every write within seconds: a change of public content (a topic
bumped by a service, core/pagecache.py) queues a sync of the kinds it may touch."""

import logging

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

from .sources import kind_sources_for_topics

logger = logging.getLogger(__name__)

PENDING_KEY = "search:sync-pending:"
PENDING_SECONDS = 30


@task()
def search_sync(*, kinds: list[str]) -> dict:
    """Bring these kinds of documents in line with the site (queued after writes)."""
    from .services import search_index_sync

    # Forgotten before reading, so that a write made while this runs queues another sync.
    cache.delete_many([PENDING_KEY + kind for kind in kinds])
    report = search_index_sync(kinds=kinds)
    return {
        "created": sum(report.created.values()),
        "updated": sum(report.updated.values()),
        "deleted": sum(report.deleted.values()),
    }


@task()
def search_sync_all() -> dict:
    """Nightly: every kind, in case a change came by a way no service saw (the admin)."""
    from .services import search_index_sync

    report = search_index_sync()
    return {"changed": report.total()}


def search_sync_queue(topics: tuple[str, ...]) -> None:
    """Listener of core.pagecache: queue one sync for the kinds these topics may change,
    unless one is already waiting for them."""
    if not settings.SEARCH_INDEX_FOLLOWS_WRITES:
        return
    kinds = [source.kind for source in kind_sources_for_topics(topics)]
    waiting = [kind for kind in kinds if cache.add(PENDING_KEY + kind, 1, PENDING_SECONDS)]
    if not waiting:
        return
    try:
        search_sync.using(backend=settings.SEARCH_TASK_BACKEND).enqueue(kinds=waiting)
    except Exception:
        cache.delete_many([PENDING_KEY + kind for kind in waiting])
        logger.exception("search: could not queue the sync of %s", ", ".join(waiting))
