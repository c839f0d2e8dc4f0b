"""The detail pages in the visitor's language or marked as French; the edit page; the API."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from quartiers40.members.enums import Role
from quartiers40.translations.models import ContentTranslation
from quartiers40.translations.services import content_translation_save
from tests.challenges.factories import ChallengeFactory
from tests.members.factories import CoordinatorFactory, MembershipFactory, UserFactory
from tests.opportunities.factories import OpportunityFactory
from tests.projects.factories import PublishedProjectFactory
from tests.translations.factories import ContentTranslationFactory

pytestmark = pytest.mark.django_db


def _page(client, url: str, language: str) -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def _h1(page: str) -> str:
    return re.search(r"<h1[^>]*>.*?</h1>", page, re.S).group()


def _contents():
    project = PublishedProjectFactory(title="Assistant CV")
    challenge = ChallengeFactory(title="Un arrêt de tram trop haut")
    opportunity = OpportunityFactory(title="Atelier numérique")
    return [
        (project, reverse("projects:detail", kwargs={"key": project.slug})),
        (challenge, reverse("challenges:detail", kwargs={"slug": challenge.slug})),
        (opportunity, reverse("opportunities:detail", kwargs={"slug": opportunity.slug})),
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_page_without_translation_shows_the_french_marked_as_french(client, language):
    for obj, url in _contents():
        page = _page(client, url, language)
        assert f'<html lang="{language}"' in page
        assert _h1(page) == f'<h1 lang="fr" dir="ltr">{obj.title}</h1>'
        assert 'class="translation-note"' in page, url


def test_a_french_page_carries_no_mark_and_no_note(client):
    for obj, url in _contents():
        page = _page(client, url, "fr")
        assert _h1(page) == f"<h1>{obj.title}</h1>"
        assert "translation-note" not in page


@pytest.mark.parametrize(("language", "text"), [("en", "A CV helper"), ("ar", "مساعد السيرة")])
def test_a_page_shows_the_reviewed_translation_in_the_visitor_s_language(client, language, text):
    for obj, url in _contents():
        ContentTranslationFactory(content=obj, field="title", language=language, text=text)
        page = _page(client, url, language)
        assert _h1(page) == f"<h1>{text}</h1>", url
        assert f"<title>{text} – " in page


def test_an_ai_draft_not_yet_reviewed_is_not_shown(client):
    (obj, url), *_ = _contents()
    ContentTranslationFactory(content=obj, text="Draft", source="ai", reviewed_at=None)
    assert "Draft" not in _page(client, url, "en")


def test_a_translated_description_is_rendered_like_the_original(client):
    (project, url), *_ = _contents()
    ContentTranslationFactory(content=project, field="description", text="A **bold** plan")
    assert '<div class="prose"><p>A <strong>bold</strong> plan</p></div>' in _page(
        client, url, "en"
    )


def test_the_cached_anonymous_page_shows_a_new_translation_at_once(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    (project, url), *_ = _contents()
    owner = UserFactory()
    MembershipFactory(user=owner, organisation=project.carrier)
    assert "A CV helper" not in _page(client, url, "en")
    with django_assert_num_queries(0):  # the second visit comes from the page cache
        _page(client, url, "en")
    with django_capture_on_commit_callbacks(execute=True):
        content_translation_save(
            obj=project, field="title", language="en", text="A CV helper", actor=owner
        )
    assert "<h1>A CV helper</h1>" in _page(client, url, "en")


# --- The edit page ------------------------------------------------------------------------


def _edit_url(kind: str, obj, language: str | None = None) -> str:
    if language:
        return reverse("translations:edit_language", args=[kind, obj.pk, language])
    return reverse("translations:edit", args=[kind, obj.pk])


def test_the_people_who_may_edit_a_project_see_the_link_and_write_a_translation():
    project = PublishedProjectFactory(title="Assistant CV")
    owner = UserFactory()
    MembershipFactory(user=owner, organisation=project.carrier, role=Role.MEMBER)
    client = Client()
    client.force_login(owner)
    detail = client.get(reverse("projects:detail", kwargs={"key": project.slug})).content.decode()
    assert _edit_url("project", project) in detail
    page = client.get(_edit_url("project", project)).content.decode()
    assert 'lang="en" dir="ltr"' in page and "Assistant CV" in page
    arabic = client.get(_edit_url("project", project, "ar")).content.decode()
    assert 'name="title"' in arabic and 'lang="ar" dir="rtl"' in arabic
    response = client.post(
        _edit_url("project", project, "ar"),
        {
            "title": "مساعد السيرة الذاتية",
            "summary": "",
            "easy_read_summary": "",
            "description": "",
        },
    )
    assert response.status_code == 302
    saved = ContentTranslation.objects.get()
    assert (saved.field, saved.language, saved.written_by) == ("title", "ar", owner)
    again = client.get(_edit_url("project", project, "ar")).content.decode()
    assert "مساعد السيرة الذاتية" in again


def test_a_too_long_translation_is_shown_again_with_its_error():
    challenge = ChallengeFactory()
    client = Client()
    client.force_login(challenge.author)
    response = client.post(
        _edit_url("challenge", challenge, "en"),
        {"title": "x" * 241, "situation": "", "affected": "", "solved_when": ""},
    )
    assert response.status_code == 200
    assert "241" in response.content.decode() and not ContentTranslation.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "anonymous"])
def test_the_others_may_not_translate(who):
    opportunity = OpportunityFactory()
    client = Client()
    if who == "stranger":
        client.force_login(UserFactory())
    response = client.get(_edit_url("opportunity", opportunity))
    assert response.status_code == (403 if who == "stranger" else 302)
    detail = client.get(reverse("opportunities:detail", kwargs={"slug": opportunity.slug}))
    assert _edit_url("opportunity", opportunity) not in detail.content.decode()


def test_the_coordination_may_translate_an_opportunity_and_the_provider_too():
    opportunity = OpportunityFactory()
    provider = UserFactory()
    MembershipFactory(user=provider, organisation=opportunity.organisation, role=Role.ADMIN)
    for person in (CoordinatorFactory(), provider):
        client = Client()
        client.force_login(person)
        assert client.get(_edit_url("opportunity", opportunity, "en")).status_code == 200


def test_an_unknown_kind_or_language_is_not_found():
    project = PublishedProjectFactory()
    client = Client()
    client.force_login(CoordinatorFactory())
    assert client.get(_edit_url("meeting", project)).status_code == 404
    assert client.get(_edit_url("project", project, "fr")).status_code == 404


# --- The API ------------------------------------------------------------------------------


def test_the_api_detail_outputs_carry_the_reviewed_translations(client):
    contents = _contents()
    for obj, _url in contents:
        ContentTranslationFactory(content=obj, field="title", language="ar", text="عنوان")
        ContentTranslationFactory(
            content=obj, field="title", language="en", text="D", reviewed_at=None
        )
    (project, _), (challenge, _), (opportunity, _) = contents
    for url in (
        f"/api/v1/projects/{project.pk}/",
        f"/api/v1/challenges/{challenge.slug}/",
        f"/api/v1/opportunities/{opportunity.slug}/",
    ):
        body = client.get(url).json()
        assert body["translations"] == {"ar": {"title": "عنوان"}}, url


# --- Cards in lists -----------------------------------------------------------------------


def test_the_catalogue_cards_are_translated_with_one_query_however_many(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # measure the rendering, not the page cache
    projects = [PublishedProjectFactory() for _ in range(3)]
    ContentTranslationFactory(content=projects[0], text="First in English")
    page = html.unescape(_page(client, reverse("projects:catalogue"), "en"))
    assert ">First in English</a>" in page
    assert f'lang="fr" dir="ltr">{projects[1].title}</a>' in page

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            _page(client, reverse("projects:catalogue"), "en")
        return len(captured)

    before = queries()
    for _ in range(3):
        ContentTranslationFactory(content=PublishedProjectFactory(), text="More")
    assert queries() == before


def test_a_card_outside_a_prefetched_list_shows_the_original_and_asks_nothing(
    django_assert_num_queries,
):
    from django.template import Context, Template
    from django.utils import translation

    translated = ContentTranslationFactory(text="In English")
    project = translated.content_object
    template = Template(
        '{% load translations %}{% translated p "title" prefetched_only=True as t %}'
        "{{ t }}|{{ t.lang }}"
    )
    with translation.override("en"), django_assert_num_queries(0):
        assert html.unescape(template.render(Context({"p": project}))) == f"{project.title}|fr"
