"""The agenda builder and the minutes page: one address per action, forms without JavaScript."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quartiers40.meetings.enums import PitchStatus
from quartiers40.meetings.models import PitchApplication
from tests.members.factories import UserFactory
from tests.projects.factories import PublishedProjectFactory

from .factories import AgendaItemFactory, EditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(call_for_pitches_open=True)


@pytest.fixture
def organiser(client, edition):
    person = UserFactory()
    edition.organisers.add(person)
    client.force_login(person)
    return person


def _url(name, edition, *args):
    return reverse(f"meetings:{name}", args=[edition.slug, *args])


def test_the_builder_posts_each_action_to_its_own_address(client, edition, organiser):
    pitch = PitchApplication.objects.create(
        edition=edition,
        project=PublishedProjectFactory(),
        pitch="Trois minutes.",
        speaker_name="Awa",
    )
    first, second = AgendaItemFactory(edition=edition), AgendaItemFactory(edition=edition)
    page = client.get(_url("agenda_builder", edition)).content.decode()
    for address in (
        _url("pitch_accept", edition, pitch.pk),
        _url("pitch_decline", edition, pitch.pk),
        _url("agenda_item_down", edition, first.pk),
        _url("agenda_item_up", edition, second.pk),
        _url("agenda_item_save", edition),
    ):
        assert f'action="{address}"' in page
    # Removing goes through a confirmation page, which posts to its own address.
    assert f'href="{_url("agenda_item_delete", edition, first.pk)}"' in page
    confirm = client.get(_url("agenda_item_delete", edition, first.pk)).content.decode()
    assert f'action="{_url("agenda_item_delete", edition, first.pk)}"' in confirm
    assert 'name="action"' not in page


def test_decline_then_deciding_again_is_said(client, edition, organiser):
    pitch = PitchApplication.objects.create(
        edition=edition, project=PublishedProjectFactory(), pitch="…", speaker_name="Awa"
    )
    client.post(_url("pitch_decline", edition, pitch.pk))
    pitch.refresh_from_db()
    assert pitch.status == PitchStatus.DECLINED
    assert not edition.agenda_items.exists()
    response = client.post(_url("pitch_accept", edition, pitch.pk), follow=True)
    assert "Cette proposition a déjà été examinée." in response.content.decode()
    page = client.get(_url("agenda_builder", edition)).content.decode()
    assert _url("pitch_accept", edition, pitch.pk) not in page


def test_move_and_delete_agenda_items(client, edition, organiser):
    first, second = AgendaItemFactory(edition=edition), AgendaItemFactory(edition=edition)
    client.post(_url("agenda_item_up", edition, second.pk))
    assert list(edition.agenda_items.order_by("order")) == [second, first]
    client.post(_url("agenda_item_down", edition, second.pk))
    assert list(edition.agenda_items.order_by("order")) == [first, second]
    client.post(_url("agenda_item_delete", edition, first.pk))
    assert list(edition.agenda_items.all()) == [second]
    # A GET only asks for confirmation.
    assert client.get(_url("agenda_item_delete", edition, second.pk)).status_code == 200
    assert list(edition.agenda_items.all()) == [second]


def test_an_invalid_item_shows_the_builder_again_with_its_errors(client, edition, organiser):
    item = AgendaItemFactory(edition=edition, title="Accueil")
    response = client.post(
        _url("agenda_item_save", edition),
        {"item": item.pk, "title": "", "kind": "talk", "duration_minutes": 10},
    )
    assert response.status_code == 200
    assert "Modifier « Accueil »" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Accueil"


def test_other_people_cannot_act_on_the_agenda(client, edition):
    item = AgendaItemFactory(edition=edition)
    client.force_login(UserFactory())
    assert client.post(_url("agenda_item_delete", edition, item.pk)).status_code == 403
    assert edition.agenda_items.exists()


def test_minutes_saved_without_publishing_then_resources(client, edition, organiser):
    page = client.get(_url("minutes_edit", edition)).content.decode()
    assert f'action="{_url("minutes_publish", edition)}"' in page
    assert f'formaction="{_url("minutes_save", edition)}"' in page
    client.post(_url("minutes_save", edition), {"minutes": "Brouillon", "replay_url": ""})
    edition.refresh_from_db()
    assert edition.minutes == "Brouillon" and edition.minutes_published_at is None
    response = client.post(_url("minutes_publish", edition), {"minutes": " "})
    assert response.status_code == 200
    assert "Le compte rendu est vide." in response.content.decode()
    client.post(
        _url("resource_add", edition),
        {
            "kind": "slides",
            "title": "Supports",
            "file": SimpleUploadedFile("supports.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    resource = edition.resources.get()
    client.post(_url("resource_delete", edition, resource.pk))
    assert not edition.resources.exists()


def test_the_status_form_offers_what_the_table_allows(client):
    from quartiers40.meetings.enums import ActionItemStatus

    from .factories import ActionItemFactory

    item = ActionItemFactory(status=ActionItemStatus.DROPPED)
    organiser = UserFactory()
    item.edition.organisers.add(organiser)
    client.force_login(organiser)
    form = client.get(reverse("meetings:action_update", args=[item.pk])).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == ["open", "dropped"]
