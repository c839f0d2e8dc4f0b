"""The stored "facile à lire" mark: set by the services, shown as a badge, filtered on in the
lists (?facile=1) and in the API (easy_to_read=true)."""

import pytest
from django.urls import reverse

from quartiers40.challenges import services as challenge_services
from quartiers40.opportunities.services import opportunity_update
from quartiers40.projects import services as project_services
from tests.challenges.factories import ChallengeFactory
from tests.members.factories import MembershipFactory
from tests.opportunities.factories import OpportunityFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db

EASY = "Un outil aide à remplir les papiers. C'est gratuit."
HARD = "Le dispositif favorise l'inclusion numérique des usagers du QPV."
BADGE = 'class="badge badge-easy-read"'


def test_the_project_services_set_the_mark_on_every_write():
    membership = MembershipFactory()
    project = project_services.project_create(
        actor=membership.user,
        carrier=membership.organisation,
        title="Aide aux papiers",
        summary="Un assistant.",
        easy_read_summary=EASY,
    )
    assert project.easy_to_read is True
    project_services.project_update(project=project, actor=membership.user, easy_read_summary=HARD)
    project.refresh_from_db()
    assert project.easy_to_read is False


def test_the_defi_services_check_the_situation():
    challenge = ChallengeFactory(situation=HARD)
    challenge_services.challenge_update(
        challenge=challenge,
        actor=challenge.author,
        situation="Les parents ne savent pas suivre l'école en ligne. Ils ont besoin d'aide.",
    )
    challenge.refresh_from_db()
    assert challenge.easy_to_read is True


def test_the_opportunity_services_check_the_summary():
    membership = MembershipFactory()
    opportunity = OpportunityFactory(organisation=membership.organisation, summary=HARD)
    opportunity_update(opportunity=opportunity, actor=membership.user, summary=EASY)
    opportunity.refresh_from_db()
    assert opportunity.easy_to_read is True
    opportunity_update(opportunity=opportunity, actor=membership.user, summary=HARD)
    opportunity.refresh_from_db()
    assert opportunity.easy_to_read is False


def test_projects_badge_and_filter(client):
    easy = PublishedProjectFactory(title="Projet simple", easy_to_read=True)
    PublishedProjectFactory(title="Projet compliqué", easy_to_read=False)
    page = client.get(reverse("projects:catalogue")).content.decode().replace("\u00a0", " ")
    assert page.count(BADGE) == 1 and 'name="facile"' in page
    filtered = (
        client.get(reverse("projects:catalogue"), {"facile": "1"})
        .content.decode()
        .replace("\u00a0", " ")
    )
    assert "Projet simple" in filtered and "Projet compliqué" not in filtered
    detail = (
        client.get(reverse("projects:detail", args=[easy.slug]))
        .content.decode()
        .replace("\u00a0", " ")
    )
    assert BADGE in detail


def test_defis_badge_and_filter(client):
    easy = ChallengeFactory(title="Défi simple", easy_to_read=True)
    ChallengeFactory(title="Défi compliqué")
    filtered = (
        client.get(reverse("challenges:list"), {"facile": "1"})
        .content.decode()
        .replace("\u00a0", " ")
    )
    assert "Défi simple" in filtered and "Défi compliqué" not in filtered
    assert BADGE in filtered
    detail = (
        client.get(reverse("challenges:detail", args=[easy.slug]))
        .content.decode()
        .replace("\u00a0", " ")
    )
    assert BADGE in detail


def test_opportunities_badge_and_filter_on_the_map_list(client):
    easy = OpportunityFactory(title="Atelier simple", easy_to_read=True)
    OpportunityFactory(title="Atelier compliqué")
    filtered = (
        client.get(reverse("opportunities:map"), {"facile": "1"})
        .content.decode()
        .replace("\u00a0", " ")
    )
    assert 'name="facile"' in filtered
    detail = (
        client.get(reverse("opportunities:detail", args=[easy.slug]))
        .content.decode()
        .replace("\u00a0", " ")
    )
    assert BADGE in detail


def test_the_api_filters_on_the_mark_and_outputs_it(client):
    PublishedProjectFactory(title="Projet simple", easy_to_read=True)
    PublishedProjectFactory(title="Projet compliqué")
    items = client.get("/api/v1/projects/", {"easy_to_read": "true"}).json()["items"]
    assert [item["title"] for item in items] == ["Projet simple"]
    assert items[0]["easy_to_read"] is True
    assert len(client.get("/api/v1/projects/").json()["items"]) == 2

    ChallengeFactory(title="Défi simple", easy_to_read=True)
    ChallengeFactory(title="Défi compliqué")
    items = client.get("/api/v1/challenges/", {"easy_to_read": "true"}).json()["items"]
    assert [item["title"] for item in items] == ["Défi simple"]
    assert items[0]["easy_to_read"] is True

    OpportunityFactory(title="Atelier simple", easy_to_read=True)
    OpportunityFactory(title="Atelier compliqué")
    items = client.get("/api/v1/opportunities/", {"easy_to_read": "true"}).json()["items"]
    assert [item["title"] for item in items] == ["Atelier simple"]
    assert items[0]["easy_to_read"] is True


@pytest.mark.parametrize(
    "url",
    ["admin:projects_project_changelist", "admin:challenges_challenge_changelist",
     "admin:opportunities_opportunity_changelist"],
)  # fmt: skip
def test_the_admin_lists_filter_on_the_mark(admin_client, url):
    objects = {
        "projects": PublishedProjectFactory(),
        "challenges": ChallengeFactory(),
        "opportunities": OpportunityFactory(),
    }
    response = admin_client.get(reverse(url), {"easy_to_read__exact": "1"})
    assert response.status_code == 200
    app = url.split(":")[1].split("_")[0]
    if app != "projects":  # its change page warns on a URLField (RemovedInDjango60Warning)
        change = admin_client.get(
            reverse(url.replace("changelist", "change"), args=[objects[app].pk])
        )
        assert change.status_code == 200 and "Facile à lire" in change.content.decode()
