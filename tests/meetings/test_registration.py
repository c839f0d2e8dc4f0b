from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quartiers40.core.models import ActionLog
from quartiers40.meetings import services
from quartiers40.meetings.enums import Attendance, EditionStatus, RegistrationStatus
from quartiers40.meetings.models import Registration
from tests.members.factories import MembershipFactory, UserFactory

from .factories import EditionFactory, HybridEditionFactory

pytestmark = pytest.mark.django_db


def register(edition, actor=None, **kwargs):
    return services.registration_create(edition=edition, actor=actor or UserFactory(), **kwargs)


def register_guest(edition, **kwargs):
    return services.registration_create_for_guest(edition=edition, **kwargs)


def register_for(edition, mediator, **kwargs):
    return services.registration_create_on_behalf(edition=edition, actor=mediator, **kwargs)


def test_signed_in_registration_is_confirmed_with_an_email_carrying_the_cancel_link(
    django_capture_on_commit_callbacks,
):
    edition = EditionFactory()
    person = UserFactory(display_name="Awa Diallo")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(edition, person)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.sequence == 1
    assert registration.name == "Awa Diallo"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert f"/rencontres/inscription/{registration.token}/annuler/" in mail.outbox[0].body
    assert ActionLog.objects.filter(action="registration_created").exists()


def test_registering_twice_is_refused():
    edition = EditionFactory()
    person = UserFactory()
    register(edition, person)
    with pytest.raises(ValidationError):
        register(edition, person)
    assert Registration.objects.count() == 1


def test_without_account_the_seat_is_sought_only_once_the_email_is_confirmed(
    django_capture_on_commit_callbacks,
):
    edition = EditionFactory(onsite_capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        pending = register_guest(edition, name="Lina", email="lina@exemple.fr")
    assert pending.status == RegistrationStatus.PENDING_CONFIRMATION
    assert pending.sequence is None
    assert f"/rencontres/inscription/{pending.token}/confirmer/" in mail.outbox[0].body
    # Meanwhile a signed-in person takes the only seat.
    register(edition)
    services.registration_confirm_email(registration=pending)
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.WAITING
    assert pending.email_confirmed_at is not None


def test_without_account_name_and_email_are_required_and_unique_per_edition():
    edition = EditionFactory()
    with pytest.raises(ValidationError) as error:
        register_guest(edition, name="", email="")
    assert set(error.value.message_dict) == {"name", "email"}
    register_guest(edition, name="Lina", email="lina@exemple.fr")
    with pytest.raises(ValidationError):
        register_guest(edition, name="Lina", email="LINA@exemple.fr")


def test_confirming_twice_changes_nothing():
    edition = EditionFactory()
    pending = register_guest(edition, name="Lina", email="lina@exemple.fr")
    services.registration_confirm_email(registration=pending)
    services.registration_confirm_email(registration=pending)
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.CONFIRMED
    assert pending.sequence == 1


def test_a_mediator_registers_a_resident_who_gets_a_seat_at_once():
    edition = EditionFactory()
    mediator = MembershipFactory().user
    registration = register_for(edition, mediator, name="Mme Benali", phone="0600000000")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.registered_by == mediator
    assert registration.user is None
    # The mediator can register another resident: no uniqueness on the mediator.
    register_for(edition, mediator, name="M. Sy")


def test_registering_on_behalf_needs_an_organisation():
    with pytest.raises(PermissionDenied):
        register_for(EditionFactory(), UserFactory(), name="Mme Benali")


@pytest.mark.parametrize(
    "changes",
    [
        {"status": EditionStatus.DRAFT},
        {"status": EditionStatus.CANCELLED},
        {"registration_open": False},
        {
            "starts_at": timezone.now() - timedelta(days=2),
            "ends_at": timezone.now() - timedelta(days=2, hours=-2),
        },
    ],
)
def test_closed_editions_refuse_registrations(changes):
    edition = EditionFactory(**changes)
    with pytest.raises(ValidationError):
        register(edition)


def test_online_attendance_only_where_offered():
    with pytest.raises(ValidationError):
        register(EditionFactory(), attendance=Attendance.ONLINE)
    hybrid = HybridEditionFactory()
    assert register(hybrid, attendance=Attendance.ONLINE).status == RegistrationStatus.CONFIRMED


def test_capacities_are_counted_per_attendance_mode():
    edition = HybridEditionFactory(onsite_capacity=1, online_capacity=1)
    assert register(edition).status == RegistrationStatus.CONFIRMED
    assert register(edition).status == RegistrationStatus.WAITING
    online = register(edition, attendance=Attendance.ONLINE)
    assert online.status == RegistrationStatus.CONFIRMED


def test_no_capacity_means_no_limit():
    edition = EditionFactory(onsite_capacity=None)
    statuses = {register(edition).status for _ in range(5)}
    assert statuses == {RegistrationStatus.CONFIRMED}


def test_cancelling_an_edition_tells_everyone(django_capture_on_commit_callbacks):
    edition = EditionFactory(onsite_capacity=1)
    register(edition)
    register(edition)
    organiser = UserFactory(is_coordinator=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_cancel(edition=edition, actor=organiser, reason="Grève des transports")
    assert len(mail.outbox) == 2
    assert "Grève des transports" in mail.outbox[0].body
