"""The défi and project forms on a 360×800 phone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from quartiers40.challenges.models import Challenge
from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.models import Project
from tests.members.factories import MembershipFactory, ResidentFactory
from tests.territories.factories import QPVFactory, box

from .conftest import assert_no_axe_violations, open_counting_bytes

SMALL_PHONE = {"width": 360, "height": 800}
FORM_BUDGET = 150 * 1024


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_posts_a_defi_on_a_small_phone(live_server, sign_in_as, javascript):
    resident = ResidentFactory()
    page = sign_in_as(
        resident, viewport=SMALL_PHONE, is_mobile=True, java_script_enabled=javascript
    )
    sizes = open_counting_bytes(page, f"{live_server.url}/defis/nouveau/", gzipped=True)
    assert sum(sizes.values()) < FORM_BUDGET, sizes
    expect(page.get_by_role("heading", level=1)).to_have_text("Poster un défi")
    expect(page.get_by_role("heading", name="Le défi", exact=True)).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Markdown")
    if javascript:
        assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]

    page.get_by_label(re.compile("^Le défi en une phrase")).fill("Le wifi de la médiathèque")
    page.get_by_label(re.compile("^La situation")).fill("Il coupe tous les soirs à 18 h.")
    page.get_by_label(re.compile("^Qui est concerné")).fill("Les lycéens du quartier.")
    # Forgotten: what "solved" means. The error keeps what was typed.
    page.get_by_label(re.compile("^Ou bien la commune")).fill("Sevran")
    page.get_by_role("button", name="Poster le défi").click()
    expect(page.get_by_role("alert").first).to_contain_text("ce que vous avez saisi est conservé")
    expect(page.get_by_label(re.compile("^Le défi en une phrase"))).to_have_value(
        "Le wifi de la médiathèque"
    )
    expect(page.get_by_label(re.compile("^Ou bien la commune"))).to_have_value("Sevran")
    page.get_by_label(re.compile("^Ce qui voudrait dire")).fill("Le wifi marche le soir.")
    page.get_by_role("button", name="Poster le défi").click()
    expect(page.get_by_role("status").first).to_contain_text("Merci")
    challenge = Challenge.objects.get()
    assert challenge.title == "Le wifi de la médiathèque" and challenge.commune_name == "Sevran"


def test_a_member_fills_a_project_through_its_steps_without_javascript(live_server, sign_in_as):
    membership = MembershipFactory(organisation__name="Les Ateliers du Franc-Moisin")
    QPVFactory(code="QN09310M", name="Franc-Moisin", geometry=box(2.36, 48.92))
    page = sign_in_as(
        membership.user, viewport=SMALL_PHONE, is_mobile=True, java_script_enabled=False
    )
    sizes = open_counting_bytes(page, f"{live_server.url}/projets/nouveau/", gzipped=True)
    assert sum(sizes.values()) < FORM_BUDGET, sizes
    # What submission needs is said up front; one step shows at a time; the one carrier is set.
    expect(page.get_by_role("heading", name="Ce qu'il faut remplir")).to_be_visible()
    expect(page.get_by_text("Étape 1 sur 6")).to_be_visible()
    expect(page.get_by_text("Étape 2 sur 6")).to_be_hidden()
    expect(page.get_by_label(re.compile("^Organisation porteuse"))).to_have_value(
        str(membership.organisation.pk)
    )
    expect(page.get_by_role("main")).not_to_contain_text("Markdown")

    # Step 1, saved as a draft on the way to step 2.
    page.get_by_label(re.compile("^Titre")).fill("Un assistant pour les courriers")
    page.get_by_label(re.compile("^Résumé en une ligne")).fill("Il aide à lire les courriers.")
    page.get_by_label(re.compile("^Résumé en français facile")).fill("Un outil lit vos lettres.")
    page.get_by_label("Services publics", exact=True).check()
    page.get_by_role("button", name="Enregistrer et continuer : Le besoin et les publics").click()
    expect(page.get_by_text("Étape 2 sur 6")).to_be_visible()
    expect(page.get_by_text("Étape 1 sur 6")).to_be_hidden()
    assert page.url.endswith("#etape-besoin")
    project = Project.objects.get()
    assert project.status == ProjectStatus.DRAFT
    expect(page.get_by_role("link", name=re.compile("^Description"))).to_be_visible()

    # Step 2, then on to step 3 without saving: what was typed stays in the form.
    page.get_by_label(re.compile("^Problème traité")).fill("Les courriers sont difficiles.")
    page.get_by_label(re.compile("^Description")).fill("Un assistant en plusieurs langues.")
    page.get_by_label("Habitants", exact=True).check()
    page.get_by_role("link", name="Continuer sans enregistrer").and_(
        page.locator(":visible")
    ).click()
    expect(page.get_by_text("Étape 3 sur 6")).to_be_visible()
    page.get_by_label(re.compile("^Départements")).select_option("93")
    page.get_by_role("button", name="Enregistrer et continuer : L'IA et les données").click()
    project.refresh_from_db()
    assert project.description == "Un assistant en plusieurs langues." and project.departments
    page.get_by_label(re.compile("^Type d'IA")).select_option(label="Langage et texte")
    page.get_by_label(re.compile("^L'IA utilisée")).fill("Un programme qui lit et résume.")
    page.get_by_label(re.compile("^Données utilisées")).fill("Les courriers, effacés après.")
    page.get_by_role("button", name="Enregistrer et continuer : Avancement et détails").click()
    expect(page.get_by_text("Étape 5 sur 6")).to_be_visible()
    page.get_by_role("navigation", name="Étapes du formulaire").get_by_role(
        "link", name="Enregistrer ou soumettre"
    ).click()
    page.get_by_role("button", name="Soumettre à l'équipe").click()
    expect(page.get_by_role("status")).to_contain_text("Le projet est soumis")
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_the_project_form_in_steps_is_accessible(live_server, sign_in_as):
    membership = MembershipFactory()
    page = sign_in_as(membership.user, viewport=SMALL_PHONE, is_mobile=True)
    page.goto(f"{live_server.url}/projets/nouveau/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name=re.compile("^Enregistrer et continuer")).click()
    # Nothing typed: every step shows with its errors.
    expect(page.get_by_text("Étape 5 sur 6")).to_be_visible()
    assert_no_axe_violations(page)
