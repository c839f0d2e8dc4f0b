"""The /api/v1/meetings/ endpoints: public reads, organisers' writes, owners' updates."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiers40.meetings.enums import (
    ActionItemStatus,
    AgendaItemKind,
    Attendance,
    EditionStatus,
    RegistrationStatus,
    SeriesKind,
    SeriesStatus,
)
from quartiers40.meetings.models import ActionItem, AgendaItem, Edition
from quartiers40.members import services as members_services
from quartiers40.members.enums import Role
from tests.meetings.test_ics import ONLINE_URL, make_edition, make_series, register
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
BASE = "/api/v1/meetings"


def bearer(user) -> dict[str, str]:
    _token, raw = members_services.api_token_create(user=user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}


def send(client, method, url, data, user=None):
    return getattr(client, method)(
        url,
        data=json.dumps(data),
        content_type="application/json",
        headers=bearer(user) if user else {},
    )


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


def future(days=30, hour=8) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=PARIS)


def action_item(edition, **fields) -> ActionItem:
    fields.setdefault("title", "Partager le jeu de données")
    if "owner_organisation" not in fields and "owner_user" not in fields:
        fields["owner_organisation"] = OrganisationFactory()
    return ActionItem.objects.create(edition=edition, **fields)


# --- Public reads -----------------------------------------------------------------


def test_series_list_shows_approved_series_only(client):
    national = make_series(name="Petit déj de l'IA")
    local = make_series(
        name="Rencontres IA de Sevran", kind=SeriesKind.LOCAL, organisation=OrganisationFactory()
    )
    make_series(kind=SeriesKind.LOCAL, organisation=OrganisationFactory(), status="pending")

    body = client.get(f"{BASE}/series/").json()

    assert {item["slug"] for item in body["items"]} == {national.slug, local.slug}
    item = next(i for i in body["items"] if i["slug"] == local.slug)
    assert item["kind"] == {"code": "local", "label": "Rencontre locale"}
    assert item["ics_url"].endswith(f"/rencontres/serie/{local.slug}.ics")
    assert item["organisation"]["slug"] == local.organisation.slug
    assert client.get(f"{BASE}/series/{national.slug}/").status_code == 200


def test_pending_series_is_not_found(client):
    series = make_series(
        kind=SeriesKind.LOCAL, organisation=OrganisationFactory(), status=SeriesStatus.PENDING
    )
    assert_error(client.get(f"{BASE}/series/{series.slug}/"), 404, "not_found")


def test_edition_list_filters_and_hides_drafts(client):
    series = make_series()
    past = make_edition(series, starts_at=future(days=-60))
    upcoming = make_edition(series, starts_at=future(days=20))
    later = make_edition(starts_at=future(days=50))
    make_edition(series, starts_at=future(days=10), status=EditionStatus.DRAFT)

    def slugs(query=""):
        return [item["slug"] for item in client.get(f"{BASE}/editions/{query}").json()["items"]]

    assert slugs() == [later.slug, upcoming.slug, past.slug]
    assert slugs("?when=upcoming") == [upcoming.slug, later.slug]
    assert slugs("?when=past") == [past.slug]
    assert slugs(f"?series={series.slug}&when=upcoming") == [upcoming.slug]
    assert_error(client.get(f"{BASE}/editions/?when=soon"), 422, "validation_error")
    assert_error(client.get(f"{BASE}/editions/?series=inconnue"), 404, "not_found")


def test_edition_detail_shows_agenda_minutes_and_seats_never_link_nor_registrants(client):
    project = PublishedProjectFactory(title="Traduire les courriers")
    edition = make_edition(onsite_capacity=2, online_capacity=None)
    AgendaItem.objects.create(edition=edition, order=2, title="Pause café", kind="break")
    AgendaItem.objects.create(
        edition=edition, order=1, title="Traduire", kind="pitch", project=project, speakers="Awa"
    )
    secret_person = UserFactory(display_name="Personne Inscrite")
    register(edition, secret_person)
    register(edition, UserFactory(), status=RegistrationStatus.WAITING)
    register(edition, UserFactory(), attendance=Attendance.ONLINE)
    edition.minutes = "## Décisions\n\nOn se revoit en juin."
    edition.minutes_published_at = timezone.now()
    edition.save()

    response = client.get(f"{BASE}/editions/{edition.slug}/")

    assert response.status_code == 200
    body = response.json()
    assert [item["title"] for item in body["agenda"]] == ["Traduire", "Pause café"]
    assert body["agenda"][0]["project"]["id"] == project.pk
    assert body["agenda"][0]["kind"]["code"] == "pitch"
    assert body["minutes"].startswith("## Décisions")
    assert "<h2>" in body["minutes_html"]
    seats = {seat["attendance"]["code"]: seat for seat in body["seats"]}
    assert seats["on_site"] == {
        "attendance": {"code": "on_site", "label": "Sur place"},
        "capacity": 2,
        "taken": 1,
        "left": 1,
        "waiting": 1,
    }
    assert seats["online"]["capacity"] is None and seats["online"]["left"] is None
    assert body["ics_url"].endswith(f"/rencontres/{edition.slug}.ics")
    text = response.content.decode()
    assert ONLINE_URL not in text
    assert "Personne Inscrite" not in text
    assert secret_person.email not in text
    assert "online_url" not in body


def test_unpublished_minutes_are_not_shown(client):
    edition = make_edition(minutes="Brouillon du compte rendu")
    body = client.get(f"{BASE}/editions/{edition.slug}/").json()
    assert body["minutes"] is None and body["minutes_html"] is None


def test_draft_edition_is_not_found_except_for_its_organisers(client):
    edition = make_edition(status=EditionStatus.DRAFT)
    organiser = UserFactory()
    edition.organisers.add(organiser)

    assert_error(client.get(f"{BASE}/editions/{edition.slug}/"), 404, "not_found")
    assert_error(
        client.get(f"{BASE}/editions/{edition.slug}/", headers=bearer(UserFactory())),
        404,
        "not_found",
    )
    response = client.get(f"{BASE}/editions/{edition.slug}/", headers=bearer(organiser))
    assert response.status_code == 200


def test_agenda_endpoint(client):
    edition = make_edition()
    AgendaItem.objects.create(edition=edition, order=1, title="Accueil")
    body = client.get(f"{BASE}/editions/{edition.slug}/agenda/").json()
    assert [item["title"] for item in body] == ["Accueil"]


def test_action_items_filters(client):
    edition = make_edition(starts_at=future(days=-90))
    today = timezone.localdate()
    overdue = action_item(edition, title="En retard", due_date=today - timedelta(days=3))
    done = action_item(
        edition,
        title="Faite",
        due_date=today - timedelta(days=3),
        status=ActionItemStatus.DONE,
    )
    later = action_item(
        edition,
        title="Plus tard",
        due_date=today + timedelta(days=30),
        status=ActionItemStatus.IN_PROGRESS,
    )
    other = action_item(make_edition(), title="Ailleurs")
    action_item(make_edition(status=EditionStatus.DRAFT), title="Brouillon")

    def ids(query=""):
        return [item["id"] for item in client.get(f"{BASE}/action-items/{query}").json()["items"]]

    assert set(ids()) == {overdue.pk, done.pk, later.pk, other.pk}
    assert set(ids(f"?edition={edition.slug}")) == {overdue.pk, done.pk, later.pk}
    assert ids("?overdue=true") == [overdue.pk]
    assert overdue.pk not in ids("?overdue=false")
    assert ids(f"?edition={edition.slug}&status=in_progress") == [later.pk]
    body = client.get(f"{BASE}/action-items/{overdue.pk}/").json()
    assert body["overdue"] is True
    assert body["status"] == {"code": "open", "label": "À faire"}
    assert body["edition"]["slug"] == edition.slug
    assert_error(client.get(f"{BASE}/action-items/?status=finie"), 422, "validation_error")


def test_action_item_owner_person_is_shown_only_with_a_public_profile(client):
    edition = make_edition()
    private = action_item(edition, owner_user=UserFactory(display_name="Awa Privée"))
    public = action_item(
        edition, owner_user=UserFactory(display_name="Karim Public", profile_public=True)
    )

    assert client.get(f"{BASE}/action-items/{private.pk}/").json()["owner_person"] is None
    body = client.get(f"{BASE}/action-items/{public.pk}/").json()
    assert body["owner_person"] == {"name": "Karim Public"}


def test_action_item_of_a_draft_edition_is_not_found(client):
    item = action_item(make_edition(status=EditionStatus.DRAFT))
    assert_error(client.get(f"{BASE}/action-items/{item.pk}/"), 404, "not_found")


# --- Permission matrix for writes ------------------------------------------------------

EDITION_PAYLOAD = {
    "title": "Petit déj de l'IA – septembre",
    "starts_at": "2027-09-16T08:30:00",
    "ends_at": "2027-09-16T10:30:00+02:00",
    "format": "hybrid",
    "address": "Maison de quartier, 93200 Saint-Denis",
    "online_url": ONLINE_URL,
    "onsite_capacity": 40,
}


def test_create_edition_requires_a_token(client):
    series = make_series()
    response = send(client, "post", f"{BASE}/editions/", {**EDITION_PAYLOAD, "series": series.slug})
    assert_error(response, 401, "not_authenticated")


def test_coordination_creates_a_national_edition_as_draft_then_publishes(client):
    series = make_series()
    coordinator = CoordinatorFactory()

    response = send(
        client, "post", f"{BASE}/editions/", {**EDITION_PAYLOAD, "series": series.slug}, coordinator
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"]["code"] == "draft"
    assert body["starts_at"] == "2027-09-16T08:30:00+02:00"  # naive: Paris time
    edition = Edition.objects.get(slug=body["slug"])
    assert edition.organisers.filter(pk=coordinator.pk).exists()
    assert edition.online_url == ONLINE_URL
    assert ONLINE_URL not in response.content.decode()

    response = send(
        client, "patch", f"{BASE}/editions/{edition.slug}/", {"status": "published"}, coordinator
    )
    assert response.status_code == 200
    assert response.json()["status"]["code"] == "published"


@pytest.mark.parametrize("role", ["stranger", "member_of_other_org"])
def test_people_outside_cannot_create_editions(client, role):
    series = make_series()
    user = UserFactory() if role == "stranger" else MembershipFactory().user
    response = send(
        client, "post", f"{BASE}/editions/", {**EDITION_PAYLOAD, "series": series.slug}, user
    )
    assert_error(response, 403, "forbidden")


def test_people_of_a_local_series_organisation_create_its_editions(client):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation, role=Role.MEMBER).user
    series = make_series(kind=SeriesKind.LOCAL, organisation=organisation)
    payload = {**EDITION_PAYLOAD, "series": series.slug, "status": "published"}

    response = send(client, "post", f"{BASE}/editions/", payload, member)

    assert response.status_code == 201, response.content
    assert response.json()["status"]["code"] == "published"


def test_create_edition_validation_errors(client):
    series = make_series()
    coordinator = CoordinatorFactory()
    url = f"{BASE}/editions/"

    error = assert_error(
        send(client, "post", url, {**EDITION_PAYLOAD, "series": "inconnue"}, coordinator),
        422,
        "validation_error",
    )
    assert "series" in error["details"]["fields"]
    payload = {**EDITION_PAYLOAD, "series": series.slug, "ends_at": "2027-09-16T07:00:00"}
    error = assert_error(send(client, "post", url, payload, coordinator), 422, "validation_error")
    assert "ends_at" in error["details"]["fields"]
    payload = {**EDITION_PAYLOAD, "series": series.slug, "online_link": "x"}
    error = assert_error(send(client, "post", url, payload, coordinator), 422, "validation_error")
    assert "online_link" in error["details"]["fields"]
    payload = {**EDITION_PAYLOAD, "series": series.slug, "address": "", "format": "on_site"}
    error = assert_error(send(client, "post", url, payload, coordinator), 422, "validation_error")
    assert "address" in error["details"]["fields"]


def test_patch_edition_permission_matrix(client):
    edition = make_edition()
    organiser, stranger = UserFactory(), UserFactory()
    edition.organisers.add(organiser)
    url = f"{BASE}/editions/{edition.slug}/"

    assert_error(send(client, "patch", url, {"title": "X"}), 401, "not_authenticated")
    assert_error(send(client, "patch", url, {"title": "X"}, stranger), 403, "forbidden")
    response = send(
        client, "patch", url, {"title": "Nouveau titre", "onsite_capacity": 80}, organiser
    )
    assert response.status_code == 200, response.content
    edition.refresh_from_db()
    assert (edition.title, edition.onsite_capacity) == ("Nouveau titre", 80)
    coordinator_response = send(
        client, "patch", url, {"registration_open": False}, CoordinatorFactory()
    )
    assert coordinator_response.status_code == 200


def test_cancel_edition_needs_a_reason_and_tells_registrants(
    client, django_capture_on_commit_callbacks
):
    edition = make_edition()
    organiser = UserFactory()
    edition.organisers.add(organiser)
    register(edition, UserFactory(email="inscrite@exemple.fr"))
    url = f"{BASE}/editions/{edition.slug}/"

    error = assert_error(
        send(client, "patch", url, {"status": "cancelled"}, organiser), 422, "validation_error"
    )
    assert "reason" in error["details"]["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            "patch",
            url,
            {"status": "cancelled", "cancellation_reason": "Salle indisponible."},
            organiser,
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"]["code"] == "cancelled"
    assert response.json()["cancellation_reason"] == "Salle indisponible."
    assert [message.to for message in mail.outbox] == [["inscrite@exemple.fr"]]


# --- Agenda writes ------------------------------------------------------------------------


def test_agenda_post_and_put_by_organisers(client):
    edition = make_edition()
    organiser = UserFactory()
    edition.organisers.add(organiser)
    project = PublishedProjectFactory()
    url = f"{BASE}/editions/{edition.slug}/agenda/"

    first = send(
        client,
        "post",
        url,
        {"title": "Accueil", "starts_at": "08:30", "duration_minutes": 15},
        organiser,
    )
    assert first.status_code == 201, first.content
    second = send(
        client,
        "post",
        url,
        {"title": "Pitch", "kind": "pitch", "project": project.pk, "speakers": "Awa"},
        organiser,
    )
    assert second.status_code == 201
    assert second.json()["order"] > first.json()["order"]

    kept_id = second.json()["id"]
    response = send(
        client,
        "put",
        url,
        [
            {"id": kept_id, "title": "Pitch (modifié)", "kind": "pitch", "project": project.pk},
            {"title": "Conclusion", "starts_at": "10:15", "kind": "talk"},
        ],
        organiser,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(item["order"], item["title"]) for item in body] == [
        (1, "Pitch (modifié)"),
        (2, "Conclusion"),
    ]
    assert body[0]["id"] == kept_id
    assert list(edition.agenda_items.values_list("title", flat=True).order_by("order")) == [
        "Pitch (modifié)",
        "Conclusion",
    ]
    assert AgendaItem.objects.filter(pk=first.json()["id"]).exists() is False
    assert body[1]["starts_at"] == "10:15:00"
    assert body[1]["kind"]["code"] == AgendaItemKind.TALK


def test_agenda_writes_permissions_and_errors(client):
    edition = make_edition()
    organiser = UserFactory()
    edition.organisers.add(organiser)
    other_item = AgendaItem.objects.create(edition=make_edition(), title="Ailleurs")
    url = f"{BASE}/editions/{edition.slug}/agenda/"

    assert_error(send(client, "post", url, {"title": "X"}), 401, "not_authenticated")
    assert_error(send(client, "post", url, {"title": "X"}, UserFactory()), 403, "forbidden")
    assert_error(send(client, "put", url, [], UserFactory()), 403, "forbidden")
    error = assert_error(
        send(client, "put", url, [{"id": other_item.pk, "title": "Volé"}], organiser),
        422,
        "validation_error",
    )
    assert "id" in error["details"]["fields"]
    error = assert_error(
        send(client, "post", url, {"title": "X", "project": 999999}, organiser),
        422,
        "validation_error",
    )
    assert "project" in error["details"]["fields"]
    error = assert_error(
        send(client, "post", url, {"title": "X", "challenge": "inconnu"}, organiser),
        422,
        "validation_error",
    )
    assert "challenge" in error["details"]["fields"]
    assert_error(send(client, "post", url, {"speakers": "?"}, organiser), 422, "validation_error")
    other_item.refresh_from_db()
    assert other_item.title == "Ailleurs"


# --- Action item writes --------------------------------------------------------------------


def test_organisers_create_action_items_and_owners_are_told(
    client, django_capture_on_commit_callbacks
):
    edition = make_edition()
    organiser = UserFactory()
    edition.organisers.add(organiser)
    organisation = OrganisationFactory()
    owner = UserFactory(email="responsable@exemple.fr")
    url = f"{BASE}/editions/{edition.slug}/action-items/"
    payload = {
        "title": "Publier les données de fréquentation",
        "owner_organisation": organisation.slug,
        "owner_email": "Responsable@exemple.fr",
        "due_date": "2027-01-15",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "post", url, payload, organiser)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_organisation"]["slug"] == organisation.slug
    assert body["due_date"] == "2027-01-15"
    item = ActionItem.objects.get(pk=body["id"])
    assert item.owner_user == owner
    assert any("responsable@exemple.fr" in message.to for message in mail.outbox)


def test_action_item_create_permissions_and_errors(client):
    edition = make_edition()
    organiser = UserFactory()
    edition.organisers.add(organiser)
    url = f"{BASE}/editions/{edition.slug}/action-items/"

    assert_error(send(client, "post", url, {"title": "X"}), 401, "not_authenticated")
    assert_error(send(client, "post", url, {"title": "X"}, UserFactory()), 403, "forbidden")
    error = assert_error(
        send(client, "post", url, {"title": "X"}, organiser), 422, "validation_error"
    )
    assert "owner_organisation" in error["details"]["fields"]
    error = assert_error(
        send(client, "post", url, {"title": "X", "owner_email": "personne@nulle.part"}, organiser),
        422,
        "validation_error",
    )
    assert "owner_email" in error["details"]["fields"]


def test_owner_updates_status_only(client):
    edition = make_edition()
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    item = action_item(edition, owner_organisation=organisation, due_date=date(2026, 1, 1))
    url = f"{BASE}/action-items/{item.pk}/"

    response = send(
        client, "patch", url, {"status": "in_progress", "status_note": "Réunion fixée."}, member
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"]["code"] == "in_progress"
    assert response.json()["status_note"] == "Réunion fixée."

    error = assert_error(
        send(client, "patch", url, {"due_date": "2030-01-01"}, member), 403, "forbidden"
    )
    assert error["details"] == {"fields": ["due_date"]}
    assert_error(send(client, "patch", url, {"status": "done"}, UserFactory()), 403, "forbidden")
    assert_error(send(client, "patch", url, {"status": "done"}), 401, "not_authenticated")

    assert send(client, "patch", url, {"status": "done"}, member).status_code == 200
    error = assert_error(
        send(client, "patch", url, {"status": "open"}, member), 422, "validation_error"
    )
    assert "status" in error["details"]["fields"]
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE


def test_personal_owner_updates_status_and_organiser_changes_anything(client):
    edition = make_edition()
    owner, organiser = UserFactory(), UserFactory()
    edition.organisers.add(organiser)
    item = action_item(edition, owner_user=owner, owner_organisation=None)
    url = f"{BASE}/action-items/{item.pk}/"

    assert send(client, "patch", url, {"status": "dropped"}, owner).status_code == 200
    response = send(
        client,
        "patch",
        url,
        {"title": "Reformulée", "due_date": "2027-03-01", "status": "open"},
        organiser,
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.title, item.due_date, item.status) == (
        "Reformulée",
        date(2027, 3, 1),
        ActionItemStatus.OPEN,
    )


def test_unknown_action_item_is_a_json_404(client):
    assert_error(client.get(f"{BASE}/action-items/999999/"), 404, "not_found")
    assert_error(
        send(client, "patch", f"{BASE}/action-items/999999/", {"status": "done"}, UserFactory()),
        404,
        "not_found",
    )


def test_edition_list_counts_seats_in_constant_queries(client):
    series = make_series()
    edition = make_edition(series, onsite_capacity=2, online_capacity=None)
    register(edition, UserFactory())
    register(edition, UserFactory(), status=RegistrationStatus.WAITING)
    register(edition, UserFactory(), attendance=Attendance.ONLINE)
    url = f"{BASE}/editions/?series={series.slug}"

    with CaptureQueriesContext(connection) as one:
        body = client.get(url).json()
    seats = {seat["attendance"]["code"]: seat for seat in body["items"][0]["seats"]}
    assert seats["on_site"] == {
        "attendance": {"code": "on_site", "label": "Sur place"},
        "capacity": 2,
        "taken": 1,
        "left": 1,
        "waiting": 1,
    }
    assert (seats["online"]["taken"], seats["online"]["left"]) == (1, None)
    assert (
        body["items"][0]["seats"] == client.get(f"{BASE}/editions/{edition.slug}/").json()["seats"]
    )

    for _ in range(5):
        register(make_edition(series), UserFactory())
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).json()["count"] == 6
    assert len(six.captured_queries) == len(one.captured_queries)
