"""Who may do what with meetings. Views, the API and templates all ask here.

Roles are checked here; whether a transition fits the current status is said by the
transition tables of `enums.py` (their `who` names the predicates below), checked by the
services under a row lock.
"""

from quartiers40.challenges.permissions import is_challenge_manager
from quartiers40.members.models import OrganisationMembership
from quartiers40.members.permissions import is_coordination
from quartiers40.projects.permissions import is_owner as is_project_owner

from .enums import EditionStatus, RegistrationStatus, SeriesKind, SeriesStatus
from .models import ActionItem, Edition, PitchApplication, Registration, Series


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_member_of(user, organisation_id) -> bool:
    if not _active(user) or organisation_id is None:
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=organisation_id, user=user
    ).exists()


def can_create_local_series(user, organisation=None) -> bool:
    """A member organisation's people propose a local series; coordination approves it."""
    if not _active(user):
        return False
    if organisation is None:
        return is_coordination(user) or user.memberships.exists()
    return is_coordination(user) or (
        organisation.is_member_of_collective and is_member_of(user, organisation.pk)
    )


def can_create_national_series(user) -> bool:
    return is_coordination(user)


def can_approve_series(user, series: Series | None = None) -> bool:
    return is_coordination(user)


def can_manage_series(user, series: Series) -> bool:
    """Create editions in it: coordination, or the people of the local series' organisation."""
    if is_coordination(user):
        return True
    return series.kind == SeriesKind.LOCAL and is_member_of(user, series.organisation_id)


def can_view_series(user, series: Series) -> bool:
    return series.status == SeriesStatus.APPROVED or can_manage_series(user, series)


def can_organise(user, edition: Edition) -> bool:
    """Coordination, the edition's named organisers, the people of a local series' organisation."""
    if not _active(user):
        return False
    if is_coordination(user):
        return True
    if edition.organisers.filter(pk=user.pk).exists():
        return True
    series = edition.series
    return series.kind == SeriesKind.LOCAL and is_member_of(user, series.organisation_id)


def can_view_edition(user, edition: Edition) -> bool:
    public = (
        edition.status in (EditionStatus.PUBLISHED, EditionStatus.CANCELLED)
        and edition.series.status == SeriesStatus.APPROVED
    )
    return public or can_organise(user, edition)


def can_see_online_link(user, edition: Edition, registration: Registration | None = None) -> bool:
    """Confirmed registrants (signed in, or holding their registration's link) and organisers."""
    if (
        registration is not None
        and registration.edition_id == edition.pk
        and registration.status == RegistrationStatus.CONFIRMED
    ):
        return True
    if (
        _active(user)
        and edition.registrations.filter(user=user, status=RegistrationStatus.CONFIRMED).exists()
    ):
        return True
    return can_organise(user, edition)


def can_see_registrants(user, edition: Edition) -> bool:
    """The list, with accessibility and dietary notes: organisers only."""
    return can_organise(user, edition)


def can_export_registrants(user, edition: Edition) -> bool:
    return can_organise(user, edition)


def can_check_in(user, edition: Edition) -> bool:
    return can_organise(user, edition)


def can_edit_agenda(user, edition: Edition) -> bool:
    return can_organise(user, edition)


def can_publish_minutes(user, edition: Edition) -> bool:
    return can_organise(user, edition)


def can_manage_actions(user, edition: Edition) -> bool:
    return can_organise(user, edition)


def is_action_owner(user, item: ActionItem) -> bool:
    if not _active(user):
        return False
    if item.owner_user_id == user.pk:
        return True
    return is_member_of(user, item.owner_organisation_id)


def can_update_action_item(user, item: ActionItem) -> bool:
    """Owners (the person, or the people of the organisation) and the edition's organisers."""
    return is_action_owner(user, item) or can_organise(user, item.edition)


def can_decide_pitch(user, pitch: PitchApplication) -> bool:
    return can_edit_agenda(user, pitch.edition)


def holds_registration_link(user, registration: Registration) -> bool:
    """Whoever holds the registration's secret link (its token), signed in or not.

    The link itself is the proof: the view found the registration by its token, and the
    service checks the transition with `authorised=True`.
    """
    return True


def can_cancel_registration(user, registration: Registration) -> bool:
    """The person registered, the mediator who registered them, the edition's organisers."""
    if not _active(user):
        return False
    if user.pk in (registration.user_id, registration.registered_by_id):
        return True
    return can_organise(user, registration.edition)


def can_check_in_registration(user, registration: Registration) -> bool:
    return can_check_in(user, registration.edition)


def can_register_on_behalf(user, edition: Edition) -> bool:
    """A mediator: a signed-in person of a member organisation (or an organiser)."""
    if not _active(user):
        return False
    return (
        is_coordination(user)
        or user.memberships.filter(organisation__status="member").exists()
        or can_organise(user, edition)
    )


def can_apply_with_project(user, project) -> bool:
    return is_coordination(user) or is_project_owner(user, project)


def can_apply_with_challenge(user, challenge) -> bool:
    return _active(user) and (is_coordination(user) or is_challenge_manager(user, challenge))
