from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from quartiers40.core.sections import home_sections_for
from quartiers40.members.selectors import collective_figures, organisation_directory


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "figures": collective_figures(),
            "latest_organisations": organisation_directory().order_by("-joined_at")[:6],
            "sections_html": _home_sections_html(request),
        },
    )


def _home_sections_html(request) -> SafeString:
    """What the apps show on the home page (next meetings, latest projects, open défis).

    The same public content for everybody: rendered once per language and kept in the
    shared cache for HOME_SECTIONS_CACHE_SECONDS, as the home page is the most visited.
    """
    key = f"core:home-sections:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "core/_home_sections.html", {"sections": home_sections_for(None)}, request=request
        )
        if settings.HOME_SECTIONS_CACHE_SECONDS:
            cache.set(key, str(html), settings.HOME_SECTIONS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own templates, rendered above


def accessibility(request):
    return render(request, "core/accessibility.html")


def legal_notice(request):
    return render(request, "core/legal_notice.html")


def privacy(request):
    return render(request, "core/privacy.html")
