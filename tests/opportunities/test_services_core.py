import pytest
from django.core.exceptions import ValidationError

from quartiers40.members.enums import OrganisationStatus, Role
from quartiers40.opportunities import services
from quartiers40.opportunities.enums import HowToGo, InterestStatus, OpportunityStatus
from quartiers40.opportunities.records import ImportedItem, PlaceInput, StructureRecord
from quartiers40.territories.lookup import qpv_index_invalidate
from tests.members.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import QPVFactory, box

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": "workshop",
    "title": "Atelier CV",
    "summary": "Faire son CV avec une personne qui aide.",
    "description": "Chaque mardi, un atelier pour écrire son CV.",
    "themes": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
    "how_to_go": [HowToGo.COME],
}


def _member(status=OrganisationStatus.MEMBER):
    membership = MembershipFactory(organisation=OrganisationFactory(status=status), role=Role.ADMIN)
    return membership.user, membership.organisation


def test_member_organisation_publishes_at_once_and_place_gets_its_qpv():
    # The QPV index is cached per process: another test may have built it without this QPV.
    qpv_index_invalidate()
    QPVFactory(code="QN07501T", geometry=box(2.35, 48.88))
    qpv_index_invalidate()  # another test of this process may have built the index without it
    user, organisation = _member()
    opportunity = services.opportunity_create(
        actor=user,
        organisation=organisation,
        places=[PlaceInput(name="Centre", longitude=2.355, latitude=48.885)],
        **FIELDS,
    )
    place = opportunity.places.get()
    assert [link.qpv.code for link in place.qpv_links.all()] == ["QN07501T"]
    assert place.qpv_links.get().distance_m == 0
    services.opportunity_publish(opportunity=opportunity, actor=user)
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_new_organisation_goes_to_review():
    user, organisation = _member(OrganisationStatus.CANDIDATE)
    opportunity = services.opportunity_create(
        actor=user, organisation=organisation, is_remote=True, **FIELDS
    )
    services.opportunity_publish(opportunity=opportunity, actor=user)
    assert opportunity.status == OpportunityStatus.SUBMITTED


def test_publish_refuses_what_is_missing():
    user, organisation = _member()
    opportunity = services.opportunity_create(
        actor=user, organisation=organisation, **{**FIELDS, "themes": []}
    )
    with pytest.raises(ValidationError) as error:
        services.opportunity_publish(opportunity=opportunity, actor=user)
    assert {"themes", "places"} <= set(error.value.message_dict)


def test_interest_and_outcome():
    user, organisation = _member()
    opportunity = services.opportunity_create(
        actor=user, organisation=organisation, is_remote=True, **FIELDS
    )
    services.opportunity_publish(opportunity=opportunity, actor=user)
    interest = services.interest_create(opportunity=opportunity, name="Awa", phone="0600000000")
    services.interest_outcome_record(interest=interest, actor=user, status=InterestStatus.STARTED)
    assert interest.status == InterestStatus.STARTED


def _item(source_id="dora--1", title="Aide aux démarches"):
    return ImportedItem(
        source="dora",
        source_id=source_id,
        structure=StructureRecord(source="dora", source_id="dora--s1", name="Centre social"),
        fields={**FIELDS, "kind": "help", "title": title},
        places=(
            PlaceInput(address="1 rue X", commune_name="Paris", longitude=2.36, latitude=48.89),
        ),
    )


def test_import_is_idempotent_and_missing_items_are_withdrawn_then_restored():
    first = services.opportunity_import_upsert(item=_item())
    assert first.outcome == "created"
    assert services.opportunity_import_upsert(item=_item()).outcome == "unchanged"
    assert (
        services.opportunity_import_upsert(item=_item(title="Aide aux papiers")).outcome
        == "updated"
    )
    assert services.opportunities_source_withdraw_missing(source="dora", seen_ids=[]) == 1
    first.opportunity.refresh_from_db()
    assert first.opportunity.status == OpportunityStatus.WITHDRAWN
    assert (
        services.opportunity_import_upsert(item=_item(title="Aide aux papiers")).outcome
        == "restored"
    )
