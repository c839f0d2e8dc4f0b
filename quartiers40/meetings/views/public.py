"""The public pages: the list of editions, a series, an edition."""

import functools

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from quartiers40.core.pagecache import PUBLIC_TOPICS, public_page_cache

from .. import permissions, selectors
from ..forms import EditionFilterForm, RegistrationForm
from ..models import Series
from ._shared import visible_edition

# An edition becomes past, or closes its registrations, with time alone: its pages are kept
# for two minutes at most.
PAGE_CACHE_SECONDS = 120


@public_page_cache(depends=("meetings", "members"), timeout=PAGE_CACHE_SECONDS)
def edition_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    series_list = selectors.series_public()
    filters = EditionFilterForm(request.GET or None, series=series_list)
    chosen = filters.filters()

    @functools.cache
    def editions() -> dict:
        # Read only when the page's shared fragment is rebuilt (signed-in visitors reuse it).
        upcoming = selectors.editions_with_seat_counts(
            selectors.editions_filtered(selectors.editions_upcoming(now=now), **chosen)
        )[:20]
        past = selectors.editions_filtered(selectors.editions_past(now=now), **chosen)[:20]
        for edition in [*upcoming, *past]:
            edition.state = selectors.edition_state(edition, now=now)
        return {"upcoming": upcoming, "past": past}

    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": lambda: editions()["upcoming"],
            "past": lambda: editions()["past"],
            "cache_seconds": PAGE_CACHE_SECONDS,
            "filters": filters,
            "is_filtered": filters.active,
            "series_list": series_list,
            "can_create_series": permissions.can_create_local_series(request.user),
            "can_approve": permissions.can_approve_series(request.user),
        },
    )


def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series.objects.select_related("organisation"), slug=slug)
    if not permissions.can_view_series(request.user, series):
        raise Http404
    now = timezone.now()
    editions = (
        series.editions.all()
        if permissions.can_manage_series(request.user, series)
        else (series.editions.visible())
    )
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "upcoming": selectors.editions_with_state(editions.upcoming(now), now=now),
            "past": selectors.editions_with_state(editions.past(now), now=now),
            "can_manage": permissions.can_manage_series(request.user, series),
        },
    )


@public_page_cache(depends=PUBLIC_TOPICS, timeout=PAGE_CACHE_SECONDS)
def edition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    edition = visible_edition(request, slug)
    user = request.user
    registration = selectors.registration_of(user, edition)
    # Callables: read only when the page's shared fragments are rebuilt.
    follow_up_actions = functools.cache(lambda: selectors.follow_up_actions(edition))
    can_organise = permissions.can_organise(user, edition)
    now = timezone.now()
    is_future = edition.ends_at > now
    seats = selectors.seat_summaries(edition)
    return render(
        request,
        "meetings/edition_detail.html",
        {
            "edition": edition,
            "registration": registration,
            "waiting_position": selectors.waiting_position(registration) if registration else None,
            "seats": seats,
            "state": selectors.edition_state(edition, now=now, seats=seats),
            "all_full": bool(seats) and all(seat.is_full for seat in seats),
            "show_online_link": bool(edition.online_url)
            and permissions.can_see_online_link(user, edition),
            "agenda": functools.cache(lambda: selectors.agenda(edition)),
            "resources": edition.resources.all(),
            "actions": functools.cache(lambda: selectors.action_items(edition)),
            "previous": lambda: follow_up_actions()[0],
            "follow_up": lambda: follow_up_actions()[1],
            "topics": " ".join(PUBLIC_TOPICS),
            "cache_seconds": PAGE_CACHE_SECONDS,
            "can_organise": can_organise,
            "can_register": edition.is_published and edition.registration_open and is_future,
            "can_register_on_behalf": user.is_authenticated
            and permissions.can_register_on_behalf(user, edition),
            "can_apply": user.is_authenticated
            and edition.is_published
            and edition.call_for_pitches_open,
            "form": RegistrationForm(edition=edition, signed_in=user.is_authenticated, seats=seats)
            if registration is None
            else None,
        },
    )
