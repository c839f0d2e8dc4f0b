"""The défis on the map of their QPVs, and the défis sections of the QPV and organisation
pages, as people see them: with and without JavaScript, accessible, light."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from quartiers40.challenges import services
from quartiers40.members.enums import Role
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.territories.factories import QPVFactory, box

from .conftest import assert_no_axe_violations, open_counting_bytes

TITLE = "Les ascenseurs restent en panne des semaines"


def _post(*, qpvs=(), **fields):
    author = fields.pop("author", None) or UserFactory(
        date_joined=timezone.now() - timedelta(days=60)
    )
    fields.setdefault("situation", "Les personnes âgées restent enfermées chez elles.")
    fields.setdefault("affected", "Les personnes âgées.")
    fields.setdefault("solved_when", "Les pannes sont réparées en deux jours.")
    if not qpvs:
        fields.setdefault("commune_name", "Sevran")
    return services.challenge_post(actor=author, qpvs=qpvs, **fields)


def _world():
    franc_moisin = QPVFactory(
        code="QN09301M",
        name="Franc-Moisin",
        department_code="93",
        geometry=box(2.36, 48.92, 0.01),
    )
    cosmonautes = QPVFactory(
        code="QN09302M", name="Cosmonautes", department_code="93", geometry=box(2.40, 48.95)
    )
    organisation = OrganisationFactory(name="Clic Solidaire")
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    challenge = _post(
        title=TITLE,
        qpvs=[franc_moisin],
        themes=["housing"],
        author=admin,
        organisation=organisation,
    )
    _post(title="Pas de wifi dans les halls", qpvs=[cosmonautes], themes=["digital_inclusion"])
    _post(title="Un défi de toute la commune")
    return {"qpv": franc_moisin, "organisation": organisation, "challenge": challenge}


def test_a_challenge_appears_on_the_map_and_leads_to_its_page(live_server, page):
    world = _world()

    page.goto(f"{live_server.url}/defis/carte/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Carte des défis des quartiers prioritaires"
    )
    marker = page.get_by_role("button", name=re.compile("^Franc-Moisin : 1 défi"))
    expect(marker).to_be_visible()
    expect(page.locator("[data-points-map][data-ready=true]")).to_have_attribute(
        "data-points-count", "2"
    )
    assert_no_axe_violations(page)

    marker.click()
    page.locator(".leaflet-popup").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(rf"/defis/{world['challenge'].slug}/$"))


def test_the_map_filters_and_its_text_list(live_server, page):
    _world()

    page.goto(f"{live_server.url}/defis/carte/")
    page.get_by_label(re.compile("^Thème")).select_option(label="Logement")
    page.get_by_role("button", name="Filtrer").click()

    expect(page.get_by_role("status").first).to_contain_text("1 quartier prioritaire a des défis")
    expect(page.get_by_role("button", name=re.compile("^Franc-Moisin : 1 défi"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Cosmonautes"))).to_have_count(0)
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_axe_violations(page)


def test_without_javascript_the_map_page_lists_the_challenges_by_qpv(live_server, new_context):
    _world()
    page = new_context(java_script_enabled=False).new_page()

    page.goto(f"{live_server.url}/defis/carte/")

    expect(page.locator("[data-points-map-figure]")).to_be_hidden()
    expect(page.get_by_role("link", name="Franc-Moisin")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Un défi de toute la commune")).to_be_visible()
    # (axe-core needs JavaScript: the same page is checked with it in the tests above.)


def test_the_map_page_is_light(live_server, page):
    qpv = QPVFactory(code="QN09301M", name="Franc-Moisin", geometry=box(2.36, 48.92))
    for index in range(30):
        _post(title=f"Défi numéro {index}", qpvs=[qpv])

    sizes = open_counting_bytes(page, f"{live_server.url}/defis/carte/", gzipped=True)
    expect(page.locator("[data-points-map][data-ready=true]")).to_be_attached()

    assert sum(sizes.values()) < 100 * 1024, sizes


def test_the_challenges_sections_of_qpv_and_organisation_pages_are_accessible(live_server, page):
    world = _world()

    page.goto(live_server.url + reverse("territories:detail", kwargs={"code": world["qpv"].code}))
    section = page.get_by_role("region", name="Défis")
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_axe_violations(page)

    organisation_url = reverse(
        "members:organisation_detail", kwargs={"slug": world["organisation"].slug}
    )
    page.goto(live_server.url + organisation_url)
    section = page.get_by_role("region", name="Défis")
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_server.url + reverse("territories:detail", kwargs={"code": QPVFactory().code}))
    expect(page.get_by_role("region", name="Défis")).to_contain_text("Aucun défi pour l'instant")
    assert_no_axe_violations(page)
