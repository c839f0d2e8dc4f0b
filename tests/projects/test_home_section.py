import html

import pytest
from django.urls import reverse

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_latest_published_projects(client):
    for index in range(5):
        PublishedProjectFactory(title=f"Projet publié {index}")
    ProjectFactory(title="Brouillon caché")
    page = html.unescape(client.get(reverse("home:home")).content.decode())
    assert "Derniers projets d'IA publiés" in page
    assert page.count("Projet publié") == 4
    assert "Brouillon caché" not in page
    assert "Voir les 5 projets du catalogue" in page
    assert reverse("projects:map") in page


def test_the_home_page_says_when_there_is_no_project_yet(client):
    page = html.unescape(client.get(reverse("home:home")).content.decode())
    assert "Aucun projet publié pour l'instant" in page


def test_the_latest_projects_leave_out_stopped_and_archived_ones(client):
    from quartiers40.projects.enums import ProjectStatus, Stage

    PublishedProjectFactory(title="Projet en cours")
    PublishedProjectFactory(title="Projet arrêté", stage=Stage.STOPPED)
    PublishedProjectFactory(title="Projet archivé", status=ProjectStatus.ARCHIVED)
    page = html.unescape(client.get(reverse("home:home")).content.decode())
    assert "Projet en cours" in page
    assert "Projet arrêté" not in page
    assert "Projet archivé" not in page
