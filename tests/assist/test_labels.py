"""« Proposé par une IA (model), relu par … le … » wherever an AI-drafted text appears."""

import csv
import io

import pytest
from django.urls import reverse

from quartiers40.assist.enums import DraftPurpose
from quartiers40.assist.models import AIDraft
from quartiers40.assist.services import ai_draft_accept, ai_draft_token
from tests.members.factories import OrganisationFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db

LABEL = "Proposé par une IA (albert-large), relu par Les Ateliers du Nord le "


@pytest.fixture
def labelled():
    """Two published projects: one with an AI-drafted plain-French summary, one without."""
    organisation = OrganisationFactory(name="Les Ateliers du Nord")
    person = UserFactory()
    project = PublishedProjectFactory(carrier=organisation, easy_read_summary="Texte relu.")
    plain = PublishedProjectFactory(easy_read_summary="Écrit à la main.")
    draft = AIDraft.objects.create(
        purpose=DraftPurpose.SUMMARY, model_name="albert-large", text="T.", requested_by=person
    )
    ai_draft_accept(
        token=ai_draft_token(draft),
        target=project,
        field_name="easy_read_summary",
        text="Texte relu.",
        actor=person,
        organisation=organisation,
        cache_topic="projects",
    )
    return project, plain


def test_on_the_project_page(client, labelled):
    project, plain = labelled
    page = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    assert LABEL in page
    assert page.index("Texte relu.") < page.index(LABEL) < page.index("Le projet</h2>")
    page = client.get(reverse("projects:detail", args=[plain.slug])).content.decode()
    assert "Proposé par une IA" not in page


def test_in_the_api(client, labelled):
    project, plain = labelled
    items = {item["id"]: item for item in client.get("/api/v1/projects/").json()["items"]}
    (entry,) = items[project.pk]["ai_provenance"]
    assert entry["field"] == "easy_read_summary" and entry["model"] == "albert-large"
    assert entry["reviewed_by"] == "Les Ateliers du Nord"
    assert entry["label"].startswith(LABEL) and entry["reviewed_at"] and entry["drafted_at"]
    assert items[plain.pk]["ai_provenance"] == []
    detail = client.get(f"/api/v1/projects/{project.pk}/").json()
    assert detail["ai_provenance"][0]["label"].startswith(LABEL)


def test_in_the_exports(client, labelled):
    project, plain = labelled
    rows = {
        int(row["id"]): row
        for row in csv.DictReader(io.StringIO(client.get("/api/v1/projects/export.csv").text))
    }
    assert rows[project.pk]["ai_provenance"].startswith(f"easy_read_summary: {LABEL}")
    assert rows[plain.pk]["ai_provenance"] == ""
    items = {item["id"]: item for item in client.get("/api/v1/projects/export.json").json()}
    assert items[project.pk]["ai_provenance"][0].startswith(f"easy_read_summary: {LABEL}")
    features = client.get("/api/v1/projects/export.geojson").json()["features"]
    by_id = {feature["id"]: feature["properties"] for feature in features}
    assert by_id[project.pk]["ai_provenance"][0].startswith("easy_read_summary: ")


def test_the_label_follows_the_newest_accepted_draft(client, labelled):
    project, _plain = labelled
    other = UserFactory()
    draft = AIDraft.objects.create(
        purpose=DraftPurpose.SUMMARY, model_name="mistral-small", text="T.", requested_by=other
    )
    ai_draft_accept(
        token=ai_draft_token(draft),
        target=project,
        field_name="easy_read_summary",
        text="Texte relu.",
        actor=other,
        cache_topic="projects",
    )
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Proposé par une IA (mistral-small), relu par Un·e participant·e le " in page
    assert "albert-large" not in page
