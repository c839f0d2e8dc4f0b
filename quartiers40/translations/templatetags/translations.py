"""Content in the visitor's language, marked with the language it is really in.

{% load translations %}
{% translated project "title" as title %}
<h1{% lang_attrs title %}>{{ title }}</h1>
{% include "translations/_only_in_french.html" with texts=title %}
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..selectors import TranslatedText
from ..selectors import translated as translated_text

register = template.Library()


@register.simple_tag
def translated(obj, field: str) -> TranslatedText:
    return translated_text(obj, field)


@register.simple_tag
def lang_attrs(text: TranslatedText) -> SafeString:
    """` lang="fr" dir="ltr"` on an element whose text is not in the page's language (screen
    readers then read it with the right voice, and it keeps its direction); nothing else."""
    if not isinstance(text, TranslatedText) or not text.is_fallback:
        return mark_safe("")
    return format_html(' lang="{}" dir="{}"', text.lang, text.dir)
