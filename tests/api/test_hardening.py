"""What attacking the API showed (issue 17, items 4 and 5), kept fixed."""

import pytest
from django.test import Client
from ninja import Schema

import quartiers40.api.api  # noqa: F401 - loads every schema module
from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.members.enums import Role
from tests.api.test_errors import error_of
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import AgendaItemFactory, EditionFactory, LocalSeriesFactory
from tests.members.factories import CoordinatorFactory, MembershipFactory, OrganisationFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import GoutteDOrFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"


def _schema(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def _paginated_list_paths(schema: dict) -> list[str]:
    return [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations
        and "{" not in path  # lists under one object (its interests…) need it and a token
        and "page" in {parameter["name"] for parameter in operations["get"].get("parameters", [])}
    ]


# --- 4. No server error on out-of-range input ----------------------------------------


def test_every_paginated_list_survives_a_huge_page_number(client):
    GoutteDOrFactory()
    OrganisationFactory()
    paths = _paginated_list_paths(_schema(client))
    assert len(paths) >= 7

    for path in paths:
        response = client.get(path, {"page": HUGE})

        assert response.status_code == 200, path
        page = response.json()
        assert page["items"] == [], path
        assert page["next"] is None, path


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/projects/{HUGE}/",
        f"/api/v1/meetings/action-items/{HUGE}/",
    ],
)
def test_a_huge_identifier_in_the_path_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.fixture
def organised_edition(bearer):
    organiser = CoordinatorFactory()
    organisation = OrganisationFactory()
    MembershipFactory(user=organiser, organisation=organisation, role=Role.ADMIN)
    edition = EditionFactory(series=LocalSeriesFactory(organisation=organisation))
    return edition, bearer(organiser)


@pytest.mark.parametrize("starts_at", ["10:00:00+02:00", "10:00Z"])
def test_an_agenda_time_with_a_time_zone_is_refused_clearly(client, organised_edition, starts_at):
    edition, headers = organised_edition
    url = f"/api/v1/meetings/editions/{edition.slug}/agenda/"
    item = {"title": "Un pitch", "starts_at": starts_at}

    created = client.post(url, item, content_type="application/json", headers=headers)
    replaced = client.put(url, [item], content_type="application/json", headers=headers)

    for response in (created, replaced):
        assert response.status_code == 422
        fields = error_of(response)["details"]["fields"]
        assert "heure de Paris" in " ".join(next(iter(fields.values())))
    assert not edition.agenda_items.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("onsite_capacity", 10**20), ("online_capacity", 2**31)],
)
def test_a_huge_capacity_is_a_validation_error(client, organised_edition, field, value):
    edition, headers = organised_edition

    response = client.patch(
        f"/api/v1/meetings/editions/{edition.slug}/",
        {field: value},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 422
    assert field in error_of(response)["details"]["fields"]


@pytest.mark.parametrize("field", ["project", "id"])
def test_a_huge_identifier_in_a_body_is_a_validation_error(client, organised_edition, field):
    edition, headers = organised_edition

    response = client.post(
        f"/api/v1/meetings/editions/{edition.slug}/agenda/",
        {"title": "Un pitch", field: 10**20},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 422
    assert field in error_of(response)["details"]["fields"]


# --- 5. The OpenAPI document says what the API does -----------------------------------


def _schema_classes(base=Schema):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _schema_classes(subclass)


def test_no_two_api_schemas_share_a_name():
    """OpenAPI components are named after the class: a second class of the same name
    silently replaces the first in the document."""
    names: dict[str, str] = {}
    for cls in _schema_classes():
        if not cls.__module__.startswith("quartiers40.api."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        assert names.setdefault(cls.__name__, where) == where, (
            f"{cls.__name__}: {names[cls.__name__]} and {where}"
        )


def _component(schema: dict, reference: dict) -> dict:
    return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[-1]]


def test_the_outcome_of_a_challenge_names_its_project_as_documented(client):
    project = PublishedProjectFactory()
    challenge = ChallengeFactory(
        status=ChallengeStatus.SOLVED,
        outcome_text="Des ateliers.",
        outcome_result="Trente familles.",
        outcome_project=project,
    )
    schema = _schema(client)
    outcome = schema["components"]["schemas"]["OutcomeOut"]
    project_ref = _component(schema, outcome["properties"]["project"]["anyOf"][0])

    returned = client.get(f"/api/v1/challenges/{challenge.slug}/").json()["outcome"]["project"]

    assert set(returned) == set(project_ref["required"])
    assert returned["slug"] == project.slug


def test_an_agenda_time_is_documented_as_it_is_returned(client):
    edition = EditionFactory()
    AgendaItemFactory(edition=edition, starts_at="09:30")
    schema = _schema(client)
    documented = schema["components"]["schemas"]["AgendaItemOut"]["properties"]["starts_at"]

    returned = client.get(f"/api/v1/meetings/editions/{edition.slug}/agenda/").json()

    assert returned[0]["starts_at"] == "09:30:00"
    assert {"type": "string", "pattern": TIME_PATTERN} in documented["anyOf"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/qpv/{code}/geojson",
        "/api/v1/qpv.geojson",
        "/api/v1/projects/export.geojson",
        "/api/v1/challenges/export.geojson",
    ],
)
def test_geojson_answers_are_documented_as_geojson(client, path):
    content = _schema(client)["paths"][path]["get"]["responses"]["200"]["content"]

    assert list(content) == ["application/geo+json"]
    assert content["application/geo+json"]["schema"]


def test_every_operation_documents_its_400_answer(client):
    schema = _schema(client)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("400")
            assert answer, f"{method.upper()} {path}"
            assert answer["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }


@pytest.mark.parametrize(
    ("component", "field", "keyword", "value"),
    [
        ("ProjectCreateIn", "title", "minLength", 1),
        ("ProjectCreateIn", "summary", "minLength", 1),
        ("ChallengeCreateIn", "title", "minLength", 3),
        ("ChallengeCreateIn", "situation", "minLength", 1),
        ("ChallengeCreateIn", "affected", "minLength", 1),
        ("ChallengeCreateIn", "solved_when", "minLength", 1),
        ("CommentIn", "body", "minLength", 1),
        ("EditionCreateIn", "series", "minLength", 1),
        ("EditionCreateIn", "title", "minLength", 1),
        ("AgendaItemIn", "title", "minLength", 1),
        ("ActionItemCreateIn", "title", "minLength", 1),
        ("EditionPatchIn", "onsite_capacity", "maximum", 100_000),
        ("ProjectPatchIn", "departments", "maxItems", 101),
    ],
)
def test_business_limits_are_in_the_request_schemas(client, component, field, keyword, value):
    definition = _schema(client)["components"]["schemas"][component]["properties"][field]

    assert value in [variant.get(keyword) for variant in definition.get("anyOf", [definition])]


def test_every_text_of_a_request_schema_has_a_maximum_length(client):
    schema = _schema(client)
    missing = []
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("In"):
            continue
        for field, definition in component.get("properties", {}).items():
            variants = definition.get("anyOf", [definition])
            for variant in variants:
                bounded = {"maxLength", "enum", "const", "format", "pattern"} & set(variant)
                if variant.get("type") == "string" and not bounded:
                    missing.append(f"{name}.{field}")
    assert missing == []


# --- 5. Unknown API addresses answer in the API's format, whatever the method ---------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/nowhere/", "/api/v1/projects/-1/", "/api/v2/projects/", "/api/"],
)
def test_unknown_api_addresses_answer_json_whatever_the_method(method, path):
    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)(path, "{}", content_type="application/json")

    assert response.status_code == 404, response.content[:200]
    assert error_of(response)["code"] == "not_found"


def test_a_write_without_token_is_not_asked_for_a_csrf_token():
    organisation = OrganisationFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.patch(
        f"/api/v1/organisations/{organisation.slug}/", "{}", content_type="application/json"
    )

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


# --- No NUL character reaches the database --------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/organisations/?q=a%00b", None),
        ("get", "/api/v1/organisations/a%00b/", None),
        ("get", "/api/v1/challenges/?department=9%003", None),
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(client, method, path, body):
    response = getattr(client, method)(path)

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "bad_request"
    assert "caractère nul" in error["message"]


def test_a_nul_character_in_a_json_body_is_a_bad_request(client, organised_edition):
    edition, headers = organised_edition

    response = client.post(
        f"/api/v1/meetings/editions/{edition.slug}/agenda/",
        '{"title": "Un\\u0000 pitch"}',
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 400
    assert error_of(response)["details"] == {"where": "body"}
    assert not edition.agenda_items.exists()
