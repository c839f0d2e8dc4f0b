"""The home page's "Vous êtes…" cards each lead to the journey of their public."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_public_has_a_first_step_on_the_home_page(client):
    page = html.unescape(client.get(reverse("home:home")).content.decode())
    cards = page.split('class="card journey"')[1:]
    assert len(cards) == 4
    first_steps = [card.split('class="button" href="')[1].split('"')[0] for card in cards]
    assert first_steps == [
        reverse("challenges:create"),
        reverse("members:join"),
        reverse("territories:directory"),
        reverse("projects:catalogue"),
    ]
    assert reverse("territories:check") in cards[0] and reverse("meetings:list") in cards[0]
