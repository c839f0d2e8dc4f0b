import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiers40.core.models import ActionLog
from quartiers40.members.enums import OrganisationStatus, Role
from quartiers40.projects.enums import AICategory, ProjectStatus, Stage, Theme
from quartiers40.projects.models import Project, ProjectUpdate
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/projects/"


def detail_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/"


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def _json(client, method, url, data, headers=None):
    return getattr(client, method)(
        url, data=json.dumps(data), content_type="application/json", headers=headers or {}
    )


def _member_of(organisation, role=Role.MEMBER):
    return MembershipFactory(organisation=organisation, role=role).user


def _assert_error(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code


# --- List -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        ProjectStatus.DRAFT,
        ProjectStatus.SUBMITTED,
        ProjectStatus.RETURNED,
        ProjectStatus.ARCHIVED,
    ],
)
def test_list_shows_only_published_projects(client, status):
    published = PublishedProjectFactory()
    ProjectFactory(status=status)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert ids(response) == [published.pk]
    assert response.json()["count"] == 1


def test_output_fields(client, settings, make_qpv):
    settings.SITE_URL = "https://quartiers40.example"
    qpv = make_qpv(code="QN09301M", name="Franc-Moisin")
    partner = OrganisationFactory(name="Université partenaire")
    project = PublishedProjectFactory(
        title="Assistant démarches",
        ai_category=AICategory.LANGUAGE,
        stage=Stage.PILOT,
        themes=[Theme.PUBLIC_SERVICES.value, Theme.DIGITAL_INCLUSION.value],
        source_code_url="",
    )
    project.qpvs.add(qpv)
    project.partners.add(partner)

    item = client.get(detail_url(project)).json()

    assert item["id"] == project.pk
    assert item["title"] == "Assistant démarches"
    assert item["stage"] == {"code": "pilot", "label": "Expérimentation"}
    assert item["ai_category"] == {"code": "language", "label": "Langage et texte"}
    assert [theme["code"] for theme in item["themes"]] == ["public_services", "digital_inclusion"]
    assert item["beneficiaries"] == [{"code": "residents", "label": "Habitants"}]
    assert item["qpvs"] == [{"code": "QN09301M", "name": "Franc-Moisin"}]
    assert item["departments"] == ["93"]
    assert item["carrier"]["slug"] == project.carrier.slug
    # Links follow the address the request came to (here the test client's).
    assert item["carrier"]["url"].startswith("http://testserver/")
    assert [p["name"] for p in item["partners"]] == ["Université partenaire"]
    assert item["description_html"].startswith("<p>Un <strong>assistant</strong>")
    assert item["source_code_url"] is None
    assert item["status"]["code"] == "published"
    assert item["url"] == f"http://testserver/projets/{project.slug}/"
    assert "created_by" not in item
    assert "review_comments" not in item


def test_no_personal_data_in_outputs(client, bearer):
    carrier = OrganisationFactory()
    admin = UserFactory(email="porteuse.secret@exemple.fr")
    MembershipFactory(organisation=carrier, user=admin, role=Role.ADMIN)
    project = PublishedProjectFactory(carrier=carrier, created_by=admin)

    outputs = [
        client.get(LIST_URL).content.decode(),
        client.get(detail_url(project)).content.decode(),
        _json(
            client, "patch", detail_url(project), {"funding": "ANCT"}, bearer(admin)
        ).content.decode(),
        _json(
            client,
            "post",
            LIST_URL,
            {"carrier": carrier.slug, "title": "Nouveau", "summary": "Court"},
            bearer(admin),
        ).content.decode(),
    ]

    for output in outputs:
        assert "@" not in output
        assert "secret" not in output
        assert "email" not in output


# --- Filters --------------------------------------------------------------------


def test_filter_by_theme(client):
    wanted = PublishedProjectFactory(themes=[Theme.HEALTH.value, Theme.EDUCATION.value])
    PublishedProjectFactory(themes=[Theme.EMPLOYMENT.value])

    assert ids(client.get(LIST_URL, {"theme": "health"})) == [wanted.pk]


def test_filter_by_stage_and_ai_category(client):
    wanted = PublishedProjectFactory(stage=Stage.DEPLOYED, ai_category=AICategory.VISION)
    PublishedProjectFactory(stage=Stage.DEPLOYED, ai_category=AICategory.LANGUAGE)
    PublishedProjectFactory(stage=Stage.IDEA, ai_category=AICategory.VISION)

    response = client.get(LIST_URL, {"stage": "deployed", "ai_category": "vision"})

    assert ids(response) == [wanted.pk]


def test_filter_by_department_through_departments_or_qpvs(client, make_qpv):
    by_department = PublishedProjectFactory(departments=["69"])
    by_qpv = PublishedProjectFactory(departments=[])
    by_qpv.qpvs.add(make_qpv(department_code="69"))
    PublishedProjectFactory(departments=["93"])

    assert sorted(ids(client.get(LIST_URL, {"department": "69"}))) == sorted(
        [by_department.pk, by_qpv.pk]
    )


def test_filter_by_qpv(client, make_qpv):
    qpv, other = make_qpv(code="QN06901M"), make_qpv(code="QN09301M")
    wanted = PublishedProjectFactory()
    wanted.qpvs.add(qpv, other)
    PublishedProjectFactory().qpvs.add(other)

    response = client.get(LIST_URL, {"qpv": "QN06901M"})

    assert ids(response) == [wanted.pk]
    assert response.json()["count"] == 1


def test_search(client):
    wanted = PublishedProjectFactory(title="Chatbot des Courtillières")
    PublishedProjectFactory(title="Vision par ordinateur")
    ProjectFactory(title="Chatbot brouillon")

    assert ids(client.get(LIST_URL, {"q": "chatbot"})) == [wanted.pk]


@pytest.mark.parametrize(
    ("name", "value"), [("theme", "poetry"), ("stage", "x"), ("ai_category", "magic")]
)
def test_unknown_filter_value_is_a_validation_error(client, name, value):
    response = client.get(LIST_URL, {name: value})

    _assert_error(response, 422, "validation_error")
    assert name in response.json()["error"]["details"]["fields"]


def test_pagination(client):
    for _ in range(7):
        PublishedProjectFactory()

    page = client.get(LIST_URL, {"page_size": 3, "page": 3}).json()

    assert page["count"] == 7
    assert page["pages"] == 3
    assert len(page["items"]) == 1
    assert page["next"] is None


def test_list_query_count_does_not_grow_with_projects(client, make_qpv):
    qpvs = [make_qpv() for _ in range(2)]
    partner = OrganisationFactory()

    def list_queries(total: int) -> int:
        while Project.objects.published().count() < total:
            project = PublishedProjectFactory()
            project.qpvs.add(*qpvs)
            project.partners.add(partner)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL, {"page_size": 100})
        assert response.json()["count"] == total
        return len(queries)

    assert list_queries(5) == list_queries(30)
    assert list_queries(30) <= 5  # count, page, QPVs, partners, AI drafts


# --- Detail ---------------------------------------------------------------------


def test_detail(client):
    project = PublishedProjectFactory(title="Traduction en direct")

    response = client.get(detail_url(project))

    assert response.status_code == 200
    assert response.json()["title"] == "Traduction en direct"


@pytest.mark.parametrize(
    "status",
    [
        ProjectStatus.DRAFT,
        ProjectStatus.SUBMITTED,
        ProjectStatus.RETURNED,
        ProjectStatus.ARCHIVED,
    ],
)
def test_detail_of_an_unpublished_project_is_not_found(client, status):
    project = ProjectFactory(status=status)

    response = client.get(detail_url(project))
    unknown = client.get("/api/v1/projects/999999/")

    _assert_error(response, 404, "not_found")
    assert response.json() == unknown.json()


def test_exports_are_not_read_as_an_id(client):
    PublishedProjectFactory()

    for suffix in ("csv", "json", "geojson"):
        assert client.get(f"/api/v1/projects/export.{suffix}").status_code == 200


# --- Create ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [
        ("anonymous", 401),
        ("non_member", 403),
        ("member_of_another_organisation", 403),
        ("member", 201),
        ("admin", 201),
        ("coordinator", 201),
    ],
)
def test_create_permissions(client, bearer, who, expected_status):
    carrier = OrganisationFactory()
    users = {
        "non_member": lambda: UserFactory(),
        "member_of_another_organisation": lambda: _member_of(OrganisationFactory(), Role.ADMIN),
        "member": lambda: _member_of(carrier),
        "admin": lambda: _member_of(carrier, Role.ADMIN),
        "coordinator": lambda: CoordinatorFactory(),
    }
    headers = bearer(users[who]()) if who in users else {}

    response = _json(
        client,
        "post",
        LIST_URL,
        {"carrier": carrier.slug, "title": "Un nouveau projet", "summary": "En une ligne."},
        headers,
    )

    if expected_status == 201:
        assert response.status_code == 201
        project = Project.objects.get()
        assert project.status == ProjectStatus.DRAFT
        assert project.carrier == carrier
        assert response.json()["id"] == project.pk
        assert response.json()["status"]["code"] == "draft"
        assert ActionLog.objects.filter(action="project_created").exists()
    else:
        _assert_error(
            response,
            expected_status,
            "not_authenticated" if expected_status == 401 else "forbidden",
        )
        assert not Project.objects.exists()


def test_create_with_every_field(client, bearer, make_qpv):
    carrier = OrganisationFactory()
    partner = OrganisationFactory()
    qpv = make_qpv(code="QN09301M")
    user = _member_of(carrier)

    response = _json(
        client,
        "post",
        LIST_URL,
        {
            "carrier": carrier.slug,
            "title": "  Lecture assistée  ",
            "summary": "Lire les courriers administratifs.",
            "themes": ["public_services"],
            "beneficiaries": ["residents", "seniors"],
            "ai_category": "vision",
            "stage": "idea",
            "started_on": "2026-01-15",
            "departments": ["93"],
            "qpvs": ["QN09301M"],
            "partners": [partner.slug],
            "processes_personal_data": True,
        },
        bearer(user),
    )

    assert response.status_code == 201, response.json()
    project = Project.objects.get()
    assert project.title == "Lecture assistée"
    assert project.themes == ["public_services"]
    assert project.beneficiaries == ["residents", "seniors"]
    assert project.ai_category == "vision"
    assert str(project.started_on) == "2026-01-15"
    assert list(project.qpvs.all()) == [qpv]
    assert list(project.partners.all()) == [partner]
    assert project.created_by == user
    assert project.processes_personal_data is True


def test_create_with_an_unknown_carrier(client, bearer):
    response = _json(
        client,
        "post",
        LIST_URL,
        {"carrier": "n-existe-pas", "title": "T", "summary": "S"},
        bearer(UserFactory()),
    )

    _assert_error(response, 422, "validation_error")
    assert "carrier" in response.json()["error"]["details"]["fields"]


def test_create_validation_errors_are_per_field(client, bearer):
    carrier = OrganisationFactory()

    response = _json(
        client,
        "post",
        LIST_URL,
        {"carrier": carrier.slug, "title": "T", "themes": ["poetry"], "status": "published"},
        bearer(_member_of(carrier)),
    )

    _assert_error(response, 422, "validation_error")
    assert {"summary", "themes.0", "status"} <= set(response.json()["error"]["details"]["fields"])
    assert not Project.objects.exists()


def test_create_with_unknown_qpv_or_department(client, bearer):
    carrier = OrganisationFactory()
    headers = bearer(_member_of(carrier))
    base = {"carrier": carrier.slug, "title": "T", "summary": "S"}

    unknown_qpv = _json(client, "post", LIST_URL, {**base, "qpvs": ["QN99999Z"]}, headers)
    unknown_department = _json(client, "post", LIST_URL, {**base, "departments": ["999"]}, headers)

    _assert_error(unknown_qpv, 422, "validation_error")
    assert "qpvs" in unknown_qpv.json()["error"]["details"]["fields"]
    _assert_error(unknown_department, 422, "validation_error")
    assert "departments" in unknown_department.json()["error"]["details"]["fields"]
    assert not Project.objects.exists()


def test_create_for_a_candidate_organisation_of_mine(client, bearer):
    """Membership is what counts, as on the pages (`views._carriers_for`)."""
    carrier = OrganisationFactory(status=OrganisationStatus.CANDIDATE, joined_at=None)

    response = _json(
        client,
        "post",
        LIST_URL,
        {"carrier": carrier.slug, "title": "T", "summary": "S"},
        bearer(_member_of(carrier)),
    )

    assert response.status_code == 201
    assert Project.objects.get().carrier == carrier


# --- Update ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [
        ("anonymous", 401),
        ("non_member", 403),
        ("member_of_another_organisation", 403),
        ("member", 200),
        ("admin", 200),
        ("coordinator", 200),
    ],
)
def test_update_permissions(client, bearer, who, expected_status):
    project = PublishedProjectFactory(funding="Avant")
    users = {
        "non_member": lambda: UserFactory(),
        "member_of_another_organisation": lambda: _member_of(OrganisationFactory(), Role.ADMIN),
        "member": lambda: _member_of(project.carrier),
        "admin": lambda: _member_of(project.carrier, Role.ADMIN),
        "coordinator": lambda: CoordinatorFactory(),
    }
    headers = bearer(users[who]()) if who in users else {}

    response = _json(client, "patch", detail_url(project), {"funding": "Après"}, headers)

    project.refresh_from_db()
    if expected_status == 200:
        assert response.status_code == 200
        assert response.json()["funding"] == "Après"
        assert project.funding == "Après"
        # A published project records the change in its public timeline.
        assert ProjectUpdate.objects.get(project=project).changed_fields == ["funding"]
    else:
        _assert_error(
            response,
            expected_status,
            "not_authenticated" if expected_status == 401 else "forbidden",
        )
        assert project.funding == "Avant"


def test_update_of_a_draft_by_its_owner(client, bearer):
    project = ProjectFactory(title="Avant")

    response = _json(
        client,
        "patch",
        detail_url(project),
        {"title": "Après"},
        bearer(_member_of(project.carrier)),
    )

    assert response.status_code == 200
    assert response.json()["status"]["code"] == "draft"
    project.refresh_from_db()
    assert project.title == "Après"
    assert project.status == ProjectStatus.DRAFT


def test_update_of_a_draft_by_someone_else_is_not_found(client, bearer):
    project = ProjectFactory(title="Avant")

    response = _json(
        client, "patch", detail_url(project), {"title": "Après"}, bearer(UserFactory())
    )

    _assert_error(response, 404, "not_found")
    project.refresh_from_db()
    assert project.title == "Avant"


def test_update_changes_only_the_fields_sent(client, bearer, make_qpv):
    qpv = make_qpv(code="QN06901M")
    project = PublishedProjectFactory(stage=Stage.PILOT, problem="Inchangé")

    response = _json(
        client,
        "patch",
        detail_url(project),
        {"stage": "deployed", "qpvs": ["QN06901M"], "ai_category": None},
        bearer(_member_of(project.carrier)),
    )

    assert response.status_code == 200
    project.refresh_from_db()
    assert project.stage == Stage.DEPLOYED
    assert project.ai_category == ""
    assert project.problem == "Inchangé"
    assert list(project.qpvs.all()) == [qpv]


@pytest.mark.parametrize("field", ["status", "carrier", "slug", "published_at", "created_by"])
def test_update_refuses_other_fields(client, bearer, field):
    project = PublishedProjectFactory()

    response = _json(
        client, "patch", detail_url(project), {field: "x"}, bearer(_member_of(project.carrier))
    )

    _assert_error(response, 422, "validation_error")
    assert field in response.json()["error"]["details"]["fields"]


def test_update_model_validation_errors(client, bearer):
    project = PublishedProjectFactory()

    response = _json(
        client,
        "patch",
        detail_url(project),
        {"title": None, "started_on": "2026-05-01", "ended_on": "2026-01-01"},
        bearer(_member_of(project.carrier)),
    )

    _assert_error(response, 422, "validation_error")
    assert {"title", "ended_on"} <= set(response.json()["error"]["details"]["fields"])
    project.refresh_from_db()
    assert project.title


def test_update_of_an_unknown_project(client, bearer):
    response = _json(client, "patch", "/api/v1/projects/999999/", {}, bearer(CoordinatorFactory()))

    _assert_error(response, 404, "not_found")
