import random

import pytest

from quartiers40.members import demo as members_demo
from quartiers40.projects import demo
from quartiers40.projects.enums import ProjectStatus, Stage
from quartiers40.projects.models import Project
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_about_sixty_fictional_projects_everywhere():
    for department in demo.DEPARTMENTS:
        for index in range(3):
            QPVFactory(code=f"QN0{department}{index:02d}X", department_code=department)
    members_demo.load(rng=random.Random(40))
    counts = demo.load(rng=random.Random(40))
    assert counts["projects"] == 60
    projects = Project.objects.all()
    assert {p.status for p in projects} == set(ProjectStatus.values)
    assert {p.stage for p in projects} == set(Stage.values)
    assert all(demo.FICTIONAL_NOTE in p.description for p in projects)
    assert all(len(p.easy_read_summary) <= 400 for p in projects)
    assert Project.objects.filter(partners__isnull=False).exists()
    departments = set(projects.values_list("qpvs__department_code", flat=True)) - {None}
    assert departments == set(demo.DEPARTMENTS)
    for project in projects:
        project.full_clean()
