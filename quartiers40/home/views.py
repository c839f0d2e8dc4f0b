import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from quartiers40.core.pagecache import PUBLIC_TOPICS, cached_fragment, public_page_cache
from quartiers40.core.sections import HOME_PAGE, sections_for
from quartiers40.members.permissions import is_coordination
from quartiers40.members.queues import coordination_sections, queues_total
from quartiers40.members.selectors import collective_figures, organisation_directory


@public_page_cache(depends=PUBLIC_TOPICS)
def home(request):
    # Callables: the template reads them only when the page's shared fragment is rebuilt
    # (signed-in visitors reuse it), once each.
    return render(
        request,
        "home/home.html",
        {
            "figures": functools.cache(collective_figures),
            "latest_organisations": organisation_directory().order_by("-joined_at")[:6],
            "sections_html": functools.cache(lambda: _home_sections_html(request)),
            "sections_seconds": settings.HOME_SECTIONS_CACHE_SECONDS,
            "topics": " ".join(PUBLIC_TOPICS),
        },
    )


def _home_sections_html(request) -> SafeString:
    """What the apps show on the home page (next meetings, latest projects, open défis).

    The same public content for everybody, signed in or not: rendered once per language and
    kept in the shared cache until what it shows changes (or HOME_SECTIONS_CACHE_SECONDS
    pass: the next meetings change with time alone).
    """

    def build() -> str:
        return render_to_string(
            "home/_sections.html", {"sections": sections_for(HOME_PAGE, None)}, request=request
        )

    if not settings.HOME_SECTIONS_CACHE_SECONDS:
        return mark_safe(build())  # noqa: S308 - our own templates
    html = cached_fragment(
        "home-sections",
        depends=PUBLIC_TOPICS,
        build=build,
        timeout=settings.HOME_SECTIONS_CACHE_SECONDS,
    )
    return mark_safe(html)  # noqa: S308 - our own templates, rendered above


@login_required
def coordination(request):
    """ "À traiter": every queue of the coordination team, with its count and its first items,
    composed from what the apps register (core.sections COORDINATION_PAGE)."""
    if not is_coordination(request.user):
        raise PermissionDenied
    sections = coordination_sections(request)
    return render(
        request,
        "home/coordination.html",
        {"sections": sections, "total": queues_total(sections)},
    )
