"""Shared by the provider pages' tests: people, and the form's data as a browser posts it."""

import pytest

from quartiers40.members.enums import OrganisationStatus, Role
from tests.members.factories import CoordinatorFactory, MembershipFactory, OrganisationFactory

THEME = "trouver-un-emploi--repondre-a-des-offres-demploi"


@pytest.fixture(autouse=True)
def _no_geocoder(settings):
    """No test reaches the real Géoplateforme; the geocoding test serves its own."""
    settings.GEOCODER_ENABLED = False


def member(status=OrganisationStatus.MEMBER, role=Role.ADMIN):
    membership = MembershipFactory(organisation=OrganisationFactory(status=status), role=role)
    return membership.user, membership.organisation


def coordinator():
    return CoordinatorFactory()


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(organisation=None, places=None, sessions=None, **overrides) -> dict:
    """A complete form for a workshop in one place, as the browser sends it."""
    data = {
        "kind": "workshop",
        "title": "Atelier CV",
        "summary": "Faire son CV avec une personne qui aide.",
        "description": "Chaque mardi, un atelier pour écrire son CV.",
        "themes": [THEME],
        "cost": "free",
        "how_to_go": ["come"],
        "level_required": "0",
        "qpv_priority": "",
    }
    if organisation is not None:
        data["organisation"] = str(organisation.pk)
    places = (
        [
            {
                "name": "Centre social",
                "address": "20 rue de la Goutte d'Or",
                "postcode": "75018",
                "commune_name": "Paris",
            }
        ]
        if places is None
        else places
    )
    sessions = sessions or []
    rows = max(len(places), 3)
    data.update(management("lieux", rows))
    for index, place in enumerate(places):
        for name, value in place.items():
            data[f"lieux-{index}-{name}"] = value
    data.update(management("sessions", max(len(sessions), 2)))
    for index, session in enumerate(sessions):
        for name, value in session.items():
            data[f"sessions-{index}-{name}"] = value
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
