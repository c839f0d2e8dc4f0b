"""/opportunities/: trainings, jobs, workshops and help for residents, near home.

GET   /opportunities/                         published items (kind, theme, free, age,
                                              situation, level, qpv, commune, department,
                                              organisation; near=lat,lon&radius_km= for the
                                              nearest first, with `distance_m`), paginated
GET   /opportunities/export.csv               every published item (CSV, Table Schema in
                                              docs/schemas/opportunities.schema.json)
GET   /opportunities/export.json              the same, a JSON list
GET   /opportunities/export.geojson           the same, a Point per place
GET   /opportunities/{slug}/                  one public item (published or expired)
POST  /opportunities/                         a new draft (token; one of your organisations)
PATCH /opportunities/{slug}/                  change it (token; its provider, coordination)
POST  /opportunities/{slug}/publish           publish it, or send it to the team (token)
POST  /opportunities/{slug}/withdraw          take it down, kept (token)
GET   /opportunities/{slug}/interests/        the interests received, with contacts (token;
                                              its provider and the coordination only)
POST  /opportunities/{slug}/interests/{reference}/outcome   what came of one (token)

An item that is not public answers 404 like an unknown slug, except to its provider and the
coordination on the write endpoints. No public answer holds a person's contact.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from quartiers40.assist.selectors import ai_drafts_prefetch
from quartiers40.members import selectors as member_selectors
from quartiers40.opportunities import exports, permissions, selectors, services
from quartiers40.opportunities.models import (
    Opportunity,
    OpportunityPlace,
    OpportunityPlaceQPV,
)
from quartiers40.opportunities.records import PlaceInput, SessionInput

from ..auth import token_auth
from ..errors import ApiError, field_error
from ..exports import CSV, GEOJSON, JSON, export_response, json_text
from ..pagination import PagePagination
from ..schemas.common import ErrorOut
from ..schemas.opportunities import (
    InterestOut,
    OpportunityCreateIn,
    OpportunityDetailOut,
    OpportunityFilters,
    OpportunityOut,
    OpportunityOwnOut,
    OpportunityPatchIn,
    OutcomeIn,
    WithdrawIn,
)

router = Router(tags=["Opportunités"])

RELATIONS = (
    ai_drafts_prefetch(),  # the AI provenance of the summary (assist/)
    Prefetch(
        "places",
        queryset=OpportunityPlace.objects.order_by("pk").prefetch_related(
            Prefetch(
                "qpv_links",
                queryset=OpportunityPlaceQPV.objects.select_related("qpv").order_by(
                    "distance_m", "qpv__code"
                ),
            )
        ),
    ),
    "sessions",
)
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _not_found() -> ApiError:
    return ApiError(status=404, message=_("Aucune opportunité publique n'a cet identifiant."))


def _with_relations(queryset):
    return queryset.select_related("organisation", "structure").prefetch_related(*RELATIONS)


def _opportunity_for(user, slug: str) -> Opportunity:
    """The item as `user` may see it: public ones for all, the others for their provider."""
    opportunity = _with_relations(Opportunity.objects.filter(slug=slug)).first()
    if opportunity is None or not permissions.can_view_opportunity(user, opportunity):
        raise _not_found()
    return opportunity


def _criteria(filters: OpportunityFilters) -> selectors.Criteria:
    organisation_id = None
    if filters.organisation:
        organisation = member_selectors.organisation_by_slug(filters.organisation.strip())
        organisation_id = organisation.pk if organisation else 0  # unknown: nothing matches
    return selectors.Criteria(
        kinds=(str(filters.kind),) if filters.kind else (),
        theme=filters.theme or "",
        free_only=bool(filters.free),
        age=filters.age,
        situations=(str(filters.situation),) if filters.situation else (),
        level=int(filters.level) if filters.level is not None else None,
        qpv_code=(filters.qpv or "").strip().upper(),
        commune_code=(filters.commune or "").strip().upper(),
        department=(filters.department or "").strip().upper(),
        organisation_id=organisation_id,
    )


class NearResults:
    """`opportunities_near` as the paginator reads a list: its length, then one slice.

    A constant number of queries per page: the counts, the page's rows, their relations.
    """

    def __init__(self, *, lat: float, lon: float, radius_km: float, criteria) -> None:
        self.lat, self.lon, self.radius_km, self.criteria = lat, lon, radius_km, criteria

    def _near(self, *, limit: int, offset: int):
        return selectors.opportunities_near(
            lat=self.lat,
            lon=self.lon,
            radius_km=self.radius_km,
            criteria=self.criteria,
            limit=limit,
            offset=offset,
        )

    def __len__(self) -> int:
        return self._near(limit=0, offset=0)[1]

    def __getitem__(self, window: slice) -> list[Opportunity]:
        offset = window.start or 0
        results, _total = self._near(limit=(window.stop or offset) - offset, offset=offset)
        opportunities = []
        for result in results:
            result.opportunity.distance_m = result.distance_m
            opportunities.append(result.opportunity)
        prefetch_related_objects(opportunities, *RELATIONS)
        return opportunities


# --- Reads ----------------------------------------------------------------------


@router.get(
    "/",
    response={200: list[OpportunityOut], 422: ErrorOut, 429: ErrorOut},
    summary="Les opportunités publiées",
    description="Les plus récemment mises à jour d'abord ; avec `near=latitude,longitude` "
    "(et `radius_km`, 10 par défaut), les plus proches d'abord, chacune avec sa distance "
    "(`distance_m`), et celles qui se font à distance intercalées (une sur quatre, "
    "`distance_m` null). Rien n'est gardé de la recherche. Public.",
)
@paginate(PagePagination)
def opportunity_list(request: HttpRequest, filters: Query[OpportunityFilters]):
    criteria = _criteria(filters)
    try:
        point = filters.point()
    except ValueError:
        raise field_error(
            "near", _("Indiquez « latitude,longitude », par exemple « 48.885,2.354 ».")
        ) from None
    if point is not None:
        return NearResults(
            lat=point[0], lon=point[1], radius_km=filters.radius_km, criteria=criteria
        )
    queryset = selectors.opportunities_filter(selectors.opportunities_public(), criteria)
    return _with_relations(queryset).order_by("-last_updated_at", "pk")


# Declared before /{slug}/.
@router.get(
    "/export.csv",
    response={200: str, 429: ErrorOut},
    summary="Export CSV des opportunités publiées",
    description="UTF-8, séparateur virgule, une ligne d'en-tête. Les listes sont des codes "
    "séparés par « | ». Schéma : docs/schemas/opportunities.schema.json (Table Schema). "
    "Aussi à /opportunites/export.csv. Public.",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def opportunity_export_csv(request: HttpRequest):
    body = exports.opportunities_csv(exports.published_opportunities())
    return export_response(body, CSV, "opportunites.csv")


@router.get(
    "/export.json",
    response={200: list[dict], 429: ErrorOut},
    summary="Export JSON des opportunités publiées",
    description="Une liste d'objets, les mêmes colonnes que le CSV ; les listes restent "
    "des listes. Public.",
)
def opportunity_export_json(request: HttpRequest):
    body = json_text(exports.opportunities_json(exports.published_opportunities()))
    return export_response(body, JSON, "opportunites.json")


@router.get(
    "/export.geojson",
    response={200: dict, 429: ErrorOut},
    summary="Export GeoJSON des opportunités publiées",
    description="Une FeatureCollection : un point par lieu localisé ; une opportunité à "
    "distance seulement, ou sans lieu localisé, a une géométrie nulle. Public.",
    openapi_extra={"responses": {200: {"content": {GEOJSON: {}}}}},
)
def opportunity_export_geojson(request: HttpRequest):
    body = json_text(exports.opportunities_geojson(exports.published_opportunities()))
    return export_response(body, GEOJSON, "opportunites.geojson")


@router.get(
    "/{slug}/",
    response={200: OpportunityDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="Une opportunité publique",
    description="Publiée, ou terminée (elle le dit). Public. Une opportunité en brouillon, "
    "en relecture ou retirée répond 404, comme un identifiant inconnu.",
)
def opportunity_detail(request: HttpRequest, slug: str):
    return _opportunity_for(AnonymousUser(), slug)


# --- Writes ---------------------------------------------------------------------


def _places(payload) -> list[PlaceInput] | None:
    if "places" not in payload.model_fields_set:
        return None
    return [PlaceInput(**place.model_dump()) for place in payload.places or []]


def _sessions(payload) -> list[SessionInput] | None:
    if "sessions" not in payload.model_fields_set:
        return None
    return [SessionInput(**session.model_dump()) for session in payload.sessions or []]


def _own(user, opportunity: Opportunity) -> Opportunity:
    return _opportunity_for(user, opportunity.slug)


@router.post(
    "/",
    auth=token_auth,
    response={201: OpportunityOwnOut, **WRITE_ERRORS},
    summary="Créer une opportunité (brouillon)",
    description="Réservé aux personnes de l'organisation qui la propose (`organisation`, "
    "son identifiant) et à l'équipe de coordination. Créée en brouillon ; `places` : ses "
    "lieux (une adresse sans point est localisée quand le géocodeur est actif).",
)
def opportunity_create(request: HttpRequest, payload: OpportunityCreateIn):
    changes = payload.changes()
    organisation = member_selectors.organisation_by_slug(changes.pop("organisation").strip())
    if organisation is None:
        raise field_error("organisation", _("Aucune organisation n'a cet identifiant."))
    if not permissions.can_create_opportunity_for(request.auth, organisation):
        raise ApiError(
            status=403,
            message=_(
                "Vous ne pouvez créer une opportunité que pour une organisation dont vous êtes."
            ),
        )
    opportunity = services.opportunity_create(
        actor=request.auth,
        organisation=organisation,
        places=_places(payload) or (),
        sessions=_sessions(payload) or (),
        **changes,
    )
    return Status(201, _own(request.auth, opportunity))


def _editable(user, slug: str) -> Opportunity:
    opportunity = _opportunity_for(user, slug)
    if not permissions.can_edit_opportunity(user, opportunity):
        raise ApiError(status=403)
    return opportunity


@router.patch(
    "/{slug}/",
    auth=token_auth,
    response={200: OpportunityOwnOut, **WRITE_ERRORS},
    summary="Modifier une opportunité",
    description="Réservé à l'organisation qui la propose et à l'équipe de coordination ; "
    "une opportunité importée ne change que dans sa source (403). Seuls les champs envoyés "
    "changent ; `places` et `sessions`, s'ils sont envoyés, remplacent tout.",
)
def opportunity_update(request: HttpRequest, slug: str, payload: OpportunityPatchIn):
    opportunity = _editable(request.auth, slug)
    services.opportunity_update(
        opportunity=opportunity,
        actor=request.auth,
        places=_places(payload),
        sessions=_sessions(payload),
        **payload.changes(),
    )
    return _own(request.auth, opportunity)


@router.post(
    "/{slug}/publish",
    auth=token_auth,
    response={200: OpportunityOwnOut, **WRITE_ERRORS},
    summary="Publier une opportunité",
    description="Une organisation membre du collectif publie tout de suite ; une nouvelle "
    "organisation l'envoie à l'équipe de coordination (`status` : « submitted »). Ce qui "
    "manque pour publier est dit champ par champ (422).",
)
def opportunity_publish(request: HttpRequest, slug: str):
    opportunity = _editable(request.auth, slug)
    services.opportunity_publish(opportunity=opportunity, actor=request.auth)
    return _own(request.auth, opportunity)


@router.post(
    "/{slug}/withdraw",
    auth=token_auth,
    response={200: OpportunityOwnOut, **WRITE_ERRORS},
    summary="Retirer une opportunité",
    description="Elle n'est plus montrée, mais gardée. Réservé à l'organisation qui la "
    "propose et à l'équipe de coordination (qui peut aussi retirer une opportunité importée).",
)
def opportunity_withdraw(request: HttpRequest, slug: str, payload: WithdrawIn | None = None):
    opportunity = _opportunity_for(request.auth, slug)
    if not permissions.can_withdraw_opportunity(request.auth, opportunity):
        raise ApiError(status=403)
    services.opportunity_withdraw(
        opportunity=opportunity,
        actor=request.auth,
        reason=(payload.reason.strip() if payload else ""),
    )
    return _own(request.auth, opportunity)


@router.get(
    "/{slug}/interests/",
    auth=token_auth,
    response={
        200: list[InterestOut],
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Les personnes intéressées",
    description="Avec le contact de chacune : réservé à l'organisation qui propose "
    "l'opportunité et à l'équipe de coordination. Les plus récentes d'abord.",
)
@paginate(PagePagination)
def opportunity_interests(request: HttpRequest, slug: str):
    opportunity = _opportunity_for(request.auth, slug)
    if not permissions.can_view_interests(request.auth, opportunity):
        raise ApiError(status=403)
    return selectors.opportunities_received_interests(opportunity=opportunity)


@router.post(
    "/{slug}/interests/{reference}/outcome",
    auth=token_auth,
    response={200: InterestOut, **WRITE_ERRORS},
    summary="Dire ce qui est sorti d'un intérêt",
    description="« contacted », « started » ou « not_retained », avec une note. Réservé à "
    "l'organisation qui propose l'opportunité et à l'équipe de coordination.",
)
def interest_outcome(request: HttpRequest, slug: str, reference: str, payload: OutcomeIn):
    opportunity = _opportunity_for(request.auth, slug)
    interest = opportunity.interests.filter(reference=reference).first()
    if interest is None:
        raise ApiError(status=404)
    if not permissions.can_record_outcome(request.auth, interest):
        raise ApiError(status=403)
    return services.interest_outcome_record(
        interest=interest, actor=request.auth, status=str(payload.status), note=payload.note
    )
