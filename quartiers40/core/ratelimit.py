"""Fixed-window rate limits on the shared cache (Redis in production).

A counter per (scope, key, window): `cache.add` creates it atomically, `incr`
bumps it atomically, so several web processes share one budget.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class RateLimitResult:
    limited: bool
    retry_after: int


def client_ip(request: HttpRequest) -> str:
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _cache_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window}"


def rate_limit_hit(scope: str, key: str) -> RateLimitResult:
    """Count one attempt for `key` in `scope`; say whether it is over the limit."""
    if not settings.RATE_LIMITS_ENABLED or not key:
        return RateLimitResult(limited=False, retry_after=0)
    limit, period = settings.RATE_LIMITS[scope]
    now = int(time.time())
    window = now // period
    cache_key = _cache_key(scope, key, window)
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        count = 1
    return RateLimitResult(limited=count > limit, retry_after=(window + 1) * period - now)


def rate_limit_check(request: HttpRequest, *checks: tuple[str, str]) -> RateLimitResult:
    """Hit every (scope, key) pair; limited if any one is over its limit."""
    worst = RateLimitResult(limited=False, retry_after=0)
    for scope, key in checks:
        result = rate_limit_hit(scope, key)
        if result.limited and result.retry_after >= worst.retry_after:
            worst = result
    return worst


def rate_limit_reset(scope: str, key: str) -> None:
    _limit, period = settings.RATE_LIMITS[scope]
    cache.delete(_cache_key(scope, key, int(time.time()) // period))
