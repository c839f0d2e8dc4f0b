""" "Mon espace": what is mine and what awaits me, with the words of my role (issue 11, item 7).

An accepted association was told to ask to join; coordination was told it had no
organisation; signing in landed on profile settings.
"""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from quartiers40.meetings.enums import RegistrationStatus
from quartiers40.members.enums import OrganisationKind, OrganisationStatus, Role
from quartiers40.projects.enums import ProjectStatus
from tests.challenges.factories import ChallengeFactory, OfferFactory, SupportFactory
from tests.meetings.factories import ActionItemFactory, EditionFactory, RegistrationFactory
from tests.members.factories import (
    PASSWORD,
    CoordinatorFactory,
    MembershipFactory,
    MembershipRequestFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
)
from tests.projects.factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db
URL = "/compte/"
JOIN = "Demander à rejoindre le collectif"


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_signing_in_lands_on_mon_espace(client):
    user = UserFactory()
    response = client.post(reverse("members:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("members:account") == URL
    assert "<h1>Mon espace</h1>" in client.get(response.url).content.decode()


def test_signing_in_honours_next(client):
    user = UserFactory()
    response = client.post(
        reverse("members:login") + "?next=/defis/",
        {"username": user.email, "password": PASSWORD, "next": "/defis/"},
    )
    assert response.url == "/defis/"


def test_the_header_link_says_mon_espace_and_settings_have_their_own_page(client):
    page = _page(client, UserFactory())
    assert f'href="{reverse("members:account_settings")}"' in page
    assert "Mon profil et mes réglages" in page
    assert 'name="display_name"' not in page  # the form is on the settings page now
    settings_page = client.get(reverse("members:account_settings")).content.decode()
    assert 'name="display_name"' in settings_page


def test_profile_settings_are_saved_on_their_page(client):
    user = UserFactory(display_name="Awa")
    client.force_login(user)
    response = client.post(
        reverse("members:account_settings"),
        {"display_name": "Awa D.", "bio": "", "phone": "", "is_resident": "on"},
    )
    assert response.status_code == 302
    assert response.url == reverse("members:account_settings")
    user.refresh_from_db()
    assert user.display_name == "Awa D." and user.is_resident


def test_a_resident(client):
    resident = ResidentFactory()
    mine = ChallengeFactory(author=resident, title="Le wifi des halls")
    OfferFactory(challenge=mine)
    supported = ChallengeFactory(title="La cantine en ligne")
    SupportFactory(challenge=supported, user=resident)
    page = _page(client, resident)
    assert "Vous habitez un quartier prioritaire." in page
    assert "Le wifi des halls" in page and "La cantine en ligne" in page
    assert "Une proposition d'aide attend votre réponse sur « Le wifi des halls »." in page
    assert f'href="{mine.get_absolute_url()}#propositions"' in page
    assert JOIN in page  # she may bring an organisation
    assert "Mes projets" not in page  # no organisation, no project
    assert "Vous coordonnez" not in page


def test_an_accepted_association_admin_is_not_told_to_ask_to_join(client):
    admin = UserFactory()
    association = OrganisationFactory(name="Clic Solidaire")
    MembershipFactory(organisation=association, user=admin, role=Role.ADMIN)
    ProjectFactory(carrier=association, title="Traduire les courriers")
    returned = ProjectFactory(
        carrier=association, title="Un assistant CV", status=ProjectStatus.RETURNED
    )
    followed = PublishedProjectFactory(title="Le projet d'à côté")
    followed.follows.create(user=admin)
    OfferFactory(organisation=association, challenge=ChallengeFactory(title="Les stages"))
    page = _page(client, admin)
    assert "Vous administrez « Clic Solidaire », membre du collectif." in page
    assert JOIN not in page
    assert "Gérer l'équipe" in page
    assert "Traduire les courriers" in page and "Le projet d'à côté" in page
    assert "La coordination vous a renvoyé « Un assistant CV » : complétez-le." in page
    assert f'href="{reverse("projects:edit", kwargs={"key": returned.slug})}"' in page
    assert "Les stages" in page  # the offers of my organisations


def test_a_candidate_organisation_is_told_where_its_request_is(client):
    person = UserFactory()
    candidate = OrganisationFactory(name="Start-up Voix", status=OrganisationStatus.CANDIDATE)
    MembershipFactory(organisation=candidate, user=person, role=Role.ADMIN)
    MembershipRequestFactory(organisation=candidate, requester=person)
    page = _page(client, person)
    assert "« Start-up Voix » n'est pas encore membre du collectif." in page
    assert "Mes demandes d'adhésion" in page


def test_a_local_authority(client):
    agent = UserFactory()
    town = OrganisationFactory(name="Ville de Sevran", kind=OrganisationKind.LOCAL_AUTHORITY)
    MembershipFactory(organisation=town, user=agent, role=Role.MEMBER)
    page = _page(client, agent)
    assert "Vous représentez la collectivité « Ville de Sevran »." in page
    assert JOIN not in page


def test_coordination_is_told_it_coordinates_with_a_link_to_its_work(client):
    coordinator = CoordinatorFactory()
    MembershipRequestFactory()
    page = _page(client, coordinator)
    assert "Vous coordonnez le collectif" in page
    assert f'href="{reverse("home:coordination")}"' in page
    assert "À traiter (1)" in page
    assert "Vous ne faites partie d'aucune organisation" not in page
    assert JOIN not in page


def test_a_seat_offered_with_its_deadline_and_a_registration_to_confirm(client):
    person = UserFactory()
    deadline = timezone.now() + timedelta(hours=20)
    offered = RegistrationFactory(
        user=person,
        edition=EditionFactory(title="Petit déj de Lyon"),
        status=RegistrationStatus.OFFERED,
        offer_expires_at=deadline,
    )
    RegistrationFactory(
        user=person,
        edition=EditionFactory(title="Petit déj de Lille"),
        status=RegistrationStatus.PENDING_CONFIRMATION,
    )
    RegistrationFactory(user=person, edition=EditionFactory(title="Petit déj de Paris"))
    ActionItemFactory(owner_user=person, owner_organisation=None, title="Publier la carte")
    page = _page(client, person)
    assert "Une place s'est libérée pour « Petit déj de Lyon » : confirmez avant le" in page
    assert f'href="{reverse("meetings:registration_manage", args=[offered.token])}"' in page
    assert "Confirmez votre adresse e-mail pour « Petit déj de Lille »." in page
    assert "Petit déj de Paris" in page
    assert "Publier la carte" in page


def test_nothing_awaits_a_newcomer(client):
    page = _page(client, UserFactory())
    assert "Rien ne vous attend pour l'instant." in page
    assert "Vous participez à titre personnel." in page
    assert "Vous n'avez posté aucun défi." in page


def test_mon_espace_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    admin = UserFactory()
    association = OrganisationFactory()
    MembershipFactory(organisation=association, user=admin, role=Role.ADMIN)
    for _index in range(5):
        ProjectFactory(carrier=association)
        OfferFactory(challenge=ChallengeFactory(author=admin))
        RegistrationFactory(user=admin)
    client.force_login(admin)
    client.get(URL)
    with django_assert_max_num_queries(25):
        client.get(URL)
