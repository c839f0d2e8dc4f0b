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


class ApiTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get("Authorization", "")
        if not header.strip():
            return None  # ninja answers 401 "not_authenticated"
        scheme, _separator, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise ApiError(
                status=401,
                code="invalid_authorization_header",
                message=_("L'en-tête Authorization doit être de la forme « Bearer <jeton> »."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_request"'},
            )
        return self.authenticate(request, token.strip())

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
    scheme, _separator, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = selectors.api_token_authenticate(token.strip())
        if user is not None:
            return user
    return getattr(request, "user", None) or AnonymousUser()
