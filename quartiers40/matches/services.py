# mypy: disable-error-code="union-attr,arg-type,misc"
# A match points at one item through one of several nullable foreign keys, read after
# checking its id (`if match.project_id: match.project…`), which mypy cannot narrow.
"""Writes of the matchmaking: a suggestion shown, opened, judged, and what came of it."""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from quartiers40.challenges.enums import OfferState
from quartiers40.challenges.models import ChallengeOffer
from quartiers40.meetings.enums import ACTIVE_REGISTRATION_STATUSES, RegistrationStatus
from quartiers40.meetings.models import Registration
from quartiers40.members.models import OrganisationMembership
from quartiers40.opportunities.enums import InterestStatus
from quartiers40.opportunities.models import OpportunityInterest
from quartiers40.projects.models import Project

from .enums import STEP_ORDER, Feedback, MatchContext, MatchOutcome, MatchStep, SuggestionKind
from .models import Match, viewer_key
from .suggest import Suggestion

logger = logging.getLogger(__name__)

# Reasons that depend on the anonymous visitor herself (where she is, what she answered):
# never stored for somebody without an account.
PERSONAL_REASON_CODES = frozenset({"near_me", "distance_from_you"})
SUBJECT_FIELDS = {
    "challenge": "subject_challenge",
    "project": "subject_project",
    "edition": "subject_edition",
    "organisation": "subject_organisation",
}
SUGGESTED_FIELDS = {
    SuggestionKind.PROJECT: "project",
    SuggestionKind.ORGANISATION: "organisation",
    SuggestionKind.PARTNER: "organisation",
    SuggestionKind.OPPORTUNITY: "opportunity",
    SuggestionKind.CHALLENGE: "challenge",
    SuggestionKind.PILOT_SITE: "qpv",
    SuggestionKind.PITCH: "pitch",
}


@dataclass
class Shown:
    """A suggestion on a page, with its recorded match (the id its links carry)."""

    suggestion: Suggestion
    match: Match
    reasons_text: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.match.pk


def _subject_key(subject) -> str:
    if subject is None:
        return "near_me"
    return f"{subject._meta.model_name}:{subject.pk}"


def _subject_fields(subject) -> dict:
    if subject is None:
        return {}
    name = SUBJECT_FIELDS.get(subject._meta.model_name)
    return {name: subject} if name else {}


def _stored_reasons(suggestion: Suggestion, *, anonymous: bool) -> list[dict]:
    reasons = [reason.as_data() for reason in suggestion.reasons]
    if anonymous:
        reasons = [r for r in reasons if r["code"] not in PERSONAL_REASON_CODES]
    return reasons


def matches_record(
    *,
    context: str,
    subject,
    suggestions: Sequence[Suggestion],
    viewer,
) -> list[Match]:
    """The matches of these suggestions for this viewer, created or shown once more, in the
    order given. An anonymous visitor's are one shared row per suggestion."""
    if context not in MatchContext.values:
        raise ValueError(f"unknown context {context!r}")
    key = viewer_key(viewer)
    user = viewer if key else None
    subject_key = _subject_key(subject)
    if not suggestions:
        return []
    existing = {
        match.suggested_key: match
        for match in Match.objects.filter(
            context=context,
            subject_key=subject_key,
            viewer_key=key,
            suggested_key__in=[s.key for s in suggestions],
        )
    }
    now = timezone.now()
    matches = []
    # Shown again as it was: one UPDATE for all of them (a page shows a dozen; a row each
    # made every signed-in visit a dozen writes).
    unchanged: list[int] = []
    for rank, suggestion in enumerate(suggestions, start=1):
        reasons = _stored_reasons(suggestion, anonymous=not key)
        explanation = _explanation(reasons)[:500]
        match = existing.get(suggestion.key)
        if match is None:
            match = _match_create(
                context=context,
                subject=subject,
                subject_key=subject_key,
                suggestion=suggestion,
                key=key,
                user=user,
                rank=rank,
                reasons=reasons,
                explanation=explanation,
            )
        elif (match.rank, match.score, match.reasons, match.explanation) == (
            rank,
            suggestion.score,
            reasons,
            explanation,
        ):
            unchanged.append(match.pk)
        else:
            Match.objects.filter(pk=match.pk).update(
                shown_count=F("shown_count") + 1,
                last_shown_at=now,
                rank=rank,
                score=suggestion.score,
                reasons=reasons,
                explanation=explanation,
            )
            match.rank, match.score = rank, suggestion.score
            match.reasons, match.explanation = reasons, explanation
        matches.append(match)
    if unchanged:
        Match.objects.filter(pk__in=unchanged).update(
            shown_count=F("shown_count") + 1, last_shown_at=now
        )
    return matches


def _explanation(reasons: list[dict]) -> str:
    from .explain import explanation_line

    return explanation_line(reasons)


def _match_create(
    *, context, subject, subject_key, suggestion, key, user, rank, reasons, explanation
):
    fields = {
        "context": context,
        "kind": suggestion.kind,
        "user": user,
        "viewer_key": key,
        "subject_key": subject_key,
        "suggested_key": suggestion.key,
        "rank": rank,
        "score": suggestion.score,
        "reasons": reasons,
        "explanation": explanation,
        **_subject_fields(subject),
    }
    suggested_field = SUGGESTED_FIELDS.get(suggestion.kind)
    if suggested_field and suggestion.object_id is not None:
        fields[f"{suggested_field}_id"] = suggestion.object_id
    if suggestion.kind == SuggestionKind.FUNDING:
        fields["external_title"] = suggestion.title[:300]
        fields["external_url"] = suggestion.external_url[:500]
    try:
        with transaction.atomic():
            return Match.objects.create(**fields)
    except IntegrityError:  # shown at the same moment in another request
        return Match.objects.get(
            context=context,
            subject_key=subject_key,
            suggested_key=suggestion.key,
            viewer_key=key,
        )


def match_open(*, match: Match, viewer) -> None:
    """Followed through /suggestions/<id>/ouvrir/: counted on the viewer's own match (or the
    anonymous one); somebody else's is not touched."""
    if match.viewer_key and match.viewer_key != viewer_key(viewer):
        return
    now = timezone.now()
    Match.objects.filter(pk=match.pk).update(opened_count=F("opened_count") + 1)
    Match.objects.filter(pk=match.pk, opened_at__isnull=True).update(opened_at=now)
    Match.objects.filter(pk=match.pk, step=MatchStep.NONE).update(step=MatchStep.OPENED)


@transaction.atomic
def match_feedback(*, match: Match, viewer, feedback: str) -> Match:
    """ "Utile" or "pas utile", by the signed-in person the suggestion was made to."""
    if feedback not in Feedback.values:
        raise ValueError(f"unknown feedback {feedback!r}")
    if not (viewer is not None and viewer.is_authenticated and viewer.is_active):
        raise PermissionDenied
    if not match.viewer_key or match.viewer_key != viewer_key(viewer):
        raise PermissionDenied
    match.refresh_from_db(from_queryset=Match.objects.select_for_update())
    match.feedback = feedback
    match.feedback_at = timezone.now()
    match.save(update_fields=["feedback", "feedback_at"])
    return match


# --- What came of a match: read from the other apps, never written there --------------------


@dataclass
class LinkReport:
    examined: int = 0
    linked: int = 0
    changed: list[int] = field(default_factory=list)


def _organisation_of(match: Match) -> int | None:
    """The organisation whose act answers the suggestion: the suggested one, or the carrier
    of the suggested project."""
    if match.organisation_id:
        return match.organisation_id
    if match.project_id:
        return match.project.carrier_id
    return None


def _offer_outcome(offer: ChallengeOffer) -> str:
    if offer.state == OfferState.ACCEPTED:
        return MatchOutcome.SUCCEEDED
    if offer.state in (OfferState.DECLINED, OfferState.WITHDRAWN):
        return MatchOutcome.FAILED
    return MatchOutcome.PENDING


def _interest_step_outcome(interest: OpportunityInterest) -> tuple[str, str]:
    if interest.status == InterestStatus.STARTED:
        return MatchStep.OPPORTUNITY_TAKEN, MatchOutcome.SUCCEEDED
    if interest.status == InterestStatus.NOT_RETAINED:
        return MatchStep.CONTACTED, MatchOutcome.FAILED
    return MatchStep.CONTACTED, MatchOutcome.PENDING


def _registration_outcome(registration: Registration) -> str:
    if registration.status in ACTIVE_REGISTRATION_STATUSES:
        if registration.status == RegistrationStatus.CONFIRMED:
            return MatchOutcome.SUCCEEDED
        return MatchOutcome.PENDING
    return MatchOutcome.FAILED


def _link_challenge(match: Match) -> dict | None:
    organisation_id = _organisation_of(match)
    if organisation_id is None or match.subject_challenge_id is None:
        return None
    offer = (
        ChallengeOffer.objects.filter(
            challenge_id=match.subject_challenge_id,
            organisation_id=organisation_id,
            created_at__gte=match.created_at,
        )
        .order_by("created_at", "pk")
        .first()
    )
    if offer is None:
        return None
    found = {"offer": offer, "step": MatchStep.OFFER_MADE, "outcome": _offer_outcome(offer)}
    if offer.state == OfferState.ACCEPTED and offer.project_id:
        found.update(outcome_project_id=offer.project_id, step=MatchStep.PROJECT_STARTED)
    return found


def _link_interest(match: Match) -> dict | None:
    if match.opportunity_id is None or match.user_id is None:
        return None  # an anonymous visitor's interest cannot be told from anybody's
    interest = (
        OpportunityInterest.objects.filter(
            opportunity_id=match.opportunity_id,
            person_id=match.user_id,
            created_at__gte=match.created_at,
        )
        .order_by("created_at", "pk")
        .first()
    )
    if interest is None:
        return None
    step, outcome = _interest_step_outcome(interest)
    return {"interest": interest, "step": step, "outcome": outcome}


def _link_project(match: Match) -> dict | None:
    """A pilot site taken (the QPV now in the project) or a partner joined; or a project the
    suggested organisation started in a suggested QPV."""
    project = match.subject_project
    if project is None:
        return None
    pilot = match.kind == SuggestionKind.PILOT_SITE and match.qpv_id
    if pilot and project.qpvs.filter(pk=match.qpv_id).exists():
        return {
            "outcome_project_id": project.pk,
            "step": MatchStep.PROJECT_STARTED,
            "outcome": MatchOutcome.SUCCEEDED,
        }
    if match.kind == SuggestionKind.PARTNER and match.organisation_id:
        if project.partners.filter(pk=match.organisation_id).exists():
            return {
                "outcome_project_id": project.pk,
                "step": MatchStep.PROJECT_STARTED,
                "outcome": MatchOutcome.SUCCEEDED,
            }
        started = (
            Project.objects.filter(
                created_at__gte=match.created_at, carrier_id=match.organisation_id
            )
            .filter(Q(partners=project.carrier_id) | Q(qpvs__in=project.qpvs.all()))
            .order_by("created_at")
            .first()
        )
        if started is not None:
            return {
                "outcome_project_id": started.pk,
                "step": MatchStep.PROJECT_STARTED,
                "outcome": MatchOutcome.PENDING,
            }
    return None


def _link_registration(match: Match) -> dict | None:
    """A pitch suggested to the organisers: its people registered to the edition."""
    if match.pitch_id is None or match.subject_edition_id is None:
        return None
    pitch = match.pitch
    people: set[int] = set()
    if pitch.submitted_by_id:
        people.add(pitch.submitted_by_id)
    if pitch.project_id:
        people |= set(
            OrganisationMembership.objects.filter(
                organisation_id=pitch.project.carrier_id
            ).values_list("user_id", flat=True)
        )
    registration = (
        Registration.objects.filter(
            edition_id=match.subject_edition_id,
            user_id__in=people,
            created_at__gte=match.created_at,
        )
        .order_by("created_at", "pk")
        .first()
    )
    if registration is None:
        return None
    return {
        "registration": registration,
        "step": MatchStep.REGISTERED,
        "outcome": _registration_outcome(registration),
    }


def _found_for(match: Match) -> dict | None:
    if match.context in (MatchContext.CHALLENGE,) and match.kind in (
        SuggestionKind.PROJECT,
        SuggestionKind.ORGANISATION,
    ):
        return _link_challenge(match)
    if match.kind == SuggestionKind.OPPORTUNITY:
        return _link_interest(match)
    if match.context == MatchContext.PROJECT:
        return _link_project(match)
    if match.kind == SuggestionKind.PITCH:
        return _link_registration(match)
    if match.kind == SuggestionKind.CHALLENGE and match.subject_organisation_id:
        # A défi suggested to an organisation in "Mon espace": the offer it then made.
        offer = (
            ChallengeOffer.objects.filter(
                challenge_id=match.challenge_id,
                organisation_id=match.subject_organisation_id,
                created_at__gte=match.created_at,
            )
            .order_by("created_at", "pk")
            .first()
        )
        if offer is not None:
            return {"offer": offer, "step": MatchStep.OFFER_MADE, "outcome": _offer_outcome(offer)}
    return None


def match_outcomes_link(
    *, matches: Iterable[Match] | None = None, since: datetime | None = None
) -> LinkReport:
    """Find what came of the matches still open: the offers, interests, registrations and
    projects made after a match by the suggested party on its subject; link them.

    Idempotent: run after writes (tasks.py) and nightly (`manage.py matches_outcomes_link`).
    """
    report = LinkReport()
    if matches is None:
        queryset = Match.objects.to_link()
        if since is not None:
            queryset = queryset.filter(created_at__gte=since)
        matches = queryset.select_related("project", "pitch__project", "subject_project")
    for match in matches:
        report.examined += 1
        found = _found_for(match)
        if not found:
            continue
        step = found.pop("step")
        values = {
            (name if name.endswith("_id") or name == "outcome" else f"{name}_id"): (
                value if name.endswith("_id") or name == "outcome" else value.pk
            )
            for name, value in found.items()
        }
        changes = {name: value for name, value in values.items() if getattr(match, name) != value}
        if STEP_ORDER.get(step, 0) > STEP_ORDER.get(match.step, 0):
            changes["step"] = step
        if not changes:
            continue
        changes["linked_at"] = timezone.now()
        Match.objects.filter(pk=match.pk).update(**changes)
        report.linked += 1
        report.changed.append(match.pk)
    return report
