"""Any error under /api/ in the API's JSON format, even when Django answered it itself.

Inside /api/v1/ the API answers every address (`errors.unknown_address`); this catches the
rest: /api/ itself, another version (/api/v2/…), a CSRF failure or an error page that Django
renders outside ninja. Pages that are not errors (the documentation) are left as they are.
"""

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        return _as_json(request, response)


def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    from .api import api
    from .errors import DEFAULT_ERRORS, error_response

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
    return error_response(
        request, api, status=status, code=code, message=message, details=details, headers=headers
    )
