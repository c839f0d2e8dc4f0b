"""The French search engine of Quartiers 4.0: analysis, everyday-French lexicon, query
understanding and reranking. Plain Python (no Django): the site stores what ``document_index``
returns, keeps the term statistics of ``document_vocabulary``, runs stage 1 in its database on
``QueryPlan.retrieval_terms`` and hands the candidates to ``rerank``."""

from .explain import explain
from .indexing import document_index, document_vocabulary
from .query import query_plan
from .rerank import rerank
from .types import (
    Candidate,
    Expansion,
    IndexedDocument,
    QueryPlan,
    QueryWord,
    Ranked,
    SourceDocument,
    Vocabulary,
)

__all__ = [
    "Candidate",
    "Expansion",
    "IndexedDocument",
    "QueryPlan",
    "QueryWord",
    "Ranked",
    "SourceDocument",
    "Vocabulary",
    "document_index",
    "document_vocabulary",
    "explain",
    "query_plan",
    "rerank",
]
