"""The French search engine of Quartiers 4.0: analysis, everyday-French lexicon, query
understanding and reranking. Plain Python (no Django, no model).

How the site uses it::

    from quartiers40.search.engine import (
        Candidate, SourceDocument, document_index, document_vocabulary, query_plan, rerank,
    )

    # On every write of a searchable object:
    indexed = document_index(SourceDocument(title, body, tags, places))
    # store indexed.*_terms and indexed.rerank_data in the document row, and add
    # document_vocabulary(indexed) to the search_term(term, df, place_df) table
    # (subtract the old row's vocabulary first on an update or a delete).

    # On a search (vocabulary answers from search_term, see types.Vocabulary):
    plan = query_plan(text, vocabulary)
    rows = stage 1 in the database on plan.retrieval_terms   # see engine.stage1
    ranked = rerank(plan, [Candidate(id, score, indexed) for ...], vocabulary)
    # ranked[i].matched -> explain(plan, ranked[i].matched) for « boulot » (emploi)
    # plan.place_label / plan.place_terms -> "à Mérignac" above the results

Modules: ``analysis`` (normalisation, stop words, stems), ``places``, ``lexicon`` (the
reviewed data files in ../data), ``typos``, ``query``, ``rerank``, ``explain``, ``stage1`` (the
SQL the database runs), ``harness`` (in-memory SQLite FTS5 + vocabulary, for the tests and
bench/search_tune.py), ``config`` (every tunable constant).
"""

from .explain import Reason, explain, explain_words
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
    "Reason",
    "SourceDocument",
    "Vocabulary",
    "document_index",
    "document_vocabulary",
    "explain",
    "explain_words",
    "query_plan",
    "rerank",
]
