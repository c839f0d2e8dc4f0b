import os
import sys
from pathlib import Path

import pytest

from quartiers40.search.engine import explain, query_plan, rerank
from quartiers40.search.engine.explain import Reason, explain_words

REPO = Path(__file__).resolve().parents[3]


def search(index, text):
    plan = query_plan(text, index.vocabulary)
    candidates = index.stage1(plan.retrieval_terms)
    return plan, rerank(plan, candidates, index.vocabulary)


def test_best_document_first_and_matched_words(index):
    _plan, ranked = search(index, "atelier informatique pour les seniors")
    assert ranked[0].doc_id == 1
    assert "seniors" in ranked[0].matched


def test_everyday_word_finds_official_word_and_explains_it(index):
    plan, ranked = search(index, "aide à l'embauche")
    assert ranked[0].doc_id == 6
    plan, ranked = search(index, "un taf pour les jeunes")
    assert ranked[0].doc_id in {3, 4}
    reasons = explain(plan, ranked[0].matched)
    assert reasons[0].word == "taf" and reasons[0].via in {"emploi", "travail"}
    assert Reason(word="jeunes") in reasons


def test_place_boost_and_its_explanation(index):
    plan, ranked = search(index, "jeunes talence")
    assert ranked[0].doc_id == 3
    assert "talence" in [r.word.lower() for r in explain(plan, ranked[0].matched) if r.place]


def test_english_query(index):
    _plan, ranked = search(index, "generative AI assistant for civil servants")
    assert ranked[0].doc_id == 7


def test_typo_and_missing_accents(index):
    plan, ranked = search(index, "harcelement au college")
    assert ranked[0].doc_id == 5
    plan, ranked = search(index, "epicerie solidiare")
    assert ranked[0].doc_id == 8
    assert any(r.corrected for r in explain_words(plan))


def test_rerank_without_candidates(index):
    plan = query_plan("zzzz", index.vocabulary)
    assert rerank(plan, [], index.vocabulary) == []


def _eval_dir() -> Path | None:
    for candidate in (os.environ.get("SEARCH_EVAL_DIR"), REPO.parent / "shared/eval/search"):
        if candidate and (Path(candidate) / "qrels_dev.tsv").exists():
            return Path(candidate)
    return None


@pytest.mark.skipif(_eval_dir() is None, reason="development set (../shared/eval/search) absent")
def test_quality_on_the_development_set():
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from search_tune import evaluate_dev
    finally:
        sys.path.remove(str(REPO / "bench"))
    mean = evaluate_dev(_eval_dir())
    assert mean["nDCG@10"] > 0.499, mean


def test_long_documents_keep_small_rerank_data():
    from quartiers40.search.engine import SourceDocument, document_index

    body = "Accompagnement numérique des habitants du quartier prioritaire. " * 200
    doc = SourceDocument(title="Long", body=body, tags=("Inclusion numérique",) * 30, places=())
    assert len(document_index(doc).rerank_data) <= 4096


def test_empty_vocabulary_and_old_rows(index):
    from quartiers40.search.engine import Candidate, IndexedDocument
    from quartiers40.search.engine.harness import MemoryVocabulary

    plan = query_plan("emploi des jeunes", MemoryVocabulary())
    assert plan.retrieval_terms
    old = IndexedDocument("emploi", "", "jeunes", "", rerank_data="not json")
    ranked = rerank(plan, [Candidate(1, 1.0, old)], index.vocabulary)
    assert [r.doc_id for r in ranked] == [1]


def test_part_of_a_phrase_is_explained(index):
    plan = query_plan("Soutien Scolaire", index.vocabulary)
    assert [w.original for w in plan.words] == ["Soutien Scolaire"]
    assert explain(plan, ("scolaire",)) == [Reason(word="Scolaire")]
    assert explain(plan, ("Soutien Scolaire",)) == [Reason(word="Soutien Scolaire")]


def test_character_ngrams_when_turned_on(index, monkeypatch):
    from quartiers40.search.engine import config

    _, off = search(index, "ordinateurmobile internet")
    monkeypatch.setattr(config, "MIX_NGRAM", 0.3)
    _, on = search(index, "ordinateurmobile internet")
    assert {r.doc_id for r in on} == {r.doc_id for r in off}
    # "ordinateurmobile" is no word of the corpus: its n-grams find "ordinateurs" in doc 2
    assert {r.doc_id: r.score for r in on}[2] > {r.doc_id: r.score for r in off}[2]
