import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quartiers40.core.pagecache import VERSION_PREFIX
from quartiers40.members.enums import Role
from quartiers40.translations.models import ContentTranslation
from quartiers40.translations.services import (
    content_translation_save,
    content_translations_save,
    translation_languages,
)
from tests.challenges.factories import ChallengeFactory
from tests.members.factories import MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_and_owner():
    project = PublishedProjectFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, organisation=project.carrier, role=Role.MEMBER)
    return project, owner


def test_the_languages_are_those_of_the_interface_but_french():
    assert [code for code, _name in translation_languages()] == ["en", "ar"]


def test_a_person_writing_a_translation_reviews_it(project_and_owner):
    project, owner = project_and_owner
    translation = content_translation_save(
        obj=project, field="title", language="ar", text="  مساعد السيرة الذاتية  ", actor=owner
    )
    assert translation.text == "مساعد السيرة الذاتية"
    assert translation.source == "person" and translation.model_name == ""
    assert translation.written_by == owner and translation.reviewed_by == owner
    assert translation.is_reviewed


def test_the_display_spoofing_characters_are_removed(project_and_owner):
    project, owner = project_and_owner
    translation = content_translation_save(
        obj=project, field="title", language="en", text="A \u202etitle\u202c", actor=owner
    )
    assert translation.text == "A title"


def test_an_ai_draft_waits_for_a_review_and_keeps_its_origin_once_reviewed(project_and_owner):
    project, owner = project_and_owner
    draft = content_translation_save(
        obj=project,
        field="summary",
        language="en",
        text="An assistant that helps.",
        actor=None,
        source="ai",
        model_name="mistral-small-2503",
    )
    assert not draft.is_reviewed and draft.written_by is None
    assert draft.model_name == "mistral-small-2503"
    reviewed = content_translation_save(
        obj=project,
        field="summary",
        language="en",
        text="An assistant that helps you.",
        actor=owner,
    )
    assert reviewed.pk == draft.pk and reviewed.is_reviewed and reviewed.reviewed_by == owner
    assert reviewed.source == "ai" and reviewed.model_name == "mistral-small-2503"
    assert reviewed.written_by == owner  # the person changed the text


def test_an_empty_text_deletes_the_translation(project_and_owner):
    project, owner = project_and_owner
    content_translation_save(obj=project, field="title", language="en", text="T", actor=owner)
    assert (
        content_translation_save(obj=project, field="title", language="en", text=" ", actor=owner)
        is None
    )
    assert not ContentTranslation.objects.exists()


def test_only_the_people_who_may_edit_the_content_may_translate_it(project_and_owner):
    project, _owner = project_and_owner
    with pytest.raises(PermissionDenied):
        content_translation_save(
            obj=project, field="title", language="en", text="T", actor=UserFactory()
        )
    assert not ContentTranslation.objects.exists()


@pytest.mark.parametrize(
    ("field", "language"), [("review_comments", "en"), ("title", "de"), ("title", "fr")]
)
def test_an_unknown_field_or_language_is_refused(project_and_owner, field, language):
    project, owner = project_and_owner
    with pytest.raises(ValidationError):
        content_translation_save(obj=project, field=field, language=language, text="T", actor=owner)


def test_a_translation_too_long_is_refused_with_its_length(project_and_owner):
    project, owner = project_and_owner
    with pytest.raises(ValidationError, match="301 caractères, 300 au plus"):
        content_translation_save(
            obj=project, field="title", language="en", text="x" * 301, actor=owner
        )


def test_a_save_bumps_the_page_cache_topic_of_the_content_s_app(
    project_and_owner, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    project, owner = project_and_owner
    challenge = ChallengeFactory()
    cache.set_many({f"{VERSION_PREFIX}projects": "a", f"{VERSION_PREFIX}challenges": "b"})
    with django_capture_on_commit_callbacks(execute=True):
        content_translation_save(obj=project, field="title", language="en", text="T", actor=owner)
    assert cache.get(f"{VERSION_PREFIX}projects") != "a"
    assert cache.get(f"{VERSION_PREFIX}challenges") == "b"
    with django_capture_on_commit_callbacks(execute=True):
        content_translation_save(
            obj=challenge, field="title", language="en", text="T", actor=challenge.author
        )
    assert cache.get(f"{VERSION_PREFIX}challenges") != "b"


def test_saving_a_language_leaves_the_unchanged_fields_alone(project_and_owner):
    project, owner = project_and_owner
    first = content_translation_save(
        obj=project, field="title", language="en", text="T", actor=owner
    )
    other = UserFactory()
    MembershipFactory(user=other, organisation=project.carrier)
    saved = content_translations_save(
        obj=project,
        language="en",
        texts={"title": "T", "summary": "S", "easy_read_summary": "", "description": ""},
        actor=other,
    )
    assert {t.field for t in saved} == {"title", "summary"}
    first.refresh_from_db()
    assert first.written_by == owner
    assert ContentTranslation.objects.get(field="summary").written_by == other
