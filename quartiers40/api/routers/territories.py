"""/qpv/: the priority neighbourhoods, "is this point in a QPV?", and CSV checks.

    GET  /qpv/                        list (department, q), paginated
    GET  /qpv/{code}/                 one QPV
    GET  /qpv/{code}/geojson          its perimeter (display geometry; ?full=1: full)
    GET  /qpv.geojson                 every QPV in force (display geometries)
    GET  /qpv/lookup?lat=&lon=        the QPV containing a point, the nearest one
    POST /qpv/checks                  a CSV file to check in the background → 202
    GET  /qpv/checks/{id}             its progress
    GET  /qpv/checks/{id}/result      its result (CSV)

Mounted at the API's root (the FeatureCollection is a sibling of /qpv/).
"""

import gzip
import hashlib
import json
import re

import shapely
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from quartiers40.core.links import absolute_url
from quartiers40.core.ratelimit import client_ip, rate_limit_check
from quartiers40.territories import jobs, selectors
from quartiers40.territories.enums import QPVCheckJobStatus
from quartiers40.territories.lookup import qpv_locate_point
from quartiers40.territories.models import QPV, QPVCheckJob

from ..auth import token_auth
from ..errors import ApiError
from ..pagination import PagePagination
from ..schemas.common import ErrorOut, choice
from ..schemas.territories import (
    GeoJSONFeatureCollectionOut,
    GeoJSONFeatureOut,
    LookupOut,
    LookupQuery,
    QPVCheckJobOut,
    QPVDetailOut,
    QPVFilters,
    QPVOut,
    api_url,
    qpv_page_url,
)

router = Router(tags=["Quartiers prioritaires"])

GEOJSON = "application/geo+json"
COLLECTION_MAX_AGE = 3600
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _anonymous(request: HttpRequest) -> AnonymousUser:
    """Lets a call without a token through (a wrong token is still refused)."""
    return AnonymousUser()


def _not_found(code: str) -> ApiError:
    return ApiError(
        status=404,
        message=_("Aucun quartier prioritaire n'a le code « %(code)s ».") % {"code": code},
    )


def _json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


# --- CSV checks (declared first: /qpv/checks/… must not be read as a QPV code) ----------


def _job_out(request: HttpRequest, job: QPVCheckJob) -> QPVCheckJobOut:
    context = {"request": request}
    done = job.status == QPVCheckJobStatus.DONE
    return QPVCheckJobOut(
        id=job.public_id,
        status=choice(job.status, job.get_status_display()),
        filename=job.filename,
        progress={"done": job.rows_done, "total": job.rows_total, "percent": job.percent},
        counts=(
            {"inside": job.inside_count, "outside": job.outside_count, "errors": job.error_count}
            if done
            else None
        ),
        error=job.error_message or None,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        status_url=api_url(context, "qpv_check_status", job.public_id),
        result_url=api_url(context, "qpv_check_result", job.public_id) if done else None,
        page_url=absolute_url(reverse("territories_batch:job", args=[job.public_id])),
    )


def _job(public_id: str) -> QPVCheckJob:
    job = jobs.qpv_check_job_get(public_id=public_id)
    if job is None:
        raise ApiError(
            status=404, message=_("Aucune vérification n'a cet identifiant, ou elle a expiré.")
        )
    return job


@router.post(
    "qpv/checks",
    auth=[token_auth, _anonymous],
    response={202: QPVCheckJobOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Vérifier un fichier CSV",
    description=(
        "Envoyez un fichier CSV (champ `file`, multipart) d'adresses (`adresse`, `code_postal`, "
        "`commune`) ou de coordonnées (`latitude`, `longitude`) : il est vérifié en "
        "arrière-plan. La réponse 202 donne `status_url`, à interroger jusqu'à ce que "
        "`status.code` vaille `done` (ou `failed`), puis `result_url`. Sans jeton, les envois "
        "sont limités par adresse IP ; avec un jeton, par compte. L'identifiant est la seule "
        "clé d'accès : gardez-le pour vous."
    ),
)
def qpv_check_create(
    request: HttpRequest, response: HttpResponse, file: File[UploadedFile]
) -> Status:
    user = request.auth if getattr(request.auth, "pk", None) is not None else None
    if user is not None:
        limit = rate_limit_check(request, ("qpv_check_account", str(user.pk)))
    else:
        limit = rate_limit_check(request, ("qpv_check_ip", client_ip(request)))
    if limit.limited:
        raise ApiError(
            status=429,
            message=_("Trop de fichiers envoyés : réessayez un peu plus tard."),
            details={"retry_after": limit.retry_after},
            headers={"Retry-After": str(limit.retry_after)},
        )
    try:
        job = jobs.qpv_check_job_create(data=file, filename=file.name or "", user=user)
    except jobs.QPVCheckUploadError as error:
        raise ApiError(
            status=422, message=error.messages[0], details={"fields": {"file": error.messages}}
        ) from error
    out = _job_out(request, job)
    response["Location"] = out.status_url
    return Status(202, out)


@router.get(
    "qpv/checks/{public_id}",
    response={200: QPVCheckJobOut, 404: ErrorOut, 429: ErrorOut},
    summary="Suivre une vérification de fichier",
    description="État, avancement, décomptes et adresse du résultat.",
)
def qpv_check_status(request: HttpRequest, public_id: str):
    return _job_out(request, _job(public_id))


@router.get(
    "qpv/checks/{public_id}/result",
    response={200: None, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Télécharger le résultat d'une vérification",
    description=(
        "Le fichier envoyé avec cinq colonnes de plus : `qpv_code`, `qpv_name`, `distance_m`, "
        "`status`, `message` (CSV UTF-8 avec BOM, même séparateur). 409 tant que la "
        "vérification n'est pas terminée."
    ),
    openapi_extra={"responses": {200: {"description": "Le CSV.", "content": {"text/csv": {}}}}},
)
def qpv_check_result(request: HttpRequest, public_id: str):
    job = _job(public_id)
    if job.status != QPVCheckJobStatus.DONE or not job.result:
        raise ApiError(
            status=409,
            code="not_ready",
            message=_("La vérification n'est pas terminée : son état est « %(status)s ».")
            % {"status": job.get_status_display()},
            details={"status": job.status},
        )
    try:
        content = job.result.open("rb")
    except FileNotFoundError:
        raise ApiError(status=404, message=_("Ce résultat a été supprimé.")) from None
    return FileResponse(
        content,
        as_attachment=True,
        filename=jobs.qpv_check_result_filename(job),
        content_type="text/csv; charset=utf-8",
    )


# --- The point lookup ----------------------------------------------------------------------


def _ref(request: HttpRequest, code: str | None, name: str | None) -> dict | None:
    if code is None:
        return None
    return {
        "code": code,
        "name": name or "",
        "url": qpv_page_url(code),
        "api_url": api_url({"request": request}, "qpv_detail", code),
    }


@router.get(
    "qpv/lookup",
    response={200: LookupOut, 422: ErrorOut, 429: ErrorOut},
    summary="Ce point est-il dans un quartier prioritaire ?",
    description=(
        "Le QPV en vigueur qui contient le point (bord compris), ou null ; le QPV le plus "
        "proche et la distance en mètres (0 dedans). Coordonnées WGS84 en degrés décimaux."
    ),
)
def qpv_lookup(request: HttpRequest, query: Query[LookupQuery]):
    match = qpv_locate_point(lon=query.lon, lat=query.lat)
    return {
        "lat": query.lat,
        "lon": query.lon,
        "inside": match.inside,
        "qpv": _ref(request, match.code, match.name),
        "nearest": _ref(request, match.nearest_code, match.nearest_name),
        "distance_m": None if match.distance_m is None else round(match.distance_m, 1),
    }


# --- The QPVs ------------------------------------------------------------------------------


@router.get(
    "qpv/",
    response={200: list[QPVOut], 422: ErrorOut, 429: ErrorOut},
    summary="Les quartiers prioritaires",
    description="Les QPV en vigueur, par département puis par nom. Public.",
)
@paginate(PagePagination)
def qpv_list(request: HttpRequest, filters: Query[QPVFilters]):
    return selectors.qpv_directory(
        query=filters.q or "", department=(filters.department or "").strip().upper()
    )


@router.get(
    "qpv/{code}/",
    response={200: QPVDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="Un quartier prioritaire",
    description="Région, département, communes, EPCI, surface, centroïde et emprise.",
)
def qpv_detail(request: HttpRequest, code: str):
    qpv = selectors.qpv_summary_get(code=code.upper())
    if qpv is None:
        raise _not_found(code)
    return qpv


def _feature_properties(qpv: QPV) -> dict:
    return {
        "code": qpv.code,
        "name": qpv.name,
        "department_code": qpv.department_code,
        "commune_name": qpv.commune_name or None,
        "area_m2": qpv.area_m2,
    }


@router.get(
    "qpv/{code}/geojson",
    response={200: GeoJSONFeatureOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Le périmètre d'un quartier prioritaire (GeoJSON)",
    openapi_extra={"responses": {200: {"content": {GEOJSON: {}}}}},
    description=(
        "Une Feature GeoJSON (`application/geo+json`) : le périmètre simplifié pour les "
        "cartes (à 5 m près environ) ; `?full=1` donne le périmètre officiel complet."
    ),
)
def qpv_geojson(request: HttpRequest, code: str, full: bool = False):
    code = code.upper()
    if full:
        qpv = selectors.qpv_get(code=code)
        geometry = shapely.to_geojson(qpv.geometry) if qpv and qpv.geometry else "null"
    else:
        qpv = selectors.qpv_page_get(code=code)
        geometry = (qpv.display_geojson if qpv else "") or "null"
    if qpv is None:
        raise _not_found(code)
    # The stored geometry is GeoJSON already: inserted as is, not parsed again.
    body = (
        '{"type":"Feature","id":'
        + _json(qpv.code)
        + ',"geometry":'
        + geometry
        + ',"properties":'
        + _json(_feature_properties(qpv))
        + "}"
    )
    return HttpResponse(body, content_type=GEOJSON)


@router.get(
    "qpv.geojson",
    response={200: GeoJSONFeatureCollectionOut, 429: ErrorOut},
    summary="Tous les quartiers prioritaires (GeoJSON)",
    openapi_extra={"responses": {200: {"content": {GEOJSON: {}}}}},
    description=(
        "Une FeatureCollection (`application/geo+json`) de tous les QPV en vigueur, "
        "périmètres simplifiés. Compressée en gzip si le client l'accepte ; `ETag` change "
        "avec la couche."
    ),
)
def qpv_feature_collection(request: HttpRequest):
    version = hashlib.sha256(repr(selectors.qpv_layer_stamp()).encode()).hexdigest()[:16]
    etag = f'W/"qpv-{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        body = _cached_collection(version)
        if _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(body, content_type=GEOJSON)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(body), content_type=GEOJSON)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={COLLECTION_MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _cached_collection(version: str) -> bytes:
    key = f"api:qpv-collection:{version}"
    body = cache.get(key)
    if body is None:
        qpvs = (
            QPV.objects.current()
            .order_by("code")
            .only("code", "name", "department_code", "commune_name", "area_m2", "display_geojson")
        )
        features = ",".join(
            '{"type":"Feature","id":'
            + _json(qpv.code)
            + ',"geometry":'
            + (qpv.display_geojson or "null")
            + ',"properties":'
            + _json(_feature_properties(qpv))
            + "}"
            for qpv in qpvs.iterator(chunk_size=500)
        )
        collection = '{"type":"FeatureCollection","features":[' + features + "]}"
        body = gzip.compress(collection.encode(), compresslevel=6, mtime=0)
        cache.set(key, body, 24 * 3600)
    return body
