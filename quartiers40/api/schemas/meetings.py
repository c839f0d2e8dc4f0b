"""Meetings as the API shows them: series, editions, agendas, minutes and action items.

Never the online link of an edition, never who registered: those are for registrants and
organisers, on the site.
"""

from datetime import date, datetime, time
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from quartiers40.assist.selectors import ai_provenance_data
from quartiers40.core.links import absolute_url
from quartiers40.meetings import ics, selectors
from quartiers40.meetings.enums import (
    EDITION_WORKFLOW,
    ActionItemStatus,
    AgendaItemKind,
    Attendance,
    EditionFormat,
)
from quartiers40.meetings.models import ActionItem, AgendaItem, Edition, Series
from quartiers40.members.permissions import person_name_if_public

from .assist import AI_PROVENANCE_DESCRIPTION, AIProvenanceOut
from .common import ACTIONS_DESCRIPTION, MAX_ID, Choice, actions_for, choice
from .projects import OrganisationRefOut, ProjectRefOut

# An agenda's times are Paris times of the edition's day, without an offset: "09:30:00" out,
# "09:30" or "09:30:00" in. JSON Schema's `format: time` would demand an offset.
AGENDA_TIME_OUT_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
AGENDA_TIME_IN_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
AgendaTimeOut = Annotated[
    time, WithJsonSchema({"type": "string", "pattern": AGENDA_TIME_OUT_PATTERN})
]
AgendaTimeIn = Annotated[
    time, WithJsonSchema({"type": "string", "pattern": AGENDA_TIME_IN_PATTERN})
]
# Seats a single edition may offer (the model takes any positive 32-bit number).
MAX_CAPACITY = 100_000

# --- Filters --------------------------------------------------------------------


class EditionFilters(Schema):
    when: Literal["upcoming", "past"] | None = Field(
        None, description="`upcoming` : à venir ou en cours ; `past` : passées."
    )
    series: str | None = Field(None, max_length=120, description="Identifiant (slug) de la série.")


class ActionItemFilters(Schema):
    edition: str | None = Field(
        None, max_length=160, description="Identifiant (slug) de l'édition."
    )
    status: ActionItemStatus | None = Field(None, description="Statut de l'action.")
    overdue: bool | None = Field(
        None, description="`true` : seulement les actions en retard (échéance passée, non faites)."
    )


# --- References -----------------------------------------------------------------


class SeriesRefOut(Schema):
    slug: str
    name: str


class EditionRefOut(Schema):
    slug: str
    title: str
    starts_at: datetime
    url: str

    @staticmethod
    def resolve_url(edition: Edition) -> str:
        return ics.edition_page_url(edition)


class ChallengeRefOut(Schema):
    slug: str
    title: str
    url: str

    @staticmethod
    def resolve_url(challenge) -> str:
        return absolute_url(challenge.get_absolute_url())


class PersonRefOut(Schema):
    name: str


# --- Series ---------------------------------------------------------------------


class SeriesOut(Schema):
    slug: str
    name: str
    kind: Choice = Field(description="`national` (le petit déj de l'IA) ou `local`.")
    description: str = Field(description="Présentation en Markdown, telle qu'écrite.")
    description_html: str
    organisation: OrganisationRefOut | None = Field(
        description="Organisation qui porte une série locale."
    )
    ics_url: str = Field(description="Flux iCalendar de la série, pour s'y abonner.")

    @staticmethod
    def resolve_kind(series: Series) -> Choice:
        return choice(series.kind, series.get_kind_display())

    @staticmethod
    def resolve_description_html(series: Series) -> str:
        return str(series.description_html)

    @staticmethod
    def resolve_ics_url(series: Series) -> str:
        return ics.series_feed_url(series)


# --- Editions -------------------------------------------------------------------


class SeatsOut(Schema):
    attendance: Choice = Field(description="`on_site` (sur place) ou `online` (en ligne).")
    capacity: int | None = Field(description="Places ; null : sans limite.")
    taken: int = Field(description="Places prises (confirmées ou proposées).")
    left: int | None = Field(description="Places restantes ; null : sans limite.")
    waiting: int = Field(description="Personnes sur la liste d'attente.")


def _seats(edition: Edition) -> list[SeatsOut]:
    if hasattr(edition, f"{Attendance.ON_SITE}_taken"):  # counted by the list's query
        seats = []
        for mode in edition.attendance_modes():
            capacity = edition.capacity_for(mode)
            taken = getattr(edition, f"{mode}_taken")
            seats.append(
                SeatsOut(
                    attendance=choice(mode, Attendance(mode).label),
                    capacity=capacity,
                    taken=taken,
                    left=None if capacity is None else max(capacity - taken, 0),
                    waiting=getattr(edition, f"{mode}_waiting"),
                )
            )
        return seats
    return [
        SeatsOut(
            attendance=choice(summary.attendance, summary.label),
            capacity=summary.capacity,
            taken=summary.taken,
            left=summary.left,
            waiting=summary.waiting,
        )
        for summary in selectors.seat_summaries(edition)
    ]


class EditionOut(Schema):
    slug: str
    title: str
    series: SeriesRefOut
    starts_at: datetime = Field(description="Début, heure de Paris (ISO 8601 avec décalage).")
    ends_at: datetime
    format: Choice = Field(description="`on_site`, `online` ou `hybrid`.")
    address: str
    status: Choice = Field(description="`published` ou `cancelled` pour le public.")
    registration_open: bool
    call_for_pitches_open: bool
    seats: list[SeatsOut] = Field(description="Par mode de participation.")
    url: str = Field(description="Adresse absolue de sa page, où l'on s'inscrit.")
    ics_url: str = Field(description="Fichier iCalendar de l'édition.")

    @staticmethod
    def resolve_starts_at(edition: Edition) -> datetime:
        return timezone.localtime(edition.starts_at)

    @staticmethod
    def resolve_ends_at(edition: Edition) -> datetime:
        return timezone.localtime(edition.ends_at)

    @staticmethod
    def resolve_format(edition: Edition) -> Choice:
        return choice(edition.format, edition.get_format_display())

    @staticmethod
    def resolve_status(edition: Edition) -> Choice:
        return choice(edition.status, edition.get_status_display())

    @staticmethod
    def resolve_seats(edition: Edition) -> list[SeatsOut]:
        return _seats(edition)

    @staticmethod
    def resolve_url(edition: Edition) -> str:
        return ics.edition_page_url(edition)

    @staticmethod
    def resolve_ics_url(edition: Edition) -> str:
        return ics.edition_ics_url(edition)


class AgendaItemOut(Schema):
    id: int
    order: int
    starts_at: AgendaTimeOut | None = Field(description="Heure de Paris (HH:MM:SS), ou null.")
    duration_minutes: int
    title: str
    speakers: str
    kind: Choice = Field(description="`pitch`, `talk`, `workshop` ou `break`.")
    project: ProjectRefOut | None = Field(description="Projet présenté.")
    challenge: ChallengeRefOut | None = Field(description="Défi présenté.")

    @staticmethod
    def resolve_kind(item: AgendaItem) -> Choice:
        return choice(item.kind, item.get_kind_display())


class ResourceOut(Schema):
    kind: Choice
    title: str
    url: str

    @staticmethod
    def resolve_kind(resource) -> Choice:
        return choice(resource.kind, resource.get_kind_display())

    @staticmethod
    def resolve_url(resource) -> str:
        href = resource.href
        return href if "://" in href else absolute_url(href)


class EditionDetailOut(EditionOut):
    description: str = Field(description="Présentation en Markdown, telle qu'écrite.")
    description_html: str
    accessibility_info: str = Field(description="Accessibilité du lieu.")
    cancellation_reason: str
    agenda: list[AgendaItemOut] = Field(description="L'ordre du jour, dans l'ordre.")
    minutes: str | None = Field(description="Compte rendu en Markdown, une fois publié.")
    minutes_html: str | None
    minutes_published_at: datetime | None
    minutes_summary: str | None = Field(description="Synthèse du compte rendu, une fois publié.")
    ai_provenance: list[AIProvenanceOut] = Field(description=AI_PROVENANCE_DESCRIPTION)
    replay_url: str | None
    slides_url: str | None
    resources: list[ResourceOut] = Field(description="Supports, rediffusion, documents.")
    actions: list[str] = Field(description=ACTIONS_DESCRIPTION, examples=[["cancel"]])

    @staticmethod
    def resolve_actions(edition: Edition, context) -> list[str]:
        return actions_for([EDITION_WORKFLOW], edition, context)

    previous_edition: EditionRefOut | None = Field(
        description="L'édition précédente de la série, dont on suit les actions."
    )

    @field_validator("replay_url", "slides_url", mode="before")
    @classmethod
    def _blank_is_null(cls, value: str | None) -> str | None:
        return value or None

    @staticmethod
    def resolve_description_html(edition: Edition) -> str:
        return str(edition.description_html)

    @staticmethod
    def resolve_agenda(edition: Edition) -> list:
        return list(selectors.agenda(edition))

    @staticmethod
    def resolve_minutes(edition: Edition) -> str | None:
        return edition.minutes if edition.minutes_are_published else None

    @staticmethod
    def resolve_minutes_html(edition: Edition) -> str | None:
        return str(edition.minutes_html) if edition.minutes_are_published else None

    @staticmethod
    def resolve_minutes_summary(edition: Edition) -> str | None:
        return edition.minutes_summary if edition.minutes_are_published else None

    @staticmethod
    def resolve_ai_provenance(edition: Edition) -> list[dict]:
        return ai_provenance_data(edition) if edition.minutes_are_published else []

    @staticmethod
    def resolve_minutes_published_at(edition: Edition) -> datetime | None:
        return edition.minutes_published_at if edition.minutes_are_published else None

    @staticmethod
    def resolve_resources(edition: Edition) -> list:
        return list(edition.resources.all())

    @staticmethod
    def resolve_previous_edition(edition: Edition) -> Edition | None:
        return selectors.previous_edition(edition)


# --- Action items -----------------------------------------------------------------


class ActionItemOut(Schema):
    id: int
    edition: EditionRefOut
    title: str
    description: str
    owner_organisation: OrganisationRefOut | None
    owner_person: PersonRefOut | None = Field(
        description="La personne responsable, si son profil est public (sinon null)."
    )
    due_date: date | None
    status: Choice = Field(description="`open`, `in_progress`, `done` ou `dropped`.")
    status_note: str = Field(description="Où en est-on ?")
    overdue: bool = Field(description="Échéance passée sans que l'action soit faite.")
    project: ProjectRefOut | None
    challenge: ChallengeRefOut | None
    updated_at: datetime

    @staticmethod
    def resolve_status(item: ActionItem) -> Choice:
        return choice(item.status, item.get_status_display())

    @staticmethod
    def resolve_overdue(item: ActionItem) -> bool:
        return item.is_overdue()

    @staticmethod
    def resolve_owner_person(item: ActionItem) -> PersonRefOut | None:
        # An API answer is republished by whoever reads it: the same for every caller.
        name = person_name_if_public(item.owner_user)
        return PersonRefOut(name=name) if name else None


# --- Writes ---------------------------------------------------------------------


def _aware(value: datetime | None) -> datetime | None:
    """A time without offset is Paris time."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


EDITION_TEXT_FIELDS = ("title", "description", "address", "accessibility_info", "online_url")


class EditionPatchIn(Schema):
    """Only the fields sent are changed. Times without offset are Paris time."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    format: EditionFormat | None = None
    address: str | None = Field(None, max_length=300)
    accessibility_info: str | None = Field(None, max_length=2000)
    online_url: str | None = Field(
        None, max_length=200, description="Lien de connexion, montré aux seuls inscrits."
    )
    onsite_capacity: int | None = Field(
        None, ge=0, le=MAX_CAPACITY, description="null : sans limite."
    )
    online_capacity: int | None = Field(
        None, ge=0, le=MAX_CAPACITY, description="null : sans limite."
    )
    registration_open: bool | None = None
    call_for_pitches_open: bool | None = None
    status: Literal["published", "cancelled"] | None = Field(
        None,
        description="`published` publie un brouillon ; `cancelled` annule l'édition "
        "(avec `cancellation_reason`) et prévient les inscrits.",
    )
    cancellation_reason: str | None = Field(None, max_length=2000)

    def changes(self) -> dict:
        changes = {}
        for name, value in self.model_dump(exclude_unset=True).items():
            if name in ("status", "cancellation_reason"):
                continue
            if name in EDITION_TEXT_FIELDS:
                value = str(value or "").strip()
            elif name in ("starts_at", "ends_at"):
                value = _aware(value)
            elif name == "format":
                value = str(value)
            elif name in ("registration_open", "call_for_pitches_open"):
                value = bool(value)
            changes[name] = value
        return changes


class EditionCreateIn(EditionPatchIn):
    """A new edition, a draft unless `status` is `published`. You become one of its organisers."""

    series: str = Field(min_length=1, max_length=120, description="Identifiant (slug) de la série.")
    title: str = Field(min_length=1, max_length=200)
    starts_at: datetime
    ends_at: datetime
    status: Literal["published"] | None = Field(None, description="`published` : publier aussitôt.")


class AgendaItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Pour PUT : l'identifiant d'un point existant à garder (sinon créé).",
    )
    starts_at: AgendaTimeIn | None = Field(
        None, description="Heure de Paris (HH:MM), sans fuseau horaire."
    )
    duration_minutes: int = Field(10, ge=1, le=600)
    title: str = Field(min_length=1, max_length=200)
    speakers: str = Field("", max_length=300)
    kind: AgendaItemKind = AgendaItemKind.TALK
    project: int | None = Field(
        None, ge=1, le=MAX_ID, description="Identifiant du projet présenté."
    )
    challenge: str | None = Field(
        None, max_length=220, description="Identifiant (slug) du défi présenté."
    )

    @field_validator("starts_at", mode="after")
    @classmethod
    def _paris_time(cls, value: time | None) -> time | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            raise PydanticCustomError(
                "time_zone",
                _("Indiquez l'heure sans fuseau horaire : c'est l'heure de Paris (HH:MM)."),
            )
        return value.replace(microsecond=0)


class ActionItemPatchIn(Schema):
    """Owners may send `status` and `status_note` only; organisers anything."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=4000)
    owner_organisation: str | None = Field(
        None, max_length=220, description="Identifiant (slug) de l'organisation responsable."
    )
    owner_email: str | None = Field(
        None, max_length=254, description="E-mail du compte de la personne responsable."
    )
    due_date: date | None = None
    project: int | None = Field(None, ge=1, le=MAX_ID, description="Identifiant du projet lié.")
    challenge: str | None = Field(None, max_length=220, description="Slug du défi lié.")
    status: ActionItemStatus | None = None
    status_note: str | None = Field(None, max_length=500)


class ActionItemCreateIn(ActionItemPatchIn):
    title: str = Field(min_length=1, max_length=300)
