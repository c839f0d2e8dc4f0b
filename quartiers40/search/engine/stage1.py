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
