"""GET /api/v1/search/: the same search as the page, in the API's formats."""

import pytest

from quartiers40.search import services
from quartiers40.search.services import search_index_sync

from .stub_sources import MemorySource, record

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"


@pytest.fixture
def indexed(monkeypatch):
    projects = MemorySource("project")
    places = MemorySource("organisation")
    monkeypatch.setattr(
        services, "kind_sources", lambda: {"project": projects, "organisation": places}
    )
    projects.put(
        record(
            1, "Assistant CV pour les jeunes", body="Trouver un emploi.", department_codes=("93",)
        )
    )
    places.put(
        record(
            2,
            "Mission locale",
            kind="organisation",
            body="Emploi des jeunes.",
            point=(44.84, -0.58),
            department_codes=("33",),
        )
    )
    search_index_sync()


def test_search_answers_items_with_type_url_and_matched_words(client, indexed):
    body = client.get(URL, {"q": "emploi des jeunes"}).json()
    assert body["count"] == 2
    assert body["counts_by_type"] == {"project": 1, "organisation": 1}
    item = body["items"][0]
    assert set(item) >= {"type", "title", "url", "place", "matched", "score", "state"}
    assert item["url"].startswith("http://testserver/")
    assert item["matched"]


def test_filters(client, indexed):
    assert client.get(URL, {"q": "emploi", "type": "organisation"}).json()["count"] == 1
    assert client.get(URL, {"q": "emploi", "department": "93"}).json()["count"] == 1
    near = client.get(URL, {"q": "emploi", "lat": 44.84, "lon": -0.58, "radius_km": 1}).json()
    assert [item["title"] for item in near["items"]] == ["Mission locale"]
    assert near["items"][0]["distance_km"] == 0.0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "personne"}, "type"),
        ({"state": "draft"}, "state"),
        ({"qpv": "x"}, "qpv"),
        ({"lat": 44.8}, "lat"),
    ],
)
def test_invalid_filters_answer_422_in_the_error_format(client, indexed, params, field):
    response = client.get(URL, {"q": "emploi", **params})
    assert response.status_code == 422
    assert field in response.json()["error"]["details"]["fields"]


def test_pages_link_to_each_other(client, indexed):
    body = client.get(URL, {"q": "emploi", "page_size": 1}).json()
    assert body["pages"] == 2 and body["next"] and body["previous"] is None
