import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from quartiers40.challenges import exports, services
from quartiers40.challenges.enums import ChallengeStatus, ModerationState, OfferState, Theme
from quartiers40.challenges.models import Challenge, ChallengeComment, ChallengeOffer
from quartiers40.core.opendata import rows_csv
from quartiers40.members.enums import Role
from quartiers40.projects.enums import ProjectStatus
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.projects.factories import ProjectFactory, PublishedProjectFactory
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

CSV_URL = "/api/v1/challenges/export.csv"
JSON_URL = "/api/v1/challenges/export.json"
GEOJSON_URL = "/api/v1/challenges/export.geojson"
SCHEMA_FILE = Path(django_settings.BASE_DIR) / exports.SCHEMA_PATH


def trusted_person(**fields):
    """An account old enough for its défis to skip the moderation queue."""
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


@pytest.fixture
def catalogue():
    """Public défis with awkward values, and the défis that must stay out beside them."""
    organisation = OrganisationFactory(name="Les Ateliers, « du » Franc-Moisin")
    admin = UserFactory(email="porteuse.secret@exemple.fr")
    MembershipFactory(organisation=organisation, user=admin, role=Role.ADMIN)
    qpv = QPVFactory(
        code="QN09301M",
        name="Franc-Moisin",
        department_code="93",
        centroid_lon=2.36,
        centroid_lat=48.92,
    )
    second = QPVFactory(code="QN09302M", name="Zola | Cosmonautes", department_code="93")
    placed = post(
        author=admin,
        organisation=organisation,
        qpvs=[qpv, second],
        title='Le "wifi", enfin',
        situation="Ligne 1\nLigne 2 ; avec point-virgule",
        themes=[Theme.DIGITAL_INCLUSION.value, Theme.HOUSING.value],
    )
    by_commune = post(commune_insee="93066", commune_name="Saint-Denis", themes=[])
    QPVFactory(code="QN09303M", commune_code="93066", centroid_lon=2.0, centroid_lat=48.0)
    QPVFactory(code="QN09304M", commune_code="93066", centroid_lon=3.0, centroid_lat=49.0)
    nowhere = post(commune_insee="", commune_name="Quelque part")
    # Out of the exports: pending, hidden, merged.
    pending = post(title="En attente caché")
    Challenge.objects.filter(pk=pending.pk).update(moderation=ModerationState.PENDING)
    hidden = post(title="Masqué caché")
    Challenge.objects.filter(pk=hidden.pk).update(moderation=ModerationState.HIDDEN)
    merged = post(title="Fusionné caché")
    Challenge.objects.filter(pk=merged.pk).update(merged_into=placed)
    return {"placed": placed, "by_commune": by_commune, "nowhere": nowhere}


def _csv_rows(client) -> list[dict]:
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


# --- The Table Schema -------------------------------------------------------------


def test_schema_file_is_the_generated_schema():
    """docs/schemas/challenges.schema.json is written from exports.table_schema()."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == exports.table_schema()


def test_schema_describes_every_csv_column(client, catalogue):
    header = client.get(CSV_URL).content.decode("utf-8").splitlines()[0].split(",")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    fields = {field["name"]: field for field in schema["fields"]}

    assert header == list(fields) == exports.COLUMN_NAMES
    assert fields["status"]["constraints"]["enum"] == list(ChallengeStatus.values)
    assert all(field.get("description") for field in schema["fields"])


def test_schema_is_a_valid_table_schema():
    frictionless = pytest.importorskip("frictionless")

    report = frictionless.Schema.validate_descriptor(
        json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    )

    assert report.valid, report.flatten(["type", "note"])


def _validate(frictionless, directory: Path):
    schema = frictionless.Schema.from_descriptor(
        json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    )
    resource = frictionless.Resource(
        path="defis.csv", basepath=str(directory), schema=schema, encoding="utf-8", format="csv"
    )
    return frictionless.validate(resource)


def _full_lifecycle():
    """A solved défi (with a published project) and a closed one, through the services."""
    author = trusted_person()
    helper_admin = UserFactory()
    helper = OrganisationFactory(name="Aide Numérique")
    MembershipFactory(organisation=helper, user=helper_admin, role=Role.ADMIN)
    project = PublishedProjectFactory(carrier=helper, title="Wifi solidaire")
    solved = post(author=author, title="Un défi résolu")
    offer = services.challenge_offer_make(
        challenge=solved,
        actor=helper_admin,
        organisation=helper,
        proposal="Nous aidons.",
        project=project,
    )
    services.challenge_offer_accept(offer=offer, actor=author)
    services.challenge_solve(
        challenge=solved,
        actor=author,
        outcome_text="Un wifi a été installé.",
        outcome_result="120 familles connectées.",
        outcome_project=project,
    )
    closed = post(author=author, title="Un défi fermé")
    services.challenge_close(challenge=closed, actor=author, reason="Plus d'actualité.")
    return solved, closed, project


def test_csv_is_valid_against_the_schema(client, catalogue, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    _full_lifecycle()
    (tmp_path / "defis.csv").write_bytes(client.get(CSV_URL).content)

    report = _validate(frictionless, tmp_path)

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 5


def test_an_invalid_csv_is_caught_by_the_schema(client, catalogue, tmp_path):
    """The validation above really checks: a status out of the list fails it."""
    frictionless = pytest.importorskip("frictionless")
    (tmp_path / "defis.csv").write_text(
        client.get(CSV_URL).content.decode("utf-8").replace(",open,", ",flying,", 1),
        encoding="utf-8",
    )

    report = _validate(frictionless, tmp_path)

    assert not report.valid
    assert "constraint-error" in {error[0] for error in report.flatten(["type"])}


def test_json_and_geojson_rows_are_valid_against_the_schema(client, catalogue, tmp_path):
    """The JSON and GeoJSON carry the CSV's rows: written back as CSV, they validate too."""
    frictionless = pytest.importorskip("frictionless")
    _full_lifecycle()
    json_rows = client.get(JSON_URL).json()
    geojson_rows = [f["properties"] for f in client.get(GEOJSON_URL).json()["features"]]

    for rows in (json_rows, geojson_rows):
        csv_text = rows_csv(rows, exports.COLUMN_NAMES)
        (tmp_path / "defis.csv").write_text(csv_text, encoding="utf-8")
        report = _validate(frictionless, tmp_path)
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.tasks[0].stats["rows"] == 5


# --- CSV --------------------------------------------------------------------------


def test_csv_holds_only_public_challenges(client, catalogue):
    rows = _csv_rows(client)

    assert sorted(row["id"] for row in rows) == sorted(c.public_id for c in catalogue.values())
    assert not any("caché" in row["title"] for row in rows)


def test_csv_values(client, catalogue, settings):
    settings.SITE_URL = "https://quartiers40.example"
    placed = catalogue["placed"]
    voter = trusted_person()
    services.challenge_support(challenge=placed, user=voter)
    comment = services.challenge_comment_add(challenge=placed, author=voter, body="Pareil ici.")
    services.challenge_comment_add(challenge=placed, author=voter, body="Oui.", parent=comment)
    hidden = services.challenge_comment_add(challenge=placed, author=voter, body="Pub")
    ChallengeComment.objects.filter(pk=hidden.pk).update(hidden=True)
    helper = OrganisationFactory()
    ChallengeOffer.objects.create(challenge=placed, organisation=helper, proposal="Oui")
    ChallengeOffer.objects.create(
        challenge=placed, organisation=helper, proposal="Non", state=OfferState.WITHDRAWN
    )

    row = next(row for row in _csv_rows(client) if row["id"] == placed.public_id)

    assert row["slug"] == placed.slug
    assert row["title"] == 'Le "wifi", enfin'
    assert row["situation"] == "Ligne 1\nLigne 2 ; avec point-virgule"
    assert row["themes"] == "digital_inclusion|housing"
    assert row["qpv_codes"] == "QN09301M|QN09302M"
    assert row["qpv_names"] == "Franc-Moisin|Zola ¦ Cosmonautes"
    assert row["department"] == "93"
    assert row["status"] == "open"
    assert row["supports_count"] == "1"
    assert row["comments_count"] == "2"  # the hidden one does not count
    assert row["offers_count"] == "1"  # nor the withdrawn offer
    assert row["author"] == "Les Ateliers, « du » Franc-Moisin"
    assert row["on_behalf_of_resident"] == "false"
    assert row["organisation_name"] == "Les Ateliers, « du » Franc-Moisin"
    assert row["outcome_text"] == row["closed_reason"] == row["outcome_project_url"] == ""
    assert row["created_at"].endswith("Z")
    assert row["url"] == f"https://quartiers40.example/defis/{placed.slug}/"


def test_csv_outcome_and_closed_reason(client, settings):
    settings.SITE_URL = "https://quartiers40.example"
    solved, closed, project = _full_lifecycle()

    rows = {row["id"]: row for row in _csv_rows(client)}

    assert rows[solved.public_id]["status"] == "solved"
    assert rows[solved.public_id]["outcome_text"] == "Un wifi a été installé."
    assert rows[solved.public_id]["outcome_result"] == "120 familles connectées."
    assert rows[solved.public_id]["outcome_project_url"] == (
        f"https://quartiers40.example/projets/{project.slug}/"
    )
    assert rows[solved.public_id]["status_changed_at"].endswith("Z")
    assert rows[closed.public_id]["status"] == "closed"
    assert rows[closed.public_id]["closed_reason"] == "Plus d'actualité."


def test_an_unpublished_outcome_project_is_not_named(client):
    solved, _closed, project = _full_lifecycle()
    project.status = ProjectStatus.DRAFT
    project.save()

    row = next(row for row in _csv_rows(client) if row["id"] == solved.public_id)

    assert row["outcome_project_url"] == ""
    assert project.slug not in client.get(JSON_URL).content.decode()


# --- JSON -------------------------------------------------------------------------


def test_json_is_a_list_of_objects_with_the_csv_columns(client, catalogue):
    response = client.get(JSON_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    items = response.json()
    assert sorted(item["id"] for item in items) == sorted(c.public_id for c in catalogue.values())
    assert all(list(item) == exports.COLUMN_NAMES for item in items)
    placed = next(item for item in items if item["id"] == catalogue["placed"].public_id)
    assert placed["themes"] == ["digital_inclusion", "housing"]
    assert placed["qpv_names"] == ["Franc-Moisin", "Zola | Cosmonautes"]
    assert placed["on_behalf_of_resident"] is False
    assert placed["supports_count"] == 0
    nowhere = next(item for item in items if item["id"] == catalogue["nowhere"].public_id)
    assert nowhere["commune_insee"] is None
    assert nowhere["themes"] == []
    assert nowhere["outcome_project_url"] is None


# --- GeoJSON ----------------------------------------------------------------------


def test_geojson_places_challenges_at_their_first_qpv_or_their_commune(client, catalogue):
    response = client.get(GEOJSON_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) == {c.public_id for c in catalogue.values()}
    for feature in features.values():
        assert feature["type"] == "Feature"
        assert list(feature["properties"]) == exports.COLUMN_NAMES
    assert features[catalogue["placed"].public_id]["geometry"] == {
        "type": "Point",
        "coordinates": [2.36, 48.92],
    }
    # No QPV: the middle of the commune's QPVs.
    assert features[catalogue["by_commune"].public_id]["geometry"] == {
        "type": "Point",
        "coordinates": [2.5, 48.5],
    }
    assert features[catalogue["nowhere"].public_id]["geometry"] is None


def test_exports_of_no_public_challenge(client):
    pending = post()
    Challenge.objects.filter(pk=pending.pk).update(moderation=ModerationState.PENDING)

    assert _csv_rows(client) == []
    assert client.get(JSON_URL).json() == []
    assert client.get(GEOJSON_URL).json() == {"type": "FeatureCollection", "features": []}


def test_exports_are_cacheable_and_named(client):
    for url, filename in (
        (CSV_URL, "defis.csv"),
        (JSON_URL, "defis.json"),
        (GEOJSON_URL, "defis.geojson"),
    ):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=300"
        assert filename in response["Content-Disposition"]


def test_export_query_count_does_not_grow(client, django_assert_max_num_queries):
    qpv = QPVFactory(centroid_lon=2.3, centroid_lat=48.9)
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    for index in range(15):
        post(author=admin, organisation=organisation, qpvs=[qpv], title=f"Défi {index}")
        post(commune_insee="75056", commune_name="Paris", title=f"Ailleurs {index}")
    ProjectFactory()

    for url in (CSV_URL, JSON_URL, GEOJSON_URL):
        # challenges (+ author, organisation, outcome project, counts), QPVs, commune centroids
        with django_assert_max_num_queries(4):
            client.get(url)
