"""How the site's database runs stage 1 on ``QueryPlan.retrieval_terms`` (helpers for the lead).

SQLite (FTS5)::

    CREATE VIRTUAL TABLE fts USING fts5(title_terms, tag_terms, body_terms, place_terms,
                                        tokenize="unicode61 remove_diacritics 0");
    SELECT rowid, -bm25(fts, 6.0, 3.0, 1.0, 2.0) FROM fts WHERE fts MATCH :match
    ORDER BY bm25(fts, 6.0, 3.0, 1.0, 2.0) LIMIT :k;          -- match = fts5_match(terms)

PostgreSQL (tsvector, 'simple' configuration: the terms are already analysed)::

    setweight(to_tsvector('simple', title_terms), 'A') || setweight(..tag_terms.., 'B')
    || setweight(..body_terms.., 'C') || setweight(..place_terms.., 'D')
    ... WHERE vector @@ to_tsquery('simple', :query)              -- query = tsquery(terms)
    ORDER BY ts_rank(:ts_rank_weights, vector, to_tsquery('simple', :query)) DESC LIMIT :k
    -- ts_rank_weights = '{D, C, B, A}' = TS_RANK_WEIGHTS
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import config

_TERM = re.compile(r"^[a-z0-9]+$")

# ts_rank weights array, in PostgreSQL's order {D, C, B, A} = {place, body, tag, title}.
TS_RANK_WEIGHTS = tuple(
    round(w / max(config.STAGE1_WEIGHTS), 3)
    for w in (
        config.STAGE1_WEIGHTS[3],
        config.STAGE1_WEIGHTS[2],
        config.STAGE1_WEIGHTS[1],
        config.STAGE1_WEIGHTS[0],
    )
)


def _checked(terms: Sequence[str]) -> list[str]:
    return [t for t in terms if _TERM.match(t)]


def fts5_match(terms: Sequence[str]) -> str:
    """FTS5 MATCH expression: '"t1" OR "t2" ...' (terms are [a-z0-9]+, so quoting is safe)."""
    return " OR ".join(f'"{t}"' for t in _checked(terms))


def tsquery(terms: Sequence[str]) -> str:
    """to_tsquery('simple', ...) text: 't1 | t2 | ...'."""
    return " | ".join(_checked(terms))


def budgeted_terms(plan, budget: int | None = None) -> tuple[str, ...]:
    """The retrieval terms stage 1 sends (`stage1_terms` without its flag)."""
    return stage1_terms(plan, budget)[0]


def stage1_terms(plan, budget: int | None = None) -> tuple[tuple[str, ...], bool]:
    """The retrieval terms stage 1 sends, within a budget of postings (the terms' document
    counts: what the database's full-text index reads and scores), and whether even those
    are too many, in which case stage 1 looks in the titles and tags only (`head_only`).

    Each concept of the query has an anchor: its broadest own term (the word's stem), or,
    when the word itself is in no document ("boulot"), its rarest lexicon expansion; a place
    named in the query is an anchor too. When the anchors together fit in the budget, the
    other terms are added rarest first while they fit; otherwise only the rarest anchors
    that fit are sent (at least one): the documents that hold every word of the query are
    among those holding its rarest one, and the reranker orders them. A small corpus never
    reaches the budget: every term is sent.
    """
    budget = config.STAGE1_POSTINGS_BUDGET if budget is None else budget
    terms = [t for t in plan.retrieval_terms if _TERM.match(t)]
    freq = plan.frequencies

    def df(term: str) -> int:
        text, place = freq.get(term, (0, 0))
        return text + place

    if sum(df(t) for t in terms) <= budget:
        return tuple(terms), False
    allowed = set(terms)
    anchors: list[str] = [t for t in getattr(plan, "place_terms", ()) if t in allowed and df(t)]
    for concept in getattr(plan, "concepts", ()):
        own = [term for term, _weight, _slot in concept.own if term in allowed and df(term)]
        if own:
            anchors.append(max(own, key=df))
            continue
        expansions = [t for _l, group, _w in concept.expansions for t in group if t in allowed]
        expansions = [t for t in expansions if df(t)]
        if expansions:
            anchors.append(min(expansions, key=df))
    anchors = sorted(dict.fromkeys(anchors), key=df)
    if not anchors:
        anchors = sorted((t for t in terms if df(t)), key=df)[:1]
    chosen: list[str] = []
    spent = 0
    for term in anchors:
        if chosen and spent + df(term) > budget:
            break
        chosen.append(term)
        spent += df(term)
    if len(chosen) == len(anchors):
        for term in sorted((t for t in terms if t not in chosen), key=df):
            if spent + df(term) > budget:
                break
            chosen.append(term)
            spent += df(term)
    return tuple(chosen), spent > budget
