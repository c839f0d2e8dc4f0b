"""`manage.py search_eval`: the site's search judged on a corpus of French descriptions.

The corpus is indexed through the site's own code path (the same records, analysis,
lexicon, index tables and ranking: `services.search_index_rebuild` with a corpus source,
then `selectors.search_rank`), in a temporary database that the command creates and
removes: never the site's.
"""

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from .backends import DocumentFilters
from .enums import DocumentKind
from .records import SearchSource
from .selectors import search_rank

# The corpus's kinds, as the site's: a public digital service → a project; a place → an
# organisation.
KIND_OF = {"projet": DocumentKind.PROJECT, "lieu": DocumentKind.ORGANISATION}
RUN_DEPTH = 100


def corpus_read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def corpus_record(object_id: int, item: dict) -> SearchSource:
    places = tuple(part.strip() for part in (item.get("location") or "").split(",") if part.strip())
    description = item.get("description") or ""
    return SearchSource(
        kind=KIND_OF.get(item.get("kind", ""), DocumentKind.PROJECT),
        object_id=object_id,
        url=f"/eval/{item['id']}",
        title=item.get("title") or "",
        summary="",
        body=description,
        tags=tuple(item.get("category") or ()) + tuple(item.get("audience") or ()),
        places=places,
        place_label=", ".join(places[:1]),
    )


class CorpusSource:
    """The corpus as one more kind source (`sources.KindSource`)."""

    topics: tuple[str, ...] = ()

    def __init__(self, kind: str, records: dict[int, SearchSource]) -> None:
        self.kind = kind
        self.records = records

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        return ((object_id, None) for object_id in self.records)

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        return [self.records[object_id] for object_id in ids if object_id in self.records]


def corpus_sources(corpus: list[dict]) -> tuple[list[CorpusSource], dict[tuple[str, int], str]]:
    by_kind: dict[str, dict[int, SearchSource]] = {}
    docids: dict[tuple[str, int], str] = {}
    for object_id, item in enumerate(corpus, start=1):
        record = corpus_record(object_id, item)
        by_kind.setdefault(record.kind, {})[object_id] = record
        docids[(record.kind, object_id)] = item["id"]
    return [CorpusSource(kind, records) for kind, records in by_kind.items()], docids


def queries_run(queries: list[dict], docids: dict[tuple[str, int], str]) -> list[dict]:
    """Every query through the site's ranking; the run, best first, `RUN_DEPTH` deep."""
    from .models import SearchDocument

    keys = {
        pk: (kind, object_id)
        for pk, kind, object_id in SearchDocument.objects.values_list("pk", "kind", "object_id")
    }
    run = []
    for query in queries:
        _plan, ranked, _kinds = search_rank(query["query"], filters=DocumentFilters())
        for rank, item in enumerate(ranked[:RUN_DEPTH], start=1):
            docid = docids[keys[item.doc_id]]
            run.append({"qid": query["qid"], "docid": docid, "rank": rank, "score": item.score})
    return run
