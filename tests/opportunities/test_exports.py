"""Open-data files of the opportunities: CSV, JSON and GeoJSON, with their Table Schema."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiers40.opportunities import exports
from quartiers40.opportunities.enums import (
    Accessibility,
    Cost,
    HowToGo,
    Language,
    OpportunityKind,
    OpportunityStatus,
    QPVPriority,
    Situation,
)
from quartiers40.opportunities.models import ImportedStructure, OpportunityPlaceQPV
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.opportunities.factories import (
    InterestFactory,
    OpportunityFactory,
    PlaceFactory,
    SessionFactory,
)
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

SITE = {
    "csv": "/opportunites/export.csv",
    "json": "/opportunites/export.json",
    "geojson": "/opportunites/export.geojson",
}
API = {
    "csv": "/api/v1/opportunities/export.csv",
    "json": "/api/v1/opportunities/export.json",
    "geojson": "/api/v1/opportunities/export.geojson",
}
SCHEMA_FILE = Path(django_settings.BASE_DIR) / exports.SCHEMA_PATH


@pytest.fixture
def catalogue(settings):
    """Published items of both kinds of provider, awkward values, and hidden ones beside."""
    settings.SITE_URL = "https://quartiers40.example"
    organisation = OrganisationFactory(name="Clic, « Solidaire » | Sevran", slug="clic-solidaire")
    MembershipFactory(organisation=organisation, user=UserFactory(email="salariee@secret.example"))
    qpv = QPVFactory(code="QN09301M", name="Franc-Moisin")
    placed = OpportunityFactory(
        organisation=organisation,
        title='Atelier "CV", en ligne ; -20 %',
        description="Ligne 1\nLigne 2, avec virgule",
        kind=OpportunityKind.WORKSHOP,
        themes=[
            "numerique--maitriser-les-fondamentaux-du-numerique",
            "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
        ],
        cost=Cost.COVERED,
        how_to_go=[HowToGo.COME, HowToGo.CALL],
        contact_email="boite.secrete@exemple.fr",
        contact_phone="0611223344",
        qpv_priority=QPVPriority.FIRST,
        age_min=16,
        age_max=25,
        situations=[Situation.YOUNG, Situation.JOB_SEEKER],
        languages=[Language.FRENCH, Language.ARABIC],
        accessibility=[Accessibility.WHEELCHAIR],
        seats=12,
        deadline=date(2099, 1, 31),
        starts_on=date(2099, 2, 1),
    )
    first = PlaceFactory(opportunity=placed, commune_code="93066", postcode="93200")
    OpportunityPlaceQPV.objects.create(place=first, qpv=qpv, distance_m=0)
    PlaceFactory(opportunity=placed, latitude=48.9, longitude=2.36, commune_code="93066")
    SessionFactory(opportunity=placed, starts_on=date(2099, 2, 1))
    InterestFactory(opportunity=placed, name="Awa Secrète", email="awa.secrete@exemple.fr")
    structure = ImportedStructure.objects.create(
        source="dora", source_id="s1", name="Centre social", website="https://centre.example"
    )
    imported = OpportunityFactory(
        organisation=None,
        structure=structure,
        source="dora",
        source_id="svc-1",
        source_url="https://dora.example/svc-1",
        contact_phone="0102030405",
        is_remote=True,
    )
    remote = OpportunityFactory(organisation=organisation, is_remote=True)
    OpportunityFactory(title="Brouillon caché", status=OpportunityStatus.DRAFT)
    OpportunityFactory(title="Retirée cachée", status=OpportunityStatus.WITHDRAWN)
    OpportunityFactory(title="Terminée cachée", status=OpportunityStatus.EXPIRED)
    return {"placed": placed, "imported": imported, "remote": remote}


def _csv_rows(client, url=SITE["csv"]) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# --- The Table Schema -------------------------------------------------------------


def test_schema_file_is_the_generated_schema():
    """docs/schemas/opportunities.schema.json is written from exports.table_schema()."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == exports.table_schema()


def test_schema_describes_every_csv_column(client, catalogue):
    header = client.get(SITE["csv"]).content.decode("utf-8").splitlines()[0].split(",")
    fields = [field["name"] for field in exports.table_schema()["fields"]]
    assert header == fields
    assert all(field.get("description") for field in exports.table_schema()["fields"])


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
        path="opportunites.csv", basepath=str(directory), schema=schema, encoding="utf-8"
    )
    return frictionless.validate(resource)


def test_csv_is_valid_against_the_schema(client, catalogue, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    (tmp_path / "opportunites.csv").write_bytes(client.get(SITE["csv"]).content)
    report = _validate(frictionless, tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 3


def test_an_invalid_csv_is_caught_by_the_schema(client, catalogue, tmp_path):
    """The validation really checks: a kind out of the list fails it."""
    frictionless = pytest.importorskip("frictionless")
    text = client.get(SITE["csv"]).content.decode("utf-8")
    assert ",workshop," in text
    (tmp_path / "opportunites.csv").write_text(
        text.replace(",workshop,", ",party,", 1), encoding="utf-8"
    )
    report = _validate(frictionless, tmp_path)
    assert not report.valid


# --- Contents ---------------------------------------------------------------------


@pytest.mark.parametrize("urls", [SITE, API], ids=["site", "api"])
def test_only_published_items_in_every_format(client, catalogue, urls):
    wanted = sorted(item.pk for item in catalogue.values())
    assert sorted(int(row["id"]) for row in _csv_rows(client, urls["csv"])) == wanted
    assert sorted(row["id"] for row in client.get(urls["json"]).json()) == wanted
    geojson = client.get(urls["geojson"])
    assert geojson["Content-Type"] == "application/geo+json"
    ids = {feature["properties"]["id"] for feature in geojson.json()["features"]}
    assert sorted(ids) == wanted


def test_csv_keeps_raw_values_and_joins_lists(client, catalogue):
    placed = catalogue["placed"]
    row = next(row for row in _csv_rows(client) if row["id"] == str(placed.pk))
    assert row["title"] == 'Atelier "CV", en ligne ; -20 %'  # raw: no leading quote
    assert row["description"] == "Ligne 1\nLigne 2, avec virgule"
    assert row["provider_name"] == "Clic, « Solidaire » | Sevran"
    assert row["themes"] == (
        "numerique--maitriser-les-fondamentaux-du-numerique|"
        "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"
    )
    assert row["situations"] == "young|job_seeker"
    assert row["how_to_go"] == "come|call"
    assert row["qpv_codes"] == "QN09301M"
    assert row["commune_codes"] == "93066"
    assert row["places_count"] == "2"
    assert row["cost"] == "covered"
    assert row["qpv_priority"] == "first"
    assert row["is_remote"] == "false"
    assert row["url"] == f"https://quartiers40.example/opportunites/{placed.slug}/"
    assert row["provider_url"] == "https://quartiers40.example/organisations/clic-solidaire/"
    assert row["sessions"] == "2099-02-01"


def test_json_keeps_lists_and_nulls(client, catalogue):
    rows = {row["id"]: row for row in client.get(SITE["json"]).json()}
    placed = rows[catalogue["placed"].pk]
    assert placed["languages"] == ["fr", "ar"]
    assert placed["level_required"] == 0
    remote = rows[catalogue["remote"].pk]
    assert remote["longitude"] is None and remote["qpv_priority"] is None
    imported = rows[catalogue["imported"].pk]
    assert imported["provider_kind"] == "structure"
    assert imported["provider_slug"] is None
    assert imported["provider_url"] == "https://centre.example"
    assert imported["source"] == "dora" and imported["source_id"] == "svc-1"


def test_phone_only_for_imported_items(client, catalogue):
    """A member's number stays on the page; a source's published number is passed on."""
    rows = {row["id"]: row for row in client.get(SITE["json"]).json()}
    assert rows[catalogue["placed"].pk]["phone"] is None
    assert rows[catalogue["imported"].pk]["phone"] == "0102030405"


def test_no_personal_data_in_any_file(client, catalogue):
    for urls in (SITE, API):
        for url in urls.values():
            body = client.get(url).content.decode("utf-8")
            for secret in (
                "boite.secrete@exemple.fr",
                "0611223344",
                "awa.secrete",
                "Awa Secrète",
                "salariee@secret.example",
            ):
                assert secret not in body, (url, secret)


def test_geojson_one_point_per_place_and_null_geometry_without_one(client, catalogue):
    features = client.get(SITE["geojson"]).json()["features"]
    placed = catalogue["placed"]
    mine = [f for f in features if f["properties"]["id"] == placed.pk]
    assert [f["id"] for f in mine] == [f"{placed.pk}-1", f"{placed.pk}-2"]
    assert mine[0]["geometry"] == {"type": "Point", "coordinates": [2.354, 48.885]}
    assert mine[0]["properties"]["place_qpv_codes"] == ["QN09301M"]
    assert mine[1]["geometry"]["coordinates"] == [2.36, 48.9]
    assert mine[1]["properties"]["place_qpv_codes"] == []
    remote = [f for f in features if f["properties"]["id"] == catalogue["remote"].pk]
    assert remote == [
        {
            "type": "Feature",
            "id": str(catalogue["remote"].pk),
            "geometry": None,
            "properties": remote[0]["properties"],
        }
    ]


def test_queries_do_not_grow_with_the_number_of_items(client, catalogue):
    with CaptureQueriesContext(connection) as few:
        client.get(SITE["geojson"])
    for _ in range(10):
        PlaceFactory(opportunity=OpportunityFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(SITE["geojson"])
    assert len(many) == len(few)


def test_export_is_a_reserved_slug():
    from quartiers40.opportunities.services import RESERVED_SLUGS

    assert "export" in RESERVED_SLUGS
