"""A comment refused keeps what was typed and says what is wrong; spoofing is neutralised."""

import html

import pytest
from django.urls import reverse

from quartiers40.challenges.models import Challenge, ChallengeComment
from tests.members.factories import UserFactory

from .factories import ChallengeFactory

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.fixture
def challenge():
    return ChallengeFactory()


def _comment(client, challenge, data):
    client.force_login(UserFactory())
    return client.post(reverse("challenges:comment", args=[challenge.slug]), data)


def test_a_comment_too_long_is_shown_again_with_its_length(client, challenge):
    text = "Un long témoignage. " * 210 + "Fin"  # 4,203 characters
    response = _comment(client, challenge, {"body": text})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Votre commentaire fait 4\xa0203 caractères, 4\xa0000 au plus." in page
    assert "Écrivez votre commentaire." not in page
    assert text in page
    assert not ChallengeComment.objects.exists()


def test_a_comment_with_a_nul_byte_says_so_and_keeps_the_text(client, challenge):
    response = _comment(client, challenge, {"body": "Bonjour\x00 à tous"})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Votre texte contient un caractère invisible qui n'est pas accepté (NUL)." in page
    assert "à tous" in page


def test_a_reply_too_long_is_shown_again_in_its_own_box(client, challenge):
    root = ChallengeComment.objects.create(
        challenge=challenge, author=UserFactory(), body="Bonne idée."
    )
    text = " ".join(["Réponse"] * 600)
    response = _comment(client, challenge, {"body": text, "parent": root.pk})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Votre commentaire fait" in page
    assert f">{text}</textarea>" in page
    assert '<details class="challenge-reply" open>' in page


def test_a_reply_refused_by_the_service_is_said_and_kept(client, challenge):
    root = ChallengeComment.objects.create(
        challenge=challenge, author=UserFactory(), body="Bonne idée.", hidden=True
    )
    response = _comment(client, challenge, {"body": "Je réponds quand même", "parent": root.pk})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Ce commentaire a été masqué." in page and "Je réponds quand même" in page


def test_bidirectional_overrides_are_removed_from_comments(client, challenge):
    response = _comment(client, challenge, {"body": f"Voir le fichier {RLO}fdp.exe"})
    assert response.status_code == 302
    assert ChallengeComment.objects.get().body == "Voir le fichier fdp.exe"


def test_bidirectional_overrides_are_removed_from_titles(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("challenges:create"),
        {
            "title": f"Les jeunes {RLO}ne trouvent pas de stage",
            "situation": "Les offres\u2066 sont en ligne\u2069 et ne sont pas vues.",
            "affected": "Les collégiens de 3e.",
            "solved_when": "Chaque élève a un stage.",
            "themes": ["employment"],
            "commune_name": "Sevran",
            "commune_insee": "93071",
        },
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert challenge.title == "Les jeunes ne trouvent pas de stage"
    assert challenge.situation == "Les offres sont en ligne et ne sont pas vues."
