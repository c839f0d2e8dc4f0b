"""Open data: the meetings' public editions and their action items, as CSV and JSON.

Two flat datasets, described by `docs/schemas/editions.schema.json` and
`docs/schemas/action-items.schema.json` (written from `editions_table_schema()` and
`action_items_table_schema()`; a test keeps the files and the code in step). No GeoJSON:
an edition's place is an address in words, not a point.

Only what the public pages show (`meetings.permissions.can_view_edition` for anybody):
editions published or cancelled in an approved series, never a draft; never the online
link (for registrants only), never who registered or came, never an organiser; the minutes
once published only. An action item names its person only as `owner_public_label` does (a
name only when the profile is public), links a project only when it is published and a défi
only when it is public.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.urls import reverse

from quartiers40.assist.selectors import ai_provenance_labels, ai_provenance_prefetched
from quartiers40.challenges.permissions import can_view_challenge
from quartiers40.core.links import canonical_url
from quartiers40.core.opendata import rows_csv, timestamp
from quartiers40.meetings import selectors
from quartiers40.meetings.enums import ActionItemStatus, EditionFormat, EditionStatus, SeriesKind
from quartiers40.meetings.models import ActionItem, Edition
from quartiers40.projects.permissions import can_view_project

from .schema import Column, table_schema

EDITIONS_SCHEMA_PATH = "docs/schemas/editions.schema.json"
ACTION_ITEMS_SCHEMA_PATH = "docs/schemas/action-items.schema.json"
PUBLIC_EDITION_STATUSES = [EditionStatus.PUBLISHED.value, EditionStatus.CANCELLED.value]

EDITION_COLUMNS: tuple[Column, ...] = (
    ("id", "string", "Identifiant d'adresse de l'édition.", {"required": True, "unique": True}),
    ("title", "string", "Titre.", {"required": True, "maxLength": 200}),
    ("series_id", "string", "Identifiant d'adresse de la série.", {"required": True}),
    ("series_name", "string", "Nom de la série.", {"required": True}),
    (
        "series_kind",
        "string",
        "Série nationale (le petit déj de l'IA) ou locale (code).",
        {"required": True, "enum": list(SeriesKind.values)},
    ),
    ("organisation_id", "string", "Organisation qui porte une série locale.", {}),
    ("organisation_name", "string", "Nom de l'organisation qui porte une série locale.", {}),
    ("description", "string", "Présentation (Markdown).", {}),
    ("starts_at", "datetime", "Début (UTC).", {"required": True}),
    ("ends_at", "datetime", "Fin (UTC).", {"required": True}),
    (
        "format",
        "string",
        "Sur place, en ligne, ou les deux (code).",
        {"required": True, "enum": list(EditionFormat.values)},
    ),
    ("address", "string", "Adresse du lieu.", {}),
    ("accessibility_info", "string", "Accessibilité du lieu.", {}),
    ("onsite_capacity", "integer", "Places sur place ; vide : sans limite.", {"minimum": 0}),
    ("online_capacity", "integer", "Places en ligne ; vide : sans limite.", {"minimum": 0}),
    (
        "status",
        "string",
        "Publiée ou annulée (code).",
        {"required": True, "enum": PUBLIC_EDITION_STATUSES},
    ),
    ("cancellation_reason", "string", "Motif de l'annulation.", {}),
    (
        "agenda_items_count",
        "integer",
        "Points à l'ordre du jour.",
        {"required": True, "minimum": 0},
    ),
    (
        "action_items_count",
        "integer",
        "Actions de suivi décidées.",
        {"required": True, "minimum": 0},
    ),
    ("minutes", "string", "Compte rendu (Markdown), une fois publié.", {}),
    ("minutes_published_at", "datetime", "Publication du compte rendu (UTC).", {}),
    ("replay_url", "string", "Lien de la rediffusion.", {}),
    ("slides_url", "string", "Lien des supports.", {}),
    ("published_at", "datetime", "Publication de l'édition (UTC).", {}),
    ("updated_at", "datetime", "Dernière mise à jour (UTC).", {"required": True}),
    ("url", "string", "Adresse de la page de l'édition.", {"required": True}),
    ("ics_url", "string", "Fichier iCalendar de l'édition.", {"required": True}),
    ("minutes_summary", "string", "Synthèse du compte rendu, une fois publié.", {}),
    (
        "ai_provenance",
        "string",
        "Textes proposés par une IA puis relus par une personne : « champ: Proposé par une IA "
        "(modèle), relu par … le … », séparés par « | ».",
        {},
    ),
)
EDITION_COLUMN_NAMES = [name for name, *_rest in EDITION_COLUMNS]
EDITION_URI_COLUMNS = ("replay_url", "slides_url", "url", "ics_url")

ACTION_ITEM_COLUMNS: tuple[Column, ...] = (
    ("id", "integer", "Identifiant numérique de l'action.", {"required": True, "unique": True}),
    (
        "edition_id",
        "string",
        "Identifiant d'adresse de l'édition qui l'a décidée.",
        {"required": True},
    ),
    ("edition_title", "string", "Titre de l'édition.", {"required": True}),
    ("edition_url", "string", "Adresse de la page de l'édition.", {"required": True}),
    ("title", "string", "L'action.", {"required": True, "maxLength": 300}),
    ("description", "string", "Précisions.", {}),
    ("owner_organisation_id", "string", "Organisation responsable (identifiant).", {}),
    ("owner_organisation_name", "string", "Organisation responsable (nom).", {}),
    (
        "owner",
        "string",
        "Qui en est responsable, tel qu'affiché publiquement : l'organisation, et le nom "
        "d'une personne seulement si son profil est public.",
        {},
    ),
    ("due_date", "date", "Échéance.", {}),
    (
        "status",
        "string",
        "Statut (code) : à faire, en cours, faite, abandonnée.",
        {"required": True, "enum": list(ActionItemStatus.values)},
    ),
    ("status_note", "string", "Où en est-on ?", {"maxLength": 500}),
    ("project_url", "string", "Projet lié (publié).", {}),
    ("challenge_url", "string", "Défi lié (public).", {}),
    ("created_at", "datetime", "Création (UTC).", {"required": True}),
    ("updated_at", "datetime", "Dernière mise à jour (UTC).", {"required": True}),
)
ACTION_ITEM_COLUMN_NAMES = [name for name, *_rest in ACTION_ITEM_COLUMNS]
ACTION_ITEM_URI_COLUMNS = ("edition_url", "project_url", "challenge_url")


def editions_table_schema() -> dict:
    return table_schema(
        EDITION_COLUMNS,
        title="Rencontres du collectif Quartiers 4.0 : les éditions",
        description="Export CSV des éditions publiques du petit déj de l'IA et des séries "
        "locales : UTF-8, virgule, une ligne d'en-tête. Ni les inscrits, ni le lien de "
        "connexion.",
        uri_columns=EDITION_URI_COLUMNS,
    )


def action_items_table_schema() -> dict:
    return table_schema(
        ACTION_ITEM_COLUMNS,
        title="Rencontres du collectif Quartiers 4.0 : les actions de suivi",
        description="Export CSV des actions décidées aux éditions publiques : UTF-8, "
        "virgule, une ligne d'en-tête. Aucune coordonnée de personne.",
        uri_columns=ACTION_ITEM_URI_COLUMNS,
    )


# --- Editions -------------------------------------------------------------------------


def public_editions() -> QuerySet[Edition]:
    """Every public edition, the oldest first, with its counts (one query; one more for the
    AI provenance)."""
    return ai_provenance_prefetched(
        selectors.editions_public()
        .annotate(
            agenda_count=Count("agenda_items", distinct=True),
            actions_count=Count("action_items", distinct=True),
        )
        .order_by("starts_at", "pk")
    )


def edition_url(edition: Edition) -> str:
    return canonical_url(reverse("meetings:edition_detail", kwargs={"slug": edition.slug}))


def edition_row(edition: Edition) -> dict:
    series = edition.series
    organisation = series.organisation if series.organisation_id else None
    minutes = edition.minutes_are_published
    return {
        "id": edition.slug,
        "title": edition.title,
        "series_id": series.slug,
        "series_name": series.name,
        "series_kind": series.kind,
        "organisation_id": organisation.slug if organisation else None,
        "organisation_name": organisation.name if organisation else None,
        "description": edition.description,
        "starts_at": timestamp(edition.starts_at),
        "ends_at": timestamp(edition.ends_at),
        "format": edition.format,
        "address": edition.address,
        "accessibility_info": edition.accessibility_info,
        "onsite_capacity": edition.onsite_capacity,
        "online_capacity": edition.online_capacity,
        "status": edition.status,
        "cancellation_reason": edition.cancellation_reason if edition.is_cancelled else "",
        "agenda_items_count": getattr(edition, "agenda_count", 0),  # public_editions()
        "action_items_count": getattr(edition, "actions_count", 0),
        "minutes": edition.minutes if minutes else "",
        "minutes_published_at": timestamp(edition.minutes_published_at) if minutes else None,
        "minutes_summary": edition.minutes_summary if minutes else "",
        "ai_provenance": ai_provenance_labels(edition) if minutes else [],
        "replay_url": edition.replay_url or None,
        "slides_url": edition.slides_url or None,
        "published_at": timestamp(edition.published_at),
        "updated_at": timestamp(edition.updated_at),
        "url": edition_url(edition),
        "ics_url": canonical_url(
            reverse("meetings_calendar:edition", kwargs={"slug": edition.slug})
        ),
    }


def editions_csv(editions: Iterable[Edition]) -> str:
    return rows_csv((edition_row(item) for item in editions), EDITION_COLUMN_NAMES)


def editions_json(editions: Iterable[Edition]) -> list[dict]:
    return [edition_row(edition) for edition in editions]


# --- Action items ---------------------------------------------------------------------


def public_action_items() -> QuerySet[ActionItem]:
    """The action items of public editions, by edition then due date (one query)."""
    return selectors.action_items_public().order_by("edition__starts_at", "due_date", "pk")


def _project_url(project) -> str | None:
    if project is None or not can_view_project(AnonymousUser(), project):
        return None
    return canonical_url(reverse("projects:detail", kwargs={"key": project.slug}))


def _challenge_url(challenge) -> str | None:
    if challenge is None or challenge.merged_into_id is not None:
        return None
    if not can_view_challenge(AnonymousUser(), challenge):
        return None
    return canonical_url(reverse("challenges:detail", kwargs={"slug": challenge.slug}))


def action_item_row(item: ActionItem) -> dict:
    organisation = item.owner_organisation if item.owner_organisation_id else None
    return {
        "id": item.pk,
        "edition_id": item.edition.slug,
        "edition_title": item.edition.title,
        "edition_url": edition_url(item.edition),
        "title": item.title,
        "description": item.description,
        "owner_organisation_id": organisation.slug if organisation else None,
        "owner_organisation_name": organisation.name if organisation else None,
        "owner": item.owner_public_label or None,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "status": item.status,
        "status_note": item.status_note,
        "project_url": _project_url(item.project),
        "challenge_url": _challenge_url(item.challenge),
        "created_at": timestamp(item.created_at),
        "updated_at": timestamp(item.updated_at),
    }


def action_items_csv(items: Iterable[ActionItem]) -> str:
    return rows_csv((action_item_row(item) for item in items), ACTION_ITEM_COLUMN_NAMES)


def action_items_json(items: Iterable[ActionItem]) -> list[dict]:
    return [action_item_row(item) for item in items]
