"""Capacity is never exceeded under simultaneous sign-ups (PostgreSQL: real row locks)."""

import queue
import threading

import pytest
from django.db import connection

from quartiers40.meetings import services
from quartiers40.meetings.enums import RegistrationStatus
from quartiers40.meetings.models import Registration
from tests.members.factories import UserFactory

from .factories import EditionFactory

REGISTRATIONS = 200
SEATS = 50


def _threads() -> int:
    """As many threads as PostgreSQL has free connections (keeping 10), up to 200.

    Each thread holds its own connection; the default limit is 100 per server, so on a
    default server about 85 threads run the 200 sign-ups, all started at once.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)"
        )
        free = cursor.fetchone()[0]
    return max(10, min(REGISTRATIONS, free - 10))


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write: the row lock is only exercised on PostgreSQL",
    ),
]


def test_200_simultaneous_registrations_for_50_seats():
    edition = EditionFactory(onsite_capacity=SEATS)
    pending = queue.Queue()
    for user in [UserFactory() for _ in range(REGISTRATIONS)]:
        pending.put(user)
    threads_count = _threads()
    start = threading.Barrier(threads_count)
    errors, done = [], []

    def worker():
        try:
            start.wait()  # every thread starts at once, each on its own connection
            while True:
                try:
                    user = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.append(services.registration_create(edition=edition, actor=user).pk)
                except Exception as error:  # any error fails the test
                    errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(done) == REGISTRATIONS
    registrations = list(Registration.objects.filter(edition=edition).order_by("sequence"))
    assert len(registrations) == REGISTRATIONS
    statuses = [registration.status for registration in registrations]
    assert statuses.count(RegistrationStatus.CONFIRMED) == SEATS
    assert statuses.count(RegistrationStatus.WAITING) == REGISTRATIONS - SEATS
    # Arrival order: numbers 1..200 without gap; the first 50 have the seats, the others wait
    # in the order they arrived (their creation times follow their numbers).
    assert [registration.sequence for registration in registrations] == list(
        range(1, REGISTRATIONS + 1)
    )
    assert set(statuses[:SEATS]) == {RegistrationStatus.CONFIRMED}
    waiting = registrations[SEATS:]
    assert {r.status for r in waiting} == {RegistrationStatus.WAITING}
    assert [r.created_at for r in waiting] == sorted(r.created_at for r in waiting)
    edition.refresh_from_db()
    assert edition.registration_sequence == REGISTRATIONS
