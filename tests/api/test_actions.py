"""The API says which actions its caller may take, from the same tables as the pages."""

import pytest

from quartiers40.members.enums import Role
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import EditionFactory, LocalSeriesFactory
from tests.members.factories import CoordinatorFactory, MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db


def _actions(client, url, headers=None):
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return response.json()["actions"]


def test_a_project_offers_archive_to_its_people_and_nothing_to_others(client, bearer):
    project = PublishedProjectFactory()
    owner = MembershipFactory(organisation=project.carrier, role=Role.MEMBER).user
    url = f"/api/v1/projects/{project.pk}/"
    assert _actions(client, url) == []
    assert _actions(client, url, bearer(UserFactory())) == []
    assert _actions(client, url, bearer(owner)) == ["archive"]
    assert _actions(client, url, {"Authorization": "Bearer q40_faux"}) == []  # still public


def test_a_challenge_offers_close_to_its_author_and_hide_to_the_coordination(client, bearer):
    challenge = ChallengeFactory()
    url = f"/api/v1/challenges/{challenge.slug}/"
    assert _actions(client, url) == []
    assert _actions(client, url, bearer(challenge.author)) == ["accept_offer", "close"]
    assert "hide" in _actions(client, url, bearer(CoordinatorFactory()))


def test_an_edition_offers_cancel_to_its_organisers(client, bearer):
    series = LocalSeriesFactory()
    edition = EditionFactory(series=series)
    admin = MembershipFactory(organisation=series.organisation, role=Role.ADMIN).user
    url = f"/api/v1/meetings/editions/{edition.slug}/"
    assert _actions(client, url) == []
    assert _actions(client, url, bearer(admin)) == ["cancel"]
