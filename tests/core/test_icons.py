"""Icons come from the site's own sprite, hidden from screen readers."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

SPRITE = Path(settings.BASE_DIR) / "quartiers40/core/static/core/icons.svg"


def test_an_icon_is_decorative_and_points_into_the_sprite():
    html = Template('{% load icons %}{% icon "calendar" "icon-large" %}').render(Context())
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert 'class="icon icon-large"' in html and "core/icons.svg#calendar" in html


def test_every_icon_a_template_uses_is_in_the_sprite():
    symbols = set(re.findall(r'<symbol id="([^"]+)"', SPRITE.read_text()))
    used = {
        name
        for template in Path(settings.BASE_DIR, "quartiers40").rglob("*.html")
        for name in re.findall(r'{%\s*icon\s+"([^"]+)"', template.read_text())
    }
    assert used, "no template uses an icon"
    assert used <= symbols, f"missing from icons.svg: {sorted(used - symbols)}"


def test_an_icon_that_points_somewhere_is_mirrored_in_right_to_left_pages():
    html = Template('{% load icons %}{% icon "arrow-right" "icon-large" %}').render(Context())
    assert 'class="icon icon-large icon-direction"' in html
    assert 'class="icon"' in Template('{% load icons %}{% icon "calendar" %}').render(Context())
