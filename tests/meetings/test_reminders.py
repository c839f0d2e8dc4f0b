"""Reminders with a controlled clock: the day before an edition, and overdue action items."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from quartiers40.core.models import ActionLog
from quartiers40.meetings import reminders
from quartiers40.meetings.enums import (
    ActionItemStatus,
    Attendance,
    EditionFormat,
    EditionStatus,
    RegistrationStatus,
)
from quartiers40.meetings.models import ActionItem, Registration
from tests.meetings.test_ics import ONLINE_URL, make_edition, register
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Wednesday 11 March 2026, 10:00 in Paris; the edition is on Thursday 12 at 8:30.
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=PARIS)
TOMORROW_MORNING = datetime(2026, 3, 12, 8, 30, tzinfo=PARIS)


def guest(edition, email, status=RegistrationStatus.CONFIRMED, attendance=Attendance.ON_SITE):
    return Registration.objects.create(
        edition=edition,
        name="Invitée Sans Compte",
        email=email,
        status=status,
        attendance=attendance,
        sequence=Registration.objects.count() + 1000,
    )


def send_reminders(capture, now=NOW) -> dict[str, int]:
    with capture(execute=True):
        return reminders.reminders_send(now=now)


# --- The day before --------------------------------------------------------------------


def test_day_before_reminder_to_confirmed_registrants_only(
    mailoutbox, django_capture_on_commit_callbacks
):
    edition = make_edition(starts_at=TOMORROW_MORNING, format=EditionFormat.HYBRID)
    on_site = register(edition, UserFactory(email="sur-place@exemple.fr"))
    online = register(
        edition, UserFactory(email="en-ligne@exemple.fr"), attendance=Attendance.ONLINE
    )
    guest(edition, "invitee@exemple.fr")
    register(edition, UserFactory(email="attente@exemple.fr"), status=RegistrationStatus.WAITING)
    register(edition, UserFactory(email="annule@exemple.fr"), status=RegistrationStatus.CANCELLED)
    guest(edition, "a-confirmer@exemple.fr", status=RegistrationStatus.PENDING_CONFIRMATION)

    sent = send_reminders(django_capture_on_commit_callbacks)

    assert sent == {"editions": 3, "action_items": 0}
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"sur-place@exemple.fr", "en-ligne@exemple.fr", "invitee@exemple.fr"}
    on_site_mail = by_address["sur-place@exemple.fr"]
    assert edition.title in on_site_mail.subject
    assert "demain" in on_site_mail.subject
    assert "jeudi 12 mars 2026, de 08:30 à 10:30" in on_site_mail.body
    assert f"/rencontres/inscription/{on_site.token}/annuler/" in on_site_mail.body
    assert f"/rencontres/{edition.slug}.ics" in on_site_mail.body
    assert "Accès de plain-pied" in on_site_mail.body
    assert ONLINE_URL not in on_site_mail.body
    online_mail = by_address["en-ligne@exemple.fr"]
    assert ONLINE_URL in online_mail.body
    assert f"/rencontres/inscription/{online.token}/annuler/" in online_mail.body
    on_site.refresh_from_db()
    assert on_site.reminder_sent_at == NOW


def test_day_before_reminder_is_sent_once(mailoutbox, django_capture_on_commit_callbacks):
    edition = make_edition(starts_at=TOMORROW_MORNING)
    register(edition, UserFactory())

    assert send_reminders(django_capture_on_commit_callbacks)["editions"] == 1
    later = NOW + timedelta(hours=6)
    assert send_reminders(django_capture_on_commit_callbacks, now=later)["editions"] == 0
    assert len(mailoutbox) == 1


def test_no_reminder_too_early_nor_after_the_start(mailoutbox, django_capture_on_commit_callbacks):
    in_two_days = make_edition(starts_at=datetime(2026, 3, 13, 8, 30, tzinfo=PARIS))
    register(in_two_days, UserFactory())
    started = make_edition(starts_at=NOW - timedelta(minutes=30))
    register(started, UserFactory())
    cancelled = make_edition(starts_at=TOMORROW_MORNING, status=EditionStatus.CANCELLED)
    register(cancelled, UserFactory())

    assert send_reminders(django_capture_on_commit_callbacks)["editions"] == 0
    # The next day, the edition of the 13th is tomorrow.
    next_day = NOW + timedelta(days=1)
    assert send_reminders(django_capture_on_commit_callbacks, now=next_day)["editions"] == 1
    assert len(mailoutbox) == 1


def test_registration_made_on_the_eve_is_still_reminded(
    mailoutbox, django_capture_on_commit_callbacks
):
    edition = make_edition(starts_at=TOMORROW_MORNING)
    assert send_reminders(django_capture_on_commit_callbacks)["editions"] == 0
    register(edition, UserFactory())
    evening = datetime(2026, 3, 11, 20, 0, tzinfo=PARIS)
    assert send_reminders(django_capture_on_commit_callbacks, now=evening)["editions"] == 1
    assert "demain" in mailoutbox[-1].subject


def test_registration_made_on_the_day_is_reminded_for_today(
    mailoutbox, django_capture_on_commit_callbacks
):
    edition = make_edition(starts_at=datetime(2026, 3, 11, 18, 0, tzinfo=PARIS))
    register(edition, UserFactory())

    assert send_reminders(django_capture_on_commit_callbacks)["editions"] == 1
    (message,) = mailoutbox
    assert "aujourd'hui" in message.subject
    assert "rencontre d'aujourd'hui" in message.body


# --- Overdue action items -----------------------------------------------------------------


def overdue_item(**fields) -> ActionItem:
    fields.setdefault("edition", make_edition(starts_at=datetime(2025, 12, 4, 8, 30, tzinfo=PARIS)))
    fields.setdefault("title", "Publier les données de fréquentation")
    fields.setdefault("due_date", date(2026, 3, 1))
    return ActionItem.objects.create(**fields)


def test_overdue_items_remind_their_owners_weekly(mailoutbox, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=UserFactory(email="membre@exemple.fr"))
    person = UserFactory(email="personne@exemple.fr")
    item = overdue_item(owner_organisation=organisation, owner_user=person)

    assert send_reminders(django_capture_on_commit_callbacks)["action_items"] == 1

    # One message each: an owner never sees another owner's address.
    assert sorted(address for message in mailoutbox for address in message.to) == [
        "membre@exemple.fr",
        "personne@exemple.fr",
    ]
    assert all(len(message.to) == 1 for message in mailoutbox)
    message = mailoutbox[0]
    assert "Publier les données de fréquentation" in message.subject
    assert "1 mars 2026" in message.body
    assert "10 jours" in message.body
    assert f"/rencontres/actions/{item.pk}/" in message.body
    item.refresh_from_db()
    assert item.last_reminded_at == NOW
    assert ActionLog.objects.filter(action="action_item_overdue_reminded").count() == 1

    # Not again within the week, again after it.
    for days in (1, 6):
        later = NOW + timedelta(days=days)
        assert send_reminders(django_capture_on_commit_callbacks, now=later)["action_items"] == 0
    assert (
        send_reminders(django_capture_on_commit_callbacks, now=NOW + timedelta(days=7))[
            "action_items"
        ]
        == 1
    )
    assert len(mailoutbox) == 4  # two owners, reminded twice


@pytest.mark.parametrize(
    ("status", "due_date", "reminded"),
    [
        (ActionItemStatus.OPEN, date(2026, 3, 10), True),
        (ActionItemStatus.IN_PROGRESS, date(2026, 3, 10), True),
        (ActionItemStatus.OPEN, date(2026, 3, 11), False),  # due today: not late yet
        (ActionItemStatus.OPEN, None, False),
        (ActionItemStatus.DONE, date(2026, 1, 1), False),
        (ActionItemStatus.DROPPED, date(2026, 1, 1), False),
    ],
)
def test_only_late_open_items_are_reminded(
    mailoutbox, django_capture_on_commit_callbacks, status, due_date, reminded
):
    overdue_item(owner_user=UserFactory(), status=status, due_date=due_date)
    sent = send_reminders(django_capture_on_commit_callbacks)["action_items"]
    assert sent == (1 if reminded else 0)
    assert len(mailoutbox) == sent


def test_the_command_and_the_task_run_the_reminders(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    edition = make_edition(starts_at=TOMORROW_MORNING)
    register(edition, UserFactory())
    overdue_item(owner_user=UserFactory())
    monkeypatch.setattr(reminders.timezone, "now", lambda: NOW)
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_reminders", stdout=out)

    assert "1 inscription(s), 1 action(s)" in out.getvalue()
    assert len(mailoutbox) == 2
    assert reminders.meetings_reminders_task.call() == {"editions": 0, "action_items": 0}
