"""An in-memory stand-in for the site: the search_term table and the stage-1 FTS5 query.

Used by the tuning script and the tests; it behaves as the site's database does:
- ``MemoryVocabulary.neighbours`` answers like two B-tree range queries on search_term (terms
  sharing the first 2 characters, then terms sharing the last 3 through the reversed column),
  each with the length within ±2, ordered by the indexed column and capped at 300 rows;
- ``MemoryIndex.stage1`` runs the same FTS5 table and bm25() query as SQLite in production.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Iterable, Sequence

from . import config
from .indexing import document_index, document_vocabulary
from .stage1 import fts5_match
from .types import Candidate, IndexedDocument, SourceDocument

NEIGHBOUR_ROWS = 300


class MemoryVocabulary:
    def __init__(self) -> None:
        self.document_count = 0
        self._stats: dict[str, list[int]] = {}
        self._sorted: list[str] | None = None
        self._reversed: list[str] | None = None

    def add(self, vocabulary: dict[str, tuple[int, int]]) -> None:
        self.document_count += 1
        for term, (df, place_df) in vocabulary.items():
            row = self._stats.setdefault(term, [0, 0])
            row[0] += df
            row[1] += place_df
        self._sorted = self._reversed = None

    def frequencies(self, terms: Iterable[str]) -> dict[str, tuple[int, int]]:
        out = {}
        for term in terms:
            row = self._stats.get(term)
            if row is not None:
                out[term] = (row[0], row[1])
        return out

    def _range(self, column: list[str], low: str, length: int, reverse: bool) -> list[str]:
        found = []
        start = bisect.bisect_left(column, low)
        for value in column[start:]:
            if not value.startswith(low):
                break
            if abs(len(value) - length) <= 2:
                found.append(value[::-1] if reverse else value)
                if len(found) >= NEIGHBOUR_ROWS:
                    break
        return found

    def neighbours(self, term: str) -> dict[str, tuple[int, int]]:
        if self._sorted is None or self._reversed is None:
            self._sorted = sorted(self._stats)
            self._reversed = sorted(t[::-1] for t in self._stats)
        found = []
        if len(term) >= 2:
            found += self._range(self._sorted, term[:2], len(term), reverse=False)
        if len(term) >= 3:
            found += self._range(self._reversed, term[-3:][::-1], len(term), reverse=True)
        return self.frequencies(found)


class MemoryIndex:
    """Documents indexed in an in-memory FTS5 table, plus their vocabulary."""

    def __init__(self) -> None:
        self.connection = sqlite3.connect(":memory:")
        self.connection.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(title_terms, tag_terms, body_terms, place_terms,"
            ' tokenize="unicode61 remove_diacritics 0")'
        )
        self.vocabulary = MemoryVocabulary()
        self.documents: dict[int, IndexedDocument] = {}

    def add(self, doc_id: int, doc: SourceDocument) -> IndexedDocument:
        indexed = document_index(doc)
        self.documents[doc_id] = indexed
        self.vocabulary.add(document_vocabulary(indexed))
        self.connection.execute(
            "INSERT INTO fts(rowid, title_terms, tag_terms, body_terms, place_terms)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                doc_id,
                indexed.title_terms,
                indexed.tag_terms,
                indexed.body_terms,
                indexed.place_terms,
            ),
        )
        return indexed

    def stage1(
        self,
        terms: Sequence[str],
        limit: int = config.STAGE1_LIMIT,
        weights: Sequence[float] = config.STAGE1_WEIGHTS,
    ) -> list[Candidate]:
        match = fts5_match(terms)
        if not match:
            return []
        w = ", ".join(str(float(x)) for x in weights)
        rows = self.connection.execute(
            f"SELECT rowid, -bm25(fts, {w}) FROM fts WHERE fts MATCH ?"  # noqa: S608 (numbers)
            f" ORDER BY bm25(fts, {w}) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [Candidate(doc_id, score, self.documents[doc_id]) for doc_id, score in rows]
