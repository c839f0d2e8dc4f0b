import random

import pytest

from quartiers40.members import demo as members_demo
from quartiers40.opportunities import demo
from quartiers40.opportunities.enums import OpportunityKind, OpportunityStatus
from quartiers40.opportunities.models import Opportunity
from tests.territories.factories import QPVFactory, box

pytestmark = pytest.mark.django_db


def test_demo_loads_about_150_fictional_opportunities_some_through_the_importers():
    for d, department in enumerate(demo.DEPARTMENTS):
        for index in range(6):
            QPVFactory(
                code=f"QN0{department}{index:02d}X",
                department_code=department,
                commune_name=f"Commune {department}",
                commune_code=f"{department}001",
                geometry=box(2.0 + d, 45.0 + index * 0.1, 0.02),
            )
    members_demo.load(rng=random.Random(40))
    counts = demo.load(rng=random.Random(40))
    assert counts["opportunities"] >= 140
    everything = Opportunity.objects.all()
    assert everything.count() == counts["opportunities"]
    assert all(opportunity.is_fictional for opportunity in everything)
    assert {o.kind for o in everything} == set(OpportunityKind.values)
    assert {o.status for o in everything} - {OpportunityStatus.RETURNED} == (
        set(OpportunityStatus.values) - {OpportunityStatus.RETURNED}
    )
    # The importers wrote some: data·inclusion services and LHEO trainings.
    assert everything.filter(source=demo.DEMO_SOURCE_DI).count() == 30
    assert everything.filter(source=demo.DEMO_SOURCE_LHEO).exists()
    assert everything.filter(structure__isnull=False).count() >= 40
    for opportunity in everything:
        opportunity.full_clean()
        assert len(opportunity.summary) <= 400


def test_loading_twice_after_a_reset_gives_the_same_count():
    QPVFactory(code="QN09300X", department_code="93", geometry=box(2.4, 48.9, 0.02))
    members_demo.load(rng=random.Random(1))
    first = demo.load(rng=random.Random(1))["opportunities"]
    demo.reset()
    assert Opportunity.objects.count() == 0
    assert demo.load(rng=random.Random(1))["opportunities"] == first
