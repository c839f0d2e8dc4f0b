"""The two things a person does with a suggestion: open it, and say whether it helped."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .enums import Feedback
from .forms import FeedbackForm
from .models import Match


@require_GET
def match_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the suggestion was opened, then go to it. The address is the suggested
    item's own, read from the database, never from the request: no open redirect."""
    match = get_object_or_404(Match.objects.select_related(*selectors.SUGGESTED_RELATIONS), pk=pk)
    target = selectors.match_target_url(match, request.user)
    if not target:
        raise Http404
    if not _allowed(target):
        raise Http404
    services.match_open(match=match, viewer=request.user)
    response = HttpResponseRedirect(target)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _allowed(target: str) -> bool:
    """A path of this site, or a page of a known outside source (Aides-territoires)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return True
    parts = urlsplit(target)
    return parts.scheme in {"https", "http"} and parts.netloc in selectors.external_hosts()


@require_POST
def match_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Utile" / "pas utile", by the signed-in person the suggestion was made to (a form
    that works without JavaScript; an htmx request gets the block's new line)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or "/")
    match = get_object_or_404(Match, pk=pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.match_feedback(
        match=match, viewer=request.user, feedback=form.cleaned_data["feedback"]
    )
    if request.headers.get("HX-Request"):
        return HttpResponse(_("Merci pour votre avis."))
    messages.success(
        request,
        _("Merci : cette suggestion vous a été utile.")
        if form.cleaned_data["feedback"] == Feedback.USEFUL
        else _("Merci : nous en tiendrons compte."),
    )
    back = form.cleaned_data.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = selectors.match_subject_url(match) or "/"
    return redirect(f"{back}#suggestion-{match.pk}" if "#" not in back else back)
