"""Writes of the search app: the index follows the site.

`search_index_sync` brings the documents of some kinds in line with what their apps show
publicly (new, changed, gone), and keeps the term counts (`SearchTerm`) exact by adding
what each new version of a document brings and taking back what its old version held.
It runs in the task queue after every write (tasks.py) and nightly; `search_index_rebuild`
starts again from nothing (`manage.py search_reindex`).
"""

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from . import backends
from .engine import IndexedDocument, SourceDocument, document_index, document_vocabulary
from .models import SearchDocument, SearchTerm
from .records import SearchSource
from .sources import KindSource, kind_sources

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
TERM_COLUMNS = ("title_terms", "tag_terms", "body_terms", "place_terms", "rerank_data")
Progress = Callable[[str, int, int], None]  # kind, done, total


@dataclass
class SyncReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _fingerprint(record: SearchSource) -> str:
    data = asdict(record)
    data.pop("updated_at", None)
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _indexed(record: SearchSource) -> IndexedDocument:
    return document_index(
        SourceDocument(
            title=record.title,
            body="\n".join(part for part in (record.summary, record.body) if part),
            tags=tuple(record.tags),
            places=tuple(record.places),
        )
    )


def _indexed_of(document: SearchDocument) -> IndexedDocument:
    return IndexedDocument(**{column: getattr(document, column) for column in TERM_COLUMNS})


def _document_fields(
    record: SearchSource, indexed: IndexedDocument, fingerprint: str | None = None
) -> dict:
    latitude, longitude = record.point if record.point else (None, None)
    return {
        "url": record.url[:300],
        "title": record.title[:300],
        "summary": record.summary,
        "place_label": record.place_label[:300],
        "status_label": record.status_label[:100],
        "state": record.state,
        "qpv_codes": list(record.qpv_codes),
        "commune_codes": list(record.commune_codes),
        "department_codes": list(record.department_codes),
        "latitude": latitude,
        "longitude": longitude,
        "extra": (
            {**record.extra, "status_date": record.status_date.isoformat()}
            if record.status_date
            else record.extra
        ),
        "source_updated_at": record.updated_at,
        "fingerprint": fingerprint or _fingerprint(record),
        **{column: getattr(indexed, column) for column in TERM_COLUMNS},
    }


def _terms_apply(deltas: Counter, place_deltas: Counter) -> None:
    """Add the deltas to the term counts, in one statement per batch (an upsert that
    SQLite and PostgreSQL both speak), then drop the terms no document holds any more."""
    terms = sorted(set(deltas) | set(place_deltas))
    if not terms:
        return
    table = SearchTerm._meta.db_table
    rows = [
        (term[:64], deltas.get(term, 0), place_deltas.get(term, 0), len(term), term[::-1][:64])
        for term in terms
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (term, df, place_df, length, reversed_term) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (term) DO UPDATE SET "
            f"df = {table}.df + excluded.df, place_df = {table}.place_df + excluded.place_df",
            rows,
        )
    SearchTerm.objects.filter(term__in=terms, df__lte=0, place_df__lte=0).delete()


def _embedding_text(document: SearchDocument) -> str:
    return " ".join(part for part in (document.title, document.summary) if part).strip()


def _embeddings_attach(documents: Sequence[SearchDocument]) -> None:
    """With the optional embedding model on, each new or changed document gets its vector;
    when the model fails, the documents are written without one (words alone rank them),
    and the next change of the document, or a rebuild, tries again."""
    if not settings.SEARCH_EMBEDDINGS_URL:
        return
    # Late: the HTTP client is imported only when the model is on.
    from .clients.embeddings import EmbeddingsUnavailable, embed_texts, vector_pack

    wanted = [document for document in documents if _embedding_text(document)]
    if not wanted:
        return
    try:
        vectors = embed_texts([_embedding_text(d) for d in wanted], purpose="document")
    except EmbeddingsUnavailable as error:
        logger.warning("search: no embeddings for %s documents (%s)", len(wanted), error.reason)
        return
    for document, vector in zip(wanted, vectors, strict=True):
        document.embedding = vector_pack(vector)


def _vocabulary_add(target: tuple[Counter, Counter], indexed: IndexedDocument, sign: int) -> None:
    deltas, place_deltas = target
    for term, (in_text, in_place) in document_vocabulary(indexed).items():
        if in_text:
            deltas[term] += sign
        if in_place:
            place_deltas[term] += sign


def _records(source: KindSource, ids: Sequence[int]) -> list[SearchSource]:
    """The records of `ids`, built in French whichever language the write that queued the
    sync was made in: the index holds French (labels are French message ids)."""
    with translation.override(settings.LANGUAGE_CODE):
        return list(source.build(ids))


def _batch_write(source: KindSource, ids: Sequence[int], report: SyncReport) -> None:
    """Write the documents of `ids` as their apps show them now (a missing one is gone)."""
    kind = source.kind
    records = {record.object_id: record for record in _records(source, ids)}
    with transaction.atomic():
        existing = {
            document.object_id: document
            for document in SearchDocument.objects.select_for_update().filter(
                kind=kind, object_id__in=list(ids)
            )
        }
        counts: tuple[Counter, Counter] = (Counter(), Counter())
        to_create, to_update = [], []
        for object_id in ids:
            record, document = records.get(object_id), existing.get(object_id)
            if record is None:
                continue
            fingerprint = _fingerprint(record)
            if document is not None and document.fingerprint == fingerprint:
                report.unchanged[kind] += 1
                continue
            indexed = _indexed(record)
            fields = _document_fields(record, indexed, fingerprint)
            if document is None:
                to_create.append(SearchDocument(kind=kind, object_id=object_id, **fields))
                report.created[kind] += 1
            else:
                _vocabulary_add(counts, _indexed_of(document), -1)
                for name, value in fields.items():
                    setattr(document, name, value)
                to_update.append(document)
                report.updated[kind] += 1
            _vocabulary_add(counts, indexed, +1)
        gone = [existing[object_id] for object_id in existing.keys() - records.keys()]
        for document in gone:
            _vocabulary_add(counts, _indexed_of(document), -1)
        if gone:
            SearchDocument.objects.filter(pk__in=[document.pk for document in gone]).delete()
            report.deleted[kind] += len(gone)
        _embeddings_attach([*to_create, *to_update])
        if to_create:
            SearchDocument.objects.bulk_create(to_create)
        if to_update:
            SearchDocument.objects.bulk_update(to_update, [*fields, "embedding"])
        _terms_apply(*counts)


def search_index_sync(
    *, kinds: Iterable[str] | None = None, progress: Progress | None = None
) -> SyncReport:
    """Bring the documents of `kinds` (all by default) in line with the site."""
    report = SyncReport()
    wanted = set(kinds) if kinds is not None else None
    for kind, source in kind_sources().items():
        if wanted is not None and kind not in wanted:
            continue
        stored = dict(
            SearchDocument.objects.filter(kind=kind).values_list("object_id", "source_updated_at")
        )
        to_check: list[int] = []
        seen: set[int] = set()
        for object_id, updated_at in source.stamps():
            seen.add(object_id)
            # Without a timestamp the record is built and compared by its fingerprint.
            if object_id not in stored or updated_at is None or stored[object_id] != updated_at:
                to_check.append(object_id)
        to_check.extend(stored.keys() - seen)
        done = 0
        for ids in _chunks(to_check, BATCH_SIZE):
            _batch_write(source, ids, report)
            done += len(ids)
            if progress:
                progress(kind, done, len(to_check))
    if report.total():
        backends.document_count_forget()
        logger.info(
            "search index: %s created, %s updated, %s deleted",
            sum(report.created.values()),
            sum(report.updated.values()),
            sum(report.deleted.values()),
        )
    return report


def search_index_rebuild(
    *, progress: Progress | None = None, sources: Sequence[KindSource] | None = None
) -> SyncReport:
    """Empty the index and build it again from every app (or from `sources`: the
    evaluation corpus of `manage.py search_eval` goes through here too)."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
    report = SyncReport()
    for source in sources if sources is not None else kind_sources().values():
        kind = source.kind
        ids = [object_id for object_id, _updated_at in source.stamps()]
        done = 0
        for batch in _chunks(ids, BATCH_SIZE):
            counts: tuple[Counter, Counter] = (Counter(), Counter())
            documents = []
            for record in _records(source, batch):
                indexed = _indexed(record)
                _vocabulary_add(counts, indexed, +1)
                documents.append(
                    SearchDocument(
                        kind=kind, object_id=record.object_id, **_document_fields(record, indexed)
                    )
                )
            _embeddings_attach(documents)
            with transaction.atomic():
                SearchDocument.objects.bulk_create(documents)
                _terms_apply(*counts)
            report.created[kind] += len(documents)
            done += len(batch)
            if progress:
                progress(kind, done, len(ids))
    backends.document_count_forget()
    return report
