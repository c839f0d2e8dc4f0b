"""The lists other pages show: a QPV's, an organisation's, a provider's, the map, the short list."""

from typing import Any

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from quartiers40.members.models import Organisation
from quartiers40.members.permissions import is_coordination

from ..enums import InterestStatus, OpportunityStatus
from ..models import (
    Opportunity,
    OpportunityInterest,
    OpportunityPlace,
    OpportunityPlaceQPV,
)
from .near import opportunities_public


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


def opportunities_of_organisation(*, organisation) -> QuerySet[Opportunity]:
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


def opportunities_public_commune_codes() -> QuerySet:
    """The INSEE codes of the communes where published items have a place (a values()
    queryset, to use as a subquery: the site-wide search lists these communes)."""
    return (
        OpportunityPlace.objects.filter(opportunity__in=opportunities_public().values("pk"))
        .exclude(commune_code="")
        .values("commune_code")
    )
