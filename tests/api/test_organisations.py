import json

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiers40.core.models import ActionLog
from quartiers40.members.enums import OrganisationKind, OrganisationStatus, Role
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/organisations/"


def detail_url(organisation) -> str:
    return f"/api/v1/organisations/{organisation.slug}/"


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


# --- List ---------------------------------------------------------------------


def test_list_shows_only_member_organisations(client):
    member = OrganisationFactory()
    OrganisationFactory(status=OrganisationStatus.CANDIDATE, joined_at=None)
    OrganisationFactory(status=OrganisationStatus.REFUSED, joined_at=None)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert slugs(response) == [member.slug]
    assert response.json()["count"] == 1


def test_list_is_ordered_by_name(client):
    OrganisationFactory(name="Zèbre numérique")
    OrganisationFactory(name="Atelier des Tilleuls")
    OrganisationFactory(name="Maison de quartier")

    names = [item["name"] for item in client.get(LIST_URL).json()["items"]]

    assert names == ["Atelier des Tilleuls", "Maison de quartier", "Zèbre numérique"]


def test_output_fields(client, settings, make_qpv):
    settings.SITE_URL = "https://quartiers40.example"
    qpv = make_qpv(code="QN09301M", name="Franc-Moisin")
    organisation = OrganisationFactory(
        name="Les Ateliers du Franc-Moisin",
        kind=OrganisationKind.ASSOCIATION,
        description="Nous **formons** les habitants.",
        website="https://ateliers.example",
        siret="73282932000074",
        rna="W931234567",
        commune_name="Saint-Denis",
        commune_code="93066",
        department_code="93",
    )
    organisation.qpvs.add(qpv)
    organisation.logo.save("logo.png", ContentFile(b"not really a png"), save=True)

    item = client.get(detail_url(organisation)).json()

    assert set(item) == {
        "slug",
        "name",
        "kind",
        "description",
        "description_html",
        "website",
        "siret",
        "rna",
        "commune_name",
        "commune_code",
        "department_code",
        "department_name",
        "qpvs",
        "logo_url",
        "joined_at",
        "url",
    }
    assert item["kind"] == {"code": "association", "label": "Association"}
    assert item["description"] == "Nous **formons** les habitants."
    assert item["description_html"] == "<p>Nous <strong>formons</strong> les habitants.</p>"
    assert item["department_name"] == "Seine-Saint-Denis"
    assert item["qpvs"] == [{"code": "QN09301M", "name": "Franc-Moisin"}]
    # Links follow the address the request came to (here the test client's).
    assert item["logo_url"].startswith("http://testserver/media/organisations/logos/")
    assert item["url"] == f"http://testserver{organisation.get_absolute_url()}"
    assert item["joined_at"] is not None
    assert item["siret"] == "73282932000074"
    assert item["website"] == "https://ateliers.example"


def test_empty_optional_fields_are_null(client):
    organisation = OrganisationFactory(commune_name="", department_code="")

    item = client.get(detail_url(organisation)).json()

    for field in ("website", "siret", "rna", "commune_name", "commune_code", "logo_url"):
        assert item[field] is None, field
    assert item["department_code"] is None
    assert item["department_name"] is None
    assert item["qpvs"] == []
    assert item["description"] == ""


def test_description_html_is_sanitised(client):
    organisation = OrganisationFactory(
        description='<script>alert("x")</script>[lien](javascript:alert(1)) <img src=x onerror=y>'
    )

    html = client.get(detail_url(organisation)).json()["description_html"]

    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<img" not in html


def test_no_personal_data_in_organisation_outputs(client, bearer):
    organisation = OrganisationFactory()
    admin = UserFactory(
        email="admin.secret@exemple.fr",
        phone="0601020304",
        profile_public=True,
        show_email_to_members=True,
        show_phone_to_members=True,
    )
    MembershipFactory(organisation=organisation, user=admin, role=Role.ADMIN)
    MembershipFactory(organisation=organisation, user__email="membre.secret@exemple.fr")

    outputs = [
        client.get(LIST_URL).content.decode(),
        client.get(detail_url(organisation)).content.decode(),
        client.patch(
            detail_url(organisation),
            data={"description": "Mise à jour"},
            content_type="application/json",
            headers=bearer(admin),
        ).content.decode(),
    ]

    for output in outputs:
        assert "@" not in output
        assert "secret" not in output
        assert "0601020304" not in output
        assert "phone" not in output
        assert "email" not in output


# --- Filters ------------------------------------------------------------------


def test_filter_by_kind(client):
    startup = OrganisationFactory(kind=OrganisationKind.STARTUP)
    OrganisationFactory(kind=OrganisationKind.ASSOCIATION)

    assert slugs(client.get(LIST_URL, {"kind": "startup"})) == [startup.slug]


def test_filter_by_department(client):
    in_rhone = OrganisationFactory(department_code="69")
    OrganisationFactory(department_code="93")

    assert slugs(client.get(LIST_URL, {"department": "69"})) == [in_rhone.slug]


def test_filter_by_qpv(client, make_qpv):
    qpv, other_qpv = make_qpv(code="QN06901M"), make_qpv(code="QN09301M")
    acting_there = OrganisationFactory()
    acting_there.qpvs.add(qpv, other_qpv)
    OrganisationFactory().qpvs.add(other_qpv)
    OrganisationFactory()

    response = client.get(LIST_URL, {"qpv": "QN06901M"})

    assert slugs(response) == [acting_there.slug]  # once, though it has two QPVs
    assert response.json()["count"] == 1


def test_search_by_name(client):
    wanted = OrganisationFactory(name="Fablab des Courtillières")
    OrganisationFactory(name="Association sportive")

    assert slugs(client.get(LIST_URL, {"q": "fablab"})) == [wanted.slug]


def test_filters_combine(client):
    wanted = OrganisationFactory(kind=OrganisationKind.STARTUP, department_code="69")
    OrganisationFactory(kind=OrganisationKind.STARTUP, department_code="93")
    OrganisationFactory(kind=OrganisationKind.COMPANY, department_code="69")

    assert slugs(client.get(LIST_URL, {"kind": "startup", "department": "69"})) == [wanted.slug]


def test_candidates_stay_hidden_whatever_the_filters(client):
    OrganisationFactory(
        name="Candidate", status=OrganisationStatus.CANDIDATE, kind=OrganisationKind.STARTUP
    )

    assert client.get(LIST_URL, {"q": "Candidate", "kind": "startup"}).json()["count"] == 0


def test_unknown_kind_is_a_validation_error(client):
    response = client.get(LIST_URL, {"kind": "club"})

    assert response.status_code == 422
    assert "kind" in response.json()["error"]["details"]["fields"]


# --- Pagination ---------------------------------------------------------------


def test_pagination(client):
    for number in range(25):
        OrganisationFactory(name=f"Organisation {number:02d}")

    first = client.get(LIST_URL, {"page_size": 10, "kind": "association"}).json()
    last = client.get(LIST_URL, {"page_size": 10, "page": 3}).json()

    assert first["count"] == 25
    assert first["pages"] == 3
    assert first["page"] == 1
    assert first["page_size"] == 10
    assert len(first["items"]) == 10
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/organisations/?")
    assert "page=2" in first["next"]
    assert "kind=association" in first["next"]  # filters are kept
    assert len(last["items"]) == 5
    assert last["items"][-1]["name"] == "Organisation 24"
    assert last["next"] is None
    assert "page=2" in last["previous"]


def test_following_next_visits_every_organisation_once(client):
    expected = {OrganisationFactory(name="Même nom").slug for _ in range(7)}
    seen = []
    url = f"{LIST_URL}?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [item["slug"] for item in page["items"]]
        url = page["next"]

    assert sorted(seen) == sorted(expected)


def test_default_page_size(client, settings):
    for _ in range(settings.NINJA_PAGINATION_PER_PAGE + 1):
        OrganisationFactory()

    page = client.get(LIST_URL).json()

    assert len(page["items"]) == settings.NINJA_PAGINATION_PER_PAGE
    assert page["next"] is not None


def test_page_after_the_last_is_empty(client):
    OrganisationFactory()

    page = client.get(LIST_URL, {"page": 5}).json()

    assert page["items"] == []
    assert page["count"] == 1
    assert "page=1" in page["previous"]


def test_page_size_has_a_ceiling(client, settings):
    response = client.get(LIST_URL, {"page_size": settings.NINJA_PAGINATION_MAX_PER_PAGE_SIZE + 1})

    assert response.status_code == 422
    assert "page_size" in response.json()["error"]["details"]["fields"]


def test_list_query_count_does_not_grow_with_organisations(client, make_qpv):
    qpvs = [make_qpv() for _ in range(3)]

    def list_queries(total: int) -> int:
        while OrganisationFactory._meta.model.objects.count() < total:
            OrganisationFactory().qpvs.add(*qpvs[:2])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL, {"page_size": 100})
        assert response.json()["count"] == total
        return len(queries)

    assert list_queries(5) == list_queries(30)
    assert list_queries(30) <= 3  # count, page, QPVs


# --- Detail -------------------------------------------------------------------


def test_detail(client):
    organisation = OrganisationFactory(name="Cité des savoirs")

    response = client.get(detail_url(organisation))

    assert response.status_code == 200
    assert response.json()["name"] == "Cité des savoirs"


@pytest.mark.parametrize("status", [OrganisationStatus.CANDIDATE, OrganisationStatus.REFUSED])
def test_detail_of_a_non_member_is_not_found(client, status):
    organisation = OrganisationFactory(status=status, joined_at=None)

    response = client.get(detail_url(organisation))
    unknown = client.get("/api/v1/organisations/n-existe-pas/")

    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()
    assert response.json()["error"]["code"] == "not_found"


# --- Update -------------------------------------------------------------------


def _patch(client, organisation, data, headers=None):
    return client.patch(
        detail_url(organisation),
        data=json.dumps(data),
        content_type="application/json",
        headers=headers or {},
    )


def _admin_of(organisation):
    return MembershipFactory(organisation=organisation, role=Role.ADMIN).user


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [
        ("anonymous", 401),
        ("non_member", 403),
        ("member", 403),
        ("admin_of_another_organisation", 403),
        ("admin", 200),
        ("coordinator", 200),
        ("superuser", 200),
    ],
)
def test_update_permissions(client, bearer, who, expected_status):
    organisation = OrganisationFactory(description="Avant")
    users = {
        "non_member": lambda: UserFactory(),
        "member": lambda: MembershipFactory(organisation=organisation, role=Role.MEMBER).user,
        "admin_of_another_organisation": lambda: _admin_of(OrganisationFactory()),
        "admin": lambda: _admin_of(organisation),
        "coordinator": lambda: CoordinatorFactory(),
        "superuser": lambda: UserFactory(is_superuser=True),
    }
    headers = bearer(users[who]()) if who in users else {}

    response = _patch(client, organisation, {"description": "Après"}, headers)

    assert response.status_code == expected_status
    organisation.refresh_from_db()
    if expected_status == 200:
        assert response.json()["description"] == "Après"
        assert organisation.description == "Après"
    else:
        assert set(response.json()["error"]) == {"code", "message", "details"}
        assert organisation.description == "Avant"


def test_update_changes_only_the_fields_sent(client, bearer):
    organisation = OrganisationFactory(website="https://avant.example", commune_name="Bobigny")
    admin = _admin_of(organisation)

    response = _patch(
        client,
        organisation,
        {
            "website": "https://apres.example",
            "siret": "732 829 320 00074",
            "rna": "w931234567",
            "commune_code": "93066",
            "department_code": "93",
        },
        bearer(admin),
    )

    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.website == "https://apres.example"
    assert organisation.siret == "73282932000074"
    assert organisation.rna == "W931234567"
    assert organisation.commune_code == "93066"
    assert organisation.commune_name == "Bobigny"
    assert response.json()["website"] == "https://apres.example"
    assert ActionLog.objects.filter(action="organisation_updated", actor=admin).exists()


def test_update_with_null_empties_a_field(client, bearer):
    organisation = OrganisationFactory(website="https://avant.example")

    response = _patch(client, organisation, {"website": None}, bearer(_admin_of(organisation)))

    assert response.status_code == 200
    assert response.json()["website"] is None
    organisation.refresh_from_db()
    assert organisation.website == ""


def test_update_validation_errors_are_per_field(client, bearer):
    organisation = OrganisationFactory()

    response = _patch(
        client,
        organisation,
        {"website": "pas une adresse", "siret": "12345678901234", "department_code": "999"},
        bearer(_admin_of(organisation)),
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]["fields"]) == {"website", "siret", "department_code"}
    assert error["details"]["fields"]["siret"] == [
        "Ce numéro SIRET n'est pas valide : vérifiez les chiffres."
    ]


@pytest.mark.parametrize("field", ["name", "kind", "status", "slug", "joined_at"])
def test_update_refuses_other_fields(client, bearer, field):
    organisation = OrganisationFactory()

    response = _patch(client, organisation, {field: "x"}, bearer(_admin_of(organisation)))

    assert response.status_code == 422
    assert field in response.json()["error"]["details"]["fields"]


def test_update_of_a_candidate_is_not_found(client, bearer):
    organisation = OrganisationFactory(status=OrganisationStatus.CANDIDATE, joined_at=None)

    response = _patch(client, organisation, {"description": "x"}, bearer(_admin_of(organisation)))

    assert response.status_code == 404
