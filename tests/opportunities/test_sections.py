"""What opportunities add to the QPV, organisation and home pages."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from quartiers40.core.sections import (
    HOME_PAGE,
    ORGANISATION_PAGE,
    QPV_PAGE,
    sections_registered,
)
from quartiers40.opportunities.enums import OpportunityStatus
from quartiers40.opportunities.records import PlaceInput
from quartiers40.opportunities.sections import (
    OPPORTUNITIES_ON_QPV_PAGE,
    home_section_context,
    qpv_section_context,
)
from quartiers40.opportunities.services import opportunity_places_set
from tests.members.factories import OrganisationFactory
from tests.opportunities.factories import OpportunityFactory
from tests.opportunities.public_fixtures import *  # noqa: F403
from tests.opportunities.public_fixtures import IN_GOUTTE_DOR, SEVRAN_QPV_CENTER, north_of

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html_lib.unescape(text))


def _placed(origin, metres=0, **fields):
    opportunity = OpportunityFactory(**fields)
    lat, lon = north_of(origin, metres)
    opportunity_places_set(
        opportunity=opportunity, places=[PlaceInput(name="Lieu", latitude=lat, longitude=lon)]
    )
    return opportunity


def test_sections_are_registered():
    for page in (HOME_PAGE, QPV_PAGE, ORGANISATION_PAGE):
        assert "opportunities" in [section.key for section in sections_registered(page)]


def test_qpv_section_nearest_first_within_its_area_and_around(territory):
    goutte_dor = territory["goutte_dor"]
    inside = _placed((48.885, 2.355), title="Dedans")
    near = _placed((48.885, 2.355), 555 + 1000, title="À côté")  # 1 km north of the square
    _placed((48.885, 2.355), 20_000, title="Loin")
    _placed((48.885, 2.355), 0, title="Brouillon", status=OpportunityStatus.DRAFT)
    context = qpv_section_context(goutte_dor)
    assert [o.title for o in context["opportunities"]] == [inside.title, near.title]
    assert context["opportunities_count"] == 2


def test_qpv_page_shows_them_with_a_link_to_the_search(client, territory):
    _placed(IN_GOUTTE_DOR, title="Atelier dans le quartier")
    response = client.get(reverse("territories:detail", args=["QN07511M"]))
    page = _text(response)
    assert "Opportunités à proximité" in page
    assert "Atelier dans le quartier" in page
    assert "dans le quartier" in page
    assert f'href="{reverse("opportunities:search")}?qpv=QN07511M"' in response.content.decode()
    # One section only: the old stand-in text is gone.
    assert response.content.decode().count('id="qpv-opportunites"') == 1


def test_qpv_page_counts_beyond_what_it_shows(territory):
    for i in range(OPPORTUNITIES_ON_QPV_PAGE + 2):
        _placed(IN_GOUTTE_DOR, i, title=f"N{i}")
    context = qpv_section_context(territory["goutte_dor"])
    assert len(context["opportunities"]) == OPPORTUNITIES_ON_QPV_PAGE
    assert context["opportunities_count"] == OPPORTUNITIES_ON_QPV_PAGE + 2


def test_qpv_page_without_any_has_its_empty_state(client, territory):
    page = _text(client.get(reverse("territories:detail", args=["QN09349I"])))
    assert "Aucune opportunité à proximité pour l'instant" in page
    assert "Proposer une opportunité" in page


def test_organisation_page_lists_its_published_ones(client, db):
    organisation = OrganisationFactory()
    OpportunityFactory(organisation=organisation, title="Publiée")
    OpportunityFactory(organisation=organisation, title="En brouillon", status="draft")
    OpportunityFactory(title="D'une autre")
    page = _text(client.get(organisation.get_absolute_url()))
    assert "Ses opportunités" in page and "Publiée" in page
    assert "En brouillon" not in page and "D'une autre" not in page


def test_home_has_the_small_form_and_a_few(client, territory, settings):
    settings.HOME_SECTIONS_CACHE_SECONDS = 0
    _placed(SEVRAN_QPV_CENTER, title="Nouvelle formation")
    response = client.get(reverse("home:home"))
    html = response.content.decode()
    page = _text(response)
    assert "Une formation, un emploi, une aide près de chez vous" in page
    assert f'action="{reverse("opportunities:search")}"' in html
    assert "Nouvelle formation" in page
    # The home page's promise leads to the search.
    search = reverse("opportunities:search")
    assert f'<a href="{search}">Une formation gratuite près de chez vous</a>' in html
    assert len(home_section_context(None)["latest_opportunities"]) == 1


def test_home_leaves_out_a_passed_deadline(db):
    from datetime import timedelta

    from django.utils import timezone

    OpportunityFactory(deadline=timezone.localdate() - timedelta(days=1))
    assert home_section_context(None)["latest_opportunities"] == []
