from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiers40.challenges import exports, services
from quartiers40.challenges.enums import ModerationState
from quartiers40.challenges.models import Challenge
from tests.members.factories import UserFactory
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

MAP_URL = "/defis/carte/"
DATA_URL = "/defis/carte/points.json"


def post(*, qpvs=(), **fields) -> Challenge:
    author = UserFactory(date_joined=timezone.now() - timedelta(days=60))
    fields.setdefault("title", "Pas de wifi dans les halls")
    fields.setdefault("situation", "Les enfants font leurs devoirs dans l'escalier.")
    fields.setdefault("affected", "Les collégiens.")
    fields.setdefault("solved_when", "Un wifi gratuit ouvert le soir.")
    if not qpvs:
        fields.setdefault("commune_name", "Saint-Denis")
    return services.challenge_post(actor=author, qpvs=qpvs, **fields)


@pytest.fixture
def placed():
    franc_moisin = QPVFactory(
        code="QN09301M",
        name="Franc-Moisin",
        department_code="93",
        centroid_lon=2.36,
        centroid_lat=48.92,
    )
    cosmonautes = QPVFactory(
        code="QN09302M",
        name="Cosmonautes",
        department_code="93",
        centroid_lon=2.37,
        centroid_lat=48.93,
    )
    no_centroid = QPVFactory(code="QN09303M", name="Sans centre", department_code="93")
    return {
        "wifi": post(title="Pas de wifi", qpvs=[franc_moisin, cosmonautes], themes=["housing"]),
        "caf": post(title="Courriers de la CAF", qpvs=[franc_moisin], themes=["public_services"]),
        "commune": post(title="Un défi communal", commune_name="Sevran"),
        "no_centroid": post(title="Sans centroïde", qpvs=[no_centroid]),
    }


def test_points_place_each_challenge_on_its_qpvs(client, placed):
    response = client.get(DATA_URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    data = response.json()
    assert data["url_template"] == "/defis/SLUG/"
    points = {point["code"]: point for point in data["points"]}
    assert set(points) == {"QN09301M", "QN09302M"}
    assert points["QN09301M"]["lon"] == 2.36 and points["QN09301M"]["lat"] == 48.92
    assert points["QN09301M"]["items"] == [
        ["Courriers de la CAF", placed["caf"].slug],
        ["Pas de wifi", placed["wifi"].slug],
    ]
    assert points["QN09302M"]["items"] == [["Pas de wifi", placed["wifi"].slug]]
    assert data["unplaced"] == 2


def test_points_follow_the_filters_and_hide_non_public_challenges(client, placed):
    hidden = placed["caf"]
    Challenge.objects.filter(pk=hidden.pk).update(moderation=ModerationState.HIDDEN)

    everything = client.get(DATA_URL).json()
    housing = client.get(DATA_URL, {"theme": "public_services"}).json()

    assert hidden.slug not in str(everything)
    assert housing["points"] == []


def test_the_map_page_lists_the_same_challenges_as_text(client, placed):
    response = client.get(MAP_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "data-points-map" in page
    assert 'data-points-url="/defis/carte/points.json?"' in page
    assert "core/points-map.js" in page
    assert "<script>" not in page  # CSP: no inline script
    for challenge in placed.values():
        assert f'href="/defis/{challenge.slug}/"' in page
    assert "Franc-Moisin" in page and "Cosmonautes" in page
    assert "Les défis placés sur une commune" in page
    assert "2 quartiers prioritaires ont des défis" in page


def test_the_map_page_keeps_its_filters(client, placed):
    page = client.get(MAP_URL, {"theme": "housing", "sort": "newest"}).content.decode()

    assert "Pas de wifi" in page
    assert "Courriers de la CAF" not in page
    assert 'data-points-url="/defis/carte/points.json?theme=housing"' in page
    assert 'href="/defis/?theme=housing"' in page
    assert "Tout effacer" in page


def test_the_map_page_without_challenges(client):
    page = client.get(MAP_URL).content.decode()

    assert "Aucun défi ne correspond" in page


def test_carte_is_never_read_as_a_challenge_slug(client):
    challenge = post(title="carte")

    assert challenge.slug != "carte"
    assert client.get(MAP_URL).status_code == 200


def test_map_query_count_does_not_grow(client):
    qpv = QPVFactory(centroid_lon=2.3, centroid_lat=48.9)

    def queries(total: int) -> int:
        while Challenge.objects.count() < total:
            post(title="Défi", qpvs=[qpv])
            post(title="Communal", commune_name="Sevran")
        with CaptureQueriesContext(connection) as captured:
            client.get(DATA_URL)
        return len(captured)

    assert queries(2) == queries(12) <= 2


def test_map_points_helper_counts_unplaced():
    qpv = QPVFactory(centroid_lon=2.3, centroid_lat=48.9)
    post(title="Placé", qpvs=[qpv])
    post(title="Communal", commune_name="Sevran")

    data = exports.challenge_map_points(Challenge.objects.all())

    assert [point["code"] for point in data["points"]] == [qpv.code]
    assert data["unplaced"] == [{"title": "Communal", "slug": "communal", "commune_name": "Sevran"}]
