"""Joining the collective, as a person does it: only through the pages and the e-mails."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.members.factories import PASSWORD, CoordinatorFactory

ORGANISATION = "Les Ateliers Numériques du Franc-Moisin"


def _link_in(message, path_prefix: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path_prefix)}\S*", message.body)
    assert match, f"no {path_prefix} link in: {message.body}"
    return match.group(0)


def test_a_person_signs_up_asks_to_join_and_is_accepted(live_server, settings, new_context):
    settings.SITE_URL = live_server.url
    coordinator = CoordinatorFactory(display_name="Équipe de coordination")

    # Sign up, from the home page.
    person = new_context().new_page()
    person.goto(live_server.url)
    person.get_by_role("link", name="Créer un compte").first.click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    person.get_by_label(re.compile("^Votre nom ou pseudonyme")).fill("Samia Benali")
    person.get_by_label(re.compile("^Adresse e-mail")).fill("samia@exemple.fr")
    person.get_by_label(re.compile("^Mot de passe")).fill("jardins partagés et robots")
    person.get_by_label(re.compile("^Confirmez le mot de passe")).fill("jardins partagés et robots")
    person.get_by_label(re.compile("^J'ai lu la page")).check()
    person.get_by_role("button", name="Créer mon compte").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Vérifiez vos e-mails")

    # Confirm the address with the link received by e-mail.
    (verification,) = [m for m in mail.outbox if m.to == ["samia@exemple.fr"]]
    person.goto(_link_in(verification, "/compte/verifier/"))
    expect(person.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(person.get_by_role("status")).to_contain_text("Votre adresse e-mail est confirmée")

    # Ask to join for a new organisation.
    person.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Rejoindre le collectif"
    ).click()
    expect(person.get_by_role("radio", name="Une nouvelle organisation")).to_be_checked()
    person.get_by_label(re.compile("^Nom de la nouvelle organisation")).fill(ORGANISATION)
    person.get_by_label(re.compile("^Type d'organisation")).select_option(label="Association")
    person.get_by_label(re.compile("^Département")).select_option("93")
    person.get_by_label(re.compile("^Commune")).fill("Saint-Denis")
    person.get_by_label(re.compile("^Ce que fait l'organisation")).fill(
        "Des ateliers pour apprendre à se servir de l'IA au quotidien."
    )
    person.get_by_label(re.compile("^Un mot pour l'équipe")).fill("Nous voulons en être !")
    person.get_by_role("button", name="Envoyer ma demande").click()
    expect(person.get_by_role("status")).to_contain_text("Votre demande est envoyée")
    expect(person.get_by_role("main")).to_contain_text(f"{ORGANISATION} – En attente")
    assert any(m.to == [coordinator.email] and ORGANISATION in m.subject for m in mail.outbox)

    # The coordination team signs in elsewhere and accepts.
    team = new_context().new_page()
    team.goto(f"{live_server.url}/connexion/")
    team.get_by_label(re.compile("^Adresse e-mail")).fill(coordinator.email)
    team.get_by_label(re.compile("^Mot de passe")).fill(PASSWORD)
    team.get_by_role("button", name="Se connecter").click()
    # Sign-in lands on "Mon espace"; "À traiter" lists every queue, this one with its count.
    team.get_by_role("main").get_by_role("link", name="À traiter (1)").click()
    team.get_by_role("link", name="Décider des adhésions").click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Demandes d'adhésion à traiter")
    team.get_by_role("link", name=f"Examiner {ORGANISATION}").click()
    team.get_by_label(re.compile("^Motif")).fill("Bienvenue !")
    team.get_by_role("button", name="Accepter").click()
    expect(team.get_by_role("status")).to_contain_text("La demande est acceptée")
    expect(team.get_by_text("Aucune demande en attente")).to_be_visible()

    # The person is told by e-mail.
    (decision,) = [m for m in mail.outbox if m.to == ["samia@exemple.fr"] and m is not verification]
    assert "acceptée" in decision.subject
    assert ORGANISATION in decision.body
    assert _link_in(decision, "/organisations/").startswith(live_server.url)

    # Anyone now finds the organisation in the public directory.
    visitor = new_context().new_page()
    visitor.goto(f"{live_server.url}/organisations/")
    visitor.get_by_role("link", name=ORGANISATION).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(visitor.get_by_text("Des ateliers pour apprendre")).to_be_visible()
