"""Reads of the territories domain, shared by pages, the API and the lookup index."""

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from .models import QPV, Commune, QPVCommune
from .reference import DEPARTMENTS
from .text import search_text

if TYPE_CHECKING:  # the client is imported when an address is looked up (httpx takes 0.1 s)
    from .clients.geocoding import GeocodingResult


def qpv_get(*, code: str, generation: int | None = None) -> QPV | None:
    return QPV.objects.of_generation(generation).filter(code=code).first()


def qpvs_current():
    """The QPVs in force, without the heavy geometry columns."""
    return QPV.objects.current().without_geometry_fields()


def qpvs_of_department(*, department_code: str):
    return qpvs_current().filter(department_code=department_code)


@dataclass(frozen=True, slots=True)
class QPVIndexRows:
    codes: list[str]
    names: list[str]
    wkbs: list[bytes]


def qpv_index_rows() -> QPVIndexRows:
    """What the lookup index is built from: the current QPVs that have a geometry."""
    rows = (
        QPV.objects.current()
        .with_geometry()
        .order_by("code")
        .values_list("code", "name", "geometry_wkb")
    )
    codes, names, wkbs = [], [], []
    for code, name, wkb in rows:
        codes.append(code)
        names.append(name)
        wkbs.append(bytes(wkb))
    return QPVIndexRows(codes=codes, names=names, wkbs=wkbs)


def qpv_layer_stamp() -> tuple:
    """A cheap value that changes whenever a QPV row is created, changed or deleted.

    The import stamps every row it writes with `updated_at`; a deletion changes the
    count. Processes compare it to decide whether to rebuild their lookup index.
    """
    stamp = QPV.objects.aggregate(count=Count("id"), top=Max("id"), last=Max("updated_at"))
    return (stamp["count"], stamp["top"], stamp["last"])


# --- Pages: the QPV directory, a QPV's page, the maps, "am I in a QPV?" ------------------


def qpv_directory(*, query: str = "", department: str = "") -> QuerySet[QPV]:
    """The QPVs in force matching a commune, a postcode, a name, a code or a department,
    best matches first (see `qpv_search`); light columns only."""
    qpvs = qpvs_current()
    if department:
        qpvs = qpvs.filter(department_code=department)
    return qpv_search(qpvs, query=query)


_POSTCODE = re.compile(r"^(\d{5}|2[ab]\d{3})$", re.IGNORECASE)
_DEPARTMENT_CODE = re.compile(r"^(\d{2,3}|2[ab])$", re.IGNORECASE)


def qpv_search(qpvs: QuerySet[QPV], *, query: str) -> QuerySet[QPV]:
    """`qpvs` that match `query`, ordered by how well (accents, case and hyphens ignored):

    0. in a commune named exactly so ("Saint-Denis": Saint-Denis 93 and 974, not every
       QPV of Seine-Saint-Denis), or having this postcode or INSEE code ("93270");
    1. named so, or with this QPV code, or in the department named or numbered so;
    2. in a commune whose name starts so ("aulnay" → Aulnay-sous-Bois);
    3. in a commune whose name contains it (3 letters at least).
    """
    text = " ".join((query or "").split())
    words = search_text(text)
    if not text or not words:
        return qpvs.order_by("department_code", "name", "code")
    links = QPVCommune.objects.filter(qpv=OuterRef("pk"))

    def in_communes(condition: Q) -> Exists:
        # An arrondissement (Paris 18e) leads to its city's QPVs.
        matched = Commune.objects.filter(condition)
        return Exists(
            links.filter(
                Q(commune__in=matched.values("code"))
                | Q(commune__in=matched.exclude(parent_code="").values("parent_code"))
            )
        )

    exact = Q(search_name=words)
    if _POSTCODE.match(text):
        exact |= Q(search_postcodes__contains=f" {text} ") | Q(code=text.upper())
    department = Q(department_name__iexact=text) | Q(department_code__iexact=text)
    department |= Q(department_code__in=_department_codes_named(words))
    named = (
        Q(search_name__contains=words)
        | Q(code__iexact=text)
        | (Q(code__icontains=text) if len(text) >= 4 else Q(pk__in=[]))
        | department
    )
    ranks = [
        When(in_communes(exact), then=Value(0)),
        # Before the commune list is loaded: the names and codes the layer gave.
        When(Q(commune_name__iexact=text) | Q(commune_code=text), then=Value(0)),
        When(named, then=Value(1)),
        When(in_communes(Q(search_name__startswith=words)), then=Value(2)),
    ]
    if len(words) >= 3:
        ranks.append(When(in_communes(Q(search_name__contains=words)), then=Value(3)))
    return (
        qpvs.annotate(search_rank=Case(*ranks, default=Value(9), output_field=IntegerField()))
        .filter(search_rank__lt=9)
        .order_by("search_rank", "department_code", "commune_name", "name", "code")
    )


def _department_codes_named(words: str) -> list[str]:
    """ "seine saint denis" → ["93"]: a department named exactly so."""
    return [code for code, (name, _region) in DEPARTMENTS.items() if search_text(name) == words]


def qpv_bounds(qpvs: QuerySet[QPV]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) around `qpvs`, or None when none has a geometry."""
    bounds = qpvs.order_by().aggregate(
        west=Min("bbox_min_lon"),
        south=Min("bbox_min_lat"),
        east=Max("bbox_max_lon"),
        north=Max("bbox_max_lat"),
    )
    if bounds["west"] is None:
        return None
    return (bounds["west"], bounds["south"], bounds["east"], bounds["north"])


def qpv_summary_get(*, code: str) -> QPV | None:
    """A QPV of the current generation without its geometries (for a name and a link)."""
    return QPV.objects.of_generation().without_geometry_fields().filter(code=code).first()


def qpv_page_get(*, code: str) -> QPV | None:
    """A QPV of the current generation with its display geometry, not the full one."""
    return QPV.objects.of_generation().defer("geometry_wkb").filter(code=code).first()


def commune_code_named(name: str) -> str:
    """The official code of the one current commune named `name` ("" if none or several)."""
    words = search_text(name)
    if not words:
        return ""
    codes = list(
        Commune.objects.filter(search_name=words, parent_code="").values_list("code", flat=True)[:2]
    )
    return codes[0] if len(codes) == 1 else ""


def qpv_main_commune(qpv: QPV) -> Commune | None:
    """The first commune the layer lists for it (for its intercommunality), if known."""
    link = qpv.commune_links.select_related("commune").order_by("position").first()
    return link.commune if link is not None else None


def qpv_map_points() -> list[tuple[str, str, float, float]]:
    """(code, name, longitude, latitude) of the centroid of every QPV in force."""
    return list(
        QPV.objects.current()
        .exclude(centroid_lon=None)
        .order_by("code")
        .values_list("code", "name", "centroid_lon", "centroid_lat")
    )


def qpv_display_geometries_in(
    *, west: float, south: float, east: float, north: float, limit: int
) -> list[tuple[str, str, str]]:
    """(code, name, display GeoJSON) of the QPVs in force whose box meets this one."""
    return list(
        QPV.objects.current()
        .exclude(display_geojson="")
        .filter(
            bbox_min_lon__lte=east,
            bbox_max_lon__gte=west,
            bbox_min_lat__lte=north,
            bbox_max_lat__gte=south,
        )
        .order_by("code")
        .values_list("code", "name", "display_geojson")[:limit]
    )


class QPVCheckOutcome(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    NO_QPV = "no_qpv"  # no layer loaded: nothing to compare with
    ADDRESS_NOT_FOUND = "address_not_found"
    GEOCODER_UNAVAILABLE = "geocoder_unavailable"


@dataclass(frozen=True)
class QPVCheck:
    """The answer to "is this address (or this point) in a QPV?"."""

    outcome: QPVCheckOutcome
    lon: float | None = None
    lat: float | None = None
    geocoding: "GeocodingResult | None" = None  # when an address was given
    qpv: QPV | None = None  # the covering QPV, or the nearest one when outside
    distance_m: float | None = None

    @property
    def inside(self) -> bool:
        return self.outcome == QPVCheckOutcome.INSIDE

    @property
    def located(self) -> bool:
        return self.lon is not None and self.lat is not None

    @property
    def uncertain(self) -> bool:
        from .clients.geocoding import GeocodingStatus

        return self.geocoding is not None and self.geocoding.status == GeocodingStatus.UNCERTAIN


def qpv_check(*, address: str = "", lon: float | None = None, lat: float | None = None) -> QPVCheck:
    """Whether a point, or else an address (geocoded), lies in a QPV in force.

    Coordinates win when both are given. The QPV answered (covering or nearest) comes
    with its display geometry, for a map.
    """
    # Imported here: the lookup imports this module to build its index.
    from .clients.geocoding import GeocodingStatus, geocode
    from .lookup import qpv_locate_point

    geocoding = None
    if lon is None or lat is None:
        geocoding = geocode(address)
        if geocoding.status == GeocodingStatus.UNAVAILABLE:
            return QPVCheck(QPVCheckOutcome.GEOCODER_UNAVAILABLE, geocoding=geocoding)
        if geocoding.status == GeocodingStatus.NOT_FOUND or not geocoding.located:
            return QPVCheck(QPVCheckOutcome.ADDRESS_NOT_FOUND, geocoding=geocoding)
        lon, lat = geocoding.lon, geocoding.lat
    assert lon is not None and lat is not None  # located, or given by the caller
    match = qpv_locate_point(lon=lon, lat=lat)
    code = match.code or match.nearest_code
    qpv = QPV.objects.current().defer("geometry_wkb").filter(code=code).first() if code else None
    if qpv is None:
        outcome = QPVCheckOutcome.NO_QPV
    else:
        outcome = QPVCheckOutcome.INSIDE if match.inside else QPVCheckOutcome.OUTSIDE
    return QPVCheck(
        outcome,
        lon=lon,
        lat=lat,
        geocoding=geocoding,
        qpv=qpv,
        distance_m=match.distance_m if qpv is not None else None,
    )


# --- The site-wide search (quartiers40.search.sources) ----------------------------------


def communes_for_search(*, also_codes: Collection[str] | None = None) -> QuerySet[Commune]:
    """The communes the site-wide search lists: those a current QPV lies in, and those whose
    code is in `also_codes` (where public items take place).

    Not the ~35,000 communes of France: a commune with nothing of ours has no page to send
    a person to. The codes are read first (a few thousand): as an EXISTS per commune,
    SQLite took 11 s on the demo."""
    codes = set(
        QPVCommune.objects.filter(qpv__in=QPV.objects.current())
        .values_list("commune_id", flat=True)
        .distinct()
    )
    codes.update(also_codes or ())
    return Commune.objects.filter(code__in=sorted(codes))


def communes_named(search_names: list[str]) -> list[Commune]:
    """The communes whose folded name (`search_text`) is one of these, in one query."""
    names = sorted({name for name in search_names if name})
    if not names:
        return []
    return list(Commune.objects.filter(search_name__in=names))
