"""Reads of the opportunities domain that pages, the API and exports share.

"Near me" (`opportunities_near`): published items with a place within the radius, nearest
first, with remote items interleaved (one every `REMOTE_EVERY` results, as Dora does).
The distance is computed in SQL on an equirectangular projection around the searched
point (error under 0.5 % within 50 km), after a bounding box on the indexed latitude and
longitude: a fixed number of queries whatever the number of results, on SQLite and
PostgreSQL alike, with no spatial extension.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone

from quartiers40.members.models import Organisation
from quartiers40.members.permissions import is_coordination
from quartiers40.territories.lookup import qpv_index, qpv_locate_point
from quartiers40.territories.models import QPV, Commune
from quartiers40.territories.selectors import qpv_directory, qpv_summary_get, qpvs_current
from quartiers40.territories.text import search_text

from .enums import Cost, InterestStatus, Level, OpportunityStatus, QPVPriority
from .models import (
    Opportunity,
    OpportunityInterest,
    OpportunityPlace,
    OpportunityPlaceQPV,
    OpportunityQuerySet,
    json_list_contains,
)

REMOTE_EVERY = 4  # one remote result after every three in-person ones
# At most this many remote items (the latest updated) are interleaved in a search near a
# point: more would drown what is near, and counting them all would cost each search a
# read of every remote item (`opportunities_remote` lists them all).
REMOTE_MAX_NEAR = 100
METRES_PER_DEGREE_LAT = 111_132.0
EARTH_METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


@dataclass(frozen=True)
class Criteria:
    """What a person asked for; nothing of it is stored."""

    kinds: tuple[str, ...] = ()
    theme: str = ""  # a thématique or a whole category
    free_only: bool = False
    age: int | None = None
    situations: tuple[str, ...] = ()
    level: int | None = None  # the person's highest diploma (Level)
    lives_in_qpv: bool | None = None  # None: unknown (no point given)
    include_remote: bool = True
    # Where and who (the API's filters; empty: any).
    qpv_code: str = ""  # a place in or near this QPV
    commune_code: str = ""  # a place in this commune (INSEE code)
    department: str = ""  # a place in this department (93, 2A, 971…)
    organisation_id: int | None = None


@dataclass
class NearResult:
    opportunity: Opportunity
    distance_m: float | None  # None for a remote-only item
    place: OpportunityPlace | None = None  # the nearest place
    reasons: list[str] = field(default_factory=list)


def opportunities_public() -> OpportunityQuerySet:
    return Opportunity.objects.published().select_related("organisation", "structure")


def opportunity_get_by_slug(*, slug: str) -> Opportunity | None:
    return (
        Opportunity.objects.select_related("organisation", "structure")
        .prefetch_related("places", "sessions")
        .filter(slug=slug)
        .first()
    )


def opportunities_filter(
    queryset: OpportunityQuerySet, criteria: Criteria, *, today: date | None = None
):
    """Apply a person's criteria: each is a rule on fields, never on free text."""
    today = today or timezone.localdate()
    if criteria.kinds:
        queryset = queryset.filter(kind__in=criteria.kinds)
    if criteria.theme:
        queryset = queryset.with_theme(criteria.theme)
    if criteria.free_only:
        queryset = queryset.filter(cost__in=[Cost.FREE, Cost.COVERED])
    if criteria.age is not None:
        queryset = queryset.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=criteria.age),
            Q(age_max__isnull=True) | Q(age_max__gte=criteria.age),
        )
    if criteria.situations:
        # For everybody (no situation listed), or for one of hers.
        fits = Q(situations=[])
        for situation in criteria.situations:
            fits |= json_list_contains("situations", situation)
        queryset = queryset.filter(fits)
    if criteria.level is not None:
        queryset = queryset.filter(level_required__lte=criteria.level)
    if criteria.lives_in_qpv is False:
        queryset = queryset.exclude(qpv_priority=QPVPriority.ONLY)
    places = OpportunityPlace.objects.all()
    if criteria.qpv_code:
        places = places.filter(qpv_links__qpv__code=criteria.qpv_code)
    if criteria.commune_code:
        places = places.filter(commune_code=criteria.commune_code)
    if criteria.department:
        places = places.filter(commune_code__startswith=criteria.department)
    if criteria.qpv_code or criteria.commune_code or criteria.department:
        queryset = queryset.filter(pk__in=places.values("opportunity_id"))
    if criteria.organisation_id is not None:
        queryset = queryset.filter(organisation_id=criteria.organisation_id)
    # A deadline passed today is not offered any more, even before the nightly expiry.
    queryset = queryset.exclude(deadline__lt=today)
    return queryset


def _box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon, metres per degree of longitude here)."""
    k_lon = EARTH_METRES_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(lat)), 0.01)
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlon = radius_m / k_lon
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon, k_lon


def _squared_metres(lat: float, lon: float, k_lon: float, prefix: str = ""):
    dx = (F(f"{prefix}longitude") - lon) * k_lon
    dy = (F(f"{prefix}latitude") - lat) * METRES_PER_DEGREE_LAT
    return Cast(dx * dx + dy * dy, FloatField())


def opportunities_near(
    *,
    lat: float,
    lon: float,
    radius_km: float,
    criteria: Criteria = Criteria(),
    limit: int = 20,
    offset: int = 0,
    today: date | None = None,
) -> tuple[list[NearResult], int]:
    """A page of results near a point and the total count: five queries at most, whatever
    the number of results.

    In-person items are ordered by the distance to their nearest place within the radius;
    remote ones (without a place in the radius) are interleaved, the latest updated first,
    REMOTE_MAX_NEAR of them at most.

    1. the (id, distance, remote) of every matching item with a place in the radius: the
       places' box on the (latitude, longitude) index drives it, each item's nearest place
       is an index look-up; sorted here;
    2. the number of remote items without a place in the radius, REMOTE_MAX_NEAR at most;
    3. the page's remote slice, read in the order of an index, stopping at the page;
    4. the page's in-person items by id; 5. their places in the radius.
    """
    radius_m = radius_km * 1000
    min_lat, max_lat, min_lon, max_lon, k_lon = _box(lat, lon, radius_m)
    base = opportunities_filter(opportunities_public(), criteria, today=today)
    in_radius = (
        OpportunityPlace.objects.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .annotate(d2=_squared_metres(lat, lon, k_lon))
        .filter(d2__lte=radius_m * radius_m)
    )
    nearest_d2 = in_radius.filter(opportunity=OuterRef("pk")).order_by("d2").values("d2")[:1]
    rows = sorted(
        base.order_by()
        .filter(pk__in=in_radius.values("opportunity_id"))
        .annotate(nearest_d2=Subquery(nearest_d2, output_field=FloatField()))
        .values_list("nearest_d2", "pk"),
    )
    n_person = len(rows)
    # `IN (true)`, not `= true`: SQLite writes the latter as a bare column, which its planner
    # cannot match against the (status, is_remote, -last_updated_at) index.
    remote = (
        base.filter(is_remote__in=[True])
        .exclude(Exists(in_radius.filter(opportunity=OuterRef("pk"))))
        .order_by("-last_updated_at", "pk")
    )
    # Read in the index's order, stopping after REMOTE_MAX_NEAR: a constant cost.
    n_remote = remote[:REMOTE_MAX_NEAR].count() if criteria.include_remote else 0
    total = n_person + n_remote
    order = _interleaved_slots(offset, limit, n_person, n_remote)
    person_rows = [rows[index] for kind, index in order if kind == "p"]
    remote_slots = [index for kind, index in order if kind == "r"]
    people = opportunities_public().in_bulk([pk for _d2, pk in person_rows]) if person_rows else {}
    remotes = list(remote[remote_slots[0] : remote_slots[-1] + 1]) if remote_slots else []
    places: dict[int, OpportunityPlace] = {}
    if people:
        for place in in_radius.filter(opportunity_id__in=list(people)).order_by("d2", "pk"):
            places.setdefault(place.opportunity_id, place)
    results = []
    p_iter, r_iter = iter(person_rows), iter(remotes)
    for kind, _index in order:
        if kind == "p":
            d2, pk = next(p_iter)
            results.append(
                NearResult(opportunity=people[pk], distance_m=math.sqrt(d2), place=places.get(pk))
            )
        else:
            results.append(NearResult(opportunity=next(r_iter), distance_m=None))
    return results, total


def _interleaved_slots(
    offset: int, limit: int, n_person: int, n_remote: int
) -> list[tuple[str, int]]:
    """Which in-person ("p", i) and remote ("r", j) results fill positions offset…offset+limit.

    Every REMOTE_EVERY-th position is remote while both kinds last; then the kind left
    fills the rest. Arithmetic only: the rows are read afterwards, by slices.
    """
    slots: list[tuple[str, int]] = []
    person = remote = 0
    for position in range(offset + limit):
        wants_remote = (position + 1) % REMOTE_EVERY == 0
        if (wants_remote and remote < n_remote) or (person >= n_person and remote < n_remote):
            slot = ("r", remote)
            remote += 1
        elif person < n_person:
            slot = ("p", person)
            person += 1
        else:
            break
        if position >= offset:
            slots.append(slot)
    return slots


def opportunities_remote(criteria: Criteria = Criteria(), *, today: date | None = None):
    """Items done remotely, for a search without a place."""
    return opportunities_filter(opportunities_public(), criteria, today=today).filter(
        is_remote=True
    )


def opportunities_for_qpv(*, qpv, within_m: int | None = None) -> QuerySet[Opportunity]:
    """Published items with a place in the QPV or within `within_m` of it, nearest first."""
    links = OpportunityPlaceQPV.objects.filter(qpv=qpv)
    if within_m is not None:
        links = links.filter(distance_m__lte=within_m)
    distance = (
        links.filter(place__opportunity=OuterRef("pk"))
        .order_by("distance_m")
        .values("distance_m")[:1]
    )
    return (
        opportunities_public()
        .filter(places__qpv_links__in=links)
        .distinct()
        .annotate(qpv_distance_m=Subquery(distance))
        .order_by("qpv_distance_m", "-last_updated_at", "pk")
    )


def opportunities_of_organisation(*, organisation, viewer=None) -> QuerySet[Opportunity]:
    return opportunities_public().of_organisation(organisation)


def opportunities_received_interests(*, opportunity: Opportunity) -> QuerySet[OpportunityInterest]:
    return opportunity.interests.select_related("registered_by").order_by("-created_at", "pk")


def opportunities_pending_review() -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(status=OpportunityStatus.SUBMITTED).select_related(
        "organisation"
    )


def opportunities_with_places(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.prefetch_related(
        Prefetch("places", queryset=OpportunityPlace.objects.order_by("pk")), "sessions"
    )


LEVEL_VALUES = tuple(Level.values)


# --- provider pages ---


def opportunity_providers_for(user: Any) -> QuerySet[Organisation]:
    """The organisations `user` may offer an opportunity for (the team: any member one)."""
    if is_coordination(user):
        return Organisation.objects.members_of_collective().order_by("name")
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


def opportunities_with_interest_counts(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """Each item with `interests_total` and `interests_new` (not yet followed up)."""
    return queryset.annotate(
        interests_total=Count("interests", distinct=True),
        interests_new=Count(
            "interests", filter=Q(interests__status=InterestStatus.NEW), distinct=True
        ),
    )


def opportunities_of_provider(user: Any) -> QuerySet[Opportunity]:
    """The opportunities of the organisations `user` belongs to, with their interest counts."""
    return opportunities_with_interest_counts(
        Opportunity.objects.filter(organisation__memberships__user=user)
        .select_related("organisation")
        .distinct()
    ).order_by("-last_updated_at", "pk")


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


def opportunity_map_points(opportunities: QuerySet[Opportunity]) -> dict:
    """Opportunities on the map of their QPVs, for `core/points-map.js`: each place at the
    QPV it lies in or, else, the nearest within 2 km (its centroid), one point per QPV.

    `{"points": [{"code", "name", "lon", "lat", "items": [[title, slug]]}], "unplaced": n}`;
    `unplaced` counts the items with no place near a QPV (remote ones among them). Two
    queries whatever the number of items.
    """
    ids = opportunities.order_by().values("pk")
    rows = (
        OpportunityPlaceQPV.objects.filter(place__opportunity_id__in=ids)
        .order_by("place_id", "distance_m", "qpv__code")
        .values_list(
            "place_id",
            "qpv__code",
            "qpv__name",
            "qpv__centroid_lon",
            "qpv__centroid_lat",
            "place__opportunity__title",
            "place__opportunity__slug",
        )
    )
    points: dict[str, dict] = {}
    seen_places: set[int] = set()
    placed: set[str] = set()
    for place_id, code, name, lon, lat, title, slug in rows:
        if place_id in seen_places or lon is None or lat is None:
            continue
        seen_places.add(place_id)
        point = points.setdefault(
            code,
            {"code": code, "name": name, "lon": round(lon, 5), "lat": round(lat, 5), "items": []},
        )
        if [title, slug] not in point["items"]:
            point["items"].append([title, slug])
        placed.add(slug)
    for point in points.values():
        point["items"].sort()
    total = Opportunity.objects.filter(pk__in=ids).count()
    return {
        "points": sorted(points.values(), key=lambda point: (point["name"], point["code"])),
        "unplaced": total - len(placed),
    }


def opportunities_selection(*, ids: list[int]) -> list[Opportunity]:
    """The published items of a short list, in the order given, with places and sessions."""
    found = {
        opportunity.pk: opportunity
        for opportunity in opportunities_with_places(opportunities_public().filter(pk__in=ids))
    }
    return [found[pk] for pk in ids if pk in found]
