import pytest
import shapely
from django.db import IntegrityError

from quartiers40.territories.models import QPV

from .factories import QPVFactory, box

pytestmark = pytest.mark.django_db


def test_geometry_helpers_give_shapely_objects():
    qpv = QPVFactory(geometry=box(2.35, 48.88, 0.01))
    qpv.refresh_from_db()  # BinaryField comes back as memoryview on PostgreSQL
    assert isinstance(qpv.geometry, shapely.MultiPolygon)
    assert qpv.geometry.equals(shapely.MultiPolygon([box(2.35, 48.88, 0.01)]))
    assert qpv.display_geometry.is_valid
    assert qpv.centroid.x == pytest.approx(2.355)
    assert qpv.centroid.y == pytest.approx(48.885)
    assert qpv.bbox == pytest.approx((2.35, 48.88, 2.36, 48.89))
    # 0.01° x 0.01° at 48.885°: 733 m x 1,112 m.
    assert qpv.area_hectares == pytest.approx(81.5, rel=0.01)


def test_a_qpv_covers_its_boundary():
    qpv = QPVFactory(geometry=box(2.0, 48.0, 0.01))
    assert qpv.covers_point(2.005, 48.005)
    assert qpv.covers_point(2.0, 48.005)  # on the western edge
    assert not qpv.covers_point(2.02, 48.005)


def test_a_qpv_without_geometry_has_none():
    qpv = QPVFactory()
    assert qpv.geometry is None
    assert qpv.display_geometry is None
    assert qpv.centroid is None
    assert qpv.bbox is None
    assert qpv.area_hectares is None
    assert not qpv.covers_point(2.0, 48.0)


def test_the_legacy_fields_still_create_a_qpv():
    """Other apps create QPVs with the original four fields only."""
    qpv = QPV.objects.create(
        code="QN07511M", name="Goutte D'Or", department_code="75", commune_name="Paris"
    )
    assert qpv.generation == 2024
    assert qpv.is_active
    assert str(qpv) == "Goutte D'Or (QN07511M)"


def test_a_code_is_unique_within_a_generation_only():
    QPVFactory(code="QN07511M", generation=2024)
    QPVFactory(code="QN07511M", generation=2030)
    with pytest.raises(IntegrityError):
        QPVFactory(code="QN07511M", generation=2024)


def test_current_is_the_active_qpvs_of_the_current_generation(settings):
    in_force = QPVFactory(generation=2024)
    QPVFactory(generation=2024, is_active=False)
    QPVFactory(generation=2015)
    assert list(QPV.objects.current()) == [in_force]
    settings.QPV_GENERATION = 2015
    assert QPV.objects.current().get().generation == 2015
