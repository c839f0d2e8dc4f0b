"""The admin of opportunities: lists with their filters, change pages, staff only."""

import pytest
from django.urls import reverse

from quartiers40.opportunities.models import ImportedStructure
from tests.members.factories import UserFactory
from tests.opportunities.factories import (
    InterestFactory,
    OpportunityFactory,
    PlaceFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def items():
    structure = ImportedStructure.objects.create(source="dora", source_id="s1", name="Centre")
    imported = OpportunityFactory(
        title="Importée", organisation=None, structure=structure, source="dora", source_id="x"
    )
    own = OpportunityFactory(title="Atelier numérique")
    PlaceFactory(opportunity=own, name="Maison des Tilleuls")
    SessionFactory(opportunity=own, details="Session du printemps")
    interest = InterestFactory(opportunity=own, name="Awa", email="awa@exemple.fr")
    return {"imported": imported, "own": own, "structure": structure, "interest": interest}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=published",
        "?kind__exact=training",
        "?source=dora",
        "?is_fictional__exact=1",
        "?q=numérique",
    ],
)
def test_opportunity_list_with_filters_and_search(staff_client, items, query):
    response = staff_client.get(reverse("admin:opportunities_opportunity_changelist") + query)
    assert response.status_code == 200


def test_search_finds_by_title(staff_client, items):
    url = reverse("admin:opportunities_opportunity_changelist") + "?q=numérique"
    page = staff_client.get(url).content.decode()
    assert "Atelier numérique" in page and "Importée" not in page


def test_change_page_has_places_and_sessions_and_read_only_import_fields(staff_client, items):
    url = reverse("admin:opportunities_opportunity_change", args=[items["imported"].pk])
    page = staff_client.get(url).content.decode()
    assert 'name="source_id"' not in page  # read-only
    assert "dora" in page
    own = staff_client.get(
        reverse("admin:opportunities_opportunity_change", args=[items["own"].pk])
    ).content.decode()
    assert "Maison des Tilleuls" in own and "Session du printemps" in own


def test_structures_and_interests(staff_client, items):
    assert (
        staff_client.get(reverse("admin:opportunities_importedstructure_changelist")).status_code
        == 200
    )
    page = staff_client.get(
        reverse("admin:opportunities_importedstructure_change", args=[items["structure"].pk])
    )
    assert page.status_code == 200
    interests = staff_client.get(
        reverse("admin:opportunities_opportunityinterest_changelist") + "?status__exact=new"
    )
    assert interests.status_code == 200
    change = staff_client.get(
        reverse("admin:opportunities_opportunityinterest_change", args=[items["interest"].pk])
    ).content.decode()
    assert "awa@exemple.fr" in change


def test_the_admin_is_for_staff_only(client, items):
    client.force_login(UserFactory())
    url = reverse("admin:opportunities_opportunityinterest_change", args=[items["interest"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert "awa@exemple.fr" not in response.content.decode()
