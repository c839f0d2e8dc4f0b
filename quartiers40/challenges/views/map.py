"""The map of the défis (`/defis/carte/`) and its points (`/defis/carte/points.json`).

The map itself is the shared clustered-points map (`core/_points_map.html`,
`core/points-map.js`); the page lists the same QPVs and their défis as text, so it works
without JavaScript. The open-data exports live in the API (`/api/v1/challenges/export.*`).
These pages are in `urls_open_data.py` (namespace `challenges_open_data`).
"""

import functools

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from quartiers40.core.maps import map_tiles, map_tiles_allowed
from quartiers40.core.pagecache import public_page_cache

from .. import exports
from ..forms import SORT_NEWEST
from ._common import catalogue, filters_of, query_without_page

MAP_DATA_MAX_AGE = 300


@public_page_cache(depends=("challenges", "territories", "members"))
@require_GET
def challenge_map(request):
    # The list's filters, without the sort (meaningless on a map).
    filters, values, is_filtered = filters_of(request)

    @functools.cache
    def found() -> dict:
        # Read only when the page's shared fragment is rebuilt (signed-in visitors reuse it).
        data = exports.challenge_map_points(catalogue(values, sort=SORT_NEWEST))
        points = sorted(data["points"], key=lambda point: (point["name"], point["code"]))
        count = len({item[1] for point in points for item in point["items"]})
        return {
            "points": points,
            "unplaced": data["unplaced"],
            "count": count + len(data["unplaced"]),
        }

    query = query_without_page(request)
    return map_tiles_allowed(
        render(
            request,
            "challenges/map.html",
            {
                "filters": filters,
                "is_filtered": is_filtered,
                "points": lambda: found()["points"],
                "unplaced": lambda: found()["unplaced"],
                "challenges_count": lambda: found()["count"],
                "query": query,
                "map": {
                    "data_url": f"{reverse('challenges_open_data:map_data')}?{query}",
                    **map_tiles(),
                },
            },
        )
    )


@public_page_cache(depends=("challenges", "territories", "members"), for_everyone=True)
@require_GET
def challenge_map_data(request):
    """The points of the map page, with the same filters: JSON for `core/points-map.js`."""
    _filters, values, _is_filtered = filters_of(request)
    data = exports.challenge_map_points(catalogue(values, sort=SORT_NEWEST))
    payload = {
        "points": data["points"],
        "unplaced": len(data["unplaced"]),
        "url_template": reverse("challenges:detail", args=["SLUG"]),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={MAP_DATA_MAX_AGE}"
    return response
