"""What the provider pages share: reading the opportunity a URL names, with its permission."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .. import permissions, selectors
from ..models import Opportunity


def _opportunity(slug: str) -> Opportunity:
    opportunity = selectors.opportunity_get_by_slug(slug=slug)
    if opportunity is None:
        raise Http404
    return opportunity


def _visible(request, slug: str) -> Opportunity:
    """404 for what she may not even see; the callers then say 403 for what she may not do."""
    opportunity = _opportunity(slug)
    if not permissions.can_view_opportunity(request.user, opportunity):
        raise Http404
    return opportunity


def _editable(request, slug: str) -> Opportunity:
    opportunity = _visible(request, slug)
    if not permissions.can_edit_opportunity(request.user, opportunity):
        raise PermissionDenied
    return opportunity
