"""Who may do what with a défi: the permission matrix, then the pages enforcing it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from quartiers40.challenges import permissions
from quartiers40.challenges.enums import ModerationState
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
)

from .factories import ChallengeFactory, OfferFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "signed_in",
    "author",
    "mediator_author",
    "offering_member",
    "other_org_member",
    "coordination",
)


@pytest.fixture
def world():
    resident = ResidentFactory()
    association = OrganisationFactory(name="Association de médiation")
    mediator = UserFactory()
    MembershipFactory(organisation=association, user=mediator)
    helper_org = OrganisationFactory(name="Aide IA")
    helper = UserFactory()
    MembershipFactory(organisation=helper_org, user=helper)
    other_member = UserFactory()
    MembershipFactory(organisation=OrganisationFactory(), user=other_member)
    by_resident = ChallengeFactory(author=resident)
    by_mediator = ChallengeFactory(author=mediator, organisation=association)
    by_mediator.on_behalf_of_resident = True
    by_mediator.resident_consent_at = by_mediator.created_at
    by_mediator.save()
    users = {
        "anonymous": AnonymousUser(),
        "signed_in": UserFactory(),
        "author": resident,
        "mediator_author": mediator,
        "offering_member": helper,
        "other_org_member": other_member,
        "coordination": CoordinatorFactory(),
    }
    return {
        "users": users,
        "by_resident": by_resident,
        "by_mediator": by_mediator,
        "helper_org": helper_org,
        "helper": helper,
    }


def _challenge_for(world, role):
    return world["by_mediator"] if role == "mediator_author" else world["by_resident"]


MATRIX = {
    # action: the roles allowed
    "view_pending": {"author", "mediator_author", "coordination"},
    "view_hidden": {"author", "mediator_author", "coordination"},
    "edit": {"author", "mediator_author", "coordination"},
    "support": set(ROLES) - {"anonymous"},
    "comment": set(ROLES) - {"anonymous"},
    "report": set(ROLES) - {"anonymous"},
    "hide": {"coordination"},
    "merge": {"coordination"},
    "offer_help": {"mediator_author", "offering_member", "other_org_member"},
    "accept_offer": {"author", "mediator_author", "coordination"},
    "record_outcome": {"author", "mediator_author", "coordination"},
    "close": {"author", "mediator_author", "coordination"},
}


def _may(action: str, user, challenge) -> bool:
    if action in ("view_pending", "view_hidden"):
        challenge.moderation = (
            ModerationState.PENDING if action == "view_pending" else ModerationState.HIDDEN
        )
        return permissions.can_view_challenge(user, challenge)
    checks = {
        "edit": permissions.can_edit_challenge,
        "support": permissions.can_support_challenge,
        "comment": permissions.can_comment_challenge,
        "report": lambda user, _c: permissions.can_report(user),
        "hide": lambda user, _c: permissions.can_hide_challenge(user),
        "merge": lambda user, _c: permissions.can_merge_challenges(user),
        "offer_help": permissions.can_offer_help,
        "accept_offer": permissions.can_decide_offer,
        "record_outcome": permissions.can_record_outcome,
        "close": permissions.can_close_challenge,
    }
    return checks[action](user, challenge)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(world, role, action):
    challenge = _challenge_for(world, role)
    assert _may(action, world["users"][role], challenge) is (role in MATRIX[action])


def test_everybody_sees_a_visible_challenge(world):
    for user in world["users"].values():
        assert permissions.can_view_challenge(user, world["by_resident"])


def test_the_organisations_admin_decides_for_a_challenge_posted_in_its_name(world):
    admin = UserFactory()
    MembershipFactory(organisation=world["by_mediator"].organisation, user=admin, role="admin")
    assert permissions.can_decide_offer(admin, world["by_mediator"])
    assert not permissions.can_decide_offer(admin, world["by_resident"])


def test_only_the_offering_side_withdraws(world):
    offer = OfferFactory(
        challenge=world["by_resident"], organisation=world["helper_org"], author=world["helper"]
    )
    assert permissions.can_withdraw_offer(world["helper"], offer)
    assert not permissions.can_withdraw_offer(world["users"]["author"], offer)
    assert not permissions.can_withdraw_offer(world["users"]["signed_in"], offer)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("signed_in", 403),
        ("offering_member", 403),
        ("author", 200),
        ("coordination", 200),
    ],
)
@pytest.mark.parametrize("name", ["edit", "close"])
def test_the_pages_enforce_the_matrix(client, world, role, status, name):
    user = world["users"][role]
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse(f"challenges:{name}", args=[world["by_resident"].slug]))
    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), [("signed_in", 403), ("coordination", 200)])
@pytest.mark.parametrize("name", ["moderation"])
def test_the_moderation_queue_is_for_the_team(client, world, role, status, name):
    client.force_login(world["users"][role])
    assert client.get(reverse(f"challenges:{name}")).status_code == status


@pytest.mark.parametrize(("role", "status"), [("anonymous", 404), ("signed_in", 404)])
def test_a_pending_challenge_is_not_found_by_others(client, world, role, status):
    challenge = world["by_resident"]
    challenge.moderation = ModerationState.PENDING
    challenge.save()
    user = world["users"][role]
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(reverse("challenges:detail", args=[challenge.slug])).status_code == status
    client.force_login(world["users"]["author"])
    assert client.get(reverse("challenges:detail", args=[challenge.slug])).status_code == 200
