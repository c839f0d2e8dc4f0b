"""The query path through the database (backends.py) and the ranking (selectors.py): French
as people type it, filters, pages — on SQLite and PostgreSQL alike."""

import pytest

from quartiers40.search import services
from quartiers40.search.backends import DatabaseVocabulary, DocumentFilters, stage1
from quartiers40.search.selectors import Around, SearchQuery, search_rank, search_run
from quartiers40.search.services import search_index_sync

from .stub_sources import MemorySource, record

pytestmark = pytest.mark.django_db

MERIGNAC = (44.8386, -0.6436)
BORDEAUX = (44.8378, -0.5792)


@pytest.fixture
def indexed(monkeypatch):
    projects = MemorySource("project")
    places = MemorySource("organisation")
    monkeypatch.setattr(
        services, "kind_sources", lambda: {"project": projects, "organisation": places}
    )
    projects.put(
        record(
            1,
            "Assistant CV pour les jeunes",
            body="Rédiger son curriculum vitae et chercher un emploi avec une IA.",
            tags=("Emploi",),
            department_codes=("93",),
            qpv_codes=("QN09301M",),
        )
    )
    projects.put(
        record(
            2,
            "Démarches administratives en ligne",
            body="Aide pour remplir les démarches de la CAF et des impôts.",
            department_codes=("33",),
        )
    )
    projects.put(
        record(3, "Cartographie des arbres", body="Inventaire des arbres urbains.", state="closed")
    )
    places.put(
        record(
            10,
            "Espace public numérique de Mérignac",
            kind="organisation",
            body="Atelier numérique gratuit, ordinateurs et imprimante en accès libre.",
            places=("Mérignac", "Bordeaux Métropole", "Gironde"),
            point=MERIGNAC,
            commune_codes=("33281",),
            department_codes=("33",),
        )
    )
    places.put(
        record(
            11,
            "Atelier numérique du centre social",
            kind="organisation",
            body="Atelier numérique pour débutants.",
            places=("Bordeaux", "Bordeaux Métropole", "Gironde"),
            point=BORDEAUX,
            commune_codes=("33063",),
            department_codes=("33",),
        )
    )
    search_index_sync()
    return projects, places


def _titles(text, **filters):
    _plan, ranked, _kinds = search_rank(text, filters=DocumentFilters(**filters))
    from quartiers40.search.models import SearchDocument

    titles = dict(SearchDocument.objects.values_list("pk", "title"))
    return [titles[item.doc_id] for item in ranked]


def test_missing_accents_find_the_accented_words(indexed):
    assert _titles("demarches")[0] == "Démarches administratives en ligne"
    assert _titles("DÉMARCHES")[0] == "Démarches administratives en ligne"


def test_a_typo_is_corrected_from_the_index_vocabulary(indexed):
    assert _titles("demarchs administrativs")[0] == "Démarches administratives en ligne"


def test_words_of_a_phrase_need_not_be_together(indexed):
    assert _titles("IA emploi jeunes")[0] == "Assistant CV pour les jeunes"


def test_the_place_named_in_the_query_comes_first(indexed):
    assert _titles("atelier numérique à Mérignac")[0] == "Espace public numérique de Mérignac"
    assert _titles("atelier numerique bordeaux")[0] == "Atelier numérique du centre social"


def test_filters_by_kind_state_and_territory(indexed):
    assert _titles("atelier", kinds=("project",)) == []
    assert "Cartographie des arbres" not in _titles("arbres", state="active")
    assert _titles("arbres", state="closed") == ["Cartographie des arbres"]
    assert _titles("emploi", qpv="QN09301M") == ["Assistant CV pour les jeunes"]
    assert _titles("emploi", qpv="QN09301") == []  # a code is matched whole
    assert set(_titles("numérique", department="33")) >= {
        "Espace public numérique de Mérignac",
        "Atelier numérique du centre social",
    }


def test_around_a_point_keeps_what_is_within_the_radius(indexed):
    results = search_run(
        SearchQuery(text="atelier numérique", around=Around(*MERIGNAC, radius_m=2000))
    )
    assert [hit.document.title for hit in results.hits] == ["Espace public numérique de Mérignac"]
    assert results.hits[0].distance_km == 0.0


def test_results_count_by_kind_and_say_what_matched(indexed):
    results = search_run(SearchQuery(text="atelier numérique", kinds=("organisation",)))
    assert results.kind_counts == {"organisation": 2}
    assert {hit.document.kind for hit in results.hits} == {"organisation"}
    assert all(hit.matched for hit in results.hits)


def test_stage1_and_vocabulary_answer_from_the_index(indexed):
    vocabulary = DatabaseVocabulary()
    assert vocabulary.document_count == 5
    frequencies = vocabulary.frequencies(["atelier", "inconnuxyz"])
    assert list(frequencies) == ["atelier"]
    assert "atelier" in vocabulary.neighbours("ateleir")
    assert stage1(["atelier"], filters=DocumentFilters()) != []
    assert stage1([], filters=DocumentFilters()) == []


def test_pages(indexed, monkeypatch):
    first = search_run(SearchQuery(text="numérique"), page_size=1)
    assert first.total >= 2 and first.pages == first.total and first.has_next
    last = search_run(SearchQuery(text="numérique", page=999), page_size=1)
    assert last.page == last.pages and not last.has_next


def test_stage1_in_the_titles_and_tags_only(indexed):
    everywhere = stage1(["emploi"], filters=DocumentFilters())
    assert everywhere  # in a body ("chercher un emploi") and in the tags
    head = stage1(["cv"], filters=DocumentFilters(), head_only=True)
    assert [pk for pk, _score in head] == [
        pk for pk, _score in stage1(["cv"], filters=DocumentFilters())
    ]
    assert stage1(["curriculum"], filters=DocumentFilters(), head_only=True) == []  # body only
