"""The plain-language check as a writer meets it: findings while typing, or after the
« Vérifier la lisibilité » button without JavaScript, then the « Facile à lire » badge."""

import re

from playwright.sync_api import expect

from quartiers40.projects.models import Project
from tests.members.factories import MembershipFactory

from .conftest import assert_no_axe_violations

JARGON = "Le dispositif favorise l'inclusion numérique des usagers du QPV."
PLAIN = "Un outil lit vos lettres avec vous. Il explique les mots difficiles."
PHONE = {"width": 360, "height": 800}


def _start(page, live_server):
    page.goto(f"{live_server.url}/projets/nouveau/")
    page.get_by_label(re.compile("^Titre")).fill("Lire les courriers")
    page.get_by_label(re.compile("^Résumé en une ligne")).fill("Un assistant pour les courriers.")
    return page.get_by_label(re.compile("^Résumé en français facile"))


def test_a_member_sees_the_findings_as_she_types_fixes_them_and_gets_the_badge(
    live_server, sign_in_as
):
    membership = MembershipFactory()
    page = sign_in_as(membership.user, viewport=PHONE, is_mobile=True, has_touch=True)
    summary = _start(page, live_server)
    summary.fill(JARGON)
    region = page.locator('[data-plain-check-for="id_easy_read_summary"]')
    # plain-language.js posts the text a moment after typing stops.
    expect(region).to_contain_text("« dispositif » : écrivez « aide ».")
    expect(region).to_contain_text("quartier prioritaire de la politique de la ville (QPV)")
    assert_no_axe_violations(page)

    summary.fill(PLAIN)
    expect(region).to_contain_text("Ce texte est facile à lire")
    page.get_by_role("navigation", name="Étapes du formulaire").get_by_role(
        "link", name="Enregistrer ou soumettre"
    ).click()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lire les courriers")
    project = Project.objects.get()
    assert project.easy_to_read and project.easy_read_summary == PLAIN
    expect(page.locator(".badge-easy-read")).to_be_visible()


def test_without_javascript_the_button_shows_the_findings_and_keeps_the_text(
    live_server, sign_in_as
):
    membership = MembershipFactory()
    page = sign_in_as(
        membership.user,
        java_script_enabled=False,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    summary = _start(page, live_server)
    summary.fill(JARGON)
    page.locator("#lisibilite-id_easy_read_summary").get_by_role(
        "button", name="Vérifier la lisibilité"
    ).click()
    expect(page).to_have_url(re.compile("#lisibilite-id_easy_read_summary$"))
    region = page.locator('[data-plain-check-for="id_easy_read_summary"]')
    expect(region).to_contain_text("« favorise » : écrivez « aider ».")
    expect(page.get_by_label(re.compile("^Résumé en français facile"))).to_have_value(JARGON)
    expect(page.get_by_label(re.compile("^Titre"))).to_have_value("Lire les courriers")
    assert not Project.objects.exists()
    # (axe-core needs JavaScript: the same findings are checked by it in the test above.)
