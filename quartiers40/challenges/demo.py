"""The défis part of the fictional demo dataset (used by `manage.py load_demo`).

About fifty needs of real priority neighbourhoods (the QPVs loaded, in several
départements), posted by residents, associations, local authorities and residents' groups,
a few by a mediator on behalf of a resident. They carry supports, comments with replies,
offers of help (pending, accepted, declined); some are being addressed with a linked
project, some solved with their outcome, some closed with a reason, two wait in the
moderation queue, one comment is hidden. Every text says it is fictional.

Rows are written directly (as the other demo loaders do): the dataset has dates spread over
the past months, and loading it must not send e-mails. Deterministic for a given `rng`.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from quartiers40.core.db import unique_slug
from quartiers40.members.enums import OrganisationKind, OrganisationStatus, Role
from quartiers40.members.models import Organisation, OrganisationMembership, User
from quartiers40.plainlanguage.check import KIND_TEXT, is_easy_to_read
from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.models import Project
from quartiers40.territories.models import QPV
from quartiers40.territories.reference import department_name

from .demo_data import (  # the names tests and `load_demo` read stay here too
    BEING_ADDRESSED,
    CLOSED,
    CLOSED_REASONS,
    COMMENTS,
    DECLINE_NOTES,
    DEPARTMENTS,
    FICTIONAL_NOTE,
    HIDDEN_COMMENT,
    HIDDEN_REASON,
    NEEDS,
    ON_BEHALF,
    OUTCOMES,
    PENDING_MODERATION,
    PROPOSALS,
    REPLIES,
    RESIDENT_EMAIL,
    RESIDENT_NAMES,
    SOLVED,
)
from .enums import ChallengeStatus, ModerationState, OfferState
from .models import (
    Challenge,
    ChallengeComment,
    ChallengeOffer,
    ChallengeStatusChange,
    ChallengeSupport,
)


def _department_qpvs() -> dict[str, list[QPV]]:
    qpvs = {}
    for department in DEPARTMENTS:
        qpvs[department] = list(
            QPV.objects.current()
            .without_geometry_fields()
            .filter(department_code=department)
            .order_by("code")[:20]
        )
    return qpvs


def _admins(organisations: list[Organisation]) -> dict[int, User]:
    memberships = OrganisationMembership.objects.filter(
        organisation__in=organisations, role=Role.ADMIN
    ).select_related("user")
    admins = {}
    for membership in memberships.order_by("pk"):
        admins.setdefault(membership.organisation_id, membership.user)
    return admins


def _residents(*, now, domain: str, password: str) -> list[User]:
    """A few residents with private profiles, and the demo resident account."""
    residents = list(User.objects.filter(email=f"habitante@{domain}"))
    for index, name in enumerate(RESIDENT_NAMES):
        resident, _created = User.objects.get_or_create(
            email=RESIDENT_EMAIL.format(index=index, domain=domain),
            defaults={
                "display_name": name,
                "is_resident": True,
                "email_verified_at": now,
                "password": password,
            },
        )
        residents.append(resident)
    return residents


def _slug(title: str, place: str) -> str:
    return unique_slug(Challenge, f"{title}-{place}", fallback="defi")


def _dated(instance, at) -> None:
    """`created_at` is auto_now_add: the demo's dates are set after the insert."""
    type(instance).objects.filter(pk=instance.pk).update(created_at=at)


def _step(challenge, from_status, to_status, at, actor, note="") -> None:
    step = ChallengeStatusChange.objects.create(
        challenge=challenge, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    _dated(step, at)


@transaction.atomic
def load(*, rng: random.Random) -> dict[str, int]:
    from quartiers40.members.demo import DEMO_DOMAIN

    now = timezone.now()
    organisations = list(
        Organisation.objects.filter(status=OrganisationStatus.MEMBER).order_by("pk")
    )
    if not organisations:
        return {"challenges": 0}
    admins = _admins(organisations)
    organisations = [o for o in organisations if o.pk in admins]
    by_kind: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        by_kind.setdefault(organisation.kind, []).append(organisation)
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    mediator = User.objects.filter(email=f"association@{DEMO_DOMAIN}").first()
    mediator_organisation = (
        Organisation.objects.filter(memberships__user=mediator).order_by("pk").first()
        if mediator
        else None
    )
    password = (
        User.objects.filter(email=f"habitante@{DEMO_DOMAIN}")
        .values_list("password", flat=True)
        .first()
        or ""
    )
    residents = _residents(now=now, domain=DEMO_DOMAIN, password=password)
    people = list(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk"))
    qpvs_of = _department_qpvs()
    published_projects = {}
    for project in Project.objects.filter(status=ProjectStatus.PUBLISHED).order_by("pk"):
        published_projects.setdefault(project.carrier_id, []).append(project)
    helpers = [o for o in organisations if o.pk in published_projects] or organisations

    author_kinds = [
        OrganisationKind.ASSOCIATION,
        "resident",
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.RESIDENTS_GROUP,
        "resident",
    ]
    counts = {"challenges": 0, "supports": 0, "comments": 0, "offers": 0}
    for index, (title, situation, affected, solved_when, themes) in enumerate(NEEDS):
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        if index in ON_BEHALF and mediator_organisation and mediator_organisation.department_code:
            department = mediator_organisation.department_code  # the mediator's own area
        local_qpvs = qpvs_of.get(department, [])
        qpvs = rng.sample(local_qpvs, k=min(len(local_qpvs), rng.choice([1, 1, 1, 2])))
        place = qpvs[0] if qpvs else None
        # The national QPV copy names no commune: then say the department.
        commune_name = place.commune_name if place else ""
        commune_insee = (place.commune_code if place else "") or ""
        area = commune_name or department_name(department)

        # Who posts it.
        organisation, author, on_behalf = None, None, False
        if index in ON_BEHALF and mediator is not None:
            author, organisation, on_behalf = mediator, mediator_organisation, True
        elif index in PENDING_MODERATION:
            author = residents[(index % (len(residents) - 1)) + 1]
        else:
            kind = author_kinds[index % len(author_kinds)]
            if kind == "resident":
                author = residents[index % len(residents)]
            else:
                local = [o for o in by_kind.get(kind, []) if o.department_code == department]
                candidates = local or by_kind.get(kind) or organisations
                organisation = candidates[index % len(candidates)]
                author = admins[organisation.pk]

        created_at = now - timedelta(days=rng.randint(20, 330), hours=rng.randint(0, 23))
        if index in PENDING_MODERATION:
            created_at = now - timedelta(days=1, hours=index)
        status = ChallengeStatus.OPEN
        if index in BEING_ADDRESSED:
            status = ChallengeStatus.BEING_ADDRESSED
        elif index in SOLVED:
            status = ChallengeStatus.SOLVED
        elif index in CLOSED:
            status = ChallengeStatus.CLOSED
        where = place.name if place else commune_name
        text = f"À {where} ({area}) : {situation}\n\n{FICTIONAL_NOTE}"
        challenge = Challenge.objects.create(
            slug=_slug(title, where),
            title=title,
            situation=text,
            easy_to_read=is_easy_to_read(text, kind=KIND_TEXT),
            affected=affected,
            solved_when=solved_when,
            themes=[theme.value for theme in themes],
            commune_insee=commune_insee,
            commune_name=commune_name,
            department=place.department_code if place else department,
            author=author,
            organisation=organisation,
            on_behalf_of_resident=on_behalf,
            resident_consent_at=created_at if on_behalf else None,
            status=status,
            moderation=(
                ModerationState.PENDING if index in PENDING_MODERATION else ModerationState.VISIBLE
            ),
        )
        challenge.qpvs.set(qpvs)
        _step(challenge, "", ChallengeStatus.OPEN, created_at, author)
        counts["challenges"] += 1
        if index in PENDING_MODERATION:
            Challenge.objects.filter(pk=challenge.pk).update(
                created_at=created_at, updated_at=created_at, status_changed_at=created_at
            )
            continue

        # Supports: a few to a few dozen, from the demo people.
        supporters = rng.sample(people, k=min(len(people), rng.choice([0, 2, 3, 5, 8, 12, 21])))
        ChallengeSupport.objects.bulk_create(
            ChallengeSupport(challenge=challenge, user=person) for person in supporters
        )
        counts["supports"] += len(supporters)

        # Comments, some with a reply; one hidden advertisement.
        for position in range(rng.choice([0, 1, 2, 3])):
            comment = ChallengeComment.objects.create(
                challenge=challenge,
                author=rng.choice(people),
                body=COMMENTS[(index + position) % len(COMMENTS)],
            )
            commented_at = created_at + timedelta(days=position + 1, hours=rng.randint(1, 9))
            _dated(comment, commented_at)
            counts["comments"] += 1
            if rng.random() < 0.4:
                reply = ChallengeComment.objects.create(
                    challenge=challenge,
                    author=rng.choice(people),
                    parent=comment,
                    body=REPLIES[(index + position) % len(REPLIES)],
                )
                _dated(reply, commented_at + timedelta(hours=5))
                counts["comments"] += 1
        if index == 3:
            hidden = ChallengeComment.objects.create(
                challenge=challenge,
                author=residents[-1],
                body=HIDDEN_COMMENT,
                hidden=True,
                hidden_reason=HIDDEN_REASON,
            )
            _dated(hidden, created_at + timedelta(days=2))
            counts["comments"] += 1

        # Offers of help, and the lifecycle.
        decided_at = created_at + timedelta(days=rng.randint(5, 15))
        candidates = [o for o in helpers if o.pk != getattr(organisation, "pk", None)]
        # Local organisations first: the first offer (the accepted one) comes from nearby.
        local = [o for o in candidates if o.department_code == department]
        offering = rng.sample(local, k=min(len(local), 1)) if local else []
        others = [o for o in candidates if o not in offering]
        offering += rng.sample(others, k=min(len(others), 2 - len(offering)))
        accepted_project = None
        if status in (ChallengeStatus.BEING_ADDRESSED, ChallengeStatus.SOLVED) and offering:
            helper = offering[0]
            projects = published_projects.get(helper.pk, [])
            accepted_project = projects[index % len(projects)] if projects else None
            ChallengeOffer.objects.create(
                challenge=challenge,
                organisation=helper,
                author=admins[helper.pk],
                proposal=PROPOSALS[index % len(PROPOSALS)],
                state=OfferState.ACCEPTED,
                project=accepted_project,
                decided_at=decided_at,
            )
            _step(
                challenge,
                ChallengeStatus.OPEN,
                ChallengeStatus.BEING_ADDRESSED,
                decided_at,
                author,
                helper.name,
            )
            counts["offers"] += 1
            if len(offering) > 1 and rng.random() < 0.5:
                ChallengeOffer.objects.create(
                    challenge=challenge,
                    organisation=offering[1],
                    author=admins[offering[1].pk],
                    proposal=PROPOSALS[(index + 1) % len(PROPOSALS)],
                    state=OfferState.DECLINED,
                    decision_note=DECLINE_NOTES[index % len(DECLINE_NOTES)],
                    decided_at=decided_at,
                )
                counts["offers"] += 1
        elif status == ChallengeStatus.OPEN and offering and rng.random() < 0.6:
            for position, helper in enumerate(offering[: rng.choice([1, 2])]):
                declined = position == 1 and rng.random() < 0.5
                ChallengeOffer.objects.create(
                    challenge=challenge,
                    organisation=helper,
                    author=admins[helper.pk],
                    proposal=PROPOSALS[(index + position) % len(PROPOSALS)],
                    state=OfferState.DECLINED if declined else OfferState.PENDING,
                    decision_note=DECLINE_NOTES[index % len(DECLINE_NOTES)] if declined else "",
                    decided_at=decided_at if declined else None,
                )
                counts["offers"] += 1

        ChallengeOffer.objects.filter(challenge=challenge).update(
            created_at=created_at + timedelta(days=3)
        )
        changed_at = created_at
        fields = {}
        if status in (ChallengeStatus.BEING_ADDRESSED, ChallengeStatus.SOLVED):
            changed_at = decided_at
        if status == ChallengeStatus.SOLVED:
            changed_at = min(decided_at + timedelta(days=rng.randint(30, 120)), now)
            text, result = OUTCOMES[index % len(OUTCOMES)]
            fields.update(
                outcome_text=f"{text}\n\n{FICTIONAL_NOTE}",
                outcome_result=result,
                outcome_project=accepted_project,
            )
            _step(
                challenge,
                ChallengeStatus.BEING_ADDRESSED,
                ChallengeStatus.SOLVED,
                changed_at,
                author,
                result,
            )
        if status == ChallengeStatus.CLOSED:
            changed_at = min(created_at + timedelta(days=rng.randint(40, 150)), now)
            reason = CLOSED_REASONS[index % len(CLOSED_REASONS)]
            fields["closed_reason"] = reason
            _step(
                challenge,
                ChallengeStatus.OPEN,
                ChallengeStatus.CLOSED,
                changed_at,
                coordinator or author,
                reason,
            )
        Challenge.objects.filter(pk=challenge.pk).update(
            created_at=created_at,
            updated_at=changed_at,
            status_changed_at=changed_at,
            supports_count=len(supporters),
            **fields,
        )
    return counts


def reset() -> None:
    """Remove every défi (used by `load_demo --reset`, after the meetings)."""
    Challenge.objects.all().delete()
