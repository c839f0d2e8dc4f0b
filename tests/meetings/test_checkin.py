import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from quartiers40.meetings import selectors, services
from quartiers40.meetings.enums import Attendance
from tests.members.factories import UserFactory

from .factories import HybridEditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition_with_people():
    edition = HybridEditionFactory(onsite_capacity=3, online_capacity=3)
    people = {}
    for name, mode in (
        ("Awa Diallo", "on_site"),
        ("Karim Sy", "on_site"),
        ("Lina Haddad", "online"),
    ):
        people[name] = services.registration_create(
            edition=edition, actor=UserFactory(display_name=name), attendance=mode
        )
    organiser = UserFactory()
    edition.organisers.add(organiser)
    return edition, people, organiser


def test_check_in_and_counts(edition_with_people):
    edition, people, organiser = edition_with_people
    services.registration_check_in(registration=people["Awa Diallo"], actor=organiser)
    counts = {
        count.attendance: (count.present, count.registered)
        for count in selectors.attendance_counts(edition)
    }
    assert counts == {Attendance.ON_SITE: (1, 2), Attendance.ONLINE: (0, 1)}
    services.registration_check_in(
        registration=people["Awa Diallo"], actor=organiser, present=False
    )
    assert selectors.attendance_counts(edition)[0].present == 0


def test_only_organisers_check_in(edition_with_people):
    _edition, people, _organiser = edition_with_people
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=people["Karim Sy"], actor=UserFactory())


def test_only_confirmed_people_are_checked_in(edition_with_people):
    _edition, people, organiser = edition_with_people
    services.registration_cancel_from_link(registration=people["Karim Sy"])
    with pytest.raises(ValidationError):
        services.registration_check_in(registration=people["Karim Sy"], actor=organiser)


def test_the_page_searches_and_marks_present_without_javascript(client, edition_with_people):
    edition, people, organiser = edition_with_people
    client.force_login(organiser)
    url = reverse("meetings:checkin", args=[edition.slug])
    page = client.get(url, {"q": "kar"}).content.decode()
    assert "Karim Sy" in page and "Awa Diallo" not in page
    response = client.post(url, {"registration": people["Karim Sy"].pk, "present": "1", "q": "kar"})
    assert response.status_code == 302 and response.url.endswith("?q=kar")
    people["Karim Sy"].refresh_from_db()
    assert people["Karim Sy"].checked_in_at is not None
    page = client.get(url).content.decode()
    assert "1 présent·es sur 2" in page
