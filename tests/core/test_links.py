"""Links point to the server people use: the request's address, else SITE_URL."""

import pytest
from django.urls import reverse

from quartiers40.core.links import absolute_url
from tests.challenges.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-assez-long-42"


@pytest.mark.django_db(transaction=True)
def test_emailed_links_use_the_address_the_request_came_to(client, mailoutbox):
    # Real commits: the e-mail is built when the sign-up commits, inside the request.
    response = client.post(
        reverse("members:sign_up"),
        {
            "display_name": "Awa",
            "email": "awa@exemple.fr",
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
            "is_resident": "on",
            "accept_terms": "on",
        },
        HTTP_HOST="localhost:8011",
    )
    assert response.status_code == 302
    link = next(line for line in mailoutbox[0].body.splitlines() if "/compte/verifier/" in line)
    assert link.strip().startswith("http://localhost:8011/compte/verifier/")
    assert "127.0.0.1:8000" not in mailoutbox[0].body


def test_api_urls_use_the_address_the_request_came_to(client):
    challenge = ChallengeFactory()
    response = client.get("/api/v1/challenges/", HTTP_HOST="127.0.0.1:8011")
    urls = [item["url"] for item in response.json()["items"]]
    assert urls == [f"http://127.0.0.1:8011{challenge.get_absolute_url()}"]


def test_outside_a_request_links_use_site_url(settings):
    settings.SITE_URL = "https://quartiers40.example"
    assert absolute_url("/projets/") == "https://quartiers40.example/projets/"
