"""Who may do what. Views, the API and templates all ask here."""

from typing import Any

from .enums import Role
from .models import MembershipRequest, Organisation, OrganisationMembership, User


def is_coordination(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_coordinator or user.is_superuser)
    )


def can_decide_membership(user: Any, obj: MembershipRequest | Organisation | None = None) -> bool:
    """The coordination team decides who joins the collective."""
    return is_coordination(user)


def is_requester(user: Any, request: MembershipRequest) -> bool:
    return bool(user.is_authenticated and user.pk == request.requester_id)


def membership_of(user, organisation: Organisation) -> OrganisationMembership | None:
    if not user.is_authenticated:
        return None
    return OrganisationMembership.objects.filter(organisation=organisation, user=user).first()


def can_edit_organisation(user, organisation: Organisation) -> bool:
    if is_coordination(user):
        return True
    membership = membership_of(user, organisation)
    return membership is not None and membership.role == Role.ADMIN


def can_manage_members(user, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def can_view_organisation(user, organisation: Organisation) -> bool:
    """Member organisations are public; candidates are seen by their people and the team."""
    if organisation.is_member_of_collective or is_coordination(user):
        return True
    return membership_of(user, organisation) is not None or (
        user.is_authenticated and organisation.membership_requests.filter(requester=user).exists()
    )


def can_view_profile(viewer, person: User) -> bool:
    if not person.is_active:
        return False
    if viewer.is_authenticated and (viewer.pk == person.pk or is_coordination(viewer)):
        return True
    return person.profile_public


def visible_contact(viewer, person: User) -> dict[str, str]:
    """The contact details of `person` that `viewer` may read. Never any for anonymous visitors."""
    if not viewer.is_authenticated or not person.is_active:
        return {}
    if viewer.pk == person.pk or is_coordination(viewer):
        return {"email": person.email, "phone": person.phone}
    contact = {}
    if person.profile_public and person.show_email_to_members:
        contact["email"] = person.email
    if person.profile_public and person.show_phone_to_members and person.phone:
        contact["phone"] = person.phone
    return contact
