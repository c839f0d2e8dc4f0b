import pytest
from django.core.management import call_command

from quartiers40.members.enums import OrganisationKind
from quartiers40.members.models import Organisation, User


@pytest.mark.django_db
def test_demo_dataset_is_realistic_and_loads_once():
    call_command("load_demo")
    members = Organisation.objects.members_of_collective()
    assert members.count() >= 35
    assert set(members.values_list("kind", flat=True)) == set(OrganisationKind.values)
    assert {"93", "13", "69", "59", "33"} <= set(members.values_list("department_code", flat=True))
    assert all(
        "fictive" in description for description in members.values_list("description", flat=True)
    )
    assert User.objects.filter(is_coordinator=True).exists()
    assert User.objects.filter(is_resident=True, profile_public=False).exists()
    assert all(m.memberships.filter(role="admin").exists() for m in members)
    count = Organisation.objects.count()
    call_command("load_demo")
    assert Organisation.objects.count() == count
