"""The calendar files (ICS): one per edition, a feed per series, a personal feed.

No session, no cookie: calendar applications fetch these addresses on their own.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from quartiers40.members.models import User

from .. import ics
from ..models import Edition, Series

CACHE_SECONDS = 300


def _calendar_response(body: bytes, *, filename: str, private: bool, download: bool):
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    scope = "private" if private else "public"
    response["Cache-Control"] = f"{scope}, max-age={CACHE_SECONDS}"
    if private:
        # The address is the secret: keep it out of referrers and search engines.
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def edition_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """Public editions only (published or cancelled, in an approved series)."""
    edition = get_object_or_404(Edition.objects.visible().select_related("series"), slug=slug)
    return _calendar_response(
        ics.edition_calendar(edition), filename=f"{edition.slug}.ics", private=False, download=True
    )


@require_safe
def series_ics(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series.objects.approved(), slug=slug)
    return _calendar_response(
        ics.series_calendar(series), filename=f"{series.slug}.ics", private=False, download=False
    )


@require_safe
def personal_ics(request: HttpRequest, token: str) -> HttpResponse:
    user_id = ics.personal_feed_user_id(token)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Http404
    return _calendar_response(
        ics.personal_calendar(user), filename="mes-rencontres.ics", private=True, download=False
    )
