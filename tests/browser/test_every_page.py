"""Every kind of page, public and signed in, on a phone: axe-core (WCAG 2.1 A/AA and best
practices) finds nothing, and the page weighs under 150 KB transferred on first load
(compressed, as WhiteNoise and a front server send it), with the demo banner shown."""

import pytest
from django.urls import reverse
from shapely.geometry import box

from quartiers40.members.enums import Role
from tests.browser.conftest import PHONE, assert_no_axe_violations, open_counting_bytes
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import AgendaItemFactory, EditionFactory
from tests.members.factories import CoordinatorFactory, MembershipFactory, ResidentFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import QPVFactory

PAGE_BUDGET = 150 * 1024
PHONE_360 = {"width": 360, "height": 800}


@pytest.fixture(autouse=True)
def _demo_banner(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def world(transactional_db):
    """One of each thing a page shows, placed in one QPV."""
    qpv = QPVFactory(code="QN09371M", name="Rougemont", geometry=box(2.5, 48.9, 2.51, 48.91))
    project = PublishedProjectFactory(title="Assistant CV pour les jeunes")
    project.qpvs.add(qpv)
    member = MembershipFactory(organisation=project.carrier, role=Role.ADMIN).user
    challenge = ChallengeFactory(title="Un ordinateur pour imprimer mes papiers")
    challenge.qpvs.add(qpv)
    edition = EditionFactory(title="Petit déj de l'IA de décembre")
    AgendaItemFactory(edition=edition, title="Accueil")
    opportunity = OpportunityFactory(organisation=project.carrier, title="Atelier CV")
    PlaceFactory(opportunity=opportunity, latitude=48.905, longitude=2.505)
    return {
        "opportunity": opportunity,
        "qpv": qpv,
        "project": project,
        "challenge": challenge,
        "edition": edition,
        "member": member,
    }


def _public_pages(world) -> dict[str, str]:
    return {
        "projects": reverse("projects:catalogue"),
        "project": reverse("projects:detail", args=[world["project"].slug]),
        "projects map": reverse("projects:map"),
        "challenges": reverse("challenges:list"),
        "challenge": reverse("challenges:detail", args=[world["challenge"].slug]),
        "challenges map": reverse("challenges_open_data:map"),
        "meetings": reverse("meetings:list"),
        "edition": reverse("meetings:edition_detail", args=[world["edition"].slug]),
        "territories": reverse("territories:directory"),
        "qpv": reverse("territories:detail", args=[world["qpv"].code]),
        "qpv check": reverse("territories:check"),
        "opportunities": reverse("opportunities:search") + "?lieu=QN09371M",
        "opportunity": reverse("opportunities:detail", args=[world["opportunity"].slug]),
        "opportunities map": reverse("opportunities:map"),
        "address file": reverse("territories_batch:upload"),
        "not found": "/nulle-part/",
    }


def _check(page, url: str) -> None:
    sizes = open_counting_bytes(page, url, gzipped=True)
    assert_no_axe_violations(page)
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET, f"{url} weighs {total} bytes compressed: {sizes}"


def test_every_public_page_on_a_phone(new_context, live_server, world):
    page = new_context(viewport=PHONE_360).new_page()
    for name, path in _public_pages(world).items():
        with _named(name):
            _check(page, live_server.url + path)


def test_every_public_page_on_a_desktop(new_context, live_server, world):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    for name, path in _public_pages(world).items():
        with _named(name):
            _check(page, live_server.url + path)


def _the_whole_country() -> None:
    """As many QPVs as the official list (1,584), so a form's place field weighs what it
    weighs in production."""
    from quartiers40.territories.models import QPV

    QPV.objects.bulk_create(
        QPV(
            code=f"QN{index:05d}X",
            name=f"Quartier numéro {index} des Hauts",
            department_code=f"{index % 95 + 1:02d}",
            commune_name=f"Commune {index}",
        )
        for index in range(1584)
    )


def test_the_forms_and_spaces_of_signed_in_people(sign_in_as, live_server, world):
    _the_whole_country()
    resident = sign_in_as(ResidentFactory(), viewport=PHONE)
    for path in [reverse("challenges:create"), reverse("members:account")]:
        with _named(path):
            _check(resident, live_server.url + path)
    member = sign_in_as(world["member"], viewport=PHONE)
    with _named("project form"):
        _check(member, live_server.url + reverse("projects:create"))
    with _named("opportunity form"):
        _check(member, live_server.url + reverse("opportunities:create"))
    with _named("interests received"):
        _check(
            member,
            live_server.url + reverse("opportunities:interests", args=[world["opportunity"].slug]),
        )
    coordination = sign_in_as(CoordinatorFactory(), viewport=PHONE)
    for path in [reverse("members:moderation_queue"), reverse("challenges:moderation")]:
        with _named(path):
            _check(coordination, live_server.url + path)


class _named:
    """Say which page failed, in a loop over pages."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is not None and isinstance(error, AssertionError | pytest.fail.Exception):
            raise AssertionError(f"[{self.name}] {error}") from error
        return False
