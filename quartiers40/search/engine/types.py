"""Data exchanged between the site and the engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SourceDocument:
    """What the site's indexers give the engine."""

    title: str
    body: str
    tags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # most specific first: "Mérignac", "Bordeaux Métropole", ...


@dataclass(frozen=True)
class IndexedDocument:
    """What the site stores in the document row (all *_terms: space-separated [a-z0-9]+)."""

    title_terms: str
    tag_terms: str
    body_terms: str
    place_terms: str
    rerank_data: str  # small JSON for stage 2


class Vocabulary(Protocol):
    """Corpus statistics, answered by the site from its search_term table."""

    document_count: int

    def frequencies(self, terms: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Known terms only: term -> (df, place_df)."""
        ...

    def neighbours(self, term: str) -> dict[str, tuple[int, int]]:
        """Candidate terms for typo correction: same first 2 characters or same last 3
        characters, length within ±2 (each capped at 300 rows)."""
        ...


@dataclass(frozen=True)
class Expansion:
    """An official word a query word stands for, from the lexicon or the English list."""

    label: str  # as shown: "emploi"
    terms: tuple[str, ...]  # index terms
    source: str  # lexicon entry key ("boulot") or "en"


@dataclass(frozen=True)
class QueryWord:
    original: str  # as typed: "boulot", "pôle emploi"
    normalised: str  # folded: "boulot", "pole emploi"
    terms: tuple[str, ...] = ()  # index terms of the word itself (surface, stem)
    corrected: str = ""  # typo correction, folded ("" when none)
    expansions: tuple[Expansion, ...] = ()
    translated: bool = False  # an English word whose French words are in expansions
    is_place: bool = False
    weight: float = 1.0  # importance of this word in the query (idf based), set by query_plan


@dataclass
class QueryPlan:
    text: str
    retrieval_terms: tuple[str, ...]
    place_terms: tuple[str, ...]
    place_label: str
    words: tuple[QueryWord, ...]
    # Stage 2: weighted terms per concept (one concept per non-place query word).
    concepts: tuple[tuple[tuple[str, float], ...], ...] = ()
    place_keys: tuple[str, ...] = ()
    ngram_words: tuple[tuple[str, ...], ...] = ()  # per concept
    # Stem pairs that should stand side by side (inside a phrase, or consecutive query words).
    pairs: tuple[tuple[str, str, float], ...] = ()
    frequencies: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.retrieval_terms


@dataclass(frozen=True)
class Candidate:
    doc_id: int
    stage1_score: float
    indexed: IndexedDocument


@dataclass(frozen=True)
class Ranked:
    doc_id: int
    score: float
    matched: tuple[str, ...]
