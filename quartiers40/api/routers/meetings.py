"""/meetings/: the quarterly meetings — series, editions, agendas, action items.

GET   /meetings/series/                         approved series, paginated
GET   /meetings/series/{slug}/                  one approved series
GET   /meetings/editions/                       public editions (when=upcoming|past,
                                                series), paginated
GET   /meetings/editions/{slug}/                one edition: agenda, published minutes,
                                                resources, seats left
GET   /meetings/editions/{slug}/agenda/         its agenda, in order
GET   /meetings/action-items/                   action items of public editions
                                                (edition, status, overdue), paginated
GET   /meetings/action-items/{id}/              one action item
POST  /meetings/editions/                       a new edition (token; coordination, or the
                                                people of a local series' organisation)
PATCH /meetings/editions/{slug}/                change, publish or cancel (token; organisers)
POST  /meetings/editions/{slug}/agenda/         add an agenda item (token; organisers)
PUT   /meetings/editions/{slug}/agenda/         replace the whole agenda (token; organisers)
POST  /meetings/editions/{slug}/action-items/   a new action item (token; organisers)
PATCH /meetings/action-items/{id}/              change an action item (token; organisers;
                                                its owners: status and status_note only)

Calendar files are not JSON and live on the site: /rencontres/<edition>.ics,
/rencontres/serie/<series>.ics (their addresses are in `ics_url`).
Reads never show an edition's online link nor who registered. Drafts answer 404, except
to their organisers.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from quartiers40.challenges.models import Challenge
from quartiers40.meetings import permissions, selectors, services
from quartiers40.meetings.enums import ActionItemStatus
from quartiers40.meetings.models import ActionItem, Edition, Series
from quartiers40.members.models import Organisation, User
from quartiers40.projects.models import Project

from ..auth import token_auth
from ..errors import ApiError, field_error
from ..pagination import PagePagination
from ..schemas.common import ErrorOut
from ..schemas.meetings import (
    ActionItemCreateIn,
    ActionItemFilters,
    ActionItemOut,
    ActionItemPatchIn,
    AgendaItemIn,
    AgendaItemOut,
    EditionCreateIn,
    EditionDetailOut,
    EditionFilters,
    EditionOut,
    EditionPatchIn,
    SeriesOut,
)

router = Router(tags=["Rencontres"])

WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
# What an action item's owners may change through the API; organisers change anything.
OWNER_ACTION_FIELDS = {"status", "status_note"}


def _viewer(request: HttpRequest):
    """Reads are public; a token, when sent, lets organisers see their drafts too."""
    if request.headers.get("Authorization", "").strip():
        return token_auth(request)  # an invalid token answers 401
    return AnonymousUser()


# --- Lookups ----------------------------------------------------------------------


def _series(slug: str) -> Series:
    series = selectors.series_public().filter(slug=slug).first()
    if series is None:
        raise ApiError(status=404, message=_("Aucune série de rencontres n'a cet identifiant."))
    return series


def _edition_for(user, slug: str) -> Edition:
    """Public editions for everyone; drafts and editions of pending series for organisers."""
    edition = selectors.edition_get(slug=slug)
    if edition is None or not permissions.can_view_edition(user, edition):
        raise ApiError(status=404, message=_("Aucune rencontre publique n'a cet identifiant."))
    return edition


def _action_item_for(user, item_id: int) -> ActionItem:
    item = (
        ActionItem.objects.select_related(
            "edition", "edition__series", "owner_organisation", "owner_user", "project", "challenge"
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None or not permissions.can_view_edition(user, item.edition):
        raise ApiError(status=404, message=_("Aucune action n'a cet identifiant."))
    return item


def _project(project_id: int | None, field: str = "project") -> Project | None:
    if project_id is None:
        return None
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise field_error(field, _("Aucun projet n'a cet identifiant."))
    return project


def _challenge(slug: str | None, field: str = "challenge") -> Challenge | None:
    if not slug:
        return None
    challenge = Challenge.objects.filter(slug=slug).first()
    if challenge is None:
        raise field_error(field, _("Aucun défi n'a cet identifiant."))
    return challenge


# --- Series -----------------------------------------------------------------------


@router.get(
    "/series/",
    response={200: list[SeriesOut], 422: ErrorOut, 429: ErrorOut},
    summary="Séries de rencontres",
    description="Le petit déj de l'IA national et les séries locales validées. Public.",
)
@paginate(PagePagination)
def series_list(request: HttpRequest):
    return selectors.series_public().order_by("kind", "name", "pk")


@router.get(
    "/series/{slug}/",
    response={200: SeriesOut, 404: ErrorOut, 429: ErrorOut},
    summary="Une série de rencontres",
    description="Public. `ics_url` : le flux iCalendar de la série, pour s'y abonner.",
)
def series_detail(request: HttpRequest, slug: str):
    return _series(slug)


# --- Editions ---------------------------------------------------------------------


@router.get(
    "/editions/",
    response={200: list[EditionOut], 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Éditions publiques",
    description="Publiées ou annulées, dans une série validée. Sans filtre : les plus "
    "récentes d'abord ; `when=upcoming` : la prochaine d'abord. Public.",
)
@paginate(PagePagination)
def edition_list(request: HttpRequest, filters: Query[EditionFilters]):
    now = timezone.now()
    if filters.when == "upcoming":
        editions = selectors.editions_upcoming(now=now)
    elif filters.when == "past":
        editions = selectors.editions_past(now=now)
    else:
        editions = selectors.editions_public().order_by("-starts_at", "-pk")
    if filters.series:
        editions = editions.filter(series=_series(filters.series))
    return selectors.editions_with_seat_counts(editions)


@router.get(
    "/editions/{slug}/",
    response={200: EditionDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="Une édition",
    description="Son ordre du jour, son compte rendu une fois publié, ses ressources et les "
    "places restantes. Jamais le lien de connexion ni la liste des inscrits. Public.",
)
def edition_detail(request: HttpRequest, slug: str):
    return _edition_for(_viewer(request), slug)


@router.get(
    "/editions/{slug}/agenda/",
    response={200: list[AgendaItemOut], 404: ErrorOut, 429: ErrorOut},
    summary="L'ordre du jour d'une édition",
    description="Les points dans l'ordre, avec le projet ou le défi présenté. Public.",
)
def agenda_list(request: HttpRequest, slug: str):
    return list(selectors.agenda(_edition_for(_viewer(request), slug)))


@router.post(
    "/editions/",
    auth=token_auth,
    response={201: EditionDetailOut, **WRITE_ERRORS},
    summary="Créer une édition",
    description="Réservé à l'équipe de coordination et, pour une série locale validée, aux "
    "personnes de son organisation. Vous devenez organisateur·rice. Brouillon, sauf "
    "`status: published`.",
)
def edition_create(request: HttpRequest, payload: EditionCreateIn):
    series = Series.objects.filter(slug=payload.series).first()
    if series is None:
        raise field_error("series", _("Aucune série n'a cet identifiant."))
    if not permissions.can_manage_series(request.auth, series):
        raise ApiError(
            status=403, message=_("Vous ne pouvez pas créer d'édition dans cette série.")
        )
    changes = payload.changes()
    changes.pop("series", None)
    with transaction.atomic():
        edition = services.edition_create(series=series, actor=request.auth, **changes)
        if payload.status == "published":
            services.edition_publish(edition=edition, actor=request.auth)
    return Status(201, _edition_for(request.auth, edition.slug))


@router.patch(
    "/editions/{slug}/",
    auth=token_auth,
    response={200: EditionDetailOut, **WRITE_ERRORS},
    summary="Modifier, publier ou annuler une édition",
    description="Réservé à ses organisateurs. Seuls les champs envoyés changent ; des places "
    "en plus proposent aussitôt une place aux personnes en attente.",
)
def edition_update(request: HttpRequest, slug: str, payload: EditionPatchIn):
    edition = _edition_for(request.auth, slug)
    if not permissions.can_organise(request.auth, edition):
        raise ApiError(status=403)
    changes = payload.changes()
    with transaction.atomic():
        if changes:
            services.edition_update(edition=edition, actor=request.auth, **changes)
        if payload.status == "published" and not edition.is_published:
            services.edition_publish(edition=edition, actor=request.auth)
        elif payload.status == "cancelled":
            services.edition_cancel(
                edition=edition, actor=request.auth, reason=payload.cancellation_reason or ""
            )
    return _edition_for(request.auth, slug)


# --- Agenda -----------------------------------------------------------------------


def _agenda_fields(item: AgendaItemIn) -> dict:
    return {
        "starts_at": item.starts_at,
        "duration_minutes": item.duration_minutes,
        "title": item.title.strip(),
        "speakers": item.speakers.strip(),
        "kind": str(item.kind),
        "project": _project(item.project),
        "challenge": _challenge(item.challenge),
    }


def _organised_edition(request: HttpRequest, slug: str) -> Edition:
    edition = _edition_for(request.auth, slug)
    if not permissions.can_edit_agenda(request.auth, edition):
        raise ApiError(status=403)
    return edition


@router.post(
    "/editions/{slug}/agenda/",
    auth=token_auth,
    response={201: AgendaItemOut, **WRITE_ERRORS},
    summary="Ajouter un point à l'ordre du jour",
    description="Réservé aux organisateurs. Le point s'ajoute à la fin.",
)
def agenda_item_create(request: HttpRequest, slug: str, payload: AgendaItemIn):
    edition = _organised_edition(request, slug)
    if payload.id is not None:
        raise field_error("id", _("Un nouveau point n'a pas encore d'identifiant."))
    item = services.agenda_item_save(edition=edition, actor=request.auth, **_agenda_fields(payload))
    return Status(201, selectors.agenda(edition).get(pk=item.pk))


@router.put(
    "/editions/{slug}/agenda/",
    auth=token_auth,
    response={200: list[AgendaItemOut], **WRITE_ERRORS},
    summary="Remplacer l'ordre du jour",
    description="Réservé aux organisateurs. La liste envoyée devient l'ordre du jour, dans "
    "cet ordre : un point avec `id` est gardé et modifié, un point sans `id` est créé, les "
    "points absents sont retirés.",
)
def agenda_replace(request: HttpRequest, slug: str, payload: list[AgendaItemIn]):
    edition = _organised_edition(request, slug)
    existing = {item.pk: item for item in edition.agenda_items.all()}
    unknown = [item.id for item in payload if item.id is not None and item.id not in existing]
    if unknown:
        raise field_error(
            "id",
            _("Ces points n'appartiennent pas à cet ordre du jour : %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in unknown)},
        )
    kept = {item.id for item in payload if item.id is not None}
    with transaction.atomic():
        for pk, item in existing.items():
            if pk not in kept:
                services.agenda_item_delete(item=item, actor=request.auth)
        for position, entry in enumerate(payload, start=1):
            services.agenda_item_save(
                edition=edition,
                actor=request.auth,
                item=existing.get(entry.id) if entry.id is not None else None,
                order=position,
                **_agenda_fields(entry),
            )
    return list(selectors.agenda(edition))


# --- Action items -----------------------------------------------------------------


@router.get(
    "/action-items/",
    response={200: list[ActionItemOut], 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Actions de suivi",
    description="Les décisions des éditions publiques : quoi, qui, pour quand, où en est-on. "
    "Les plus proches de leur échéance d'abord. Public.",
)
@paginate(PagePagination)
def action_item_list(request: HttpRequest, filters: Query[ActionItemFilters]):
    items = selectors.action_items_public()
    if filters.edition:
        edition = Edition.objects.visible().filter(slug=filters.edition).first()
        if edition is None:
            raise ApiError(status=404, message=_("Aucune rencontre publique n'a cet identifiant."))
        items = items.filter(edition=edition)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.overdue is True:
        items = items.overdue(timezone.localdate())
    elif filters.overdue is False:
        overdue_ids = ActionItem.objects.overdue(timezone.localdate()).values("pk")
        items = items.exclude(pk__in=overdue_ids)
    return items.order_by("due_date", "pk")


@router.get(
    "/action-items/{int:item_id}/",
    response={200: ActionItemOut, 404: ErrorOut, 429: ErrorOut},
    summary="Une action de suivi",
    description="Public, pour une édition publique.",
)
def action_item_detail(request: HttpRequest, item_id: int):
    return _action_item_for(_viewer(request), item_id)


def _action_fields(payload: ActionItemPatchIn) -> dict:
    """The sent fields other than the status, as the service takes them."""
    sent = payload.model_dump(exclude_unset=True)
    fields = {}
    for name in ("title", "description"):
        if name in sent:
            fields[name] = str(sent[name] or "").strip()
    if "due_date" in sent:
        fields["due_date"] = sent["due_date"]
    if "owner_organisation" in sent:
        slug = sent["owner_organisation"]
        organisation = Organisation.objects.filter(slug=slug).first() if slug else None
        if slug and organisation is None:
            raise field_error("owner_organisation", _("Aucune organisation n'a cet identifiant."))
        fields["owner_organisation"] = organisation
    if "owner_email" in sent:
        email = (sent["owner_email"] or "").strip()
        person = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        if email and person is None:
            raise field_error("owner_email", _("Aucun compte n'a cette adresse e-mail."))
        fields["owner_user"] = person
    if "project" in sent:
        fields["project"] = _project(sent["project"])
    if "challenge" in sent:
        fields["challenge"] = _challenge(sent["challenge"])
    return fields


@router.post(
    "/editions/{slug}/action-items/",
    auth=token_auth,
    response={201: ActionItemOut, **WRITE_ERRORS},
    summary="Créer une action de suivi",
    description="Réservé aux organisateurs de l'édition. Indiquez une organisation "
    "responsable (`owner_organisation`) ou une personne (`owner_email`), ou les deux ; "
    "les responsables sont prévenus par e-mail.",
)
def action_item_create(request: HttpRequest, slug: str, payload: ActionItemCreateIn):
    edition = _edition_for(request.auth, slug)
    if not permissions.can_manage_actions(request.auth, edition):
        raise ApiError(status=403)
    fields = _action_fields(payload)
    with transaction.atomic():
        item = services.action_item_create(edition=edition, actor=request.auth, **fields)
        if payload.status and payload.status != ActionItemStatus.OPEN:
            services.action_item_set_status(
                item=item, actor=request.auth, status=str(payload.status)
            )
    return Status(201, _action_item_for(request.auth, item.pk))


@router.patch(
    "/action-items/{int:item_id}/",
    auth=token_auth,
    response={200: ActionItemOut, **WRITE_ERRORS},
    summary="Modifier une action de suivi",
    description="Ses responsables (la personne, ou les membres de l'organisation) changent "
    "`status` et `status_note` ; les organisateurs de l'édition changent tout. Statuts : "
    "open ⇄ in_progress → done ; open ou in_progress → dropped ; done → in_progress ; "
    "dropped → open.",
)
def action_item_update(request: HttpRequest, item_id: int, payload: ActionItemPatchIn):
    item = _action_item_for(request.auth, item_id)
    sent = set(payload.model_dump(exclude_unset=True))
    is_organiser = permissions.can_manage_actions(request.auth, item.edition)
    if not is_organiser:
        if not permissions.is_action_owner(request.auth, item):
            raise ApiError(status=403)
        if sent - OWNER_ACTION_FIELDS:
            raise ApiError(
                status=403,
                message=_(
                    "En tant que responsable, vous pouvez changer le statut et la note "
                    "de suivi seulement."
                ),
                details={"fields": sorted(sent - OWNER_ACTION_FIELDS)},
            )
    fields = _action_fields(payload)
    with transaction.atomic():
        if fields:
            services.action_item_update(item=item, actor=request.auth, **fields)
        if "status" in sent or "status_note" in sent:
            services.action_item_set_status(
                item=item,
                actor=request.auth,
                status=str(payload.status or item.status),
                note=payload.status_note.strip() if payload.status_note is not None else None,
            )
    return _action_item_for(request.auth, item_id)
