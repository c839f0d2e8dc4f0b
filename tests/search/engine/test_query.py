from quartiers40.search.engine import (
    SourceDocument,
    document_index,
    document_vocabulary,
    query_plan,
)
from quartiers40.search.engine.analysis import stem
from quartiers40.search.engine.harness import MemoryVocabulary
from quartiers40.search.engine.typos import correct

from .conftest import DOCS


def test_index_terms_are_plain_tokens():
    for doc in DOCS:
        indexed = document_index(doc)
        for field in (indexed.title_terms, indexed.tag_terms, indexed.body_terms):
            assert all((t.isascii() and t.isalnum() and t.islower()) or t.isdigit()
                       for t in field.split())  # fmt: skip
        assert len(indexed.rerank_data) < 4096


def test_document_vocabulary_marks_place_terms():
    vocabulary = document_vocabulary(document_index(DOCS[1]))
    assert vocabulary["villenaveornon"] == (0, 1)
    assert vocabulary["ordinateurs"] == (1, 0)


def test_neighbours_prefix_and_suffix_ranges():
    vocabulary = MemoryVocabulary()
    vocabulary.add({"ordinateur": (1, 0), "ordre": (1, 0), "orange": (1, 0), "amateur": (1, 0)})
    found = vocabulary.neighbours("ordinatuer")
    assert set(found) == {"ordinateur"}  # "ordre" too short, "amateur" shares no suffix
    assert set(vocabulary.neighbours("xxxateur")) == {"amateur", "ordinateur"}
    assert set(vocabulary.neighbours("teur")) == set()  # lengths differ by more than 2


def test_typo_correction(index):
    assert correct("ordinatuer", index.vocabulary)[0] == "ordinateur"
    plan = query_plan("imprimente", index.vocabulary)
    assert plan.words[0].corrected == "imprimante"
    assert "imprimante" in plan.retrieval_terms


def test_short_and_known_words_are_not_corrected(index):
    plan = query_plan("emploi ordi", index.vocabulary)
    assert [w.corrected for w in plan.words] == ["", ""]


def test_everyday_words_expand_with_their_source(index):
    plan = query_plan("du boulot pour mon gosse", index.vocabulary)
    boulot = plan.words[0]
    assert boulot.original == "boulot"
    assert {e.label for e in boulot.expansions} >= {"emploi", "travail"}
    assert all(e.source == "boulot" for e in boulot.expansions)
    assert "emploi" in plan.retrieval_terms


def test_english_words_are_translated(index):
    plan = query_plan("internship for high school students", index.vocabulary)
    assert [w.original for w in plan.words] == ["internship", "high school", "students"]
    assert all(w.translated for w in plan.words)
    assert {stem("stage"), stem("lycee")} <= set(plan.retrieval_terms)
    plan = query_plan("generative AI assistant", index.vocabulary)
    assert "AI" in [w.original for w in plan.words]


def test_place_in_query(index):
    plan = query_plan("mission locale à Talence", index.vocabulary)
    assert plan.place_terms == ("talence",)
    assert plan.place_label == "Talence"
    assert [w.original for w in plan.words if not w.is_place] == ["mission locale"]


def test_hyphenated_places_match_however_typed(index):
    for text in ("Villenave-d'Ornon", "villenave d ornon", "Villenave d’Ornon", "villenave ornon"):
        assert query_plan(f"ordinateur {text}", index.vocabulary).place_terms == (
            "villenaveornon",
        ), text
    for text in ("Saint-André-de-Cubzac", "st andre de cubzac", "saint andre cubzac"):
        assert query_plan(text, index.vocabulary).place_terms == ("saintandrecubzac",), text


def test_misspelt_place(index):
    assert query_plan("jeunes a talance", index.vocabulary).place_terms == ("talence",)


def test_retrieval_terms_are_bounded_and_plain(index):
    text = "boulot logement papiers caf rsa apl ordi internet permis cantine bus sport " * 3
    plan = query_plan(text, index.vocabulary)
    assert 0 < len(plan.retrieval_terms) <= 40
    assert all(t.isascii() and t.isalnum() for t in plan.retrieval_terms)


def test_empty_query(index):
    plan = query_plan("  ?! ", index.vocabulary)
    assert plan.retrieval_terms == () and plan.words == ()


def test_stage1_expressions():
    from quartiers40.search.engine.stage1 import TS_RANK_WEIGHTS, fts5_match, tsquery

    assert fts5_match(["emploi", "jeun", "bad term"]) == '"emploi" OR "jeun"'
    assert tsquery(["emploi", "jeun"]) == "emploi | jeun"
    assert TS_RANK_WEIGHTS[3] == 1.0 and len(TS_RANK_WEIGHTS) == 4


def test_repeated_words_and_long_queries(index):
    plan = query_plan("emploi emploi Emploi jeunes " * 40, index.vocabulary)
    assert [w.normalised for w in plan.words] == ["emploi", "jeunes"]
    assert len(plan.concepts) == 2


def test_everyday_words_inside_place_names_are_not_places():
    from quartiers40.search.engine.harness import MemoryIndex

    index = MemoryIndex()
    for number, doc in enumerate(DOCS, 1):
        index.add(number, doc)
    index.add(99, SourceDocument("Point info", "Accueil.", (), ("Carbon-Blanc", "Gironde")))
    assert query_plan("livre blanc", index.vocabulary).place_terms == ()
    plan = query_plan("la mairie de carbon blanc", index.vocabulary)
    assert plan.place_terms == ("carbonblanc",)
    assert plan.place_label == "Carbon Blanc"


def test_misspelt_everyday_word(index):
    plan = query_plan("un boulo pour les jeunes", index.vocabulary)
    assert plan.words[0].corrected == "boulot"
    assert "emploi" in {e.label for e in plan.words[0].expansions}


def test_misspelt_little_words_are_dropped(index):
    plan = query_plan("comemnt trouver un emploi qunad on est jeune", index.vocabulary)
    assert [w.normalised for w in plan.words] == ["emploi", "jeune"]
