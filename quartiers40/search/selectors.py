"""Reads of the search app: one query over everything the site shows publicly.

A query goes in two stages: the database's full-text index finds the candidates within the
filters (backends.stage1), the engine ranks them again with everything it knows of French
(engine.rerank). Pages and the API share `search_run`.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext

from . import backends
from .backends import DocumentFilters
from .engine import Candidate, IndexedDocument, QueryPlan, Ranked, explain, query_plan, rerank
from .engine.explain import Reason
from .engine.stage1 import stage1_terms
from .enums import DocumentKind
from .models import SearchDocument

PAGE_SIZE = 20
# What a result card does not show, left in the database.
DEFERRED = ("title_terms", "tag_terms", "body_terms", "place_terms", "rerank_data", "embedding")
QUERY_MAX_LENGTH = 200
EARTH_RADIUS_M = 6_371_000
# With the optional embedding model: the share of the final score that closeness of meaning
# takes (the words' ranking keeps the rest).
EMBEDDING_WEIGHT = 0.3


@dataclass(frozen=True)
class Around:
    lat: float
    lon: float
    radius_m: float

    def box(self) -> tuple[float, float, float, float]:
        d_lat = math.degrees(self.radius_m / EARTH_RADIUS_M)
        d_lon = d_lat / max(math.cos(math.radians(self.lat)), 0.01)
        return (self.lat - d_lat, self.lon - d_lon, self.lat + d_lat, self.lon + d_lon)

    def distance_m(self, lat: float | None, lon: float | None) -> float | None:
        if lat is None or lon is None:
            return None
        phi1, phi2 = math.radians(self.lat), math.radians(lat)
        d_phi, d_lambda = phi2 - phi1, math.radians(lon - self.lon)
        a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
        return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    kinds: tuple[str, ...] = ()
    state: str = ""
    qpv: str = ""
    commune: str = ""
    department: str = ""
    around: Around | None = None
    page: int = 1

    def filters(self) -> DocumentFilters:
        return DocumentFilters(
            kinds=self.kinds,
            state=self.state,
            qpv=self.qpv,
            commune=self.commune,
            department=self.department,
            box=self.around.box() if self.around else None,
        )

    @property
    def narrowed(self) -> bool:
        return bool(
            self.kinds or self.state or self.qpv or self.commune or self.department or self.around
        )


@dataclass
class SearchHit:
    document: SearchDocument
    score: float
    matched: tuple[str, ...] = ()
    distance_m: float | None = None
    # Why it is there: each word of the query that found it, and through what.
    reasons: list[Reason] = field(default_factory=list)

    @property
    def matched_words(self) -> list[str]:
        """The reasons as short texts: « boulot (emploi) », « jeunes »."""
        return [
            f"{reason.word} ({reason.via or reason.corrected})"
            if reason.via or reason.corrected
            else reason.word
            for reason in self.reasons
        ]

    @property
    def distance_km(self) -> float | None:
        return None if self.distance_m is None else round(self.distance_m / 1000, 1)

    @property
    def kind_label(self) -> str:
        return str(DocumentKind(self.document.kind).label)

    @property
    def status_text(self) -> str:
        """The item's status in the visitor's language (the index holds its French message id,
        and the date it names, formatted here)."""
        return status_display(self.document)


def status_display(document: SearchDocument) -> str:
    label = document.status_label
    if not label:
        return ""
    text = gettext(label)
    stamp = (document.extra or {}).get("status_date")
    if stamp and "%(date)s" in text:
        try:
            text = text % {"date": date_format(date.fromisoformat(stamp), "j F Y")}
        except (TypeError, ValueError, KeyError):
            return label
    return text


@dataclass
class SearchResults:
    query: SearchQuery
    plan: QueryPlan | None
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    # How many results of each kind the query has (with a kind filter: those kinds only).
    kind_counts: dict[str, int] = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        """The query found more than the first stage hands on: the total is a floor."""
        return self.total >= backends.config.STAGE1_LIMIT

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _candidates(ids_scores: list[tuple[int, float]]) -> tuple[list[Candidate], dict[int, str]]:
    scores = dict(ids_scores)
    rows = SearchDocument.objects.filter(pk__in=list(scores)).values_list(
        "pk", "kind", "title_terms", "tag_terms", "body_terms", "place_terms", "rerank_data"
    )
    candidates, kinds = [], {}
    for pk, kind, title, tags, body, places, rerank_data in rows:
        kinds[pk] = kind
        candidates.append(
            Candidate(
                doc_id=pk,
                stage1_score=scores[pk],
                indexed=IndexedDocument(
                    title_terms=title,
                    tag_terms=tags,
                    body_terms=body,
                    place_terms=places,
                    rerank_data=rerank_data,
                ),
            )
        )
    candidates.sort(key=lambda candidate: -candidate.stage1_score)
    return candidates, kinds


def _with_embeddings(text: str, ranked: list[Ranked]) -> list[Ranked]:
    """With the optional embedding model: the words' order mixed with the closeness of
    meaning between the query and each candidate. Any failure (off, timeout, error) leaves
    the words' order as it is."""
    if not ranked or not settings.SEARCH_EMBEDDINGS_URL:
        return ranked
    # Late: the HTTP client is imported only when the model is on.
    from .clients.embeddings import EmbeddingsUnavailable, cosine, embed_texts, vector_unpack

    try:
        query_vector = embed_texts([text], purpose="query")[0]
    except (EmbeddingsUnavailable, ValueError):
        return ranked
    vectors = dict(
        SearchDocument.objects.filter(
            pk__in=[item.doc_id for item in ranked], embedding__isnull=False
        ).values_list("pk", "embedding")
    )
    top = max(item.score for item in ranked) or 1.0
    mixed = []
    for item in ranked:
        packed = vectors.get(item.doc_id)
        closeness = cosine(query_vector, vector_unpack(bytes(packed))) if packed else 0.0
        score = (1 - EMBEDDING_WEIGHT) * item.score / top + EMBEDDING_WEIGHT * max(closeness, 0)
        mixed.append(Ranked(doc_id=item.doc_id, score=score, matched=item.matched))
    return sorted(mixed, key=lambda item: -item.score)


def search_rank(
    text: str, *, filters: DocumentFilters, vocabulary: backends.DatabaseVocabulary | None = None
) -> tuple[QueryPlan, list[Ranked], dict[int, str]]:
    """The query's documents within the filters, best first, with the words that matched."""
    vocabulary = vocabulary or backends.DatabaseVocabulary()
    text = text[:QUERY_MAX_LENGTH]
    plan = query_plan(text, vocabulary)
    terms, head_only = stage1_terms(plan)
    ids_scores = backends.stage1(terms, filters=filters, head_only=head_only)
    candidates, kinds = _candidates(ids_scores)
    ranked = _with_embeddings(text, rerank(plan, candidates, vocabulary))
    return plan, ranked, kinds


def search_run(query: SearchQuery, *, page_size: int = PAGE_SIZE) -> SearchResults:
    """One page of results, and the counts by kind (without the kind filter)."""
    text = " ".join(query.text.split())[:QUERY_MAX_LENGTH]
    filters = query.filters()
    plan: QueryPlan | None = None
    matched: dict[int, tuple[str, ...]] = {}
    scores: dict[int, float] = {}
    if text:
        # Without a kind filter, the counts by kind come with the ranking; with one, stage 1
        # looks within those kinds (filtering the mixed ranking after would lose most of them).
        plan, ranked, kinds = search_rank(text, filters=filters)
        counts = Counter(kinds[item.doc_id] for item in ranked)
        ordered = [item.doc_id for item in ranked]
        matched = {item.doc_id: item.matched for item in ranked}
        scores = {item.doc_id: item.score for item in ranked}
    else:
        ordered = backends.browse(filters=filters, limit=backends.config.STAGE1_LIMIT)
        counts = Counter()
    if query.around:
        located = {
            pk: (lat, lon)
            for pk, lat, lon in SearchDocument.objects.filter(pk__in=ordered).values_list(
                "pk", "latitude", "longitude"
            )
        }
        ordered = [
            pk
            for pk in ordered
            if (distance := query.around.distance_m(*located.get(pk, (None, None)))) is not None
            and distance <= query.around.radius_m
        ]
    total = len(ordered)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, query.page), pages)
    shown = ordered[(page - 1) * page_size : page * page_size]
    documents = SearchDocument.objects.defer(*DEFERRED).in_bulk(shown)
    hits = [
        SearchHit(
            document=documents[pk],
            score=scores.get(pk, 0.0),
            matched=matched.get(pk, ()),
            reasons=explain(plan, matched.get(pk, ())) if plan else [],
            distance_m=query.around.distance_m(documents[pk].latitude, documents[pk].longitude)
            if query.around
            else None,
        )
        for pk in shown
        if pk in documents
    ]
    return SearchResults(
        query=query,
        plan=plan,
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        kind_counts={kind: counts[kind] for kind in DocumentKind.values if counts[kind]},
    )


def search_object_ids(text: str, *, kind: str) -> list[int] | None:
    """The ids of the items of one kind that the query finds, best first: the lists of
    projects and défis search with the site's French search through this. None when the
    index holds nothing of that kind (never built yet): the list then matches the words
    itself, as before."""
    if not SearchDocument.objects.filter(kind=kind).exists():
        return None
    _plan, ranked, _kinds = search_rank(text, filters=DocumentFilters(kinds=(kind,)))
    objects = dict(
        SearchDocument.objects.filter(pk__in=[item.doc_id for item in ranked]).values_list(
            "pk", "object_id"
        )
    )
    return [objects[item.doc_id] for item in ranked if item.doc_id in objects]
