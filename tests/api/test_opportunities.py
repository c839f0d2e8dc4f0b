import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiers40.members.enums import OrganisationStatus, Role
from quartiers40.opportunities.enums import (
    Cost,
    InterestStatus,
    OpportunityKind,
    OpportunityStatus,
    Situation,
)
from quartiers40.opportunities.models import ImportedStructure, Opportunity, OpportunityPlaceQPV
from quartiers40.territories.lookup import qpv_index_invalidate
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.opportunities.factories import InterestFactory, OpportunityFactory, PlaceFactory
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/opportunities/"
HOME = (48.8850, 2.3540)


def detail_url(opportunity, tail="") -> str:
    return f"/api/v1/opportunities/{opportunity.slug}/{tail}"


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def _json(client, method, url, data, headers=None):
    return getattr(client, method)(
        url, data=json.dumps(data), content_type="application/json", headers=headers or {}
    )


def _post(client, url, headers=None):
    """A POST without a body, as `curl -X POST` sends it."""
    return client.post(url, content_type="application/json", headers=headers or {})


def _member_of(organisation, role=Role.MEMBER):
    return MembershipFactory(organisation=organisation, role=role).user


def _assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code


def _at(metres_north: float, **fields):
    opportunity = OpportunityFactory(**fields)
    PlaceFactory(
        opportunity=opportunity, latitude=HOME[0] + metres_north / 111_132, longitude=HOME[1]
    )
    return opportunity


@pytest.fixture
def provider():
    organisation = OrganisationFactory(slug="clic")
    return {"organisation": organisation, "user": _member_of(organisation)}


# --- Reads ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        OpportunityStatus.DRAFT,
        OpportunityStatus.SUBMITTED,
        OpportunityStatus.RETURNED,
        OpportunityStatus.WITHDRAWN,
        OpportunityStatus.EXPIRED,
    ],
)
def test_list_shows_only_published_items(client, status):
    published = OpportunityFactory()
    OpportunityFactory(status=status)
    assert slugs(client.get(LIST_URL)) == [published.slug]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=job", ["job"]),
        ("free=true", ["plain", "job", "young"]),
        ("age=30", ["plain", "job", "paid"]),
        ("age=18", ["plain", "job", "paid", "young"]),
        ("situation=young", ["plain", "job", "paid", "young"]),
        ("situation=senior", ["plain", "job", "paid"]),
        ("level=0", ["plain", "job", "young"]),
        ("level=4", ["plain", "job", "paid", "young"]),
        ("theme=numerique", ["plain", "paid", "young"]),
        ("theme=trouver-un-emploi--repondre-a-des-offres-demploi", ["job"]),
        ("commune=93066", ["job"]),
        ("department=93", ["job"]),
        ("qpv=QN09301M", ["plain"]),
        ("organisation=clic", ["paid"]),
        ("organisation=inconnue", []),
    ],
)
def test_filters(client, provider, query, expected):
    qpv = QPVFactory(code="QN09301M")
    plain = OpportunityFactory(slug="plain")
    OpportunityPlaceQPV.objects.create(place=PlaceFactory(opportunity=plain), qpv=qpv)
    job = OpportunityFactory(
        slug="job",
        kind=OpportunityKind.JOB,
        themes=["trouver-un-emploi--repondre-a-des-offres-demploi"],
    )
    PlaceFactory(opportunity=job, commune_code="93066")
    OpportunityFactory(
        slug="paid", cost=Cost.PAID, level_required=4, organisation=provider["organisation"]
    )
    OpportunityFactory(slug="young", age_min=16, age_max=25, situations=[Situation.YOUNG])
    assert sorted(slugs(client.get(f"{LIST_URL}?{query}"))) == sorted(expected)


@pytest.mark.parametrize(
    "query",
    [
        "kind=party",
        "age=5",
        "theme=inconnue",
        "near=abc",
        "near=48.8",
        "near=95,2",
        "radius_km=0",
        "radius_km=51",
        "commune=93",
        "level=2",
    ],
)
def test_bad_filters_are_field_errors(client, query):
    response = client.get(f"{LIST_URL}?{query}")
    _assert_error(response, 422, "validation_error")
    assert response.json()["error"]["details"]["fields"]


def test_near_orders_by_distance_with_remote_interleaved(client):
    far, near, middle = _at(8000), _at(300), _at(2000)
    _at(30_000)  # outside the radius
    remote = OpportunityFactory(is_remote=True)
    people = [_at(4000 + i) for i in range(2)]
    response = client.get(f"{LIST_URL}?near={HOME[0]},{HOME[1]}&radius_km=10")
    body = response.json()
    assert body["count"] == 6
    assert slugs(response) == [
        near.slug,
        middle.slug,
        people[0].slug,
        remote.slug,
        people[1].slug,
        far.slug,
    ]
    distances = [item["distance_m"] for item in body["items"]]
    assert distances[0] == pytest.approx(300, abs=5)
    assert distances[3] is None
    assert distances[5] == pytest.approx(8000, abs=20)


def test_near_pages_follow_the_same_order(client):
    items = [_at(100 * (i + 1), is_remote=False) for i in range(7)]
    first = client.get(f"{LIST_URL}?near={HOME[0]},{HOME[1]}&page_size=3").json()
    second = client.get(f"{LIST_URL}?near={HOME[0]},{HOME[1]}&page_size=3&page=2").json()
    assert first["count"] == 7 and first["pages"] == 3
    assert [i["slug"] for i in first["items"] + second["items"]] == [o.slug for o in items[:6]]
    assert second["next"].endswith("page=3")


def test_near_with_a_filter(client):
    free = _at(500, cost=Cost.FREE)
    _at(100, cost=Cost.PAID)
    assert slugs(client.get(f"{LIST_URL}?near={HOME[0]},{HOME[1]}&free=true")) == [free.slug]


def test_queries_do_not_grow_with_results(client):
    for i in range(3):
        _at(100 + i)
    url = f"{LIST_URL}?near={HOME[0]},{HOME[1]}"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        PlaceFactory(opportunity=_at(500 + i))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["items"]) == 18
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as plain_list:
        client.get(LIST_URL)
    for _ in range(5):
        _at(100)
    with CaptureQueriesContext(connection) as longer:
        client.get(LIST_URL)
    assert len(longer) == len(plain_list)


def test_output_fields(client, settings):
    qpv = QPVFactory(code="QN09301M", name="Franc-Moisin")
    opportunity = OpportunityFactory(
        situations=[Situation.YOUNG], contact_email="secret@exemple.fr", contact_phone="0611"
    )
    place = PlaceFactory(opportunity=opportunity)
    OpportunityPlaceQPV.objects.create(place=place, qpv=qpv, distance_m=120)
    item = client.get(detail_url(opportunity)).json()
    assert item["kind"] == {"code": "training", "label": "Formation"}
    assert item["provider"]["kind"] == "organisation"
    assert item["provider"]["url"].startswith("http://testserver/organisations/")
    assert item["places"][0]["qpvs"] == [
        {"code": "QN09301M", "name": "Franc-Moisin", "distance_m": 120}
    ]
    assert item["situations"] == [{"code": "young", "label": "J'ai entre 16 et 25 ans"}]
    assert item["level_required"]["code"] == "0"
    assert item["url"] == f"http://testserver/opportunites/{opportunity.slug}/"
    assert item["actions"] == []
    assert item["phone"] is None
    for hidden in ("contact_email", "contact_phone", "review_comments", "created_by"):
        assert hidden not in item


def test_detail_of_a_hidden_item_is_404_even_for_its_provider(client, provider, bearer):
    draft = OpportunityFactory(
        status=OpportunityStatus.DRAFT, organisation=provider["organisation"]
    )
    _assert_error(client.get(detail_url(draft)), 404, "not_found")
    _assert_error(client.get(detail_url(draft), headers=bearer(provider["user"])), 404, "not_found")
    _assert_error(client.get("/api/v1/opportunities/inconnue/"), 404, "not_found")


def test_expired_items_are_public(client):
    expired = OpportunityFactory(status=OpportunityStatus.EXPIRED)
    assert client.get(detail_url(expired)).json()["status"]["code"] == "expired"


def test_imported_item_shows_the_sources_phone(client):
    structure = ImportedStructure.objects.create(source="dora", source_id="s", name="Centre")
    item = OpportunityFactory(
        organisation=None, structure=structure, source="dora", source_id="1", contact_phone="0102"
    )
    body = client.get(detail_url(item)).json()
    assert body["phone"] == "0102"
    assert body["provider"] == {"kind": "structure", "name": "Centre", "slug": None, "url": None}


def test_actions_for_the_provider_and_nobody_else(client, provider, bearer):
    opportunity = OpportunityFactory(organisation=provider["organisation"])
    other = _member_of(OrganisationFactory())
    assert client.get(detail_url(opportunity), headers=bearer(other)).json()["actions"] == []
    mine = client.get(detail_url(opportunity), headers=bearer(provider["user"])).json()
    assert mine["actions"] == ["withdraw"]


# --- Writes ---------------------------------------------------------------------

NEW = {
    "organisation": "clic",
    "kind": "workshop",
    "title": "Atelier CV",
    "summary": "Faire son CV avec de l'aide.",
    "description": "Un atelier pour écrire son CV, pas à pas.",
    "themes": ["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"],
    "how_to_go": ["come"],
    "situations": ["job_seeker"],
    "level_required": 0,
    "places": [
        {
            "address": "1 rue de la Paix",
            "commune_name": "Paris",
            "latitude": 48.88,
            "longitude": 2.35,
        }
    ],
    "sessions": [{"starts_on": "2099-03-01"}],
}


@pytest.fixture(autouse=True)
def _no_geocoder(settings):
    settings.GEOCODER_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    """Creating places looks QPVs up: the process-wide index must not outlive the test."""
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


def test_anonymous_cannot_write(client, provider):
    opportunity = OpportunityFactory(organisation=provider["organisation"])
    _assert_error(_json(client, "post", LIST_URL, NEW), 401, "not_authenticated")
    _assert_error(
        _json(client, "patch", detail_url(opportunity), {"title": "x"}), 401, "not_authenticated"
    )
    _assert_error(_post(client, detail_url(opportunity, "withdraw")), 401, "not_authenticated")
    _assert_error(_post(client, detail_url(opportunity, "publish")), 401, "not_authenticated")
    _assert_error(client.get(detail_url(opportunity, "interests/")), 401, "not_authenticated")


def test_create_publish_and_withdraw_as_the_provider(client, provider, bearer):
    headers = bearer(provider["user"])
    response = _json(client, "post", LIST_URL, NEW, headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"]["code"] == "draft"
    assert body["places"][0]["latitude"] == 48.88
    assert body["sessions"][0]["starts_on"] == "2099-03-01"
    assert body["contact_email"] == ""
    assert set(body["actions"]) == {"publish", "withdraw"}
    slug = body["slug"]
    published = _post(client, f"{LIST_URL}{slug}/publish", headers=headers)
    assert published.json()["status"]["code"] == "published", published.content
    assert slug in slugs(client.get(LIST_URL))
    withdrawn = _json(client, "post", f"{LIST_URL}{slug}/withdraw", {"reason": "Complet"}, headers)
    assert withdrawn.json()["status"]["code"] == "withdrawn"
    assert slugs(client.get(LIST_URL)) == []


def test_a_new_organisation_sends_it_to_the_team(client, bearer):
    organisation = OrganisationFactory(slug="nouvelle", status=OrganisationStatus.CANDIDATE)
    user = _member_of(organisation)
    response = _json(client, "post", LIST_URL, {**NEW, "organisation": "nouvelle"}, bearer(user))
    slug = response.json()["slug"]
    assert (
        _post(client, f"{LIST_URL}{slug}/publish", headers=bearer(user)).json()["status"]["code"]
        == "submitted"
    )


def test_another_organisations_token_is_refused(client, provider, bearer):
    other = bearer(_member_of(OrganisationFactory()))
    _assert_error(_json(client, "post", LIST_URL, NEW, other), 403, "forbidden")
    opportunity = OpportunityFactory(organisation=provider["organisation"])
    _assert_error(
        _json(client, "patch", detail_url(opportunity), {"title": "x"}, other), 403, "forbidden"
    )
    _assert_error(
        _post(client, detail_url(opportunity, "withdraw"), headers=other), 403, "forbidden"
    )
    _assert_error(
        client.get(detail_url(opportunity, "interests/"), headers=other), 403, "forbidden"
    )
    draft = OpportunityFactory(
        status=OpportunityStatus.DRAFT, organisation=provider["organisation"]
    )
    _assert_error(_post(client, detail_url(draft, "publish"), headers=other), 404, "not_found")
    assert Opportunity.objects.get(pk=opportunity.pk).title == opportunity.title


def test_the_coordination_may_edit_and_withdraw(client, provider, bearer):
    coordination = bearer(CoordinatorFactory())
    opportunity = OpportunityFactory(organisation=provider["organisation"])
    response = _json(
        client, "patch", detail_url(opportunity), {"title": "Nouveau titre"}, coordination
    )
    assert response.json()["title"] == "Nouveau titre"
    response = _post(client, detail_url(opportunity, "withdraw"), headers=coordination)
    assert response.json()["status"]["code"] == "withdrawn"


def test_an_imported_item_changes_only_in_its_source(client, bearer):
    structure = ImportedStructure.objects.create(source="dora", source_id="s", name="Centre")
    item = OpportunityFactory(organisation=None, structure=structure, source="dora", source_id="1")
    coordination = bearer(CoordinatorFactory())
    _assert_error(
        _json(client, "patch", detail_url(item), {"title": "x"}, coordination), 403, "forbidden"
    )
    # The team may still take it down.
    assert _post(client, detail_url(item, "withdraw"), headers=coordination).status_code == 200


def test_patch_changes_only_what_is_sent(client, provider, bearer):
    opportunity = OpportunityFactory(organisation=provider["organisation"], seats=10)
    PlaceFactory(opportunity=opportunity)
    response = _json(
        client, "patch", detail_url(opportunity), {"cost": "paid"}, bearer(provider["user"])
    )
    assert response.status_code == 200, response.content
    opportunity.refresh_from_db()
    assert opportunity.cost == "paid" and opportunity.seats == 10
    assert opportunity.places.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"themes": ["inconnue"]}, "themes"),
        ({"age_min": 30, "age_max": 20}, "age_max"),
        ({"summary": "x" * 401}, "summary"),
        ({"unknown": 1}, "unknown"),
        ({"places": [{"latitude": 100, "longitude": 2}]}, "places.0.latitude"),
        ({"sessions": [{"starts_on": "2099-03-02", "ends_on": "2099-03-01"}]}, "sessions"),
    ],
)
def test_validation_errors_name_the_field(client, provider, bearer, payload, field):
    opportunity = OpportunityFactory(organisation=provider["organisation"])
    response = _json(client, "patch", detail_url(opportunity), payload, bearer(provider["user"]))
    _assert_error(response, 422, "validation_error")
    assert field in response.json()["error"]["details"]["fields"], response.json()


def test_publishing_says_what_is_missing(client, provider, bearer):
    draft = OpportunityFactory(
        organisation=provider["organisation"], status=OpportunityStatus.DRAFT, how_to_go=[]
    )
    response = _post(client, detail_url(draft, "publish"), headers=bearer(provider["user"]))
    _assert_error(response, 422, "validation_error")
    assert {"places", "how_to_go"} <= set(response.json()["error"]["details"]["fields"])


def test_create_for_an_unknown_organisation(client, provider, bearer):
    response = _json(
        client, "post", LIST_URL, {**NEW, "organisation": "inconnue"}, bearer(provider["user"])
    )
    _assert_error(response, 422, "validation_error")
    assert "organisation" in response.json()["error"]["details"]["fields"]


# --- Interests --------------------------------------------------------------------


def test_interests_with_contacts_for_the_provider_and_the_team_only(client, provider, bearer):
    opportunity = OpportunityFactory(organisation=provider["organisation"])
    interest = InterestFactory(
        opportunity=opportunity, name="Awa", email="awa@exemple.fr", phone="0699"
    )
    for user in (provider["user"], CoordinatorFactory()):
        body = client.get(detail_url(opportunity, "interests/"), headers=bearer(user)).json()
        assert body["count"] == 1
        assert body["items"][0]["email"] == "awa@exemple.fr"
        assert body["items"][0]["reference"] == interest.reference
    _assert_error(
        client.get(
            detail_url(opportunity, "interests/"), headers=bearer(_member_of(OrganisationFactory()))
        ),
        403,
        "forbidden",
    )


def test_recording_an_outcome(client, provider, bearer):
    opportunity = OpportunityFactory(organisation=provider["organisation"])
    interest = InterestFactory(opportunity=opportunity)
    url = detail_url(opportunity, f"interests/{interest.reference}/outcome")
    other = bearer(_member_of(OrganisationFactory()))
    _assert_error(_json(client, "post", url, {"status": "started"}, other), 403, "forbidden")
    _assert_error(
        _json(client, "post", url, {"status": "lost"}, bearer(provider["user"])),
        422,
        "validation_error",
    )
    response = _json(
        client, "post", url, {"status": "started", "note": "Inscrite"}, bearer(provider["user"])
    )
    assert response.json()["status"]["code"] == "started"
    interest.refresh_from_db()
    assert interest.status == InterestStatus.STARTED and interest.outcome_note == "Inscrite"
    missing = detail_url(opportunity, "interests/inconnue/outcome")
    _assert_error(
        _json(client, "post", missing, {"status": "started"}, bearer(provider["user"])),
        404,
        "not_found",
    )


def test_no_contact_in_public_answers(client, provider, bearer):
    opportunity = OpportunityFactory(
        organisation=provider["organisation"],
        contact_email="boite@secret.example",
        contact_phone="0611223344",
    )
    _at(100, organisation=provider["organisation"])
    InterestFactory(
        opportunity=opportunity, name="Awa Secrète", email="awa@secret.example", phone="0699887766"
    )
    outsider = bearer(_member_of(OrganisationFactory()))
    bodies = [
        client.get(LIST_URL).content,
        client.get(f"{LIST_URL}?near={HOME[0]},{HOME[1]}").content,
        client.get(detail_url(opportunity)).content,
        client.get(detail_url(opportunity), headers=outsider).content,
        client.get(f"{LIST_URL}export.csv").content,
        client.get(f"{LIST_URL}export.json").content,
        client.get(f"{LIST_URL}export.geojson").content,
    ]
    for body in bodies:
        text = body.decode()
        for secret in ("secret.example", "0611223344", "Awa Secrète", "0699887766"):
            assert secret not in text


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/opportunities/"]) == {"get", "post"}
    assert set(paths["/api/v1/opportunities/{slug}/"]) == {"get", "patch"}
    assert "security" not in paths["/api/v1/opportunities/"]["get"]
    assert paths["/api/v1/opportunities/{slug}/interests/"]["get"]["security"]
    parameters = {p["name"] for p in paths["/api/v1/opportunities/"]["get"]["parameters"]}
    assert {
        "near",
        "radius_km",
        "kind",
        "theme",
        "free",
        "easy_to_read",
        "age",
        "situation",
        "level",
        "qpv",
        "commune",
        "department",
        "organisation",
        "page",
        "page_size",
    } == parameters


def test_near_interleaves_the_latest_remote_items_up_to_a_cap(client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from quartiers40.opportunities.selectors import near

    monkeypatch.setattr(near, "REMOTE_MAX_NEAR", 2)
    people = [_at(100 * (i + 1)) for i in range(4)]
    now = timezone.now()
    remotes = [
        OpportunityFactory(is_remote=True, last_updated_at=now - timedelta(days=i))
        for i in range(4)
    ]
    body = client.get(f"{LIST_URL}?near={HOME[0]},{HOME[1]}").json()
    assert body["count"] == 6
    assert [item["slug"] for item in body["items"]] == [
        people[0].slug,
        people[1].slug,
        people[2].slug,
        remotes[0].slug,
        people[3].slug,
        remotes[1].slug,
    ]
