"""The project form's "Proposer un résumé avec l'IA", without and with JavaScript's JSON."""

import html

import pytest
from django.urls import reverse

from quartiers40.assist.models import AIDraft
from quartiers40.core.models import ActionLog
from quartiers40.projects.models import Project
from tests.members.factories import MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

from .conftest import Answer, completion

pytestmark = pytest.mark.django_db

DRAFT = "Un outil aide les habitants à lire leurs courriers."
BUTTON = "Proposer un résumé avec l'IA"


def _data(project, **changes) -> dict:
    data = {
        "title": project.title,
        "summary": project.summary,
        "easy_read_summary": "",
        "description": "Un assistant écrit par Nadia Chérif (nadia@exemple.fr).",
        "problem": project.problem,
        "beneficiaries": ["residents"],
        "ai_category": "language",
        "ai_description": project.ai_description,
        "data_used": project.data_used,
        "stage": "pilot",
        "departments": ["93"],
        "themes": ["public_services"],
        "action": "draft",
    }
    data.update(changes)
    return data


@pytest.fixture
def owner_project(client):
    membership = MembershipFactory(
        organisation__name="Les Ateliers du Nord", user__display_name="Nadia Chérif"
    )
    project = PublishedProjectFactory(carrier=membership.organisation, easy_read_summary="")
    client.force_login(membership.user)
    return membership.user, project


def _edit(project) -> str:
    return reverse("projects:edit", args=[project.slug])


def _detail(project) -> str:
    return reverse("projects:detail", args=[project.slug])


def test_no_button_when_the_help_is_off(client, owner_project, settings):
    settings.ASSIST_ENABLED = False
    _owner, project = owner_project
    page = client.get(_edit(project)).content.decode()
    assert html.escape(BUTTON) not in page and BUTTON not in page
    # The button's name, posted anyway, is a plain save.
    response = client.post(_edit(project), _data(project, assist="easy_read_summary"))
    assert response.status_code == 302
    assert not AIDraft.objects.exists()


def test_without_javascript_the_draft_comes_back_in_the_form(client, owner_project, chat_api):
    _owner, project = owner_project
    chat_api.reply = DRAFT
    page = client.get(_edit(project)).content.decode()
    assert 'name="assist" value="easy_read_summary"' in page
    data = _data(project, title="Un titre tapé mais pas enregistré", assist="easy_read_summary")
    data.pop("action")
    response = client.post(_edit(project), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert html.escape(DRAFT, quote=False) in page or DRAFT in page
    assert "Texte proposé par une IA (albert-large)" in page
    assert "Un titre tapé mais pas enregistré" in page  # everything typed is kept
    assert 'name="ai_draft_easy_read_summary"' in page
    assert "error-text" not in page
    project.refresh_from_db()
    assert project.easy_read_summary == "" and project.title != "Un titre tapé mais pas enregistré"
    # Nothing of the people reached the model.
    assert "Nadia" not in chat_api.received and "nadia@exemple.fr" not in chat_api.received


def test_saving_the_reviewed_draft_labels_it_everywhere(client, owner_project, chat_api):
    owner, project = owner_project
    chat_api.reply = DRAFT
    answer = client.post(
        _edit(project),
        _data(project, assist="easy_read_summary"),
        HTTP_ACCEPT="application/json",
    ).json()
    assert answer["text"] == DRAFT and answer["token_field"] == "ai_draft_easy_read_summary"
    assert "relisez-le" in answer["note"]
    edited = DRAFT + " Il est gratuit."
    response = client.post(
        _edit(project),
        _data(project, easy_read_summary=edited, ai_draft_easy_read_summary=answer["token"]),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.easy_read_summary == edited
    draft = AIDraft.objects.get()
    assert draft.target == project and draft.reviewed_by == owner
    assert ActionLog.objects.filter(action="ai_draft_accepted", actor=owner).exists()
    client.logout()
    page = client.get(_detail(project)).content.decode()
    assert "Proposé par une IA (albert-large), relu par Les Ateliers du Nord le " in page


def test_a_field_saved_without_a_draft_has_no_label(client, owner_project, chat_api):
    _owner, project = owner_project
    response = client.post(_edit(project), _data(project, easy_read_summary="Écrit à la main."))
    assert response.status_code == 302
    assert "Proposé par une IA" not in client.get(_detail(project)).content.decode()


def test_a_timeout_is_a_plain_message_and_keeps_the_form(client, owner_project, chat_api, settings):
    _owner, project = owner_project
    settings.ASSIST_TIMEOUT_SECONDS = 0.5
    chat_api.then(*[Answer(delay=3, body=completion(DRAFT).body)] * 2)
    data = _data(project, easy_read_summary="Mon début de résumé", assist="easy_read_summary")
    response = client.post(_edit(project), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "n&#x27;a pas répondu à temps" in page or "n'a pas répondu à temps" in page
    assert "Mon début de résumé" in page
    answer = client.post(_edit(project), data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 503 and "à temps" in answer.json()["error"]


def test_the_budget_is_a_plain_message(client, owner_project, chat_api, settings):
    _owner, project = owner_project
    settings.ASSIST_DAILY_BUDGET_PER_USER = 1
    data = _data(project, assist="easy_read_summary")
    client.post(_edit(project), data)
    page = client.post(_edit(project), data).content.decode()
    assert "toute l&#x27;aide de l&#x27;IA" in page or "toute l'aide de l'IA" in page
    assert len(chat_api.seen) == 1


def test_people_who_cannot_edit_cannot_ask(client, chat_api):
    project = PublishedProjectFactory()
    client.force_login(UserFactory())
    response = client.post(_edit(project), _data(project, assist="easy_read_summary"))
    assert response.status_code == 403
    assert chat_api.seen == []


def test_a_new_project_can_start_from_a_draft(client, chat_api):
    membership = MembershipFactory(organisation__name="Les Ateliers du Nord")
    client.force_login(membership.user)
    chat_api.reply = DRAFT
    project = PublishedProjectFactory.build()
    data = _data(project, carrier=membership.organisation.pk)
    answer = client.post(
        reverse("projects:create"),
        {**data, "assist": "easy_read_summary"},
        HTTP_ACCEPT="application/json",
    ).json()
    response = client.post(
        reverse("projects:create"),
        {
            **data,
            "easy_read_summary": answer["text"],
            "ai_draft_easy_read_summary": answer["token"],
        },
    )
    assert response.status_code == 302
    created = Project.objects.get(title=project.title)
    assert AIDraft.objects.get().target == created
