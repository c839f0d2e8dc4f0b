"""What every request under /api/ gets, before and after the API itself.

- A NUL character (U+0000) in the address, the query or a JSON body is refused with a 400:
  no text field can store it (PostgreSQL refuses it outright), so it is never a valid value.
  Uploaded files are left alone: a CSV with a NUL byte is the file check's business.
- An error that Django answered with an HTML page (/api/ itself, another version such as
  /api/v2/…, a CSRF failure, an error page rendered outside ninja) is answered in the API's
  JSON format. Inside /api/v1/ the API answers every address (`errors.unknown_address`).
Pages that are not errors (the documentation) are left as they are.
"""

from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        where = _nul_character_in(request)
        if where:
            return _error(
                request,
                status=400,
                message=_("La requête contient un caractère nul (U+0000), qui n'est pas accepté."),
                details={"where": where},
            )
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        return _as_json(request, response)


def _nul_character_in(request: HttpRequest) -> str | None:
    if "\x00" in request.path_info:
        return "path"
    if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
        return "query"
    if request.content_type == "application/json":
        try:
            body = request.body
        except RequestDataTooBig:
            return None  # the API answers it
        if b"\x00" in body or b"\\u0000" in body:
            return "body"
    return None


def _error(request: HttpRequest, **kwargs) -> HttpResponse:
    from .api import api
    from .errors import error_response

    return error_response(request, api, **kwargs)


def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    from .errors import DEFAULT_ERRORS

    status = response.status_code
    code, message = None, None
    if status not in DEFAULT_ERRORS:
        try:
            code = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
        except ValueError:
            code = "error"
        message = DEFAULT_ERRORS[500 if status >= 500 else 400][1]
    details = {"path": request.path} if status == 404 else None
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return _error(
        request, status=status, code=code, message=message, details=details, headers=headers
    )
