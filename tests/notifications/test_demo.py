import pytest
from django.core.management import call_command

from quartiers40.members.demo import DEMO_ACCOUNTS
from quartiers40.members.models import User
from quartiers40.notifications import selectors
from quartiers40.notifications.models import Event, Follow
from tests.challenges.test_demo import demo_qpvs  # noqa: F401 (the demo's QPVs)

pytestmark = pytest.mark.django_db


def test_the_demo_resident_follows_qpvs_and_has_news(demo_qpvs):  # noqa: F811
    call_command("load_demo")
    assert Follow.objects.count() > 10
    assert Event.objects.filter(kind="project_new").exists()
    resident = User.objects.get(email=DEMO_ACCOUNTS[1][0])
    assert selectors.follows_of(resident)
    call_command("load_demo", "--reset")
    assert Follow.objects.filter(user__email=DEMO_ACCOUNTS[1][0]).exists()
