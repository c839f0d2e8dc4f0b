"""The optional embedding model in the index and the ranking, against a real local server
speaking the OpenAI / Albert format; and the fall back to words when it fails."""

import json

import pytest

from quartiers40.search import services
from quartiers40.search.backends import DocumentFilters
from quartiers40.search.models import SearchDocument
from quartiers40.search.selectors import search_rank
from quartiers40.search.services import search_index_sync

from .stub_sources import MemorySource, record
from .test_client_embeddings import Answer
from .test_client_embeddings import api as api  # a fixture: the local server, used below

pytestmark = pytest.mark.django_db

NEAR_QUERY = [1.0, 0.0, 0.0, 0.0]
FAR = [0.0, 1.0, 0.0, 0.0]


def _meaning(body: dict) -> Answer:
    """A model for which "Beta" means what the query means, and nothing else does."""
    vectors = [
        NEAR_QUERY if ("Beta" in text or text == "atelier du soir") else FAR
        for text in body["input"]
    ]
    data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
    return Answer(body=json.dumps({"object": "list", "data": data, "model": "m"}).encode())


@pytest.fixture
def two_workshops(monkeypatch):
    source = MemorySource("project")
    monkeypatch.setattr(services, "kind_sources", lambda: {"project": source})
    source.put(record(1, "Atelier du soir Alpha", body="L'atelier du soir, chaque soir."))
    source.put(
        record(
            2,
            "Atelier Beta",
            body="L'atelier du soir, chaque semaine, avec des jeux.",
        )
    )
    return source


def _order(text):
    _plan, ranked, _kinds = search_rank(text, filters=DocumentFilters())
    titles = dict(SearchDocument.objects.values_list("pk", "title"))
    return [titles[item.doc_id] for item in ranked]


def test_documents_get_vectors_and_meaning_reorders_the_words_ranking(api, two_workshops):
    api.then(_meaning)
    search_index_sync()
    assert SearchDocument.objects.filter(embedding__isnull=False).count() == 2
    api.then(_meaning)
    assert _order("atelier du soir") == ["Atelier Beta", "Atelier du soir Alpha"]


def test_without_the_model_words_alone_rank(settings, two_workshops):
    settings.SEARCH_EMBEDDINGS_URL = ""
    search_index_sync()
    assert SearchDocument.objects.filter(embedding__isnull=False).count() == 0
    assert _order("atelier du soir")[0] == "Atelier du soir Alpha"


def test_a_failing_model_leaves_the_words_order(api, two_workshops):
    api.then(_meaning)
    search_index_sync()
    api.then(Answer(500, b'{"detail": "boom"}'), Answer(500, b'{"detail": "boom"}'))
    assert _order("atelier du soir")[0] == "Atelier du soir Alpha"


def test_indexing_goes_on_when_the_model_fails(api, two_workshops):
    api.then(Answer(500, b"{}"), Answer(500, b"{}"))
    search_index_sync()
    assert SearchDocument.objects.count() == 2
    assert SearchDocument.objects.filter(embedding__isnull=False).count() == 0
