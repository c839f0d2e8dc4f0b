"""Content in the visitor's language, marked with the language it is really in.

{% load translations %}
{% translated project "title" as title %}
<h1{% lang_attrs title %}>{{ title }}</h1>
{% if title.is_fallback %}{% include "translations/_only_in_french.html" %}{% endif %}

{% translations_prefetch page.object_list %}{% for project in page.object_list %}…
{% translated project "title" prefetched_only=True as title %}   (in the card)
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..selectors import TranslatedText
from ..selectors import translated as translated_text
from ..selectors import translations_prefetch as prefetch

register = template.Library()


@register.simple_tag
def translated(obj, field: str, prefetched_only: bool = False) -> TranslatedText:
    return translated_text(obj, field, prefetched_only=prefetched_only)


@register.simple_tag
def translations_prefetch(objects) -> str:
    """Before a list of cards: their translations in one query (`prefetched_only` cards)."""
    prefetch(objects)
    return ""


@register.simple_tag
def lang_attrs(text: TranslatedText) -> SafeString:
    """` lang="fr" dir="ltr"` on an element whose text is not in the page's language (screen
    readers then read it with the right voice, and it keeps its direction); nothing else."""
    if not isinstance(text, TranslatedText) or not text.is_fallback:
        return mark_safe("")
    return format_html(' lang="{}" dir="{}"', text.lang, text.dir)
