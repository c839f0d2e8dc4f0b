"""Request budgets for the API, counted in the shared cache like the site's own limits.

A call with a token spends its owner's budget ("api_token"); any other call spends
its IP address's budget ("api_anonymous"). The budgets are `RATE_LIMITS` entries.
"""

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from quartiers40.core.ratelimit import client_ip, rate_limit_hit

ANONYMOUS_SCOPE = "api_anonymous"
TOKEN_SCOPE = "api_token"  # noqa: S105 - a budget name, not a secret


class ApiRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        # One instance serves every request: the wait of a refused one is per thread.
        self._state = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        user = getattr(request, "auth", None)
        if getattr(user, "pk", None) is not None:
            scope, key = TOKEN_SCOPE, f"user:{user.pk}"
        else:
            scope, key = ANONYMOUS_SCOPE, client_ip(request)
        if scope not in settings.RATE_LIMITS:
            return True  # not configured: the `api.W001` system check says so
        result = rate_limit_hit(scope, key)
        self._state.retry_after = result.retry_after
        return not result.limited

    def wait(self) -> float | None:
        return getattr(self._state, "retry_after", None)
