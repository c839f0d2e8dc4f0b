"""Reads of the opportunities domain that pages, the API and exports share, by sub-domain:

- `near`: "près de chez moi" (criteria, the near-me query, remote items);
- `places`: resolving where a person searches from;
- `lists`: what other pages list (a QPV's, an organisation's, a provider's, the map).
"""

from .lists import (
    opportunities_for_qpv,
    opportunities_of_organisation,
    opportunities_of_provider,
    opportunities_pending_review,
    opportunities_public_commune_codes,
    opportunities_received_interests,
    opportunities_selection,
    opportunities_with_interest_counts,
    opportunities_with_places,
    opportunity_map_points,
    opportunity_providers_for,
)
from .near import (
    EARTH_METRES_PER_DEGREE_LON_AT_EQUATOR,
    METRES_PER_DEGREE_LAT,
    REMOTE_EVERY,
    REMOTE_MAX_NEAR,
    Criteria,
    NearResult,
    opportunities_filter,
    opportunities_near,
    opportunities_public,
    opportunity_get_by_slug,
)
from .places import (
    SUGGESTIONS_SHOWN,
    PlaceAnswer,
    PlaceKind,
    PlaceProblem,
    SearchPlace,
    commune_center,
    search_place_from_point,
    search_place_of_commune,
    search_place_of_qpv,
    search_place_resolve,
)

__all__ = [
    "EARTH_METRES_PER_DEGREE_LON_AT_EQUATOR",
    "METRES_PER_DEGREE_LAT",
    "REMOTE_EVERY",
    "REMOTE_MAX_NEAR",
    "SUGGESTIONS_SHOWN",
    "Criteria",
    "NearResult",
    "PlaceAnswer",
    "PlaceKind",
    "PlaceProblem",
    "SearchPlace",
    "commune_center",
    "opportunities_filter",
    "opportunities_for_qpv",
    "opportunities_near",
    "opportunities_of_organisation",
    "opportunities_of_provider",
    "opportunities_pending_review",
    "opportunities_public",
    "opportunities_public_commune_codes",
    "opportunities_received_interests",
    "opportunities_selection",
    "opportunities_with_interest_counts",
    "opportunities_with_places",
    "opportunity_get_by_slug",
    "opportunity_map_points",
    "opportunity_providers_for",
    "search_place_from_point",
    "search_place_of_commune",
    "search_place_of_qpv",
    "search_place_resolve",
]
