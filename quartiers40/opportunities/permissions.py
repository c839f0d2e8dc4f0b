"""Who may do what with an opportunity and the interests it receives.

Views, the API, exports and templates all ask here. Whether a transition fits the current
status is decided by `enums.OPPORTUNITY_WORKFLOW` (whose `who` name the predicates below),
checked by the services under a row lock.
"""

from quartiers40.members.enums import OrganisationStatus
from quartiers40.members.models import Organisation, OrganisationMembership
from quartiers40.members.permissions import is_coordination

from .enums import OpportunityStatus
from .models import Opportunity, OpportunityInterest


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_provider(user, opportunity: Opportunity) -> bool:
    """A person of the member organisation that offers it (imported items have none)."""
    if not _active(user) or opportunity.organisation_id is None:
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=opportunity.organisation_id, user=user
    ).exists()


def can_view_opportunity(user, opportunity: Opportunity) -> bool:
    """Published and expired items are public (an expired one says so); the rest is not."""
    if opportunity.status in (OpportunityStatus.PUBLISHED, OpportunityStatus.EXPIRED):
        return True
    return is_coordination(user) or is_provider(user, opportunity)


def can_create_opportunity_for(user, organisation: Organisation) -> bool:
    """Any organisation's people, whatever its kind (a company, an association…)."""
    if is_coordination(user):
        return True
    return (
        _active(user)
        and OrganisationMembership.objects.filter(organisation=organisation, user=user).exists()
    )


def can_edit_opportunity(user, opportunity: Opportunity) -> bool:
    """Its provider's people and the team; an imported item changes only in its source."""
    if opportunity.is_imported:
        return False
    return is_coordination(user) or is_provider(user, opportunity)


def organisation_publishes_directly(organisation: Organisation | None) -> bool:
    """Members of the collective publish at once; new (candidate) organisations are read first."""
    return organisation is not None and organisation.status == OrganisationStatus.MEMBER


def can_publish_directly(user, opportunity: Opportunity) -> bool:
    if not can_edit_opportunity(user, opportunity):
        return False
    return is_coordination(user) or organisation_publishes_directly(opportunity.organisation)


def can_submit_opportunity(user, opportunity: Opportunity) -> bool:
    return can_edit_opportunity(user, opportunity) and not can_publish_directly(user, opportunity)


def can_review_opportunity(user, opportunity: Opportunity | None = None) -> bool:
    return is_coordination(user)


def can_withdraw_opportunity(user, opportunity: Opportunity) -> bool:
    return can_edit_opportunity(user, opportunity) or (
        opportunity.is_imported and is_coordination(user)
    )


def can_express_interest(user, opportunity: Opportunity) -> bool:
    """Anyone, signed in or not, about a published item offered by a member organisation.

    An imported item has no inbox here: its page gives the provider's own link or phone.
    """
    return (
        opportunity.status == OpportunityStatus.PUBLISHED
        and opportunity.organisation_id is not None
    )


def can_register_interest_for_someone(user, opportunity: Opportunity) -> bool:
    """A mediator (any member of an organisation) registers a person, with her consent."""
    return (
        can_express_interest(user, opportunity)
        and _active(user)
        and OrganisationMembership.objects.filter(user=user).exists()
    )


def can_view_interests(user, opportunity: Opportunity) -> bool:
    """The interests received, with each person's contact: provider and team only."""
    return is_coordination(user) or is_provider(user, opportunity)


def can_view_interest_contact(user, interest: OpportunityInterest) -> bool:
    return can_view_interests(user, interest.opportunity)


def can_record_outcome(user, interest: OpportunityInterest) -> bool:
    return is_provider(user, interest.opportunity) or is_coordination(user)
