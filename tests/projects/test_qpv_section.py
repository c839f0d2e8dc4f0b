import pytest
from django.urls import reverse

from tests.territories.factories import QPVFactory

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db


def test_the_qpv_page_lists_its_published_projects_only(client):
    qpv = QPVFactory()
    PublishedProjectFactory(title="Traduire les courriers").qpvs.add(qpv)
    ProjectFactory(title="Brouillon secret").qpvs.add(qpv)
    page = client.get(reverse("territories:detail", kwargs={"code": qpv.code})).content.decode()
    assert 'aria-labelledby="qpv-projects"' in page
    assert "Traduire les courriers" in page
    assert "Brouillon secret" not in page


def test_the_qpv_page_invites_to_propose_a_project_when_there_is_none(client):
    qpv = QPVFactory()
    page = client.get(reverse("territories:detail", kwargs={"code": qpv.code})).content.decode()
    assert "Aucun projet publié" in page
