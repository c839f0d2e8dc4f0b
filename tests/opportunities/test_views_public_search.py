"""'Près de chez moi': by address (a fake geocoder on a real local server), commune,
postcode, QPV, a point; each filter; pagination; not found; geocoder off; nothing kept."""

import html as html_lib
import logging
import re

import pytest
from django.urls import reverse

from quartiers40.opportunities.enums import Cost, Level, OpportunityKind, QPVPriority, Situation
from quartiers40.opportunities.records import PlaceInput
from quartiers40.opportunities.services import opportunity_places_set
from tests.opportunities.factories import OpportunityFactory
from tests.opportunities.public_fixtures import *  # noqa: F403
from tests.opportunities.public_fixtures import IN_GOUTTE_DOR, SEVRAN_QPV_CENTER, north_of

pytestmark = pytest.mark.django_db

URL = reverse("opportunities:search")


def _at(origin, metres: float = 0, **fields):
    opportunity = OpportunityFactory(**fields)
    lat, lon = north_of(origin, metres)
    opportunity_places_set(
        opportunity=opportunity,
        places=[
            PlaceInput(name="Centre social", commune_name="Paris", latitude=lat, longitude=lon)
        ],
    )
    return opportunity


def _titles(response) -> list[str]:
    html = response.content.decode()
    return [
        html_lib.unescape(title)
        for title in re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    ]


def _text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html_lib.unescape(text))


def test_first_visit_shows_the_form_and_says_nothing_is_kept(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = _text(response)
    assert "Où habitez-vous ?" in page
    assert "Nous ne gardons rien de votre recherche" in page
    # "Me localiser" is there for JavaScript only: hidden until the script shows it.
    assert re.search(r"<button[^>]*hidden data-locate", response.content.decode())
    assert 'name="rayon"' in response.content.decode()
    assert '<option value="10" selected>' in response.content.decode()


def test_by_address_nearest_first_with_reasons(client, territory, geocoder):
    far = _at(IN_GOUTTE_DOR, 4000, title="Atelier loin")
    near = _at(IN_GOUTTE_DOR, 790, title="Atelier près", age_min=16, age_max=25)
    _at(IN_GOUTTE_DOR, 30_000, title="Hors du rayon")
    response = client.get(URL, {"lieu": "20 rue de la Goutte d'Or 75018 Paris"})
    assert response.status_code == 200
    assert _titles(response) == [near.title, far.title]
    page = _text(response)
    assert "Autour de 20 Rue de la Goutte d'Or 75018 Paris" in page
    assert "Gratuit · à 800 m · pour les 16–25 ans · sans diplôme" in page
    assert "à 4 km" in page
    assert "vous êtes dans le quartier Goutte D'Or" in page
    assert geocoder.requests[-1].query["q"] == ["20 rue de la Goutte d'Or 75018 Paris"]


def test_qpv_only_items_say_her_quartier_and_are_hidden_outside(client, territory, geocoder):
    reserved = _at(IN_GOUTTE_DOR, 100, title="Réservé QPV", qpv_priority=QPVPriority.ONLY)
    response = client.get(URL, {"lieu": "20 rue de la Goutte d'Or 75018 Paris"})
    assert _titles(response) == [reserved.title]
    assert "Réservé aux habitants des quartiers prioritaires — vous habitez Goutte D'Or" in _text(
        response
    )
    # "Quelque part" (48.85 N, 4 km south) is outside the square: she does not live in a QPV.
    response = client.get(URL, {"lieu": "Quelque part"})
    assert "Autour de Quelque Part 75004 Paris" in _text(response)
    assert _titles(response) == []


def test_by_commune_name_around_its_qpvs(client, territory):
    sevran = _at(SEVRAN_QPV_CENTER, 1500, title="Emploi à Sevran")
    _at(IN_GOUTTE_DOR, 0, title="À Paris")
    response = client.get(URL, {"lieu": "sevran", "rayon": "5"})
    assert _titles(response) == [sevran.title]
    assert "Autour de Sevran" in _text(response)
    assert "à 1,5 km" in _text(response)


def test_by_postcode(client, territory):
    sevran = _at(SEVRAN_QPV_CENTER, 200, title="Emploi à Sevran")
    response = client.get(URL, {"lieu": "93270"})
    assert _titles(response) == [sevran.title]
    assert "Autour de Sevran" in _text(response)


def test_an_arrondissement_postcode_is_around_its_known_places(client, territory):
    paris = OpportunityFactory(title="Au 18e")
    opportunity_places_set(
        opportunity=paris,
        places=[PlaceInput(postcode="75018", commune_name="Paris", latitude=48.89, longitude=2.34)],
    )
    response = client.get(URL, {"lieu": "75018", "rayon": "2"})
    assert _titles(response) == [paris.title]
    assert "Autour de Paris 18e Arrondissement" in _text(response)


def test_by_qpv_code_name_or_link(client, territory):
    inside = _at((48.885, 2.355), 0, title="Dans la Goutte d'Or")
    for query in ({"qpv": "QN07511M"}, {"lieu": "Goutte d'Or"}, {"lieu": "Goutte D'Or (QN07511M)"}):
        response = client.get(URL, query)
        assert _titles(response) == [inside.title], query
        assert "Autour de Goutte D'Or" in _text(response)
    # A link from a QPV page: the box says where, so a new search keeps it.
    response = client.get(URL, {"qpv": "QN07511M"})
    assert 'value="Goutte D&#x27;Or (QN07511M)"' in response.content.decode()


def test_by_position_from_the_browser(client, territory):
    near = _at(IN_GOUTTE_DOR, 300, title="Tout près")
    response = client.get(URL, {"lat": "48.886", "lon": "2.354", "lieu": ""})
    assert _titles(response) == [near.title]
    assert "Autour de votre position" in _text(response)


def test_two_communes_of_the_same_name_she_chooses(client, territory):
    response = client.get(URL, {"lieu": "Saint-Denis", "gratuit": "on"})
    page = _text(response)
    assert "Plusieurs communes portent ce nom" in page
    html = response.content.decode()
    assert "Saint-Denis (93)" in page and "Saint-Denis (974)" in page
    # Each choice keeps her filters and replaces the place.
    assert "gratuit=on" in html and "lieu=Saint-Denis+%2893%29" in html
    # The box keeps what she typed.
    assert 'value="Saint-Denis"' in html
    # The choice is understood.
    response = client.get(URL, {"lieu": "Saint-Denis (974)"})
    assert "Nous ne savons pas encore situer cette commune" in _text(response)


def test_a_commune_we_cannot_place_offers_its_quartiers(client, territory):
    response = client.get(URL, {"lieu": "Bobigny"})
    page = _text(response)
    assert "Nous ne savons pas encore situer cette commune" in page
    assert "Les Beaudottes" in page  # a quartier of the same department, to choose


def test_address_not_found_keeps_the_text_and_suggests(client, territory, geocoder):
    response = client.get(URL, {"lieu": "1 rue qui n'existe pas 93270 Sevran"})
    page = _text(response)
    assert "Nous n'avons pas trouvé « 1 rue qui n'existe pas 93270 Sevran »" in page
    assert "Sevran (93)" in page  # the postcode in the address
    assert 'value="1 rue qui n&#x27;existe pas 93270 Sevran"' in response.content.decode()


def test_geocoder_off_says_so_and_suggests(client, territory, settings):
    settings.GEOCODER_ENABLED = False
    response = client.get(URL, {"lieu": "20 rue de la Goutte d'Or 75018 Paris"})
    page = _text(response)
    assert "Nous ne pouvons pas chercher les adresses en ce moment" in page
    assert "Paris 18e Arrondissement (75)" in page or "Paris (75)" in page
    # A commune still works without the geocoder.
    _at(SEVRAN_QPV_CENTER, 100, title="Sevran")
    assert _titles(client.get(URL, {"lieu": "Sevran"})) == ["Sevran"]


def test_an_unknown_postcode_is_not_found(client, territory):
    response = client.get(URL, {"lieu": "99999"})
    assert "Nous n'avons pas trouvé « 99999 »" in _text(response)


def test_filters_without_a_place_ask_where(client, territory):
    response = client.get(URL, {"gratuit": "on"})
    assert "Dites-nous où chercher" in _text(response)


def test_radius(client, territory):
    _at(SEVRAN_QPV_CENTER, 1000, title="À 1 km")
    _at(SEVRAN_QPV_CENTER, 4000, title="À 4 km")
    _at(SEVRAN_QPV_CENTER, 20_000, title="À 20 km")
    assert _titles(client.get(URL, {"lieu": "Sevran", "rayon": "2"})) == ["À 1 km"]
    assert len(_titles(client.get(URL, {"lieu": "Sevran"}))) == 2  # 10 km by default
    assert len(_titles(client.get(URL, {"lieu": "Sevran", "rayon": "25"}))) == 3
    response = client.get(URL, {"lieu": "Sevran", "rayon": "7"})
    assert "Sélectionnez un choix valide" in _text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": OpportunityKind.JOB}, ["Emploi"]),
        ({"theme": "trouver-un-emploi"}, ["Emploi"]),
        ({"gratuit": "on"}, ["Formation", "Emploi", "Atelier pour les jeunes"]),
        ({"age": "40"}, ["Formation", "Emploi", "Payant bac"]),
        # For everybody (no situation listed), or for hers.
        (
            {"situation": Situation.YOUNG},
            ["Formation", "Emploi", "Atelier pour les jeunes", "Payant bac"],
        ),
        ({"situation": Situation.SENIOR}, ["Formation", "Emploi", "Payant bac"]),
        ({"diplome": str(Level.NONE)}, ["Formation", "Emploi", "Atelier pour les jeunes"]),
    ],
)
def test_each_filter(client, territory, query, expected):
    _at(SEVRAN_QPV_CENTER, 100, title="Formation")
    _at(
        SEVRAN_QPV_CENTER,
        200,
        title="Emploi",
        kind=OpportunityKind.JOB,
        themes=["trouver-un-emploi--candidater-et-postuler"],
    )
    _at(
        SEVRAN_QPV_CENTER,
        300,
        title="Atelier pour les jeunes",
        kind=OpportunityKind.WORKSHOP,
        age_min=16,
        age_max=25,
        situations=[Situation.YOUNG],
    )
    _at(SEVRAN_QPV_CENTER, 400, title="Payant bac", cost=Cost.PAID, level_required=Level.BAC)
    response = client.get(URL, {"lieu": "Sevran", **query})
    assert response.status_code == 200
    assert _titles(response) == expected


def test_the_pour_moi_fold_opens_when_used(client, territory):
    closed = client.get(URL, {"lieu": "Sevran"}).content.decode()
    assert '<details class="near-more">\n    <summary>Pour moi' in closed
    opened = client.get(URL, {"lieu": "Sevran", "age": "30"}).content.decode()
    assert '<details class="near-more" open>\n    <summary>Pour moi' in opened


def test_theme_select_has_the_categories_not_the_sub_themes(client):
    html = client.get(URL).content.decode()
    theme_select = html[
        html.index('name="theme"') : html.index("</select>", html.index('name="theme"'))
    ]
    assert theme_select.count("<option") == 17  # "Tous les sujets" and 16 categories
    assert 'value="numerique"' in theme_select and "--" not in theme_select


def test_remote_items_are_interleaved_and_said(client, territory):
    for i in range(4):
        _at(SEVRAN_QPV_CENTER, 100 * (i + 1), title=f"Sur place {i}")
    OpportunityFactory(title="En ligne", is_remote=True)
    titles = _titles(client.get(URL, {"lieu": "Sevran"}))
    assert titles[3] == "En ligne"
    assert "Gratuit · à distance · sans diplôme" in _text(client.get(URL, {"lieu": "Sevran"}))


def test_pagination_keeps_the_search(client, territory):
    for i in range(23):
        _at(SEVRAN_QPV_CENTER, 10 * (i + 1), title=f"Item {i:02d}")
    first = client.get(URL, {"lieu": "Sevran", "gratuit": "on"})
    assert _titles(first) == [f"Item {i:02d}" for i in range(10)]
    html = first.content.decode()
    assert "Page 1 sur 3" in _text(first)
    assert 'href="?gratuit=on&amp;lieu=Sevran&amp;page=2"' in html
    third = client.get(URL, {"lieu": "Sevran", "gratuit": "on", "page": "3"})
    assert _titles(third) == [f"Item {i:02d}" for i in range(20, 23)]
    assert 'start="21"' in third.content.decode()
    beyond = client.get(URL, {"lieu": "Sevran", "gratuit": "on", "page": "99"})
    assert _titles(beyond) == _titles(third)
    assert _titles(client.get(URL, {"lieu": "Sevran", "page": "x"})) == _titles(first)


def test_nothing_near_says_what_to_try(client, territory):
    response = client.get(URL, {"lieu": "Sevran"})
    assert "Rien près d'ici pour l'instant" in _text(response)


def test_queries_do_not_grow_with_the_results(client, territory, django_assert_max_num_queries):
    for i in range(3):
        _at(SEVRAN_QPV_CENTER, 10 * (i + 1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"lieu": "Sevran"})
    for i in range(12):
        _at(SEVRAN_QPV_CENTER, 100 + i)
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"lieu": "Sevran"})
    # Fewer, even: the suggestions recorded on the first visit are shown again in one UPDATE.
    assert len(many) <= len(few)


def test_nothing_is_stored_about_her(client, territory, geocoder, caplog):
    _at(IN_GOUTTE_DOR, 100)
    caplog.set_level(logging.DEBUG)
    response = client.get(URL, {"lieu": "20 rue de la Goutte d'Or 75018 Paris", "age": "19"})
    assert response.status_code == 200
    # No cookie but Django's CSRF token (the language switch form), no session.
    assert set(response.cookies) <= {"csrftoken"}
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()
    # None of our code logs it. (The httpx library logs request URLs at INFO: the
    # settings must quiet its logger, see the report.)
    ours = [record for record in caplog.records if not record.name.startswith("http")]
    assert not any("goutte" in record.getMessage().lower() for record in ours)


def test_search_is_get_only(client):
    assert client.post(URL, {"lieu": "Sevran"}).status_code == 405


def test_the_selection_checkboxes_build_a_get_form(client, territory):
    first = _at(SEVRAN_QPV_CENTER, 100, title="Premier")
    other = OpportunityFactory(title="D'une autre page")
    response = client.get(URL, {"lieu": "Sevran", "ids": [str(other.pk)]})
    html = response.content.decode()
    assert f'action="{reverse("opportunities:selection")}"' in html
    assert f'name="ids" value="{first.pk}" id="choix-{first.pk}"' in html
    # Already chosen elsewhere: kept in the form and in the search form.
    assert html.count(f'<input type="hidden" name="ids" value="{other.pk}">') == 2
    checked = client.get(URL, {"lieu": "Sevran", "ids": [str(first.pk)]}).content.decode()
    assert f'value="{first.pk}" id="choix-{first.pk}" checked' in checked


def test_the_answer_comes_before_the_form_once_she_searched(client, territory):
    before = client.get(URL).content.decode()
    assert "Changer ma recherche" not in before
    after = client.get(URL, {"lieu": "Sevran"}).content.decode()
    assert after.index('id="resultats"') < after.index('id="changer"') < after.index('name="lieu"')
    assert 'href="#changer"' in after
