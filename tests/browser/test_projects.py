"""The projects catalogue as people use it: propose, review, find."""

import re

from playwright.sync_api import expect

from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.models import Project
from tests.members.factories import CoordinatorFactory, MembershipFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import QPVFactory, box

from .conftest import assert_no_axe_violations, open_counting_bytes

TITLE = "Un assistant pour les courriers administratifs"


def _step(page, title: str) -> None:
    """The form shows one step at a time: open it from the step index."""
    page.get_by_role("navigation", name="Étapes du formulaire").get_by_role(
        "link", name=title
    ).click()


def _fill_project(page, qpv) -> None:
    _step(page, "L'essentiel")
    page.get_by_label(re.compile("^Titre")).fill(TITLE)
    page.get_by_label(re.compile("^Résumé en une ligne")).fill(
        "Il aide les habitants à comprendre leurs courriers."
    )
    page.get_by_label(re.compile("^Résumé en français facile")).fill(
        "Un outil lit vos lettres avec vous et explique les mots difficiles."
    )
    page.get_by_label("Services publics", exact=True).check()
    _step(page, "Le besoin et les publics")
    page.get_by_label(re.compile("^Description")).fill("Un assistant en plusieurs langues.")
    page.get_by_label(re.compile("^Problème traité")).fill("Les courriers sont difficiles à lire.")
    page.get_by_label("Habitants", exact=True).check()
    _step(page, "L'IA et les données")
    page.get_by_label(re.compile("^Type d'IA")).select_option(label="Langage et texte")
    page.get_by_label(re.compile("^L'IA utilisée")).fill("Un programme qui lit et résume.")
    page.get_by_label(re.compile("^Données utilisées")).fill("Les courriers, effacés après.")
    _step(page, "Où")
    page.get_by_label(re.compile("^Départements")).select_option("93")
    # The place picker (territories): type a part of the name, pick the suggestion.
    page.get_by_role("combobox", name=re.compile("^Quartiers prioritaires concernés")).fill(
        qpv.name[:6]
    )
    page.locator(".qpv-picker").get_by_role("option").filter(has_text=qpv.name).first.click()
    _step(page, "Enregistrer ou soumettre")


def test_a_member_proposes_coordination_publishes_a_visitor_finds(live_server, sign_in_as, page):
    membership = MembershipFactory(organisation__name="Les Ateliers du Franc-Moisin")
    coordinator = CoordinatorFactory()
    qpv = QPVFactory(code="QN09310M", name="Franc-Moisin", geometry=box(2.36, 48.92))

    # A member drafts, then submits.
    member = sign_in_as(membership.user)
    member.goto(f"{live_server.url}/projets/")
    member.get_by_role("link", name="Proposer un projet").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Proposer un projet")
    assert_no_axe_violations(member)
    member.get_by_label(re.compile("^Titre")).fill(TITLE)
    member.get_by_label(re.compile("^Résumé en une ligne")).fill("Brouillon rapide.")
    _step(member, "Enregistrer ou soumettre")
    member.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(member.get_by_role("status")).to_contain_text("Le brouillon est enregistré")
    assert Project.objects.get().status == ProjectStatus.DRAFT

    member.get_by_role("link", name="Modifier le projet").click()
    _fill_project(member, qpv)
    member.get_by_role("button", name="Soumettre à l'équipe").click()
    expect(member.get_by_role("status")).to_contain_text("Le projet est soumis")
    assert Project.objects.get().status == ProjectStatus.SUBMITTED

    # Coordination publishes it from its page.
    reviewer = sign_in_as(coordinator)
    reviewer.goto(member.url)
    reviewer.get_by_role("button", name="Publier").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Le projet est publié")
    assert Project.objects.get().status == ProjectStatus.PUBLISHED

    # A visitor finds it with a filter, and reads it.
    PublishedProjectFactory(title="Un autre projet, sur la santé", themes=["health"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Projets"
    ).click()
    page.get_by_label(re.compile("^Thème")).select_option(label="Services publics")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_have_text("1 projet")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("Un outil lit vos lettres avec vous")
    expect(page.get_by_role("link", name="Les Ateliers du Franc-Moisin")).to_be_visible()

    # And on the map, from the list with the same filter.
    page.go_back()
    page.get_by_role("link", name="Voir les projets sur la carte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Carte des projets d'IA dans les quartiers prioritaires"
    )
    marker = page.get_by_role("button", name=re.compile("^Franc-Moisin : 1 projet"))
    expect(marker).to_be_visible()
    assert_no_axe_violations(page)
    marker.click()
    page.locator(".leaflet-popup").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_the_catalogue_pages_are_accessible_and_light(live_server, sign_in_as, page):
    qpv = QPVFactory()
    for index in range(25):
        project = PublishedProjectFactory(title=f"Projet accessible {index}")
        project.qpvs.add(qpv)
    project.partners.add(MembershipFactory().organisation)

    sizes = open_counting_bytes(page, f"{live_server.url}/projets/")
    assert sum(sizes.values()) < 150 * 1024, sizes
    assert_no_axe_violations(page)

    # The map page carries Leaflet and its clustering: counted as sent, gzipped.
    sizes = open_counting_bytes(page, f"{live_server.url}/projets/carte/", gzipped=True)
    expect(page.locator("[data-points-map][data-ready=true]")).to_be_attached()
    assert sum(sizes.values()) < 100 * 1024, sizes
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/projets/{project.slug}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Écrire à l'équipe du projet").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)

    # Signed in as coordination, with the follow button and a project to review.
    project.status = ProjectStatus.SUBMITTED
    project.save()
    reviewer = sign_in_as(CoordinatorFactory())
    reviewer.goto(f"{live_server.url}/projets/{project.slug}/")
    expect(reviewer.get_by_role("button", name="Publier")).to_be_visible()
    assert_no_axe_violations(reviewer)
    reviewer.goto(f"{live_server.url}/projets/{project.slug}/modifier/")
    assert_no_axe_violations(reviewer)
    reviewer.goto(f"{live_server.url}/projets/{project.slug}/fichiers/")
    reviewer.get_by_role("button", name="Ajouter l'image").click()
    expect(reviewer.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(reviewer)
    reviewer.goto(f"{live_server.url}/projets/{project.slug}/archiver/")
    assert_no_axe_violations(reviewer)
