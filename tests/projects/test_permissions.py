import pytest
from django.contrib.auth.models import AnonymousUser

from quartiers40.members.enums import Role
from quartiers40.projects import permissions
from quartiers40.projects.enums import ProjectStatus
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    ResidentFactory,
    UserFactory,
)

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db

CHECKS = {
    "view_draft": permissions.can_view_project,
    "edit": permissions.can_edit_project,
    "submit": permissions.can_submit_project,
    "publish": permissions.can_publish_project,
    "return": permissions.can_return_project,
    "archive": permissions.can_archive_project,
}

# who → (view draft, edit, submit, publish, return, archive)
MATRIX = {
    "anonymous": (False, False, False, False, False, False),
    "resident": (False, False, False, False, False, False),
    "org_member": (True, True, True, False, False, True),
    "org_admin": (True, True, True, False, False, True),
    "other_org_admin": (False, False, False, False, False, False),
    "coordination": (True, True, True, True, True, True),
    "superuser": (True, True, True, True, True, True),
}


def _person(kind: str, project):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "resident":
        return ResidentFactory()
    if kind == "org_member":
        return MembershipFactory(organisation=project.carrier, role=Role.MEMBER).user
    if kind == "org_admin":
        return MembershipFactory(organisation=project.carrier, role=Role.ADMIN).user
    if kind == "other_org_admin":
        return MembershipFactory(role=Role.ADMIN).user
    if kind == "coordination":
        return CoordinatorFactory()
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize("kind", MATRIX)
def test_permission_matrix(kind):
    project = ProjectFactory(status=ProjectStatus.DRAFT)
    person = _person(kind, project)
    got = tuple(check(person, project) for check in CHECKS.values())
    assert got == MATRIX[kind]


@pytest.mark.parametrize("kind", MATRIX)
def test_everyone_views_a_published_project(kind):
    project = PublishedProjectFactory()
    assert permissions.can_view_project(_person(kind, project), project)


@pytest.mark.parametrize(
    "status", [ProjectStatus.SUBMITTED, ProjectStatus.RETURNED, ProjectStatus.ARCHIVED]
)
def test_unpublished_projects_are_hidden_from_outsiders(status):
    project = ProjectFactory(status=status)
    assert not permissions.can_view_project(AnonymousUser(), project)
    assert not permissions.can_view_project(ResidentFactory(), project)
    assert permissions.can_view_project(
        MembershipFactory(organisation=project.carrier).user, project
    )


def test_a_deactivated_member_loses_access():
    project = ProjectFactory()
    user = MembershipFactory(organisation=project.carrier, role=Role.ADMIN).user
    user.is_active = False
    user.save()
    assert not permissions.can_edit_project(user, project)
