"""What the meetings pages share: finding an edition or a registration, or answering 404/403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .. import permissions, selectors
from ..models import Edition, Registration


def visible_edition(request: HttpRequest, slug: str) -> Edition:
    edition = selectors.edition_get(slug=slug)
    if edition is None or not permissions.can_view_edition(request.user, edition):
        raise Http404
    return edition


def organised_edition(request: HttpRequest, slug: str) -> Edition:
    edition = selectors.edition_get(slug=slug)
    if edition is None:
        raise Http404
    if not permissions.can_organise(request.user, edition):
        raise PermissionDenied
    return edition


def registration_by_token(token: str) -> Registration:
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    return registration
