"""Reads of the meetings domain, shared by pages, the API, the ICS feeds and the tasks."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from quartiers40.challenges.models import Challenge
from quartiers40.members.models import OrganisationMembership
from quartiers40.members.permissions import is_coordination
from quartiers40.projects.models import Project

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    SEAT_HOLDING_STATUSES,
    Attendance,
    EditionFormat,
    EditionStatus,
    PitchStatus,
    RegistrationStatus,
)
from .models import ActionItem, AgendaItem, Edition, Registration, Series
from .querysets import EditionQuerySet


def editions_public() -> EditionQuerySet:
    return Edition.objects.visible().select_related("series", "series__organisation")


def editions_upcoming(*, now: datetime | None = None) -> EditionQuerySet:
    return editions_public().upcoming(now)


def editions_past(*, now: datetime | None = None) -> EditionQuerySet:
    return editions_public().past(now)


def editions_with_seat_counts(editions: QuerySet[Edition]) -> QuerySet[Edition]:
    """Seats taken and people waiting per attendance mode (`on_site_taken`,
    `online_waiting`…), counted in the list's own query."""
    counts: dict[str, Any] = {}
    for mode in Attendance.values:
        counts[f"{mode}_taken"] = Count(
            "registrations",
            filter=Q(
                registrations__attendance=mode, registrations__status__in=SEAT_HOLDING_STATUSES
            ),
        )
        counts[f"{mode}_waiting"] = Count(
            "registrations",
            filter=Q(
                registrations__attendance=mode, registrations__status=RegistrationStatus.WAITING
            ),
        )
    return editions.annotate(**counts)


def series_public() -> QuerySet[Series]:
    return Series.objects.approved().select_related("organisation")


def edition_get(*, slug: str) -> Edition | None:
    return (
        Edition.objects.select_related("series", "series__organisation").filter(slug=slug).first()
    )


@dataclass
class SeatSummary:
    attendance: str
    label: str
    capacity: int | None
    taken: int
    waiting: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


def seats_taken(edition: Edition, attendance: str) -> int:
    """Seats held for a mode: confirmed, or offered until the offer's deadline."""
    return edition.registrations.filter(
        attendance=attendance, status__in=SEAT_HOLDING_STATUSES
    ).count()


def seat_summaries(edition: Edition) -> list[SeatSummary]:
    """Per attendance mode: capacity, seats held (confirmed or offered), people waiting."""
    counts = {
        (row["attendance"], row["status"]): row["n"]
        for row in edition.registrations.values("attendance", "status").annotate(n=Count("pk"))
    }
    summaries = []
    for attendance in edition.attendance_modes():
        taken = sum(counts.get((attendance, status), 0) for status in SEAT_HOLDING_STATUSES)
        summaries.append(
            SeatSummary(
                attendance=attendance,
                label=str(Attendance(attendance).label),
                capacity=edition.capacity_for(attendance),
                taken=taken,
                waiting=counts.get((attendance, RegistrationStatus.WAITING), 0),
            )
        )
    return summaries


def _seats_from_counts(edition: Edition) -> list[SeatSummary]:
    """The seats of an edition read by `editions_with_seat_counts` (no extra query)."""
    return [
        SeatSummary(
            attendance=mode,
            label=str(Attendance(mode).label),
            capacity=edition.capacity_for(mode),
            taken=getattr(edition, f"{mode}_taken"),
            waiting=getattr(edition, f"{mode}_waiting"),
        )
        for mode in edition.attendance_modes()
    ]


def edition_state(
    edition: Edition, *, now: datetime | None = None, seats: list[SeatSummary] | None = None
) -> str:
    """One word for how an edition looks to a visitor: draft, cancelled, past, full or open.

    "full" when every mode is full (joining means the waiting list). The seats come from
    `seats`, else from `editions_with_seat_counts`' annotations, else one query."""
    now = now or timezone.now()
    if edition.status == EditionStatus.DRAFT:
        return "draft"
    if edition.is_cancelled:
        return "cancelled"
    if edition.ends_at <= now:
        return "past"
    if seats is None:
        seats = (
            _seats_from_counts(edition)
            if hasattr(edition, "on_site_taken")
            else seat_summaries(edition)
        )
    if seats and all(seat.is_full for seat in seats):
        return "full"
    return "open"


def editions_with_state(
    editions: QuerySet[Edition], *, now: datetime | None = None, limit: int | None = None
) -> list[Edition]:
    """The editions, each with `.state` (open, full, cancelled, past, draft) for its card;
    their seats counted in the same query, whatever their number."""
    now = now or timezone.now()
    counted = editions_with_seat_counts(editions)
    shown = list(counted[:limit] if limit is not None else counted)
    for edition in shown:
        edition.state = edition_state(edition, now=now)  # type: ignore[attr-defined]
    return shown


def editions_filtered(
    editions: EditionQuerySet, *, attendance: str = "", series: Series | None = None
) -> EditionQuerySet:
    """The list's filters: how one can take part (a hybrid edition matches both), the series."""
    if attendance == Attendance.ON_SITE:
        editions = editions.exclude(format=EditionFormat.ONLINE)
    elif attendance == Attendance.ONLINE:
        editions = editions.exclude(format=EditionFormat.ON_SITE)
    if series is not None:
        editions = editions.filter(series=series)
    return editions


def registration_of(user: Any, edition: Edition) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        edition.registrations.filter(user=user, status__in=ACTIVE_REGISTRATION_STATUSES)
        .order_by("-pk")
        .first()
    )


def registration_by_token(token: str) -> Registration | None:
    return (
        Registration.objects.select_related("edition", "edition__series", "user")
        .filter(token=token)
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITING:
        return None
    return (
        registration.edition.registrations.filter(
            attendance=registration.attendance,
            status=RegistrationStatus.WAITING,
            sequence__lt=registration.sequence,
        ).count()
        + 1
    )


def registrations_of_user(user: Any) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .select_related("edition", "edition__series")
        .order_by("-edition__starts_at", "-pk")
    )


def registrations_made_by(user: Any) -> QuerySet[Registration]:
    """Residents a mediator registered."""
    return (
        Registration.objects.filter(registered_by=user)
        .select_related("edition")
        .order_by("-edition__starts_at", "-pk")
    )


def registrants(edition: Edition, *, query: str = "") -> QuerySet[Registration]:
    """For organisers: everyone registered, in arrival order, with who registered them."""
    registrations = edition.registrations.select_related("user", "registered_by").order_by(
        "status", "sequence", "pk"
    )
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query) | Q(user__display_name__icontains=query)
        )
    return registrations


def checkin_list(edition: Edition, *, query: str = "") -> QuerySet[Registration]:
    registrations = (
        edition.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("user")
        .order_by("name", "pk")
    )
    if query:
        registrations = registrations.filter(name__icontains=query)
    return registrations


@dataclass
class AttendanceCount:
    attendance: str
    label: str
    registered: int
    present: int


def attendance_counts(edition: Edition) -> list[AttendanceCount]:
    rows = {
        row["attendance"]: row
        for row in edition.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .values("attendance")
        .annotate(
            registered=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False))
        )
    }
    return [
        AttendanceCount(
            attendance=mode,
            label=str(Attendance(mode).label),
            registered=rows.get(mode, {}).get("registered", 0),
            present=rows.get(mode, {}).get("present", 0),
        )
        for mode in edition.attendance_modes()
    ]


REGISTRANTS_CSV_HEADER = [
    "nom",
    "email",
    "telephone",
    "participation",
    "statut",
    "ordre_arrivee",
    "inscrit_par",
    "besoins_accessibilite",
    "regime_alimentaire",
    "present",
    "inscrit_le",
]


def registrants_csv_rows(edition: Edition) -> Iterator[list[Any]]:
    yield REGISTRANTS_CSV_HEADER
    for registration in registrants(edition):
        yield [
            registration.name,
            registration.contact_email,
            registration.phone,
            registration.get_attendance_display(),
            registration.get_status_display(),
            registration.sequence or "",
            registration.registered_by.display_name if registration.registered_by else "",
            registration.accessibility_needs,
            registration.dietary_notes,
            "oui" if registration.checked_in_at else "",
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


def agenda(edition: Edition) -> QuerySet[AgendaItem]:
    return edition.agenda_items.select_related("project", "challenge").order_by(
        "order", "starts_at", "pk"
    )


def pitches_ranked(edition: Edition) -> list[Any]:
    """Applications for organisers: the most supported first, then the freshest.

    Supports: a défi's supports, a project's followers. Freshness: the subject's last update.
    Each application gets `supports` and `freshness` for the page.
    """
    applications: list[Any] = list(
        edition.pitches.select_related("project", "challenge", "submitted_by").annotate(
            project_follows=Count("project__follows")
        )
    )
    for application in applications:
        if application.challenge is not None:
            application.supports = application.challenge.supports_count
            application.freshness = application.challenge.updated_at
        else:
            application.supports = application.project_follows
            application.freshness = application.project.last_updated_at
    order = {
        str(PitchStatus.SUBMITTED): 0,
        str(PitchStatus.ACCEPTED): 1,
        str(PitchStatus.DECLINED): 2,
    }
    applications.sort(key=lambda a: -a.freshness.timestamp())
    applications.sort(key=lambda a: (order.get(str(a.status), 3), -a.supports))
    return applications


def pitch_eligible_projects(user: Any) -> QuerySet[Project]:
    """The published projects a person may pitch: all for coordination, else those their
    organisations carry."""
    projects = Project.objects.published()
    if not is_coordination(user):
        projects = projects.filter(carrier__memberships__user=user)
    return projects.order_by("title").distinct()


def pitch_eligible_challenges(user: Any) -> QuerySet[Challenge]:
    """The visible défis a person may pitch: all for coordination, else their own and those
    of the organisations they administer."""
    challenges = Challenge.objects.visible()
    if not is_coordination(user):
        challenges = challenges.filter(
            Q(author=user)
            | Q(organisation__memberships__user=user, organisation__memberships__role="admin")
        )
    return challenges.order_by("title").distinct()


def action_items(edition: Edition) -> QuerySet[ActionItem]:
    return edition.action_items.select_related(
        "owner_organisation", "owner_user", "project", "challenge"
    ).order_by("due_date", "pk")


def previous_edition(edition: Edition) -> Edition | None:
    """The edition of the same series held just before this one (published, not cancelled)."""
    return (
        Edition.objects.filter(
            series_id=edition.series_id,
            status=EditionStatus.PUBLISHED,
            starts_at__lt=edition.starts_at,
        )
        .exclude(pk=edition.pk)
        .order_by("-starts_at", "-pk")
        .first()
    )


def follow_up_actions(edition: Edition) -> tuple[Edition | None, list[ActionItem]]:
    """ "Suivi des actions de l'édition précédente": the previous edition's action items."""
    previous = previous_edition(edition)
    if previous is None:
        return None, []
    return previous, list(action_items(previous))


def action_items_public() -> QuerySet[ActionItem]:
    """Action items of public editions (published or cancelled, in an approved series)."""
    return ActionItem.objects.filter(edition__in=Edition.objects.visible()).select_related(
        "edition", "owner_organisation", "owner_user", "project", "challenge"
    )


def action_items_of_user(user: Any) -> QuerySet[ActionItem]:
    """Items the person owns, directly or through one of their organisations."""
    organisation_ids = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    return (
        ActionItem.objects.filter(
            Q(owner_user=user) | Q(owner_organisation_id__in=organisation_ids)
        )
        .select_related("edition", "owner_organisation", "owner_user")
        .order_by("due_date", "pk")
    )


def action_item_owner_emails(item: ActionItem) -> list[str]:
    emails: set[str] = set()
    if item.owner_user is not None and item.owner_user.is_active:
        emails.add(item.owner_user.email)
    if item.owner_organisation_id:
        emails.update(
            OrganisationMembership.objects.filter(
                organisation_id=item.owner_organisation_id, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    return sorted(email for email in emails if email)


def series_with_editions(series: Series) -> QuerySet[Edition]:
    return series.editions.visible().order_by("-starts_at")


def series_pending() -> QuerySet[Series]:
    return Series.objects.pending().select_related("organisation", "created_by")


def organised_editions(user: Any) -> QuerySet[Edition]:
    return (
        Edition.objects.filter(
            Q(organisers=user)
            | Q(series__organisation__memberships__user=user, series__kind="local")
        )
        .select_related("series")
        .distinct()
        .order_by("-starts_at")
    )


def agenda_items_public() -> QuerySet[AgendaItem]:
    """The agenda items of public editions (published or cancelled, in an approved series),
    as their pages show them, with their edition and the project or défi they present."""
    return AgendaItem.objects.filter(edition__in=Edition.objects.visible()).select_related(
        "edition", "edition__series", "project", "challenge"
    )


def editions_with_public_minutes() -> EditionQuerySet:
    """Public editions whose minutes are published (`Edition.minutes_are_published`: a
    publication date and some text)."""
    return (
        editions_public()
        .filter(minutes_published_at__isnull=False)
        .exclude(minutes="")
        .exclude(minutes__regex=r"^\s*$")
    )
