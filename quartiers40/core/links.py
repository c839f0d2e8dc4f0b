"""Absolute links (e-mails, API `url` fields, calendars, exports) that point to this server.

During a request, links use the address the request came to (`http://127.0.0.1:8011` when
the site is served on another port; Django has already checked the host against
ALLOWED_HOSTS). Elsewhere (a worker's task, a command from cron) they use `SITE_URL`,
which defaults to the address `make run` serves.

    absolute_url(reverse("projects:detail", kwargs={"key": project.slug}))

Open-data files use `canonical_url` instead: the public address, always SITE_URL.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_origin: ContextVar[str] = ContextVar("request_origin", default="")


def site_origin() -> str:
    """`scheme://host[:port]` of the current request, else SITE_URL."""
    return _request_origin.get() or settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    return f"{site_origin()}{path}"


def canonical_url(path: str) -> str:
    """Always SITE_URL: for what is published as data (open-data files read against their
    schema, calendar UIDs), whichever address the file was fetched from."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


class RequestOriginMiddleware:
    """Remember, for the time of a request, the address it came to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
