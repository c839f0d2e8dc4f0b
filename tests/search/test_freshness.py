"""The index follows the site's writes: a service's change reaches the results through the
task queue, without a rebuild; what stops being public leaves them."""

import pytest

from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.services import project_archive, project_publish
from quartiers40.search.models import SearchDocument
from quartiers40.search.selectors import SearchQuery, search_run
from tests.members.factories import CoordinatorFactory
from tests.projects.factories import ProjectFactory
from tests.tasks import run_worker

pytestmark = pytest.mark.django_db


def _found(text: str) -> list[str]:
    return [hit.document.title for hit in search_run(SearchQuery(text=text)).hits]


def test_a_published_project_is_found_and_an_archived_one_is_not(
    django_capture_on_commit_callbacks,
):
    coordinator = CoordinatorFactory()
    project = ProjectFactory(title="Traducteur de courriers", status=ProjectStatus.SUBMITTED)
    assert _found("traducteur courrier") == []  # submitted: not public

    with django_capture_on_commit_callbacks(execute=True):
        project_publish(project=project, actor=coordinator)
    assert _found("traducteur courrier") == ["Traducteur de courriers"]

    with django_capture_on_commit_callbacks(execute=True):
        project_archive(project=project, actor=coordinator, reason="Fini")
    assert _found("traducteur courrier") == []


def test_the_sync_goes_through_the_database_queue_and_its_worker(
    settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_TASK_BACKEND = "default"  # as in production
    coordinator = CoordinatorFactory()
    project = ProjectFactory(title="Traducteur de courriers", status=ProjectStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        project_publish(project=project, actor=coordinator)
    assert not SearchDocument.objects.filter(kind="project").exists()  # queued, not run

    run_worker()
    assert _found("traducteur courrier") == ["Traducteur de courriers"]


def test_no_sync_when_following_writes_is_off(settings, django_capture_on_commit_callbacks):
    settings.SEARCH_INDEX_FOLLOWS_WRITES = False
    project = ProjectFactory(title="Traducteur de courriers", status=ProjectStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        project_publish(project=project, actor=CoordinatorFactory())
    assert not SearchDocument.objects.exists()
