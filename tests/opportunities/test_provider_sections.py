"""What opportunities add to "Mon espace" and to "À traiter"."""

import pytest
from django.urls import reverse

from quartiers40.core.sections import ACCOUNT_PAGE, COORDINATION_PAGE, sections_for
from quartiers40.members.enums import OrganisationStatus
from quartiers40.opportunities.enums import InterestStatus, OpportunityStatus
from quartiers40.opportunities.provider_sections import (
    ACCOUNT_SHOWN,
    account_section_context,
    coordination_section_context,
)
from tests.members.factories import UserFactory
from tests.opportunities.factories import InterestFactory, OpportunityFactory
from tests.opportunities.provider_helpers import (
    _no_geocoder as _no_geocoder,
)
from tests.opportunities.provider_helpers import (
    coordinator,
    member,
)

pytestmark = pytest.mark.django_db


def test_registered_on_both_pages():
    user, _organisation = member()
    assert "opportunities" in [s["key"] for s in sections_for(ACCOUNT_PAGE, user)]
    assert "opportunities" in [s["key"] for s in sections_for(COORDINATION_PAGE, coordinator())]


def test_mon_espace_by_status_with_new_interests(client):
    user, organisation = member()
    returned = OpportunityFactory(
        organisation=organisation, status=OpportunityStatus.RETURNED, title="Atelier à compléter"
    )
    published = OpportunityFactory(organisation=organisation, title="Formation publiée")
    InterestFactory(opportunity=published)
    InterestFactory(opportunity=published)
    InterestFactory(opportunity=published, status=InterestStatus.CONTACTED)
    OpportunityFactory(organisation=organisation, status=OpportunityStatus.WITHDRAWN)
    OpportunityFactory(title="Celle d'une autre organisation")
    context = account_section_context(user)
    assert [group["status"] for group in context["groups"]] == ["returned", "published"]
    item = context["groups"][1]["items"][0]
    assert (item.interests_total, item.interests_new) == (3, 2)
    texts = [entry["text"] for entry in context["awaiting"]]
    assert any("Atelier à compléter" in text for text in texts)
    assert any("2 personnes intéressées" in text for text in texts)
    client.force_login(user)
    page = client.get(reverse("members:account")).content.decode()
    assert "Mes opportunités" in page
    assert "Formation publiée" in page and "2 à recontacter" in page
    assert reverse("opportunities:interests", kwargs={"slug": published.slug}) in page
    assert reverse("opportunities:edit", kwargs={"slug": returned.slug}) in page
    assert reverse("opportunities:create") in page
    assert "Celle d&#x27;une autre organisation" not in page


def test_mon_espace_links_to_the_whole_list_when_long():
    user, organisation = member()
    for _index in range(ACCOUNT_SHOWN + 2):
        OpportunityFactory(organisation=organisation)
    context = account_section_context(user)
    assert context["more"] and context["total"] == ACCOUNT_SHOWN + 2
    assert sum(len(group["items"]) for group in context["groups"]) == ACCOUNT_SHOWN


def test_nothing_for_a_person_without_organisation(client):
    user = UserFactory()
    context = account_section_context(user)
    assert context["groups"] == [] and not context["can_create"]
    client.force_login(user)
    assert "Mes opportunités" not in client.get(reverse("members:account")).content.decode()


def test_a_new_organisation_member_is_offered_to_propose_one():
    user, _organisation = member(OrganisationStatus.CANDIDATE)
    assert account_section_context(user)["can_create"]


def test_a_traiter_lists_what_waits_for_review(client):
    waiting = OpportunityFactory(status=OpportunityStatus.SUBMITTED, title="À relire")
    OpportunityFactory(status=OpportunityStatus.DRAFT, title="Brouillon caché")
    (opportunities,) = coordination_section_context(None)["queues"]
    assert opportunities["count"] == 1
    assert [entry["url"] for entry in opportunities["entries"]()] == [waiting.get_absolute_url()]
    client.force_login(coordinator())
    page = client.get(reverse("home:coordination")).content.decode()
    assert 'id="file-opportunites"' in page
    assert "À relire" in page and "Brouillon caché" not in page
