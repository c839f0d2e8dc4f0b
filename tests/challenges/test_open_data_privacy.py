"""A défi posted on behalf of a resident never exposes that resident, nor any resident's
personal data: not in the CSV, JSON or GeoJSON exports, not in the API's list or detail."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from quartiers40.challenges import services
from quartiers40.members import services as members_services
from quartiers40.members.enums import Role
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
)
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

EXPORTS = (
    "/api/v1/challenges/export.csv",
    "/api/v1/challenges/export.json",
    "/api/v1/challenges/export.geojson",
)
FIELDS = {
    "situation": "Les courriers arrivent et personne ne les comprend.",
    "affected": "Les allocataires.",
    "solved_when": "Chacun comprend ses courriers.",
}


def _old(**fields):
    fields.setdefault("date_joined", timezone.now() - timedelta(days=90))
    return fields


@pytest.fixture
def world():
    """Défis posted for residents (by a mediator with or without an organisation), by a
    resident directly, and residents supporting and commenting everywhere."""
    qpv = QPVFactory(code="QN09301M", name="Franc-Moisin", centroid_lon=2.3, centroid_lat=48.9)
    association = OrganisationFactory(name="Clic Solidaire")
    mediator = UserFactory(
        **_old(
            display_name="Karim Médiateur-Secret",
            email="karim.mediateur@secret.example",
            phone="0601020304",
            profile_public=True,
            show_email_to_members=True,
        )
    )
    MembershipFactory(organisation=association, user=mediator, role=Role.ADMIN)
    coordinator = CoordinatorFactory(
        **_old(display_name="Camille Coordination-Secrète", email="camille@secret.example")
    )
    resident = ResidentFactory(
        **_old(
            display_name="Fatou Habitante-Secrète",
            email="fatou.habitante@secret.example",
            phone="0709080706",
        )
    )
    neighbour = ResidentFactory(
        **_old(display_name="Moussa Voisin-Secret", email="moussa@secret.example")
    )
    for_resident = services.challenge_post(
        actor=mediator,
        organisation=association,
        on_behalf_of_resident=True,
        resident_consent=True,
        qpvs=[qpv],
        title="Comprendre les courriers de la CAF",
        **FIELDS,
    )
    for_resident_without_organisation = services.challenge_post(
        actor=mediator,
        on_behalf_of_resident=True,
        resident_consent=True,
        qpvs=[qpv],
        title="Prendre rendez-vous en préfecture",
        **FIELDS,
    )
    by_team_for_resident = services.challenge_post(
        actor=coordinator,
        on_behalf_of_resident=True,
        resident_consent=True,
        commune_name="Sevran",
        title="Un médecin pour le quartier",
        **FIELDS,
    )
    by_resident = services.challenge_post(
        actor=resident, qpvs=[qpv], title="Du wifi dans les halls", **FIELDS
    )
    challenges = [for_resident, for_resident_without_organisation, by_team_for_resident]
    challenges.append(by_resident)
    for challenge in challenges:
        services.challenge_support(challenge=challenge, user=neighbour)
        services.challenge_support(challenge=challenge, user=resident)
        comment = services.challenge_comment_add(
            challenge=challenge, author=neighbour, body="Chez nous aussi."
        )
        services.challenge_comment_add(
            challenge=challenge, author=resident, body="Merci.", parent=comment
        )
    return {
        "secrets": [mediator, coordinator, resident, neighbour],
        "for_resident": for_resident,
        "for_resident_without_organisation": for_resident_without_organisation,
        "by_team_for_resident": by_team_for_resident,
        "by_resident": by_resident,
    }


def _assert_no_personal_data(body: str, people, where: str) -> None:
    assert "@" not in body, where
    assert "secret" not in body.lower(), where
    assert "email" not in body, where
    assert "phone" not in body, where
    for person in people:
        assert person.display_name not in body, where
        assert person.email not in body, where
        assert person.phone not in body or not person.phone, where
        assert f'"author_id":{person.pk}' not in body.replace(" ", ""), where


def test_exports_never_expose_a_resident_or_the_mediator(client, world):
    for url in EXPORTS:
        body = client.get(url).content.decode("utf-8")
        _assert_no_personal_data(body, world["secrets"], url)


def test_exports_say_who_posted_for_a_resident_without_naming_anyone(client, world):
    rows = {row["id"]: row for row in client.get(EXPORTS[1]).json()}

    assert rows[world["for_resident"].public_id]["author"] == "Clic Solidaire, pour un·e habitant·e"
    assert rows[world["for_resident"].public_id]["on_behalf_of_resident"] is True
    for key in ("for_resident_without_organisation", "by_team_for_resident"):
        assert rows[world[key].public_id]["author"] == "Un·e médiateur·rice, pour un·e habitant·e"
    assert rows[world["by_resident"].public_id]["author"] == "Un·e habitant·e"
    features = client.get(EXPORTS[2]).json()["features"]
    assert {f["properties"]["author"] for f in features} == {
        "Clic Solidaire, pour un·e habitant·e",
        "Un·e médiateur·rice, pour un·e habitant·e",
        "Un·e habitant·e",
    }


def test_the_api_list_and_detail_never_expose_a_resident_or_the_mediator(client, world):
    keys = ("for_resident", "for_resident_without_organisation", "by_team_for_resident")
    outputs = {"list": client.get("/api/v1/challenges/?page_size=100").content.decode()}
    for key in (*keys, "by_resident"):
        outputs[key] = client.get(f"/api/v1/challenges/{world[key].slug}/").content.decode()

    for where, body in outputs.items():
        _assert_no_personal_data(body, world["secrets"], where)
    detail = json.loads(outputs["by_resident"])
    assert detail["author"] == "Un·e habitant·e"
    assert {c["author"] for c in detail["comments"]} == {"Un·e habitant·e"}
    assert {r["author"] for r in detail["comments"][0]["replies"]} == {"Un·e habitant·e"}


def test_a_token_holder_reading_the_api_sees_no_more(client, world):
    """Reads are public: a token (even a coordinator's) does not reveal anyone."""
    _token, raw = members_services.api_token_create(user=CoordinatorFactory(), name="Tests")
    headers = {"Authorization": f"Bearer {raw}"}

    for url in (
        "/api/v1/challenges/",
        f"/api/v1/challenges/{world['for_resident'].slug}/",
        *EXPORTS,
    ):
        body = client.get(url, headers=headers).content.decode()
        _assert_no_personal_data(body, world["secrets"], url)


def test_the_mediator_posting_through_the_api_gets_no_resident_data_back(client, world):
    mediator = world["secrets"][0]
    _token, raw = members_services.api_token_create(user=mediator, name="Tests")

    response = client.post(
        "/api/v1/challenges/",
        data=json.dumps(
            {
                "title": "Les arnaques par SMS",
                "commune_name": "Sevran",
                "organisation": "clic-solidaire-missing",
                **FIELDS,
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 422  # an unknown organisation, nothing created

    organisation = mediator.memberships.get().organisation
    response = client.post(
        "/api/v1/challenges/",
        data=json.dumps(
            {
                "title": "Les arnaques par SMS",
                "commune_name": "Sevran",
                "organisation": organisation.slug,
                "on_behalf_of_resident": True,
                "resident_consent": True,
                **FIELDS,
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 201, response.json()
    body = response.content.decode()
    assert mediator.display_name not in body and "@" not in body
    assert response.json()["author"] == "Clic Solidaire, pour un·e habitant·e"
