"""One format for every error the API returns, whatever raised it.

    {"error": {"code": "not_found", "message": "Cette ressource n'existe pas.", "details": null}}

`code` is stable and meant for programs; `message` is for people, in French by
default (translated through gettext); `details` carries what helps fixing the
request, such as the messages of each invalid field under `details.fields`.
"""

import logging
import math
import traceback
from collections.abc import Callable
from functools import partial, wraps
from typing import TYPE_CHECKING, Any

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core import signals
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from quartiers40.core.db import DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_ERRORS

if TYPE_CHECKING:
    from ninja import NinjaAPI

request_logger = logging.getLogger("django.request")

# HTTP status -> (code, message used when nothing more precise is known).
DEFAULT_ERRORS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", gettext_lazy("La requête est mal formée.")),
    401: (
        "not_authenticated",
        gettext_lazy(
            "Authentification requise : envoyez votre jeton d'API dans l'en-tête "
            "« Authorization: Bearer <jeton> »."
        ),
    ),
    403: ("forbidden", gettext_lazy("Vous n'avez pas le droit de faire cette action.")),
    404: ("not_found", gettext_lazy("Cette ressource n'existe pas.")),
    405: (
        "method_not_allowed",
        gettext_lazy("Cette méthode HTTP n'est pas acceptée à cette adresse."),
    ),
    422: ("validation_error", gettext_lazy("Les données envoyées ne sont pas valides.")),
    429: ("rate_limited", gettext_lazy("Trop de requêtes : réessayez un peu plus tard.")),
    500: (
        "server_error",
        gettext_lazy("Une erreur inattendue est survenue. Réessayez plus tard."),
    ),
    503: (
        "service_unavailable",
        gettext_lazy("Service momentanément indisponible, réessayez dans un instant."),
    ),
}

# Pydantic explains in English: the common cases are said again in French.
# Placeholders are filled from the error's `ctx`.
PYDANTIC_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("Ce champ est obligatoire."),
    "extra_forbidden": gettext_lazy("Ce champ n'existe pas ou ne peut pas être modifié ici."),
    "string_type": gettext_lazy("Une chaîne de caractères est attendue."),
    "string_too_long": gettext_lazy("Ce texte est trop long ({max_length} caractères au plus)."),
    "string_too_short": gettext_lazy("Ce texte est trop court ({min_length} caractères au moins)."),
    "int_type": gettext_lazy("Un nombre entier est attendu."),
    "int_parsing": gettext_lazy("Un nombre entier est attendu."),
    "bool_type": gettext_lazy("Un booléen (true ou false) est attendu."),
    "bool_parsing": gettext_lazy("Un booléen (true ou false) est attendu."),
    "greater_than_equal": gettext_lazy("La valeur doit être supérieure ou égale à {ge}."),
    "less_than_equal": gettext_lazy("La valeur doit être inférieure ou égale à {le}."),
    "enum": gettext_lazy("Valeur inconnue ; valeurs possibles : {expected}."),
    "model_attributes_type": gettext_lazy("Un objet JSON est attendu."),
    "dict_type": gettext_lazy("Un objet JSON est attendu."),
    "model_type": gettext_lazy("Un objet JSON est attendu."),
}


class ApiError(Exception):
    """Raised by an endpoint to answer with a precise error in the common format."""

    def __init__(
        self,
        *,
        status: int,
        code: str | None = None,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        default_code, default_message = DEFAULT_ERRORS.get(status, DEFAULT_ERRORS[400])
        self.status = status
        self.code = code or default_code
        self.message = str(message or default_message)
        self.details = details
        self.headers = headers or {}
        super().__init__(self.message)


def field_error(name: str, message: str) -> ApiError:
    """A 422 naming the field at fault, like the validation errors of the schemas."""
    return ApiError(status=422, details={"fields": {name: [message]}})


def error_response(
    request: HttpRequest,
    api: "NinjaAPI",
    *,
    status: int,
    code: str | None = None,
    message: str | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    default_code, default_message = DEFAULT_ERRORS.get(status, DEFAULT_ERRORS[400])
    body = {
        "error": {
            "code": code or default_code,
            "message": str(message or default_message),
            "details": details,
        }
    }
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- From exceptions to responses ---------------------------------------------


def _api_error(request: HttpRequest, exc: ApiError, api: "NinjaAPI") -> HttpResponse:
    return error_response(
        request,
        api,
        status=exc.status,
        code=exc.code,
        message=exc.message,
        details=exc.details,
        headers=exc.headers,
    )


def _field_key(location: tuple | list) -> str:
    """("body", "payload", "website") -> "website"; ("query", "page") -> "page"."""
    parts = [str(part) for part in location]
    source, rest = (parts[0], parts[1:]) if parts else ("", [])
    # A body parameter is nested under the view argument's name: drop it.
    if source == "body" and len(rest) > 1:
        rest = rest[1:]
    return ".".join(rest) or source or NON_FIELD_ERRORS


def _pydantic_message(error: dict[str, Any]) -> str:
    template = PYDANTIC_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    context = dict(error.get("ctx", {}))
    if "expected" in context:  # "'a', 'b' or 'c'"
        context["expected"] = str(context["expected"]).replace("' or '", "', '")
    try:
        return str(template).format(**context)
    except (KeyError, IndexError, ValueError):
        return str(error.get("msg", ""))


def _request_validation_error(
    request: HttpRequest, exc: NinjaValidationError, api: "NinjaAPI"
) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_key(error.get("loc", ())), []).append(_pydantic_message(error))
    return error_response(request, api, status=422, details={"fields": fields})


def _model_validation_error(
    request: HttpRequest, exc: DjangoValidationError, api: "NinjaAPI"
) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {name: list(messages) for name, messages in exc.message_dict.items()}
    else:
        fields = {NON_FIELD_ERRORS: list(exc.messages)}
    message = None
    if list(fields) == [NON_FIELD_ERRORS] and len(fields[NON_FIELD_ERRORS]) == 1:
        message = fields[NON_FIELD_ERRORS][0]
    return error_response(request, api, status=422, message=message, details={"fields": fields})


def _not_authenticated(
    request: HttpRequest, exc: AuthenticationError, api: "NinjaAPI"
) -> HttpResponse:
    return error_response(request, api, status=401, headers={"WWW-Authenticate": "Bearer"})


def _forbidden(request: HttpRequest, exc: Exception, api: "NinjaAPI") -> HttpResponse:
    return error_response(request, api, status=403)


def _not_found(request: HttpRequest, exc: Http404, api: "NinjaAPI") -> HttpResponse:
    return error_response(request, api, status=404)


def _throttled(request: HttpRequest, exc: Throttled, api: "NinjaAPI") -> HttpResponse:
    # Ninja adds the Retry-After header itself.
    details = {"retry_after": math.ceil(exc.wait)} if exc.wait else None
    return error_response(request, api, status=429, details=details)


def _http_error(request: HttpRequest, exc: HttpError, api: "NinjaAPI") -> HttpResponse:
    message = None
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        message = _("Le corps de la requête n'est pas un JSON valide.")
    return error_response(request, api, status=exc.status_code, message=message)


def _bad_request(request: HttpRequest, exc: Exception, api: "NinjaAPI") -> HttpResponse:
    if isinstance(exc, SuspiciousOperation):
        # What Django itself does with them: a security log, no traceback.
        logging.getLogger(f"django.security.{exc.__class__.__name__}").error(str(exc))
    return error_response(request, api, status=400)


def _server_error(request: HttpRequest, exc: Exception, api: "NinjaAPI") -> HttpResponse:
    # Tell whoever watches errors exactly as Django would for a page:
    # error trackers listen to this signal, admins get the "django.request" log.
    signals.got_request_exception.send(sender=None, request=request)
    request_logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": request},
    )
    details = None
    if settings.DEBUG:
        details = {
            "exception": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exception(exc),
        }
    return error_response(request, api, status=500, details=details)


def _database_unavailable(request: HttpRequest, exc: Exception, api: "NinjaAPI") -> HttpResponse:
    # The database away (a restart, a cut connection): transient, as for the pages
    # (core.views.server_error). Logged like Django logs an error page, without the traceback.
    signals.got_request_exception.send(sender=None, request=request)
    request_logger.error(
        "Service Unavailable: %s (%s: %s)",
        request.path,
        type(exc).__name__,
        str(exc).strip(),
        extra={"status_code": 503, "request": request},
    )
    return error_response(
        request,
        api,
        status=503,
        details={"retry_after": DATABASE_RETRY_AFTER_SECONDS},
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


EXCEPTION_HANDLERS: dict[type[Exception], Callable[..., HttpResponse]] = {
    ApiError: _api_error,
    NinjaValidationError: _request_validation_error,
    DjangoValidationError: _model_validation_error,
    AuthenticationError: _not_authenticated,
    AuthorizationError: _forbidden,
    PermissionDenied: _forbidden,
    Throttled: _throttled,
    HttpError: _http_error,
    Http404: _not_found,
    SuspiciousOperation: _bad_request,
    BadRequest: _bad_request,
    **dict.fromkeys(DATABASE_UNAVAILABLE_ERRORS, _database_unavailable),
    Exception: _server_error,
}


def register_exception_handlers(api: "NinjaAPI") -> None:
    """Replace ninja's own handlers ({"detail": …}) by ours, most specific class first."""
    for exception_class, handler in EXCEPTION_HANDLERS.items():
        api.add_exception_handler(exception_class, partial(handler, api=api))


# --- What happens outside ninja's operations ----------------------------------


def method_not_allowed_as_json(view: Callable, api: "NinjaAPI") -> Callable:
    """Ninja answers a wrong method with a bare text 405: give it our format."""

    def convert(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        return error_response(
            request,
            api,
            status=405,
            details={"allowed_methods": sorted(allowed.split(", "))},
            headers={"Allow": allowed},
        )

    if iscoroutinefunction(view):

        @wraps(view)
        async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
            return convert(request, await view(request, *args, **kwargs))

        return async_wrapper

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return convert(request, view(request, *args, **kwargs))

    return wrapper


NOT_FOUND_URL_NAME = "not-found"


def unknown_address(request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
    """Any address under the API that no endpoint answers: a JSON 404, with a hint."""
    details: dict[str, Any] = {"path": request.path}
    message = None
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != NOT_FOUND_URL_NAME:
            details["suggestion"] = request.path + "/"
            message = _(
                "Cette adresse n'existe pas. Les adresses de l'API finissent par une barre "
                "oblique : %(suggestion)s"
            ) % {"suggestion": details["suggestion"]}
    return error_response(request, api, status=404, message=message, details=details)
