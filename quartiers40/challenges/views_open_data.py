"""The map of the défis (`/defis/carte/`) and its points (`/defis/carte/points.json`).

The map itself is the shared clustered-points map (`core/_points_map.html`,
`core/points-map.js`); the page lists the same QPVs and their défis as text, so it works
without JavaScript. The open-data exports live in the API (`/api/v1/challenges/export.*`).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import exports, selectors
from .forms import SORT_NEWEST, ChallengeFilterForm

MAP_DATA_MAX_AGE = 300


def _filtered(request):
    """The list's filters (without the sort, meaningless on a map), and the défis they give."""
    filters = ChallengeFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    challenges = selectors.challenge_catalogue(
        theme=values.get("theme", ""),
        status=values.get("status", ""),
        qpv=values.get("qpv", ""),
        department=values.get("department", ""),
        query=values.get("q", ""),
        sort=SORT_NEWEST,
    )
    is_filtered = any(value for name, value in values.items() if name != "sort")
    return filters, is_filtered, challenges


def _query(request) -> str:
    query = request.GET.copy()
    for name in ("page", "sort"):
        query.pop(name, None)
    return query.urlencode()


@require_GET
def challenge_map(request):
    filters, is_filtered, challenges = _filtered(request)
    data = exports.challenge_map_points(challenges)
    points = sorted(data["points"], key=lambda point: (point["name"], point["code"]))
    query = _query(request)
    return render(
        request,
        "challenges/map.html",
        {
            "filters": filters,
            "is_filtered": is_filtered,
            "points": points,
            "unplaced": data["unplaced"],
            "challenges_count": len({item[1] for point in points for item in point["items"]})
            + len(data["unplaced"]),
            "query": query,
            "map": {
                "data_url": f"{reverse('challenges_open_data:map_data')}?{query}",
                "tile_url": getattr(settings, "MAP_TILE_URL", ""),
                "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
            },
        },
    )


@require_GET
def challenge_map_data(request):
    """The points of the map page, with the same filters: JSON for `core/points-map.js`."""
    _filters, _is_filtered, challenges = _filtered(request)
    data = exports.challenge_map_points(challenges)
    payload = {
        "points": data["points"],
        "unplaced": len(data["unplaced"]),
        "url_template": reverse("challenges:detail", args=["SLUG"]),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={MAP_DATA_MAX_AGE}"
    return response
