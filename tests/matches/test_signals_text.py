"""The words signal, through the site-wide search's own index."""

import pytest

from quartiers40.matches import suggest
from quartiers40.matches.enums import SuggestionKind
from quartiers40.matches.signals_text import query_text, text_hits
from quartiers40.search.services import search_index_sync


@pytest.fixture
def indexed(world):
    search_index_sync()
    return world


def test_the_search_finds_the_subjects_words_in_other_items(indexed):
    hits = text_hits("CV jeunes Franc-Moisin", "project")
    hit = hits[indexed.project.pk]
    assert hit.score == 1.0
    assert "CV" in hit.words and "Franc-Moisin" not in hit.words  # a place is not a word
    assert indexed.draft_project.pk not in hits  # drafts are not in the index at all


def test_the_words_are_said_on_the_suggestion(indexed):
    (first, *_rest) = suggest.challenge_suggestions(indexed.challenge)[SuggestionKind.PROJECT]
    words = next(reason for reason in first.reasons if reason.code == "words")
    assert "CV" in words.data["words"]
    assert "« CV »" in first.explanation


def test_no_words_no_search():
    assert text_hits("", "project") == {}
    assert query_text("Un titre", "", "la suite", words=3) == "Un titre la"
