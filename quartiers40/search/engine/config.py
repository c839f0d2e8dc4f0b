"""Tunable constants of the French search engine (stage 1 in the database, stage 2 in Python)."""

# Stage 1: how many candidates the database hands to the reranker, and the bm25 column weights
# (title, tag, body, place) used by SQLite FTS5 `bm25()`; PostgreSQL maps them to setweight A/B/C/D.
STAGE1_LIMIT = 200
STAGE1_WEIGHTS = (6.0, 3.0, 1.0, 2.0)
# Retrieval terms sent to stage 1 (an OR of them).
MAX_RETRIEVAL_TERMS = 40
# At most this many postings (the sum of the sent terms' document counts) for stage 1 to
# read and score: the full-text index's cost grows with them (stage1.budgeted_terms). The
# 947 documents of the development set never reach it; 100,000 items do.
STAGE1_POSTINGS_BUDGET = 12_000
# Only the start of a very long query (a pasted text) is read.
MAX_QUERY_TOKENS = 48

# Query term weights relative to the user's own word (1.0).
WEIGHT_SURFACE = 0.3  # the exact form of the word, on top of its stem
WEIGHT_CORRECTION = 0.8
WEIGHT_TRANSLATION = 0.9
WEIGHT_EXPANSION = 0.7
# Credit a concept gets in the coverage score when only its expansion matched.
COVERAGE_EXPANSION_CREDIT = 0.6
# Share of the other matching expansions of a word added to its best one (BM25F).
EXPANSION_REST = 0.3

# Stage 2 BM25F: field weights and length normalisation (title, tag, body, place).
BM25F_WEIGHTS = (3.0, 1.5, 1.0, 0.5)
BM25F_B = (0.5, 0.3, 0.75, 0.3)
BM25F_K1 = 1.2

# Stage 2 mixture (each component is scaled to [0, 1] over the candidates first).
MIX_BM25F = 1.0
# Character n-grams of the words that did not match (typos, variants); off: with explicit typo
# correction, accent folding and stems they measured -0.001 to -0.007 nDCG@10 (dev set and its
# paraphrases, plain and with typos). Set > 0 (e.g. 0.3) to use them again.
MIX_NGRAM = 0.0
MIX_COVERAGE = 0.15
MIX_STAGE1 = 0.3
MIX_PROXIMITY = 0.1  # query words side by side in the title, tags or start of the body
# Query place = the doc's most specific place, then its broader ones (metropole, department).
PLACE_BOOST = (0.6, 0.25, 0.1)
PLACE_MISMATCH = 0.3  # the query names a place and the document is located elsewhere

# Character n-grams for the fuzzy similarity (query words vs the doc's gist text).
NGRAM_SIZES = (3, 4, 5)
# Only the best candidates of the lexical pass get the n-gram and place scores (speed).
NGRAM_POOL = 120
GIST_BODY_CHARS = 600

# Typo correction: maximum edit distance by word length.
TYPO_MIN_LENGTH = 4
TYPO_DISTANCE_2_FROM = 8
