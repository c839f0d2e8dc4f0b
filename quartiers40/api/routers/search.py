"""/search/: the site-wide search, as on the results page.

GET    /search/    public items of every type matching the words (French, typos, missing
                   accents, everyday words), filtered by type, state, QPV, commune,
                   department or around a point; paginated
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from quartiers40.search.enums import DocumentKind, DocumentState
from quartiers40.search.forms import COMMUNE_CODE, DEPARTMENT_CODE, QPV_CODE
from quartiers40.search.selectors import Around, SearchQuery, search_run

from ..errors import ApiError
from ..schemas.common import ErrorOut
from ..schemas.search import SearchFilters, SearchPageOut

router = Router(tags=["Recherche"])


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        status=422,
        code="validation_error",
        message=message,
        details={"fields": {field: [message]}},
    )


def _query(filters: SearchFilters) -> SearchQuery:
    kinds = tuple(dict.fromkeys(filters.type))
    unknown = [kind for kind in kinds if kind not in DocumentKind.values]
    if unknown:
        raise _invalid("type", _("Type inconnu : %(types)s.") % {"types": ", ".join(unknown)})
    if filters.state and filters.state not in DocumentState.values:
        raise _invalid("state", _("Statut inconnu : %(state)s.") % {"state": filters.state})
    codes = {}
    for field, pattern in (
        ("qpv", QPV_CODE),
        ("commune", COMMUNE_CODE),
        ("department", DEPARTMENT_CODE),
    ):
        code = getattr(filters, field).strip().upper()
        if code and not pattern.match(code):
            raise _invalid(field, _("Ce code n'existe pas : %(code)s.") % {"code": code})
        codes[field] = code
    if (filters.lat is None) != (filters.lon is None):
        raise _invalid("lat", _("Donnez lat et lon ensemble."))
    around = (
        Around(lat=filters.lat, lon=filters.lon, radius_m=filters.radius_km * 1000)
        if filters.lat is not None and filters.lon is not None
        else None
    )
    return SearchQuery(
        text=filters.q,
        kinds=kinds,
        state=filters.state,
        around=around,
        page=filters.page,
        **codes,
    )


@router.get(
    "/",
    response={200: SearchPageOut, 422: ErrorOut, 429: ErrorOut},
    summary="Rechercher sur tout le site",
    description="Projets, défis, opportunités, organisations, rencontres (éditions, "
    "interventions, comptes rendus), quartiers prioritaires et communes : ce que le site "
    "montre publiquement, le plus pertinent d'abord, avec les mots qui ont trouvé chaque "
    "résultat. Sans `q`, les éléments des filtres, les plus récents d'abord. Public.",
)
def search(request: HttpRequest, filters: Query[SearchFilters]):
    query = _query(filters)
    results = search_run(query, page_size=filters.page_size)
    # A page after the last is empty, as in every list of the API.
    beyond = filters.page > results.pages
    hits = [] if beyond else results.hits

    def page_url(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": results.total,
        "page": filters.page,
        "pages": results.pages,
        "next": page_url(results.page + 1) if results.has_next and not beyond else None,
        "previous": page_url(min(filters.page - 1, results.pages)) if filters.page > 1 else None,
        "place": results.plan.place_label if results.plan else "",
        "counts_by_type": results.kind_counts,
        "items": [
            {
                "type": hit.document.kind,
                "type_label": str(hit.kind_label),
                "id": hit.document.object_id,
                "title": hit.document.title,
                "url": request.build_absolute_uri(hit.document.url),
                "summary": hit.document.summary,
                "place": hit.document.place_label,
                "status": hit.status_text,
                "state": hit.document.state,
                "qpv_codes": hit.document.qpv_codes,
                "commune_codes": hit.document.commune_codes,
                "department_codes": hit.document.department_codes,
                "distance_km": hit.distance_km,
                "matched": hit.matched_words,
                "score": round(hit.score, 4),
            }
            for hit in hits
        ],
    }
