"""`{% icon "calendar" %}`: a decorative icon from the site's sprite (core/static/core/icons.svg).

Icons only ever accompany words: they are hidden from screen readers and take the colour
of the text around them. The sprite is one cached file for every page.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css_class}" if css_class else "",
        static("core/icons.svg"),
        name,
    )
