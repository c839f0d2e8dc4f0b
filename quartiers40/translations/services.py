"""Writing the translations of what people wrote. Every write bumps the page-cache topic
of the object's app, so its public pages show the change at once."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.forms import text_neutralise
from quartiers40.core.pagecache import cache_version_bump

from .enums import TranslationSource
from .models import ContentTranslation
from .registry import Translatable, translatable_for
from .selectors import object_translations


def translation_languages() -> list[tuple[str, str]]:
    """The languages a content can be translated into: every interface language but the
    one people write in (the site's language, French)."""
    return [
        (code, str(name)) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


def _check(*, obj: models.Model, field: str, language: str, actor) -> Translatable:
    kind = translatable_for(obj)
    if kind is None or field not in kind.fields:
        raise ValidationError(_("Ce contenu ne se traduit pas."), code="not_translatable")
    if language not in dict(translation_languages()):
        raise ValidationError(
            _("Langue inconnue : %(language)s.") % {"language": language}, code="language"
        )
    if actor is not None and not kind.can_edit(actor, obj):
        raise PermissionDenied
    return kind


@transaction.atomic
def content_translation_save(
    *,
    obj: models.Model,
    field: str,
    language: str,
    text: str,
    actor,
    source: str = TranslationSource.PERSON,
    model_name: str = "",
    reviewed: bool | None = None,
) -> ContentTranslation | None:
    """Write (or change) the translation of `obj.field` into `language`.

    A person writing (`source="person"`, the default) reviews by writing: the text shows
    at once. An AI draft (`source="ai"`, with its `model_name`; `actor` is the person who
    asked for it, or None for the platform) waits for a person's review: `reviewed=True`
    when a person saves it from the form. A person who reviews a stored AI draft keeps its
    origin (it stays "drafted by the AI, reviewed"). An empty text deletes the translation
    (the page falls back to the original). Returns the translation, or None once deleted.
    """
    kind = _check(obj=obj, field=field, language=language, actor=actor)
    text = text_neutralise(text).strip()
    limit = kind.max_lengths.get(field, 20000)
    if len(text) > limit:
        raise ValidationError(
            _("La traduction fait %(count)s caractères, %(limit)s au plus.")
            % {"count": len(text), "limit": limit},
            code="max_length",
        )
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    existing = (
        ContentTranslation.objects.select_for_update()
        .filter(content_type=content_type, object_id=obj.pk, field=field, language=language)
        .first()
    )
    if not text:
        if existing is not None:
            existing.delete()
            cache_version_bump(kind.topic)
        return None
    translation = existing or ContentTranslation(
        content_type=content_type, object_id=obj.pk, field=field, language=language
    )
    is_person = source == TranslationSource.PERSON
    if existing is None or not (is_person and existing.source == TranslationSource.AI):
        translation.source = source
        translation.model_name = "" if is_person else model_name
    if existing is None or translation.text != text:
        translation.written_by = actor if is_person else None
    translation.text = text
    if is_person if reviewed is None else reviewed:
        translation.reviewed_by = actor
        translation.reviewed_at = timezone.now()
    else:
        translation.reviewed_by = None
        translation.reviewed_at = None
    translation.save()
    cache_version_bump(kind.topic)
    return translation


@transaction.atomic
def content_translations_save(
    *, obj: models.Model, language: str, texts: dict[str, str], actor
) -> list[ContentTranslation]:
    """The edit page's form: every field of one language at once, written by `actor`
    (reviewed). A field whose text did not change is left as it is."""
    current = object_translations(obj).get(language, {})
    saved = []
    for field, text in texts.items():
        before = current.get(field)
        if (
            before is not None
            and before.text == text_neutralise(text).strip()
            and before.is_reviewed
        ):
            saved.append(before)
            continue
        if before is None and not text.strip():
            continue
        translation = content_translation_save(
            obj=obj, field=field, language=language, text=text, actor=actor, reviewed=True
        )
        if translation is not None:
            saved.append(translation)
    return saved
