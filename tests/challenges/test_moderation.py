import pytest
from django.core import mail
from django.urls import reverse

from quartiers40.challenges import services
from quartiers40.challenges.enums import ModerationState
from quartiers40.challenges.models import ChallengeReport
from tests.members.factories import ResidentFactory, UserFactory

from .factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("challenges:moderation")


def test_a_new_accounts_challenge_waits_in_the_queue(
    client, coordinator, django_capture_on_commit_callbacks
):
    resident = ResidentFactory(email="nouvelle@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.challenge_post(
            actor=resident,
            commune_name="Sevran",
            title="Le wifi de la médiathèque",
            situation="Il ne marche jamais.",
            affected="Les lycéens.",
            solved_when="Il marche.",
        )
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert (
        "Le wifi de la médiathèque" not in client.get(reverse("challenges:list")).content.decode()
    )

    client.force_login(coordinator)
    page = client.get(QUEUE).content.decode()
    assert "Le wifi de la médiathèque" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("challenges:approve", args=[challenge.slug]))
    challenge.refresh_from_db()
    assert challenge.moderation == ModerationState.VISIBLE
    assert mail.outbox[-1].to == ["nouvelle@exemple.fr"]
    assert "en ligne" in mail.outbox[-1].subject


def test_hiding_needs_a_reason_and_tells_the_author(
    client, challenge, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("challenges:moderate", args=[challenge.slug])
    assert client.post(url, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Contient une adresse personnelle."})
    challenge.refresh_from_db()
    assert challenge.moderation == ModerationState.HIDDEN
    assert "Contient une adresse personnelle." in mail.outbox[-1].body
    client.logout()
    assert client.get(reverse("challenges:detail", args=[challenge.slug])).status_code == 404
    client.force_login(coordinator)
    client.post(reverse("challenges:unhide", args=[challenge.slug]))
    challenge.refresh_from_db()
    assert challenge.moderation == ModerationState.VISIBLE


def test_report_a_comment_then_hide_it(client, challenge, coordinator):
    comment = CommentFactory(challenge=challenge, body="Propos déplacés ici.")
    reporter = UserFactory()
    client.force_login(reporter)
    url = reverse("challenges:report", args=[challenge.slug])
    assert client.get(url, {"commentaire": comment.pk}).status_code == 200
    assert client.post(f"{url}?commentaire={comment.pk}", {"reason": ""}).status_code == 400
    client.post(f"{url}?commentaire={comment.pk}", {"reason": "C'est insultant."})
    report = ChallengeReport.objects.get()
    assert report.comment == comment and not report.resolved

    client.force_login(coordinator)
    page = client.get(QUEUE).content.decode()
    assert "insultant" in page
    hide = reverse("challenges:comment_moderate", args=[challenge.slug, comment.pk])
    client.post(hide, {"reason": "Insulte."})
    comment.refresh_from_db()
    report.refresh_from_db()
    assert comment.hidden and report.resolved
    client.logout()
    page = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert "Propos déplacés ici." not in page


def test_resolve_a_report_without_action(client, challenge, coordinator):
    report = services.challenge_report(challenge=challenge, reporter=UserFactory(), reason="Bof.")
    client.force_login(coordinator)
    client.post(reverse("challenges:report_resolve", args=[report.pk]))
    report.refresh_from_db()
    assert report.resolved and report.resolved_by == coordinator


def test_reports_are_rate_limited(client, challenge, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "challenge_report_account": (2, 3600)}
    client.force_login(UserFactory())
    url = reverse("challenges:report", args=[challenge.slug])
    for _ in range(2):
        assert client.post(url, {"reason": "Spam."}).status_code == 302
    assert client.post(url, {"reason": "Spam."}).status_code == 429
    assert ChallengeReport.objects.count() == 2


def test_anonymous_visitors_sign_in_to_report(client, challenge):
    response = client.get(reverse("challenges:report", args=[challenge.slug]))
    assert response.status_code == 302 and "connexion" in response["Location"]
