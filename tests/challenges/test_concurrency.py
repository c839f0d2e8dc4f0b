"""Concurrent writers on one défi (PostgreSQL): « je soutiens » clicks count once; an
approval racing a hide sees the state the hide wrote."""

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


def test_an_approval_racing_a_hide_sees_the_locked_state():
    """The hide holds the row; the approval waits for it, then reads « hidden » and refuses
    (it used to check its stale copy before taking the lock, and made the défi visible)."""
    import time

    from django.core.exceptions import ValidationError
    from django.db import connections, transaction

    from quartiers40.challenges.enums import ModerationState
    from tests.members.factories import CoordinatorFactory

    challenge = ChallengeFactory(moderation=ModerationState.PENDING)
    team = CoordinatorFactory()
    hide_holds_the_row = threading.Event()
    results = {}

    def hide():
        try:
            with transaction.atomic():
                services.challenge_hide(
                    challenge=Challenge.objects.get(pk=challenge.pk), actor=team, reason="Nom."
                )
                hide_holds_the_row.set()
                time.sleep(0.5)  # the approval is waiting on the lock meanwhile
        finally:
            connections.close_all()

    def approve():
        stale = Challenge.objects.get(pk=challenge.pk)  # read « pending », before the hide
        hide_holds_the_row.wait(5)
        try:
            services.challenge_approve(challenge=stale, actor=team)
        except ValidationError as error:
            results["error"] = error.messages
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hide), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"error": ["Ce défi n'attend pas de modération."]}
    challenge.refresh_from_db()
    assert challenge.moderation == ModerationState.HIDDEN
