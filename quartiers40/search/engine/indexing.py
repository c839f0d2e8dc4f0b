"""From a site document to the terms stored in its row."""

from __future__ import annotations

import json

from . import config
from .analysis import content_tokens, index_terms, stem
from .places import place_index_terms
from .types import IndexedDocument, SourceDocument


def _gist(text: str, limit: int) -> str:
    out: list[str] = []
    size = 0
    for token in content_tokens(text):
        size += len(token) + 1
        if size > limit:
            break
        out.append(token)
    return " ".join(out)


def document_index(doc: SourceDocument) -> IndexedDocument:
    tag_text = " ; ".join(doc.tags)
    place_terms, place_keys = place_index_terms(doc.places)
    head = _gist(doc.title + " ; " + tag_text, config.GIST_BODY_CHARS)
    body = _gist(doc.body, config.GIST_BODY_CHARS)
    rerank = {
        "h": head,  # folded content words of title and tags, in order (character n-grams)
        "b": body,  # same for the start of the body
        "hs": " ".join(stem(t) for t in head.split()),  # their stems (word pairs, phrases)
        "bs": " ".join(stem(t) for t in body.split()),
        "p": place_keys,  # joined place keys, most specific first
    }
    return IndexedDocument(
        title_terms=" ".join(index_terms(doc.title)),
        tag_terms=" ".join(index_terms(tag_text)),
        body_terms=" ".join(index_terms(doc.body)),
        place_terms=" ".join(place_terms),
        rerank_data=json.dumps(rerank, ensure_ascii=True, separators=(",", ":")),
    )


def document_vocabulary(indexed: IndexedDocument) -> dict[str, tuple[int, int]]:
    """Distinct terms -> (in title/tag/body terms, in place terms), each 0 or 1."""
    text_terms = set(indexed.title_terms.split())
    text_terms.update(indexed.tag_terms.split())
    text_terms.update(indexed.body_terms.split())
    place_terms = set(indexed.place_terms.split())
    return {
        term: (1 if term in text_terms else 0, 1 if term in place_terms else 0)
        for term in text_terms | place_terms
    }
