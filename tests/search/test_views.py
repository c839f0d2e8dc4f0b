"""The results page and the box on every page (GET, no JavaScript needed)."""

import pytest
from django.urls import reverse

from quartiers40.search import services
from quartiers40.search.services import search_index_sync

from .stub_sources import MemorySource, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(monkeypatch):
    projects = MemorySource("project")
    monkeypatch.setattr(services, "kind_sources", lambda: {"project": projects})
    projects.put(
        record(
            1,
            "Assistant CV pour les jeunes",
            body="Trouver un emploi.",
            place_label="Franc-Moisin, Saint-Denis",
            status_label="Pilote",
            qpv_codes=("QN09301M",),
        )
    )
    for pk in range(2, 30):
        projects.put(record(pk, f"Atelier numérique {pk}", body="Cours d'informatique."))
    search_index_sync()


def test_every_page_has_the_search_box(client):
    page = client.get(reverse("home:home")).content.decode()
    assert 'action="/recherche/"' in page and 'role="search"' in page
    assert 'name="q"' in page


def test_results_show_kind_place_status_and_the_words_that_matched(client, indexed):
    response = client.get(reverse("search:results"), {"q": "emploi jeunes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Assistant CV pour les jeunes" in page
    assert "Projet" in page and "Franc-Moisin, Saint-Denis" in page and "Pilote" in page
    assert "<mark>" in page
    assert 'value="emploi jeunes"' in page  # the box keeps what she typed


def test_results_are_paginated_without_javascript(client, indexed):
    page = client.get(reverse("search:results"), {"q": "atelier"}).content.decode()
    assert "Page 1 sur 2" in page and 'rel="next"' in page
    second = client.get(reverse("search:results"), {"q": "atelier", "page": 2}).content.decode()
    assert "Page 2 sur 2" in second


def test_an_invalid_filter_says_so_and_keeps_the_words(client, indexed):
    response = client.get(reverse("search:results"), {"q": "emploi", "qpv": "pas-un-code"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce code de quartier prioritaire n&#x27;existe pas." in page
    assert 'value="emploi"' in page


def test_a_place_not_understood_is_said_with_no_empty_results(client, indexed, settings):
    settings.GEOCODER_ENABLED = False
    page = client.get(
        reverse("search:results"), {"q": "emploi", "ou": "Zzzyxville"}
    ).content.decode()
    assert "Zzzyxville" in page
    assert "Aucun résultat" not in page


def test_nothing_found_says_what_to_try(client, indexed):
    page = client.get(reverse("search:results"), {"q": "xylophone"}).content.decode()
    assert "Aucun résultat" in page


def test_the_page_in_english(client, indexed):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("search:results"), {"q": "emploi"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200


def test_the_place_named_in_the_query_is_shown_as_the_official_list_writes_it(client, monkeypatch):
    from tests.opportunities.public_fixtures import commune

    commune("33281", "Mérignac", ["33700"], "33")
    places = MemorySource("organisation")
    monkeypatch.setattr(services, "kind_sources", lambda: {"organisation": places})
    places.put(
        record(
            1,
            "Espace numérique",
            kind="organisation",
            body="Atelier numérique.",
            places=("Mérignac", "Gironde"),
        )
    )
    search_index_sync()
    page = client.get(reverse("search:results"), {"q": "atelier numerique a merignac"})
    assert "<strong>Mérignac</strong>" in page.content.decode()


def test_a_status_is_stored_in_french_and_shown_in_the_visitor_s_language(client):
    from datetime import date, timedelta

    from django.utils import timezone, translation
    from django.utils.formats import date_format

    from quartiers40.search.models import SearchDocument
    from tests.opportunities.factories import OpportunityFactory

    deadline = timezone.localdate() + timedelta(days=30)
    OpportunityFactory(title="Formation au code numérique", deadline=deadline)
    with translation.override("en"):  # a write made from the English pages
        search_index_sync(kinds=["opportunity"])
    document = SearchDocument.objects.get(kind="opportunity")
    assert document.status_label == "Inscriptions jusqu'au %(date)s"
    assert date.fromisoformat(document.extra["status_date"]) == deadline
    french = client.get(reverse("search:results"), {"q": "formation code"}).content.decode()
    with translation.override("fr"):
        assert f"Inscriptions jusqu&#x27;au {date_format(deadline, 'j F Y')}" in french
    client.cookies["django_language"] = "en"
    english = client.get(
        reverse("search:results"), {"q": "formation code"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    with translation.override("en"):
        assert f"Registration open until {date_format(deadline, 'j F Y')}" in english
