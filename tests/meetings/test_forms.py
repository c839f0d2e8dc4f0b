"""The registration forms never tick a full mode, and their button says what will happen."""

import re

import pytest
from django.urls import reverse

from quartiers40.meetings import services
from quartiers40.meetings.enums import RegistrationStatus
from quartiers40.meetings.forms import OnBehalfForm, RegistrationForm
from quartiers40.meetings.models import Registration
from tests.members.factories import MembershipFactory, UserFactory

from .factories import EditionFactory, HybridEditionFactory

pytestmark = pytest.mark.django_db


def fill(edition, attendance, times):
    for _ in range(times):
        services.registration_create(edition=edition, actor=UserFactory(), attendance=attendance)


def ticked(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="attendance" value="(\w+)"[^>]*\bchecked\b', page)


def button(page: str) -> str:
    return re.search(r"<button [^>]*data-attendance-submit[^>]*>([^<]*)</button>", page).group(1)


def test_the_one_mode_with_seats_is_ticked_and_the_button_registers():
    form = RegistrationForm(edition=EditionFactory(), signed_in=True)
    assert form["attendance"].value() == "on_site"
    assert form.submit_label == "S'inscrire"


def test_a_full_mode_is_never_ticked_and_the_button_says_waiting_list():
    edition = EditionFactory(onsite_capacity=1)
    fill(edition, "on_site", 1)
    form = RegistrationForm(edition=edition, signed_in=False)
    assert form["attendance"].value() is None
    assert form.submit_label == "Rejoindre la liste d'attente"
    assert dict(form.fields["attendance"].choices)["on_site"] == (
        "Sur place (complet : liste d'attente)"
    )


def test_two_modes_none_ticked_the_button_covers_both_until_one_is_chosen():
    edition = HybridEditionFactory()  # two seats on site, two online
    fill(edition, "on_site", 2)
    form = RegistrationForm(edition=edition, signed_in=True)
    assert form["attendance"].value() is None
    assert form.submit_label == "S'inscrire ou rejoindre la liste d'attente"
    assert form.submit_label_open == "S'inscrire"
    assert form.submit_label_full == "Rejoindre la liste d'attente"
    chosen = RegistrationForm({"attendance": "on_site"}, edition=edition, signed_in=True)
    assert chosen.submit_label == "Rejoindre la liste d'attente"
    chosen = RegistrationForm({"attendance": "online"}, edition=edition, signed_in=True)
    assert chosen.submit_label == "S'inscrire"


def test_a_hybrid_edition_with_seats_everywhere_ticks_nothing_but_registers():
    form = RegistrationForm(edition=HybridEditionFactory(), signed_in=True)
    assert form["attendance"].value() is None
    assert form.submit_label == "S'inscrire"
    assert not form.is_valid()
    empty = RegistrationForm({}, edition=HybridEditionFactory(), signed_in=True)
    assert empty.errors["attendance"] == ["Choisissez comment vous participez."]


def test_on_behalf_form_says_the_person_goes_on_the_waiting_list():
    edition = EditionFactory(onsite_capacity=1)
    assert OnBehalfForm(edition=edition).submit_label == "Inscrire cette personne"
    fill(edition, "on_site", 1)
    form = OnBehalfForm(edition=edition)
    assert form["attendance"].value() is None
    assert form.submit_label == "L'inscrire sur la liste d'attente"


# The pages: what a newcomer sees on a full edition (defect 4 of issue 11).


def test_full_edition_page_ticks_nothing_and_the_button_says_waiting_list(client):
    edition = EditionFactory(onsite_capacity=1)
    fill(edition, "on_site", 1)
    for url in (
        reverse("meetings:edition_detail", args=[edition.slug]),
        reverse("meetings:register", args=[edition.slug]),
    ):
        page = client.get(url).content.decode()
        assert ticked(page) == []
        assert button(page) == "Rejoindre la liste d&#x27;attente"
        assert 'data-full="true"' in page


def test_hybrid_edition_with_one_full_mode_labels_it_and_the_button_covers_it(client):
    edition = HybridEditionFactory()
    fill(edition, "on_site", 2)
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert ticked(page) == []
    assert "Sur place (complet : liste d&#x27;attente)" in page
    assert button(page) == "S&#x27;inscrire ou rejoindre la liste d&#x27;attente"


def test_an_edition_with_seats_ticks_its_one_mode_and_says_register(client):
    edition = EditionFactory()
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert ticked(page) == ["on_site"]
    assert button(page) == "S&#x27;inscrire"


def test_registering_without_a_mode_on_a_full_edition_is_asked_again(client):
    edition = EditionFactory(onsite_capacity=1)
    fill(edition, "on_site", 1)
    client.force_login(UserFactory())
    response = client.post(reverse("meetings:register", args=[edition.slug]), {"dietary_notes": ""})
    assert "Choisissez comment vous participez." in response.content.decode()
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 0
    client.post(reverse("meetings:register", args=[edition.slug]), {"attendance": "on_site"})
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 1


def test_on_behalf_page_of_a_full_edition(client):
    edition = EditionFactory(onsite_capacity=1)
    fill(edition, "on_site", 1)
    client.force_login(MembershipFactory().user)
    page = client.get(reverse("meetings:register_on_behalf", args=[edition.slug])).content.decode()
    assert ticked(page) == []
    assert button(page) == "L&#x27;inscrire sur la liste d&#x27;attente"


def test_the_pitch_form_says_the_speakers_name_is_public():
    from quartiers40.meetings.forms import PitchForm

    help_text = str(PitchForm.base_fields["speaker_name"].help_text)
    assert "ordre du jour public" in help_text
