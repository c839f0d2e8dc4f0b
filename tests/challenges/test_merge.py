import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from quartiers40.challenges import services
from quartiers40.challenges.models import Challenge, ChallengeSupport
from tests.members.factories import UserFactory

from .factories import ChallengeFactory, CommentFactory, OfferFactory

pytestmark = pytest.mark.django_db


def _support(challenge, *users):
    for user in users:
        services.challenge_support(challenge=challenge, user=user)


def test_merge_keeps_every_support_exactly_once(coordinator):
    keep, duplicate = ChallengeFactory(), ChallengeFactory()
    both, only_keep, only_duplicate = UserFactory(), UserFactory(), UserFactory()
    _support(keep, both, only_keep)
    _support(duplicate, both, only_duplicate)
    comment = CommentFactory(challenge=duplicate)
    offer = OfferFactory(challenge=duplicate)

    services.challenge_merge(keep=keep, duplicate=duplicate, actor=coordinator)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    supporters = list(
        ChallengeSupport.objects.filter(challenge=keep).values_list("user_id", flat=True)
    )
    assert sorted(supporters) == sorted([both.pk, only_keep.pk, only_duplicate.pk])
    assert keep.supports_count == 3
    assert duplicate.supports_count == 0
    assert not ChallengeSupport.objects.filter(challenge=duplicate).exists()
    comment.refresh_from_db()
    offer.refresh_from_db()
    assert comment.challenge == keep and offer.challenge == keep
    assert duplicate.merged_into == keep
    assert not Challenge.objects.visible().filter(pk=duplicate.pk).exists()


def test_a_merged_challenge_redirects_to_the_kept_one(client, coordinator):
    keep, duplicate = ChallengeFactory(), ChallengeFactory()
    services.challenge_merge(keep=keep, duplicate=duplicate, actor=coordinator)
    response = client.get(reverse("challenges:detail", args=[duplicate.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("challenges:detail", args=[keep.slug])


def test_earlier_merges_follow(coordinator):
    first, second, third = ChallengeFactory(), ChallengeFactory(), ChallengeFactory()
    services.challenge_merge(keep=second, duplicate=first, actor=coordinator)
    services.challenge_merge(keep=third, duplicate=second, actor=coordinator)
    first.refresh_from_db()
    assert first.merged_into == third


def test_merge_rules(coordinator):
    keep, duplicate = ChallengeFactory(), ChallengeFactory()
    with pytest.raises(PermissionDenied):
        services.challenge_merge(keep=keep, duplicate=duplicate, actor=UserFactory())
    with pytest.raises(ValidationError):
        services.challenge_merge(keep=keep, duplicate=keep, actor=coordinator)
    services.challenge_merge(keep=keep, duplicate=duplicate, actor=coordinator)
    with pytest.raises(ValidationError):
        services.challenge_merge(keep=duplicate, duplicate=keep, actor=coordinator)


def test_the_merge_form(client, coordinator):
    keep = ChallengeFactory(title="Les seniors et les rendez-vous médicaux")
    duplicate = ChallengeFactory(title="Rendez-vous médicaux des seniors")
    _support(duplicate, UserFactory())
    client.force_login(coordinator)
    url = reverse("challenges:merge", args=[duplicate.slug])
    page = client.get(url).content.decode()
    assert keep.slug in page  # suggested as similar
    response = client.post(url, {"keep": "nulle-part"})
    assert response.status_code == 400
    response = client.post(url, {"keep": f"http://testserver/defis/{keep.slug}/"})
    assert response.status_code == 302
    keep.refresh_from_db()
    assert keep.supports_count == 1
