"""The permission matrix: who may do what with an edition."""

import pytest
from django.contrib.auth.models import AnonymousUser

from quartiers40.meetings import permissions, services
from quartiers40.meetings.enums import RegistrationStatus
from tests.members.factories import CoordinatorFactory, MembershipFactory, UserFactory

from .factories import ActionItemFactory, HybridEditionFactory, LocalSeriesFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "signed_in",
    "registrant",
    "organiser",
    "action_owner",
    "series_member",
    "coordination",
)

# role -> the capabilities it has (everything else is refused).
EXPECTED = {
    "anonymous": set(),
    "signed_in": set(),
    "registrant": {"see_online_link"},
    "organiser": {
        "see_online_link",
        "see_registrants",
        "export",
        "check_in",
        "edit_agenda",
        "publish_minutes",
        "update_action_item",
    },
    "action_owner": {"update_action_item"},
    "series_member": {
        "see_online_link",
        "see_registrants",
        "export",
        "check_in",
        "edit_agenda",
        "publish_minutes",
        "update_action_item",
    },
    "coordination": {
        "see_online_link",
        "see_registrants",
        "export",
        "check_in",
        "edit_agenda",
        "publish_minutes",
        "update_action_item",
        "approve_series",
    },
}


@pytest.fixture
def world():
    series = LocalSeriesFactory()
    edition = HybridEditionFactory(series=series, online_capacity=10)
    item = ActionItemFactory(edition=edition)
    registrant = UserFactory()
    services.registration_create(edition=edition, actor=registrant, attendance="online")
    organiser = UserFactory()
    edition.organisers.add(organiser)
    people = {
        "anonymous": AnonymousUser(),
        "signed_in": UserFactory(),
        "registrant": registrant,
        "organiser": organiser,
        "action_owner": MembershipFactory(organisation=item.owner_organisation).user,
        "series_member": MembershipFactory(organisation=series.organisation).user,
        "coordination": CoordinatorFactory(),
    }
    return edition, item, people


def capabilities(user, edition, item) -> set[str]:
    checks = {
        "see_online_link": permissions.can_see_online_link(user, edition),
        "see_registrants": permissions.can_see_registrants(user, edition),
        "export": permissions.can_export_registrants(user, edition),
        "check_in": permissions.can_check_in(user, edition),
        "edit_agenda": permissions.can_edit_agenda(user, edition),
        "publish_minutes": permissions.can_publish_minutes(user, edition),
        "update_action_item": permissions.can_update_action_item(user, item),
        "approve_series": permissions.can_approve_series(user),
    }
    return {name for name, allowed in checks.items() if allowed}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    edition, item, people = world
    assert capabilities(people[role], edition, item) == EXPECTED[role]


@pytest.mark.parametrize(
    ("role", "url_name", "allowed"),
    [
        (role, url_name, capability in EXPECTED[role])
        for role in ROLES
        if role != "anonymous"
        for url_name, capability in (
            ("registrants", "see_registrants"),
            ("registrants_csv", "export"),
            ("checkin", "check_in"),
            ("agenda_builder", "edit_agenda"),
            ("minutes_edit", "publish_minutes"),
        )
    ],
)
def test_organiser_pages_follow_the_matrix(client, world, role, url_name, allowed):
    from django.urls import reverse

    edition, _item, people = world
    client.force_login(people[role])
    response = client.get(reverse(f"meetings:{url_name}", args=[edition.slug]))
    assert response.status_code == (200 if allowed else 403)


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    from django.urls import reverse

    edition, _item, _people = world
    response = client.get(reverse("meetings:registrants", args=[edition.slug]))
    assert (response.status_code == 302 and "/connexion" in response.url) or "login" in response.url


def test_a_waiting_registrant_does_not_see_the_online_link(world):
    edition, _item, _people = world
    edition.online_capacity = 1
    edition.save()
    waiting = UserFactory()
    registration = services.registration_create(edition=edition, actor=waiting, attendance="online")
    assert registration.status == RegistrationStatus.WAITING
    assert not permissions.can_see_online_link(waiting, edition)


def test_the_link_holder_of_a_confirmed_registration_sees_the_online_link(world):
    edition, _item, _people = world
    registration = edition.registrations.get()
    assert permissions.can_see_online_link(AnonymousUser(), edition, registration)
