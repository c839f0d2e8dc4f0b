""" "À traiter": every queue of the coordination team on one page, counted in the header.

Issue 11, item 6: submitted projects, défis to moderate, reports, local series were reachable
only from e-mails.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartiers40.challenges.enums import ModerationState
from quartiers40.challenges.models import ChallengeOffer, ChallengeReport
from quartiers40.core.sections import COORDINATION_PAGE, sections_for
from quartiers40.meetings.enums import PitchStatus, SeriesStatus
from quartiers40.meetings.models import PitchApplication
from quartiers40.members.queues import queues_total
from quartiers40.opportunities.enums import OpportunityStatus
from quartiers40.projects.enums import ProjectStatus
from tests.challenges.factories import ChallengeFactory, OfferFactory
from tests.meetings.factories import EditionFactory, LocalSeriesFactory
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    MembershipRequestFactory,
    UserFactory,
)
from tests.opportunities.factories import OpportunityFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db
URL = "/a-traiter/"
STATIC_PAGE = "/accessibilite/"  # a page whose own content reads nothing


def _fill(n: int = 1) -> None:
    """`n` items in every queue."""
    for _index in range(n):
        MembershipRequestFactory()
        ProjectFactory(status=ProjectStatus.SUBMITTED)
        ChallengeFactory(moderation=ModerationState.PENDING)
        ChallengeReport.objects.create(
            target="challenge", challenge=ChallengeFactory(), reason="Propos blessants."
        )
        offer = OfferFactory()
        ChallengeOffer.objects.filter(pk=offer.pk).update(
            created_at=timezone.now() - timedelta(days=20)
        )
        LocalSeriesFactory(status=SeriesStatus.PENDING)
        PitchApplication.objects.create(
            edition=EditionFactory(),
            project=ProjectFactory(status=ProjectStatus.PUBLISHED),
            pitch="Un assistant de démarches.",
            speaker_name="Nadia",
            status=PitchStatus.SUBMITTED,
        )
        OpportunityFactory(status=OpportunityStatus.SUBMITTED)


def _counts(viewer) -> dict[str, int]:
    return {
        queue["key"]: queue["count"]
        for section in sections_for(COORDINATION_PAGE, viewer)
        for queue in section["queues"]
    }


def test_every_queue_is_counted():
    coordinator = CoordinatorFactory()
    assert set(_counts(coordinator).values()) == {0}
    _fill(2)
    assert _counts(coordinator) == {
        "adhesions": 2,
        "projets": 2,
        "defis": 2,
        "signalements": 2,
        "propositions": 2,
        "series": 2,
        "presentations": 2,
        "opportunites": 2,
    }


def test_what_is_no_longer_waiting_is_not_counted():
    coordinator = CoordinatorFactory()
    OfferFactory()  # a fresh offer: its défi's author has time to answer
    ProjectFactory(status=ProjectStatus.PUBLISHED)
    LocalSeriesFactory(status=SeriesStatus.APPROVED)
    ChallengeReport.objects.create(
        target="challenge", challenge=ChallengeFactory(), reason="x", resolved=True
    )
    past = EditionFactory(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=8)
    )
    PitchApplication.objects.create(
        edition=past,
        project=ProjectFactory(status=ProjectStatus.PUBLISHED),
        pitch="x",
        speaker_name="x",
    )
    assert set(_counts(coordinator).values()) == {0}


def test_the_page_lists_every_queue_with_its_count_and_links(client):
    _fill(1)
    client.force_login(CoordinatorFactory())
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "8 éléments attendent l'équipe de coordination." in page
    for link in (
        reverse("members:moderation_queue"),
        reverse("challenges:moderation"),
        reverse("challenges:moderation") + "#signalements",
        reverse("meetings:series_queue"),
    ):
        assert f'href="{link}"' in page
    for label in (
        "Demandes d&#x27;adhésion",
        "Projets à relire avant publication",
        "Défis à relire",
        "Signalements",
        "Propositions d&#x27;aide sans réponse depuis 14 jours",
        "Séries locales à valider",
        "Propositions de présentation à décider",
        "Opportunités à relire avant publication",
    ):
        assert label in page


def test_an_empty_queue_says_so(client):
    client.force_login(CoordinatorFactory())
    page = client.get(URL).content.decode()
    assert "Rien n'attend l'équipe de coordination." in page
    assert page.count("Rien à traiter.") == 8


@pytest.mark.parametrize("who", ["resident", "organisation admin", "staff without team"])
def test_only_the_team_may_open_it(client, who):
    user = UserFactory(is_resident=who == "resident", is_staff=who == "staff without team")
    if who == "organisation admin":
        MembershipFactory(user=user, role="admin")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 403
    assert "À traiter" not in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("members:login"))


def test_a_superuser_is_of_the_team(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(URL).status_code == 200


def test_the_header_shows_the_total_in_place_of_coordination(client):
    _fill(1)
    client.force_login(CoordinatorFactory())
    page = client.get("/organisations/").content.decode()
    assert f'<a href="{URL}" class="nav-queue">À traiter (8)</a>' in page
    assert ">Coordination<" not in page


def test_the_header_costs_a_fixed_number_of_queries(client):
    """One count per queue, whatever the length of the queues: the entries are not read."""
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    client.get(STATIC_PAGE)  # warm-up: sessions, content types

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(STATIC_PAGE)
        return len(captured)

    empty = queries()
    _fill(3)
    assert queries() == empty
    client.force_login(UserFactory())
    client.get(STATIC_PAGE)
    with CaptureQueriesContext(connection) as captured:
        client.get(STATIC_PAGE)
    assert empty - len(captured) == 8  # the eight counts, for the team only


def test_the_page_costs_a_fixed_number_of_queries(client):
    client.force_login(CoordinatorFactory())
    _fill(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    few = len(captured)
    _fill(4)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    assert len(captured) == few


def test_the_total_adds_every_queue():
    _fill(1)
    assert queues_total(sections_for(COORDINATION_PAGE, CoordinatorFactory())) == 8
