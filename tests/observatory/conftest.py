"""A small territory where every number is known (counted by hand in the tests).

Seine-Saint-Denis (93, Île-de-France, region 11): Saint-Denis (93066) holds two QPVs,
Franc-Moisin (A) and Floréal (B). Marseille (13055, Bouches-du-Rhône, region 93) holds one,
Frais Vallon (C). Each object has a fixed date, so its quarter is known:
T3 2025 = July–September 2025, T4 2025 = October–December, T1 2026 = January–March.
"""

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from quartiers40.challenges.enums import ChallengeStatus, ModerationState
from quartiers40.challenges.models import Challenge
from quartiers40.matches.enums import MatchContext, MatchStep, SuggestionKind
from quartiers40.matches.models import Match
from quartiers40.meetings.enums import (
    ActionItemStatus,
    Attendance,
    EditionFormat,
    EditionStatus,
    RegistrationStatus,
)
from quartiers40.members.enums import OrganisationKind, OrganisationStatus
from quartiers40.opportunities.enums import InterestStatus, OpportunityKind, OpportunityStatus
from quartiers40.opportunities.models import Opportunity, OpportunityInterest, OpportunityPlaceQPV
from quartiers40.projects.enums import AICategory, ProjectStatus, Stage, Theme
from quartiers40.projects.models import Project
from quartiers40.territories.models import Commune, QPVCommune
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import (
    ActionItemFactory,
    EditionFactory,
    LocalSeriesFactory,
    RegistrationFactory,
    SeriesFactory,
)
from tests.members.factories import OrganisationFactory
from tests.opportunities.factories import InterestFactory, OpportunityFactory, PlaceFactory
from tests.projects.factories import ProjectFactory
from tests.territories.factories import QPVFactory, box


def at(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12, 0))


def _commune(code: str, name: str, department: str, region: str) -> Commune:
    return Commune.objects.create(
        code=code,
        name=name,
        department_code=department,
        region_code=region,
        search_name=name.lower(),
        search_postcodes="",
    )


def _qpv(code, name, commune, lon, lat, **fields):
    qpv = QPVFactory(
        code=code,
        name=name,
        commune_code=commune.code,
        commune_name=commune.name,
        commune_codes=[commune.code],
        commune_names=[commune.name],
        geometry=box(lon, lat, 0.005),
        **fields,
    )
    QPVCommune.objects.create(qpv=qpv, commune=commune, position=0)
    return qpv


SEINE_SAINT_DENIS = {
    "department_code": "93",
    "department_name": "Seine-Saint-Denis",
    "region_code": "11",
    "region_name": "Île-de-France",
}
BOUCHES_DU_RHONE = {
    "department_code": "13",
    "department_name": "Bouches-du-Rhône",
    "region_code": "93",
    "region_name": "Provence-Alpes-Côte d'Azur",
}


@dataclass
class Territory:
    a: object
    b: object
    c: object
    empty: object
    org1: object
    c1: object
    o1: object


def _project(carrier, *, stage, ai, qpvs, themes, published, departments=(), status=None):
    project = ProjectFactory(
        carrier=carrier,
        stage=stage,
        ai_category=ai,
        themes=list(themes),
        departments=list(departments),
        status=status or ProjectStatus.PUBLISHED,
    )
    project.qpvs.set(qpvs)
    Project.objects.filter(pk=project.pk).update(published_at=published)
    return project


def _challenge(*, status, qpvs, created, changed=None, department="", themes=(), **fields):
    challenge = ChallengeFactory(
        status=status, department=department, themes=list(themes or [Theme.EDUCATION]), **fields
    )
    challenge.qpvs.set(qpvs)
    Challenge.objects.filter(pk=challenge.pk).update(
        created_at=created, status_changed_at=changed or created
    )
    return challenge


def _opportunity(organisation, *, kind, links, published, status=OpportunityStatus.PUBLISHED):
    opportunity = OpportunityFactory(organisation=organisation, kind=kind, status=status)
    Opportunity.objects.filter(pk=opportunity.pk).update(published_at=published)
    if links:
        place = PlaceFactory(opportunity=opportunity)
        for qpv, distance in links:
            OpportunityPlaceQPV.objects.create(place=place, qpv=qpv, distance_m=distance)
    return opportunity


def _interests(opportunity, count, status, created):
    for _ in range(count):
        interest = InterestFactory(opportunity=opportunity, status=status)
        OpportunityInterest.objects.filter(pk=interest.pk).update(created_at=created)


@pytest.fixture
def territory(db) -> Territory:
    saint_denis = _commune("93066", "Saint-Denis", "93", "11")
    marseille = _commune("13055", "Marseille", "13", "93")
    a = _qpv("QN09310M", "Franc-Moisin", saint_denis, 2.360, 48.920, **SEINE_SAINT_DENIS)
    b = _qpv("QN09311M", "Floréal", saint_denis, 2.372, 48.924, **SEINE_SAINT_DENIS)
    c = _qpv("QN01305M", "Frais Vallon", marseille, 5.41, 43.32, **BOUCHES_DU_RHONE)
    # Nothing at all in this one: the coverage page lists it.
    empty = _qpv("QN09312M", "Cosmonautes", saint_denis, 2.395, 48.935, **SEINE_SAINT_DENIS)

    # Members acting there.
    org1 = OrganisationFactory(
        kind=OrganisationKind.ASSOCIATION, joined_at=at(2025, 8, 10), commune_code="93066"
    )
    org1.qpvs.set([a])
    org2 = OrganisationFactory(kind=OrganisationKind.STARTUP, joined_at=at(2025, 11, 2))
    org2.qpvs.set([a, b])
    candidate = OrganisationFactory(
        status=OrganisationStatus.CANDIDATE, joined_at=None, kind=OrganisationKind.COMPANY
    )
    candidate.qpvs.set([a])
    org4 = OrganisationFactory(
        kind=OrganisationKind.COMPANY, joined_at=at(2025, 11, 20), department_code="13"
    )
    org4.qpvs.set([c])

    # Projects.
    _project(
        org1,
        stage=Stage.PILOT,
        ai=AICategory.LANGUAGE,
        qpvs=[a],
        themes=[Theme.EMPLOYMENT],
        published=at(2025, 9, 1),
    )
    p2 = _project(
        org1,
        stage=Stage.DEPLOYED,
        ai=AICategory.VISION,
        qpvs=[a, b],
        themes=[Theme.EMPLOYMENT, Theme.EDUCATION],
        published=at(2025, 12, 1),
    )
    _project(
        org1,
        stage=Stage.PILOT,
        ai=AICategory.LANGUAGE,
        qpvs=[a],
        themes=[Theme.EMPLOYMENT],
        published=None,
        status=ProjectStatus.DRAFT,
    )
    _project(
        org1,
        stage=Stage.IDEA,
        ai="",
        qpvs=[],
        departments=["93"],
        themes=[Theme.HEALTH],
        published=at(2026, 1, 15),
    )
    p5 = _project(
        org4,
        stage=Stage.PILOT,
        ai=AICategory.LANGUAGE,
        qpvs=[c],
        themes=[Theme.EMPLOYMENT],
        published=at(2025, 12, 10),
    )

    # Défis.
    c1 = _challenge(status=ChallengeStatus.OPEN, qpvs=[a], created=at(2025, 7, 5))
    _challenge(
        status=ChallengeStatus.SOLVED, qpvs=[a], created=at(2025, 8, 1), changed=at(2025, 8, 31)
    )
    _challenge(
        status=ChallengeStatus.SOLVED,
        qpvs=[a, b],
        created=at(2025, 10, 1),
        changed=at(2025, 10, 11),
    )
    _challenge(
        status=ChallengeStatus.BEING_ADDRESSED, qpvs=[], department="93", created=at(2025, 11, 1)
    )
    _challenge(status=ChallengeStatus.CLOSED, qpvs=[c], created=at(2025, 9, 9))
    _challenge(
        status=ChallengeStatus.OPEN,
        qpvs=[a],
        created=at(2025, 7, 1),
        moderation=ModerationState.HIDDEN,
    )

    # Opportunities and the interests they received.
    o1 = _opportunity(
        org1, kind=OpportunityKind.TRAINING, links=[(a, 0), (b, 800)], published=at(2025, 9, 15)
    )
    o2 = _opportunity(org1, kind=OpportunityKind.JOB, links=[(b, 1500)], published=at(2026, 1, 10))
    _opportunity(
        org1,
        kind=OpportunityKind.TRAINING,
        links=[(a, 0)],
        published=None,
        status=OpportunityStatus.DRAFT,
    )
    _opportunity(org1, kind=OpportunityKind.WORKSHOP, links=[], published=at(2026, 2, 1))
    _interests(o1, 2, InterestStatus.NEW, at(2025, 9, 20))
    _interests(o1, 1, InterestStatus.STARTED, at(2025, 9, 20))
    _interests(o2, 6, InterestStatus.CONTACTED, at(2026, 1, 12))

    # Meetings: a local edition of org1 (Saint-Denis), a national one, a draft.
    local = EditionFactory(
        series=LocalSeriesFactory(organisation=org1),
        format=EditionFormat.ON_SITE,
        status=EditionStatus.PUBLISHED,
        starts_at=at(2025, 9, 18),
        ends_at=at(2025, 9, 18).replace(hour=14),
    )
    national = EditionFactory(
        series=SeriesFactory(),
        format=EditionFormat.HYBRID,
        status=EditionStatus.PUBLISHED,
        starts_at=at(2025, 12, 4),
        ends_at=at(2025, 12, 4).replace(hour=14),
    )
    EditionFactory(series=SeriesFactory(), status=EditionStatus.DRAFT, starts_at=at(2025, 12, 5))
    for index in range(6):
        RegistrationFactory(
            edition=local,
            attendance=Attendance.ON_SITE,
            checked_in_at=at(2025, 9, 18) if index < 4 else None,
        )
    for index in range(2):
        RegistrationFactory(
            edition=local,
            attendance=Attendance.ONLINE,
            checked_in_at=at(2025, 9, 18) if index < 1 else None,
        )
    RegistrationFactory(edition=local, status=RegistrationStatus.CANCELLED)
    for _ in range(3):
        RegistrationFactory(edition=national, attendance=Attendance.ON_SITE)
    ActionItemFactory(edition=local, owner_organisation=org1, status=ActionItemStatus.DONE)
    ActionItemFactory(
        edition=local,
        owner_organisation=org1,
        status=ActionItemStatus.OPEN,
        due_date=date(2025, 10, 1),
    )
    ActionItemFactory(
        edition=local,
        owner_organisation=org1,
        status=ActionItemStatus.IN_PROGRESS,
        due_date=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    ActionItemFactory(edition=local, owner_organisation=org1, status=ActionItemStatus.DROPPED)

    # Suggestions: two on a défi of A (one led to a contact), one on a project of C.
    for suggested, step in ((f"project:{p2.pk}", MatchStep.CONTACTED), ("project:0", "")):
        Match.objects.create(
            context=MatchContext.CHALLENGE,
            kind=SuggestionKind.PROJECT,
            subject_key=f"challenge:{c1.pk}",
            suggested_key=suggested,
            subject_challenge=c1,
            step=step,
        )
    Match.objects.create(
        context=MatchContext.PROJECT,
        kind=SuggestionKind.PILOT_SITE,
        subject_key=f"project:{p5.pk}",
        suggested_key=f"qpv:{a.code}",
        subject_project=p5,
        qpv=a,
        step=MatchStep.OPENED,
    )
    return Territory(a=a, b=b, c=c, empty=empty, org1=org1, c1=c1, o1=o1)
