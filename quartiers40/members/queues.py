"""The queues of the coordination's "À traiter" page: one shape for every app.

Each app's `sections.py` registers a COORDINATION_PAGE section whose context is
`{"queues": [queue(...), ...]}`. A queue's count is one query; its entries are read only when
the page shows them (a callable the template calls), so the header's "À traiter (n)" costs one
query per queue and nothing more.
"""

from collections.abc import Callable, Iterable
from typing import Any

from quartiers40.core.sections import COORDINATION_PAGE, sections_for

QUEUE_ENTRIES_SHOWN = 5


def queue(
    *,
    key: str,
    label: str,
    url: str,
    action: str,
    count: int,
    entries: Callable[[], Iterable[dict[str, Any]]],
) -> dict[str, Any]:
    """One queue: `entries()` gives at most QUEUE_ENTRIES_SHOWN {"title", "url", "note"}."""
    return {
        "key": key,
        "label": label,
        "url": url,
        "action": action,
        "count": count,
        "entries": (lambda: list(entries())) if count else list,
    }


def queues_total(sections: Iterable[dict[str, Any]]) -> int:
    return sum(queue["count"] for section in sections for queue in section.get("queues", ()))


def coordination_sections(request) -> list[dict[str, Any]]:
    """The sections of "À traiter" for the team member of `request`, computed once per
    request (the header, "Mon espace" and the page itself share them)."""
    cached = getattr(request, "_coordination_sections", None)
    if cached is None:
        cached = sections_for(COORDINATION_PAGE, request.user)
        request._coordination_sections = cached
    return cached
