import pytest

from quartiers40.territories.selectors import (
    qpv_get,
    qpv_index_rows,
    qpv_layer_stamp,
    qpvs_current,
    qpvs_of_department,
)

from .factories import QPVFactory, box

pytestmark = pytest.mark.django_db


def test_qpv_get_by_code_in_the_current_generation():
    qpv = QPVFactory(code="QN07511M")
    QPVFactory(code="QN07511M", generation=2015)
    assert qpv_get(code="QN07511M") == qpv
    assert qpv_get(code="QN07511M", generation=2015).generation == 2015
    assert qpv_get(code="QN00000X") is None


def test_lists_leave_the_heavy_geometry_columns_out():
    QPVFactory(geometry=box(2.3, 48.8), department_code="75")
    QPVFactory(geometry=box(5.3, 43.3), department_code="13")
    listed = qpvs_of_department(department_code="13").get()
    assert "geometry_wkb" in listed.get_deferred_fields()
    assert qpvs_current().count() == 2


def test_index_rows_are_the_current_qpvs_with_a_geometry_sorted_by_code():
    QPVFactory(code="QN07502M", geometry=box(2.3, 48.8))
    QPVFactory(code="QN07501M", geometry=box(2.4, 48.8))
    QPVFactory(code="QN07503M")  # no geometry
    QPVFactory(code="QN07504M", geometry=box(2.5, 48.8), is_active=False)
    rows = qpv_index_rows()
    assert rows.codes == ["QN07501M", "QN07502M"]
    assert all(isinstance(wkb, bytes) for wkb in rows.wkbs)


def test_the_stamp_changes_on_create_update_and_delete():
    first = qpv_layer_stamp()
    qpv = QPVFactory()
    created = qpv_layer_stamp()
    assert created != first
    qpv.name = "Nouveau nom"
    qpv.save()
    assert qpv_layer_stamp() != created
    updated = qpv_layer_stamp()
    qpv.delete()
    assert qpv_layer_stamp() != updated
