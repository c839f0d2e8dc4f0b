"""Fixed-window rate limits, shared by every web process.

A counter per (scope, key, window), in one of two stores (`RATE_LIMIT_STORE`):
- "database" (the default without Redis): a row of `RateLimitCounter`, created or bumped
  by one `INSERT … ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count`,
  atomic across processes on SQLite and PostgreSQL. Django's DatabaseCache would not do:
  its `incr` is a read then a write, so two processes can both read 4 and write 5.
- "cache" (the default with `REDIS_URL`): the cache's `add` creates the counter and `incr`
  bumps it, both atomic on Redis or Memcached only (never on the per-process LocMem cache,
  where each worker would keep its own budget: `check --deploy` reports that).

The scopes in `RATE_LIMITS_IN_CACHE` (the API's request budgets) always count in the cache:
they shed load rather than stop guessing, and a database write on every API read would
serialise SQLite's readers; without Redis each process keeps its own budget for them.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest

from .models import RateLimitCounter

STORE_DATABASE = "database"
STORE_CACHE = "cache"


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
    if _store(scope) == STORE_DATABASE:
        count = _database_hit(cache_key, expires_at=(window + 1) * period, now=now)
    else:
        cache.add(cache_key, 0, timeout=period + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=period + 1)
            count = 1
    return RateLimitResult(limited=count > limit, retry_after=(window + 1) * period - now)


def rate_limit_store() -> str:
    return getattr(settings, "RATE_LIMIT_STORE", STORE_DATABASE)


def _store(scope: str) -> str:
    if scope in getattr(settings, "RATE_LIMITS_IN_CACHE", ()):
        return STORE_CACHE
    return rate_limit_store()


def _database_hit(key: str, *, expires_at: int, now: int) -> int:
    table, key_column, count_column, expires_column = (
        connection.ops.quote_name(name)
        for name in (RateLimitCounter._meta.db_table, "key", "count", "expires_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count_column}, {expires_column}) "  # noqa: S608
            f"VALUES (%s, 1, %s) ON CONFLICT ({key_column}) DO UPDATE "
            f"SET {count_column} = {table}.{count_column} + 1 RETURNING {count_column}",
            [key, expires_at],
        )
        count = cursor.fetchone()[0]
    if count == 1:  # a new window began: forget the finished ones (an indexed DELETE)
        RateLimitCounter.objects.filter(expires_at__lt=now).delete()
    return count


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
    cache_key = _cache_key(scope, key, int(time.time()) // period)
    if _store(scope) == STORE_DATABASE:
        RateLimitCounter.objects.filter(key=cache_key).delete()
    else:
        cache.delete(cache_key)
