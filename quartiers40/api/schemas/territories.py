"""Priority neighbourhoods (QPV), the point lookup and CSV checks as the API shows them."""

import math
from datetime import datetime
from itertools import zip_longest
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from quartiers40.core.links import absolute_url
from quartiers40.territories.models import QPV

from .common import Choice


def qpv_page_url(code: str) -> str:
    return absolute_url(reverse("territories:detail", args=[code]))


def api_url(context: Any, name: str, *args: str) -> str:
    path = reverse(f"api:{name}", args=args)
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else absolute_url(path)


class QPVFilters(Schema):
    department: str | None = Field(
        None, max_length=3, description="Code du département (93, 2A, 971…)."
    )
    q: str | None = Field(
        None,
        max_length=100,
        description=(
            "Une commune, un code postal, un nom de quartier, un code ou un département ; "
            "accents, majuscules et tirets ignorés, les quartiers de la commune nommée en "
            "premier (« Saint-Denis », « 93270 », « aulnay sous bois »)."
        ),
    )


class Place(Schema):
    code: str | None
    name: str | None


class Point(Schema):
    lon: float = Field(description="Longitude WGS84, en degrés décimaux.")
    lat: float = Field(description="Latitude WGS84, en degrés décimaux.")


class QPVOut(Schema):
    code: str = Field(examples=["QN07511M"])
    name: str = Field(examples=["Goutte D'Or"])
    generation: int = Field(description="Génération (millésime) des périmètres.", examples=[2024])
    department: Place
    region: Place
    communes: list[Place] = Field(
        description="Toutes ses communes (code officiel INSEE, nom), la principale d'abord."
    )
    url: str = Field(description="Adresse absolue de sa page sur le site.")
    api_url: str = Field(description="Adresse de sa fiche détaillée dans l'API.")

    @staticmethod
    def resolve_department(qpv: QPV) -> dict:
        return {"code": qpv.department_code, "name": qpv.department_name or None}

    @staticmethod
    def resolve_region(qpv: QPV) -> dict:
        return {"code": qpv.region_code or None, "name": qpv.region_name or None}

    @staticmethod
    def resolve_communes(qpv: QPV) -> list[dict]:
        codes = qpv.commune_codes or ([qpv.commune_code] if qpv.commune_code else [])
        names = qpv.commune_names or ([qpv.commune_name] if qpv.commune_name else [])
        return [
            {"code": code or None, "name": name or None} for code, name in zip_longest(codes, names)
        ]

    @staticmethod
    def resolve_url(qpv: QPV) -> str:
        return qpv_page_url(qpv.code)

    @staticmethod
    def resolve_api_url(qpv: QPV, context) -> str:
        return api_url(context, "qpv_detail", qpv.code)


class QPVDetailOut(QPVOut):
    is_active: bool = Field(description="Faux si le dernier import de sa génération ne l'a plus.")
    epci_siren: str | None = Field(description="SIREN de l'intercommunalité (EPCI).")
    area_m2: float | None = Field(description="Surface en mètres carrés.")
    area_hectares: float | None
    centroid: Point | None
    bbox: list[float] | None = Field(
        description="Emprise : [ouest, sud, est, nord] en degrés WGS84.",
        examples=[[2.3482, 48.8826, 2.3577, 48.8893]],
    )
    geojson_url: str = Field(description="Son périmètre en GeoJSON.")
    updated_at: datetime

    @staticmethod
    def resolve_epci_siren(qpv: QPV) -> str | None:
        return qpv.epci_siren or None

    @staticmethod
    def resolve_area_hectares(qpv: QPV) -> float | None:
        return None if qpv.area_m2 is None else round(qpv.area_m2 / 10_000, 2)

    @staticmethod
    def resolve_centroid(qpv: QPV) -> dict | None:
        if qpv.centroid_lon is None or qpv.centroid_lat is None:
            return None
        return {"lon": qpv.centroid_lon, "lat": qpv.centroid_lat}

    @staticmethod
    def resolve_bbox(qpv: QPV) -> list[float] | None:
        return list(qpv.bbox) if qpv.bbox else None

    @staticmethod
    def resolve_geojson_url(qpv: QPV, context) -> str:
        return api_url(context, "qpv_geojson", qpv.code)


class GeoJSONFeatureOut(Schema):
    """Sent as `application/geo+json` (RFC 7946)."""

    type: Literal["Feature"]
    id: str
    geometry: dict[str, Any] | None = Field(description="MultiPolygon, WGS84 lon/lat.")
    properties: dict[str, Any]


class GeoJSONFeatureCollectionOut(Schema):
    """Sent as `application/geo+json` (RFC 7946)."""

    type: Literal["FeatureCollection"]
    features: list[GeoJSONFeatureOut]


# --- The point lookup --------------------------------------------------------------------


def _coordinate(value: Any, *, name: str, limit: int, example: str) -> float:
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PydanticCustomError(
            "coordinate_parsing",
            "Un nombre décimal est attendu, par exemple {example}.",
            {"example": example},
        ) from None
    if not math.isfinite(number) or abs(number) > limit:
        raise PydanticCustomError(
            "coordinate_range",
            "La {name} est comprise entre -{limit} et {limit}.",
            {"name": name, "limit": limit},
        )
    return number


class LookupQuery(Schema):
    lat: float = Field(description="Latitude WGS84 en degrés décimaux, de -90 à 90.")
    lon: float = Field(description="Longitude WGS84 en degrés décimaux, de -180 à 180.")

    @field_validator("lat", mode="before")
    @classmethod
    def _latitude(cls, value: Any) -> float:
        return _coordinate(value, name="latitude", limit=90, example="48.8860")

    @field_validator("lon", mode="before")
    @classmethod
    def _longitude(cls, value: Any) -> float:
        return _coordinate(value, name="longitude", limit=180, example="2.3540")


class QPVRef(Schema):
    code: str
    name: str
    url: str = Field(description="Sa page sur le site.")
    api_url: str = Field(description="Sa fiche dans l'API.")


class LookupOut(Schema):
    lat: float
    lon: float
    inside: bool = Field(description="Vrai si le point est dans un QPV (bord compris).")
    qpv: QPVRef | None = Field(description="Le QPV qui contient le point, ou null.")
    nearest: QPVRef | None = Field(
        description="Le QPV le plus proche (celui qui le contient, le cas échéant)."
    )
    distance_m: float | None = Field(
        description="0 dans un QPV, sinon la distance au plus proche en mètres ; null sans QPV."
    )


# --- CSV checks in the background ----------------------------------------------------------


class QPVCheckProgress(Schema):
    done: int = Field(description="Lignes traitées.")
    total: int | None = Field(description="Lignes du fichier, null tant qu'il n'est pas lu.")
    percent: int | None


class QPVCheckCounts(Schema):
    inside: int = Field(description="Lignes dans un QPV.")
    outside: int = Field(description="Lignes hors QPV.")
    errors: int = Field(description="Lignes non vérifiées (adresse introuvable…).")


class QPVCheckJobOut(Schema):
    id: str = Field(description="Identifiant secret de la vérification : la clé pour la suivre.")
    status: Choice = Field(description="`queued`, `running`, `done` ou `failed`.")
    filename: str
    progress: QPVCheckProgress
    counts: QPVCheckCounts | None = Field(description="Quand la vérification est terminée.")
    error: str | None = Field(description="Pourquoi le fichier n'a pas pu être vérifié.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    status_url: str = Field(description="Où suivre la vérification (cette ressource).")
    result_url: str | None = Field(description="Le CSV de résultat, une fois terminé.")
    page_url: str = Field(description="La page de suivi sur le site.")
