import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiers40.challenges import services
from quartiers40.challenges.enums import ChallengeStatus, ModerationState, OfferState
from quartiers40.challenges.models import Challenge, ChallengeComment, ChallengeSupport
from quartiers40.core.models import ActionLog
from quartiers40.members import services as members_services
from quartiers40.members.enums import Role
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import ProjectFactory, PublishedProjectFactory
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/challenges/"


def detail_url(challenge, suffix="") -> str:
    return f"/api/v1/challenges/{challenge.slug}/{suffix}"


def support_url(challenge) -> str:
    return f"/api/v1/challenges/{challenge.slug}/support"


def comments_url(challenge) -> str:
    return f"/api/v1/challenges/{challenge.slug}/comments"


def trusted_person(**fields):
    fields.setdefault("date_joined", timezone.now() - timedelta(days=60))
    return UserFactory(**fields)


def post(*, author=None, qpvs=(), **fields) -> Challenge:
    fields.setdefault("title", "Pas de wifi dans les halls")
    fields.setdefault("situation", "Les enfants font leurs devoirs dans l'escalier.")
    fields.setdefault("affected", "Les collégiens.")
    fields.setdefault("solved_when", "Un wifi gratuit ouvert le soir.")
    if not qpvs:
        fields.setdefault("commune_name", "Saint-Denis")
    return services.challenge_post(actor=author or trusted_person(), qpvs=qpvs, **fields)


def bearer(user) -> dict[str, str]:
    _token, raw = members_services.api_token_create(user=user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}


def send(client, method, url, data=None, headers=None):
    return getattr(client, method)(
        url,
        data=json.dumps(data) if data is not None else None,
        content_type="application/json",
        headers=headers or {},
    )


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code


def set_moderation(challenge, state) -> None:
    Challenge.objects.filter(pk=challenge.pk).update(moderation=state)


# --- List -----------------------------------------------------------------------


def test_list_shows_only_public_challenges(client):
    public = post(title="Public")
    set_moderation(post(title="En attente"), ModerationState.PENDING)
    set_moderation(post(title="Masqué"), ModerationState.HIDDEN)
    merged = post(title="Fusionné")
    Challenge.objects.filter(pk=merged.pk).update(merged_into=public)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert slugs(response) == [public.slug]
    assert response.json()["count"] == 1


def test_output_fields(client, settings):
    settings.SITE_URL = "https://quartiers40.example"
    qpv = QPVFactory(code="QN09301M", name="Franc-Moisin", department_code="93")
    organisation = OrganisationFactory(name="Association du quartier")
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    challenge = post(
        author=admin,
        organisation=organisation,
        qpvs=[qpv],
        title="Les ascenseurs en panne",
        themes=["housing"],
    )

    item = client.get(LIST_URL).json()["items"][0]

    assert item["id"] == challenge.public_id
    assert item["slug"] == challenge.slug
    assert item["title"] == "Les ascenseurs en panne"
    assert item["themes"] == [{"code": "housing", "label": "Logement"}]
    assert item["qpvs"] == [{"code": "QN09301M", "name": "Franc-Moisin"}]
    assert item["department"] == "93"
    assert item["status"] == {"code": "open", "label": "Ouvert"}
    assert item["supports_count"] == item["comments_count"] == item["offers_count"] == 0
    assert item["author"] == "Association du quartier"
    assert item["organisation"]["slug"] == organisation.slug
    assert item["outcome"] is None
    assert item["closed_reason"] is None
    assert item["url"] == f"http://testserver/defis/{challenge.slug}/"  # the request's address
    assert "author_id" not in item and "email" not in json.dumps(item)


def test_filters(client):
    qpv = QPVFactory(code="QN06901M", department_code="69")
    wanted = post(title="Ascenseurs", themes=["housing"], qpvs=[qpv])
    post(title="Wifi", themes=["digital_inclusion"], commune_insee="93066")
    closed = post(title="Fermé", themes=["housing"])
    services.challenge_close(challenge=closed, actor=closed.author, reason="Plus d'actualité.")

    assert slugs(client.get(LIST_URL, {"theme": "housing", "status": "open"})) == [wanted.slug]
    assert slugs(client.get(LIST_URL, {"qpv": "qn06901m"})) == [wanted.slug]
    assert slugs(client.get(LIST_URL, {"department": "69"})) == [wanted.slug]
    assert slugs(client.get(LIST_URL, {"q": "ascens"})) == [wanted.slug]
    assert slugs(client.get(LIST_URL, {"status": "closed"})) == [closed.slug]


def test_sort_by_supports_or_newest(client):
    older = post(title="Ancien")
    Challenge.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    newer = post(title="Récent")
    for _ in range(2):
        services.challenge_support(challenge=older, user=trusted_person())

    assert slugs(client.get(LIST_URL)) == [older.slug, newer.slug]
    assert slugs(client.get(LIST_URL, {"sort": "supports"})) == [older.slug, newer.slug]
    assert slugs(client.get(LIST_URL, {"sort": "newest"})) == [newer.slug, older.slug]


@pytest.mark.parametrize(
    ("name", "value"), [("theme", "poetry"), ("status", "x"), ("sort", "random")]
)
def test_unknown_filter_value_is_a_validation_error(client, name, value):
    response = client.get(LIST_URL, {name: value})

    assert_error(response, 422, "validation_error")
    assert name in response.json()["error"]["details"]["fields"]


def test_pagination(client):
    for index in range(7):
        post(title=f"Défi {index}")

    page = client.get(LIST_URL, {"page_size": 3, "page": 3}).json()

    assert page["count"] == 7
    assert page["pages"] == 3
    assert len(page["items"]) == 1
    assert page["next"] is None


def test_list_query_count_does_not_grow(client):
    qpvs = [QPVFactory(), QPVFactory()]
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user

    def list_queries(total: int) -> int:
        while Challenge.objects.count() < total:
            post(author=admin, organisation=organisation, qpvs=qpvs)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL, {"page_size": 100})
        assert response.json()["count"] == total
        return len(queries)

    assert list_queries(4) == list_queries(25)
    assert list_queries(25) <= 3  # count, page, QPVs


# --- Detail ---------------------------------------------------------------------


def test_detail_with_comments_offers_and_outcome(client, settings):
    settings.SITE_URL = "https://quartiers40.example"
    author = trusted_person()
    challenge = post(author=author, title="Traduire les courriers")
    voter = trusted_person(display_name="Nadia Publique", profile_public=True)
    comment = services.challenge_comment_add(challenge=challenge, author=voter, body="**Oui**")
    services.challenge_comment_add(challenge=challenge, author=author, body="Merci", parent=comment)
    hidden = services.challenge_comment_add(challenge=challenge, author=voter, body="Publicité")
    ChallengeComment.objects.filter(pk=hidden.pk).update(hidden=True)
    helper = OrganisationFactory(name="Traducteurs solidaires")
    helper_admin = MembershipFactory(organisation=helper, role=Role.ADMIN).user
    project = PublishedProjectFactory(carrier=helper, slug="traduction")
    offer = services.challenge_offer_make(
        challenge=challenge,
        actor=helper_admin,
        organisation=helper,
        proposal="Nous traduisons.",
        project=project,
    )
    services.challenge_offer_accept(offer=offer, actor=author)
    services.challenge_solve(
        challenge=challenge,
        actor=author,
        outcome_text="Une permanence.",
        outcome_result="200 courriers traduits.",
        outcome_project=project,
    )

    item = client.get(detail_url(challenge)).json()

    assert item["status"]["code"] == "solved"
    assert item["outcome"] == {
        "text": "Une permanence.",
        "result": "200 courriers traduits.",
        "project": {
            "id": project.pk,
            "slug": "traduction",
            "title": project.title,
            "url": "http://testserver/projets/traduction/",
        },
    }
    assert item["comments_count"] == 2
    assert [c["body"] for c in item["comments"]] == ["**Oui**"]
    assert item["comments"][0]["author"] == "Nadia Publique"
    assert item["comments"][0]["body_html"] == "<p><strong>Oui</strong></p>"
    assert [r["body"] for r in item["comments"][0]["replies"]] == ["Merci"]
    assert "Publicité" not in json.dumps(item)
    assert len(item["offers"]) == 1
    assert item["offers"][0]["organisation"]["name"] == "Traducteurs solidaires"
    assert item["offers"][0]["state"]["code"] == OfferState.ACCEPTED
    assert item["offers"][0]["project"]["slug"] == "traduction"


def test_a_draft_project_of_an_accepted_offer_is_not_named(client):
    author = trusted_person()
    challenge = post(author=author)
    helper = OrganisationFactory()
    helper_admin = MembershipFactory(organisation=helper, role=Role.ADMIN).user
    offer = services.challenge_offer_make(
        challenge=challenge,
        actor=helper_admin,
        organisation=helper,
        proposal="Oui",
        project=ProjectFactory(carrier=helper, slug="brouillon-prive"),
    )
    services.challenge_offer_accept(offer=offer, actor=author)

    body = client.get(detail_url(challenge)).content.decode()

    assert "brouillon-prive" not in body
    assert json.loads(body)["offers"][0]["project"] is None


@pytest.mark.parametrize("state", [ModerationState.PENDING, ModerationState.HIDDEN])
def test_detail_of_a_non_public_challenge_is_not_found(client, state):
    challenge = post()
    set_moderation(challenge, state)

    response = client.get(detail_url(challenge))
    unknown = client.get("/api/v1/challenges/n-existe-pas/")

    assert_error(response, 404, "not_found")
    assert response.json() == unknown.json()


def test_exports_are_not_read_as_a_slug(client):
    post()

    for suffix in ("csv", "json", "geojson"):
        assert client.get(f"/api/v1/challenges/export.{suffix}").status_code == 200


def test_detail_query_count_is_bounded(client, django_assert_max_num_queries):
    challenge = post()
    for _ in range(5):
        comment = services.challenge_comment_add(
            challenge=challenge, author=trusted_person(), body="Oui"
        )
        services.challenge_comment_add(
            challenge=challenge, author=trusted_person(), body="Non", parent=comment
        )

    with django_assert_max_num_queries(5):  # défi, QPVs, comments, offers, translations
        assert client.get(detail_url(challenge)).status_code == 200


# --- Writes: authentication -------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("post", None),
        ("patch", ""),
        ("post", "support"),
        ("delete", "support"),
        ("post", "comments"),
    ],
)
def test_every_write_needs_a_token(client, method, suffix):
    challenge = post(title="Avant")
    url = LIST_URL if suffix is None else detail_url(challenge, suffix)

    response = send(client, method, url, {"title": "Après"})

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    challenge.refresh_from_db()
    assert challenge.title == "Avant"
    assert Challenge.objects.count() == 1


def test_a_revoked_or_wrong_token_is_refused(client):
    response = send(client, "post", LIST_URL, {}, {"Authorization": "Bearer faux"})

    assert_error(response, 401, "invalid_token")


# --- Create ---------------------------------------------------------------------

PAYLOAD = {
    "title": "Les courriers de la CAF",
    "situation": "On ne comprend pas les lettres.",
    "affected": "Les allocataires.",
    "solved_when": "Chacun comprend ses courriers.",
    "themes": ["public_services"],
}


def test_create(client):
    QPVFactory(code="QN09301M", department_code="93")
    author = trusted_person()

    response = send(client, "post", LIST_URL, {**PAYLOAD, "qpvs": ["qn09301m"]}, bearer(author))

    assert response.status_code == 201, response.json()
    challenge = Challenge.objects.get()
    assert challenge.author == author
    assert challenge.department == "93"
    assert [q.code for q in challenge.qpvs.all()] == ["QN09301M"]
    assert response.json()["slug"] == challenge.slug
    assert response.json()["moderation"]["code"] == "visible"
    assert ActionLog.objects.filter(action="challenge_posted").exists()
    assert client.get(detail_url(challenge)).status_code == 200


def test_the_first_post_of_a_new_account_waits_for_moderation(client):
    newcomer = UserFactory()  # joined just now

    response = send(
        client, "post", LIST_URL, {**PAYLOAD, "commune_name": "Sevran"}, bearer(newcomer)
    )

    assert response.status_code == 201
    assert response.json()["moderation"]["code"] == "pending"
    challenge = Challenge.objects.get()
    assert challenge.moderation == ModerationState.PENDING
    assert client.get(detail_url(challenge)).status_code == 404
    assert client.get(LIST_URL).json()["count"] == 0


def test_create_for_an_organisation_and_on_behalf_of_a_resident(client):
    organisation = OrganisationFactory(name="Clic Solidaire")
    mediator = MembershipFactory(organisation=organisation).user

    response = send(
        client,
        "post",
        LIST_URL,
        {
            **PAYLOAD,
            "commune_name": "Sevran",
            "organisation": organisation.slug,
            "on_behalf_of_resident": True,
            "resident_consent": True,
        },
        bearer(mediator),
    )

    assert response.status_code == 201, response.json()
    assert response.json()["author"] == "Clic Solidaire, pour un·e habitant·e"
    challenge = Challenge.objects.get()
    assert challenge.on_behalf_of_resident and challenge.resident_consent_at is not None


def test_on_behalf_without_consent_is_a_field_error(client):
    mediator = MembershipFactory().user

    response = send(
        client,
        "post",
        LIST_URL,
        {**PAYLOAD, "commune_name": "Sevran", "on_behalf_of_resident": True},
        bearer(mediator),
    )

    assert_error(response, 422, "validation_error")
    assert "resident_consent" in response.json()["error"]["details"]["fields"]
    assert not Challenge.objects.exists()


def test_create_for_an_organisation_i_do_not_belong_to_is_forbidden(client):
    organisation = OrganisationFactory()

    response = send(
        client,
        "post",
        LIST_URL,
        {**PAYLOAD, "commune_name": "Sevran", "organisation": organisation.slug},
        bearer(trusted_person()),
    )

    assert_error(response, 403, "forbidden")
    assert not Challenge.objects.exists()


def test_create_validation_errors_are_per_field(client):
    response = send(
        client,
        "post",
        LIST_URL,
        {"title": "T", "themes": ["poetry"], "status": "solved", "qpvs": []},
        bearer(trusted_person()),
    )

    assert_error(response, 422, "validation_error")
    fields = response.json()["error"]["details"]["fields"]
    assert {"title", "situation", "themes.0", "status"} <= set(fields)
    assert not Challenge.objects.exists()


def test_create_with_unknown_qpv_organisation_or_no_place(client):
    headers = bearer(trusted_person())

    unknown_qpv = send(client, "post", LIST_URL, {**PAYLOAD, "qpvs": ["QN99999Z"]}, headers)
    unknown_organisation = send(
        client, "post", LIST_URL, {**PAYLOAD, "commune_name": "X", "organisation": "nope"}, headers
    )
    no_place = send(client, "post", LIST_URL, PAYLOAD, headers)

    for response, field in (
        (unknown_qpv, "qpvs"),
        (unknown_organisation, "organisation"),
        (no_place, "qpvs"),
    ):
        assert_error(response, 422, "validation_error")
        assert field in response.json()["error"]["details"]["fields"]
    assert not Challenge.objects.exists()


# --- Update ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [
        ("someone_else", 403),
        ("member_of_the_organisation", 403),
        ("admin_of_the_organisation", 200),
        ("author", 200),
        ("coordinator", 200),
    ],
)
def test_update_permissions(client, who, expected_status):
    organisation = OrganisationFactory()
    author = MembershipFactory(organisation=organisation).user
    challenge = post(author=author, organisation=organisation, title="Avant")
    users = {
        "someone_else": lambda: trusted_person(),
        "member_of_the_organisation": lambda: MembershipFactory(organisation=organisation).user,
        "admin_of_the_organisation": lambda: (
            MembershipFactory(organisation=organisation, role=Role.ADMIN).user
        ),
        "author": lambda: author,
        "coordinator": lambda: CoordinatorFactory(),
    }

    response = send(
        client, "patch", detail_url(challenge), {"title": "Après"}, bearer(users[who]())
    )

    challenge.refresh_from_db()
    if expected_status == 200:
        assert response.status_code == 200, response.json()
        assert response.json()["title"] == "Après"
        assert challenge.title == "Après"
    else:
        assert_error(response, expected_status, "forbidden")
        assert challenge.title == "Avant"


def test_update_of_a_pending_challenge_by_someone_else_is_not_found(client):
    challenge = post(title="Avant")
    set_moderation(challenge, ModerationState.PENDING)

    response = send(
        client, "patch", detail_url(challenge), {"title": "Après"}, bearer(trusted_person())
    )
    by_author = send(
        client, "patch", detail_url(challenge), {"title": "Après"}, bearer(challenge.author)
    )

    assert_error(response, 404, "not_found")
    assert by_author.status_code == 200
    assert by_author.json()["moderation"]["code"] == "pending"


def test_update_changes_only_the_fields_sent(client):
    qpv = QPVFactory(code="QN06901M", department_code="69")
    challenge = post(affected="Inchangé", themes=["housing"])

    response = send(
        client,
        "patch",
        detail_url(challenge),
        {"themes": ["health"], "qpvs": ["QN06901M"]},
        bearer(challenge.author),
    )

    assert response.status_code == 200, response.json()
    challenge.refresh_from_db()
    assert challenge.themes == ["health"]
    assert list(challenge.qpvs.all()) == [qpv]
    assert challenge.department == "69"
    assert challenge.affected == "Inchangé"


def test_update_refuses_unknown_fields_and_closed_challenges(client):
    challenge = post()
    unknown = send(
        client, "patch", detail_url(challenge), {"status": "solved"}, bearer(challenge.author)
    )
    services.challenge_close(challenge=challenge, actor=challenge.author, reason="Fini.")
    closed = send(
        client, "patch", detail_url(challenge), {"title": "Encore"}, bearer(challenge.author)
    )

    assert_error(unknown, 422, "validation_error")
    assert "status" in unknown.json()["error"]["details"]["fields"]
    assert_error(closed, 403, "forbidden")


# --- Support --------------------------------------------------------------------


def test_support_once_and_withdraw(client):
    challenge = post()
    headers = bearer(trusted_person())

    first = send(client, "post", support_url(challenge), headers=headers)
    second = send(client, "post", support_url(challenge), headers=headers)

    assert first.status_code == second.status_code == 200
    assert second.json() == {"supported": True, "supports_count": 1}
    assert ChallengeSupport.objects.count() == 1

    withdrawn = send(client, "delete", support_url(challenge), headers=headers)
    again = send(client, "delete", support_url(challenge), headers=headers)

    assert withdrawn.json() == {"supported": False, "supports_count": 0}
    assert again.json() == {"supported": False, "supports_count": 0}
    challenge.refresh_from_db()
    assert challenge.supports_count == 0


def test_a_closed_or_hidden_challenge_cannot_be_supported(client):
    closed = post(title="Fermé")
    services.challenge_close(challenge=closed, actor=closed.author, reason="Fini.")
    hidden = post(title="Masqué")
    set_moderation(hidden, ModerationState.HIDDEN)
    headers = bearer(trusted_person())

    assert_error(send(client, "post", support_url(closed), headers=headers), 403, "forbidden")
    assert_error(send(client, "post", support_url(hidden), headers=headers), 404, "not_found")
    assert not ChallengeSupport.objects.exists()


# --- Comments -------------------------------------------------------------------


def test_comment_and_reply(client):
    challenge = post()
    person = trusted_person()

    response = send(
        client, "post", comments_url(challenge), {"body": "  Pareil ici.  "}, bearer(person)
    )

    assert response.status_code == 201, response.json()
    comment = ChallengeComment.objects.get()
    assert comment.body == "Pareil ici." and comment.author == person
    assert response.json()["id"] == comment.pk
    assert response.json()["author"] == "Un·e participant·e"
    assert response.json()["replies"] == []

    reply = send(
        client,
        "post",
        comments_url(challenge),
        {"body": "Oui", "parent": comment.pk},
        bearer(person),
    )
    assert reply.status_code == 201
    assert ChallengeComment.objects.get(pk=reply.json()["id"]).parent == comment


def test_comment_errors(client):
    challenge = post()
    other = post(title="Un autre")
    elsewhere = services.challenge_comment_add(challenge=other, author=trusted_person(), body="x")
    root = services.challenge_comment_add(challenge=challenge, author=trusted_person(), body="x")
    reply = services.challenge_comment_add(
        challenge=challenge, author=trusted_person(), body="y", parent=root
    )
    headers = bearer(trusted_person())

    empty = send(client, "post", comments_url(challenge), {"body": ""}, headers)
    wrong_parent = send(
        client, "post", comments_url(challenge), {"body": "z", "parent": elsewhere.pk}, headers
    )
    too_deep = send(
        client, "post", comments_url(challenge), {"body": "z", "parent": reply.pk}, headers
    )

    assert_error(empty, 422, "validation_error")
    assert_error(wrong_parent, 422, "validation_error")
    assert "parent" in wrong_parent.json()["error"]["details"]["fields"]
    assert_error(too_deep, 422, "validation_error")
    assert ChallengeComment.objects.count() == 3


def test_the_openapi_schema_documents_the_challenges(client):
    schema = client.get("/api/v1/openapi.json").json()

    paths = schema["paths"]
    assert "/api/v1/challenges/" in paths
    assert "/api/v1/challenges/{slug}/support" in paths
    assert {"get", "post"} <= set(paths["/api/v1/challenges/"])
    assert ChallengeStatus.BEING_ADDRESSED in json.dumps(schema)
