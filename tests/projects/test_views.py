from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartiers40.members.enums import OrganisationKind
from quartiers40.projects.enums import AICategory, ProjectStatus, Stage, Theme
from quartiers40.projects.models import Project, ProjectFollow
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.territories.factories import QPVFactory

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("projects:catalogue")


def _detail(project) -> str:
    return reverse("projects:detail", kwargs={"key": project.slug})


def _page(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def _titles(client, **params) -> set[str]:
    page = _page(client, CATALOGUE, params)
    return {title for title in Project.objects.values_list("title", flat=True) if title in page}


# --- The list -------------------------------------------------------------------


def test_the_catalogue_lists_published_projects_only(client):
    PublishedProjectFactory(title="Traduire les courriers", summary="Une ligne claire.")
    ProjectFactory(title="Brouillon secret")
    ProjectFactory(title="En relecture", status=ProjectStatus.SUBMITTED)
    page = _page(client, CATALOGUE)
    assert "Traduire les courriers" in page and "Une ligne claire." in page
    assert "Brouillon secret" not in page and "En relecture" not in page
    assert "mis à jour le" in page and "1 projet" in page


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("theme", Theme.HEALTH, "Fiche Santé"),
        ("stage", Stage.DEPLOYED, "Fiche Déployé"),
        ("ai_category", AICategory.VISION, "Fiche Vision"),
        ("department", "69", "Fiche Lyon"),
        ("carrier_kind", OrganisationKind.STARTUP, "Fiche Start-up"),
        ("q", "ORDONNANCES", "Fiche Recherche"),
    ],
)
def test_each_filter_narrows_the_catalogue(client, param, value, expected):
    PublishedProjectFactory(title="Fiche Ordinaire")
    PublishedProjectFactory(title="Fiche Santé", themes=[Theme.HEALTH.value])
    PublishedProjectFactory(title="Fiche Déployé", stage=Stage.DEPLOYED)
    PublishedProjectFactory(title="Fiche Vision", ai_category=AICategory.VISION)
    PublishedProjectFactory(title="Fiche Lyon", departments=["69"])
    PublishedProjectFactory(
        title="Fiche Start-up", carrier=OrganisationFactory(kind=OrganisationKind.STARTUP)
    )
    PublishedProjectFactory(title="Fiche Recherche", summary="Lire les ordonnances à voix haute.")
    assert _titles(client, **{param: value}) == {expected}


def test_filters_combine_with_the_text_search(client):
    PublishedProjectFactory(title="Robot santé", themes=[Theme.HEALTH.value])
    PublishedProjectFactory(title="Robot emploi", themes=[Theme.EMPLOYMENT.value])
    PublishedProjectFactory(title="Chatbot santé", themes=[Theme.HEALTH.value])
    assert _titles(client, q="robot", theme=Theme.HEALTH) == {"Robot santé"}


def test_the_qpv_filter_names_the_neighbourhood(client):
    qpv = QPVFactory(name="Les Francs-Moisins")
    PublishedProjectFactory(title="Dans le quartier").qpvs.add(qpv)
    PublishedProjectFactory(title="Ailleurs")
    page = _page(client, CATALOGUE, {"qpv": qpv.code.lower()})
    assert "Dans le quartier" in page and "Ailleurs" not in page
    assert "Les Francs-Moisins" in page


def test_sort_by_last_update_or_by_publication(client):
    now = timezone.now()
    PublishedProjectFactory(
        title="Ancien mais retouché", published_at=now - timedelta(days=90), last_updated_at=now
    )
    PublishedProjectFactory(
        title="Nouveau",
        published_at=now - timedelta(days=1),
        last_updated_at=now - timedelta(days=1),
    )
    page = _page(client, CATALOGUE)
    assert page.index("Ancien mais retouché") < page.index("Nouveau")
    page = _page(client, CATALOGUE, {"sort": "newest"})
    assert page.index("Nouveau") < page.index("Ancien mais retouché")


def test_the_catalogue_is_paginated_by_twenty(client):
    now = timezone.now()
    for index in range(23):
        PublishedProjectFactory(
            title=f"Projet numéro {index:02d}", last_updated_at=now - timedelta(hours=index)
        )
    page = _page(client, CATALOGUE)
    assert "23 projets" in page and "Page 1 sur 2" in page
    assert "Projet numéro 19" in page and "Projet numéro 20" not in page
    page = _page(client, CATALOGUE, {"page": 2})
    assert "Projet numéro 22" in page and "Projet numéro 00" not in page


def _catalogue_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(CATALOGUE)
    return len(captured.captured_queries)


def test_the_catalogue_queries_do_not_grow_with_the_projects(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page's own rendering is measured

    def add(count):
        for _ in range(count):
            project = PublishedProjectFactory()
            project.qpvs.add(QPVFactory())
            project.partners.add(OrganisationFactory())

    add(10)
    with_ten = _catalogue_queries(client)
    add(90)
    assert _catalogue_queries(client) == with_ten


# --- The detail page ------------------------------------------------------------


def test_the_detail_shows_every_public_field_easy_read_first(client):
    qpv = QPVFactory(name="La Noue")
    partner = OrganisationFactory(name="Partenaire solide")
    project = PublishedProjectFactory(
        title="Lire les courriers",
        easy_read_summary="Un outil lit vos courriers avec vous.",
        results="Trois cents **courriers** lus.",
        source_code_url="https://code.exemple.fr/courriers",
    )
    project.qpvs.add(qpv)
    project.partners.add(partner)
    page = _page(client, _detail(project))
    assert page.index("En bref, en français facile") < page.index("Un outil lit vos courriers")
    assert page.index("Un outil lit vos courriers") < page.index("Le projet</h2>")
    assert reverse("territories:detail", args=[qpv.code]) in page
    assert project.carrier.get_absolute_url() in page and partner.get_absolute_url() in page
    assert "<strong>courriers</strong>" in page
    assert "https://code.exemple.fr/courriers" in page
    assert "Ce qui a changé, et quand" in page
    assert "Suivre ce projet" not in page and "Modifier le projet" not in page


def test_the_detail_is_found_by_number_too(client):
    project = PublishedProjectFactory(title="Par numéro")
    assert "Par numéro" in _page(client, reverse("projects:detail", args=[str(project.pk)]))


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.SUBMITTED])
def test_unpublished_projects_are_hidden_from_others(client, status):
    project = ProjectFactory(status=status)
    assert client.get(_detail(project)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_detail(project)).status_code == 404
    client.force_login(MembershipFactory(organisation=project.carrier).user)
    page = _page(client, _detail(project))
    assert "Modifier le projet" in page
    client.force_login(CoordinatorFactory())
    assert client.get(_detail(project)).status_code == 200


def test_the_timeline_shows_public_updates(client):
    owner = MembershipFactory().user
    project = PublishedProjectFactory(carrier=owner.memberships.get().organisation)
    client.force_login(owner)
    response = client.post(
        reverse("projects:edit", args=[project.slug]),
        {**_form_data(project), "results": "De très bons résultats."},
    )
    assert response.status_code == 302
    page = _page(client, _detail(project))
    assert "résultats et évaluations" in page
    assert "De très bons résultats." in page


# --- Writing, submitting, publishing ---------------------------------------------


def _form_data(project=None, **changes) -> dict:
    data = {
        "title": "Aide aux démarches",
        "summary": "Un assistant pour les démarches.",
        "easy_read_summary": "Un outil aide à remplir les papiers.",
        "description": "Un assistant conversationnel.",
        "problem": "Les démarches sont difficiles.",
        "beneficiaries": ["residents"],
        "ai_category": "language",
        "ai_description": "Un programme qui répond aux questions.",
        "data_used": "Les questions, sans nom.",
        "stage": "pilot",
        "departments": ["93"],
        "themes": ["public_services"],
    }
    if project is not None:
        data.update(
            {
                field: getattr(project, field)
                for field in ("title", "summary", "easy_read_summary", "description")
            }
        )
    data.update(changes)
    return data


def test_create_submit_and_publish_through_the_pages(client, django_capture_on_commit_callbacks):
    membership = MembershipFactory(organisation__name="Les Ateliers")
    client.force_login(membership.user)
    page = _page(client, reverse("projects:create"))
    assert "Les Ateliers" in page and "Soumettre à l'équipe" in page
    data = _form_data(carrier=membership.organisation.pk, action="draft")
    response = client.post(reverse("projects:create"), data)
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == _detail(project)
    assert project.status == ProjectStatus.DRAFT and project.carrier == membership.organisation

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:edit", args=[project.slug]), {**data, "action": "submit"}
        )
    project.refresh_from_db()
    assert response.status_code == 302 and project.status == ProjectStatus.SUBMITTED
    assert "Publier" not in _page(client, _detail(project))

    client.force_login(CoordinatorFactory())
    page = _page(client, _detail(project))
    assert "Publier" in page and "Renvoyer avec des commentaires" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:publish", args=[project.slug]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.PUBLISHED
    client.logout()
    assert "Aide aux démarches" in _page(client, CATALOGUE)


def test_coordination_returns_a_project_with_comments(client, django_capture_on_commit_callbacks):
    project = ProjectFactory(status=ProjectStatus.SUBMITTED)
    client.force_login(CoordinatorFactory())
    client.post(reverse("projects:return", args=[project.slug]), {"comments": ""})
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("projects:return", args=[project.slug]), {"comments": "Ajoutez les données."}
        )
    project.refresh_from_db()
    assert project.status == ProjectStatus.RETURNED
    assert project.review_comments == "Ajoutez les données."


def test_only_coordination_publishes(client):
    project = ProjectFactory(status=ProjectStatus.SUBMITTED)
    client.force_login(MembershipFactory(organisation=project.carrier).user)
    assert client.post(reverse("projects:publish", args=[project.slug])).status_code == 403
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_an_invalid_form_keeps_what_was_typed(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("projects:create"),
        _form_data(
            carrier=membership.organisation.pk,
            summary="",
            title="Mon projet gardé",
            problem="Un problème bien décrit",
            action="draft",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Project.objects.exists()
    assert 'value="Mon projet gardé"' in page and "Un problème bien décrit" in page
    assert "Ce champ est obligatoire." in page


def test_submitting_an_incomplete_project_keeps_the_draft_and_explains(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("projects:create"),
        _form_data(carrier=membership.organisation.pk, problem="", action="submit"),
    )
    page = response.content.decode()
    project = Project.objects.get()
    assert response.status_code == 200 and project.status == ProjectStatus.DRAFT
    assert "Le brouillon est enregistré, mais le projet ne peut pas encore être soumis" in page
    assert "Ce champ est obligatoire pour soumettre le projet." in page
    assert reverse("projects:edit", args=[project.slug]) in page


def test_people_without_an_organisation_are_invited_to_join(client):
    client.force_login(UserFactory())
    page = _page(client, reverse("projects:create"))
    assert reverse("members:join") in page
    assert client.get(reverse("projects:create")).context.get("form") is None


def test_a_member_cannot_create_for_another_organisation(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("projects:create"),
        _form_data(carrier=OrganisationFactory().pk, action="draft"),
    )
    assert response.status_code == 200 and not Project.objects.exists()


def test_strangers_cannot_edit(client):
    project = PublishedProjectFactory()
    assert client.get(reverse("projects:edit", args=[project.slug])).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("projects:edit", args=[project.slug])).status_code == 403


# --- Following ------------------------------------------------------------------


def test_signed_in_people_follow_and_unfollow(client):
    project = PublishedProjectFactory()
    user = UserFactory()
    client.force_login(user)
    assert "Suivre ce projet" in _page(client, _detail(project))
    response = client.post(reverse("projects:follow", args=[project.slug]))
    assert response.status_code == 302
    assert ProjectFollow.objects.filter(user=user, project=project).exists()
    assert "Ne plus suivre ce projet" in _page(client, _detail(project))
    client.post(reverse("projects:follow", args=[project.slug]), {"action": "unfollow"})
    assert not ProjectFollow.objects.exists()


def test_following_needs_a_post_and_a_visible_project(client):
    client.force_login(UserFactory())
    project = PublishedProjectFactory()
    assert client.get(reverse("projects:follow", args=[project.slug])).status_code == 405
    draft = ProjectFactory()
    assert client.post(reverse("projects:follow", args=[draft.slug])).status_code == 404


def test_qpv_section_links_to_the_project_pages(client):
    qpv = QPVFactory()
    project = PublishedProjectFactory()
    project.qpvs.add(qpv)
    assert _detail(project) in _page(client, reverse("territories:detail", args=[qpv.code]))


def test_the_catalogue_links_its_open_data(client):
    page = _page(client, CATALOGUE)
    for name in ("project_export_csv", "project_export_json", "project_export_geojson"):
        assert reverse(f"api:{name}") in page


def test_the_pages_offer_the_actions_the_workflow_allows(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    submitted = ProjectFactory(carrier=membership.organisation, status=ProjectStatus.SUBMITTED)
    page = _page(client, _detail(submitted))
    assert "Archiver" in page and "Modifier le projet" in page and "Publier" not in page
    edit = _page(client, reverse("projects:edit", args=[submitted.slug]))
    assert "Soumettre à l'équipe" not in edit
    returned = ProjectFactory(carrier=membership.organisation, status=ProjectStatus.RETURNED)
    assert "Soumettre à l'équipe" in _page(client, reverse("projects:edit", args=[returned.slug]))
    archived = ProjectFactory(carrier=membership.organisation, status=ProjectStatus.ARCHIVED)
    page = _page(client, _detail(archived))
    assert "Archiver" not in page and "Modifier le projet" not in page
