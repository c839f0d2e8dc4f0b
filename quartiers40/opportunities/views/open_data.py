"""The open-data files of the opportunities at stable addresses under /opportunites/.

What goes in each file is `exports.py`'s business; the same files are also served by the
API (`/api/v1/opportunities/export.*`), as for projects and défis. Harvesters (data.gouv.fr,
the data·inclusion pipeline) read a plain address, so these are here too.
"""

import json

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .. import exports

EXPORT_MAX_AGE = 300
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
GEOJSON = "application/geo+json"


def _file(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={EXPORT_MAX_AGE}"
    return response


def _json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


@require_GET
def export_csv(request):
    body = exports.opportunities_csv(exports.published_opportunities())
    return _file(body, CSV, "opportunites.csv")


@require_GET
def export_json(request):
    body = _json(exports.opportunities_json(exports.published_opportunities()))
    return _file(body, JSON, "opportunites.json")


@require_GET
def export_geojson(request):
    body = _json(exports.opportunities_geojson(exports.published_opportunities()))
    return _file(body, GEOJSON, "opportunites.geojson")


@require_GET
def data_inclusion_structures(request):
    body = _json(exports.di_structures(list(exports.di_opportunities())))
    return _file(body, JSON, "structures.json")


@require_GET
def data_inclusion_services(request):
    body = _json(exports.di_services(exports.di_opportunities()))
    return _file(body, JSON, "services.json")
