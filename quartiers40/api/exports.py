"""The HTTP side of the open-data exports (CSV, JSON, GeoJSON), shared by the routers.

What goes in each file is the domain's business (`<app>/exports.py`); here only how it is
sent: its content type, a file name, and a short public cache.
"""

import json

from django.http import HttpResponse

EXPORT_MAX_AGE = 300
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
GEOJSON = "application/geo+json"


def export_response(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={EXPORT_MAX_AGE}"
    return response


def json_text(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
