"""Quarterly meetings as people use them: register, cancel, get a freed seat; organise."""

import re

from django.core import mail
from playwright.sync_api import expect

from quartiers40.meetings import services
from quartiers40.meetings.enums import RegistrationStatus
from quartiers40.meetings.models import ActionItem, Registration
from tests.meetings.factories import AgendaItemFactory, EditionFactory, HybridEditionFactory
from tests.members.factories import MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

from .conftest import PHONE, assert_no_axe_violations


def _link_in(message, path_part: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path_part)}\S*", message.body)
    assert match, f"no {path_part} link in: {message.body}"
    return match.group(0)


def _mail_to(address: str, subject_part: str):
    found = [m for m in mail.outbox if m.to == [address] and subject_part in m.subject]
    assert found, f"no mail to {address} about {subject_part}: {[m.subject for m in mail.outbox]}"
    return found[-1]


def test_register_without_account_cancel_and_the_waiting_person_is_promoted(
    live_server, settings, page, sign_in_as
):
    settings.SITE_URL = live_server.url
    edition = EditionFactory(title="Petit déj de l'IA – printemps", onsite_capacity=1)
    AgendaItemFactory(edition=edition, title="Accueil et café")

    page.goto(f"{live_server.url}/rencontres/{edition.slug}/inscription/")
    assert_no_axe_violations(page)  # the registration form on its own page

    # A resident without an account finds the meeting and registers.
    page.goto(f"{live_server.url}/rencontres/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Petit déj de l'IA – printemps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Petit déj de l'IA – printemps")
    expect(page.get_by_text("1 place restante")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^Votre nom")).fill("Lina Haddad")
    page.get_by_label(re.compile("^Votre adresse e-mail")).fill("lina@exemple.fr")
    page.get_by_label(re.compile("^Régime alimentaire")).fill("Végétarien")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmez votre adresse e-mail")

    # She confirms with the link received by e-mail.
    page.goto(_link_in(_mail_to("lina@exemple.fr", "Confirmez"), "/confirmer/"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Je confirme mon inscription").click()
    expect(page.get_by_role("main")).to_contain_text("Inscription confirmée")
    assert_no_axe_violations(page)

    # The meeting is now full: a member signs in and lands on the waiting list.
    karim = UserFactory(display_name="Karim Sy", email="karim@exemple.fr")
    member = sign_in_as(karim)
    member.goto(f"{live_server.url}/rencontres/{edition.slug}/")
    expect(member.get_by_text("Sur place : complet")).to_be_visible()
    expect(member.get_by_text("Vous pouvez vous inscrire sur la liste d'attente")).to_be_visible()
    # Nothing is ticked for him: he chooses the waiting list knowingly.
    expect(member.get_by_role("button", name="Rejoindre la liste d'attente")).to_be_visible()
    member.get_by_label("Sur place (complet : liste d'attente)").check()
    member.get_by_role("button", name="Rejoindre la liste d'attente").click()
    expect(member.get_by_role("main")).to_contain_text("Liste d'attente")
    expect(member.get_by_role("main")).to_contain_text("position 1 sur la liste d'attente")

    # Lina cannot come any more: she cancels from the link in her e-mail.
    confirmed_mail = _mail_to("lina@exemple.fr", "Inscription confirmée")
    page.goto(_link_in(confirmed_mail, "/annuler/"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Oui, j'annule mon inscription").click()
    expect(page.get_by_role("main")).to_contain_text("Annulée")

    # Karim is offered the seat by e-mail and takes it.
    offer = _mail_to("karim@exemple.fr", "Une place s'est libérée")
    member.goto(_link_in(offer, "/accepter/"))
    assert_no_axe_violations(member)
    member.get_by_role("button", name="Je prends cette place").click()
    expect(member.get_by_role("main")).to_contain_text("Inscription confirmée")
    assert Registration.objects.get(user=karim).status == RegistrationStatus.CONFIRMED


def test_a_newcomer_on_a_full_edition_knows_she_joins_the_waiting_list(live_server, new_context):
    """Defect 4 of issue 11: a full mode was ticked and the button said "S'inscrire"."""
    edition = HybridEditionFactory(title="Petit déj complet sur place", onsite_capacity=1)
    services.registration_create(edition=edition, actor=UserFactory(), attendance="on_site")
    url = f"{live_server.url}/rencontres/{edition.slug}/"
    on_site = "Sur place (complet : liste d'attente)"

    # With JavaScript: nothing ticked, the button follows the chosen mode.
    page = new_context(viewport=PHONE).new_page()
    page.goto(url)
    expect(page.get_by_label(on_site)).not_to_be_checked()
    expect(page.get_by_label("En ligne", exact=True)).not_to_be_checked()
    submit = page.locator("button[data-attendance-submit]")
    expect(submit).to_have_text("S'inscrire ou rejoindre la liste d'attente")
    page.get_by_label("En ligne", exact=True).check()
    expect(submit).to_have_text("S'inscrire")
    page.get_by_label(on_site).check()
    expect(submit).to_have_text("Rejoindre la liste d'attente")
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^Votre nom")).fill("Nadia Rami")
    page.get_by_label(re.compile("^Votre adresse e-mail")).fill("nadia@exemple.fr")
    submit.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmez votre adresse e-mail")
    assert Registration.objects.get(email="nadia@exemple.fr").attendance == "on_site"

    # Without JavaScript: the words are true before any choice, on every full edition.
    services.registration_create(edition=edition, actor=UserFactory(), attendance="online")
    services.registration_create(edition=edition, actor=UserFactory(), attendance="online")
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(url)
    expect(page.get_by_label(on_site)).not_to_be_checked()
    expect(page.get_by_label("En ligne (complet : liste d'attente)")).not_to_be_checked()
    submit = page.locator("button[data-attendance-submit]")
    expect(submit).to_have_text("Rejoindre la liste d'attente")
    page.get_by_label("En ligne (complet : liste d'attente)").check()
    page.get_by_label(re.compile("^Votre nom")).fill("Théo Martin")
    page.get_by_label(re.compile("^Votre adresse e-mail")).fill("theo@exemple.fr")
    submit.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmez votre adresse e-mail")
    assert Registration.objects.get(email="theo@exemple.fr").attendance == "online"


def test_an_organiser_builds_the_agenda_publishes_minutes_and_action_items(
    live_server, settings, sign_in_as, phone_page
):
    settings.SITE_URL = live_server.url
    edition = EditionFactory(title="Petit déj de l'IA – été", call_for_pitches_open=True)
    owner = MembershipFactory(organisation__name="Clic Solidaire Sevran")
    project = PublishedProjectFactory(carrier=owner.organisation, title="Traduire les courriers")
    services.pitch_apply(
        edition=edition,
        actor=owner.user,
        project=project,
        pitch="Une démonstration en trois minutes.",
        speaker_name="Awa Diallo",
    )
    services.registration_create(edition=edition, actor=UserFactory(display_name="Samia Benali"))
    organiser = UserFactory(display_name="Organisatrice")
    edition.organisers.add(organiser)

    page = sign_in_as(organiser)
    page.goto(f"{live_server.url}/rencontres/{edition.slug}/")
    page.get_by_role("link", name="Espace organisateurs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Organiser")
    assert_no_axe_violations(page)

    # The agenda: accept the pitch, then add a break.
    page.get_by_role("link", name="Propositions et ordre du jour").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Retenir Traduire les courriers", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("ajoutée à l'ordre du jour")
    page.get_by_label(re.compile("^Heure")).fill("09:30")
    page.get_by_label(re.compile("^Titre")).fill("Pause café")
    page.get_by_label(re.compile("^Type")).select_option(label="Pause")
    page.get_by_label(re.compile("^Durée")).fill("15")
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    expect(page.get_by_role("status")).to_contain_text("L'ordre du jour est enregistré")
    # No position field; points are numbered from 1. Removing asks first (no JavaScript needed).
    expect(page.locator("input[name=order]")).to_have_count(0)
    page.get_by_label(re.compile("^Titre")).fill("Point en trop")
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    expect(page.locator(".agenda-position")).to_have_text(["1", "2", "3"])
    page.get_by_role("link", name="Retirer Point en trop").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Non, garder ce point").click()
    expect(page.locator(".agenda-position")).to_have_count(3)
    page.get_by_role("link", name="Retirer Point en trop").click()
    page.get_by_role("button", name="Oui, retirer ce point").click()
    expect(page.get_by_role("status")).to_have_text("Le point est retiré de l'ordre du jour.")
    expect(page.locator(".agenda-position")).to_have_text(["1", "2"])

    # The registrants, with their notes, and the check-in page on a phone.
    page.get_by_role("link", name="Inscrits").click()
    expect(page.get_by_role("main")).to_contain_text("Samia Benali")
    assert_no_axe_violations(page)

    # Minutes, then an action item.
    page.get_by_role("link", name="Compte rendu et supports").click()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^Compte rendu")).fill(
        "## Décisions\n\n- Un pilote de traduction à Sevran."
    )
    page.get_by_role("button", name="Publier le compte rendu").click()
    expect(page.get_by_role("status")).to_contain_text("Le compte rendu est publié")
    page.get_by_role("link", name="Actions").click()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("^Action")).fill("Lancer le pilote à Sevran")
    page.get_by_label(re.compile("^Organisation responsable")).select_option(
        label="Clic Solidaire Sevran"
    )
    page.get_by_label(re.compile("^Échéance")).fill("2031-01-15")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.get_by_role("status")).to_contain_text("L'action est enregistrée")
    assert ActionItem.objects.get().owner_organisation == owner.organisation

    # The public page shows it all.
    page.goto(f"{live_server.url}/rencontres/{edition.slug}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Traduire les courriers")
    expect(main).to_contain_text("Pause café")
    expect(main).to_contain_text("Un pilote de traduction à Sevran")
    expect(main).to_contain_text("Lancer le pilote à Sevran")
    assert_no_axe_violations(page)

    # On the day, on a phone: search a name, mark present.
    client_cookie = page.context.cookies()
    phone_page.context.add_cookies(client_cookie)
    phone_page.goto(f"{live_server.url}/rencontres/{edition.slug}/organisation/accueil/")
    assert_no_axe_violations(phone_page)
    phone_page.get_by_label("Rechercher un nom").fill("samia")
    phone_page.locator("main").get_by_role("button", name="Rechercher").click()
    phone_page.get_by_role("button", name="Marquer présent·e : Samia Benali").click()
    expect(phone_page.get_by_role("main")).to_contain_text("1 présent·es sur 1")


def test_an_edition_and_the_list_on_a_phone_and_on_a_desktop(live_server, new_context):
    """On a 360×800 phone the key facts and the main action show on the first screen, the
    list's filters fold away; on a desktop the key facts sit in a side column."""
    edition = EditionFactory(title="Petit déj de l'IA – hiver", onsite_capacity=5)
    for n in range(4):
        AgendaItemFactory(edition=edition, title=f"Point {n + 1}")
    phone = new_context(viewport={"width": 360, "height": 800}, is_mobile=True).new_page()
    phone.goto(f"{live_server.url}/rencontres/{edition.slug}/")
    action = phone.locator(".edition-main-action")
    expect(action).to_have_text("S'inscrire")
    assert action.bounding_box()["y"] + action.bounding_box()["height"] <= 800
    expect(phone.locator(".edition-facts")).to_contain_text("5 places restantes")
    assert_no_axe_violations(phone)
    action.click()
    expect(phone.get_by_role("heading", name="Inscription")).to_be_in_viewport()

    phone.goto(f"{live_server.url}/rencontres/")
    expect(phone.get_by_label("Participer")).to_be_hidden()
    first = phone.locator(".card-list .card").first
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 800
    phone.get_by_text("Filtrer les rencontres").click()
    phone.get_by_label("Participer").select_option(label="En ligne")
    phone.get_by_role("button", name="Filtrer").click()
    expect(phone.locator("details.list-filters")).to_have_attribute("open", "")
    expect(phone.get_by_text("Aucune rencontre à venir avec ces filtres.")).to_be_visible()
    assert_no_axe_violations(phone)

    desktop = new_context(viewport={"width": 1280, "height": 800}).new_page()
    desktop.goto(f"{live_server.url}/rencontres/{edition.slug}/")
    facts = desktop.locator(".edition-facts").bounding_box()
    agenda = desktop.locator("#agenda").bounding_box()
    assert facts["x"] > agenda["x"] + agenda["width"]  # side column, on the right
    assert facts["y"] < 800
    desktop.goto(f"{live_server.url}/rencontres/")
    expect(desktop.get_by_label("Participer")).to_be_visible()  # open on a wide screen
    assert_no_axe_violations(desktop)
