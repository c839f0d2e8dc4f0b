"""The AI help in a real browser: an association asks for a draft of its project's plain-French
summary, edits it, saves it, and the project's page shows « Proposé par une IA, relu par … ».
With JavaScript (the draft fetched into the field) and without (the page comes back with it).

Outside tests/browser (like tests/observatory/test_report_browser.py): its own Chromium,
module scope, marked `browser`. The live server's settings point at the local chat server."""

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from quartiers40.assist.models import AIDraft
from quartiers40.core.models import ActionLog
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_no_axe_violations
from tests.members.factories import MembershipFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DRAFT = "Un outil aide les habitants à lire leurs courriers. Il parle plusieurs langues."
PHONE = {"width": 360, "height": 800}


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server):
    contexts = []

    def open_(user, **options):
        options.setdefault("locale", "fr-FR")
        context = chromium.new_context(viewport=PHONE, **options)
        context.set_default_timeout(8_000)
        contexts.append(context)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def association_project():
    membership = MembershipFactory(
        organisation__name="Les Ateliers du Nord", user__display_name="Nadia Chérif"
    )
    project = PublishedProjectFactory(
        carrier=membership.organisation,
        easy_read_summary="",
        description="Un assistant qui lit les courriers, animé par Nadia Chérif (06 12 34 56 78).",
    )
    return membership.user, project


def _axe(page, open_page, owner, live_server, javascript: bool) -> None:
    """axe-core needs JavaScript: without it, the same HTML is checked in a page that has it."""
    if javascript:
        assert_no_axe_violations(page)
        return
    checker = open_page(owner)
    html = page.content().replace("<head>", f'<head><base href="{live_server.url}/">', 1)
    checker.set_content(html)
    assert_no_axe_violations(checker)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_ask_edit_save_and_the_page_shows_the_label(
    open_page, live_server, chat_api, association_project, javascript
):
    owner, project = association_project
    chat_api.reply = DRAFT
    page = open_page(owner, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/projets/{project.slug}/modifier/")
    field = page.get_by_label("Résumé en français facile")
    expect(field).to_have_value("")
    page.get_by_role("button", name="Proposer un résumé avec l'IA").click()
    expect(field).to_have_value(DRAFT)
    expect(page.get_by_text("Texte proposé par une IA (albert-large)")).to_be_visible()
    _axe(page, open_page, owner, live_server, javascript)
    assert "Nadia" not in chat_api.received and "06 12 34 56 78" not in chat_api.received

    field.fill(DRAFT + " C'est gratuit.")
    page.locator("nav.form-steps").get_by_role("link", name="Enregistrer").click()
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)
    label = page.get_by_text("Proposé par une IA (albert-large), relu par Les Ateliers du Nord le")
    expect(label).to_be_visible()
    expect(page.get_by_text(DRAFT + " C'est gratuit.")).to_be_visible()
    _axe(page, open_page, owner, live_server, javascript)
    assert AIDraft.objects.get().reviewed_by == owner
    assert ActionLog.objects.filter(action="ai_draft_accepted").count() == 1


def test_when_the_ai_does_not_answer_the_form_keeps_what_was_typed(
    open_page, live_server, chat_api, association_project, settings
):
    from .conftest import Answer, completion

    owner, project = association_project
    settings.ASSIST_TIMEOUT_SECONDS = 0.5
    chat_api.then(Answer(delay=3, body=completion(DRAFT).body))
    page = open_page(owner)
    page.goto(f"{live_server.url}/projets/{project.slug}/modifier/")
    page.get_by_label("Résumé en français facile").fill("Mon début")
    page.get_by_role("button", name="Proposer un résumé avec l'IA").click()
    expect(page.get_by_text("L'IA n'a pas répondu à temps.", exact=False)).to_be_visible()
    expect(page.get_by_label("Résumé en français facile")).to_have_value("Mon début")
    assert not AIDraft.objects.exists()


def test_minutes_proposal_page_without_javascript(open_page, live_server, chat_api):
    """The organiser asks, ticks one proposed action and saves; axe-core on the proposal."""
    from quartiers40.meetings.models import ActionItem
    from tests.meetings.factories import EditionFactory
    from tests.members.factories import UserFactory

    edition = EditionFactory(minutes="On a parlé du jardin et de la salle.")
    organiser = UserFactory(display_name="Lina Organisatrice", profile_public=True)
    edition.organisers.add(organiser)
    chat_api.reply = (
        "RÉSUMÉ : On a parlé du jardin.\nACTIONS :\n- Écrire au bailleur\n- Réserver la salle"
    )
    page = open_page(organiser, java_script_enabled=False)
    page.goto(f"{live_server.url}/rencontres/{edition.slug}/organisation/compte-rendu/")
    page.get_by_role("button", name="Proposer une synthèse et des actions avec l'IA").click()
    expect(page.get_by_label("Synthèse du compte rendu")).to_have_value("On a parlé du jardin.")
    _axe(page, open_page, organiser, live_server, javascript=False)
    page.get_by_label("Réserver la salle").check()
    page.get_by_role("button", name="Enregistrer la synthèse et créer les actions cochées").click()
    expect(page.get_by_text("1 action(s) créée(s)")).to_be_visible()
    assert list(ActionItem.objects.values_list("title", flat=True)) == ["Réserver la salle"]
