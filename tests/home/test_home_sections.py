"""The home page shows what the apps contribute: next meetings, latest projects, open défis."""

import html
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartiers40.challenges.enums import ChallengeStatus, ModerationState
from quartiers40.meetings.enums import EditionStatus
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import EditionFactory

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    return html.unescape(client.get(reverse("home:home")).content.decode())


def test_the_home_page_announces_the_next_public_meetings_in_order(client):
    soon = EditionFactory(title="Petit déj de décembre")
    EditionFactory(title="Petit déj de mars", starts_at=timezone.now() + timedelta(days=100))
    EditionFactory(title="Trop loin", starts_at=timezone.now() + timedelta(days=300))
    EditionFactory(title="Brouillon", status=EditionStatus.DRAFT)
    EditionFactory(title="Passée", starts_at=timezone.now() - timedelta(days=30))
    page = _home(client)
    assert "Prochaines rencontres" in page
    assert page.index("Petit déj de décembre") < page.index("Petit déj de mars")
    assert "Trop loin" not in page and "Brouillon" not in page and "Passée" not in page
    assert reverse("meetings:edition_detail", args=[soon.slug]) in page


def test_the_home_page_shows_open_public_challenges_only(client):
    ChallengeFactory(title="Un besoin ouvert")
    ChallengeFactory(title="Déjà résolu", status=ChallengeStatus.SOLVED)
    ChallengeFactory(title="En attente de modération", moderation=ModerationState.PENDING)
    page = _home(client)
    assert "Un besoin ouvert" in page
    assert "Déjà résolu" not in page and "En attente de modération" not in page
    assert reverse("challenges:create") in page


def test_the_home_page_says_when_nothing_is_planned(client):
    page = _home(client)
    assert "La prochaine rencontre sera bientôt annoncée." in page
    assert "Aucun défi ouvert pour l'instant" in page


def test_the_home_page_takes_the_same_queries_for_few_and_many_items(client):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home:home"))
        return len(queries)

    EditionFactory()
    ChallengeFactory()
    few = count()
    for _ in range(6):
        EditionFactory()
        ChallengeFactory()
    assert count() == few


def test_the_sections_are_cached_for_a_minute_per_language(client, settings):
    settings.HOME_SECTIONS_CACHE_SECONDS = 60
    EditionFactory(title="Petit déj de décembre")
    assert "Petit déj de décembre" in _home(client)
    EditionFactory(title="Petit déj de mars", starts_at=timezone.now() + timedelta(days=100))
    with CaptureQueriesContext(connection) as queries:
        page = _home(client)
    assert "Petit déj de mars" not in page  # served from the cache
    assert not any("meetings_edition" in query["sql"] for query in queries)
    # Another language has its own copy; an expired (cleared) cache shows the new one.
    english = html.unescape(
        client.get(reverse("home:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "Upcoming meetings" in english and "Petit déj de mars" in english
    cache.clear()
    assert "Petit déj de mars" in _home(client)
