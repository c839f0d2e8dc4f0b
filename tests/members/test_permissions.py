"""Who may do what, through the real pages: anonymous, resident, organisation member,
organisation admin, coordination, superuser × every action of the members domain."""

import pytest
from django.urls import reverse

from quartiers40.members.enums import OrganisationStatus, Role

from .factories import (
    CoordinatorFactory,
    MembershipFactory,
    MembershipRequestFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "resident", "member", "admin", "coordination", "superuser"]


@pytest.fixture
def world():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN)
    member = MembershipFactory(organisation=organisation, role=Role.MEMBER)
    colleague = MembershipFactory(organisation=organisation, role=Role.MEMBER)
    candidate = OrganisationFactory(status=OrganisationStatus.CANDIDATE, joined_at=None)
    pending = MembershipRequestFactory(organisation=candidate)
    resident = ResidentFactory(phone="0611223344")
    return {
        "organisation": organisation,
        "candidate": candidate,
        "pending": pending,
        "colleague": colleague,
        "private_resident": ResidentFactory(profile_public=False, phone="0699887766"),
        "users": {
            "anonymous": None,
            "resident": resident,
            "member": member.user,
            "admin": admin.user,
            "coordination": CoordinatorFactory(),
            "superuser": UserFactory(is_superuser=True, is_staff=True),
        },
    }


def _client(client, world, actor):
    user = world["users"][actor]
    if user is not None:
        client.force_login(user)
    return client


def _expect(allowed: set[str], actor: str, status: int, ok=(200, 302)) -> None:
    if actor in allowed:
        assert status in ok, f"{actor} should be allowed, got {status}"
    else:
        assert status in (302, 403, 404), f"{actor} should be refused, got {status}"
        if actor != "anonymous":
            assert status in (403, 404), f"{actor} got {status}"


EVERYONE = set(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
ORG_ADMINS = {"admin", "coordination", "superuser"}
TEAM = {"coordination", "superuser"}


@pytest.mark.parametrize("actor", ACTORS)
def test_view_member_organisation(client, world, actor):
    response = _client(client, world, actor).get(world["organisation"].get_absolute_url())
    _expect(EVERYONE, actor, response.status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_view_candidate_organisation(client, world, actor):
    response = _client(client, world, actor).get(world["candidate"].get_absolute_url())
    _expect(TEAM, actor, response.status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_organisation(client, world, actor):
    url = reverse("members:organisation_edit", args=[world["organisation"].slug])
    _expect(ORG_ADMINS, actor, _client(client, world, actor).get(url).status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_manage_people_page(client, world, actor):
    url = reverse("members:organisation_people", args=[world["organisation"].slug])
    _expect(ORG_ADMINS, actor, _client(client, world, actor).get(url).status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_invite(client, world, actor, mailoutbox):
    url = reverse("members:organisation_people", args=[world["organisation"].slug])
    response = _client(client, world, actor).post(url, {"email": "x@exemple.fr", "role": "member"})
    _expect(ORG_ADMINS, actor, response.status_code)
    assert world["organisation"].invitations.exists() == (actor in ORG_ADMINS)


@pytest.mark.parametrize("actor", ACTORS)
def test_change_role(client, world, actor):
    colleague = world["colleague"]
    url = reverse("members:membership_role", args=[world["organisation"].slug, colleague.pk])
    _client(client, world, actor).post(url, {"role": "admin"})
    colleague.refresh_from_db()
    assert (colleague.role == Role.ADMIN) == (actor in ORG_ADMINS)


@pytest.mark.parametrize("actor", ACTORS)
def test_remove_someone(client, world, actor):
    colleague = world["colleague"]
    url = reverse("members:membership_remove", args=[world["organisation"].slug, colleague.pk])
    response = _client(client, world, actor).post(url)
    removed = not type(colleague).objects.filter(pk=colleague.pk).exists()
    assert removed == (actor in ORG_ADMINS), response.status_code


@pytest.mark.parametrize("actor", ACTORS)
def test_moderation_queue(client, world, actor):
    url = reverse("members:moderation_queue")
    _expect(TEAM, actor, _client(client, world, actor).get(url).status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_accept_request(client, world, actor, mailoutbox):
    pending = world["pending"]
    url = reverse("members:moderation_decide", args=[pending.pk])
    _client(client, world, actor).post(url, {"decision": "accept", "reason": ""})
    pending.refresh_from_db()
    assert (pending.status == "accepted") == (actor in TEAM)


@pytest.mark.parametrize("actor", ACTORS)
def test_refuse_request(client, world, actor, mailoutbox):
    pending = world["pending"]
    url = reverse("members:moderation_decide", args=[pending.pk])
    _client(client, world, actor).post(url, {"decision": "refuse", "reason": "Hors sujet"})
    pending.refresh_from_db()
    assert (pending.status == "refused") == (actor in TEAM)


@pytest.mark.parametrize("actor", ACTORS)
def test_view_private_resident_profile(client, world, actor):
    person = world["private_resident"]
    url = reverse("members:profile", args=[person.pk])
    _expect(TEAM, actor, _client(client, world, actor).get(url).status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_see_a_residents_contact(client, world, actor):
    """A resident with a public profile who shares nothing: nobody but the team sees contact."""
    person = world["private_resident"]
    person.profile_public = True
    person.save()
    response = _client(client, world, actor).get(reverse("members:profile", args=[person.pk]))
    assert response.status_code == 200
    shown = person.email in response.content.decode() or "0699887766" in response.content.decode()
    assert shown == (actor in TEAM)


@pytest.mark.parametrize("actor", ACTORS)
def test_account_pages_need_an_account(client, world, actor):
    for name in ("account", "api_tokens", "account_delete", "account_data", "join"):
        response = _client(client, world, actor).get(reverse(f"members:{name}"))
        _expect(SIGNED_IN, actor, response.status_code)


def test_contact_shared_with_members_never_reaches_anonymous_visitors(client):
    person = UserFactory(
        profile_public=True, show_email_to_members=True, show_phone_to_members=True, phone="0612"
    )
    url = reverse("members:profile", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.email not in page and "0612" not in page
    client.force_login(UserFactory())
    page = client.get(url).content.decode()
    assert person.email in page and "0612" in page


def test_organisation_page_lists_only_public_profiles(client):
    organisation = OrganisationFactory()
    shown = MembershipFactory(organisation=organisation, user__profile_public=True)
    hidden = MembershipFactory(organisation=organisation, user__profile_public=False)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert shown.user.display_name in page
    assert hidden.user.display_name not in page
    assert shown.user.email not in page
