"""The lists of projects and défis (pages and API) search with the site's French search
once the index is built: words apart, missing accents, everyday words."""

import pytest
from django.urls import reverse

from quartiers40.search.services import search_index_rebuild
from tests.challenges.factories import ChallengeFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    PublishedProjectFactory(
        title="Assistant CV pour les jeunes",
        summary="Une IA aide les jeunes à écrire leur CV et à chercher un emploi.",
    )
    PublishedProjectFactory(title="Cartographie des arbres", summary="Inventaire des arbres.")
    ChallengeFactory(
        title="Les démarches en ligne sont trop dures",
        situation="Beaucoup d'habitants n'arrivent pas à faire leurs démarches sur internet.",
    )
    ChallengeFactory(title="Pas assez de bancs", situation="Il manque des bancs au parc.")
    search_index_rebuild()


def test_the_projects_list_finds_words_that_are_apart(client, indexed):
    page = client.get(reverse("projects:catalogue"), {"q": "IA emploi jeunes"}).content.decode()
    assert "Assistant CV pour les jeunes" in page
    assert "Cartographie des arbres" not in page


def test_the_challenges_list_finds_words_without_their_accents(client, indexed):
    page = client.get(reverse("challenges:list"), {"q": "demarches"}).content.decode()
    assert "Les démarches en ligne sont trop dures" in page
    assert "Pas assez de bancs" not in page


def test_the_api_lists_search_the_same_way(client, indexed):
    projects = client.get("/api/v1/projects/", {"q": "boulot jeunes"}).json()["items"]
    assert [item["title"] for item in projects] == ["Assistant CV pour les jeunes"]
    challenges = client.get("/api/v1/challenges/", {"q": "demarche internet"}).json()["items"]
    assert [item["title"] for item in challenges] == ["Les démarches en ligne sont trop dures"]
