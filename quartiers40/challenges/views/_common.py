"""What the défis' pages share: finding the défi, the way back to it, the list's filters."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from quartiers40.core.ratelimit import rate_limit_check
from quartiers40.search.selectors import search_object_ids

from .. import permissions, selectors
from ..forms import ChallengeFilterForm
from ..models import Challenge, ChallengeComment


def challenge_or_404(slug: str) -> Challenge:
    challenge = selectors.challenge_get(slug)
    if challenge is None:
        raise Http404
    return challenge


def visible_or_404(request: HttpRequest, slug: str) -> Challenge:
    """The défi if this person may see it (pending and hidden ones: its author and the team)."""
    challenge = challenge_or_404(slug)
    if not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    return challenge


def comment_or_404(challenge: Challenge, pk: int) -> ChallengeComment:
    comment = selectors.challenge_comment_get(challenge, pk)
    if comment is None:
        raise Http404
    return comment


def rate_limited(request: HttpRequest, scope: str) -> bool:
    limit = rate_limit_check(request, (scope, str(request.user.pk)))
    if limit.limited:
        messages.error(
            request,
            _("Trop d'envois à la suite. Réessayez dans %(minutes)s minute(s).")
            % {"minutes": max(1, round(limit.retry_after / 60))},
        )
    return limit.limited


def back(challenge: Challenge, anchor: str = "") -> HttpResponseRedirect:
    response = redirect("challenges:detail", slug=challenge.slug)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def filters_of(request: HttpRequest) -> tuple[ChallengeFilterForm, dict, bool]:
    """The list's filters (the list and the map): the form, its valid values, and whether
    anything but the sort is chosen."""
    filters = ChallengeFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    is_filtered = any(value for name, value in values.items() if name != "sort")
    return filters, values, is_filtered


def catalogue(values: dict, *, sort: str):
    words = values.get("q", "")
    # The words go through the site's French search (accents, typos, everyday words).
    among = search_object_ids(words, kind="challenge") if words else None
    return selectors.challenge_catalogue(
        theme=values.get("theme", ""),
        status=values.get("status", ""),
        qpv=values.get("qpv", ""),
        department=values.get("department", ""),
        easy_to_read=bool(values.get("facile")),
        query=words if among is None else "",
        among=among,
        sort=sort,
    )


def query_without_page(request: HttpRequest) -> str:
    """The filters as a query string, without the page and the sort (links to the map)."""
    query = request.GET.copy()
    for name in ("page", "sort"):
        query.pop(name, None)
    return query.urlencode()
