"""The QPV directory, a page per QPV, "am I in a QPV?", and the data of their maps."""

import functools
import gzip
import hashlib
import json
import re

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from quartiers40.core.maps import map_tiles, map_tiles_allowed
from quartiers40.core.pagecache import PUBLIC_TOPICS, public_page_cache
from quartiers40.core.sections import QPV_PAGE, sections_for

from .. import selectors
from ..conf import conf
from ..forms import QPVCheckForm, QPVDirectoryFilterForm
from ..templatetags.territories import qpv_place
from ..text import search_text

PAGE_SIZE = 50
# Perimeters are sent for a map window of at most this many degrees a side, and at most
# this many QPVs (the map asks for them from zoom 12, about 0.5° wide on a wide screen).
PERIMETERS_MAX_SPAN_DEGREES = 2.0
PERIMETERS_MAX_COUNT = 400
DATA_CACHE_SECONDS = 24 * 3600
SUGGESTIONS_MAX = 12
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@public_page_cache(depends=("territories",))
@require_GET
def directory(request):
    filters = QPVDirectoryFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    is_filtered = any(values.values()) if values else False
    qpvs = selectors.qpv_directory(
        query=values.get("q", ""), department=values.get("department", "")
    )
    page = Paginator(qpvs, PAGE_SIZE).get_page(request.GET.get("page"))
    matches = is_filtered and page.paginator.count > 0
    bounds = selectors.qpv_bounds(qpvs) if matches else None
    response = render(
        request,
        "territories/directory.html",
        {
            "filters": filters,
            "page": page,
            "is_filtered": is_filtered,
            # The map shows every QPV and brings out those found.
            "found_codes": list(qpvs.values_list("code", flat=True)) if matches else None,
            "map": _map_options(bounds=bounds, interactive=True),
        },
    )
    return map_tiles_allowed(response)


@public_page_cache(depends=PUBLIC_TOPICS)
@require_GET
def detail(request, code: str):
    qpv = selectors.qpv_page_get(code=code.upper())
    if qpv is None:
        raise Http404(_("Aucun quartier prioritaire n'a ce code."))
    response = render(
        request,
        "territories/detail.html",
        {
            "qpv": qpv,
            # Callables: the template reads them only when the page's shared fragment is
            # rebuilt (signed-in visitors reuse it), once each.
            "main_commune": functools.cache(lambda: selectors.qpv_main_commune(qpv)),
            "sections": functools.cache(lambda: sections_for(QPV_PAGE, qpv)),
            "geometry": functools.cache(
                lambda: json.loads(qpv.display_geojson) if qpv.display_geojson else None
            ),
            "map": _map_options(bounds=qpv.bbox, with_points=False, interactive=True),
        },
    )
    return map_tiles_allowed(response)


@require_GET
def check(request):
    asked = any(name in request.GET for name in QPVCheckForm.base_fields)
    form = QPVCheckForm(request.GET if asked else None)
    answer = selectors.qpv_check(**form.check_arguments()) if form.is_valid() else None
    bounds = None
    if answer is not None and answer.located:
        bounds = _answer_bounds(answer)
    response = render(
        request,
        "territories/check.html",
        {
            "form": form,
            "answer": answer,
            "geocoder_enabled": conf.GEOCODER_ENABLED,
            "geometry": (
                json.loads(answer.qpv.display_geojson)
                if answer is not None and answer.qpv is not None and answer.qpv.display_geojson
                else None
            ),
            "map": _map_options(
                bounds=bounds,
                marker=(answer.lon, answer.lat) if answer is not None and answer.located else None,
                pick=True,
            ),
        },
    )
    return map_tiles_allowed(response)


@require_GET
def suggestions(request):
    """The place picker's suggestions: `{"qpvs": [{id, code, name, place}]}`, at most
    `SUGGESTIONS_MAX`, best first (the directory's search). Cached a while: the same
    letters are typed by many people, and the layer changes once a year."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    if len(query) < 2:
        return JsonResponse({"qpvs": []})
    digest = hashlib.sha256(search_text(query).encode()).hexdigest()[:24]
    key = f"territories:suggest:{_data_version()}:{digest}"
    body = cache.get(key)
    if body is None:
        qpvs = selectors.qpv_directory(query=query)[:SUGGESTIONS_MAX]
        body = _json_bytes(
            {
                "qpvs": [
                    {"id": qpv.pk, "code": qpv.code, "name": qpv.name, "place": qpv_place(qpv)}
                    for qpv in qpvs
                ]
            }
        )
        cache.set(key, body, DATA_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def map_points(request):
    """Every QPV in force as a point (its centroid): `{"qpvs": [[code, name, lon, lat]]}`."""
    version = _data_version()

    def build() -> bytes:
        rows = [
            [code, name, round(lon, 4), round(lat, 4)]
            for code, name, lon, lat in selectors.qpv_map_points()
        ]
        return _json_bytes({"fields": ["code", "name", "lon", "lat"], "qpvs": rows})

    body = _cached_gzip(f"territories:map-points:{version}", build)
    immutable = request.GET.get("v") == version
    return _gzip_json_response(
        request, body, etag=version, max_age=365 * 24 * 3600 if immutable else 300
    )


@require_GET
def map_perimeters(request):
    """The display perimeters of the QPVs within `bbox=west,south,east,north` (GeoJSON)."""
    try:
        west, south, east, north = (float(value) for value in request.GET["bbox"].split(","))
    except (KeyError, ValueError):
        return JsonResponse({"error": "bbox=west,south,east,north is required"}, status=400)
    if not (
        -180 <= west < east <= 180
        and -90 <= south < north <= 90
        and east - west <= PERIMETERS_MAX_SPAN_DEGREES
        and north - south <= PERIMETERS_MAX_SPAN_DEGREES
    ):
        return JsonResponse({"error": "bbox out of range or too large"}, status=400)
    rows = selectors.qpv_display_geometries_in(
        west=west, south=south, east=east, north=north, limit=PERIMETERS_MAX_COUNT
    )
    # The stored display geometry is GeoJSON already: no need to parse it again.
    features = ",".join(
        '{"type":"Feature","properties":'
        + json.dumps({"code": code, "name": name}, ensure_ascii=False)
        + ',"geometry":'
        + geometry
        + "}"
        for code, name, geometry in rows
    )
    collection = '{"type":"FeatureCollection","features":[' + features + "]}"
    body = gzip.compress(collection.encode(), mtime=0)
    # Not cached here (a cheap query, any window): browsers and proxies cache it.
    return _gzip_json_response(
        request, body, etag=hashlib.sha256(body).hexdigest()[:16], max_age=3600
    )


# --- helpers ----------------------------------------------------------------------------


def _map_options(
    *,
    bounds=None,
    marker=None,
    with_points: bool = True,
    interactive: bool = False,
    pick: bool = False,
) -> dict:
    """What a map component needs (`territories/_map.html` renders it as data-* attributes)."""
    version = _data_version()
    return {
        **map_tiles(),
        "points_url": f"{reverse('territories:map_points')}?v={version}" if with_points else "",
        "perimeters_url": f"{reverse('territories:map_perimeters')}?v={version}",
        "detail_url": reverse("territories:detail", args=["QPVCODE"]),
        "bounds": ",".join(f"{value:.5f}" for value in bounds) if bounds else "",
        "marker": f"{marker[0]:.6f},{marker[1]:.6f}" if marker else "",
        "interactive": interactive,
        "pick": pick,
    }


def _answer_bounds(answer) -> tuple[float, float, float, float]:
    """The point, and the nearest QPV when it is close enough to show both."""
    west = east = answer.lon
    south = north = answer.lat
    qpv = answer.qpv
    if qpv is not None and qpv.bbox and (answer.distance_m or 0) < 20_000:
        west, south = min(west, qpv.bbox[0]), min(south, qpv.bbox[1])
        east, north = max(east, qpv.bbox[2]), max(north, qpv.bbox[3])
    return (west, south, east, north)


def _data_version() -> str:
    """Changes whenever the QPV layer changes: map data URLs carry it (long caching)."""
    stamp = selectors.qpv_layer_stamp()
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:12]


def _json_bytes(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _cached_gzip(key: str, build) -> bytes:
    body = cache.get(key)
    if body is None:
        body = gzip.compress(build(), compresslevel=9, mtime=0)
        cache.set(key, body, DATA_CACHE_SECONDS)
    return body


def _gzip_json_response(request, body: bytes, *, etag: str, max_age: int) -> HttpResponse:
    """A gzipped JSON body, sent as is to clients that accept gzip (all browsers)."""
    etag = f'W/"{etag}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(body, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
