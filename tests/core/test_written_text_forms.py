"""The written-text rules hold on the other forms people write in (projects, meetings,
members): the text kept, what is wrong said, display-spoofing characters removed."""

import html

import pytest
from django.urls import reverse

from quartiers40.meetings.forms import AgendaItemForm, PitchForm
from quartiers40.members.enums import Role
from quartiers40.members.models import Organisation
from quartiers40.projects.models import Project
from tests.members.factories import MembershipFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def test_the_project_contact_form_says_what_is_wrong_and_keeps_the_message(client):
    project = PublishedProjectFactory()
    response = client.post(
        reverse("projects:contact", args=[project.slug]),
        {"name": "Awa", "email": "awa@exemple.fr", "message": "Bonjour\x00, " + "é" * 4100},
    )
    assert response.status_code in (200, 400)
    page = html.unescape(response.content.decode())
    assert "caractère invisible qui n'est pas accepté (NUL)" in page
    assert "Votre texte fait 4\xa0110 caractères, 4\xa0000 au plus." in page
    assert "é" * 4100 in page


def test_meeting_forms_remove_display_spoofing():
    form = AgendaItemForm(data={"title": f"Accueil{RLO} et café", "kind": "talk"})
    form.is_valid()
    assert "title" not in form.errors and form.cleaned_data["title"] == "Accueil et café"
    pitch = PitchForm(
        data={"pitch": "x\x00", "speaker_name": f"Awa{RLO}"},
        projects=Project.objects.none(),
        challenges=Project.objects.none(),
    )
    assert not pitch.is_valid()
    assert "(NUL)" in pitch.errors["pitch"][0]
    assert pitch.cleaned_data["speaker_name"] == "Awa"


def test_an_organisation_name_is_neutralised(client):
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    response = client.post(
        reverse("members:organisation_edit", args=[admin.organisation.slug]),
        {"name": f"Clic {RLO}Solidaire", "kind": "association"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=admin.organisation.pk).name == "Clic Solidaire"
