import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartiers40.projects.enums import Theme
from tests.territories.factories import QPVFactory, box

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db

MAP = reverse("projects:map")
DATA = reverse("projects:map_data")


def _placed(qpv, **kwargs):
    project = PublishedProjectFactory(**kwargs)
    project.qpvs.set([qpv])
    return project


def test_points_group_published_projects_by_qpv_at_its_centroid(client):
    goutte = QPVFactory(code="QN07518M", name="Goutte d'Or", geometry=box(2.35, 48.885))
    other = QPVFactory(code="QN09301M", name="Cité Nord", geometry=box(2.4, 48.9))
    first = _placed(goutte, title="Traduire les courriers")
    second = _placed(goutte, title="Aide aux devoirs")
    both = PublishedProjectFactory(title="Deux quartiers")
    both.qpvs.set([goutte, other])
    draft = ProjectFactory(title="Brouillon")
    draft.qpvs.set([goutte])
    PublishedProjectFactory(title="Départemental")  # no QPV: unplaced

    payload = client.get(DATA).json()

    points = {point["code"]: point for point in payload["points"]}
    assert set(points) == {"QN07518M", "QN09301M"}
    goutte_point = points["QN07518M"]
    assert goutte_point["name"] == "Goutte d'Or"
    assert goutte_point["lon"] == pytest.approx(2.355, abs=1e-3)
    assert goutte_point["lat"] == pytest.approx(48.89, abs=1e-3)
    assert {slug for _title, slug in goutte_point["items"]} == {
        first.slug,
        second.slug,
        both.slug,
    }
    assert [item[1] for item in points["QN09301M"]["items"]] == [both.slug]
    assert payload["unplaced"] == 1
    assert payload["url_template"] == reverse("projects:detail", args=["SLUG"])


def test_points_follow_the_catalogue_filters(client):
    qpv = QPVFactory(geometry=box(2.35, 48.885))
    _placed(qpv, title="Santé", themes=[Theme.HEALTH.value])
    _placed(qpv, title="Emploi", themes=[Theme.EMPLOYMENT.value])
    payload = client.get(DATA, {"theme": Theme.HEALTH.value, "q": "sant"}).json()
    assert [item[0] for item in payload["points"][0]["items"]] == ["Santé"]


def test_points_take_the_same_number_of_queries_for_10_and_50_projects(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page's own rendering is measured

    def count(n):
        qpvs = [QPVFactory(geometry=box(2 + i / 10, 48)) for i in range(3)]
        for index in range(n):
            _placed(qpvs[index % 3])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DATA).status_code == 200
        return len(queries)

    assert count(10) == count(40)


def test_the_map_page_lists_the_same_qpvs_as_text_for_people_without_the_map(client):
    qpv = QPVFactory(code="QN07518M", name="Goutte d'Or", geometry=box(2.35, 48.885))
    project = _placed(qpv, title="Traduire les courriers")
    page = client.get(MAP, {"theme": ""}).content.decode()
    assert "Goutte d&#x27;Or" in page and "Traduire les courriers" in page
    assert reverse("projects:detail", args=[project.slug]) in page
    assert reverse("territories:detail", args=["QN07518M"]) in page
    # The map reads its points with the page's filters.
    assert f'data-points-url="{DATA}?theme="' in page
    assert "leaflet.markercluster.js" in page and "points-map.js" in page
    assert "1 quartier prioritaire a des projets" in page


def test_the_map_page_says_when_nothing_matches(client):
    page = client.get(MAP, {"q": "introuvable"}).content.decode()
    assert "Aucun projet ne correspond" in page


def test_the_catalogue_links_to_the_map_with_its_filters(client):
    page = client.get(reverse("projects:catalogue"), {"theme": Theme.HEALTH.value}).content
    assert f'href="{MAP}?theme={Theme.HEALTH.value}"' in page.decode()
