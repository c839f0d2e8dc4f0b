"""The calendar files: valid RFC 5545 as parsed by `icalendar`, stable, and private where due."""

from datetime import UTC, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from quartiers40.meetings import ics
from quartiers40.meetings.enums import (
    Attendance,
    EditionFormat,
    EditionStatus,
    RegistrationStatus,
    SeriesKind,
    SeriesStatus,
)
from quartiers40.meetings.models import Edition, Registration, Series
from tests.members.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ONLINE_URL = "https://visio.example.org/petit-dej-secret"
REQUIRED_EVENT_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "URL",
    "STATUS",
    "SEQUENCE",
}
_numbers = count(1)


def make_series(**fields) -> Series:
    number = next(_numbers)
    fields.setdefault("name", f"Petit déj de l'IA {number}")
    fields.setdefault("slug", f"serie-{number}")
    fields.setdefault("kind", SeriesKind.NATIONAL)
    fields.setdefault("status", SeriesStatus.APPROVED)
    return Series.objects.create(**fields)


def make_edition(series: Series | None = None, **fields) -> Edition:
    number = next(_numbers)
    starts_at = fields.pop("starts_at", datetime(2026, 3, 12, 8, 30, tzinfo=PARIS))
    fields.setdefault("title", f"Petit déj de l'IA n°{number}")
    fields.setdefault("slug", f"petit-dej-{number}")
    fields.setdefault("format", EditionFormat.HYBRID)
    fields.setdefault("address", "6 rue de la République, 93200 Saint-Denis")
    fields.setdefault("accessibility_info", "Accès de plain-pied, boucle magnétique.")
    fields.setdefault("online_url", ONLINE_URL)
    fields.setdefault("description", "Des projets d'IA présentés par leurs porteurs.")
    fields.setdefault("status", EditionStatus.PUBLISHED)
    fields.setdefault("onsite_capacity", 50)
    fields.setdefault("online_capacity", 100)
    return Edition.objects.create(
        series=series or make_series(),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=2)),
        **fields,
    )


def register(edition, user, status=RegistrationStatus.CONFIRMED, attendance=Attendance.ON_SITE):
    return Registration.objects.create(
        edition=edition,
        user=user,
        name=user.display_name,
        status=status,
        attendance=attendance,
        sequence=next(_numbers),
        confirmed_at=timezone.now() if status == RegistrationStatus.CONFIRMED else None,
    )


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def check_valid(calendar: Calendar) -> None:
    """What RFC 5545 requires of a calendar and of its events, and what we promise."""
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == ics.PRODID
    assert calendar.get_missing_tzids() == set()
    for event in calendar.events:
        assert set(event) >= REQUIRED_EVENT_PROPERTIES, set(event)
        for name in ("DTSTART", "DTEND"):
            assert event[name].params["TZID"] == "Europe/Paris"
            assert event.decoded(name).tzinfo is not None
        assert event.decoded("DTSTAMP").tzinfo is not None
    if calendar.events:
        assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Europe/Paris"]


# --- One edition ---------------------------------------------------------------


def test_edition_file_is_valid_rfc5545(client, settings):
    settings.SITE_URL = "https://quartiers40.example"
    edition = make_edition(title="Petit déj de l'IA – mars 2026, Saint-Denis")

    response = client.get(f"/rencontres/{edition.slug}.ics")
    calendar = parse(response)

    check_valid(calendar)
    assert response["Content-Disposition"] == f'attachment; filename="{edition.slug}.ics"'
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    (event,) = calendar.events
    assert str(event["UID"]) == f"edition-{edition.pk}@quartiers40.example"
    assert str(event["SUMMARY"]) == "Petit déj de l'IA – mars 2026, Saint-Denis"
    assert event.decoded("DTSTART") == datetime(2026, 3, 12, 8, 30, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime(2026, 3, 12, 10, 30, tzinfo=PARIS)
    assert event.decoded("DTSTART").astimezone(UTC).hour == 7  # CET, UTC+1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Saint-Denis" in str(event["LOCATION"])
    # The UID keeps SITE_URL's host (stable); the link follows the request's address.
    assert str(event["URL"]).startswith("http://testserver/rencontres/")
    description = str(event["DESCRIPTION"])
    assert "Accès de plain-pied" in description
    assert "Des projets d'IA" in description


def test_summer_time_is_carried_by_the_time_zone(client):
    edition = make_edition(starts_at=datetime(2026, 6, 18, 9, 0, tzinfo=PARIS))

    (event,) = parse(client.get(f"/rencontres/{edition.slug}.ics")).events

    assert event.decoded("DTSTART").astimezone(UTC).hour == 7  # CEST, UTC+2
    assert b"DTSTART;TZID=Europe/Paris:20260618T090000" in ics.edition_calendar(edition)


def test_uid_and_file_are_stable_across_downloads(client):
    edition = make_edition()
    url = f"/rencontres/{edition.slug}.ics"

    first, second = client.get(url), client.get(url)

    assert first.content == second.content
    assert parse(first).events[0]["UID"] == parse(second).events[0]["UID"]


def test_sequence_grows_with_edits_and_uid_stays(client):
    edition = make_edition()
    three_days_ago = timezone.now() - timedelta(days=3)
    Edition.objects.filter(pk=edition.pk).update(
        created_at=three_days_ago, updated_at=three_days_ago
    )
    url = f"/rencontres/{edition.slug}.ics"
    before = parse(client.get(url)).events[0]

    edition.refresh_from_db()
    edition.address = "1 place du Marché, 13015 Marseille"
    edition.save()
    after = parse(client.get(url)).events[0]

    assert after["UID"] == before["UID"]
    assert int(before["SEQUENCE"]) == 0
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert "Marseille" in str(after["LOCATION"])


def test_public_file_never_carries_the_online_link(client):
    edition = make_edition(format=EditionFormat.ONLINE, address="")

    response = client.get(f"/rencontres/{edition.slug}.ics")

    assert ONLINE_URL.encode() not in response.content
    (event,) = parse(response).events
    assert str(event["LOCATION"]) == "En ligne"
    assert "CONFERENCE" not in event


def test_cancelled_edition_is_cancelled_in_the_file(client):
    edition = make_edition(
        status=EditionStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancellation_reason="Grève des transports.",
    )

    (event,) = parse(client.get(f"/rencontres/{edition.slug}.ics")).events

    assert str(event["STATUS"]) == "CANCELLED"
    assert "Grève des transports." in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("edition_status", "series_status"),
    [
        (EditionStatus.DRAFT, SeriesStatus.APPROVED),
        (EditionStatus.PUBLISHED, SeriesStatus.PENDING),
        (EditionStatus.PUBLISHED, SeriesStatus.REFUSED),
    ],
)
def test_non_public_editions_have_no_file(client, edition_status, series_status):
    organisation = OrganisationFactory()
    series = make_series(kind=SeriesKind.LOCAL, organisation=organisation, status=series_status)
    edition = make_edition(series, status=edition_status)

    assert client.get(f"/rencontres/{edition.slug}.ics").status_code == 404


def test_only_get_and_head(client):
    edition = make_edition()
    url = f"/rencontres/{edition.slug}.ics"
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


# --- The series feed -------------------------------------------------------------


def test_series_feed_lists_its_public_editions(client):
    series = make_series(name="Quartiers 4.0 – petit déj de l'IA")
    past = make_edition(series, starts_at=datetime(2025, 12, 4, 8, 30, tzinfo=PARIS))
    upcoming = make_edition(series, starts_at=datetime(2026, 3, 12, 8, 30, tzinfo=PARIS))
    cancelled = make_edition(series, status=EditionStatus.CANCELLED, cancelled_at=timezone.now())
    make_edition(series, status=EditionStatus.DRAFT)
    make_edition()  # another series

    response = client.get(f"/rencontres/serie/{series.slug}.ics")
    calendar = parse(response)

    check_valid(calendar)
    assert str(calendar["X-WR-CALNAME"]) == "Quartiers 4.0 – petit déj de l'IA"
    uids = [str(event["UID"]) for event in calendar.events]
    assert sorted(uids) == sorted(ics.edition_uid(e) for e in (past, upcoming, cancelled))
    assert response["Cache-Control"] == "public, max-age=300"
    assert ONLINE_URL.encode() not in response.content


def test_series_feed_of_a_pending_series_is_not_found(client):
    series = make_series(
        kind=SeriesKind.LOCAL, organisation=OrganisationFactory(), status=SeriesStatus.PENDING
    )
    assert client.get(f"/rencontres/serie/{series.slug}.ics").status_code == 404


def test_empty_series_feed_is_still_valid(client):
    series = make_series()
    calendar = parse(client.get(f"/rencontres/serie/{series.slug}.ics"))
    check_valid(calendar)
    assert calendar.events == []


# --- The personal feed -------------------------------------------------------------


def test_personal_feed_lists_my_registrations_with_the_link_when_confirmed_online(client):
    person = UserFactory()
    online = make_edition(title="En ligne confirmée")
    register(online, person, attendance=Attendance.ONLINE)
    on_site = make_edition(title="Sur place confirmée")
    register(on_site, person, attendance=Attendance.ON_SITE)
    waiting = make_edition(title="Liste d'attente")
    register(waiting, person, status=RegistrationStatus.WAITING, attendance=Attendance.ONLINE)
    cancelled = make_edition(title="Désinscrite")
    register(cancelled, person, status=RegistrationStatus.CANCELLED)
    make_edition(title="Pas inscrite")
    draft = make_edition(title="Brouillon", status=EditionStatus.DRAFT)
    register(draft, person)

    response = client.get(ics.personal_feed_url(person).removeprefix("http://testserver"))
    calendar = parse(response)

    check_valid(calendar)
    events = {str(event["UID"]): event for event in calendar.events}
    assert set(events) == {ics.edition_uid(e) for e in (online, on_site, waiting)}
    online_event = events[ics.edition_uid(online)]
    assert ONLINE_URL in str(online_event["DESCRIPTION"])
    assert str(online_event["CONFERENCE"]) == ONLINE_URL
    assert ONLINE_URL not in str(events[ics.edition_uid(on_site)]["DESCRIPTION"])
    waiting_event = events[ics.edition_uid(waiting)]
    assert str(waiting_event["STATUS"]) == "TENTATIVE"
    assert ONLINE_URL not in str(waiting_event["DESCRIPTION"])
    assert "liste d'attente" in str(waiting_event["SUMMARY"])
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex"


def test_personal_feed_includes_the_editions_i_organise_with_their_link(client):
    organiser = UserFactory()
    edition = make_edition()
    edition.organisers.add(organiser)

    calendar = Calendar.from_ical(ics.personal_calendar(organiser))

    (event,) = calendar.events
    assert ONLINE_URL in str(event["DESCRIPTION"])


def test_personal_feed_keeps_an_edition_cancelled_under_me(client):
    person = UserFactory()
    edition = make_edition()
    registration = register(edition, person)
    cancelled_at = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        status=EditionStatus.CANCELLED, cancelled_at=cancelled_at
    )
    Registration.objects.filter(pk=registration.pk).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=cancelled_at
    )

    (event,) = Calendar.from_ical(ics.personal_calendar(person)).events

    assert str(event["STATUS"]) == "CANCELLED"
    assert ONLINE_URL not in str(event["DESCRIPTION"])


def test_personal_feed_token_is_per_person_and_cannot_be_forged(client):
    person, other = UserFactory(), UserFactory()
    token = ics.personal_feed_token(person)

    assert token != ics.personal_feed_token(other)
    assert token == ics.personal_feed_token(person)
    assert ics.personal_feed_user_id(token) == person.pk
    forged = f"{other.pk}.{token.rpartition('.')[2]}"
    assert ics.personal_feed_user_id(forged) is None
    assert client.get(f"/rencontres/agenda/{forged}.ics").status_code == 404
    assert client.get("/rencontres/agenda/nimporte-quoi.ics").status_code == 404


def test_personal_feed_of_a_deactivated_account_is_gone(client):
    person = UserFactory(is_active=False)
    url = ics.personal_feed_url(person).removeprefix("http://testserver")
    assert client.get(url).status_code == 404


def test_cancelled_edition_in_my_feed_drops_the_online_link(client):
    person = UserFactory()
    edition = make_edition()
    register(edition, person, attendance=Attendance.ONLINE)
    Edition.objects.filter(pk=edition.pk).update(
        status=EditionStatus.CANCELLED, cancelled_at=timezone.now()
    )

    (event,) = Calendar.from_ical(ics.personal_calendar(person)).events

    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Annulée : ")
    assert ONLINE_URL not in str(event["DESCRIPTION"])
    assert "CONFERENCE" not in event
