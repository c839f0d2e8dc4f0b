from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from quartiers40.meetings import services, tasks
from quartiers40.meetings.enums import RegistrationStatus
from tests.members.factories import UserFactory

from .factories import EditionFactory

pytestmark = pytest.mark.django_db


def register(edition):
    return services.registration_create(edition=edition, actor=UserFactory())


def refreshed(*registrations):
    for registration in registrations:
        registration.refresh_from_db()
    return [registration.status for registration in registrations]


def test_waiting_list_in_arrival_order():
    edition = EditionFactory(onsite_capacity=1)
    first, second, third = register(edition), register(edition), register(edition)
    assert refreshed(first, second, third) == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
    ]
    assert (second.sequence, third.sequence) == (2, 3)


def test_a_freed_seat_is_offered_to_the_first_waiting_person_with_a_deadline(
    django_capture_on_commit_callbacks,
):
    edition = EditionFactory(onsite_capacity=1)
    first, second, third = register(edition), register(edition), register(edition)
    mail.outbox.clear()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel_from_link(registration=first, now=now)
    assert refreshed(first, second, third) == [
        RegistrationStatus.CANCELLED,
        RegistrationStatus.OFFERED,
        RegistrationStatus.WAITING,
    ]
    assert second.offer_expires_at == now + timedelta(hours=48)
    offer = next(message for message in mail.outbox if message.to == [second.user.email])
    assert f"/rencontres/inscription/{second.token}/accepter/" in offer.body
    assert f"/rencontres/inscription/{second.token}/annuler/" in offer.body
    # Nobody jumps the queue while a seat is offered.
    assert register(edition).status == RegistrationStatus.WAITING


def test_the_offer_never_runs_past_the_day_before():
    now = timezone.now()
    edition = EditionFactory(
        onsite_capacity=1,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
    )
    first, second = register(edition), register(edition)
    services.registration_cancel_from_link(registration=first, now=now)
    second.refresh_from_db()
    assert second.offer_expires_at == edition.starts_at - timedelta(days=1)


def test_a_last_minute_offer_runs_until_the_start():
    now = timezone.now()
    edition = EditionFactory(
        onsite_capacity=1, starts_at=now + timedelta(hours=5), ends_at=now + timedelta(hours=7)
    )
    first, second = register(edition), register(edition)
    services.registration_cancel_from_link(registration=first, now=now)
    second.refresh_from_db()
    assert second.offer_expires_at == edition.starts_at


def test_accepting_the_offer_confirms_the_seat():
    edition = EditionFactory(onsite_capacity=1)
    first, second = register(edition), register(edition)
    services.registration_cancel_from_link(registration=first)
    services.registration_accept_offer(registration=second)
    assert refreshed(second) == [RegistrationStatus.CONFIRMED]
    assert second.offer_expires_at is None


def test_the_promotion_chain_with_a_controlled_clock(django_capture_on_commit_callbacks):
    """A cancels; B is offered the seat and lets the deadline pass; C gets it and accepts."""
    edition = EditionFactory(onsite_capacity=1)
    a, b, c, d = (register(edition) for _ in range(4))
    t0 = timezone.now()
    services.registration_cancel_from_link(registration=a, now=t0)
    b.refresh_from_db()
    deadline = b.offer_expires_at
    # Just before the deadline nothing happens.
    assert services.registration_offers_expire(now=deadline - timedelta(seconds=1)) == 0
    assert refreshed(b, c) == [RegistrationStatus.OFFERED, RegistrationStatus.WAITING]
    # At the deadline, B expires and C is offered the seat, with a new deadline.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_offers_expire(now=deadline) == 1
    assert refreshed(b, c, d) == [
        RegistrationStatus.EXPIRED,
        RegistrationStatus.OFFERED,
        RegistrationStatus.WAITING,
    ]
    assert c.offer_expires_at == deadline + timedelta(hours=48)
    assert {tuple(message.to) for message in mail.outbox} == {(b.user.email,), (c.user.email,)}
    # B is too late now.
    with pytest.raises(ValidationError):
        services.registration_accept_offer(registration=b, now=deadline + timedelta(minutes=1))
    services.registration_accept_offer(registration=c, now=deadline + timedelta(hours=1))
    assert refreshed(c, d) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
    assert edition.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_accepting_after_the_deadline_expires_and_passes_the_seat_on():
    edition = EditionFactory(onsite_capacity=1)
    a, b, c = register(edition), register(edition), register(edition)
    t0 = timezone.now()
    services.registration_cancel_from_link(registration=a, now=t0)
    with pytest.raises(ValidationError):
        services.registration_accept_offer(registration=b, now=t0 + timedelta(hours=49))
    assert refreshed(b, c) == [RegistrationStatus.EXPIRED, RegistrationStatus.OFFERED]


def test_declining_an_offer_passes_it_on():
    edition = EditionFactory(onsite_capacity=1)
    a, b, c = register(edition), register(edition), register(edition)
    services.registration_cancel_from_link(registration=a)
    services.registration_cancel_from_link(registration=b)
    assert refreshed(b, c) == [RegistrationStatus.CANCELLED, RegistrationStatus.OFFERED]


def test_cancelling_a_waiting_registration_frees_no_seat():
    edition = EditionFactory(onsite_capacity=1)
    a, b, c = register(edition), register(edition), register(edition)
    services.registration_cancel_from_link(registration=b)
    assert refreshed(a, c) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


def test_cancelling_twice_is_refused():
    registration = register(EditionFactory())
    services.registration_cancel_from_link(registration=registration)
    with pytest.raises(ValidationError):
        services.registration_cancel_from_link(registration=registration)


def test_more_seats_promote_waiting_people():
    edition = EditionFactory(onsite_capacity=1)
    _a, b, c = register(edition), register(edition), register(edition)
    services.edition_update(
        edition=edition, actor=UserFactory(is_coordinator=True), onsite_capacity=2
    )
    assert refreshed(b, c) == [RegistrationStatus.OFFERED, RegistrationStatus.WAITING]


def test_the_expiry_task_runs_the_service():
    edition = EditionFactory(onsite_capacity=1)
    a, b = register(edition), register(edition)
    services.registration_cancel_from_link(registration=a, now=timezone.now() - timedelta(days=3))
    assert tasks.registration_offers_expire_task.call() == 1
    assert refreshed(b) == [RegistrationStatus.EXPIRED]


def test_the_offers_expire_command_passes_overdue_seats_on(django_capture_on_commit_callbacks):
    edition = EditionFactory(onsite_capacity=1)
    a, b, c = register(edition), register(edition), register(edition)
    services.registration_cancel_from_link(registration=a, now=timezone.now() - timedelta(days=3))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_offers_expire", stdout=out)
    assert "Offres expirées : 1." in out.getvalue()
    assert refreshed(b, c) == [RegistrationStatus.EXPIRED, RegistrationStatus.OFFERED]
