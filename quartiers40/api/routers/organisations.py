"""/organisations/: the public directory of the collective, and edits by their admins."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from quartiers40.members import selectors, services
from quartiers40.members.models import Organisation

from ..auth import token_auth
from ..errors import ApiError
from ..pagination import PagePagination
from ..schemas.common import ErrorOut
from ..schemas.organisations import OrganisationFilters, OrganisationOut, OrganisationPatchIn

router = Router(tags=["Organisations"])


def _member_organisation(slug: str) -> Organisation:
    """Candidates and refused organisations are not public: for the API they do not exist."""
    organisation = selectors.member_organisation_by_slug(slug)
    if organisation is None:
        raise ApiError(
            status=404, message=_("Aucune organisation membre du collectif n'a cet identifiant.")
        )
    return organisation


@router.get(
    "/",
    response={200: list[OrganisationOut], 422: ErrorOut, 429: ErrorOut},
    summary="Annuaire des organisations membres",
    description="Organisations membres du collectif, par ordre alphabétique. Public.",
)
@paginate(PagePagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]):
    return selectors.organisation_directory(
        kind=filters.kind or "",
        department=filters.department or "",
        qpv=filters.qpv or "",
        query=filters.q or "",
    ).prefetch_related(selectors.qpvs_prefetch())


@router.get(
    "/{slug}/",
    response={200: OrganisationOut, 404: ErrorOut, 429: ErrorOut},
    summary="Une organisation membre",
    description="Public. Une organisation candidate ou refusée répond 404.",
)
def organisation_detail(request: HttpRequest, slug: str):
    return _member_organisation(slug)


@router.patch(
    "/{slug}/",
    auth=token_auth,
    response={
        200: OrganisationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Modifier une organisation",
    description="Réservé aux administrateurs de l'organisation et à l'équipe de coordination. "
    "Seuls les champs envoyés changent.",
)
def organisation_update(request: HttpRequest, slug: str, payload: OrganisationPatchIn):
    organisation = _member_organisation(slug)
    services.organisation_update(organisation=organisation, actor=request.auth, **payload.changes())
    return _member_organisation(slug)
