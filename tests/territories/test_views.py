import gzip
import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartiers40.members.enums import OrganisationStatus
from quartiers40.territories.templatetags.territories import distance, hectares, qpv_communes
from tests.members.factories import OrganisationFactory

from . import fake_geocoder
from .conftest import Response
from .factories import GoutteDOrFactory, QPVFactory, box

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _text(response) -> str:
    """The page as text: tags dropped, entities decoded, spaces collapsed."""
    content = response.content.decode()
    content = re.sub(r"<script.*?</script>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


@pytest.fixture
def goutte_dor():
    return GoutteDOrFactory()


# --- The directory ----------------------------------------------------------------------


def test_directory_lists_the_qpvs_in_force_with_links(client, goutte_dor):
    QPVFactory(name="Retiré du zonage", is_active=False)
    QPVFactory(name="Ancienne génération", generation=2015)
    response = client.get(reverse("territories:directory"))
    page = _text(response)
    assert response.status_code == 200
    assert "1 quartier prioritaire" in page
    assert "Goutte D'Or" in page and "Paris, Paris (75)" in page
    assert 'href="/territoires/qpv/QN07511M/"' in response.content.decode()
    assert "Retiré du zonage" not in page and "Ancienne génération" not in page


@pytest.mark.parametrize("query", ["goutte", "GOUTTE D'OR", "QN07511M", "qn075", "Paris", "75056"])
def test_directory_finds_a_qpv_by_name_code_commune_or_insee_code(client, goutte_dor, query):
    QPVFactory(
        name="Franc-Moisin",
        code="QN09301M",
        department_code="93",
        department_name="Seine-Saint-Denis",
        commune_code="93066",
        commune_name="Saint-Denis",
        commune_codes=["93066"],
        commune_names=["Saint-Denis"],
    )
    page = _text(client.get(reverse("territories:directory"), {"q": query}))
    assert "Goutte D'Or" in page
    assert "Franc-Moisin" not in page


def test_directory_filters_by_department(client, goutte_dor):
    QPVFactory(
        name="Franc-Moisin",
        code="QN09301M",
        department_code="93",
        department_name="Seine-Saint-Denis",
        geometry=box(2.36, 48.92),
    )
    response = client.get(reverse("territories:directory"), {"department": "93"})
    page = _text(response)
    assert "Franc-Moisin" in page and "Goutte D'Or" not in page
    assert "Tout effacer" in page
    # The map frames the QPVs found, and brings them out.
    assert 'data-bounds="2.36000,48.92000,2.37000,48.93000"' in response.content.decode()
    assert response.context["found_codes"] == ["QN09301M"]


def test_directory_says_when_nothing_matches(client, goutte_dor):
    page = _text(client.get(reverse("territories:directory"), {"q": "introuvable"}))
    assert "Aucun quartier prioritaire ne correspond" in page


def test_an_unknown_department_is_a_form_error_not_a_crash(client, goutte_dor):
    response = client.get(reverse("territories:directory"), {"department": "999"})
    assert response.status_code == 200
    assert "Goutte D'Or" in _text(response)


def test_directory_is_paginated(client):
    for number in range(60):
        QPVFactory(name=f"Quartier {number:02d}")
    first = _text(client.get(reverse("territories:directory")))
    assert "60 quartiers prioritaires" in first
    assert "Page 1 sur 2" in first and "Quartier 49" in first and "Quartier 50" not in first
    second = _text(client.get(reverse("territories:directory"), {"page": 2}))
    assert "Quartier 50" in second and "Quartier 59" in second and "Quartier 49" not in second


def test_directory_queries_do_not_grow_with_the_list(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page's own rendering is measured

    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("territories:directory"), params).status_code == 200
        return len(captured)

    QPVFactory.create_batch(3, department_code="93", geometry=box(2.4, 48.9))
    few, few_filtered = queries({}), queries({"department": "93"})
    QPVFactory.create_batch(57, department_code="93", geometry=box(2.4, 48.9))
    assert queries({}) == few
    assert queries({"department": "93"}) == few_filtered


def test_nav_links_to_the_territories_pages(client):
    content = client.get(reverse("home:home")).content.decode()
    assert f'href="{reverse("territories:directory")}"' in content
    assert f'href="{reverse("territories:check")}"' in content


# --- Map data ------------------------------------------------------------------------------


def test_map_points_are_every_qpv_in_force_gzipped_and_cacheable(client, goutte_dor):
    QPVFactory(code="QN09301M", name="Franc-Moisin", geometry=box(2.36, 48.92))
    QPVFactory(code="QN00000X", is_active=False, geometry=box(2.2, 48.8))
    directory = client.get(reverse("territories:directory")).content.decode()
    url = html.unescape(re.search(r'data-points-url="([^"]+)"', directory).group(1))

    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "max-age=31536000" in response["Cache-Control"]
    payload = json.loads(gzip.decompress(response.content))
    assert payload["fields"] == ["code", "name", "lon", "lat"]
    assert payload["qpvs"] == [
        ["QN07511M", "Goutte D'Or", 2.355, 48.885],
        ["QN09301M", "Franc-Moisin", 2.365, 48.925],
    ]

    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    plain = client.get(reverse("territories:map_points"))
    assert "Content-Encoding" not in plain
    assert "max-age=300" in plain["Cache-Control"]
    assert json.loads(plain.content) == payload


def test_map_points_change_when_the_layer_changes(client, goutte_dor):
    first = client.get(reverse("territories:map_points"))["ETag"]
    QPVFactory(geometry=box(2.36, 48.92))
    second = client.get(reverse("territories:map_points"))
    assert second["ETag"] != first
    assert len(json.loads(second.content)["qpvs"]) == 2


def test_map_perimeters_are_the_display_geometries_in_a_window(client, goutte_dor):
    QPVFactory(code="QN01301M", geometry=box(5.36, 43.3))
    response = client.get(
        reverse("territories:map_perimeters"),
        {"bbox": "2.3,48.85,2.4,48.9"},
        headers={"accept-encoding": "gzip"},
    )
    assert response.status_code == 200
    collection = json.loads(gzip.decompress(response.content))
    assert [feature["properties"] for feature in collection["features"]] == [
        {"code": "QN07511M", "name": "Goutte D'Or"}
    ]
    assert collection["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert "max-age=3600" in response["Cache-Control"]


@pytest.mark.parametrize("bbox", [None, "a,b,c,d", "2,48,1,49", "0,40,5,45", "1,2,3"])
def test_map_perimeters_refuse_a_missing_wrong_or_too_large_window(client, bbox):
    params = {} if bbox is None else {"bbox": bbox}
    assert client.get(reverse("territories:map_perimeters"), params).status_code == 400


def test_without_a_tile_server_the_map_has_a_plain_background(client, settings, goutte_dor):
    settings.MAP_TILE_URL = ""
    response = client.get(reverse("territories:directory"))
    assert "data-tile-url" not in response.content.decode()
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]


def test_a_tile_server_shows_with_its_attribution_and_is_allowed_by_the_csp(
    client, settings, goutte_dor
):
    settings.MAP_TILE_URL = "https://{s}.tuiles.exemple.fr/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Contributeurs d'OpenStreetMap"
    for url in (
        reverse("territories:directory"),
        reverse("territories:detail", args=["QN07511M"]),
        reverse("territories:check"),
    ):
        response = client.get(url)
        content = response.content.decode()
        assert 'data-tile-url="https://{s}.tuiles.exemple.fr/{z}/{x}/{y}.png"' in content
        assert 'data-tile-attribution="© Contributeurs d&#x27;OpenStreetMap"' in content
        csp = response["Content-Security-Policy"]
        assert "img-src 'self' data: https://*.tuiles.exemple.fr;" in csp
        assert "script-src 'self';" in csp


# --- A QPV's page ---------------------------------------------------------------------------


def test_qpv_page_shows_its_facts_and_perimeter(client, goutte_dor):
    response = client.get(reverse("territories:detail", args=["QN07511M"]))
    page = _text(response)
    assert response.status_code == 200
    assert "Goutte D'Or" in page
    assert "Commune Paris" in page
    assert "Département Paris (75)" in page
    assert "Région Île-de-France" in page
    assert "SIREN 200054781" in page
    assert "Source Liste officielle de 2024" in page
    assert "Génération" not in page
    assert "Code officiel QN07511M" in page  # secondary, after the facts in words
    assert f"Superficie {hectares(goutte_dor)}".replace(NBSP, " ") in page
    # The breadcrumb leads back to the directory, and to its department.
    assert "Accueil Quartiers prioritaires Paris Goutte D'Or" in page
    content = response.content.decode()
    assert 'href="/territoires/?department=75"' in content
    # Its perimeter, for the map, in a JSON script (not executed: the CSP allows it).
    perimeter = json.loads(
        re.search(
            r'<script id="qpv-perimetre" type="application/json">(.*?)</script>', content
        ).group(1)
    )
    assert perimeter["type"] in {"Polygon", "MultiPolygon"}
    assert 'data-geometry="qpv-perimetre"' in content


def test_qpv_page_code_is_case_insensitive_and_unknown_codes_are_404(client, goutte_dor):
    assert client.get(reverse("territories:detail", args=["qn07511m"])).status_code == 200
    assert client.get(reverse("territories:detail", args=["QN99999X"])).status_code == 404


def test_a_withdrawn_qpv_page_says_so(client):
    QPVFactory(code="QN07599M", is_active=False)
    page = _text(client.get(reverse("territories:detail", args=["QN07599M"])))
    assert "ne figure plus dans la dernière liste officielle" in page


def test_qpv_page_lists_the_member_organisations_acting_there(client, goutte_dor):
    acting = OrganisationFactory(name="Les Ateliers du Nord")
    acting.qpvs.add(goutte_dor)
    candidate = OrganisationFactory(
        name="Candidate", status=OrganisationStatus.CANDIDATE, joined_at=None
    )
    candidate.qpvs.add(goutte_dor)
    OrganisationFactory(name="Ailleurs")
    response = client.get(reverse("territories:detail", args=["QN07511M"]))
    page = _text(response)
    assert "Les Ateliers du Nord" in page
    assert "Candidate" not in page and "Ailleurs" not in page
    assert "Voir l'organisation qui agit dans ce quartier" in page
    content = response.content.decode()
    assert f'href="{acting.get_absolute_url()}"' in content
    assert 'href="/organisations/?qpv=QN07511M"' in content


def test_qpv_page_sections_have_their_empty_states(client, goutte_dor):
    response = client.get(reverse("territories:detail", args=["QN07511M"]))
    page = _text(response)
    for title, sentence, action in [
        ("Organisations qui agissent ici", "apparaîtront ici", "Faire connaître"),
        ("Projets d'IA dans ce quartier", "Proposez-le au catalogue", "Proposer un projet"),
        ("Défis", "Les besoins exprimés par les habitants", "Proposer un défi"),
        ("Opportunités à proximité", "Les formations, emplois", "Proposer une opportunité"),
    ]:
        assert title in page and sentence in page and action in page
    assert response.content.decode().count(f'href="{reverse("members:join")}"') >= 4
    # Anyone signed in posts a défi: no need to join the collective first.
    assert f'href="{reverse("challenges:create")}"' in response.content.decode()


# --- "Suis-je dans un QPV ?" ----------------------------------------------------------------


def test_check_page_without_a_question_shows_the_form(client, goutte_dor):
    response = client.get(reverse("territories:check"))
    page = _text(response)
    assert response.status_code == 200
    assert "Adresse" in page and "Latitude" in page and "Longitude" in page
    assert "Réponse" not in page
    assert 'method="get"' in response.content.decode()


def test_a_point_inside_a_qpv(client, goutte_dor):
    response = client.get(
        reverse("territories:check"), {"latitude": "48,886", "longitude": "2.354"}
    )
    page = _text(response)
    assert "Oui : ce point est dans le quartier prioritaire Goutte D'Or (QN07511M)." in page
    assert 'href="/territoires/qpv/QN07511M/"' in response.content.decode()
    assert "Point vérifié : latitude 48,8860, longitude 2,3540." in page
    assert response.context["answer"].inside


@pytest.mark.parametrize(
    ("lon", "expected"),
    [(2.37, f"à 730{NBSP}m"), (2.40, f"à 2,9{NBSP}km"), (2.60, f"à 18{NBSP}km")],
)
def test_a_point_outside_gives_the_nearest_qpv_and_its_distance(client, goutte_dor, lon, expected):
    response = client.get(reverse("territories:check"), {"latitude": 48.885, "longitude": lon})
    page = _text(response).replace(NBSP + " ", " ")
    assert "Non : le quartier prioritaire le plus proche est Goutte D'Or (QN07511M)" in page
    assert expected in response.content.decode()
    assert 'data-marker="' in response.content.decode()


def test_coordinates_win_over_the_address(client, settings, goutte_dor):
    settings.GEOCODER_URL = "http://127.0.0.1:9/never-called"
    response = client.get(
        reverse("territories:check"),
        {"adresse": "1 rue ailleurs", "latitude": "48.885", "longitude": "2.355"},
    )
    assert "Oui : ce point est dans" in _text(response)


def test_no_layer_loaded_says_it_cannot_answer(client):
    page = _text(client.get(reverse("territories:check"), {"latitude": 48.8, "longitude": 2.3}))
    assert "ne sont pas encore chargés" in page


def test_geocoder_off_says_so_and_offers_the_coordinates(client, settings, goutte_dor):
    settings.GEOCODER_ENABLED = False
    page = _text(client.get(reverse("territories:check")))
    assert "La recherche par adresse est désactivée sur ce site" in page

    response = client.get(reverse("territories:check"), {"adresse": "20 rue de la Goutte d'Or"})
    page = _text(response)
    assert "La recherche par adresse est désactivée sur ce site." in page
    assert "Indiquez plutôt la latitude et la longitude du lieu" in page
    assert 'value="20 rue de la Goutte d&#x27;Or"' in response.content.decode()
    assert 'name="latitude"' in response.content.decode()


def test_an_address_answered_by_the_geocoder(client, settings, http_server, goutte_dor):
    fake_geocoder.install(http_server, settings)
    response = client.get(
        reverse("territories:check"), {"adresse": "20 rue de la Goutte d'Or 75018 Paris"}
    )
    page = _text(response)
    assert "Oui : cette adresse est dans le quartier prioritaire Goutte D'Or (QN07511M)." in page
    assert "Adresse trouvée : 20 Rue de la Goutte d'Or 75018 Paris." in page
    assert "Adresse incertaine" not in page
    assert http_server.requests[0].query["q"] == ["20 rue de la Goutte d'Or 75018 Paris"]


def test_an_uncertain_address_says_so_and_shows_what_was_understood(
    client, settings, http_server, goutte_dor
):
    fake_geocoder.install(http_server, settings)
    response = client.get(reverse("territories:check"), {"adresse": "Quelque part"})
    page = _text(response)
    assert "Adresse incertaine. Nous avons compris « Quelque Part 75004 Paris »." in page
    assert "Non : le quartier prioritaire le plus proche est Goutte D'Or (QN07511M)" in page
    assert f"à 3,3{NBSP}km" in response.content.decode()


def test_an_address_not_found(client, settings, http_server, goutte_dor):
    fake_geocoder.install(http_server, settings)
    page = _text(client.get(reverse("territories:check"), {"adresse": "99 rue de Nulle Part"}))
    assert "Nous n'avons pas trouvé l'adresse « 99 rue de Nulle Part »." in page


def test_a_failing_geocoder_says_so_and_offers_the_coordinates(
    client, settings, http_server, goutte_dor
):
    http_server.route("GET", "/geocodage/search/", lambda request: Response(503, b"{}"))
    settings.GEOCODER_URL = http_server.url("/geocodage")
    settings.GEOCODER_RETRIES = 0
    response = client.get(reverse("territories:check"), {"adresse": "20 rue de la Goutte d'Or"})
    page = _text(response)
    assert "Le service de recherche d'adresses ne répond pas pour le moment." in page
    assert "Indiquez plutôt la latitude et la longitude du lieu" in page
    assert len(http_server.requests) == 1


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"latitude": "91", "longitude": "2.35"}, "latitude", "comprise entre -90 et 90"),
        ({"latitude": "48.8", "longitude": "200"}, "longitude", "comprise entre -180 et 180"),
        ({"latitude": "quarante-huit", "longitude": "2.35"}, "latitude", "nombre décimal"),
        ({"latitude": "48.8", "longitude": ""}, "longitude", "Indiquez aussi la longitude."),
        ({"latitude": "", "longitude": "2.35"}, "latitude", "Indiquez aussi la latitude."),
        ({"adresse": "ab"}, "adresse", "au moins 3 caractères"),
    ],
)
def test_invalid_input_keeps_what_was_typed_with_a_clear_error(
    client, goutte_dor, params, field, message
):
    response = client.get(reverse("territories:check"), params)
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["answer"] is None
    assert message in " ".join(response.context["form"].errors[field])
    assert "Le formulaire contient des erreurs" in _text(response)
    assert f'id="id_{field}_error"' in content
    assert 'aria-invalid="true"' in content
    for value in params.values():
        if value:
            assert f'value="{value}"' in content


def test_an_empty_question_asks_for_an_address_or_coordinates(client, goutte_dor):
    response = client.get(reverse("territories:check"), {"adresse": "", "latitude": ""})
    assert "Saisissez une adresse, ou une latitude et une longitude." in _text(response)


# --- Formatting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metres", "expected"),
    [
        (0, "moins de 10 m"),
        (9.4, "moins de 10 m"),
        (354, "350 m"),
        (996, "1,0 km"),
        (9_960, "10 km"),
        (1000, "1,0 km"),
        (2849, "2,8 km"),
        (18_400, "18 km"),
        (1_234_567, "1 235 km"),
    ],
)
def test_distances_are_written_in_french(metres, expected):
    assert distance(metres).replace(NBSP, " ").replace("\u202f", " ") == expected


def test_communes_by_name_never_by_code():
    assert qpv_communes(QPVFactory.build(commune_names=["Paris", "Saint-Ouen"])) == (
        "Paris, Saint-Ouen"
    )
    # Two codes of one commune since a merger: named once.
    assert qpv_communes(QPVFactory.build(commune_names=["Saint-Denis", "Saint-Denis"])) == (
        "Saint-Denis"
    )
    assert (
        qpv_communes(
            QPVFactory.build(commune_names=[], commune_name="", commune_codes=["93066", "93070"])
        )
        == ""
    )
