"""A small Saint-Denis: a défi about CVs for young people in Franc-Moisin, the projects,
organisations and opportunities that could answer it, and those that must never be
suggested (a draft, a candidate organisation, a draft opportunity, hidden défis)."""

from dataclasses import dataclass

import pytest

from quartiers40.challenges.enums import ModerationState
from quartiers40.meetings.enums import PitchStatus
from quartiers40.meetings.models import PitchApplication
from quartiers40.members.enums import OrganisationKind, OrganisationStatus, Role
from quartiers40.opportunities.enums import OpportunityStatus
from quartiers40.opportunities.models import OpportunityPlaceQPV
from quartiers40.projects.enums import Theme
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import EditionFactory, LocalSeriesFactory
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory
from tests.projects.factories import ProjectFactory, PublishedProjectFactory
from tests.territories.factories import QPVFactory, box

CV_THEME = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"


def saint_denis_qpv(code: str, name: str, lon: float, lat: float, **fields):
    fields = {
        "department_code": "93",
        "department_name": "Seine-Saint-Denis",
        "commune_code": "93066",
        "commune_name": "Saint-Denis",
        "commune_codes": ["93066"],
        "commune_names": ["Saint-Denis"],
        **fields,
    }
    return QPVFactory(code=code, name=name, geometry=box(lon, lat, 0.005), **fields)


@dataclass
class World:
    franc_moisin: object
    floreal: object
    cosmonautes: object
    marseille: object
    challenge: object
    association: object
    association_member: object
    startup: object
    town_hall: object
    candidate: object
    project: object
    startup_project: object
    draft_project: object
    opportunity: object
    draft_opportunity: object
    far_opportunity: object
    pilot_challenge: object
    hidden_challenge: object
    pending_challenge: object


@pytest.fixture
def world(db) -> World:
    franc_moisin = saint_denis_qpv("QN09310M", "Franc-Moisin", 2.360, 48.920)
    floreal = saint_denis_qpv("QN09311M", "Floréal", 2.372, 48.924)  # about 1 km away
    cosmonautes = saint_denis_qpv("QN09312M", "Cosmonautes", 2.395, 48.935)
    hidden_qpv = saint_denis_qpv("QN09313M", "Quartier du défi masqué", 2.40, 48.95)
    pending_qpv = saint_denis_qpv("QN09314M", "Quartier du défi en relecture", 2.41, 48.96)
    marseille = QPVFactory(
        code="QN01305M",
        name="Frais Vallon",
        department_code="13",
        department_name="Bouches-du-Rhône",
        commune_code="13055",
        commune_name="Marseille",
        geometry=box(5.41, 43.32, 0.005),
    )

    challenge = ChallengeFactory(
        title="Les jeunes n'arrivent pas à faire un CV",
        situation="Au Franc-Moisin, beaucoup de jeunes cherchent un emploi sans CV.",
        themes=[Theme.EMPLOYMENT.value],
        commune_insee="93066",
        commune_name="Saint-Denis",
        department="93",
    )
    challenge.qpvs.add(franc_moisin)

    association = OrganisationFactory(
        name="Clic Emploi", kind=OrganisationKind.ASSOCIATION, commune_code="93066"
    )
    association.qpvs.add(franc_moisin)
    association_member = MembershipFactory(organisation=association, role=Role.ADMIN).user
    startup = OrganisationFactory(name="CV Tech", kind=OrganisationKind.STARTUP)
    town_hall = OrganisationFactory(
        name="Ville de Saint-Denis", kind=OrganisationKind.LOCAL_AUTHORITY, commune_code="93066"
    )
    candidate = OrganisationFactory(
        name="Candidate du Franc-Moisin",
        kind=OrganisationKind.STARTUP,
        status=OrganisationStatus.CANDIDATE,
    )
    candidate.qpvs.add(franc_moisin)

    project = PublishedProjectFactory(
        title="Assistant CV pour les jeunes",
        themes=[Theme.EMPLOYMENT.value],
        carrier=association,
        departments=["93"],
    )
    project.qpvs.add(franc_moisin)
    startup_project = PublishedProjectFactory(
        title="Un CV en trois questions",
        themes=[Theme.EMPLOYMENT.value, Theme.DIGITAL_INCLUSION.value],
        carrier=startup,
    )
    startup_project.qpvs.add(floreal)
    draft_project = ProjectFactory(
        title="Brouillon de CV", themes=[Theme.EMPLOYMENT.value], carrier=candidate
    )
    draft_project.qpvs.add(franc_moisin)

    opportunity = OpportunityFactory(
        title="Atelier CV du mercredi", themes=[CV_THEME], organisation=association
    )
    place = PlaceFactory(opportunity=opportunity, commune_code="93066", commune_name="Saint-Denis")
    OpportunityPlaceQPV.objects.create(place=place, qpv=franc_moisin, distance_m=0)
    draft_opportunity = OpportunityFactory(
        title="Atelier CV en brouillon",
        themes=[CV_THEME],
        organisation=association,
        status=OpportunityStatus.DRAFT,
    )
    draft_place = PlaceFactory(opportunity=draft_opportunity)
    OpportunityPlaceQPV.objects.create(place=draft_place, qpv=franc_moisin, distance_m=0)
    far_opportunity = OpportunityFactory(
        title="Atelier CV à Marseille", themes=[CV_THEME], organisation=association
    )
    PlaceFactory(opportunity=far_opportunity, commune_code="13055", commune_name="Marseille")

    pilot_challenge = ChallengeFactory(
        title="Trouver un premier emploi aux Cosmonautes", themes=[Theme.EMPLOYMENT.value]
    )
    pilot_challenge.qpvs.add(cosmonautes)
    hidden_challenge = ChallengeFactory(
        title="Défi masqué sur l'emploi",
        themes=[Theme.EMPLOYMENT.value],
        moderation=ModerationState.HIDDEN,
    )
    hidden_challenge.qpvs.add(hidden_qpv)
    pending_challenge = ChallengeFactory(
        title="Défi en relecture sur l'emploi",
        themes=[Theme.EMPLOYMENT.value],
        moderation=ModerationState.PENDING,
    )
    pending_challenge.qpvs.add(pending_qpv)
    return World(
        franc_moisin=franc_moisin,
        floreal=floreal,
        cosmonautes=cosmonautes,
        marseille=marseille,
        challenge=challenge,
        association=association,
        association_member=association_member,
        startup=startup,
        town_hall=town_hall,
        candidate=candidate,
        project=project,
        startup_project=startup_project,
        draft_project=draft_project,
        opportunity=opportunity,
        draft_opportunity=draft_opportunity,
        far_opportunity=far_opportunity,
        pilot_challenge=pilot_challenge,
        hidden_challenge=hidden_challenge,
        pending_challenge=pending_challenge,
    )


@pytest.fixture
def edition(world):
    """A Saint-Denis meeting about youth employment, with two pitches: one that fits, one
    from Marseille about culture."""
    series = LocalSeriesFactory(organisation=world.town_hall)
    edition = EditionFactory(
        series=series,
        title="Petit déj : l'emploi des jeunes",
        address="Bourse du travail, 93200 Saint-Denis",
        call_for_pitches_open=True,
    )
    organiser = MembershipFactory(organisation=world.town_hall).user
    fits = PitchApplication.objects.create(
        edition=edition,
        project=world.project,
        pitch="Notre assistant aide les jeunes à écrire leur CV.",
        speaker_name="Awa",
        submitted_by=world.association_member,
        status=PitchStatus.SUBMITTED,
    )
    other_project = PublishedProjectFactory(
        title="Musée numérique", themes=[Theme.CULTURE.value], carrier=world.startup
    )
    other_project.qpvs.add(world.marseille)
    other = PitchApplication.objects.create(
        edition=edition,
        project=other_project,
        pitch="Un musée en réalité virtuelle.",
        speaker_name="Léo",
        status=PitchStatus.SUBMITTED,
    )
    return {"edition": edition, "organiser": organiser, "fits": fits, "other": other}


@pytest.fixture
def someone(db):
    return UserFactory()
