"""/challenges/: the neighbourhoods' défis, their open-data exports, and taking part.

GET    /challenges/                    public défis (theme, status, qpv, department, q;
                                       sort supports|newest), paginated
GET    /challenges/export.csv          every public défi (CSV, Table Schema in
                                       docs/schemas/challenges.schema.json)
GET    /challenges/export.json         the same, a JSON list
GET    /challenges/export.geojson      the same, a FeatureCollection
GET    /challenges/{slug}/             one public défi, its public comments and offers
POST   /challenges/                    post a défi (token; moderation applies)
PATCH  /challenges/{slug}/             change it (token; its author, or coordination)
POST   /challenges/{slug}/support      « je soutiens » (token)
DELETE /challenges/{slug}/support      withdraw the support (token)
POST   /challenges/{slug}/comments     comment, or reply to a comment (token)

Public means visible after moderation and not merged into another défi; anything else
answers 404 like an unknown slug (its author still sees it through PATCH's answer).
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from quartiers40.challenges import exports, permissions, selectors, services
from quartiers40.challenges.models import Challenge
from quartiers40.members.models import Organisation
from quartiers40.search.selectors import search_object_ids
from quartiers40.territories.models import QPV

from ..auth import token_auth
from ..errors import ApiError, field_error
from ..exports import CSV, GEOJSON, JSON, export_response, json_text
from ..pagination import PagePagination
from ..relations import qpvs_from_codes
from ..schemas.challenges import (
    ChallengeCreateIn,
    ChallengeDetailOut,
    ChallengeFilters,
    ChallengeOut,
    ChallengeOwnOut,
    ChallengePatchIn,
    CommentIn,
    CommentOut,
    SupportOut,
)
from ..schemas.common import ErrorOut

router = Router(tags=["Défis"])


def _not_found() -> ApiError:
    return ApiError(status=404, message=_("Aucun défi public n'a cet identifiant."))


def _public_challenge(slug: str) -> Challenge:
    """Pending, hidden and merged défis are not public: they do not exist."""
    challenge = selectors.challenge_public_get(slug)
    if challenge is None:
        raise _not_found()
    return challenge


def _challenge_for(user, slug: str) -> Challenge:
    """The défi as `user` may see it, whatever its moderation state."""
    challenge = selectors.challenge_visible_get(user, slug)
    if challenge is None:
        raise _not_found()
    return challenge


# --- Reads ----------------------------------------------------------------------


@router.get(
    "/",
    response={200: list[ChallengeOut], 422: ErrorOut, 429: ErrorOut},
    summary="Les défis publics",
    description="Défis visibles, les plus soutenus d'abord (`sort=newest` : les plus "
    "récents). Public. Aucune donnée personnelle d'habitant.",
)
@paginate(PagePagination)
def challenge_list(request: HttpRequest, filters: Query[ChallengeFilters]):
    words = (filters.q or "").strip()
    among = search_object_ids(words, kind="challenge") if words else None
    return selectors.with_public_relations(
        selectors.challenge_catalogue(
            theme=filters.theme or "",
            status=filters.status or "",
            qpv=(filters.qpv or "").strip().upper(),
            department=(filters.department or "").strip().upper(),
            easy_to_read=bool(filters.easy_to_read),
            query=words if among is None else "",
            among=among,
            sort=filters.sort,
        )
    )


# Declared before /{slug}/.
@router.get(
    "/export.csv",
    response={200: str, 429: ErrorOut},
    summary="Export CSV des défis publics",
    description="UTF-8, séparateur virgule, une ligne d'en-tête. Les listes sont des codes "
    "séparés par « | ». Schéma : docs/schemas/challenges.schema.json (Table Schema). Public.",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def challenge_export_csv(request: HttpRequest):
    body = exports.challenges_csv(exports.public_challenges())
    return export_response(body, CSV, "defis.csv")


@router.get(
    "/export.json",
    response={200: list[dict], 429: ErrorOut},
    summary="Export JSON des défis publics",
    description="Une liste d'objets, les mêmes colonnes que le CSV ; les listes restent "
    "des listes. Public.",
)
def challenge_export_json(request: HttpRequest):
    body = json_text(exports.challenges_json(exports.public_challenges()))
    return export_response(body, JSON, "defis.json")


@router.get(
    "/export.geojson",
    response={200: dict, 429: ErrorOut},
    summary="Export GeoJSON des défis publics",
    description="Une FeatureCollection : chaque défi au centroïde de son premier quartier "
    "prioritaire (par ordre alphabétique), sinon au centre des quartiers prioritaires de sa "
    "commune, sinon sans géométrie. Public.",
    openapi_extra={"responses": {200: {"content": {GEOJSON: {}}}}},
)
def challenge_export_geojson(request: HttpRequest):
    body = json_text(exports.challenges_geojson(exports.public_challenges()))
    return export_response(body, GEOJSON, "defis.geojson")


@router.get(
    "/{slug}/",
    response={200: ChallengeDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="Un défi public",
    description="Avec ses commentaires publics (et leurs réponses), ses propositions d'aide "
    "et, s'il est résolu, ce qui en est sorti. Public. Un défi en attente de modération, "
    "masqué ou fusionné répond 404, comme un identifiant inconnu.",
)
def challenge_detail(request: HttpRequest, slug: str):
    return selectors.challenge_with_public_detail(_public_challenge(slug))


# --- Writes ---------------------------------------------------------------------


def _qpvs(codes: list[str]) -> list[QPV]:
    """QPV codes (any case) -> QPVs in force; an unknown one is a field error."""
    return qpvs_from_codes([code.upper() for code in codes])


def _own(user, challenge: Challenge) -> Challenge:
    return selectors.challenge_with_public_detail(_challenge_for(user, challenge.slug))


WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.post(
    "/",
    auth=token_auth,
    response={201: ChallengeOwnOut, **WRITE_ERRORS},
    summary="Poster un défi",
    description="Un besoin du quartier : la situation en mots simples, qui est concerné, ce "
    "qui voudrait dire que c'est résolu, des quartiers prioritaires (codes) ou une commune. "
    "`organisation` : poster au nom d'une organisation dont vous êtes. `on_behalf_of_resident`"
    " avec `resident_consent` : un·e médiateur·rice poste pour un·e habitant·e, qui reste "
    "anonyme partout. Les premiers défis d'un nouveau compte attendent l'équipe de "
    "coordination (`moderation` : « pending »).",
)
def challenge_create(request: HttpRequest, payload: ChallengeCreateIn):
    data = payload.model_dump()
    organisation = None
    if data["organisation"]:
        organisation = Organisation.objects.filter(slug=data["organisation"]).first()
        if organisation is None:
            raise field_error("organisation", _("Aucune organisation n'a cet identifiant."))
    challenge = services.challenge_post(
        actor=request.auth,
        qpvs=_qpvs(data["qpvs"]),
        organisation=organisation,
        on_behalf_of_resident=data["on_behalf_of_resident"],
        resident_consent=data["resident_consent"],
        title=data["title"].strip(),
        situation=data["situation"].strip(),
        affected=data["affected"].strip(),
        solved_when=data["solved_when"].strip(),
        themes=[str(theme) for theme in data["themes"]],
        commune_insee=data["commune_insee"].strip(),
        commune_name=data["commune_name"].strip(),
    )
    return Status(201, _own(request.auth, challenge))


@router.patch(
    "/{slug}/",
    auth=token_auth,
    response={200: ChallengeOwnOut, **WRITE_ERRORS},
    summary="Modifier un défi",
    description="Réservé à la personne qui l'a posté (ou aux administrateurs de son "
    "organisation) et à l'équipe de coordination, tant que le défi est ouvert ou en cours. "
    "Seuls les champs envoyés changent. Un défi non public que vous ne pouvez pas voir "
    "répond 404.",
)
def challenge_update(request: HttpRequest, slug: str, payload: ChallengePatchIn):
    challenge = _challenge_for(request.auth, slug)
    if not permissions.can_edit_challenge(request.auth, challenge):
        raise ApiError(status=403)
    changes = payload.changes()
    qpvs = _qpvs(changes.pop("qpvs")) if "qpvs" in changes else None
    services.challenge_update(challenge=challenge, actor=request.auth, qpvs=qpvs, **changes)
    return _own(request.auth, challenge)


@router.post(
    "/{slug}/support",
    auth=token_auth,
    response={200: SupportOut, **WRITE_ERRORS},
    summary="Soutenir un défi (« je soutiens »)",
    description="Un soutien par personne : soutenir deux fois ne compte qu'une fois. "
    "Un défi résolu ou fermé ne se soutient plus (403).",
)
def challenge_support(request: HttpRequest, slug: str):
    challenge = _public_challenge(slug)
    services.challenge_support(challenge=challenge, user=request.auth)
    return SupportOut(supported=True, supports_count=challenge.supports_count)


@router.delete(
    "/{slug}/support",
    auth=token_auth,
    response={200: SupportOut, **WRITE_ERRORS},
    summary="Retirer son soutien",
    description="Sans effet si vous ne souteniez pas ce défi.",
)
def challenge_unsupport(request: HttpRequest, slug: str):
    challenge = _public_challenge(slug)
    services.challenge_unsupport(challenge=challenge, user=request.auth)
    return SupportOut(supported=False, supports_count=challenge.supports_count)


@router.post(
    "/{slug}/comments",
    auth=token_auth,
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Commenter un défi",
    description="`parent` : l'identifiant d'un commentaire de ce défi pour y répondre (un seul "
    "niveau de réponses). Votre nom n'apparaît que si votre profil est public.",
)
def challenge_comment(request: HttpRequest, slug: str, payload: CommentIn):
    challenge = _public_challenge(slug)
    parent = None
    if payload.parent is not None:
        parent = selectors.challenge_comment_get(challenge, payload.parent, public=True)
        if parent is None:
            raise field_error(
                "parent", _("Ce défi n'a pas de commentaire public avec cet identifiant.")
            )
    comment = services.challenge_comment_add(
        challenge=challenge, author=request.auth, body=payload.body, parent=parent
    )
    comment.visible_replies = []
    return Status(201, comment)
