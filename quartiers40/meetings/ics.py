"""Calendar files (iCalendar, RFC 5545) for the meetings, built with the `icalendar` library.

Three kinds of files, all with the same event for a given edition:
- one `.ics` per edition (public, for "add to my calendar");
- a feed per series (public, to subscribe to);
- a personal feed ("my meetings"): the editions a person is registered to or organises,
  at a private address signed with the secret key (no token stored in the database).
  Only there, and only for a confirmed registration (or an organiser), does the event
  carry the online link.

Every event has a stable UID (`edition-<pk>@<site host>`), DTSTART/DTEND in
Europe/Paris with the matching VTIMEZONE, and a SEQUENCE that grows with each edit,
so calendar applications update the event in place instead of duplicating it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db.models import F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from quartiers40.core.links import absolute_url

from .enums import Attendance, EditionFormat, EditionStatus, RegistrationStatus
from .models import Edition, Registration, Series

PRODID = "-//Quartiers 4.0//Rencontres//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_SALT = "quartiers40.meetings.personal-feed"
# How often calendar applications should fetch a feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = timedelta(hours=6)

# Registrations that put the edition in the person's calendar (waiting ones as tentative).
FEED_REGISTRATION_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.WAITING,
)


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "quartiers40.fr"


def edition_uid(edition: Edition) -> str:
    """Never changes for an edition, whatever is edited: calendars match events on it."""
    return f"edition-{edition.pk}@{site_host()}"


def edition_sequence(edition: Edition) -> int:
    """Revision number: seconds between creation and the last edit, so it only grows."""
    if not edition.updated_at or not edition.created_at:
        return 0
    return max(0, int((edition.updated_at - edition.created_at).total_seconds()))


def edition_page_url(edition: Edition) -> str:
    get_url = getattr(edition, "get_absolute_url", None)
    if get_url is not None:
        return absolute_url(get_url())
    try:
        return absolute_url(reverse("meetings:edition_detail", kwargs={"slug": edition.slug}))
    except NoReverseMatch:
        return absolute_url(f"/rencontres/{edition.slug}/")


def edition_ics_url(edition: Edition) -> str:
    return absolute_url(reverse("meetings_calendar:edition", kwargs={"slug": edition.slug}))


def series_feed_url(series: Series) -> str:
    return absolute_url(reverse("meetings_calendar:series", kwargs={"slug": series.slug}))


# --- The personal feed's private address ------------------------------------------------


def personal_feed_token(user) -> str:
    """A secret derived from the user id and SECRET_KEY: stable, nothing stored."""
    return signing.Signer(salt=FEED_SALT).sign(str(user.pk)).replace(":", ".")


def personal_feed_user_id(token: str) -> int | None:
    """The user id a token was made for, or None when it is forged or damaged."""
    # "." is not in the signature's alphabet (URL-safe base64).
    value, separator, signature = token.rpartition(".")
    if not separator:
        return None
    try:
        user_id = signing.Signer(salt=FEED_SALT).unsign(f"{value}:{signature}")
    except signing.BadSignature:
        return None
    return int(user_id) if user_id.isdigit() else None


def personal_feed_url(user) -> str:
    path = reverse("meetings_calendar:personal", kwargs={"token": personal_feed_token(user)})
    return absolute_url(path)


# --- Which editions -------------------------------------------------------------------


def _with_relations(editions: QuerySet) -> QuerySet:
    return editions.select_related("series")


def series_feed_editions(series: Series) -> QuerySet:
    return _with_relations(series.editions.visible()).order_by("starts_at", "pk")


@dataclass(frozen=True)
class PersonalEntry:
    edition: Edition
    registration: Registration | None  # None: the person organises it
    show_online_link: bool


def personal_feed_entries(user) -> list[PersonalEntry]:
    """The editions a person is registered to (confirmed, offered, waiting) or organises.

    A cancelled edition stays in the feed so that calendars show it as cancelled.
    """
    registrations = (
        Registration.objects.filter(user=user)
        .filter(
            Q(status__in=FEED_REGISTRATION_STATUSES)
            # Registrations the edition's cancellation itself cancelled.
            | Q(
                edition__status=EditionStatus.CANCELLED,
                confirmed_at__isnull=False,
                cancelled_at__gte=F("edition__cancelled_at"),
            )
        )
        .filter(edition__in=Edition.objects.visible())
        .select_related("edition", "edition__series")
        .order_by("edition__starts_at", "pk")
    )
    entries: dict[int, PersonalEntry] = {}
    for registration in registrations:
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        entries[registration.edition_id] = PersonalEntry(
            edition=registration.edition,
            registration=registration,
            show_online_link=confirmed and registration.attendance == Attendance.ONLINE,
        )
    organised = _with_relations(Edition.objects.visible().filter(organisers=user))
    for edition in organised:
        entries[edition.pk] = PersonalEntry(
            edition=edition, registration=None, show_online_link=True
        )
    return sorted(entries.values(), key=lambda entry: (entry.edition.starts_at, entry.edition.pk))


# --- Building the files ---------------------------------------------------------------


def _paris(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _location(edition: Edition, *, online_url: str) -> str:
    if edition.format == EditionFormat.ONLINE:
        return online_url or _("En ligne")
    if edition.format == EditionFormat.HYBRID:
        return _("%(address)s (et en ligne)") % {"address": edition.address}
    return edition.address


def _description(edition: Edition, *, page_url: str, online_url: str, note: str) -> str:
    lines = []
    if note:
        lines += [note, ""]
    if edition.description:
        lines += [edition.description.strip(), ""]
    lines.append(_("Format : %(format)s") % {"format": edition.get_format_display()})
    if edition.accessibility_info:
        lines.append(_("Accessibilité : %(info)s") % {"info": edition.accessibility_info})
    if online_url:
        lines.append(_("Lien de connexion : %(url)s") % {"url": online_url})
    lines += ["", _("Ordre du jour et inscription : %(url)s") % {"url": page_url}]
    return "\n".join(lines)


def edition_event(
    edition: Edition, *, registration: Registration | None = None, show_online_link: bool = False
) -> Event:
    page_url = edition_page_url(edition)
    online_url = edition.online_url if show_online_link and not edition.is_cancelled else ""
    note = ""
    status = "CONFIRMED"
    summary = edition.title
    if registration is not None and registration.status in (
        RegistrationStatus.WAITING,
        RegistrationStatus.OFFERED,
    ):
        status = "TENTATIVE"
        if registration.status == RegistrationStatus.WAITING:
            note = _("Vous êtes sur la liste d'attente.")
            summary = _("%(title)s (liste d'attente)") % {"title": edition.title}
        else:
            note = _("Une place vous est proposée : confirmez-la avant le %(deadline)s.") % {
                "deadline": formats.date_format(
                    timezone.localtime(registration.offer_expires_at), "DATETIME_FORMAT"
                )
                if registration.offer_expires_at
                else "—"
            }
    if edition.is_cancelled:
        status = "CANCELLED"
        summary = _("Annulée : %(title)s") % {"title": edition.title}
        note = edition.cancellation_reason or _("Cette rencontre est annulée.")

    event = Event()
    event.add("uid", edition_uid(edition))
    # DTSTAMP is the last revision: the same file twice for an unchanged edition.
    event.add("dtstamp", _utc(edition.updated_at or edition.created_at))
    event.add("created", _utc(edition.created_at))
    event.add("last-modified", _utc(edition.updated_at or edition.created_at))
    event.add("sequence", edition_sequence(edition))
    event.add("dtstart", _paris(edition.starts_at))
    event.add("dtend", _paris(edition.ends_at))
    event.add("summary", summary)
    event.add(
        "description",
        _description(edition, page_url=page_url, online_url=online_url, note=note),
    )
    location = _location(edition, online_url=online_url)
    if location:
        event.add("location", location)
    event.add("url", page_url)
    event.add("status", status)
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    event.add("categories", [edition.series.name])
    if online_url:
        # RFC 7986: the conference link, for applications that show a "join" button.
        event.add("conference", online_url, parameters={"VALUE": "URI"})
    return event


def _calendar(name: str, events: list[Event], *, description: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")  # the same, for Outlook
    for event in events:
        calendar.add_component(event)
    if events:
        starts = [event.decoded("dtstart") for event in events]
        # The VTIMEZONE covers the events' years only, so the file stays small.
        calendar.add_missing_timezones(
            first_date=date(min(starts).year - 1, 1, 1),
            last_date=date(max(starts).year + 2, 1, 1),
        )
    return calendar


def edition_calendar(edition: Edition) -> bytes:
    return _calendar(edition.title, [edition_event(edition)]).to_ical()


def series_calendar(series: Series) -> bytes:
    events = [edition_event(edition) for edition in series_feed_editions(series)]
    return _calendar(
        series.name,
        events,
        description=_("Les rencontres de la série « %(name)s », Quartiers 4.0.")
        % {"name": series.name},
    ).to_ical()


def personal_calendar(user) -> bytes:
    events = [
        edition_event(
            entry.edition,
            registration=entry.registration,
            show_online_link=entry.show_online_link,
        )
        for entry in personal_feed_entries(user)
    ]
    return _calendar(_("Mes rencontres – Quartiers 4.0"), events).to_ical()
