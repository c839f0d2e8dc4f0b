"""Every error of the API has one shape: {"error": {"code", "message", "details"}}."""

import logging

import pytest
from django.test import Client

from quartiers40.members import selectors
from quartiers40.members.enums import Role
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["code"], str)
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def admin_headers(organisation, bearer):
    return bearer(MembershipFactory(organisation=organisation, role=Role.ADMIN).user)


def test_400_body_is_not_json(client, organisation, admin_headers):
    response = client.patch(
        f"/api/v1/organisations/{organisation.slug}/",
        data="{pas du json",
        content_type="application/json",
        headers=admin_headers,
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "bad_request"
    assert error["message"] == "Le corps de la requête n'est pas un JSON valide."


def test_401(client):
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_403(client, organisation, bearer):
    response = client.patch(
        f"/api/v1/organisations/{organisation.slug}/",
        data={"description": "x"},
        content_type="application/json",
        headers=bearer(UserFactory()),
    )

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "forbidden"
    assert error["message"] == "Vous n'avez pas le droit de faire cette action."
    assert error["details"] is None


def test_404_unknown_organisation(client):
    response = client.get("/api/v1/organisations/inconnue/")

    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found"
    assert error["message"] == "Aucune organisation membre du collectif n'a cet identifiant."


def test_404_unknown_address(client):
    response = client.get("/api/v1/projets/")

    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found"
    assert error["details"] == {"path": "/api/v1/projets/"}


def test_404_missing_trailing_slash_gives_a_hint(client):
    response = client.get("/api/v1/organisations")

    assert response.status_code == 404
    assert error_of(response)["details"]["suggestion"] == "/api/v1/organisations/"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/v1/organisations/", ["GET"]),
        ("post", "/api/v1/organisations/", ["GET"]),
        ("put", "/api/v1/organisations/quelque-chose/", ["GET", "PATCH"]),
        ("delete", "/api/v1/me/", ["GET"]),
    ],
)
def test_405(client, method, path, allowed):
    response = getattr(client, method)(path)

    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method_not_allowed"
    assert error["details"] == {"allowed_methods": allowed}
    assert sorted(response.headers["Allow"].split(", ")) == allowed


def test_422_query_parameters(client):
    response = client.get("/api/v1/organisations/", {"page": "deux", "page_size": 0})

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["message"] == "Les données envoyées ne sont pas valides."
    assert error["details"]["fields"] == {
        "page": ["Un nombre entier est attendu."],
        "page_size": ["La valeur doit être supérieure ou égale à 1."],
    }


def test_422_body_of_the_wrong_type(client, organisation, admin_headers):
    response = client.patch(
        f"/api/v1/organisations/{organisation.slug}/",
        data=["description"],
        content_type="application/json",
        headers=admin_headers,
    )

    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_error"


def test_422_model_validation(client, organisation, admin_headers):
    response = client.patch(
        f"/api/v1/organisations/{organisation.slug}/",
        data={"website": "pas-une-url"},
        content_type="application/json",
        headers=admin_headers,
    )

    assert response.status_code == 422
    assert error_of(response)["details"]["fields"] == {"website": ["Saisissez une URL valide."]}


def test_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_anonymous": (2, 60)}

    responses = [client.get("/api/v1/organisations/") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    error = error_of(responses[-1])
    assert error["code"] == "rate_limited"
    assert 0 < error["details"]["retry_after"] <= 60
    assert int(responses[-1].headers["Retry-After"]) == error["details"]["retry_after"]


def test_500(monkeypatch, caplog):
    def broken(**filters):
        raise RuntimeError("la base est partie en vacances")

    monkeypatch.setattr(selectors, "organisation_directory", broken)
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/organisations/")

    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert error["details"] is None  # no traceback outside DEBUG
    assert "vacances" not in response.content.decode()
    assert any(
        record.exc_info and "vacances" in str(record.exc_info[1]) for record in caplog.records
    )


def test_500_is_reported_like_any_django_error(monkeypatch):
    """Error trackers (Sentry…) listen to got_request_exception: the test client does too."""

    def broken(**filters):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "organisation_directory", broken)

    with pytest.raises(RuntimeError, match="boom"):
        Client().get("/api/v1/organisations/")


def test_messages_are_in_french_by_default(client):
    response = client.get("/api/v1/me/")

    assert "Authentification requise" in response.json()["error"]["message"]
