"""403, 404, 500 and a refused form get the site's layout, plain words and a way back."""

import html

import pytest
from django.test import Client

from quartiers40.core import views as core_views
from tests.members.factories import UserFactory


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"


@pytest.mark.django_db
def test_a_missing_page_says_so_in_french_with_a_way_back(client):
    response = client.get("/nulle-part/", HTTP_REFERER="http://testserver/projets/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 404
    assert "Cette page n'existe pas ou plus" in page
    assert 'href="http://testserver/projets/"' in page  # back to where the person was
    assert 'href="/"' in page and "site-header" in page and "<main" in page


@pytest.mark.django_db
def test_a_missing_page_in_english_and_never_back_to_another_site(client):
    response = client.get(
        "/nulle-part/", HTTP_ACCEPT_LANGUAGE="en", HTTP_REFERER="https://evil.example/"
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 404
    assert "This page does not exist" in page
    assert "evil.example" not in page


@pytest.mark.django_db
def test_a_forbidden_page_offers_to_sign_in(client, error_urls):
    response = client.get("/forbidden/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 403
    assert "Vous n'avez pas accès à cette page" in page
    assert "/connexion/?next=/forbidden/" in page or "next=/forbidden/" in page


@pytest.mark.django_db
def test_a_server_error_is_a_calm_page_that_needs_nothing(error_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 500
    assert "Une erreur est survenue de notre côté" in page
    assert "Ce n'est pas de votre faute" in page and 'href="/"' in page


def test_the_server_error_page_renders_without_a_database(rf):
    # No django_db mark: any database access here would fail the test.
    response = core_views.server_error(rf.get("/"))
    assert response.status_code == 500 and b"Quartiers 4.0" in response.content


@pytest.mark.django_db
def test_an_expired_form_gets_a_plain_page_not_djangos(settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/deconnexion/", {})
    page = html.unescape(response.content.decode())
    assert response.status_code == 403
    assert "Le formulaire a expiré" in page and "rechargez-la" in page
    assert "CSRF verification failed" not in page
