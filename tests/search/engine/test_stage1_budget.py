"""Stage 1 reads a bounded number of postings: the rarest anchors of the query first."""

from quartiers40.search.engine import query_plan
from quartiers40.search.engine.harness import MemoryVocabulary
from quartiers40.search.engine.stage1 import budgeted_terms


class _Counts(MemoryVocabulary):
    """A vocabulary whose document counts are given (a large corpus, without building it)."""

    def __init__(self, counts: dict[str, int], total: int):
        self.counts = counts
        self.document_count = total

    def frequencies(self, terms):
        return {t: (self.counts[t], 0) for t in terms if t in self.counts}

    def neighbours(self, term):
        return {}


def test_every_term_when_the_corpus_is_small():
    plan = query_plan("formation numérique gratuite", _Counts({"formation": 40}, 900))
    assert budgeted_terms(plan, budget=20_000) == plan.retrieval_terms


def test_only_the_rarest_anchor_when_every_word_is_common():
    counts = {"format": 30_000, "formation": 25_000, "numer": 20_000, "numerique": 18_000}
    counts |= {"gratuit": 9_000, "gratuite": 8_000}
    plan = query_plan("formation numérique gratuite", _Counts(counts, 100_000))
    sent = budgeted_terms(plan, budget=20_000)
    assert sent and sum(counts.get(t, 0) for t in sent) <= 20_000
    assert sent[0] in {"gratuit", "gratuite"}
    assert not {"format", "numer"} & set(sent)


def test_an_unknown_everyday_word_is_anchored_by_its_expansion():
    counts = {"emploi": 12_000, "travail": 15_000, "jeun": 30_000, "jeunes": 28_000}
    plan = query_plan("boulot jeunes", _Counts(counts, 100_000))
    assert "emploi" in budgeted_terms(plan, budget=20_000)
