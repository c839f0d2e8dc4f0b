"""The words signal: what the site-wide search finds for a subject's own words.

`text_hits(text, kind)` asks the search (quartiers40.search.selectors.search_rank) for the
documents of one kind, and answers {object id: (relative score 0–1, matched words)}. When
the search is missing or fails, the answer is empty: the structured signals still work.
"""

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

TEXT_LIMIT = 60  # candidates kept per kind
QUERY_WORDS = 40  # the search reads at most ~200 characters anyway
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


@dataclass(frozen=True)
class TextHit:
    score: float  # relative to the best of the kind, 0–1
    words: tuple[str, ...]


def query_text(*parts: str, words: int = QUERY_WORDS) -> str:
    """The subject's title, labels and the first words of its description, as one query."""
    found: list[str] = []
    for part in parts:
        found.extend(_WORD.findall(part or ""))
        if len(found) >= words:
            break
    return " ".join(found[:words])


def text_hits(text: str, kind: str, *, limit: int = TEXT_LIMIT) -> dict[int, TextHit]:
    if not text.strip():
        return {}
    try:
        from quartiers40.search.backends import DocumentFilters
        from quartiers40.search.models import SearchDocument
        from quartiers40.search.selectors import search_rank
    except ImportError:  # the search app is not installed here
        return {}
    try:
        plan, ranked, _kinds = search_rank(text, filters=DocumentFilters(kinds=(kind,)))
    except Exception:
        logger.warning("matches: the search failed for %r", text[:60], exc_info=True)
        return {}
    ranked = [item for item in ranked if item.matched][:limit]
    if not ranked:
        return {}
    # Place names are the geography's to say ("à 1,2 km de…"), not the words'.
    places = {word.original.lower() for word in plan.words if getattr(word, "is_place", False)}
    if plan.place_label:
        places.add(plan.place_label.lower())
    objects = dict(
        SearchDocument.objects.filter(pk__in=[item.doc_id for item in ranked]).values_list(
            "pk", "object_id"
        )
    )
    best = max(item.score for item in ranked) or 1.0
    hits: dict[int, TextHit] = {}
    for item in ranked:
        object_id = objects.get(item.doc_id)
        if object_id is not None and object_id not in hits:
            words = tuple(
                word
                for word in item.matched
                if word.lower() not in places and not set(word.lower().split()) & places
            )
            hits[int(object_id)] = TextHit(max(0.0, item.score / best), words)
    return hits
