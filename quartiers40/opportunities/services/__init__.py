"""Every write of the opportunities domain, by sub-domain:

- `places`: an opportunity's places (point, QPVs near it) and sessions;
- `publishing`: writing an opportunity and its workflow (people's actions);
- `lifecycle`: the platform's own steps (expiry, freshness reminders);
- `interests`: interests and their outcome;
- `imports`: the one upsert every importer writes through, withdrawal of the missing.

Callers import from here: `from quartiers40.opportunities import services`.
"""

from ._common import (
    FRESHNESS_DAYS,
    NEARBY_QPV_METRES,
    REQUIRED_TO_PUBLISH,
    RESERVED_SLUGS,
    opportunity_missing_fields,
    opportunity_slug,
)
from .imports import UpsertResult, opportunities_source_withdraw_missing, opportunity_import_upsert
from .interests import interest_create, interest_outcome_record
from .lifecycle import (
    opportunities_expire,
    opportunities_over,
    opportunities_stale,
    opportunity_freshness_remind,
    opportunity_is_over,
)
from .places import opportunity_places_set, opportunity_sessions_set
from .publishing import (
    opportunity_approve,
    opportunity_create,
    opportunity_publish,
    opportunity_reopen,
    opportunity_return,
    opportunity_update,
    opportunity_withdraw,
)

__all__ = [
    "FRESHNESS_DAYS",
    "NEARBY_QPV_METRES",
    "REQUIRED_TO_PUBLISH",
    "RESERVED_SLUGS",
    "UpsertResult",
    "interest_create",
    "interest_outcome_record",
    "opportunities_expire",
    "opportunities_over",
    "opportunities_source_withdraw_missing",
    "opportunities_stale",
    "opportunity_approve",
    "opportunity_create",
    "opportunity_freshness_remind",
    "opportunity_import_upsert",
    "opportunity_is_over",
    "opportunity_missing_fields",
    "opportunity_places_set",
    "opportunity_publish",
    "opportunity_reopen",
    "opportunity_return",
    "opportunity_sessions_set",
    "opportunity_slug",
    "opportunity_update",
    "opportunity_withdraw",
]
