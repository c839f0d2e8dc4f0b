import random

import pytest
from django.core.management import call_command

from quartiers40.challenges import demo, exports
from quartiers40.challenges.enums import ChallengeStatus, ModerationState, OfferState
from quartiers40.challenges.models import Challenge, ChallengeComment, ChallengeOffer
from quartiers40.members import demo as members_demo
from quartiers40.members.models import User
from quartiers40.projects import demo as projects_demo
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_qpvs():
    for department in demo.DEPARTMENTS:
        for index in range(3):
            QPVFactory(
                code=f"QN0{department}{index:02d}X",
                department_code=department,
                commune_code=f"{department}1{index:02d}",
                centroid_lon=2.0 + index / 10,
                centroid_lat=48.0 + index / 10,
            )


def _load() -> dict[str, int]:
    members_demo.load(rng=random.Random(40))
    projects_demo.load(rng=random.Random(40))
    return demo.load(rng=random.Random(40))


def test_demo_loads_about_fifty_varied_fictional_challenges(demo_qpvs):
    counts = _load()

    challenges = Challenge.objects.all()
    assert counts["challenges"] == len(demo.NEEDS) == challenges.count()
    assert 45 <= challenges.count() <= 60
    assert {c.status for c in challenges} == set(ChallengeStatus.values)
    assert challenges.filter(moderation=ModerationState.PENDING).count() == 2
    assert all(demo.FICTIONAL_NOTE in c.situation for c in challenges)
    for challenge in challenges:
        challenge.full_clean()
    # Several départements, each défi placed on QPVs of its own.
    departments = set(challenges.values_list("qpvs__department_code", flat=True)) - {None}
    assert len(departments) >= 6
    # Posted by residents, associations, local authorities, and for residents by a mediator.
    assert challenges.filter(author__is_resident=True, organisation=None).exists()
    assert {"association", "local_authority"} <= set(
        challenges.exclude(organisation=None).values_list("organisation__kind", flat=True)
    )
    on_behalf = challenges.filter(on_behalf_of_resident=True)
    assert on_behalf.count() >= 3
    assert all(c.resident_consent_at is not None for c in on_behalf)


def test_demo_lifecycle_supports_comments_and_offers_are_consistent(demo_qpvs):
    _load()

    supports = sorted(c.supports_count for c in Challenge.objects.all())
    assert supports[0] == 0 and supports[-1] >= 15  # varied counts
    for challenge in Challenge.objects.all():
        assert challenge.supports_count == challenge.supports.count()
    assert {o.state for o in ChallengeOffer.objects.all()} >= {
        OfferState.PENDING,
        OfferState.ACCEPTED,
        OfferState.DECLINED,
    }
    for challenge in Challenge.objects.exclude(status=ChallengeStatus.OPEN).exclude(
        status=ChallengeStatus.CLOSED
    ):
        accepted = challenge.offers.get(state=OfferState.ACCEPTED)
        assert challenge.status_changes.filter(to_status=ChallengeStatus.BEING_ADDRESSED).exists()
        if challenge.status == ChallengeStatus.SOLVED:
            assert challenge.outcome_text and challenge.outcome_result
            assert challenge.outcome_project == accepted.project
    assert Challenge.objects.filter(
        status=ChallengeStatus.BEING_ADDRESSED, offers__project__isnull=False
    ).exists()
    assert Challenge.objects.filter(
        status=ChallengeStatus.SOLVED, outcome_project__isnull=False
    ).exists()
    assert all(c.closed_reason for c in Challenge.objects.filter(status=ChallengeStatus.CLOSED))
    assert ChallengeComment.objects.filter(parent__isnull=False).exists()
    assert ChallengeComment.objects.filter(hidden=True).count() == 1
    for challenge in Challenge.objects.all():
        assert challenge.created_at <= challenge.updated_at


def test_demo_is_deterministic(demo_qpvs):
    _load()
    first = list(Challenge.objects.order_by("slug").values_list("slug", "status", "supports_count"))
    Challenge.objects.all().delete()

    demo.load(rng=random.Random(40))  # the same people and projects, the same rng

    again = list(Challenge.objects.order_by("slug").values_list("slug", "status", "supports_count"))
    assert again == first


def test_demo_exports_expose_no_resident(demo_qpvs, client):
    _load()
    residents = User.objects.filter(is_resident=True)
    assert residents.count() >= 5

    for url in (
        "/api/v1/challenges/export.csv",
        "/api/v1/challenges/export.json",
        "/api/v1/challenges/export.geojson",
        "/api/v1/challenges/?page_size=100",
    ):
        body = client.get(url).content.decode("utf-8")
        assert "@" not in body, url
        for resident in residents:
            assert resident.display_name not in body, (url, resident.display_name)
        assert demo.HIDDEN_COMMENT not in body
    rows = exports.challenges_json(exports.public_challenges())
    assert len(rows) == Challenge.objects.count() - 2  # the moderation queue stays out


def test_load_demo_command_loads_challenges_once_and_resets(demo_qpvs):
    call_command("load_demo")
    count = Challenge.objects.count()
    assert count == len(demo.NEEDS)

    call_command("load_demo")
    assert Challenge.objects.count() == count

    call_command("load_demo", "--reset")
    assert Challenge.objects.count() == count
