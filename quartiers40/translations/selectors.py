"""Reading a content in the visitor's language, or its original with the language it is in."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

from .models import ContentTranslation

# Where an object keeps the reviewed translations read for it, per language: one query per
# object and language, however many fields a page shows.
CACHE_ATTRIBUTE = "_content_translations"


@dataclass(frozen=True)
class TranslatedText:
    text: str
    lang: str  # the language the text is in
    is_original: bool  # the object's own field (French), not a translation
    page_lang: str  # the language of the page it is shown in

    @property
    def is_fallback(self) -> bool:
        """Shown in another language than the page's: it says so and carries its `lang`."""
        return self.lang != self.page_lang

    @property
    def dir(self) -> str:
        return "rtl" if self.lang in settings.LANGUAGES_BIDI else "ltr"

    def __str__(self) -> str:
        return self.text


def _page_language(language: str | None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code


def _reviewed_texts(obj: models.Model, language: str) -> dict[str, str]:
    cached = obj.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    if language not in cached:
        cached[language] = dict(
            ContentTranslation.objects.of(obj)
            .reviewed()
            .filter(language=language)
            .values_list("field", "text")
        )
    return cached[language]


def translated(
    obj: models.Model, field: str, language: str | None = None, *, prefetched_only: bool = False
) -> TranslatedText:
    """`obj.field` in `language` (the active language by default) when a reviewed
    translation exists, else the original in the site's language.

    `prefetched_only`: read only what `translations_prefetch` brought (a card, in a list
    that may not have asked: never one query per card); without it, the original."""
    page_lang = _page_language(language)
    original = getattr(obj, field) or ""
    if page_lang != settings.LANGUAGE_CODE:
        if prefetched_only:
            texts = obj.__dict__.get(CACHE_ATTRIBUTE, {}).get(page_lang, {})
        else:
            texts = _reviewed_texts(obj, page_lang)
        text = texts.get(field)
        if text:
            return TranslatedText(text=text, lang=page_lang, is_original=False, page_lang=page_lang)
    return TranslatedText(
        text=original, lang=settings.LANGUAGE_CODE, is_original=True, page_lang=page_lang
    )


def translations_prefetch(objects, language: str | None = None) -> None:
    """Read the reviewed translations of a list of objects of one model in one query (for
    cards), so that `translated()` on each asks nothing more."""
    objects = list(objects)
    page_lang = _page_language(language)
    if not objects or page_lang == settings.LANGUAGE_CODE:
        return
    by_pk: dict[int, dict[str, str]] = {obj.pk: {} for obj in objects}
    rows = (
        ContentTranslation.objects.of_model(type(objects[0]))
        .reviewed()
        .filter(language=page_lang, object_id__in=by_pk)
        .values_list("object_id", "field", "text")
    )
    for object_id, field, text in rows:
        by_pk[object_id][field] = text
    for obj in objects:
        obj.__dict__.setdefault(CACHE_ATTRIBUTE, {})[page_lang] = by_pk[obj.pk]


def object_translations(obj: models.Model) -> dict[str, dict[str, ContentTranslation]]:
    """Every stored translation of `obj`, reviewed or not: {language: {field: translation}}
    (the edit page)."""
    result: dict[str, dict[str, ContentTranslation]] = {}
    for translation in ContentTranslation.objects.of(obj).select_related(
        "written_by", "reviewed_by"
    ):
        result.setdefault(translation.language, {})[translation.field] = translation
    return result


def published_translations(obj: models.Model) -> dict[str, dict[str, str]]:
    """The reviewed translations of `obj`, {language: {field: text}} (the API)."""
    result: dict[str, dict[str, str]] = {}
    rows = ContentTranslation.objects.of(obj).reviewed().values_list("language", "field", "text")
    for language, field, text in rows.order_by("language", "field"):
        result.setdefault(language, {})[field] = text
    return result
