"""Who is calling: a personal API token sent as `Authorization: Bearer <token>`.

People create and revoke their tokens on their account page ("Jetons d'API");
only a hash of each token is stored (`members.models.ApiToken`).
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from quartiers40.members import selectors
from quartiers40.members.models import User

from .errors import ApiError


def _authorization(request: HttpRequest) -> tuple[str, str]:
    """(scheme, token) of the Authorization header, ("", "") without one."""
    scheme, _separator, token = request.headers.get("Authorization", "").strip().partition(" ")
    return scheme.lower(), token.strip()


class ApiTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        scheme, token = _authorization(request)
        if not scheme:
            return None  # ninja answers 401 "not_authenticated"
        if scheme != "bearer":
            raise ApiError(
                status=401,
                code="invalid_authorization_header",
                message=_("L'en-tête Authorization doit être de la forme « Bearer <jeton> »."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_request"'},
            )
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = selectors.api_token_authenticate(token) if token else None
        if user is None:
            raise ApiError(
                status=401,
                code="invalid_token",
                message=_("Ce jeton d'API n'est pas valide ou a été révoqué."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        # The rest of Django (logs, permissions helpers) sees the token's owner.
        request.user = user
        return user


token_auth = ApiTokenAuth()


def api_caller(request: HttpRequest):
    """Who calls a public endpoint: the token's person when a valid token is sent (read
    quietly: a public read never fails for a bad token), else the session's person."""
    user = getattr(request, "auth", None)
    if user is not None:
        return user
    if not hasattr(request, "_api_caller"):
        scheme, token = _authorization(request)
        found = selectors.api_token_authenticate(token) if scheme == "bearer" and token else None
        request._api_caller = found or getattr(request, "user", None) or AnonymousUser()  # type: ignore[attr-defined]
    return request._api_caller  # type: ignore[attr-defined]
