"""data.gouv.fr: find the current QPV layer among the resources of the ANCT dataset.

The dataset (`5a561801c751df42d7fca9b6`) publishes several files per generation
(GeoJSON, ZIP of GeoJSON, shapefiles, CSV lists). Its resource URLs carry a date, so
the layer is resolved through the API at run time instead of being hard-coded.
"""

from dataclasses import dataclass
from urllib.parse import urlparse

import httpx
from django.utils.translation import gettext as _

from .download import USER_AGENT

LAYER_FORMATS = {"geojson", "zip"}


class DatagouvError(Exception):
    """The dataset could not be read; the message (French) says why."""


@dataclass(frozen=True, slots=True)
class DatasetResource:
    title: str
    url: str
    format: str
    last_modified: str


def dataset_resources(*, api_url: str, timeout: float) -> list[DatasetResource]:
    try:
        response = httpx.get(
            api_url, timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )
        response.raise_for_status()
        payload = response.json()
    except httpx.HTTPStatusError as error:
        raise DatagouvError(
            _("L'API de data.gouv.fr a répondu HTTP %(status)s pour %(url)s.")
            % {"status": error.response.status_code, "url": api_url}
        ) from error
    except httpx.HTTPError as error:
        raise DatagouvError(
            _("L'API de data.gouv.fr est injoignable (%(url)s) : %(error)s")
            % {"url": api_url, "error": error}
        ) from error
    except ValueError as error:
        raise DatagouvError(
            _("L'API de data.gouv.fr a renvoyé une réponse illisible (%(url)s).") % {"url": api_url}
        ) from error
    raw_resources = payload.get("resources") if isinstance(payload, dict) else None
    if not isinstance(raw_resources, list):
        raise DatagouvError(
            _("La réponse de data.gouv.fr ne liste aucune ressource (%(url)s).") % {"url": api_url}
        )
    return [
        DatasetResource(
            title=str(raw.get("title") or ""),
            url=str(raw.get("url") or ""),
            format=str(raw.get("format") or "").strip().lower(),
            last_modified=str(raw.get("last_modified") or raw.get("created_at") or ""),
        )
        for raw in raw_resources
        if isinstance(raw, dict) and raw.get("url")
    ]


def choose_layer_resource(
    resources: list[DatasetResource], *, generation: int
) -> DatasetResource | None:
    """The most recent GeoJSON (or ZIP of GeoJSON) resource of `generation`.

    Resources naming the generation (`2024`) come first, then those naming GeoJSON,
    then the most recent day; on the same day a WGS84 one is preferred.
    """

    def kind(resource: DatasetResource) -> str:
        if resource.format in LAYER_FORMATS:
            return resource.format
        path = urlparse(resource.url).path.lower()
        return next((fmt for fmt in LAYER_FORMATS if path.endswith(f".{fmt}")), "")

    candidates = [resource for resource in resources if kind(resource)]
    if not candidates:
        return None

    def text(resource: DatasetResource) -> str:
        return f"{resource.title} {resource.url}".lower()

    of_generation = [r for r in candidates if str(generation) in text(r)]
    candidates = of_generation or candidates
    return max(
        candidates,
        key=lambda r: (
            "geojson" in text(r),
            r.last_modified[:10],
            "wgs84" in text(r) or "4326" in text(r),
            r.last_modified,
        ),
    )


def qpv_layer_url(*, api_url: str, generation: int, timeout: float) -> str:
    resource = choose_layer_resource(
        dataset_resources(api_url=api_url, timeout=timeout), generation=generation
    )
    if resource is None:
        raise DatagouvError(
            _("Aucune ressource GeoJSON ou ZIP trouvée dans le jeu de données %(url)s.")
            % {"url": api_url}
        )
    return resource.url
