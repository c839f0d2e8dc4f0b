"""Concurrent « je soutiens » clicks: one support, one count, no error (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from quartiers40.challenges import services
from quartiers40.challenges.models import Challenge, ChallengeSupport
from tests.members.factories import UserFactory

from .factories import ChallengeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers with a database lock: real concurrency needs "
        "PostgreSQL (run the suite with DATABASE_URL=postgres://…).",
    ),
]


def _race(challenge, users, rounds: int = 1) -> list:
    barrier = threading.Barrier(len(users) * rounds)
    errors = []

    def click(user):
        from django.db import connections

        try:
            barrier.wait()
            services.challenge_support(challenge=Challenge.objects.get(pk=challenge.pk), user=user)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=click, args=(user,)) for user in users for _ in range(rounds)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_clicks_of_one_person_count_once():
    challenge = ChallengeFactory()
    user = UserFactory()
    errors = _race(challenge, [user], rounds=8)
    assert errors == []
    challenge.refresh_from_db()
    assert challenge.supports_count == 1
    assert ChallengeSupport.objects.filter(challenge=challenge).count() == 1


def test_concurrent_clicks_of_many_people_count_exactly():
    challenge = ChallengeFactory()
    users = [UserFactory() for _ in range(8)]
    errors = _race(challenge, users, rounds=2)
    assert errors == []
    challenge.refresh_from_db()
    assert (
        challenge.supports_count
        == 8
        == ChallengeSupport.objects.filter(challenge=challenge).count()
    )
