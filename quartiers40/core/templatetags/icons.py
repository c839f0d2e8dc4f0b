"""`{% icon "calendar" %}`: a decorative icon from the site's sprite (core/static/core/icons.svg).

Icons only ever accompany words: they are hidden from screen readers and take the colour
of the text around them. The sprite is one cached file for every page.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

# Icons that point somewhere: mirrored in a right-to-left page (site.css, `.icon-direction`).
DIRECTIONAL_ICONS = frozenset({"arrow-right", "log-in"})


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    direction = "icon-direction" if name in DIRECTIONAL_ICONS else ""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        "".join(f" {extra}" for extra in (css_class, direction) if extra),
        static("core/icons.svg"),
        name,
    )
