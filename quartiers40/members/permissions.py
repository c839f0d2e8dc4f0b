"""Who may do what. Views, the API and templates all ask here."""

from typing import Any

from django.utils.translation import gettext as _

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


# ---------------------------------------------------------------------------------------------
# A person's name, wherever it is printed for somebody else: the one decision.
# ---------------------------------------------------------------------------------------------


def person_name_is_public(person) -> bool:
    """A name is public only when its owner chose a public profile (never by default)."""
    return bool(
        person is not None
        and person.is_active
        and person.deleted_at is None
        and person.profile_public
    )


def person_public_label(person) -> str:
    """What anybody may read of a person who wrote or did something: the same for every viewer.

    Their name when the profile is public; else "Un·e habitant·e" for residents and
    "Un·e participant·e" for others; "Compte supprimé" for a closed account. Exports, the API,
    e-mails and cached pages use this one (they have no viewer).
    """
    if person is None or not person.is_active or person.deleted_at is not None:
        return _("Compte supprimé")
    if person.profile_public:
        return person.display_name
    if person.is_resident:
        return _("Un·e habitant·e")
    return _("Un·e participant·e")


def person_public_name(person, viewer=None) -> str:
    """The name of `person` as a page shows it to `viewer`.

    Everybody reads the public label (`person_public_label`): a private resident is never
    named, not even to herself or to the team on a public page, so that nobody takes what
    they see for what the public sees. The person herself reads "(vous)" after it; the
    coordination team reads the name in brackets, marked as not public.
    """
    label = person_public_label(person)
    if person_name_is_public(person) or person is None or not person.is_active:
        return label
    if viewer is not None and viewer.is_authenticated:
        if viewer.pk == person.pk:
            return _("%(label)s (vous ; votre nom n'est pas public)") % {"label": label}
        if is_coordination(viewer):
            return _("%(label)s (%(name)s, nom non public)") % {
                "label": label,
                "name": person.display_name,
            }
    return label


def person_name_if_public(person) -> str | None:
    """The name for a field that is null when it is not public (the API's person refs)."""
    return person.display_name if person_name_is_public(person) else None
