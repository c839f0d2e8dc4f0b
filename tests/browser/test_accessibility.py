"""WCAG 2.1 AA (axe-core), keyboard, no JavaScript, small screens, page weight."""

import re

import pytest
from playwright.sync_api import expect

from quartiers40.members.enums import OrganisationKind, Role
from quartiers40.territories.models import QPV
from tests.browser.conftest import PHONE, assert_no_axe_violations, open_counting_bytes
from tests.members.factories import (
    PASSWORD,
    CoordinatorFactory,
    MembershipFactory,
    MembershipRequestFactory,
    OrganisationFactory,
    UserFactory,
)

PAGE_BUDGET = 150 * 1024
LAYOUT_CSS_JS_BUDGET = 40 * 1024

PUBLIC_PAGES = {
    "home": "/",
    "directory": "/organisations/",
    "directory filtered": "/organisations/?q=Saint&kind=association&department=93",
    "organisation": "/organisations/maison-des-savoirs/",
    "sign up": "/inscription/",
    "sign in": "/connexion/",
    "password reset": "/mot-de-passe/oublie/",
    "accessibility": "/accessibilite/",
    "legal notice": "/mentions-legales/",
    "privacy": "/donnees-personnelles/",
}
ACCOUNT_PAGES = {
    "account": "/compte/",
    "account settings": "/compte/profil/",
    "account deletion": "/compte/supprimer/",
    "api tokens": "/compte/jetons/",
    "join": "/adherer/",
}


@pytest.fixture(autouse=True)
def _demo_banner(settings):
    """Pages are checked with the demo banner shown, as `make run` serves them."""
    settings.DEMO_MODE = True


@pytest.fixture
def collective(transactional_db):
    """A directory with something in it: several kinds, a full organisation page."""
    qpv = QPV.objects.create(
        code="QN09301M",
        name="Franc-Moisin Bel-Air",
        department_code="93",
        commune_name="Saint-Denis",
    )
    full = OrganisationFactory(
        name="Maison des savoirs",
        slug="maison-des-savoirs",
        description="Des **ateliers** d'initiation à l'IA, [ouverts à tous](https://exemple.fr).",
        website="https://maison-des-savoirs.exemple.fr",
        siret="12345678901234",
    )
    full.qpvs.add(qpv)
    MembershipFactory(organisation=full, user=UserFactory(profile_public=True), role=Role.ADMIN)
    for kind in OrganisationKind.values:
        OrganisationFactory(kind=kind)
    OrganisationFactory(department_code="69", commune_name="Vaulx-en-Velin")
    return full


def _check(page, url: str) -> None:
    sizes = open_counting_bytes(page, url)
    assert page.url.endswith(url), f"{url} led to {page.url}"
    assert_no_axe_violations(page)
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET, f"{url} weighs {total} bytes on first load: {sizes}"


@pytest.mark.parametrize("url", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_axe_violation(page, live_server, collective, url):
    _check(page, live_server.url + url)


@pytest.mark.parametrize("url", ["/", "/organisations/?kind=association"])
def test_public_page_on_a_phone_has_no_axe_violation(phone_page, live_server, collective, url):
    _check(phone_page, live_server.url + url)


def test_sign_up_errors_have_no_axe_violation(phone_page, live_server):
    _check(phone_page, f"{live_server.url}/inscription/")
    phone_page.get_by_label(re.compile("^Adresse e-mail")).fill("pas-une-adresse")
    phone_page.get_by_label(re.compile("^Mot de passe")).fill("court")
    phone_page.get_by_role("button", name="Créer mon compte").click()
    expect(phone_page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    assert_no_axe_violations(phone_page)
    # Screen readers announce each field's help and error with the field itself.
    email = phone_page.get_by_label(re.compile("^Adresse e-mail"))
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(
        re.compile("Nous vous enverrons un lien.*Saisissez une adresse (e-mail|de courriel) valide")
    )


@pytest.mark.parametrize("url", ACCOUNT_PAGES.values(), ids=ACCOUNT_PAGES.keys())
def test_account_page_has_no_axe_violation(sign_in_as, live_server, collective, url):
    person = UserFactory(email_verified_at=None)
    MembershipFactory(user=person, organisation=collective, role=Role.ADMIN)
    MembershipRequestFactory(requester=person)
    _check(sign_in_as(person), live_server.url + url)


def test_new_api_token_has_no_axe_violation(sign_in_as, live_server):
    page = sign_in_as(UserFactory())
    page.goto(f"{live_server.url}/compte/jetons/")
    page.get_by_label(re.compile("^Nom du jeton")).fill("script d'import")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_role("table")).to_contain_text("script d'import")
    assert_no_axe_violations(page)


def test_moderation_pages_have_no_axe_violation(sign_in_as, live_server, collective):
    pending = MembershipRequestFactory()
    page = sign_in_as(CoordinatorFactory())
    _check(page, f"{live_server.url}/coordination/adhesions/")
    page.get_by_role("link", name=f"Examiner {pending.organisation.name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pending.organisation.name)
    assert_no_axe_violations(page)


def test_sign_in_and_language_switch_work_without_javascript(new_context, live_server):
    person = UserFactory()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label(re.compile("^Adresse e-mail")).fill(person.email)
    page.get_by_label(re.compile("^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("banner").get_by_role("button", name=re.compile("^English")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My space")
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(1)
    assert page.url == f"{live_server.url}/compte/"
    expect(
        page.get_by_role("banner").get_by_role("button", name=re.compile("^Français"))
    ).to_be_visible()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("main").get_by_role("link", name="Rejoindre le collectif").first
    ).to_be_focused()


NARROW = {"width": 320, "height": PHONE["height"]}


def _widths(page, base_url: str, urls) -> dict[str, int]:
    widths = {}
    for url in urls:
        page.goto(base_url + url)
        widths[url] = page.evaluate("document.scrollingElement.scrollWidth")
    return widths


def test_no_horizontal_scroll_at_320_pixels(new_context, live_server, collective):
    page = new_context(viewport=NARROW).new_page()
    widths = _widths(page, live_server.url, PUBLIC_PAGES.values())
    assert {url: width for url, width in widths.items() if width > 320} == {}


def test_no_horizontal_scroll_at_320_pixels_signed_in(sign_in_as, live_server, collective):
    """Tables scroll inside their own box; long e-mail addresses wrap."""
    coordinator = CoordinatorFactory(
        email="coordination.quartiers-prioritaires@exemple.fr", profile_public=True
    )
    MembershipFactory(user=coordinator, organisation=collective, role=Role.ADMIN)
    pending = MembershipRequestFactory(requester__email="une-adresse-assez-longue@exemple.fr")
    page = sign_in_as(coordinator, viewport=NARROW)
    urls = [
        *ACCOUNT_PAGES.values(),
        "/coordination/adhesions/",
        f"/coordination/adhesions/{pending.pk}/",
        f"/organisations/{collective.slug}/equipe/",
        f"/organisations/{collective.slug}/modifier/",
        f"/membres/{coordinator.pk}/",
    ]
    widths = _widths(page, live_server.url, urls)
    assert {url: width for url, width in widths.items() if width > 320} == {}


def test_layout_css_and_javascript_stay_small(page, live_server):
    sizes = open_counting_bytes(page, live_server.url)
    css_and_js = sizes.get("stylesheet", 0) + sizes.get("script", 0)
    assert sizes.get("stylesheet"), "the stylesheet did not load"
    assert css_and_js <= LAYOUT_CSS_JS_BUDGET, f"{css_and_js} bytes of CSS and JS: {sizes}"
