import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from quartiers40.members.enums import Role
from quartiers40.projects import services, tasks
from quartiers40.projects.enums import ProjectStatus
from tests.members.factories import MembershipFactory

from .factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
SEVEN_MONTHS_AGO = NOW - timedelta(days=213)


def _with_owners(project, count: int = 2):
    for index in range(count):
        MembershipFactory(
            organisation=project.carrier, role=Role.ADMIN if index == 0 else Role.MEMBER
        )
    return project


def test_one_reminder_per_stale_project_to_its_owners(
    mailoutbox, django_capture_on_commit_callbacks
):
    stale = [
        _with_owners(PublishedProjectFactory(last_updated_at=SEVEN_MONTHS_AGO)) for _ in range(3)
    ]
    _with_owners(PublishedProjectFactory(last_updated_at=NOW - timedelta(days=30)))
    _with_owners(ProjectFactory(last_updated_at=SEVEN_MONTHS_AGO))  # a draft
    _with_owners(ProjectFactory(status=ProjectStatus.ARCHIVED, last_updated_at=SEVEN_MONTHS_AGO))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.project_freshness_remind(now=NOW) == 3
    # One message per owner (two owners per project): nobody sees the other's address.
    assert len(mailoutbox) == 6
    assert all(len(message.to) == 1 for message in mailoutbox)
    received = {message.to[0] for message in mailoutbox}
    for project in stale:
        project.refresh_from_db()
        assert project.freshness_reminded_at == NOW
        owners = set(project.carrier.memberships.values_list("user__email", flat=True))
        assert owners <= received

    # The next day: nothing new to send.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.project_freshness_remind(now=NOW + timedelta(days=1)) == 0
    assert len(mailoutbox) == 6


def test_an_update_rearms_the_reminder(mailoutbox, django_capture_on_commit_callbacks):
    project = _with_owners(PublishedProjectFactory(last_updated_at=SEVEN_MONTHS_AGO), count=1)
    owner = project.carrier.memberships.get().user
    assert services.project_freshness_remind(now=NOW) == 1
    updated_at = NOW + timedelta(days=2)
    services.project_update(
        project=project, actor=owner, funding="Contrat de ville", now=updated_at
    )
    # Not stale again until six months after the update.
    assert services.project_freshness_remind(now=updated_at + timedelta(days=100)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.project_freshness_remind(now=updated_at + timedelta(days=190)) == 1
    assert len(mailoutbox) == 1


def test_the_task_and_the_command_run_the_reminder(mailoutbox, django_capture_on_commit_callbacks):
    _with_owners(PublishedProjectFactory(last_updated_at=timezone.now() - timedelta(days=200)))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("projects_freshness", stdout=io.StringIO())
    assert len(mailoutbox) == 2  # one per owner
    assert tasks.projects_freshness_remind_task.call() == 0
