"""Imported items: the one upsert every importer writes through, and withdrawal of the missing."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record, fields_apply
from quartiers40.plainlanguage.check import is_easy_to_read

if TYPE_CHECKING:  # the geocoder (httpx) is imported only where an address is geocoded
    from quartiers40.territories.clients.geocoding import GeocodingResult

from ..enums import OPPORTUNITY_WORKFLOW, OpportunityStatus
from ..models import (
    OPPORTUNITY_EDITABLE_FIELDS,
    ImportedStructure,
    Opportunity,
)
from ..records import ImportedItem, StructureRecord
from ._common import (
    opportunity_slug,
)
from .places import (
    _places_signature,
    opportunity_places_set,
    opportunity_sessions_set,
)

# --- Imports -------------------------------------------------------------------------


@dataclass(frozen=True)
class UpsertResult:
    outcome: str  # "created", "updated", "unchanged", "restored"
    opportunity: Opportunity


def _structure_upsert(
    record: StructureRecord, *, now: datetime, is_fictional: bool
) -> ImportedStructure:
    values = {
        "name": record.name[:300],
        "siret": record.siret[:14],
        "website": record.website[:500],
        "source_url": record.source_url[:500],
        "phone": record.phone[:40],
        "email": record.email[:254],
        "address": record.address[:300],
        "postcode": record.postcode[:5],
        "commune_code": record.commune_code[:5],
        "commune_name": record.commune_name[:200],
        "longitude": record.longitude,
        "latitude": record.latitude,
        "description": record.description[:20000],
        "opening_hours": record.opening_hours[:500],
        "accessibility_url": record.accessibility_url[:500],
        "updated_on": record.updated_on,
        "last_seen_at": now,
        "is_fictional": is_fictional,
    }
    structure, _created = ImportedStructure.objects.update_or_create(
        source=record.source, source_id=record.source_id, defaults=values
    )
    return structure


# Imports skip Python's check of the model's constraints: Django runs one query per check
# constraint, per row (a third of a 10,000-row import); the database enforces them, and
# the importer reports a row it refuses (each row is written in its own savepoint).


def opportunity_import_upsert(
    *,
    item: ImportedItem,
    now: datetime | None = None,
    geocode_missing: bool = True,
    geocoded: Mapping[str, "GeocodingResult"] | None = None,
) -> UpsertResult:
    """Create or update one imported item, by `(source, source_id)`: imports are idempotent.

    `geocoded`: batch geocoding answers for its places (see `opportunity_places_set`).

    Runs inside the importer's per-file transaction. An item withdrawn because it had
    disappeared from its source is published again when it comes back.
    """
    now = now or timezone.now()
    structure = (
        _structure_upsert(item.structure, now=now, is_fictional=item.is_fictional)
        if item.structure
        else None
    )
    existing = (
        Opportunity.objects.select_for_update()
        .filter(source=item.source, source_id=item.source_id)
        .first()
    )
    values = {
        name: value for name, value in item.fields.items() if name in OPPORTUNITY_EDITABLE_FIELDS
    }
    extra = {
        name: item.fields[name]
        for name in (
            "source_url",
            "source_updated_on",
            "hours_per_week",
            "weeks",
            "eligibility_zone",
        )
        if name in item.fields
    }
    if existing is None:
        opportunity = Opportunity(
            source=item.source,
            source_id=item.source_id,
            structure=structure,
            status=OpportunityStatus.PUBLISHED,
            published_at=now,
            last_seen_at=now,
            last_updated_at=now,
            is_fictional=item.is_fictional,
            **values,
            **extra,
        )
        opportunity.slug = opportunity_slug(opportunity.title)
        opportunity.full_clean(validate_constraints=False)  # see the note above
        opportunity.easy_to_read = is_easy_to_read(opportunity.summary)
        opportunity.save()
        opportunity_places_set(
            opportunity=opportunity,
            places=item.places,
            geocode_missing=geocode_missing,
            geocoded=geocoded,
        )
        opportunity_sessions_set(opportunity=opportunity, sessions=item.sessions)
        action_log_record(
            target=opportunity, action="opportunity_imported", to_status=opportunity.status
        )
        return UpsertResult("created", opportunity)

    opportunity = existing
    changed = fields_apply(opportunity, {**values, **extra})
    if opportunity.structure_id != (structure.pk if structure else None):
        opportunity.structure = structure
        changed.append("structure")
    opportunity.full_clean(validate_constraints=False)  # see the note above
    if _places_signature(opportunity) != [place.key for place in item.places]:
        opportunity_places_set(
            opportunity=opportunity,
            places=item.places,
            geocode_missing=geocode_missing,
            geocoded=geocoded,
        )
        changed.append("places")
    before_sessions = list(opportunity.sessions.values_list("starts_on", "ends_on", "details"))
    wanted_sessions = [(s.starts_on, s.ends_on, s.details[:300]) for s in item.sessions]
    if before_sessions != wanted_sessions:
        opportunity_sessions_set(opportunity=opportunity, sessions=item.sessions)
        changed.append("sessions")
    outcome = "updated" if changed else "unchanged"
    opportunity.last_seen_at = now
    if changed:
        opportunity.last_updated_at = now
    if opportunity.status == OpportunityStatus.WITHDRAWN and opportunity.withdrawn_from_source:
        step = OPPORTUNITY_WORKFLOW.check(opportunity, "source_restore", actor=None)
        OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=None)
        opportunity.withdrawn_at = None
        opportunity.withdrawn_from_source = False
        outcome = "restored"
    if "summary" in changed:
        opportunity.easy_to_read = is_easy_to_read(opportunity.summary)
    opportunity.save()
    if changed:
        action_log_record(
            target=opportunity, action="opportunity_import_updated", reason=", ".join(changed)
        )
    return UpsertResult(outcome, opportunity)


@bumps_cache_version("opportunities")
def opportunities_source_withdraw_missing(
    *, source: str, seen_ids: Iterable[str], now: datetime | None = None
) -> int:
    """Withdraw (never delete) the live items of `source` that its latest snapshot lacks."""
    now = now or timezone.now()
    seen = set(seen_ids)
    missing = [
        pk
        for pk, source_id in Opportunity.objects.filter(source=source)
        .exclude(status=OpportunityStatus.WITHDRAWN)
        .values_list("pk", "source_id")
        if source_id not in seen
    ]
    for opportunity in Opportunity.objects.filter(pk__in=missing).select_for_update():
        step = OPPORTUNITY_WORKFLOW.check(opportunity, "source_withdraw", actor=None)
        OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=None, reason=_("absente de la source"))
        opportunity.withdrawn_at = now
        opportunity.withdrawn_from_source = True
        opportunity.save(update_fields=["status", "withdrawn_at", "withdrawn_from_source"])
    return len(missing)
