"""System checks of the platform's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Cache backends shared by every process whose `add` and `incr` are atomic.
SHARED_ATOMIC_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django_redis.cache.RedisCache",
}


@register(Tags.security, deploy=True)
def rate_limits_shared_check(app_configs=None, **kwargs) -> list[Warning]:
    """Rate limits that each web process counts on its own multiply by the workers."""
    if not settings.RATE_LIMITS_ENABLED:
        return [
            Warning(
                "Rate limits are off (RATE_LIMITS_ENABLED): sign-in, sign-up and password "
                "reset can be tried without bound.",
                hint="Unset RATE_LIMITS_ENABLED in production.",
                id="quartiers40.W002",
            )
        ]
    store = getattr(settings, "RATE_LIMIT_STORE", "database")
    if store == "database":
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if store == "cache" and backend in SHARED_ATOMIC_CACHES:
        return []
    return [
        Warning(
            f"Rate limits are not shared between processes (RATE_LIMIT_STORE={store!r}, "
            f"cache {backend}): with N web workers, N times the attempts get through.",
            hint="Set REDIS_URL, or RATE_LIMIT_STORE=database (the default without Redis).",
            id="quartiers40.W001",
        )
    ]
