import pytest
from django.utils import translation

from quartiers40.translations.selectors import (
    published_translations,
    translated,
    translations_prefetch,
)
from tests.projects.factories import PublishedProjectFactory
from tests.translations.factories import ContentTranslationFactory

pytestmark = pytest.mark.django_db


def test_the_visitor_s_language_when_a_reviewed_translation_exists():
    english = ContentTranslationFactory(text="A CV assistant")
    project = english.content_object
    text = translated(project, "title", "en")
    assert (text.text, text.lang, text.is_original, text.is_fallback) == (
        "A CV assistant",
        "en",
        False,
        False,
    )
    assert str(text) == "A CV assistant"


def test_the_french_original_otherwise_marked_as_french():
    project = PublishedProjectFactory(title="Assistant CV")
    ContentTranslationFactory(content=project, language="ar", text="مسودة", reviewed_at=None)
    text = translated(project, "title", "ar")
    assert (text.text, text.lang, text.dir, text.is_original, text.is_fallback) == (
        "Assistant CV",
        "fr",
        "ltr",
        True,
        True,
    )
    assert not translated(project, "title", "fr").is_fallback


def test_the_active_language_by_default_and_one_query_for_every_field(django_assert_num_queries):
    english = ContentTranslationFactory(field="summary", text="A summary")
    project = english.content_object
    with translation.override("en"), django_assert_num_queries(1):
        assert translated(project, "summary").text == "A summary"
        assert translated(project, "title").is_fallback
        assert translated(project, "description").lang == "fr"
    with translation.override("fr"), django_assert_num_queries(0):
        assert translated(project, "summary").text == project.summary


def test_an_arabic_translation_reads_right_to_left():
    arabic = ContentTranslationFactory(language="ar", text="مساعد")
    text = translated(arabic.content_object, "title", "ar")
    assert (text.lang, text.dir, text.is_fallback) == ("ar", "rtl", False)


def test_a_list_reads_its_translations_in_one_query(django_assert_num_queries):
    projects = [PublishedProjectFactory() for _ in range(3)]
    ContentTranslationFactory(content=projects[1], text="Second")
    with django_assert_num_queries(1):
        translations_prefetch(projects, "en")
        texts = [translated(project, "title", "en").text for project in projects]
    assert texts[1] == "Second" and texts[0] == projects[0].title


def test_the_api_gets_the_reviewed_translations_by_language_and_field():
    english = ContentTranslationFactory(text="Title")
    project = english.content_object
    ContentTranslationFactory(content=project, language="ar", text="عنوان")
    ContentTranslationFactory(content=project, field="summary", text="Draft", reviewed_at=None)
    assert published_translations(project) == {"ar": {"title": "عنوان"}, "en": {"title": "Title"}}
