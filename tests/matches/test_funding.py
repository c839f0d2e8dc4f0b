"""Public funding on a project's page, from Aides-territoires: against a real local server
speaking its API (the fake of test_client_aides_territoires.py), nothing when off or failing."""

import pytest
from django.urls import reverse

from quartiers40.matches.enums import MatchContext, SuggestionKind
from quartiers40.matches.models import Match
from quartiers40.matches.suggest import funding_for_project
from quartiers40.members.enums import OrganisationKind
from quartiers40.projects.enums import Theme
from tests.matches.test_client_aides_territoires import API, KEY, FakeAidesTerritoires, aid
from tests.members.factories import OrganisationFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.conftest import Response, http_server  # noqa: F401

AIDS = [
    aid(
        11,
        "Emploi des jeunes dans les quartiers",
        covers="93",
        audiences=["association"],
        financers=["Département de la Seine-Saint-Denis"],
        submission_deadline="2099-06-30",
        is_call_for_project=True,
    ),
    aid(12, "Emploi : un appel clos", covers="93", audiences=["association"],
        submission_deadline="2020-01-31"),
    aid(13, "Emploi en Ille-et-Vilaine", covers="35", audiences=["association"]),
    aid(14, "Emploi des entreprises", covers="93", audiences=["private-sector"]),
]  # fmt: skip


@pytest.fixture
def api(http_server, settings):  # noqa: F811
    settings.AIDES_TERRITOIRES_URL = http_server.url(API)
    settings.AIDES_TERRITOIRES_KEY = KEY
    settings.AIDES_TERRITOIRES_TIMEOUT = 1
    return FakeAidesTerritoires(http_server, aids=AIDS)


@pytest.fixture
def montreuil_project(db):
    carrier = OrganisationFactory(
        name="Montreuil Emploi",
        kind=OrganisationKind.ASSOCIATION,
        commune_code="93048",
        commune_name="Montreuil",
    )
    return PublishedProjectFactory(
        title="Des CV pour les jeunes", themes=[Theme.EMPLOYMENT.value], carrier=carrier
    )


def test_the_aids_for_the_carriers_kind_on_its_commune_with_their_reasons(api, montreuil_project):
    (found,) = funding_for_project(montreuil_project)
    assert found.kind == SuggestionKind.FUNDING and found.key == "aid:11"
    assert found.external_url == api.server.url("/at/aides/" + AIDS[0]["slug"] + "/")
    assert found.explanation == (
        "Même thème : emploi · financé par Département de la Seine-Saint-Denis · "
        "appel à projets · à demander avant le 30 juin 2099 · subvention"
    )
    (search,) = api.requests("/aids/")
    assert search.query["organization_type_slugs"] == ["association"]
    assert search.query["perimeter_id"] == ["70101-montreuil"]


def test_the_project_page_shows_them_and_opening_one_goes_to_aides_territoires(
    client, api, montreuil_project
):
    html = client.get(reverse("projects:detail", args=[montreuil_project.slug])).content.decode()
    assert "Des financements publics (Aides-territoires)" in html
    assert "Emploi des jeunes dans les quartiers" in html
    match = Match.objects.get(context=MatchContext.PROJECT, suggested_key="aid:11")
    assert match.external_title == "Emploi des jeunes dans les quartiers"
    response = client.get(reverse("matches:open", args=[match.pk]))
    assert response.status_code == 302 and response["Location"] == match.external_url
    match.refresh_from_db()
    assert match.opened_count == 1


def test_nothing_when_off(settings, montreuil_project):
    settings.AIDES_TERRITOIRES_KEY = ""
    assert funding_for_project(montreuil_project) == []


def test_nothing_when_failing_and_the_page_still_shows(
    client,
    api,
    http_server,  # noqa: F811
    montreuil_project,
):
    http_server.route("GET", f"{API}/aids/", lambda request: Response(502, b"Bad Gateway"))
    assert funding_for_project(montreuil_project) == []
    page = client.get(reverse("projects:detail", args=[montreuil_project.slug]))
    assert page.status_code == 200
    assert "Aides-territoires" not in page.content.decode()


def test_nothing_for_a_commune_it_does_not_know(api, montreuil_project):
    montreuil_project.carrier.commune_code = "2A004"
    montreuil_project.carrier.save()
    assert funding_for_project(montreuil_project) == []
