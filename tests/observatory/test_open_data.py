"""The open-data catalogue: every dataset's files against their Table Schemas, the sizes and
update dates the catalogue states, the ZIP, the DCAT-AP catalogue, and nothing private in any
file."""

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartiers40.challenges.enums import ModerationState
from quartiers40.core.pagecache import cache_version_bump
from quartiers40.meetings.enums import EditionStatus
from quartiers40.meetings.models import ActionItem, Edition
from quartiers40.members.enums import OrganisationStatus, Role
from quartiers40.members.models import Organisation
from quartiers40.observatory.open_data import (
    archive,
    dcat,
    figures,
    meetings,
    organisations,
    stats,
)
from quartiers40.observatory.open_data.registry import DATASETS, LICENCE, dataset_get
from quartiers40.observatory.services import observatory_recompute
from quartiers40.projects.models import Project
from quartiers40.territories.models import QPV
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    EditionFactory,
    HybridEditionFactory,
    LocalSeriesFactory,
    RegistrationFactory,
)
from tests.members.factories import MembershipFactory, OrganisationFactory, ResidentFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory
from tests.projects.factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(django_settings.BASE_DIR)
CATALOGUE_URL = "/donnees-ouvertes/"
ZIP_URL = "/donnees-ouvertes/tout.zip"
JSONLD_URL = "/donnees-ouvertes/catalogue.jsonld"
DISTRIBUTIONS = [
    pytest.param(dataset.key, distribution.key, id=f"{dataset.key}-{distribution.key}")
    for dataset in DATASETS
    for distribution in dataset.distributions
]
CSV_DATASETS = [pytest.param(dataset.key, id=dataset.key) for dataset in DATASETS]

# What must never be in any file: people, their addresses, what is not public.
SECRETS = (
    "habitante.secret@exemple.fr",
    "Fatou Secrète",
    "06 12 34 56 78",
    "inscrite.secret@exemple.fr",
    "Inscrite Secrète",
    "porteuse.secret@exemple.fr",
    "Projet brouillon caché",
    "Défi masqué caché",
    "Organisation candidate cachée",
    "Édition brouillon cachée",
    "Action d'une édition brouillon",
    "visio.secret.example",
    "Compte rendu pas encore publié",
)


@pytest.fixture
def world(settings):
    """A little of everything, public and not, with awkward values."""
    settings.SITE_URL = "https://quartiers40.example"
    qpv = QPV.objects.create(
        code="QN09301M",
        name="Franc-Moisin",
        department_code="93",
        centroid_lon=2.36,
        centroid_lat=48.92,
    )
    resident = ResidentFactory(
        email="habitante.secret@exemple.fr", display_name="Fatou Secrète", phone="06 12 34 56 78"
    )
    carrier = OrganisationFactory(
        name="Les Ateliers, « du » Franc-Moisin",
        website="https://ateliers.example",
        siret="732 829 320 00074",
        commune_code="93066",
    )
    carrier.qpvs.add(qpv)
    MembershipFactory(
        organisation=carrier,
        user=ResidentFactory(email="porteuse.secret@exemple.fr", display_name="Porteuse"),
        role=Role.ADMIN,
    )
    OrganisationFactory(name="Organisation candidate cachée", status=OrganisationStatus.CANDIDATE)
    project = PublishedProjectFactory(title='Assistant "démarches", multilingue', carrier=carrier)
    project.qpvs.add(qpv)
    draft = ProjectFactory(title="Projet brouillon caché", carrier=carrier)
    ChallengeFactory(title="Les ascenseurs en panne", author=resident)
    ChallengeFactory(title="Défi masqué caché", moderation=ModerationState.HIDDEN, author=resident)
    opportunity = OpportunityFactory(organisation=carrier, title="Atelier CV ; -20 %")
    PlaceFactory(opportunity=opportunity)
    series = LocalSeriesFactory(organisation=carrier)
    past = EditionFactory(
        series=series,
        title="Petit déj de mars",
        starts_at=timezone.now() - timedelta(days=30),
        minutes="Nous avons décidé trois actions.",
        minutes_published_at=timezone.now() - timedelta(days=29),
    )
    AgendaItemFactory(edition=past)
    upcoming = HybridEditionFactory(
        title="Petit déj de juin", online_url="https://visio.secret.example/salle"
    )
    upcoming.minutes = "Compte rendu pas encore publié"
    upcoming.save()
    RegistrationFactory(
        edition=upcoming,
        user=None,
        name="Inscrite Secrète",
        email="inscrite.secret@exemple.fr",
        phone="06 12 34 56 78",
    )
    draft_edition = EditionFactory(title="Édition brouillon cachée", status=EditionStatus.DRAFT)
    ActionItemFactory(edition=draft_edition, title="Action d'une édition brouillon")
    by_resident = ActionItemFactory(
        edition=past, owner_organisation=None, owner_user=resident, title="Écrire le bilan"
    )
    with_draft = ActionItemFactory(edition=past, project=draft, owner_organisation=carrier)
    with_project = ActionItemFactory(edition=past, project=project, owner_organisation=carrier)
    observatory_recompute()  # the observatory's figures per QPV and quarter
    return {
        "carrier": carrier,
        "project": project,
        "past": past,
        "upcoming": upcoming,
        "by_resident": by_resident,
        "with_draft": with_draft,
        "with_project": with_project,
    }


def _frictionless():
    return pytest.importorskip("frictionless")


# --- The schemas ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (organisations.SCHEMA_PATH, organisations.table_schema),
        (meetings.EDITIONS_SCHEMA_PATH, meetings.editions_table_schema),
        (meetings.ACTION_ITEMS_SCHEMA_PATH, meetings.action_items_table_schema),
        (figures.SCHEMA_PATH, figures.table_schema),
    ],
    ids=["organisations", "editions", "action-items", "observatory-figures"],
)
def test_schema_files_are_the_generated_schemas(path, schema):
    assert json.loads((BASE_DIR / path).read_text(encoding="utf-8")) == schema()


@pytest.mark.parametrize("key", CSV_DATASETS)
def test_every_schema_is_a_valid_table_schema(key):
    frictionless = _frictionless()
    dataset = dataset_get(key)
    descriptor = json.loads(archive.schema_file(dataset).read_text(encoding="utf-8"))
    report = frictionless.Schema.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["type", "note"])


@pytest.mark.parametrize("key", CSV_DATASETS)
def test_every_csv_is_valid_against_its_schema(client, world, tmp_path, key):
    frictionless = _frictionless()
    dataset = dataset_get(key)
    csv_file = dataset.distribution("csv")
    response = client.get(reverse(csv_file.url_name))
    assert response.status_code == 200
    (tmp_path / "data.csv").write_bytes(response.content)
    schema = frictionless.Schema.from_descriptor(
        json.loads(archive.schema_file(dataset).read_text(encoding="utf-8"))
    )
    resource = frictionless.Resource(
        path="data.csv", basepath=str(tmp_path), schema=schema, encoding="utf-8"
    )
    report = frictionless.validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] >= 1


def test_a_wrong_value_is_caught_by_a_new_schema(client, world, tmp_path):
    """The validation really checks: an action item's unknown status fails it."""
    frictionless = _frictionless()
    text = client.get("/donnees-ouvertes/actions-de-suivi.csv").content.decode("utf-8")
    assert ",open," in text
    (tmp_path / "data.csv").write_text(text.replace(",open,", ",forgotten,", 1), encoding="utf-8")
    schema = frictionless.Schema.from_descriptor(meetings.action_items_table_schema())
    report = frictionless.validate(
        frictionless.Resource(path="data.csv", basepath=str(tmp_path), schema=schema)
    )
    assert not report.valid


def test_schemas_are_served_at_stable_addresses(client):
    for dataset in DATASETS:
        response = client.get(f"/donnees-ouvertes/schemas/{dataset.schema_name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/schema+json"
        assert response.content == archive.schema_file(dataset).read_bytes()
    assert client.get("/donnees-ouvertes/schemas/challenges.json").status_code == 404
    assert client.get("/donnees-ouvertes/schemas/..%2Fpyproject.toml").status_code == 404


# --- The new datasets' contents -------------------------------------------------------


def test_organisations_are_the_members_only(client, world):
    rows = client.get("/donnees-ouvertes/organisations.json").json()
    carrier = world["carrier"]
    assert [row["id"] for row in rows] == sorted(
        Organisation.objects.members_of_collective().values_list("slug", flat=True),
        key=lambda slug: Organisation.objects.get(slug=slug).name,
    )
    row = next(row for row in rows if row["id"] == carrier.slug)
    assert row["siret"] == "73282932000074"
    assert row["qpv_codes"] == ["QN09301M"]
    assert row["url"] == f"https://quartiers40.example/organisations/{carrier.slug}/"
    features = client.get("/donnees-ouvertes/organisations.geojson").json()["features"]
    placed = next(feature for feature in features if feature["id"] == carrier.slug)
    assert placed["geometry"] == {"type": "Point", "coordinates": [2.36, 48.92]}


def test_editions_are_the_public_ones_without_their_private_parts(client, world):
    rows = {row["id"]: row for row in client.get("/donnees-ouvertes/rencontres.json").json()}
    assert set(rows) == {world["past"].slug, world["upcoming"].slug}
    past = rows[world["past"].slug]
    assert past["minutes"] == "Nous avons décidé trois actions."
    assert past["agenda_items_count"] == 1
    assert past["action_items_count"] == 3
    assert past["organisation_id"] == world["carrier"].slug
    upcoming = rows[world["upcoming"].slug]
    assert upcoming["minutes"] == "" and upcoming["minutes_published_at"] is None
    assert "online_url" not in upcoming


def test_action_items_name_only_what_is_public(client, world):
    rows = {row["id"]: row for row in client.get("/donnees-ouvertes/actions-de-suivi.json").json()}
    assert set(rows) == {world["by_resident"].pk, world["with_draft"].pk, world["with_project"].pk}
    assert rows[world["by_resident"].pk]["owner"] == "Une personne du collectif"
    assert rows[world["with_draft"].pk]["project_url"] is None
    assert rows[world["with_project"].pk]["project_url"] == (
        f"https://quartiers40.example/projets/{world['project'].slug}/"
    )


# --- Sizes and update dates -----------------------------------------------------------


@pytest.mark.parametrize(("key", "distribution_key"), DISTRIBUTIONS)
def test_each_file_is_the_one_its_address_serves_and_its_size_is_right(
    client, world, key, distribution_key
):
    dataset = dataset_get(key)
    distribution = dataset.distribution(distribution_key)
    response = client.get(reverse(distribution.url_name))
    assert response.status_code == 200
    assert response["Content-Type"] == distribution.format.content_type
    assert response.content == distribution.build().encode("utf-8")
    assert stats.dataset_stats(dataset).sizes[distribution_key] == len(response.content)


def test_update_date_is_the_latest_change_of_what_the_dataset_holds(world):
    moment = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    Project.objects.filter(pk=world["project"].pk).update(last_updated_at=moment)
    Project.objects.exclude(pk=world["project"].pk).update(
        last_updated_at=moment + timedelta(days=9)  # drafts: not in the dataset
    )
    ActionItem.objects.update(updated_at=moment - timedelta(days=1))
    ActionItem.objects.filter(pk=world["with_project"].pk).update(updated_at=moment)
    Edition.objects.filter(status=EditionStatus.DRAFT).update(updated_at=moment + timedelta(1))
    ActionItem.objects.filter(edition__status=EditionStatus.DRAFT).update(
        updated_at=moment + timedelta(days=2)
    )
    assert stats.dataset_stats_compute(dataset_get("projets")).modified == moment
    computed = stats.dataset_stats_compute(dataset_get("actions-de-suivi"))
    assert computed.modified == moment
    assert computed.rows == 3


def test_an_empty_dataset_has_no_update_date(client):
    figures = stats.dataset_stats(dataset_get("rencontres"))
    assert figures.modified is None and figures.rows == 0
    assert figures.sizes["json"] == 2  # "[]"
    assert "pas encore de données" in client.get(CATALOGUE_URL).content.decode()


def test_stats_are_kept_until_a_write_changes_the_dataset(world, django_assert_num_queries):
    dataset = dataset_get("organisations")
    first = stats.dataset_stats(dataset)
    with django_assert_num_queries(0):
        assert stats.dataset_stats(dataset) == first
    Organisation.objects.filter(pk=world["carrier"].pk).update(
        updated_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    with django_assert_num_queries(0):
        assert stats.dataset_stats(dataset).modified == first.modified  # not told yet
    cache_version_bump("meetings")  # another topic: still kept
    with django_assert_num_queries(0):
        stats.dataset_stats(dataset)
    cache_version_bump("members")  # what organisations' services bump
    assert stats.dataset_stats(dataset).modified == datetime(2030, 1, 1, tzinfo=UTC)


# --- The page -------------------------------------------------------------------------


def test_catalogue_page_lists_every_dataset_with_its_files(client, world):
    response = client.get(CATALOGUE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    figures = stats.catalogue_stats()
    for dataset in DATASETS:
        assert f'id="{dataset.key}"' in html
        assert str(dataset.title).replace("'", "&#x27;") in html
        assert f'href="/donnees-ouvertes/schemas/{dataset.schema_name}"' in html
        for distribution in dataset.distributions:
            assert f'href="{reverse(distribution.url_name)}"' in html
        modified = timezone.localtime(figures[dataset.key].modified)
        assert f'datetime="{modified.isoformat()}"' in html
    assert LICENCE["url"] in html
    assert 'href="/donnees-ouvertes/tout.zip"' in html
    assert 'href="/donnees-ouvertes/catalogue.jsonld"' in html
    # Sizes a person reads, as Django writes them in French ("12,1 Kio").
    assert re.search(r"\(\d+(,\d)?\xa0(octets|Kio|Mio)\)", html)


def test_catalogue_page_is_served_from_the_page_cache(client, world, django_assert_num_queries):
    first = client.get(CATALOGUE_URL)
    assert b"csrfmiddlewaretoken" not in first.content
    with django_assert_num_queries(0):
        second = client.get(CATALOGUE_URL)
    assert second.content == first.content
    cache_version_bump("projects")
    with CaptureQueriesContext(connection) as queries:
        third = client.get(CATALOGUE_URL)  # rendered again, the projects' figures rebuilt
    assert third.status_code == 200
    assert queries.captured_queries
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "opportunities_opportunity" not in tables  # kept: not told of projects


def test_catalogue_page_in_english(client, world):
    response = client.get(CATALOGUE_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


# --- The ZIP --------------------------------------------------------------------------


def _zip(client) -> zipfile.ZipFile:
    response = client.get(ZIP_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_zip_holds_every_file_and_opens(client, world):
    with _zip(client) as bundle:
        assert bundle.testzip() is None
        assert bundle.namelist() == archive.archive_members()
        for dataset in DATASETS:
            for distribution in dataset.distributions:
                assert bundle.read(distribution.filename) == distribution.build().encode("utf-8")
            schema = bundle.read(f"schemas/{dataset.schema_name}")
            assert schema == archive.schema_file(dataset).read_bytes()
        readme = bundle.read(archive.README_NAME).decode("utf-8")
    assert "Licence Ouverte" in readme and LICENCE["url"] in readme
    for dataset in DATASETS:
        assert str(dataset.title) in readme
        for distribution in dataset.distributions:
            assert f"`{distribution.filename}`" in readme


def test_nothing_private_in_any_file_of_the_zip(client, world):
    with _zip(client) as bundle:
        for name in bundle.namelist():
            text = bundle.read(name).decode("utf-8")
            for secret in SECRETS:
                assert secret not in text, f"{secret!r} in {name}"


def test_zip_of_an_empty_site(client):
    with _zip(client) as bundle:
        assert bundle.namelist() == archive.archive_members()


# --- The DCAT-AP catalogue ------------------------------------------------------------


DCAT_NS = "http://www.w3.org/ns/dcat#"
DCT_NS = "http://purl.org/dc/terms/"


def test_jsonld_has_every_dataset_and_distribution(client, world):
    response = client.get(JSONLD_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    nodes = {node["dct:identifier"]: node for node in catalogue["dcat:dataset"]}
    assert list(nodes) == [dataset.key for dataset in DATASETS]
    figures = stats.catalogue_stats()
    for dataset in DATASETS:
        node = nodes[dataset.key]
        assert node["dct:title"] == {"@value": str(dataset.title), "@language": "fr"}
        assert node["dct:description"]["@language"] == "fr"
        assert node["dct:license"] == {"@id": LICENCE["url"]}
        assert node["dct:publisher"]["foaf:name"] == "Quartiers 4.0"
        assert node["dct:conformsTo"] == {
            "@id": f"https://quartiers40.example/donnees-ouvertes/schemas/{dataset.schema_name}"
        }
        assert node["dct:modified"]["@value"] == (
            figures[dataset.key].modified.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        distributions = node["dcat:distribution"]
        assert len(distributions) == len(dataset.distributions)
        for distribution, item in zip(dataset.distributions, distributions, strict=True):
            url = f"https://quartiers40.example{reverse(distribution.url_name)}"
            assert item["@type"] == "dcat:Distribution"
            assert item["dcat:downloadURL"] == {"@id": url}
            assert item["dcat:accessURL"] == {"@id": url}
            assert item["dcat:byteSize"]["@value"] == str(
                figures[dataset.key].sizes[distribution.key]
            )
            assert item["dct:format"]["@id"].endswith(
                "/file-type/" + distribution.format.eu_file_type
            )
            assert item["dcat:mediaType"]["@id"].endswith("/" + distribution.format.media_type)
            assert item["dct:license"] == {"@id": LICENCE["url"]}


# rdflib's own JSON-LD parser still builds a ConjunctiveGraph (rdflib 7.x).
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_parses_as_rdf_the_way_a_harvester_reads_it(client, world):
    """rdflib, as udata (data.gouv.fr's harvester) reads it: each dcat:Dataset with its
    dct:identifier, title in French, licence, and distributions with a download address."""
    rdflib = pytest.importorskip("rdflib")
    graph = rdflib.Graph().parse(data=client.get(JSONLD_URL).content, format="json-ld")
    dcat_ns, dct = rdflib.Namespace(DCAT_NS), rdflib.Namespace(DCT_NS)
    catalogues = list(graph.subjects(rdflib.RDF.type, dcat_ns.Catalog))
    assert len(catalogues) == 1
    datasets = list(graph.objects(catalogues[0], dcat_ns.dataset))
    assert len(datasets) == len(DATASETS)
    identifiers = set()
    for node in datasets:
        assert (node, rdflib.RDF.type, dcat_ns.Dataset) in graph
        identifiers.add(str(graph.value(node, dct.identifier)))
        title = graph.value(node, dct.title)
        assert title.language == "fr"
        assert str(graph.value(node, dct.license)) == LICENCE["url"]
        modified = graph.value(node, dct.modified)
        assert isinstance(modified.toPython(), datetime)
        expected = dataset_get(str(graph.value(node, dct.identifier)))
        distributions = list(graph.objects(node, dcat_ns.distribution))
        assert len(distributions) == len(expected.distributions)
        for distribution in distributions:
            assert str(graph.value(distribution, dcat_ns.downloadURL)).startswith(
                "https://quartiers40.example/"
            )
            assert int(graph.value(distribution, dcat_ns.byteSize).toPython()) > 0
    assert identifiers == {dataset.key for dataset in DATASETS}


def test_jsonld_addresses_are_canonical_whatever_the_host(client, world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    text = client.get(JSONLD_URL, HTTP_HOST="autre.example").content.decode()
    assert "autre.example" not in text
    assert "https://quartiers40.example/donnees-ouvertes/" in text


def test_jsonld_of_an_empty_site_has_no_dates(client):
    catalogue = client.get(JSONLD_URL).json()
    assert "dct:modified" not in catalogue
    assert all("dct:modified" not in node for node in catalogue["dcat:dataset"])


def test_jsonld_with_a_contact_point(client, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "donnees@quartiers40.example"
    node = dcat.catalogue_jsonld(stats.catalogue_stats())["dcat:dataset"][0]
    assert node["dcat:contactPoint"]["vcard:hasEmail"] == {
        "@id": "mailto:donnees@quartiers40.example"
    }


# --- The observatory's figures per QPV and quarter -------------------------------------


def test_figures_per_qpv_and_quarter_keep_the_small_count_rule(client, tmp_path):
    """A count about people under 5 reads « moins de 5 » (a missing value of the schema), a
    count that is not about people stays a number; the file validates."""
    frictionless = _frictionless()
    from quartiers40.observatory.enums import Metric
    from quartiers40.observatory.models import Figure, Refresh

    QPV.objects.create(code="QN09301M", name="Franc-Moisin", department_code="93")
    Refresh.objects.create(version="v1", finished_at=timezone.now(), duration_ms=10, rows=3)
    Figure.objects.bulk_create(
        [
            Figure(
                scope_kind="qpv",
                scope_code="QN09301M",
                period="2026-t4",
                metric=Metric.INTERESTS,
                dimension="",
                value=3,
            ),
            Figure(
                scope_kind="qpv",
                scope_code="QN09301M",
                period="2026-t4",
                metric=Metric.PROJECTS_STAGE,
                dimension="",
                value=2,
            ),
            Figure(
                scope_kind="qpv",
                scope_code="QN09301M",
                period="",
                metric=Metric.PROJECTS_STAGE,
                dimension="",
                value=7,
            ),
            Figure(
                scope_kind="department",
                scope_code="93",
                period="2026-t4",
                metric=Metric.PROJECTS_STAGE,
                dimension="",
                value=9,
            ),
        ]
    )
    response = client.get("/donnees-ouvertes/observatoire-qpv-trimestre.csv")
    text = response.content.decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == ",".join(figures.COLUMN_NAMES)
    assert len(lines) == 3  # the QPV's two figures of the quarter; no all-time, no department
    assert ",interests," in lines[1] and ",total,moins de 5,true," in lines[1]
    assert "Franc-Moisin,2026-t4,2026-10-01,projects_stage," in lines[2]
    assert ",total,2,false," in lines[2]
    (tmp_path / "data.csv").write_text(text, encoding="utf-8")
    schema = frictionless.Schema.from_descriptor(figures.table_schema())
    report = frictionless.validate(
        frictionless.Resource(path="data.csv", basepath=str(tmp_path), schema=schema)
    )
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = client.get("/donnees-ouvertes/observatoire-qpv-trimestre.json").json()
    assert [row["value"] for row in rows] == ["moins de 5", 2]
    assert rows[0]["small_count"] is True
