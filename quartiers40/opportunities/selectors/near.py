"""Reads of the opportunities domain that pages, the API and exports share.

"Near me" (`opportunities_near`): published items with a place within the radius, nearest
first, with remote items interleaved (one every `REMOTE_EVERY` results, as Dora does).
The distance is computed in SQL on an equirectangular projection around the searched
point (error under 0.5 % within 50 km), after a bounding box on the indexed latitude and
longitude: a fixed number of queries whatever the number of results, on SQLite and
PostgreSQL alike, with no spatial extension.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone

from ..enums import Cost, QPVPriority
from ..models import (
    Opportunity,
    OpportunityPlace,
    OpportunityQuerySet,
    json_list_contains,
)

REMOTE_EVERY = 4  # one remote result after every three in-person ones
# At most this many remote items (the latest updated) are interleaved in a search near a
# point: more would drown what is near, and counting them all would cost each search a
# read of every remote item (a search without a place lists them all).
REMOTE_MAX_NEAR = 100
METRES_PER_DEGREE_LAT = 111_132.0
EARTH_METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


@dataclass(frozen=True)
class Criteria:
    """What a person asked for; nothing of it is stored."""

    kinds: tuple[str, ...] = ()
    theme: str = ""  # a thématique or a whole category
    free_only: bool = False
    easy_to_read_only: bool = False  # the summary has the "facile à lire" mark
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
    if criteria.easy_to_read_only:
        queryset = queryset.filter(easy_to_read=True)
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
