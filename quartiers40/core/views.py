import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .db import DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_ERRORS


@csrf_exempt
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's `set_language`, without a CSRF token, so that the form in the header of
    every page holds nothing bound to a visitor and the public pages can be cached.

    A forged request could only change the visitor's display language (a cookie), which
    they change back in one click; `next` is still checked to stay on this site.
    """
    return set_language(request)


def accessibility(request):
    return render(request, "core/accessibility.html")


def legal_notice(request):
    return render(request, "core/legal_notice.html")


def privacy(request):
    return render(request, "core/privacy.html")


# --- Error pages: the site's layout, plain words, a way back ---------------------------


def _back_url(request: HttpRequest) -> str:
    """The page the person came from, if it is on this site (never an outside address)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _error(request: HttpRequest, *, status: int, title: str, lines: list[str], **extra):
    context = {
        "status": status,
        "error_title": title,
        "error_lines": lines,
        "back_url": _back_url(request),
        **extra,
    }
    return render(request, "errors/_error.html", context, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(
        request,
        status=404,
        title=_("Cette page n'existe pas ou plus"),
        lines=[
            _("L'adresse est peut-être mal recopiée, ou la page a été retirée."),
            _("Vous pouvez revenir en arrière ou repartir de l'accueil."),
        ],
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    signed_in = request.user.is_authenticated
    return _error(
        request,
        status=403,
        title=_("Vous n'avez pas accès à cette page"),
        lines=[
            _(
                "Cette page est réservée à certaines personnes "
                "(une organisation, l'équipe de coordination)."
            )
            if signed_in
            else _(
                "Cette page est réservée à certaines personnes. "
                "Connectez-vous si vous avez un compte."
            ),
        ],
        show_sign_in=True,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        status=403,
        title=_("Le formulaire a expiré"),
        lines=[
            _(
                "Pour vous protéger, un formulaire n'est valable qu'un certain temps "
                "et sur ce site seulement."
            ),
            _(
                "Revenez à la page précédente, rechargez-la, puis envoyez le formulaire à "
                "nouveau. Si cela se répète, vérifiez que votre navigateur accepte les "
                "cookies de ce site."
            ),
        ],
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """No database and no context processors: whatever broke must not break this too.

    Django calls it while handling the exception, which `sys.exc_info()` still holds."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):
        return service_unavailable(request)
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is away: the same standalone layout as the 500 page (no
    database, no context processor), with `Retry-After`."""
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response
