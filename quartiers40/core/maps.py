"""What every map needs from the settings, and the CSP that lets its tiles in.

The base map is the Géoplateforme's Plan IGN by default (`MAP_TILE_URL`, off with
MAP_TILES_ENABLED=false). A page that shows a map passes `map_tiles()` to its map
component and returns its response through `map_tiles_allowed`:

    context["map"] = {"data_url": ..., **map_tiles()}
    return map_tiles_allowed(render(request, "projects/map.html", context))
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse

from .middleware import CONTENT_SECURITY_POLICY


def map_tiles() -> dict[str, str]:
    """{"tile_url", "tile_attribution"}: empty when the maps have no base layer."""
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }


def map_tiles_allowed(response: HttpResponse) -> HttpResponse:
    """With a tile server, this page's CSP lets its images in (that host only).

    The security middleware only sets the header when the view has not.
    """
    parts = urlsplit(getattr(settings, "MAP_TILE_URL", ""))
    if parts.scheme in {"http", "https"} and parts.netloc:
        host = parts.netloc.replace("{s}", "*")
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "img-src 'self' data:", f"img-src 'self' data: {parts.scheme}://{host}"
        )
    return response
