"""The meetings part of the demo dataset: past editions with their follow-up, one upcoming."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from quartiers40.meetings import demo, selectors
from quartiers40.meetings.enums import (
    ActionItemStatus,
    Attendance,
    EditionStatus,
    RegistrationStatus,
    SeriesKind,
    SeriesStatus,
)
from quartiers40.meetings.models import ActionItem, Edition, Registration, Series
from quartiers40.projects import demo as projects_demo
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    for department in projects_demo.DEPARTMENTS:
        QPVFactory(code=f"QN0{department}01X", department_code=department)
    call_command("load_demo", stdout=io.StringIO())


def test_national_series_with_four_past_editions_and_their_follow_up(loaded):
    national = Series.objects.get(slug=demo.NATIONAL_SLUG)
    assert national.name == "Quartiers 4.0 – petit déj de l'IA"
    assert (national.kind, national.status) == (SeriesKind.NATIONAL, SeriesStatus.APPROVED)
    now = timezone.now()
    past = list(national.editions.past(now))
    assert len(past) == 4
    assert len({edition.address for edition in past}) == 4  # several cities
    for edition in past:
        assert edition.status == EditionStatus.PUBLISHED
        assert edition.format == "hybrid"
        assert edition.minutes_are_published
        assert demo.FICTIONAL_NOTE in edition.minutes
        assert demo.FICTIONAL_NOTE in edition.description
        assert edition.agenda_items.filter(project__isnull=False).exists()
        assert edition.resources.count() == 2
        assert edition.action_items.exists()
        edition.full_clean()
    assert Edition.objects.filter(agenda_items__challenge__isnull=False).exists()
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert statuses == set(ActionItemStatus.values)
    assert ActionItem.objects.overdue(timezone.localdate()).exists()
    # The page of each edition finds the previous one's actions by itself.
    previous, items = selectors.follow_up_actions(past[0])
    assert previous == past[1] and items


def test_upcoming_edition_is_full_on_site_with_a_waiting_list(loaded):
    national = Series.objects.get(slug=demo.NATIONAL_SLUG)
    (upcoming,) = national.editions.upcoming(timezone.now())
    assert upcoming.registration_open and upcoming.call_for_pitches_open
    seats = {summary.attendance: summary for summary in selectors.seat_summaries(upcoming)}
    on_site = seats[Attendance.ON_SITE]
    assert on_site.capacity == demo.ONSITE_CAPACITY
    assert on_site.taken == on_site.capacity and on_site.is_full
    assert on_site.waiting == demo.WAITING
    assert seats[Attendance.ONLINE].left > 0
    registrations = upcoming.registrations
    assert registrations.filter(status=RegistrationStatus.OFFERED).count() == 1
    assert registrations.filter(registered_by__isnull=False).exists()
    waiting = list(registrations.waiting())
    offered = registrations.get(status=RegistrationStatus.OFFERED)
    assert all(offered.sequence < person.sequence for person in waiting)
    assert waiting[-1].user.email == "habitante@demo.quartiers40.fr"
    sequences = list(registrations.values_list("sequence", flat=True))
    assert len(set(sequences)) == len(sequences)
    upcoming.refresh_from_db()
    assert upcoming.registration_sequence == max(sequences)
    assert upcoming.pitches.count() >= 3
    for registration in registrations.all():
        registration.full_clean()


def test_local_series_approved_and_pending(loaded):
    local = Series.objects.filter(kind=SeriesKind.LOCAL)
    assert set(local.values_list("status", flat=True)) == {
        SeriesStatus.APPROVED,
        SeriesStatus.PENDING,
    }
    approved = local.get(status=SeriesStatus.APPROVED)
    edition = approved.editions.get()
    assert edition.organisers.filter(email="association@demo.quartiers40.fr").exists()
    assert edition.starts_at > timezone.now()


def test_demo_is_the_same_after_reset(loaded):
    def snapshot():
        return (
            sorted(Edition.objects.values_list("title", "status", "format")),
            sorted(ActionItem.objects.values_list("title", "status")),
            Registration.objects.count(),
            sorted(Series.objects.values_list("slug", flat=True)),
        )

    before = snapshot()
    call_command("load_demo", "--reset", stdout=io.StringIO())
    assert snapshot() == before


def test_pages_and_feeds_of_the_demo_answer(loaded, client):
    national = Series.objects.get(slug=demo.NATIONAL_SLUG)
    assert client.get(f"/rencontres/serie/{national.slug}.ics").status_code == 200
    response = client.get("/api/v1/meetings/editions/?when=past")
    assert response.json()["count"] == 4
    response = client.get("/api/v1/meetings/action-items/?overdue=true")
    assert response.json()["count"] >= 1
