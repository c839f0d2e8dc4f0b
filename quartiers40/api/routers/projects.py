"""/projects/: the public catalogue of AI projects, its open-data exports, and edits.

GET   /projects/                 published projects (theme, stage, ai_category,
                                 department, qpv, q), paginated
GET   /projects/export.csv       every published project (CSV, Table Schema in
                                 docs/schemas/projects.schema.json)
GET   /projects/export.json      the same, a JSON list
GET   /projects/export.geojson   the same, a FeatureCollection
GET   /projects/{id}/            one published project
POST  /projects/                 a new draft (token; carrier: one of your organisations)
PATCH /projects/{id}/            change a project (token; its carrier's people)
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from quartiers40.assist.selectors import ai_provenance_prefetched
from quartiers40.members import selectors as member_selectors
from quartiers40.projects import exports, permissions, selectors, services
from quartiers40.projects.models import Project
from quartiers40.search.selectors import search_object_ids

from ..auth import token_auth
from ..errors import ApiError, field_error
from ..exports import CSV, GEOJSON, JSON, export_response, json_text
from ..pagination import PagePagination
from ..relations import qpvs_from_codes
from ..schemas.common import ErrorOut
from ..schemas.projects import (
    ProjectCreateIn,
    ProjectDetailOut,
    ProjectFilters,
    ProjectOut,
    ProjectPatchIn,
)

router = Router(tags=["Projets"])


def _not_found() -> ApiError:
    return ApiError(status=404, message=_("Aucun projet publié n'a cet identifiant."))


def _published_project(project_id: int) -> Project:
    """Drafts, projects under review and archived ones are not public: they do not exist."""
    project = selectors.project_catalogue().filter(pk=project_id).first()
    if project is None:
        raise _not_found()
    return project


def _project_for(user, project_id: int) -> Project:
    """The project as its owners see it, whatever its status."""
    project = selectors.projects_with_relations().filter(pk=project_id).first()
    if project is None or not permissions.can_view_project(user, project):
        raise _not_found()
    return project


def _relations(changes: dict) -> dict:
    """QPV codes and organisation slugs -> objects; an unknown one is a field error."""
    relations = {}
    if "qpvs" in changes:
        relations["qpvs"] = qpvs_from_codes(changes.pop("qpvs"))
    if "partners" in changes:
        slugs = list(dict.fromkeys(changes.pop("partners")))
        partners = member_selectors.member_organisations_with_slugs(slugs)
        unknown = sorted(set(slugs) - {partner.slug for partner in partners})
        if unknown:
            raise field_error(
                "partners",
                _("Organisation membre inconnue : %(slugs)s.") % {"slugs": ", ".join(unknown)},
            )
        relations["partners"] = partners
    return relations


# --- Reads ----------------------------------------------------------------------


@router.get(
    "/",
    response={200: list[ProjectOut], 422: ErrorOut, 429: ErrorOut},
    summary="Catalogue des projets publiés",
    description="Projets publiés, les plus récemment mis à jour d'abord. Public.",
)
@paginate(PagePagination)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]):
    words = (filters.q or "").strip()
    among = search_object_ids(words, kind="project") if words else None
    return ai_provenance_prefetched(
        selectors.project_catalogue(
            theme=filters.theme or "",
            stage=filters.stage or "",
            ai_category=filters.ai_category or "",
            department=(filters.department or "").strip().upper(),
            qpv=(filters.qpv or "").strip().upper(),
            query=words if among is None else "",
            among=among,
        )
    )


# Declared before /{project_id}/.
@router.get(
    "/export.csv",
    response={200: str, 429: ErrorOut},
    summary="Export CSV des projets publiés",
    description="UTF-8, séparateur virgule, une ligne d'en-tête. Les listes sont des codes "
    "séparés par « | ». Schéma : docs/schemas/projects.schema.json (Table Schema). Public.",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def project_export_csv(request: HttpRequest):
    body = exports.projects_csv(exports.published_projects())
    return export_response(body, CSV, "projets.csv")


@router.get(
    "/export.json",
    response={200: list[dict], 429: ErrorOut},
    summary="Export JSON des projets publiés",
    description="Une liste d'objets, les mêmes colonnes que le CSV ; les listes restent "
    "des listes. Public.",
)
def project_export_json(request: HttpRequest):
    body = json_text(exports.projects_json(exports.published_projects()))
    return export_response(body, JSON, "projets.json")


@router.get(
    "/export.geojson",
    response={200: dict, 429: ErrorOut},
    summary="Export GeoJSON des projets publiés",
    description="Une FeatureCollection : chaque projet au centroïde de son premier quartier "
    "prioritaire (par ordre alphabétique), ou sans géométrie s'il n'en a pas. Public.",
    openapi_extra={"responses": {200: {"content": {GEOJSON: {}}}}},
)
def project_export_geojson(request: HttpRequest):
    body = json_text(exports.projects_geojson(exports.published_projects()))
    return export_response(body, GEOJSON, "projets.geojson")


@router.get(
    "/{int:project_id}/",
    response={200: ProjectDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="Un projet publié",
    description="Public. Un projet non publié répond 404, comme un identifiant inconnu.",
)
def project_detail(request: HttpRequest, project_id: int):
    return _published_project(project_id)


# --- Writes ---------------------------------------------------------------------


@router.post(
    "/",
    auth=token_auth,
    response={
        201: ProjectDetailOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Créer un projet (brouillon)",
    description="Réservé aux membres de l'organisation porteuse (`carrier`, son identifiant) "
    "et à l'équipe de coordination. Le projet est créé en brouillon.",
)
def project_create(request: HttpRequest, payload: ProjectCreateIn):
    changes = payload.changes()
    carrier = member_selectors.organisation_by_slug(changes.pop("carrier"))
    if carrier is None:
        raise field_error("carrier", _("Aucune organisation n'a cet identifiant."))
    if not permissions.can_create_project_for(request.auth, carrier):
        raise ApiError(
            status=403,
            message=_("Vous ne pouvez créer un projet que pour une organisation dont vous êtes."),
        )
    relations = _relations(changes)
    project = services.project_create(actor=request.auth, carrier=carrier, **relations, **changes)
    return Status(201, _project_for(request.auth, project.pk))


@router.patch(
    "/{int:project_id}/",
    auth=token_auth,
    response={
        200: ProjectDetailOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Modifier un projet",
    description="Réservé aux membres de l'organisation porteuse et à l'équipe de "
    "coordination. Seuls les champs envoyés changent. Un projet non publié que vous ne "
    "pouvez pas voir répond 404.",
)
def project_update(request: HttpRequest, project_id: int, payload: ProjectPatchIn):
    project = _project_for(request.auth, project_id)
    if not permissions.can_edit_project(request.auth, project):
        raise ApiError(status=403)
    changes = payload.changes()
    relations = _relations(changes)
    services.project_update(project=project, actor=request.auth, **relations, **changes)
    return _project_for(request.auth, project_id)
