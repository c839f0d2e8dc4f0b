import pytest
from django.db import IntegrityError

from tests.translations.factories import ContentTranslationFactory

pytestmark = pytest.mark.django_db


def test_one_translation_per_object_field_and_language():
    translation = ContentTranslationFactory()
    ContentTranslationFactory(content=translation.content_object, language="ar", text="مشروع")
    ContentTranslationFactory(content=translation.content_object, field="summary")
    with pytest.raises(IntegrityError):
        ContentTranslationFactory(content=translation.content_object)


def test_reviewed_is_what_a_page_may_show():
    draft = ContentTranslationFactory(reviewed_at=None, source="ai", model_name="mistral-small")
    assert not draft.is_reviewed
    assert ContentTranslationFactory().is_reviewed
    assert draft.content_object.title.startswith("Projet d'IA")


def test_the_translations_go_with_their_content():
    translation = ContentTranslationFactory()
    project = translation.content_object
    other = ContentTranslationFactory()
    assert list(project.content_translations.all()) == [translation]
    project.delete()
    assert list(type(translation).objects.all()) == [other]
