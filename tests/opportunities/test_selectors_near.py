import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiers40.opportunities.enums import Cost, OpportunityKind
from quartiers40.opportunities.selectors import Criteria, opportunities_near
from quartiers40.opportunities.selectors.near import _interleaved_slots
from tests.opportunities.factories import OpportunityFactory, PlaceFactory

pytestmark = pytest.mark.django_db

HOME = (48.8850, 2.3540)  # lat, lon


def _at(metres_north: float, **kwargs):
    opportunity = OpportunityFactory(**kwargs)
    PlaceFactory(
        opportunity=opportunity, latitude=HOME[0] + metres_north / 111_132, longitude=HOME[1]
    )
    return opportunity


def test_nearest_first_within_radius_and_distance_in_metres():
    far = _at(8000)
    near = _at(800)
    _at(30_000)  # outside 10 km
    results, total = opportunities_near(lat=HOME[0], lon=HOME[1], radius_km=10)
    assert total == 2
    assert [r.opportunity for r in results] == [near, far]
    assert results[0].distance_m == pytest.approx(800, abs=5)
    assert results[0].place is not None


def test_an_item_with_two_places_counts_once_at_its_nearest():
    opportunity = _at(5000)
    PlaceFactory(opportunity=opportunity, latitude=HOME[0] + 1000 / 111_132, longitude=HOME[1])
    results, total = opportunities_near(lat=HOME[0], lon=HOME[1], radius_km=10)
    assert total == 1
    assert results[0].distance_m == pytest.approx(1000, abs=5)


def test_remote_items_are_interleaved():
    people = [_at(100 * i + 100) for i in range(5)]
    remote = OpportunityFactory(is_remote=True)
    results, total = opportunities_near(lat=HOME[0], lon=HOME[1], radius_km=10)
    assert total == 6
    assert [r.opportunity for r in results] == [*people[:3], remote, *people[3:]]
    assert results[3].distance_m is None


def test_filters_free_and_kind():
    free = _at(100, cost=Cost.FREE)
    _at(200, cost=Cost.PAID)
    _at(300, kind=OpportunityKind.JOB)
    results, _total = opportunities_near(
        lat=HOME[0],
        lon=HOME[1],
        radius_km=10,
        criteria=Criteria(free_only=True, kinds=(OpportunityKind.TRAINING,)),
    )
    assert [r.opportunity for r in results] == [free]


def test_queries_do_not_grow_with_results():
    for i in range(3):
        _at(100 + i)
    with CaptureQueriesContext(connection) as few:
        opportunities_near(lat=HOME[0], lon=HOME[1], radius_km=10)
    for i in range(30):
        _at(500 + i)
    with CaptureQueriesContext(connection) as many:
        opportunities_near(lat=HOME[0], lon=HOME[1], radius_km=10)
    assert len(many) == len(few)


@pytest.mark.parametrize("offset", [0, 3, 4, 7, 20])
def test_interleaving_is_a_partition(offset):
    full = _interleaved_slots(0, 40, 25, 6)
    assert sorted(i for k, i in full if k == "p") == list(range(25))
    assert sorted(i for k, i in full if k == "r") == list(range(6))
    assert _interleaved_slots(offset, 10, 25, 6) == full[offset : offset + 10]
