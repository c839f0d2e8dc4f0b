"""Where and when: an opportunity's places (each with its point and its QPVs) and sessions."""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from quartiers40.territories.lookup import qpvs_within
from quartiers40.territories.models import QPV

if TYPE_CHECKING:  # the geocoder (httpx) is imported only where an address is geocoded
    from quartiers40.territories.clients.geocoding import GeocodingResult

from ..enums import GeocodingState
from ..models import (
    MAX_PLACES_PER_OPPORTUNITY,
    MAX_SESSIONS_PER_OPPORTUNITY,
    Opportunity,
    OpportunityPlace,
    OpportunityPlaceQPV,
    OpportunitySession,
)
from ..records import PlaceInput, SessionInput
from ._common import (
    NEARBY_QPV_METRES,
)

# --- Places and sessions -------------------------------------------------------------


def _place_located(place: PlaceInput) -> tuple[PlaceInput, str]:
    """The place with its point: given, geocoded when the adapter is on, else unplaced."""
    if place.located:
        return place, GeocodingState.GIVEN
    query = place.geocoding_query
    if not query:
        return place, GeocodingState.UNPLACED
    from quartiers40.territories.clients.geocoding import geocode  # httpx only when needed

    return _place_from_result(place, geocode(query))


def _place_from_result(place: PlaceInput, result: "GeocodingResult") -> tuple[PlaceInput, str]:
    from quartiers40.territories.clients.geocoding import GeocodingStatus

    if result.status == GeocodingStatus.OK and result.located:
        return (
            PlaceInput(
                name=place.name,
                address=place.address,
                address_details=place.address_details,
                postcode=place.postcode or result.postcode,
                commune_code=place.commune_code or result.citycode,
                commune_name=place.commune_name or result.city,
                longitude=result.lon,
                latitude=result.lat,
            ),
            GeocodingState.GEOCODED,
        )
    return place, GeocodingState.UNPLACED


def _place_qpv_links(place: OpportunityPlace) -> list[OpportunityPlaceQPV]:
    if not place.located:
        return []
    assert place.longitude is not None and place.latitude is not None
    found = qpvs_within(lon=place.longitude, lat=place.latitude, metres=NEARBY_QPV_METRES)
    if not found:
        return []
    ids = dict(
        QPV.objects.current()
        .filter(code__in=[code for code, _d in found])
        .values_list("code", "pk")
    )
    return [
        OpportunityPlaceQPV(place=place, qpv_id=ids[code], distance_m=round(distance))
        for code, distance in found
        if code in ids
    ]


def opportunity_places_set(
    *,
    opportunity: Opportunity,
    places: Sequence[PlaceInput],
    geocode_missing: bool = True,
    geocoded: Mapping[str, "GeocodingResult"] | None = None,
) -> list[OpportunityPlace]:
    """Replace the places; each gets its point (given or geocoded) and its QPVs near it.

    Returns the places saved; those without a point are kept, marked unplaced.
    `geocoded` holds answers already obtained in a batch (`geocode_many`), by
    `PlaceInput.geocoding_query`: they are used instead of asking again.
    """
    if len(places) > MAX_PLACES_PER_OPPORTUNITY:
        raise ValidationError(
            {"places": _("%(max)d lieux au plus.") % {"max": MAX_PLACES_PER_OPPORTUNITY}}
        )
    opportunity.places.all().delete()
    saved = []
    for place_input in places:
        query = place_input.geocoding_query
        if geocoded is not None and not place_input.located and query in geocoded:
            located, state = _place_from_result(place_input, geocoded[query])
        elif geocode_missing:
            located, state = _place_located(place_input)
        else:
            located = place_input
            state = GeocodingState.GIVEN if place_input.located else GeocodingState.UNPLACED
        place = OpportunityPlace(
            opportunity=opportunity,
            input_key=place_input.key,
            name=located.name[:200],
            address=located.address[:300],
            address_details=located.address_details[:300],
            postcode=located.postcode[:5],
            commune_code=located.commune_code[:5],
            commune_name=located.commune_name[:200],
            longitude=located.longitude,
            latitude=located.latitude,
            geocoding=state,
        )
        place.full_clean(exclude=["opportunity"])
        saved.append(place)
    OpportunityPlace.objects.bulk_create(saved)
    links = [link for place in saved for link in _place_qpv_links(place)]
    OpportunityPlaceQPV.objects.bulk_create(links)
    return saved


def opportunity_sessions_set(*, opportunity: Opportunity, sessions: Sequence[SessionInput]) -> None:
    if len(sessions) > MAX_SESSIONS_PER_OPPORTUNITY:
        raise ValidationError(
            {"sessions": _("%(max)d sessions au plus.") % {"max": MAX_SESSIONS_PER_OPPORTUNITY}}
        )
    for session in sessions:
        if session.ends_on and session.ends_on < session.starts_on:
            raise ValidationError({"sessions": _("Une session finit avant de commencer.")})
    opportunity.sessions.all().delete()
    OpportunitySession.objects.bulk_create(
        OpportunitySession(
            opportunity=opportunity,
            starts_on=session.starts_on,
            ends_on=session.ends_on,
            details=session.details[:300],
        )
        for session in sessions
    )


def _places_signature(opportunity: Opportunity) -> list[str]:
    return list(opportunity.places.order_by("pk").values_list("input_key", flat=True))
