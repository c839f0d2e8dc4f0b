import pytest
from django.core.checks import run_checks

from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/organisations/"


@pytest.fixture
def small_budgets(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "api_anonymous": (2, 60),
        "api_token": (3, 60),
    }


def test_anonymous_calls_share_the_budget_of_their_address(client, small_budgets):
    here = [client.get(LIST_URL, REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)]
    elsewhere = client.get(LIST_URL, REMOTE_ADDR="192.0.2.2").status_code

    assert here == [200, 200, 429]
    assert elsewhere == 200


def test_token_calls_spend_their_owner_budget(client, bearer, small_budgets):
    headers, other_headers = bearer(UserFactory()), bearer(UserFactory())

    mine = [client.get("/api/v1/me/", headers=headers).status_code for _ in range(4)]
    theirs = client.get("/api/v1/me/", headers=other_headers).status_code

    assert mine == [200, 200, 200, 429]
    assert theirs == 200


def test_rate_limits_can_be_switched_off(client, small_budgets, settings):
    settings.RATE_LIMITS_ENABLED = False

    assert {client.get(LIST_URL).status_code for _ in range(5)} == {200}


def test_a_missing_budget_is_reported_by_the_system_checks(settings):
    settings.RATE_LIMITS = {
        scope: limit for scope, limit in settings.RATE_LIMITS.items() if scope != "api_token"
    }

    warnings = [message for message in run_checks() if message.id == "api.W001"]

    assert len(warnings) == 1
    assert "api_token" in warnings[0].msg


def test_no_warning_when_budgets_are_set(small_budgets):
    assert not [message for message in run_checks() if message.id == "api.W001"]
