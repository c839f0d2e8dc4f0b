"""The database away (a restart, a cut connection): a clean 503 with the site's page, not a
500; the API answers it in its JSON error format. Both ask to come back (`Retry-After`)."""

import html

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from quartiers40.core import views as core_views
from quartiers40.core.db import DATABASE_RETRY_AFTER_SECONDS
from tests.members.factories import UserFactory


def _database_away(error: type[Exception]):
    """Every query fails as it does while PostgreSQL restarts."""

    def execute(execute, sql, params, many, context):
        raise error("terminating connection due to administrator command")

    return connection.execute_wrapper(execute)


@pytest.fixture
def client_without_raise():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_while_the_database_is_away_is_a_503_in_the_sites_layout(
    client_without_raise, error
):
    with _database_away(error):
        response = client_without_raise.get("/projets/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert "Service momentanément indisponible, réessayez dans un instant" in page
    assert "site-header" in page and 'href="/"' in page and "<main" in page
    assert "Traceback" not in page and "terminating connection" not in page


@pytest.mark.django_db
def test_a_signed_in_page_while_the_database_is_away_is_a_503_too(client_without_raise):
    # The session and the user are read from the database first: that fails too.
    client_without_raise.force_login(UserFactory())
    with _database_away(OperationalError):
        response = client_without_raise.get("/compte/")
    assert response.status_code == 503
    assert "Service momentanément indisponible" in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_a_form_sent_while_the_database_is_away_is_a_503(client_without_raise):
    with _database_away(OperationalError):
        response = client_without_raise.post("/connexion/", {"username": "a@b.fr"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_any_other_server_error_stays_a_500(client_without_raise, settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = client_without_raise.get("/boom/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_api_while_the_database_is_away_answers_503_in_its_format(client_without_raise, error):
    with _database_away(error):
        response = client_without_raise.get("/api/v1/projects/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert response.json() == {
        "error": {
            "code": "service_unavailable",
            "message": "Service momentanément indisponible, réessayez dans un instant.",
            "details": {"retry_after": DATABASE_RETRY_AFTER_SECONDS},
        }
    }


@pytest.mark.django_db
def test_the_api_with_a_token_while_the_database_is_away_answers_503(client_without_raise):
    # The token is looked up before the endpoint runs: that lookup fails too.
    with _database_away(OperationalError):
        response = client_without_raise.get(
            "/api/v1/me/", headers={"Authorization": "Bearer q40_not-a-real-token"}
        )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"


def test_the_503_page_renders_without_a_database(rf):
    # No django_db mark: any database access here would fail the test.
    response = core_views.service_unavailable(rf.get("/"))
    assert response.status_code == 503 and b"Quartiers 4.0" in response.content
