import csv
import io
import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from quartiers40.members.enums import Role
from quartiers40.projects import exports
from quartiers40.projects.enums import AICategory, ProjectStatus, Stage, Theme
from quartiers40.territories.models import QPV
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.projects.factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db

CSV_URL = "/api/v1/projects/export.csv"
JSON_URL = "/api/v1/projects/export.json"
GEOJSON_URL = "/api/v1/projects/export.geojson"
SCHEMA_FILE = Path(django_settings.BASE_DIR) / exports.SCHEMA_PATH


@pytest.fixture
def make_qpv():
    numbers = itertools.count(1)

    def make(**fields) -> QPV:
        number = next(numbers)
        fields.setdefault("code", f"QN093{number:03d}X")
        fields.setdefault("name", f"Quartier {number}")
        fields.setdefault("department_code", "93")
        return QPV.objects.create(**fields)

    return make


@pytest.fixture
def catalogue(make_qpv):
    """Published projects with awkward values, a draft and an archived one beside them."""
    carrier = OrganisationFactory(name="Les Ateliers, « du » Franc-Moisin")
    admin = UserFactory(email="porteuse.secret@exemple.fr")
    MembershipFactory(organisation=carrier, user=admin, role=Role.ADMIN)
    qpv = make_qpv(code="QN09301M", name="Franc-Moisin", centroid_lon=2.36, centroid_lat=48.92)
    placed = PublishedProjectFactory(
        title='Assistant "démarches", multilingue',
        description="Ligne 1\nLigne 2 ; avec point-virgule",
        carrier=carrier,
        created_by=admin,
        themes=[Theme.PUBLIC_SERVICES.value, Theme.DIGITAL_INCLUSION.value],
        started_on=date(2025, 3, 1),
        source_code_url="https://code.example/assistant",
        processes_personal_data=True,
    )
    placed.qpvs.add(qpv)
    placed.partners.add(OrganisationFactory(name="Partenaire | à barre"))
    unplaced = PublishedProjectFactory(
        ai_category="", stage=Stage.IDEA, departments=["69"], themes=[], beneficiaries=[]
    )
    unlocated_qpv = PublishedProjectFactory(ai_category=AICategory.VISION)
    unlocated_qpv.qpvs.add(make_qpv(code="QN06901M"))  # no centroid
    ProjectFactory(title="Brouillon caché", carrier=carrier)
    ProjectFactory(title="Archivé caché", status=ProjectStatus.ARCHIVED)
    return {"placed": placed, "unplaced": unplaced, "unlocated_qpv": unlocated_qpv}


def _csv_rows(client) -> list[dict]:
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


# --- The Table Schema -------------------------------------------------------------


def test_schema_file_is_the_generated_schema():
    """docs/schemas/projects.schema.json is written from exports.table_schema()."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == exports.table_schema()


def test_schema_describes_every_csv_column(client, catalogue):
    header = client.get(CSV_URL).content.decode("utf-8").splitlines()[0].split(",")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    fields = {field["name"]: field for field in schema["fields"]}

    assert header == list(fields)
    assert fields["stage"]["constraints"]["enum"] == list(Stage.values)
    assert fields["ai_category"]["constraints"]["enum"] == list(AICategory.values)
    assert all(field.get("description") for field in schema["fields"])


def test_schema_is_a_valid_table_schema():
    frictionless = pytest.importorskip("frictionless")

    report = frictionless.Schema.validate_descriptor(
        json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    )

    assert report.valid, report.flatten(["type", "note"])


def _validate(frictionless, directory: Path):
    """Validate directory/projets.csv against the schema file (paths relative: "safe")."""
    schema = frictionless.Schema.from_descriptor(
        json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    )
    resource = frictionless.Resource(
        path="projets.csv",
        basepath=str(directory),
        schema=schema,
        encoding="utf-8",
        format="csv",
    )
    return frictionless.validate(resource)


def test_csv_is_valid_against_the_schema(client, catalogue, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    (tmp_path / "projets.csv").write_bytes(client.get(CSV_URL).content)

    report = _validate(frictionless, tmp_path)

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 3


def test_an_invalid_csv_is_caught_by_the_schema(client, catalogue, tmp_path):
    """The validation above really checks: a stage out of the list fails it."""
    frictionless = pytest.importorskip("frictionless")
    (tmp_path / "projets.csv").write_text(
        client.get(CSV_URL).content.decode("utf-8").replace(",pilot,", ",flying,", 1),
        encoding="utf-8",
    )

    report = _validate(frictionless, tmp_path)

    assert not report.valid
    assert "constraint-error" in {error[0] for error in report.flatten(["type"])}


# --- CSV --------------------------------------------------------------------------


def test_csv_holds_only_published_projects(client, catalogue):
    rows = _csv_rows(client)

    assert sorted(int(row["id"]) for row in rows) == sorted(
        project.pk for project in catalogue.values()
    )
    assert not any("caché" in row["title"] for row in rows)


def test_csv_values(client, catalogue, settings):
    settings.SITE_URL = "https://quartiers40.example"
    placed = catalogue["placed"]

    row = next(row for row in _csv_rows(client) if int(row["id"]) == placed.pk)

    assert row["title"] == 'Assistant "démarches", multilingue'
    assert row["description"] == "Ligne 1\nLigne 2 ; avec point-virgule"
    assert row["themes"] == "public_services|digital_inclusion"
    assert row["qpv_codes"] == "QN09301M"
    assert row["carrier_name"] == "Les Ateliers, « du » Franc-Moisin"
    assert row["partner_names"] == "Partenaire ¦ à barre"
    assert row["processes_personal_data"] == "true"
    assert row["started_on"] == "2025-03-01"
    assert row["ended_on"] == ""
    assert row["stage"] == "pilot"
    assert row["published_at"].endswith("Z")
    assert row["url"] == f"https://quartiers40.example/projets/{placed.slug}/"


# --- JSON -------------------------------------------------------------------------


def test_json_is_a_list_of_objects_with_the_csv_columns(client, catalogue):
    response = client.get(JSON_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    items = response.json()
    assert isinstance(items, list)
    assert sorted(item["id"] for item in items) == sorted(p.pk for p in catalogue.values())
    assert all(list(item) == exports.COLUMN_NAMES for item in items)
    placed = next(item for item in items if item["id"] == catalogue["placed"].pk)
    assert placed["themes"] == ["public_services", "digital_inclusion"]
    assert placed["partner_names"] == ["Partenaire | à barre"]
    assert placed["processes_personal_data"] is True
    unplaced = next(item for item in items if item["id"] == catalogue["unplaced"].pk)
    assert unplaced["ai_category"] is None
    assert unplaced["themes"] == []


# --- GeoJSON ----------------------------------------------------------------------


def test_geojson_places_projects_at_their_first_qpv(client, catalogue):
    response = client.get(GEOJSON_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) == {project.pk for project in catalogue.values()}
    for feature in features.values():
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == set(exports.COLUMN_NAMES)
    assert features[catalogue["placed"].pk]["geometry"] == {
        "type": "Point",
        "coordinates": [2.36, 48.92],
    }
    assert features[catalogue["unplaced"].pk]["geometry"] is None
    assert features[catalogue["unlocated_qpv"].pk]["geometry"] is None


def test_exports_of_an_empty_catalogue(client):
    ProjectFactory()

    assert _csv_rows(client) == []
    assert client.get(JSON_URL).json() == []
    assert client.get(GEOJSON_URL).json() == {"type": "FeatureCollection", "features": []}


# --- Privacy and cost ---------------------------------------------------------------


def test_no_email_anywhere(client, catalogue):
    for url in (CSV_URL, JSON_URL, GEOJSON_URL):
        body = client.get(url).content.decode("utf-8")
        assert "@" not in body, url
        assert "secret" not in body, url
        assert "email" not in body, url
        assert "created_by" not in body, url


def test_export_query_count_does_not_grow(client, make_qpv, django_assert_max_num_queries):
    qpv = make_qpv()
    for _ in range(20):
        PublishedProjectFactory().qpvs.add(qpv)

    for url in (CSV_URL, JSON_URL, GEOJSON_URL):
        with django_assert_max_num_queries(5):  # projects, QPVs, partners, AI drafts (+ carrier)
            client.get(url)
