"""A person's name is printed for others only when she chose a public profile.

One decision, `members.permissions.person_public_name` / `person_public_label`, used by
every page, export, API answer and e-mail. Issue 11, defect 1: a défi posted by the demo
resident (private profile) showed "Posté par Awa D.": these tests walk every public surface,
with factories and with the demo data, and look for a private person's name.
"""

import re
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from quartiers40.challenges import services as challenge_services
from quartiers40.challenges.models import Challenge
from quartiers40.meetings.models import Edition
from quartiers40.members.enums import Role
from quartiers40.members.models import Organisation, User
from quartiers40.members.permissions import (
    person_name_if_public,
    person_public_label,
    person_public_name,
)
from tests.challenges.factories import ChallengeFactory, OfferFactory
from tests.meetings.factories import ActionItemFactory, EditionFactory, RegistrationFactory
from tests.members.factories import (
    CoordinatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
)
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db

SECRET = "Zoé Privée-Secrète"


# --- The decision ----------------------------------------------------------------------------


def test_a_private_resident_is_never_named_to_anybody_else():
    resident = ResidentFactory(display_name=SECRET)
    other = UserFactory()
    assert person_public_label(resident) == "Un·e habitant·e"
    assert person_public_name(resident, None) == "Un·e habitant·e"
    assert person_public_name(resident, other) == "Un·e habitant·e"
    assert person_name_if_public(resident) is None


def test_a_private_person_who_is_not_a_resident_is_a_participant():
    person = UserFactory(display_name=SECRET, profile_public=False)
    assert person_public_name(person, UserFactory()) == "Un·e participant·e"


def test_she_and_the_team_read_the_public_label_with_a_hint():
    resident = ResidentFactory(display_name=SECRET)
    assert person_public_name(resident, resident) == (
        "Un·e habitant·e (vous ; votre nom n'est pas public)"
    )
    assert person_public_name(resident, CoordinatorFactory()) == (
        f"Un·e habitant·e ({SECRET}, nom non public)"
    )


def test_a_public_profile_is_named_to_everybody():
    person = ResidentFactory(display_name="Awa Publique", profile_public=True)
    assert person_public_name(person, None) == "Awa Publique"
    assert person_public_name(person, person) == "Awa Publique"
    assert person_name_if_public(person) == "Awa Publique"


def test_a_deleted_account_is_named_so_even_if_it_was_public():
    person = UserFactory(is_active=False, profile_public=True)
    assert person_public_label(person) == "Compte supprimé"
    assert person_name_if_public(person) is None


# --- Every public surface, with factories ----------------------------------------------------


@pytest.fixture
def world():
    """A private resident who posts, comments, supports, belongs to an organisation, owns a
    follow-up action of a meeting and registers to it."""
    qpv = QPVFactory(code="QN09399Z", name="Les Tilleuls", centroid_lon=2.4, centroid_lat=48.9)
    resident = ResidentFactory(display_name=SECRET, email="zoe@secret.example")
    organisation = OrganisationFactory(name="Voisins Connectés")
    MembershipFactory(organisation=organisation, user=resident, role=Role.MEMBER)
    posted = challenge_services.challenge_post(
        actor=resident,
        qpvs=[qpv],
        title="Les papiers de la CAF",
        situation="Personne ne comprend les courriers.",
        affected="Les allocataires.",
        solved_when="Chacun comprend ses courriers.",
    )
    other = ChallengeFactory(title="Du wifi dans les halls")
    challenge_services.challenge_support(challenge=other, user=resident)
    challenge_services.challenge_comment_add(challenge=other, author=resident, body="Oui !")
    edition = EditionFactory()
    RegistrationFactory(edition=edition, user=resident)
    ActionItemFactory(edition=edition, owner_user=resident, owner_organisation=None)
    return {
        "resident": resident,
        "posted": posted,
        "other": other,
        "organisation": organisation,
        "edition": edition,
    }


def _public_urls(world) -> list[str]:
    posted, other = world["posted"], world["other"]
    return [
        reverse("home:home"),
        reverse("challenges:list"),
        reverse("challenges:detail", args=[posted.slug]),
        reverse("challenges:detail", args=[other.slug]),
        reverse("challenges_open_data:map_data"),
        "/api/v1/challenges/export.csv",
        "/api/v1/challenges/export.json",
        "/api/v1/challenges/export.geojson",
        "/api/v1/challenges/?page_size=100",
        f"/api/v1/challenges/{posted.slug}/",
        f"/api/v1/challenges/{other.slug}/",
        reverse("members:organisation_detail", args=[world["organisation"].slug]),
        reverse("members:directory"),
        reverse("meetings:edition_detail", args=[world["edition"].slug]),
        f"/api/v1/meetings/editions/{world['edition'].slug}/",
        "/api/v1/meetings/action-items/",
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "coordination-token"])
def test_no_public_surface_names_the_private_resident(client, world, who):
    headers = {}
    if who == "member":
        client.force_login(UserFactory())
    elif who == "coordination-token":
        from quartiers40.members import services as members_services

        _token, raw = members_services.api_token_create(user=CoordinatorFactory(), name="t")
        headers = {"Authorization": f"Bearer {raw}"}
    checked = 0
    for url in _public_urls(world):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET not in body, url
        assert "zoe@secret.example" not in body, url
        checked += 1
    assert checked == len(_public_urls(world))
    page = client.get(reverse("challenges:detail", args=[world["posted"].slug])).content.decode()
    assert "Posté par Un·e habitant·e" in page


def test_her_own_page_tells_her_she_is_not_named(client, world):
    client.force_login(world["resident"])
    page = client.get(reverse("challenges:detail", args=[world["posted"].slug])).content.decode()
    assert SECRET not in page
    assert "Posté par Un·e habitant·e (vous ; votre nom n&#x27;est pas public)" in page


def test_the_e_mails_to_supporters_never_name_her(
    world, django_capture_on_commit_callbacks, coordinator_and_helper
):
    coordinator, helper, helper_org = coordinator_and_helper
    posted = world["posted"]
    for _index in range(2):
        challenge_services.challenge_support(challenge=posted, user=UserFactory())
    offer = OfferFactory(challenge=posted, organisation=helper_org, author=helper)
    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.challenge_offer_accept(offer=offer, actor=world["resident"])
    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.challenge_solve(
            challenge=posted,
            actor=coordinator,
            outcome_text="Des permanences chaque mardi.",
            outcome_result="30 personnes aidées",
            outcome_project=None,
        )
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        if message.to == [world["resident"].email]:
            continue  # her own copy may greet her
        assert SECRET not in message.subject + message.body


@pytest.fixture
def coordinator_and_helper():
    helper = UserFactory()
    helper_org = OrganisationFactory(name="Aide Numérique")
    MembershipFactory(organisation=helper_org, user=helper, role=Role.ADMIN)
    return CoordinatorFactory(), helper, helper_org


# --- The demo data ---------------------------------------------------------------------------


@pytest.fixture
def demo_qpvs():
    for department in ("93", "13", "69", "59", "33", "75"):
        for index in range(3):
            QPVFactory(
                code=f"QN0{department}{index:02d}Y",
                department_code=department,
                commune_code=f"{department}1{index:02d}",
                centroid_lon=2.0 + index / 10,
                centroid_lat=48.0 + index / 10,
            )


def test_the_demo_names_no_private_person_on_any_public_page(client, demo_qpvs):
    """What the issue saw, with `load_demo`: every public page, export and API list, read
    anonymously, never prints the name of a person whose profile is private."""
    call_command("load_demo")
    names = Counter(User.objects.values_list("display_name", flat=True))
    private = [
        user.display_name
        for user in User.objects.filter(profile_public=False, is_active=True)
        if names[user.display_name] == 1
    ]
    assert "Awa D." in private and len(private) >= 10
    urls = [
        "/",
        reverse("challenges:list"),
        reverse("challenges_open_data:map_data"),
        "/api/v1/challenges/export.csv",
        "/api/v1/challenges/export.json",
        "/api/v1/challenges/?page_size=100",
        "/api/v1/projects/?page_size=100",
        reverse("members:directory"),
        reverse("meetings:list"),
        reverse("projects:catalogue"),
    ]
    urls += [reverse("challenges:detail", args=[c.slug]) for c in Challenge.objects.all()]
    urls += [o.get_absolute_url() for o in Organisation.objects.members_of_collective()]
    urls += [reverse("meetings:edition_detail", args=[e.slug]) for e in Edition.objects.all()]
    leaks = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue  # a défi in the moderation queue is not public
        body = response.content.decode()
        leaks += [(url, name) for name in private if re.search(re.escape(name), body)]
    assert leaks == []
