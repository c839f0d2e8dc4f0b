"""Who may do what with a project. Views, the API and templates all ask here.

Roles are checked here; whether a transition fits the current status is checked by the
services, under a row lock.
"""

from quartiers40.members.models import OrganisationMembership
from quartiers40.members.permissions import is_coordination

from .enums import ProjectStatus
from .models import Project


def is_owner(user, project: Project) -> bool:
    """Admins and members of the carrying organisation."""
    if not (user.is_authenticated and user.is_active):
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=project.carrier_id, user=user
    ).exists()


def can_view_project(user, project: Project) -> bool:
    if project.status == ProjectStatus.PUBLISHED:
        return True
    return is_coordination(user) or is_owner(user, project)


def can_create_project_for(user, organisation) -> bool:
    if is_coordination(user):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and OrganisationMembership.objects.filter(organisation=organisation, user=user).exists()
    )


def can_edit_project(user, project: Project) -> bool:
    return is_coordination(user) or is_owner(user, project)


def can_submit_project(user, project: Project) -> bool:
    return can_edit_project(user, project)


def can_archive_project(user, project: Project) -> bool:
    return can_edit_project(user, project)


def can_publish_project(user, project: Project | None = None) -> bool:
    return is_coordination(user)


def can_return_project(user, project: Project | None = None) -> bool:
    return is_coordination(user)


def can_follow_project(user, project: Project) -> bool:
    return user.is_authenticated and user.is_active and can_view_project(user, project)


def can_contact_project(user, project: Project) -> bool:
    """Anyone, signed in or not, may write to a published project's people."""
    return project.status == ProjectStatus.PUBLISHED
