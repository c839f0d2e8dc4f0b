"""Opportunities as the API shows them: what is offered, where and for whom, never who asked.

The public answers never hold a person: no interest, no contact e-mail (the provider's
inbox), and a phone number only for an imported item (its source published it; a member's
number is on the page). The provider's own answers (writes) add its contact fields and the
coordination's comments; the interests received, with each person's contact, have their own
endpoint, for the provider and the coordination only.
"""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from quartiers40.assist.selectors import ai_provenance_data
from quartiers40.core.links import absolute_url
from quartiers40.opportunities.enums import (
    OPPORTUNITY_WORKFLOW,
    RADIUS_CHOICES_KM,
    THEME_CODES,
    THEME_LABELS,
    Accessibility,
    Cost,
    HowToGo,
    InterestStatus,
    Language,
    Level,
    OpportunityKind,
    QPVPriority,
    Situation,
    theme_category,
)
from quartiers40.opportunities.models import Opportunity, OpportunityInterest

from .assist import AI_PROVENANCE_DESCRIPTION, AIProvenanceOut
from .common import (
    ACTIONS_DESCRIPTION,
    Choice,
    actions_for,
    choice,
    translations_field,
    translations_of,
)

MAX_RADIUS_KM = max(RADIUS_CHOICES_KM)
THEME_CATEGORIES = frozenset(theme_category(code) for code in THEME_CODES)


class OpportunityFilters(Schema):
    kind: OpportunityKind | None = Field(None, description="Type d'opportunité.")
    theme: str | None = Field(
        None,
        max_length=120,
        description="Thématique data·inclusion (`numerique--…`) ou une catégorie entière "
        "(`numerique`).",
    )
    free: bool | None = Field(None, description="true : gratuites (ou prises en charge).")
    age: int | None = Field(None, ge=14, le=120, description="L'âge de la personne.")
    situation: Situation | None = Field(None, description="La situation de la personne.")
    level: Level | None = Field(None, description="Le plus haut diplôme de la personne.")
    qpv: str | None = Field(
        None, max_length=16, description="Un lieu dans ce quartier prioritaire ou à 2 km."
    )
    commune: str | None = Field(
        None, min_length=5, max_length=5, description="Un lieu dans cette commune (code INSEE)."
    )
    department: str | None = Field(
        None, min_length=2, max_length=3, description="Un lieu dans ce département (93, 2A…)."
    )
    organisation: str | None = Field(
        None, max_length=220, description="Proposées par cette organisation (identifiant)."
    )
    near: str | None = Field(
        None,
        max_length=40,
        description="« latitude,longitude » (WGS 84) : les plus proches d'abord, avec leur "
        "distance (`distance_m`), et celles à distance intercalées.",
        examples=["48.8850,2.3540"],
    )
    radius_km: float = Field(
        10,
        gt=0,
        le=MAX_RADIUS_KM,
        description=f"Rayon autour de `near` ({MAX_RADIUS_KM} km au plus).",
    )

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str | None) -> str | None:
        if value and value not in THEME_CODES and value not in THEME_CATEGORIES:
            raise ValueError("Thématique inconnue.")
        return value

    def point(self) -> tuple[float, float] | None:
        """(lat, lon) of `near`, None without it; ValueError when it is not a point."""
        if not self.near:
            return None
        parts = self.near.replace(" ", "").split(",")
        if len(parts) != 2:
            raise ValueError
        lat, lon = float(parts[0]), float(parts[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
        return lat, lon


class ProviderOut(Schema):
    kind: str = Field(description="« organisation » (membre) ou « structure » (importée).")
    name: str
    slug: str | None = Field(description="Identifiant de l'organisation membre.")
    url: str | None = Field(description="Sa page sur le site, ou le site de la structure.")


class PlaceQPVOut(Schema):
    code: str
    name: str
    distance_m: int = Field(description="0 : le lieu est dans le quartier.")


class PlaceOut(Schema):
    name: str
    address: str
    address_details: str
    postcode: str
    commune_code: str
    commune_name: str
    longitude: float | None
    latitude: float | None
    qpvs: list[PlaceQPVOut] = Field(description="Quartiers prioritaires à 2 km au plus.")

    @staticmethod
    def resolve_qpvs(place) -> list[dict]:
        return [
            {"code": link.qpv.code, "name": link.qpv.name, "distance_m": link.distance_m}
            for link in place.qpv_links.all()  # prefetched by the endpoints
        ]


class SessionOut(Schema):
    starts_on: date
    ends_on: date | None
    details: str


def _choices(values: list, enum) -> list[Choice]:
    return [choice(value, enum(value).label) for value in values if value in enum.values]


class OpportunityOut(Schema):
    id: int
    slug: str
    url: str = Field(description="Adresse absolue de sa page sur le site.")
    kind: Choice
    title: str
    summary: str = Field(description="Résumé en français facile (400 caractères au plus).")
    description: str = Field(description="Description en Markdown, telle qu'écrite.")
    description_html: str
    themes: list[Choice] = Field(description="Thématiques data·inclusion.")
    provider: ProviderOut
    source: str = Field(description="« quartiers-4-0 », ou la source importée.")
    source_url: str | None
    is_remote: bool
    eligibility_zone: list[str] = Field(description="Codes INSEE, départements ou « france ».")
    places: list[PlaceOut]
    starts_on: date | None
    ends_on: date | None
    sessions: list[SessionOut]
    opening_hours: str = Field(description="Horaires au format OpenStreetMap.")
    schedule_details: str
    cost: Choice
    cost_details: str
    how_to_go: list[Choice]
    application_url: str | None
    phone: str | None = Field(description="Téléphone publié par la source (importées).")
    seats: int | None
    deadline: date | None
    qpv_priority: Choice | None = Field(description="Null : ouvert à tous.")
    age_min: int | None
    age_max: int | None
    situations: list[Choice] = Field(description="Vide : pour tout le monde.")
    level_required: Choice
    languages: list[Choice]
    eligibility_details: str
    access_conditions: str
    accessibility: list[Choice]
    accessibility_url: str | None
    status: Choice
    is_fictional: bool
    published_at: datetime | None
    last_updated_at: datetime
    distance_m: float | None = Field(
        None, description="Avec `near` : distance au lieu le plus proche ; null à distance."
    )
    ai_provenance: list[AIProvenanceOut] = Field(description=AI_PROVENANCE_DESCRIPTION)

    @field_validator("source_url", "application_url", "accessibility_url", mode="before")
    @classmethod
    def _blank_is_null(cls, value: str | None) -> str | None:
        return value or None

    @staticmethod
    def resolve_url(opportunity: Opportunity) -> str:
        return absolute_url(opportunity.get_absolute_url())

    @staticmethod
    def resolve_ai_provenance(opportunity: Opportunity) -> list[dict]:
        return ai_provenance_data(opportunity)  # prefetched (RELATIONS)

    @staticmethod
    def resolve_kind(opportunity: Opportunity) -> Choice:
        return choice(opportunity.kind, opportunity.get_kind_display())

    @staticmethod
    def resolve_description_html(opportunity: Opportunity) -> str:
        return str(opportunity.description_html)

    @staticmethod
    def resolve_themes(opportunity: Opportunity) -> list[Choice]:
        return [
            choice(code, THEME_LABELS[code]) for code in opportunity.themes if code in THEME_LABELS
        ]

    @staticmethod
    def resolve_provider(opportunity: Opportunity) -> dict:
        if opportunity.organisation_id:
            organisation = opportunity.organisation
            return {
                "kind": "organisation",
                "name": organisation.name,
                "slug": organisation.slug,
                "url": absolute_url(organisation.get_absolute_url()),
            }
        structure = opportunity.structure
        return {
            "kind": "structure",
            "name": structure.name if structure else "",
            "slug": None,
            "url": (structure.website or structure.source_url or None) if structure else None,
        }

    @staticmethod
    def resolve_places(opportunity: Opportunity) -> list:
        return list(opportunity.places.all())  # prefetched by the endpoints

    @staticmethod
    def resolve_sessions(opportunity: Opportunity) -> list:
        return list(opportunity.sessions.all())

    @staticmethod
    def resolve_cost(opportunity: Opportunity) -> Choice:
        return choice(opportunity.cost, opportunity.get_cost_display())

    @staticmethod
    def resolve_how_to_go(opportunity: Opportunity) -> list[Choice]:
        return _choices(opportunity.how_to_go, HowToGo)

    @staticmethod
    def resolve_phone(opportunity: Opportunity) -> str | None:
        return (opportunity.contact_phone or None) if opportunity.is_imported else None

    @staticmethod
    def resolve_qpv_priority(opportunity: Opportunity) -> Choice | None:
        if not opportunity.qpv_priority:
            return None
        return choice(opportunity.qpv_priority, opportunity.get_qpv_priority_display())

    @staticmethod
    def resolve_situations(opportunity: Opportunity) -> list[Choice]:
        return _choices(opportunity.situations, Situation)

    @staticmethod
    def resolve_level_required(opportunity: Opportunity) -> Choice:
        return choice(str(opportunity.level_required), opportunity.get_level_required_display())

    @staticmethod
    def resolve_languages(opportunity: Opportunity) -> list[Choice]:
        return _choices(opportunity.languages, Language)

    @staticmethod
    def resolve_accessibility(opportunity: Opportunity) -> list[Choice]:
        return _choices(opportunity.accessibility, Accessibility)

    @staticmethod
    def resolve_status(opportunity: Opportunity) -> Choice:
        return choice(opportunity.status, opportunity.get_status_display())

    @staticmethod
    def resolve_distance_m(opportunity: Opportunity) -> float | None:
        distance = getattr(opportunity, "distance_m", None)
        return round(distance, 1) if distance is not None else None


class OpportunityDetailOut(OpportunityOut):
    actions: list[str] = Field(description=ACTIONS_DESCRIPTION, examples=[["withdraw"]])

    @staticmethod
    def resolve_actions(opportunity: Opportunity, context) -> list[str]:
        return actions_for([OPPORTUNITY_WORKFLOW], opportunity, context)

    translations: dict[str, dict[str, str]] = translations_field()

    @staticmethod
    def resolve_translations(opportunity: Opportunity) -> dict[str, dict[str, str]]:
        return translations_of(opportunity)


class OpportunityOwnOut(OpportunityDetailOut):
    """What its provider reads back after a write: its contact fields and the team's comments."""

    contact_email: str = Field(description="Où arrivent les messages (jamais affiché).")
    contact_phone: str
    review_comments: str = Field(description="Les commentaires de l'équipe de coordination.")


# --- Writing ----------------------------------------------------------------------


class PlaceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    address_details: str = Field("", max_length=300)
    postcode: str = Field("", max_length=5)
    commune_code: str = Field("", max_length=5)
    commune_name: str = Field("", max_length=200)
    longitude: float | None = Field(None, ge=-180, le=180)
    latitude: float | None = Field(None, ge=-90, le=90)


class SessionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_on: date
    ends_on: date | None = None
    details: str = Field("", max_length=300)


TEXT_FIELDS = (
    "title",
    "summary",
    "description",
    "opening_hours",
    "schedule_details",
    "cost_details",
    "application_url",
    "contact_phone",
    "contact_email",
    "eligibility_details",
    "access_conditions",
    "accessibility_url",
)
LIST_FIELDS = ("themes", "how_to_go", "situations", "languages", "accessibility")


class OpportunityPatchIn(Schema):
    """Only the fields sent are changed. `places` and `sessions`, when sent, replace them all."""

    model_config = ConfigDict(extra="forbid")

    kind: OpportunityKind | None = None
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=400)
    description: str | None = Field(None, max_length=20000)
    themes: list[str] | None = Field(None, max_length=20, description="Thématiques data·inclusion.")
    is_remote: bool | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    opening_hours: str | None = Field(None, max_length=500)
    schedule_details: str | None = Field(None, max_length=500)
    cost: Cost | None = None
    cost_details: str | None = Field(None, max_length=500)
    how_to_go: list[HowToGo] | None = None
    application_url: str | None = Field(None, max_length=500)
    contact_phone: str | None = Field(None, max_length=40)
    contact_email: str | None = Field(None, max_length=254)
    seats: int | None = Field(None, ge=0)
    deadline: date | None = None
    qpv_priority: QPVPriority | None = None
    age_min: int | None = None
    age_max: int | None = None
    situations: list[Situation] | None = None
    level_required: Level | None = None
    languages: list[Language] | None = None
    eligibility_details: str | None = Field(None, max_length=2000)
    access_conditions: str | None = Field(None, max_length=2000)
    accessibility: list[Accessibility] | None = None
    accessibility_url: str | None = Field(None, max_length=500)
    places: list[PlaceIn] | None = Field(None, max_length=50)
    sessions: list[SessionIn] | None = Field(None, max_length=100)

    def changes(self) -> dict:
        """The fields sent, as the model stores them (codes, "" for an emptied text)."""
        changes = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name in ("places", "sessions"):
                continue
            if name in TEXT_FIELDS:
                value = str(value or "").strip()
            elif name in LIST_FIELDS:
                value = list(
                    dict.fromkeys(str(getattr(item, "value", item)) for item in value or [])
                )
            elif name == "level_required":
                value = int(value or 0)
            elif name in ("kind", "cost", "qpv_priority"):
                value = str(getattr(value, "value", value) or "")
            elif name == "is_remote":
                value = bool(value)
            changes[name] = value
        if "kind" in changes and not changes["kind"]:
            changes.pop("kind")
        if "cost" in changes and not changes["cost"]:
            changes["cost"] = Cost.FREE.value
        return changes


class OpportunityCreateIn(OpportunityPatchIn):
    """A new draft. `organisation` is the slug of an organisation you belong to."""

    organisation: str = Field(max_length=220, description="Identifiant (slug) de l'organisation.")
    kind: OpportunityKind
    title: str = Field(max_length=200)
    summary: str = Field(max_length=400)


class WithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500)


class InterestOut(Schema):
    """A person who said she is interested: for the provider and the coordination only."""

    reference: str
    name: str
    email: str
    phone: str
    message: str
    registered_by_mediator: bool = Field(description="Inscrite par un·e médiateur·rice.")
    consent_at: datetime | None = Field(
        description="Son accord, quand un·e médiateur·rice l'a inscrite."
    )
    status: Choice = Field(description="Ce qui en est sorti.")
    outcome_note: str
    outcome_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_registered_by_mediator(interest: OpportunityInterest) -> bool:
        return interest.registered_by_id is not None

    @staticmethod
    def resolve_status(interest: OpportunityInterest) -> Choice:
        return choice(interest.status, interest.get_status_display())


class OutcomeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: InterestStatus
    note: str = Field("", max_length=500)
