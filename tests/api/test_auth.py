import pytest
from django.utils import timezone

from quartiers40.members import services
from quartiers40.members.enums import OrganisationStatus, Role
from quartiers40.members.models import ApiToken
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/me/"


def test_without_a_token(client):
    response = client.get(ME_URL)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer q40_ceci-n-est-pas-un-jeton",
        "Bearer ",
        "Bearer",
    ],
)
def test_with_an_invalid_token(client, header):
    response = client.get(ME_URL, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["error"]["code"] == "invalid_token"


def test_with_another_scheme(client):
    response = client.get(ME_URL, headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_authorization_header"


def test_with_a_revoked_token(client):
    user = UserFactory()
    token, raw = services.api_token_create(user=user, name="Script")
    services.api_token_revoke(token=token, actor=user)

    response = client.get(ME_URL, headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401


def test_token_of_a_deactivated_account(client, bearer):
    user = UserFactory()
    headers = bearer(user)
    user.is_active = False
    user.save()

    assert client.get(ME_URL, headers=headers).status_code == 401


def test_with_a_valid_token(client, bearer):
    user = UserFactory(display_name="Awa Diallo", email="awa@exemple.fr")
    member_of = OrganisationFactory(name="Atelier numérique", slug="atelier-numerique")
    candidate = OrganisationFactory(
        name="Bricolab", slug="bricolab", status=OrganisationStatus.CANDIDATE, joined_at=None
    )
    MembershipFactory(user=user, organisation=member_of, role=Role.ADMIN)
    MembershipFactory(user=user, organisation=candidate, role=Role.MEMBER)
    MembershipFactory(organisation=member_of)  # someone else

    response = client.get(ME_URL, headers=bearer(user))

    assert response.status_code == 200
    me = response.json()
    assert me["id"] == user.pk
    assert me["display_name"] == "Awa Diallo"
    assert me["email"] == "awa@exemple.fr"
    assert me["is_coordinator"] is False
    assert [
        (organisation["slug"], organisation["role"]["code"], organisation["status"]["code"])
        for organisation in me["organisations"]
    ] == [("atelier-numerique", "admin", "member"), ("bricolab", "member", "candidate")]
    assert me["organisations"][0]["role"]["label"] == "Administrateur·rice"
    assert me["organisations"][0]["url"].endswith(member_of.get_absolute_url())


def test_scheme_is_case_insensitive(client):
    user = UserFactory()
    _token, raw = services.api_token_create(user=user, name="Script")

    response = client.get(ME_URL, headers={"Authorization": f"bearer {raw}"})

    assert response.status_code == 200


def test_coordinator_sees_it(client, bearer):
    assert client.get(ME_URL, headers=bearer(CoordinatorFactory())).json()["is_coordinator"]


def test_use_is_recorded(client):
    user = UserFactory()
    token, raw = services.api_token_create(user=user, name="Script")
    before = timezone.now()

    client.get(ME_URL, headers={"Authorization": f"Bearer {raw}"})

    token.refresh_from_db()
    assert token.last_used_at >= before


def test_only_the_hash_is_stored(bearer):
    user = UserFactory()
    raw = bearer(user)["Authorization"].removeprefix("Bearer ")

    stored = ApiToken.objects.get(user=user)

    assert raw not in (stored.key_hash, stored.prefix)
    assert raw.startswith(stored.prefix)


def test_public_endpoints_need_no_token(client):
    organisation = OrganisationFactory()

    assert client.get("/api/v1/organisations/").status_code == 200
    assert client.get(f"/api/v1/organisations/{organisation.slug}/").status_code == 200


def test_a_session_is_not_enough_to_write(client):
    """The API authenticates with tokens only: a signed-in browser cannot be tricked (CSRF)."""
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    client.force_login(admin)

    response = client.patch(
        f"/api/v1/organisations/{organisation.slug}/",
        data={"description": "x"},
        content_type="application/json",
    )

    assert response.status_code == 401
