"""The défi form for a newcomer on a phone: groups, marks, kept input, plain words."""

import html
import re

import pytest
from django.urls import reverse

from quartiers40.challenges.models import Challenge
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("challenges:create")
# The place fields are being replaced by a place picker (another change): their group is
# left out of the plain-words check until then.
PLACE_GROUP = re.compile(
    r'<section class="form-step" aria-labelledby="groupe-lieu">.*?</section>', re.S
)


def test_the_form_is_grouped_under_headings(client, mediator):
    client.force_login(mediator)
    page = html.unescape(client.get(CREATE).content.decode())
    headings = re.findall(r'<h2 id="groupe-[\w-]+" class="form-group-title">(.*?)</h2>', page)
    assert headings == ["Le défi", "Où", "Qui le poste", "Une pièce jointe (facultatif)"]


def test_a_resident_sees_no_empty_who_group(client, resident):
    client.force_login(resident)
    page = client.get(CREATE).content.decode()
    assert "Qui le poste" not in page


def test_required_fields_are_marked_before_the_first_try(client, resident):
    client.force_login(resident)
    page = html.unescape(client.get(CREATE).content.decode())
    assert "obligatoires pour poster le défi" in page[: page.index('id="id_title"')]
    for name in ("title", "situation", "affected", "solved_when"):
        label = re.search(rf'<label for="id_{name}">.*?</label>', page, re.S).group()
        assert 'class="required"' in label, name
    label = re.search(r'<label for="id_commune_name">.*?</label>', page, re.S).group()
    assert 'class="required"' not in label


def test_no_shortcut_hint_and_no_jargon_in_the_form(client, mediator):
    client.force_login(mediator)
    page = html.unescape(client.get(CREATE).content.decode())
    assert PLACE_GROUP.search(page)
    page = PLACE_GROUP.sub("", page)
    assert "Ctrl" not in page and "Cmd" not in page and "Markdown" not in page


def test_posting_for_oneself_is_ticked_to_begin_with(client, mediator, association):
    client.force_login(mediator)
    page = client.get(CREATE).content.decode()
    myself = re.search(r'<input type="radio" name="organisation" value=""[^>]*>', page).group()
    assert "checked" in myself
    other = re.search(
        rf'<input type="radio" name="organisation" value="{association.pk}"[^>]*>', page
    ).group()
    assert "checked" not in other


def test_an_invalid_form_keeps_every_typed_value(client, mediator, association):
    client.force_login(mediator)
    response = client.post(
        CREATE,
        {
            "title": "Le wifi de la médiathèque",
            "situation": "",
            "affected": "Les lycéens du quartier.",
            "solved_when": "Le wifi marche le soir.",
            "themes": ["education"],
            "commune_name": "Sevran",
            "organisation": association.pk,
            "on_behalf_of_resident": "on",
        },
    )
    assert response.status_code == 400 and not Challenge.objects.exists()
    page = html.unescape(response.content.decode())
    assert 'value="Le wifi de la médiathèque"' in page
    assert "Les lycéens du quartier." in page and "Le wifi marche le soir." in page
    assert re.search(r'value="education"[^>]*checked', page)
    assert 'value="Sevran"' in page
    assert re.search(rf'value="{association.pk}"[^>]*checked', page)
    assert re.search(r'name="on_behalf_of_resident"[^>]*checked', page)


def test_an_editor_sees_the_same_groups(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        CREATE,
        {
            "title": "Un défi à modifier",
            "situation": "La situation.",
            "affected": "Les habitants.",
            "solved_when": "Quand c'est réglé.",
            "commune_name": "Sevran",
        },
    )
    challenge = Challenge.objects.get()
    page = html.unescape(
        client.get(reverse("challenges:edit", args=[challenge.slug])).content.decode()
    )
    assert "Le défi" in page and 'aria-labelledby="groupe-lieu"' in page
    assert response.status_code == 302
