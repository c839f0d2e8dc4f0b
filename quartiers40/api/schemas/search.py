"""Schemas of /search/: one query over everything the site shows publicly."""

from ninja import Schema
from pydantic import Field

from quartiers40.search.enums import DocumentKind, DocumentState

KIND_CODES = " | ".join(f"`{value}`" for value in DocumentKind.values)


class SearchFilters(Schema):
    q: str = Field("", max_length=200, description="Des mots ou une question, en français.")
    type: list[str] = Field(
        default_factory=list, description=f"Types voulus (répétable) : {KIND_CODES}."
    )
    state: str = Field(
        "",
        description="`active` (en cours ou à venir) ou `closed` (terminé) ; vide : tous.",
    )
    qpv: str = Field("", max_length=10, description="Code d'un quartier prioritaire (QN…).")
    commune: str = Field("", max_length=5, description="Code INSEE d'une commune.")
    department: str = Field("", max_length=3, description="Code d'un département.")
    lat: float | None = Field(None, ge=-90, le=90, description="Autour de ce point (avec lon).")
    lon: float | None = Field(None, ge=-180, le=180)
    radius_km: float = Field(10, gt=0, le=100, description="Rayon autour du point, en km.")
    page: int = Field(1, ge=1, description="Numéro de page, à partir de 1.")
    page_size: int = Field(20, ge=1, le=100)


class SearchHitOut(Schema):
    type: str = Field(description=f"Le type : {KIND_CODES}.")
    type_label: str
    id: int = Field(description="L'identifiant de l'élément dans son type.")
    title: str
    url: str = Field(description="Adresse absolue de sa page.")
    summary: str
    place: str = Field(description="Où : quartier, commune, « À distance »…")
    status: str = Field(description="Son statut dans son type, en clair.")
    state: str = Field(description=f"{' | '.join(DocumentState.values)}")
    qpv_codes: list[str]
    commune_codes: list[str]
    department_codes: list[str]
    distance_km: float | None = Field(None, description="Avec lat/lon : la distance au point.")
    matched: list[str] = Field(description="Les mots de la recherche qui l'ont trouvé.")
    score: float


class SearchPageOut(Schema):
    count: int = Field(description="Nombre de résultats, toutes pages comprises (200 au plus).")
    page: int
    pages: int
    next: str | None
    previous: str | None
    place: str = Field(description="Le lieu reconnu dans la recherche, s'il y en a un.")
    counts_by_type: dict[str, int] = Field(
        description="Résultats par type (avec `type` : ces types seulement)."
    )
    items: list[SearchHitOut]
