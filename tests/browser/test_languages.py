"""French, English and Arabic in a real browser: right-to-left without JavaScript, axe-core
in each language on a phone and a desktop, and « Écouter » as an enhancement only."""

import re

import pytest
from playwright.sync_api import expect

from tests.challenges.factories import ChallengeFactory
from tests.opportunities.factories import OpportunityFactory
from tests.projects.factories import PublishedProjectFactory
from tests.territories.factories import QPVFactory, box
from tests.translations.factories import ContentTranslationFactory

from .conftest import assert_no_axe_violations

SMALL_PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def contents(transactional_db):
    qpv = QPVFactory(code="QN09310M", name="Franc-Moisin", geometry=box(2.36, 48.92))
    project = PublishedProjectFactory(title="Assistant CV pour les jeunes", slug="assistant-cv")
    project.qpvs.add(qpv)
    ContentTranslationFactory(content=project, language="en", text="A CV assistant")
    ContentTranslationFactory(content=project, language="ar", text="مساعد السيرة الذاتية")
    challenge = ChallengeFactory(slug="arret-de-tram")
    challenge.qpvs.add(qpv)
    OpportunityFactory(slug="atelier-numerique")
    return {
        "home": "/",
        "project": "/projets/assistant-cv/",
        "défi": "/defis/arret-de-tram/",
        "opportunity": "/opportunites/atelier-numerique/",
        "list": "/projets/",
    }


def _context(new_context, language: str, live_server, **options):
    context = new_context(**options)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


def test_switching_to_arabic_without_javascript_turns_the_page_right_to_left(
    new_context, live_server, contents
):
    page = new_context(java_script_enabled=False, viewport=SMALL_PHONE).new_page()
    page.goto(f"{live_server.url}/projets/assistant-cv/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.locator(".menu-toggle").click()
    page.get_by_role("banner").get_by_role("button", name=re.compile("^العربية")).click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.url == f"{live_server.url}/projets/assistant-cv/"
    expect(page.get_by_role("heading", level=1)).to_have_text("مساعد السيرة الذاتية")
    # The summary has no Arabic translation: French, marked so, read left to right.
    summary = page.locator(".lead-text").first
    expect(summary).to_have_attribute("lang", "fr")
    expect(summary).to_have_attribute("dir", "ltr")
    # The layout follows: the header's brand now sits on the right.
    brand = page.locator(".brand").bounding_box()
    assert brand and brand["x"] + brand["width"] > SMALL_PHONE["width"] - 32
    assert page.evaluate("document.scrollingElement.scrollWidth") <= SMALL_PHONE["width"]
    page.locator(".menu-toggle").click()
    page.get_by_role("banner").get_by_role("button", name=re.compile("^Français")).click()
    expect(html).to_have_attribute("dir", "ltr")


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_no_axe_violation_in_each_language(new_context, live_server, contents, language, viewport):
    options = {"viewport": viewport}
    if viewport is SMALL_PHONE:
        options.update(is_mobile=True, has_touch=True)
    page = _context(new_context, language, live_server, **options).new_page()
    direction = "rtl" if language == "ar" else "ltr"
    for name, url in contents.items():
        page.goto(live_server.url + url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        assert_no_axe_violations(page)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= viewport["width"], f"{name} scrolls sideways: {width}px"


# --- « Écouter » --------------------------------------------------------------------------

FAKE_SPEECH = """
(() => {
  const spoken = [];
  window.__spoken = spoken;
  const listeners = {};
  const voices = [{ lang: "fr-FR", name: "Français" }, { lang: "ar-SA", name: "عربي" }];
  window.SpeechSynthesisUtterance = function (text) {
    this.text = text; this.lang = ""; this.voice = null; this.handlers = {};
    this.addEventListener = (type, handler) => { this.handlers[type] = handler; };
  };
  Object.defineProperty(window, "speechSynthesis", { value: {
    getVoices: () => (window.__voicesReady ? voices : []),
    speak: (utterance) => spoken.push({ text: utterance.text, lang: utterance.lang,
                                        voice: utterance.voice && utterance.voice.name }),
    cancel: () => { window.__cancelled = (window.__cancelled || 0) + 1; },
    addEventListener: (type, handler) => { listeners[type] = handler; },
  }});
  // Voices arrive later, as in Chromium.
  setTimeout(() => {
    window.__voicesReady = true;
    if (listeners.voiceschanged) listeners.voiceschanged();
  }, 50);
})();
"""


def test_listen_is_absent_without_javascript(new_context, live_server, contents):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/projets/assistant-cv/")
    expect(page.locator("[data-listen]")).to_have_count(1)
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)


def test_listen_is_absent_without_a_voice(page, live_server, contents):
    page.add_init_script(
        "Object.defineProperty(window, 'speechSynthesis', {value: {getVoices: () => [],"
        " speak() {}, cancel() {}, addEventListener() {}}});"
    )
    page.goto(f"{live_server.url}/defis/arret-de-tram/")
    page.wait_for_timeout(200)
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)


def test_listen_absent_or_working_with_chromium_s_own_voices(page, live_server, contents):
    """Headless Chromium usually has no voice: then no button. With one, a button."""
    page.goto(f"{live_server.url}/opportunites/atelier-numerique/")
    page.wait_for_timeout(300)
    has_voice = page.evaluate(
        "() => !!window.speechSynthesis && speechSynthesis.getVoices()"
        ".some(v => v.lang.toLowerCase().startsWith('fr'))"
    )
    expect(page.get_by_role("button", name="Écouter")).to_have_count(1 if has_voice else 0)


def test_listen_reads_each_part_with_its_language_and_stops(new_context, live_server, contents):
    page = _context(new_context, "ar", live_server, viewport=SMALL_PHONE).new_page()
    page.add_init_script(FAKE_SPEECH)
    page.goto(f"{live_server.url}/projets/assistant-cv/")
    article = page.locator("[data-listen]")
    button = page.locator(".listen-button")
    expect(button).to_have_count(1)
    # Before the main content, labelled from the template's attributes.
    assert page.evaluate(
        "document.querySelector('.listen-button').nextElementSibling.hasAttribute('data-listen')"
    )
    expect(button).to_have_text(article.get_attribute("data-listen-start"))
    assert_no_axe_violations(page)
    button.click()
    expect(button).to_have_text(article.get_attribute("data-listen-stop"))
    spoken = page.evaluate("window.__spoken")
    assert spoken[0] == {"text": "مساعد السيرة الذاتية", "lang": "ar", "voice": "عربي"}
    french = [part for part in spoken if part["text"].startswith("Un assistant")]
    assert french and all(part["lang"] == "fr" and part["voice"] == "Français" for part in french)
    assert not any("Suivre" in part["text"] or "Écrire" in part["text"] for part in spoken)
    button.click()
    expect(button).to_have_text(article.get_attribute("data-listen-start"))
    assert page.evaluate("window.__cancelled") >= 2


def test_a_member_writes_an_arabic_translation_without_javascript(
    sign_in_as, live_server, contents
):
    from quartiers40.projects.models import Project
    from tests.members.factories import MembershipFactory

    project = Project.objects.get(slug="assistant-cv")
    membership = MembershipFactory(organisation=project.carrier)
    page = sign_in_as(membership.user, java_script_enabled=False, viewport=SMALL_PHONE)
    page.goto(f"{live_server.url}/projets/assistant-cv/")
    page.locator(f"a[href='/traductions/project/{project.pk}/']").click()
    page.locator(f"a[href='/traductions/project/{project.pk}/ar/']").click()
    summary = page.locator("input[name='summary']")
    expect(summary).to_have_attribute("dir", "rtl")
    summary.fill("مساعد يساعد على كتابة السيرة الذاتية.")
    page.locator("form.form button[type='submit']").click()
    expect(page.locator("input[name='summary']")).to_have_value(
        "مساعد يساعد على كتابة السيرة الذاتية."
    )
    assert page.url.endswith(f"/traductions/project/{project.pk}/ar/")
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(f"{live_server.url}/projets/assistant-cv/")
    lead = page.locator(".lead-text").first
    expect(lead).to_have_text("مساعد يساعد على كتابة السيرة الذاتية.")
    expect(lead).not_to_have_attribute("lang", "fr")
    expect(page.locator(".translation-note")).to_have_count(0)

    # axe-core needs JavaScript: the same page in a second, scripted browser.
    checked = sign_in_as(membership.user, viewport=SMALL_PHONE)
    checked.context.add_cookies(
        [{"name": "django_language", "value": "ar", "url": live_server.url}]
    )
    checked.goto(f"{live_server.url}/traductions/project/{project.pk}/ar/")
    assert_no_axe_violations(checked)
