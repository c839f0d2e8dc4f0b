"""Signing in lands on "Mon espace"; the team finds its work from there (issue 11, 6 and 7)."""

from playwright.sync_api import expect

from quartiers40.members.enums import Role
from tests.browser.conftest import PHONE, assert_no_axe_violations
from tests.challenges.factories import ChallengeFactory, OfferFactory
from tests.meetings.factories import EditionFactory, RegistrationFactory
from tests.members.factories import (
    PASSWORD,
    CoordinatorFactory,
    MembershipFactory,
    MembershipRequestFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import ProjectFactory


def _sign_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()


def test_the_association_admin_lands_on_mon_espace(live_server, new_context, transactional_db):
    admin = UserFactory(display_name="Karim Médiateur")
    association = OrganisationFactory(name="Clic Solidaire")
    MembershipFactory(organisation=association, user=admin, role=Role.ADMIN)
    ChallengeFactory(author=admin, organisation=association, title="Les courriers de la CAF")
    ProjectFactory(carrier=association, title="Traduire les courriers")
    RegistrationFactory(user=admin, edition=EditionFactory(title="Petit déj de Saint-Denis"))
    OfferFactory(challenge=ChallengeFactory(author=admin, title="Les stages de troisième"))

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    _sign_in(page, live_server, admin)
    expect(page).to_have_url(f"{live_server.url}/compte/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(main).to_contain_text("Vous administrez « Clic Solidaire », membre du collectif.")
    expect(main).not_to_contain_text("Demander à rejoindre le collectif")
    expect(main.get_by_role("link", name="Les courriers de la CAF")).to_be_visible()
    expect(main.get_by_role("link", name="Traduire les courriers")).to_be_visible()
    expect(main.get_by_role("link", name="Petit déj de Saint-Denis")).to_be_visible()
    expect(main).to_contain_text("Une proposition d'aide attend votre réponse")
    assert_no_axe_violations(page)
    main.get_by_role("link", name="Mon profil et mes réglages").first.click()
    expect(page.get_by_label("Nom affiché")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_team_reaches_a_queue_in_two_clicks(live_server, new_context, transactional_db):
    coordinator = CoordinatorFactory()
    request = MembershipRequestFactory()
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    _sign_in(page, live_server, coordinator)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Vous coordonnez le collectif")
    main.get_by_role("link", name="À traiter (1)").click()  # 1
    expect(page).to_have_url(f"{live_server.url}/a-traiter/")
    assert_no_axe_violations(page)
    page.get_by_role("main").get_by_role("link", name=request.organisation.name).click()  # 2
    expect(page.get_by_role("main")).to_contain_text(request.organisation.name)
    # The header carries the count on every page, inside the menu.
    page.get_by_text("Menu").click()
    expect(page.get_by_role("navigation", name="Menu principal")).to_contain_text("À traiter (1)")
