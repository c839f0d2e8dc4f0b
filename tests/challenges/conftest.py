import pytest

from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
)

from .factories import ChallengeFactory


@pytest.fixture
def resident(db):
    return ResidentFactory(display_name="Awa Diallo")


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(display_name="Équipe Coordination")


@pytest.fixture
def association(db):
    return OrganisationFactory(name="Clic Solidaire")


@pytest.fixture
def mediator(association):
    """A digital mediator: a member of a member association."""
    user = UserFactory(display_name="Karim Médiateur")
    MembershipFactory(organisation=association, user=user)
    return user


@pytest.fixture
def helper_org(db):
    return OrganisationFactory(name="Data pour Tous")


@pytest.fixture
def helper(helper_org):
    """A member of an organisation that offers help."""
    user = UserFactory(display_name="Léa Aidante")
    MembershipFactory(organisation=helper_org, user=user)
    return user


@pytest.fixture
def challenge(resident):
    return ChallengeFactory(author=resident, title="Les parents perdus avec l'école en ligne")
