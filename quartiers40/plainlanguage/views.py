"""The check as the writer types: the findings of one text, as an HTML fragment."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.ratelimit import client_ip, rate_limit_check

from .check import THRESHOLDS, check_text

MAX_TEXT_LENGTH = 20_000


@login_required
@require_POST
def plain_check(request):
    """POST text, kind → the findings fragment (templates/plainlanguage/findings.html).

    For plain-language.js; CSRF-protected like every POST, and rate-limited per account and
    per address (a check takes a few milliseconds, but a script could send thousands)."""
    kind = request.POST.get("kind", "")
    text = request.POST.get("text", "")
    if kind not in THRESHOLDS or len(text) > MAX_TEXT_LENGTH:
        return HttpResponseBadRequest(_("Texte ou type de texte invalide."))
    limit = rate_limit_check(
        request,
        ("plain_check_ip", client_ip(request)),
        ("plain_check_account", str(request.user.pk)),
    )
    if limit.limited:
        response = HttpResponse(
            _("Trop de vérifications d'un coup : réessayez dans une minute."), status=429
        )
        response["Retry-After"] = str(limit.retry_after)
        return response
    return render(request, "plainlanguage/findings.html", {"check": check_text(text, kind=kind)})
