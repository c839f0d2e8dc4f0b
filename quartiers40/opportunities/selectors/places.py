"""Where "près de chez moi" searches from: an address, a point, a QPV, a commune or a postcode."""

import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import (
    Avg,
    Q,
)

from quartiers40.territories.lookup import qpv_index, qpv_locate_point
from quartiers40.territories.models import QPV, Commune
from quartiers40.territories.selectors import qpv_directory, qpv_summary_get, qpvs_current
from quartiers40.territories.text import search_text

from ..models import (
    OpportunityPlace,
)

# --- public pages: where "près de chez moi" searches from, the map ------------------------

_POSTCODE_TEXT = re.compile(r"^\s*(\d{5})\s*$")
_POSTCODE_IN_TEXT = re.compile(r"\b(\d{5})\b")
_QPV_CODE_TEXT = re.compile(r"^\s*(QN\d{5}[A-Z0-9]?|QP\d{6})\s*$", re.IGNORECASE)
# What a suggestion writes in the box: "Les Beaudottes (QN09349I)", "Saint-Denis (93)".
_QPV_CODE_AFTER_NAME = re.compile(r"^.*\((QN\d{5}[A-Z0-9]?|QP\d{6})\)\s*$", re.IGNORECASE)
_DEPARTMENT_AFTER_NAME = re.compile(r"^(.+?)\s*\((\d{2,3}|2[AB])\)\s*$", re.IGNORECASE)
SUGGESTIONS_SHOWN = 8


class PlaceKind(StrEnum):
    POINT = "point"  # "me localiser": the browser's position
    ADDRESS = "address"
    COMMUNE = "commune"
    QPV = "qpv"


class PlaceProblem(StrEnum):
    NONE = ""
    NOT_FOUND = "not_found"  # nothing matches what she typed
    GEOCODER_OFF = "geocoder_off"  # an address, and the geocoder is off or failing
    CHOOSE = "choose"  # several communes match: she chooses
    UNPLACED = "unplaced"  # a commune we cannot place yet (no QPV, no known place in it)


@dataclass(frozen=True)
class SearchPlace:
    """The point a person searches around, and how to say it; never stored."""

    kind: PlaceKind
    lat: float
    lon: float
    label: str  # "Sevran", "20 Rue de la Goutte d'Or 75018 Paris", a QPV's name
    home_qpv_code: str = ""  # the QPV her point lies in, when known
    home_qpv_name: str = ""
    lives_in_qpv: bool | None = None  # None: unknown (a commune)


@dataclass
class PlaceAnswer:
    place: SearchPlace | None = None
    problem: PlaceProblem = PlaceProblem.NONE
    communes: list = field(default_factory=list)  # territories.Commune, to choose from
    qpvs: list = field(default_factory=list)  # territories.QPV, to choose from


def _point_in_qpv(lat: float, lon: float) -> tuple[str, str, bool | None]:
    """(code, name, inside) of the QPV the point lies in; inside is None without a layer."""

    if not len(qpv_index()):
        return "", "", None
    match = qpv_locate_point(lon=lon, lat=lat, with_distance=False)
    return match.code or "", match.name or "", match.inside


def search_place_from_point(
    *, lat: float, lon: float, kind: PlaceKind = PlaceKind.POINT, label: str = ""
) -> SearchPlace:
    code, name, inside = _point_in_qpv(lat, lon)
    return SearchPlace(
        kind=kind,
        lat=lat,
        lon=lon,
        label=label,
        home_qpv_code=code,
        home_qpv_name=name,
        lives_in_qpv=inside,
    )


def search_place_of_qpv(qpv) -> SearchPlace | None:
    """Around a QPV's centroid; she lives there (she chose it)."""
    if qpv.centroid_lat is None or qpv.centroid_lon is None:
        return None
    return SearchPlace(
        kind=PlaceKind.QPV,
        lat=qpv.centroid_lat,
        lon=qpv.centroid_lon,
        label=qpv.name,
        home_qpv_code=qpv.code,
        home_qpv_name=qpv.name,
        lives_in_qpv=True,
    )


def commune_center(commune) -> tuple[float, float] | None:
    """(lat, lon) of a commune: our data has no town centres, so the centroid of its QPVs,
    else of the places we know in it (an arrondissement: its places first, then its city's
    QPVs), else None."""

    def places_center():
        known = OpportunityPlace.objects.exclude(latitude=None).filter(
            Q(commune_code=commune.code) | Q(postcode__in=commune.postcodes or ["-"])
        )
        center = known.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        return (center["lat"], center["lon"]) if center["lat"] is not None else None

    def qpvs_center():
        qpvs = (
            QPV.objects.current()
            .exclude(centroid_lat=None)
            .filter(Q(communes__code=commune.target_code) | Q(commune_code=commune.target_code))
        )
        center = qpvs.aggregate(lat=Avg("centroid_lat"), lon=Avg("centroid_lon"))
        return (center["lat"], center["lon"]) if center["lat"] is not None else None

    if commune.parent_code:
        return places_center() or qpvs_center()
    return qpvs_center() or places_center()


def search_place_of_commune(commune) -> SearchPlace | None:
    center = commune_center(commune)
    if center is None:
        return None
    return SearchPlace(kind=PlaceKind.COMMUNE, lat=center[0], lon=center[1], label=commune.name)


def _communes_matching(text: str) -> list:

    postcode = _POSTCODE_TEXT.match(text)
    if postcode:
        found = Commune.objects.filter(search_postcodes__contains=f" {postcode[1]} ")
        # Paris 75018: the arrondissement, not the whole city that lists every postcode.
        arrondissements = [c for c in found if c.parent_code]
        return arrondissements or list(found.order_by("name", "code")[:SUGGESTIONS_SHOWN])
    words = search_text(text)
    if not words:
        return []
    return list(
        Commune.objects.filter(search_name=words).order_by("department_code", "code")[
            :SUGGESTIONS_SHOWN
        ]
    )


def _suggestions(text: str) -> tuple[list, list]:
    """Communes and QPVs that may be what she meant (a postcode in an address, a start of
    a name)."""

    communes: list = []
    for postcode in _POSTCODE_IN_TEXT.findall(text)[:2]:
        communes.extend(Commune.objects.filter(search_postcodes__contains=f" {postcode} "))
    words = search_text(text)
    if len(words) >= 3 and not communes:
        communes.extend(
            Commune.objects.filter(search_name__startswith=words, parent_code="").order_by(
                "-population", "name"
            )[:SUGGESTIONS_SHOWN]
        )
    qpvs = list(qpv_directory(query=text)[:SUGGESTIONS_SHOWN]) if len(words) >= 2 else []
    return communes[:SUGGESTIONS_SHOWN], qpvs


def search_place_resolve(
    *,
    text: str = "",
    lat: float | None = None,
    lon: float | None = None,
    qpv_code: str = "",
    commune_code: str = "",
) -> PlaceAnswer:
    """Where to search from: a point (the browser's position), a QPV or a commune she
    chose, or what she typed (a postcode, a commune, a QPV's code or name, an address
    geocoded when the geocoder is on). Nothing of it is stored or logged."""

    if lat is not None and lon is not None:
        return PlaceAnswer(place=search_place_from_point(lat=lat, lon=lon))
    text = " ".join((text or "").split())[:200]
    if not qpv_code and (m := _QPV_CODE_TEXT.match(text) or _QPV_CODE_AFTER_NAME.match(text)):
        qpv_code = m[1].upper()
    if not commune_code and (m := _DEPARTMENT_AFTER_NAME.match(text)):
        in_department = list(
            Commune.objects.filter(
                search_name=search_text(m[1]), department_code=m[2].upper()
            ).order_by("parent_code", "code")[:1]
        )
        if in_department:
            commune_code = in_department[0].code
    code = qpv_code
    if code:
        qpv = qpv_summary_get(code=code.upper())
        place = search_place_of_qpv(qpv) if qpv is not None else None
        if place is not None:
            return PlaceAnswer(place=place)
        if qpv_code:
            return PlaceAnswer(problem=PlaceProblem.NOT_FOUND)
    if commune_code:
        commune = Commune.objects.filter(code=commune_code).first()
        if commune is None:
            return PlaceAnswer(problem=PlaceProblem.NOT_FOUND)
        return _commune_answer(commune)
    if not text:
        return PlaceAnswer(problem=PlaceProblem.NOT_FOUND)
    communes = _communes_matching(text)
    if len(communes) == 1:
        return _commune_answer(communes[0])
    if len(communes) > 1:
        return PlaceAnswer(problem=PlaceProblem.CHOOSE, communes=communes)
    # A QPV named exactly so ("Goutte d'Or"), the only one.
    words = search_text(text)

    named = list(qpvs_current().filter(search_name=words)[:2]) if words else []
    if len(named) == 1 and (place := search_place_of_qpv(named[0])) is not None:
        return PlaceAnswer(place=place)
    if _POSTCODE_TEXT.match(text):
        return PlaceAnswer(problem=PlaceProblem.NOT_FOUND)
    from quartiers40.territories.clients.geocoding import GeocodingStatus, geocode  # httpx late

    result = geocode(text)
    if result.status in (GeocodingStatus.OK, GeocodingStatus.UNCERTAIN) and result.located:
        assert result.lat is not None and result.lon is not None
        return PlaceAnswer(
            place=search_place_from_point(
                lat=result.lat, lon=result.lon, kind=PlaceKind.ADDRESS, label=result.label
            )
        )
    suggested_communes, suggested_qpvs = _suggestions(text)
    problem = (
        PlaceProblem.GEOCODER_OFF
        if result.status == GeocodingStatus.UNAVAILABLE
        else PlaceProblem.NOT_FOUND
    )
    return PlaceAnswer(problem=problem, communes=suggested_communes, qpvs=suggested_qpvs)


def _commune_answer(commune) -> PlaceAnswer:

    place = search_place_of_commune(commune)
    if place is not None:
        return PlaceAnswer(place=place)
    qpvs = list(
        qpvs_current()
        .filter(department_code=commune.department_code)
        .order_by("name")[:SUGGESTIONS_SHOWN]
    )
    return PlaceAnswer(problem=PlaceProblem.UNPLACED, communes=[commune], qpvs=qpvs)
