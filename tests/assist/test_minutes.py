"""Minutes → a summary and proposed action items: the organiser edits and ticks, the AI
creates nothing by itself; the edition's page labels the summary."""

import pytest
from django.urls import reverse
from django.utils import timezone

from quartiers40.assist.models import AIDraft
from quartiers40.assist.services import ai_draft_token
from quartiers40.core.models import ActionLog
from quartiers40.meetings.models import ActionItem
from quartiers40.observatory.open_data.meetings import editions_csv, editions_json, public_editions
from tests.meetings.factories import EditionFactory, RegistrationFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER = (
    "RÉSUMÉ : Vingt habitants ont parlé du jardin partagé.\n"
    "ACTIONS :\n- Écrire au bailleur avant mars\n- Réserver la salle des fêtes\n"
)


@pytest.fixture
def organised(client):
    edition = EditionFactory(
        minutes="Awa Diallo (awa@exemple.fr) propose le jardin. Karim Ould réserve la salle."
    )
    RegistrationFactory(edition=edition, user=UserFactory(display_name="Awa Diallo"))
    RegistrationFactory(edition=edition, user=None, name="Karim Ould")
    person = UserFactory(display_name="Lina Organisatrice", profile_public=True)
    edition.organisers.add(person)
    client.force_login(person)
    return edition, person


def _url(name, edition):
    return reverse(f"meetings:{name}", args=[edition.slug])


def test_no_button_when_the_help_is_off(client, organised, settings):
    settings.ASSIST_ENABLED = False
    edition, _person = organised
    page = client.get(_url("minutes_edit", edition)).content.decode()
    assert _url("minutes_assist", edition) not in page
    response = client.post(_url("minutes_assist", edition))
    assert response.status_code == 302 and not AIDraft.objects.exists()


def test_propose_tick_and_create(client, organised, chat_api):
    edition, person = organised
    chat_api.reply = ANSWER
    page = client.get(_url("minutes_edit", edition)).content.decode()
    assert f'action="{_url("minutes_assist", edition)}"' in page
    page = client.post(_url("minutes_assist", edition)).content.decode()
    assert "Vingt habitants ont parlé du jardin partagé." in page
    assert 'value="Écrire au bailleur avant mars"' in page
    assert "checked" not in page.split("Actions proposées")[1].split("</fieldset>")[0]
    assert not ActionItem.objects.exists()  # nothing created by the proposal
    for secret in ("Awa", "Diallo", "Karim", "Ould", "awa@exemple.fr"):
        assert secret not in chat_api.received, secret

    draft = AIDraft.objects.get()
    response = client.post(
        _url("minutes_assist_apply", edition),
        {
            "minutes_summary": "Vingt habitants ont parlé du jardin.",
            "ai_draft_minutes_summary": ai_draft_token(draft),
            "proposed": ["Écrire au bailleur avant mars", "Réserver la salle des fêtes"],
            "actions": ["Réserver la salle des fêtes"],
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.title == "Réserver la salle des fêtes" and item.owner_user == person
    edition.refresh_from_db()
    assert edition.minutes_summary == "Vingt habitants ont parlé du jardin."
    assert ActionLog.objects.filter(action="ai_draft_accepted", actor=person).exists()

    edition.minutes_published_at = timezone.now()
    edition.save()
    client.logout()
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert "Vingt habitants ont parlé du jardin." in page
    assert "Proposé par une IA (albert-large), relu par Lina Organisatrice le " in page


def test_an_action_not_proposed_cannot_be_created(client, organised, chat_api):
    edition, _person = organised
    response = client.post(
        _url("minutes_assist_apply", edition),
        {"minutes_summary": "", "proposed": ["Une action"], "actions": ["Autre chose"]},
    )
    assert response.status_code == 200
    assert not ActionItem.objects.exists()


def test_when_the_ai_fails_the_minutes_page_says_so(client, organised, chat_api, settings):
    edition, _person = organised
    settings.ASSIST_API_KEY = "wrong"
    response = client.post(_url("minutes_assist", edition), follow=True)
    assert "pas disponible" in response.content.decode()


def test_only_organisers_may_ask(client, chat_api):
    edition = EditionFactory(minutes="Un compte rendu.")
    client.force_login(UserFactory())
    assert client.post(_url("minutes_assist", edition)).status_code == 403
    assert chat_api.seen == []


def test_the_summary_label_in_the_api_and_the_open_data(client, organised, chat_api):
    edition, _person = organised
    chat_api.reply = ANSWER
    client.post(_url("minutes_assist", edition))
    client.post(
        _url("minutes_assist_apply", edition),
        {
            "minutes_summary": "Une synthèse relue.",
            "ai_draft_minutes_summary": ai_draft_token(AIDraft.objects.get()),
        },
    )
    client.logout()
    url = f"/api/v1/meetings/editions/{edition.slug}/"
    body = client.get(url).json()
    assert body["minutes_summary"] is None and body["ai_provenance"] == []  # not published yet
    edition.refresh_from_db()
    edition.minutes_published_at = timezone.now()
    edition.save()
    body = client.get(url).json()
    assert body["minutes_summary"] == "Une synthèse relue."
    assert body["ai_provenance"][0]["field"] == "minutes_summary"
    assert body["ai_provenance"][0]["label"].startswith("Proposé par une IA (albert-large)")
    # The open dataset of the editions (observatory/open_data/meetings.py).
    (row,) = [row for row in editions_json(public_editions()) if row["id"] == edition.slug]
    assert row["minutes_summary"] == "Une synthèse relue."
    assert row["ai_provenance"][0].startswith("minutes_summary: Proposé par une IA")
    assert "minutes_summary: Proposé par une IA" in editions_csv(public_editions())
