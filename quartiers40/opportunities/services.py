"""Every write of the opportunities domain: publishing, places, lifecycle, interests, imports."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row, unique_slug
from quartiers40.core.emails import email_each, email_send
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record, fields_apply
from quartiers40.members.models import Organisation, OrganisationMembership, User
from quartiers40.territories.lookup import qpvs_within
from quartiers40.territories.models import QPV

if TYPE_CHECKING:  # the geocoder (httpx) is imported only where an address is geocoded
    from quartiers40.territories.clients.geocoding import GeocodingResult

from . import permissions
from .enums import OPPORTUNITY_WORKFLOW, GeocodingState, InterestStatus, OpportunityStatus
from .models import (
    MAX_PLACES_PER_OPPORTUNITY,
    MAX_SESSIONS_PER_OPPORTUNITY,
    OPPORTUNITY_EDITABLE_FIELDS,
    OWN_SOURCE,
    ImportedStructure,
    Opportunity,
    OpportunityInterest,
    OpportunityPlace,
    OpportunityPlaceQPV,
    OpportunitySession,
)
from .records import ImportedItem, PlaceInput, SessionInput, StructureRecord

# Slugs that would shadow a page of the app (/opportunites/nouvelle/, /carte/, /selection/).
RESERVED_SLUGS = {"nouvelle", "carte", "selection", "mes-opportunites", "interets", "export"}
# Required before publishing or submitting.
REQUIRED_TO_PUBLISH = ("kind", "title", "summary", "description")
# A place serves the QPVs within this distance (and lies in the one at 0 m).
NEARBY_QPV_METRES = getattr(settings, "OPPORTUNITIES_NEARBY_QPV_METRES", 2000)
FRESHNESS_DAYS = 180


def opportunity_slug(title: str) -> str:
    return unique_slug(Opportunity, title, fallback="opportunite", reserved=RESERVED_SLUGS)


def opportunity_missing_fields(opportunity: Opportunity) -> dict[str, str]:
    """What is missing before publication: {field: message}."""
    errors = {}
    for name in REQUIRED_TO_PUBLISH:
        value = getattr(opportunity, name)
        if not (value.strip() if isinstance(value, str) else value):
            errors[name] = _("Ce champ est obligatoire pour publier.")
    if not opportunity.themes:
        errors["themes"] = _("Choisissez au moins une thématique.")
    if not opportunity.is_remote and not (opportunity.pk and opportunity.places.exists()):
        errors["places"] = _("Indiquez au moins un lieu, ou cochez « à distance ».")
    if not opportunity.how_to_go:
        errors["how_to_go"] = _("Dites comment s'inscrire ou venir.")
    return errors


def _provider_emails(opportunity: Opportunity) -> list[str]:
    """Where a message about the opportunity goes: its contact, else its organisation's people."""
    if opportunity.contact_email:
        return [opportunity.contact_email]
    if opportunity.organisation_id is None:
        return []
    return list(
        OrganisationMembership.objects.filter(
            organisation_id=opportunity.organisation_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _email_provider(
    opportunity: Opportunity, *, subject: str, template: str, **context: Any
) -> None:
    email_each(
        to=_provider_emails(opportunity),
        subject=subject,
        template=template,
        context={
            "opportunity": opportunity,
            "opportunity_url": absolute_url(opportunity.get_absolute_url()),
            **context,
        },
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


# --- Writing an opportunity ----------------------------------------------------------


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_create(
    *,
    actor: User,
    organisation: Organisation,
    places: Sequence[PlaceInput] = (),
    sessions: Sequence[SessionInput] = (),
    now: datetime | None = None,
    **fields: Any,
) -> Opportunity:
    """A new draft offered by an organisation the actor belongs to.

    `fields` are among `OPPORTUNITY_EDITABLE_FIELDS` (kind and title at least).
    """
    if not permissions.can_create_opportunity_for(actor, organisation):
        raise PermissionDenied
    unknown = set(fields) - set(OPPORTUNITY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown opportunity fields: {sorted(unknown)}")
    opportunity = Opportunity(organisation=organisation, created_by=actor, **fields)
    opportunity.slug = opportunity_slug(opportunity.title)
    opportunity.last_updated_at = now or timezone.now()
    opportunity.full_clean()
    opportunity.save()
    opportunity_places_set(opportunity=opportunity, places=places)
    opportunity_sessions_set(opportunity=opportunity, sessions=sessions)
    action_log_record(
        target=opportunity, action="opportunity_created", actor=actor, to_status=opportunity.status
    )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_update(
    *,
    opportunity: Opportunity,
    actor: User,
    places: Sequence[PlaceInput] | None = None,
    sessions: Sequence[SessionInput] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> list[str]:
    """Change the fields given (others stay, UNCHANGED is skipped); returns those that changed."""
    if not permissions.can_edit_opportunity(actor, opportunity):
        raise PermissionDenied
    unknown = set(fields) - set(OPPORTUNITY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown opportunity fields: {sorted(unknown)}")
    lock_row(opportunity)
    if not opportunity.is_changeable:
        raise ValidationError(_("Une opportunité retirée ne se modifie plus."))
    changed = fields_apply(opportunity, dict(fields))
    opportunity.full_clean()
    if places is not None:
        before = _places_signature(opportunity)
        opportunity_places_set(opportunity=opportunity, places=places)
        if _places_signature(opportunity) != before:
            changed.append("places")
    if sessions is not None:
        before_sessions = list(opportunity.sessions.values_list("starts_on", "ends_on", "details"))
        opportunity_sessions_set(opportunity=opportunity, sessions=sessions)
        if (
            list(opportunity.sessions.values_list("starts_on", "ends_on", "details"))
            != before_sessions
        ):
            changed.append("sessions")
    if not changed:
        return []
    opportunity.last_updated_at = now or timezone.now()
    opportunity.freshness_reminded_at = None
    opportunity.save()
    action_log_record(
        target=opportunity, action="opportunity_updated", actor=actor, reason=", ".join(changed)
    )
    return changed


def _check_publishable(opportunity: Opportunity, *, today: date) -> None:
    missing = opportunity_missing_fields(opportunity)
    if opportunity_is_over(opportunity, today=today):
        missing["deadline"] = _("La date limite ou la dernière session est passée.")
    if missing:
        raise ValidationError(missing)


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, actor: User) -> Opportunity:
    """Publish now (member organisation or team), or send to the team (new organisation).

    Which of the two happens is the workflow's answer for this actor.
    """
    action = "publish" if permissions.can_publish_directly(actor, opportunity) else "submit"
    step = OPPORTUNITY_WORKFLOW.check(opportunity, action, actor=actor)
    now = timezone.now()
    _check_publishable(opportunity, today=timezone.localdate(now))
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor)
    if action == "publish":
        opportunity.published_at = opportunity.published_at or now
        opportunity.review_comments = ""
        opportunity.save(update_fields=["status", "published_at", "review_comments"])
    else:
        opportunity.save(update_fields=["status"])
        email_each(
            to=User.objects.coordination().values_list("email", flat=True),
            subject=_("Opportunité à relire : %(title)s") % {"title": opportunity.title},
            template="opportunities/emails/submitted.txt",
            context={
                "opportunity": opportunity,
                "opportunity_url": absolute_url(opportunity.get_absolute_url()),
            },
        )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_approve(*, opportunity: Opportunity, actor: User) -> Opportunity:
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "approve", actor=actor)
    now = timezone.now()
    _check_publishable(opportunity, today=timezone.localdate(now))
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor)
    opportunity.published_at = opportunity.published_at or now
    opportunity.review_comments = ""
    opportunity.save(update_fields=["status", "published_at", "review_comments"])
    _email_provider(
        opportunity,
        subject=_("Votre opportunité est publiée : %(title)s") % {"title": opportunity.title},
        template="opportunities/emails/published.txt",
    )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_return(*, opportunity: Opportunity, actor: User, comments: str) -> Opportunity:
    comments = (comments or "").strip()
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "return", actor=actor)
    if not comments:
        raise ValidationError({"comments": _("Expliquez ce qu'il faut compléter.")})
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor, reason=comments)
    opportunity.review_comments = comments
    opportunity.save(update_fields=["status", "review_comments"])
    _email_provider(
        opportunity,
        subject=_("Votre opportunité est à compléter : %(title)s") % {"title": opportunity.title},
        template="opportunities/emails/returned.txt",
        comments=comments,
    )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_withdraw(*, opportunity: Opportunity, actor: User, reason: str = "") -> Opportunity:
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "withdraw", actor=actor)
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor, reason=reason)
    opportunity.withdrawn_at = timezone.now()
    opportunity.save(update_fields=["status", "withdrawn_at"])
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_reopen(*, opportunity: Opportunity, actor: User) -> Opportunity:
    """An expired item published again, once its provider gave it new dates."""
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "reopen", actor=actor)
    _check_publishable(opportunity, today=timezone.localdate())
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor)
    opportunity.expired_at = None
    opportunity.save(update_fields=["status", "expired_at"])
    return opportunity


# --- The platform's own steps --------------------------------------------------------


def opportunity_is_over(opportunity: Opportunity, *, today: date) -> bool:
    """Its deadline has passed, or its last session (or its end date) has."""
    if opportunity.deadline and opportunity.deadline < today:
        return True
    if opportunity.pk:
        last = max(
            (session.ends_on or session.starts_on for session in opportunity.sessions.all()),
            default=None,
        )
        if last is not None and last < today:
            return True
    return bool(opportunity.ends_on and opportunity.ends_on < today)


def opportunities_over(*, today: date):
    """Published items whose deadline, end date or last session has passed (one query)."""
    from django.db.models import Max
    from django.db.models.functions import Coalesce

    return (
        Opportunity.objects.published()
        .annotate(last_session=Max(Coalesce("sessions__ends_on", "sessions__starts_on")))
        .filter(Q(deadline__lt=today) | Q(ends_on__lt=today) | Q(last_session__lt=today))
    )


@bumps_cache_version("opportunities")
def opportunities_expire(*, now: datetime | None = None) -> int:
    """Expire every published item that is over; each in its own transaction."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired = 0
    for pk in list(opportunities_over(today=today).values_list("pk", flat=True)):
        with transaction.atomic():
            opportunity = Opportunity.objects.filter(pk=pk).first()
            if opportunity is None:
                continue
            step = OPPORTUNITY_WORKFLOW.check(opportunity, "expire", actor=None)
            if not opportunity_is_over(opportunity, today=today):
                continue  # its dates changed meanwhile
            OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=None)
            opportunity.expired_at = now
            opportunity.save(update_fields=["status", "expired_at"])
            expired += 1
    return expired


def opportunities_stale(*, now: datetime):
    """Our own published items not updated for FRESHNESS_DAYS and not reminded since."""
    limit = now - timedelta(days=FRESHNESS_DAYS)
    return Opportunity.objects.published().filter(
        source=OWN_SOURCE, last_updated_at__lt=limit, freshness_reminded_at__isnull=True
    )


def opportunity_freshness_remind(*, now: datetime) -> int:
    """Ask each stale item's provider whether it still holds, once until it is updated."""
    sent = 0
    for pk in list(opportunities_stale(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            opportunity = opportunities_stale(now=now).select_for_update().filter(pk=pk).first()
            if opportunity is None:
                continue
            opportunity.freshness_reminded_at = now
            opportunity.save(update_fields=["freshness_reminded_at"])
            action_log_record(target=opportunity, action="opportunity_freshness_reminded")
            _email_provider(
                opportunity,
                subject=_("Votre opportunité est-elle toujours d'actualité ? %(title)s")
                % {"title": opportunity.title},
                template="opportunities/emails/freshness_reminder.txt",
                months=FRESHNESS_DAYS // 30,
            )
            sent += 1
    return sent


# --- Interests -----------------------------------------------------------------------


@transaction.atomic
def interest_create(
    *,
    opportunity: Opportunity,
    name: str,
    email: str = "",
    phone: str = "",
    message: str = "",
    person: User | None = None,
    registered_by: User | None = None,
    consent: bool = False,
) -> OpportunityInterest:
    """A person says she is interested; the provider gets a message (her contact in it).

    Nobody's address is shown: the provider answers from its own mailbox. A mediator
    registering someone must have her consent.
    """
    if registered_by is not None:
        if not permissions.can_register_interest_for_someone(registered_by, opportunity):
            raise PermissionDenied
        if not consent:
            raise ValidationError({"consent": _("Il faut l'accord de la personne.")})
    elif not permissions.can_express_interest(person, opportunity):
        raise ValidationError(_("Cette opportunité ne reçoit pas de demandes ici."))
    name, email, phone = name.strip(), email.strip(), phone.strip()
    if person is not None and registered_by is None:
        name = name or person.get_full_name() or person.email
        email = email or person.email
        if OpportunityInterest.objects.filter(opportunity=opportunity, person=person).exists():
            raise ValidationError(_("Vous avez déjà dit votre intérêt pour cette opportunité."))
    errors = {}
    if not name:
        errors["name"] = _("Indiquez un prénom ou un nom.")
    if not email and not phone:
        errors["email"] = _("Indiquez un courriel ou un téléphone pour être recontacté·e.")
    if errors:
        raise ValidationError(errors)
    interest = OpportunityInterest(
        opportunity=opportunity,
        person=person if registered_by is None else None,
        name=name,
        email=email,
        phone=phone,
        message=message.strip(),
        registered_by=registered_by,
        consent_at=timezone.now() if registered_by is not None else None,
    )
    interest.full_clean()
    interest.save()
    action_log_record(
        target=interest, action="opportunity_interest_created", actor=registered_by or person
    )
    _email_provider(
        opportunity,
        subject=_("Une personne est intéressée : %(title)s") % {"title": opportunity.title},
        template="opportunities/emails/interest_received.txt",
        interest=interest,
    )
    if interest.email:
        email_send(
            to=interest.email,
            subject=_("Votre demande est transmise : %(title)s") % {"title": opportunity.title},
            template="opportunities/emails/interest_sent.txt",
            context={
                "opportunity": opportunity,
                "opportunity_url": absolute_url(opportunity.get_absolute_url()),
                "interest": interest,
            },
        )
    return interest


@transaction.atomic
def interest_outcome_record(
    *, interest: OpportunityInterest, actor: User, status: str, note: str = ""
) -> OpportunityInterest:
    """The provider records what came of an interest (contacted, started, not retained)."""
    if not permissions.can_record_outcome(actor, interest):
        raise PermissionDenied
    if status not in InterestStatus.values:
        raise ValidationError({"status": _("Suite inconnue.")})
    lock_row(interest)
    interest.status = status
    interest.outcome_note = note.strip()[:500]
    interest.outcome_at = timezone.now()
    interest.save(update_fields=["status", "outcome_note", "outcome_at"])
    action_log_record(
        target=interest, action="opportunity_interest_outcome", actor=actor, to_status=status
    )
    return interest


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
