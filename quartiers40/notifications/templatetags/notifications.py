"""`{% news_link %}` (the header's Nouveautés count) and `{% follow_button target %}`."""

from django import template

from quartiers40.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_news_link.html", takes_context=True)
def news_link(context) -> dict:
    """Signed-in people only; one cached count (selectors.news_count)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    count = selectors.news_count(user)
    return {
        "show": True,
        "count": count,
        "capped": count > selectors.NEWS_COUNT_CAP,
        "cap": selectors.NEWS_COUNT_CAP,
        "current": getattr(request.resolver_match, "view_name", "") == "notifications:news",
    }


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, target) -> dict:
    """A POST form (works without JavaScript); a sign-in link for visitors. Put it on
    signed-in pages only or behind the page cache's rule (the form holds a CSRF token)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "signed_in": bool(user and user.is_authenticated),
        "following": bool(user and selectors.is_following(user, target)),
        "key": selectors.target_key(target),
        "pk": target.pk,
        "name": str(target),
        "next": request.get_full_path() if request else "",
    }


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_commune_button(context, code: str) -> dict:
    """The follow button of a commune's page (the observatory's), from its INSEE code."""
    from quartiers40.territories.models import Commune

    commune = Commune.objects.filter(pk=code).first()
    return follow_button(context, commune) if commune else {"signed_in": False, "hidden": True}
