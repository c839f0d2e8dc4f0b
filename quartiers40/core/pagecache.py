"""Public pages for anonymous visitors, served from the shared cache.

A page depends on a few *topics* ("projects", "challenges", "meetings", "members",
"territories"); each topic has a version in the cache, which the services change when they
write (`cache_version_bump`). A cached page is kept with the versions it was rendered
under, and served only while they are still current: one `get_many` per request reads the
page and the versions together, so a change shows at once, on every process.

What is never cached: a signed-in visitor's page (and any request carrying a session cookie),
a request with messages waiting, anything but a plain 200 GET, a response that sets a cookie,
varies on something other than the language, says it is private, or holds a CSRF token. The
key holds the language, the scheme, the host and the full path with its query.

    @public_page_cache(depends=("projects", "territories", "members"))
    def catalogue(request): ...

    @transaction.atomic
    def project_publish(*, project, actor):
        ...
        cache_version_bump("projects")
"""

import functools
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_PREFIX = "pagecache:version:"
PAGE_PREFIX = "pagecache:page:"
# The page varies on these only, and the key holds both (the cookie: no session at all).
ALLOWED_VARY = {"accept-language", "cookie"}
CSRF_FIELD = b"csrfmiddlewaretoken"
# What `{% shared_fragment %}` puts in place of each form's CSRF token while it renders a
# fragment, and replaces with the visitor's own token each time it serves it.
CSRF_PLACEHOLDER = "q40-csrf-token-filled-in-per-visitor"
# Every topic a public page can show; an app adds its own (`depends=(*PUBLIC_TOPICS, "x")`).
PUBLIC_TOPICS = ("members", "territories", "projects", "challenges", "meetings", "opportunities")

View = Callable[..., HttpResponse]
P = ParamSpec("P")
R = TypeVar("R")


def _version_key(topic: str) -> str:
    return f"{VERSION_PREFIX}{topic}"


def _new_version() -> str:
    # Random, never a counter: a version lost from the cache comes back as a new value, so a
    # page kept from before can never match it again.
    return uuid.uuid4().hex[:16]


def _bump(topics: tuple[str, ...]) -> None:
    try:
        cache.set_many({_version_key(topic): _new_version() for topic in topics}, timeout=None)
    except Exception:  # the cache is down: nothing is served from it either
        logger.warning("page cache: could not bump %s", ", ".join(topics), exc_info=True)


# Called with the topics once a change is committed: what else follows the public pages
# (the search index registers here, so that no app has to know it exists).
_topic_listeners: list[Callable[[tuple[str, ...]], None]] = []


def topics_changed_listen(listener: Callable[[tuple[str, ...]], None]) -> None:
    """Call `listener(topics)` after every committed change of public content."""
    if listener not in _topic_listeners:
        _topic_listeners.append(listener)


def _tell_listeners(topics: tuple[str, ...]) -> None:
    for listener in _topic_listeners:
        try:
            listener(topics)
        except Exception:  # a listener never breaks the write that was committed
            logger.exception("page cache: listener %r failed for %s", listener, topics)


def _committed(topics: tuple[str, ...]) -> None:
    _bump(topics)
    _tell_listeners(topics)


def cache_version_bump(*topics: str) -> None:
    """What the public pages of these topics show has changed: they are rendered again.

    Called by the services that write. It bumps at once (the writer's next page is fresh,
    tests see it) and again after the transaction commits, so that a page rendered by
    another process from the data before the commit is not kept under the new version.
    The listeners (`topics_changed_listen`) hear of it once, after the commit.
    """
    _bump(topics)
    if transaction.get_connection().in_atomic_block:

        def after_commit() -> None:  # a closure (named in this function, as tests read it)
            _committed(topics)

        transaction.on_commit(after_commit)
    else:
        _tell_listeners(topics)


def bumps_cache_version(*topics: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A service that changes what the public pages of these topics show:
    `cache_version_bump(*topics)` once it has returned (a failed write bumps nothing)."""

    def decorator(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            result = service(*args, **kwargs)
            cache_version_bump(*topics)
            return result

        return wrapped

    return decorator


def page_cache_enabled() -> bool:
    return bool(settings.PUBLIC_PAGE_CACHE_SECONDS)


def _cacheable_request(request: HttpRequest, *, for_everyone: bool = False) -> bool:
    if request.method != "GET" or not page_cache_enabled():
        return False
    if for_everyone:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # signed in, or an anonymous session that may hold something of theirs
    if request.user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and len(storage))


def _page_key(request: HttpRequest) -> str:
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    return f"{PAGE_PREFIX}{get_language()}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a CSRF token was put in the page
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {field.strip().lower() for field in cc_delim_re.split(response.get("Vary", ""))}
    if vary - ALLOWED_VARY - {""}:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage._queued_messages or storage.used):
        return False
    return CSRF_FIELD not in response.content


def _current_versions(found: dict[str, Any], keys: list[str]) -> tuple[str, ...]:
    missing = [key for key in keys if key not in found]
    if missing:
        # First use, or evicted: a new random version (`add`: the first process wins).
        for key in missing:
            cache.add(key, _new_version(), timeout=None)
        found = {**found, **cache.get_many(missing)}
    return tuple(str(found.get(key, "")) for key in keys)


def cached_fragment(
    name: str, *, depends: Iterable[str], build: Callable[[], str], timeout: int | None = None
) -> str:
    """A piece of a page that is the same for everybody (a section, a list of cards), kept
    per language under the versions of what it shows: signed-in pages use it too.
    `build` renders it; one `get_many` reads it with the versions."""
    keys = [_version_key(topic) for topic in sorted(set(depends))]
    key = f"{PAGE_PREFIX}fragment:{name}:{get_language()}"
    if len(key) > 200:  # a name built from a page's address: memcached-safe length
        key = f"{PAGE_PREFIX}fragment:{hashlib.sha256(key.encode()).hexdigest()}"
    try:
        found = cache.get_many([key, *keys])
        versions = _current_versions(found, keys)
    except Exception:
        logger.warning("page cache: unavailable", exc_info=True)
        return build()
    entry = found.get(key)
    if entry is not None and entry["versions"] == versions:
        return entry["html"]
    html = str(build())
    seconds = timeout or settings.PUBLIC_PAGE_CACHE_SECONDS
    if html.count(CSRF_FIELD.decode()) > html.count(CSRF_PLACEHOLDER):
        # A form bound to one visitor: it must stay out of the shared cache.
        logger.error("page cache: fragment %s holds a CSRF token, not kept", name)
        return html
    if seconds:
        try:
            cache.set(key, {"versions": versions, "html": html}, seconds)
        except Exception:
            logger.warning("page cache: could not keep %s", name, exc_info=True)
    return html


def _response_from(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def public_page_cache(
    *, depends: Iterable[str], timeout: int | None = None, for_everyone: bool = False
) -> Callable:
    """Serve this view's page to anonymous visitors from the shared cache.

    `depends`: the topics whose changes the page shows (each bumped by its services).
    `timeout`: the longest a page is kept, for what changes with time alone (an edition
    becoming past); PUBLIC_PAGE_CACHE_SECONDS by default.
    `for_everyone`: signed-in people get the same response too, for data that never
    depends on who asks (a map's points as JSON): the view must not read `request.user`.
    """
    topics = tuple(sorted(set(depends)))
    keys = [_version_key(topic) for topic in topics]

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request, for_everyone=for_everyone):
                return view(request, *args, **kwargs)
            page_key = _page_key(request)
            try:
                found = cache.get_many([page_key, *keys])
                versions = _current_versions(found, keys)
            except Exception:
                logger.warning("page cache: unavailable", exc_info=True)
                return view(request, *args, **kwargs)
            entry = found.get(page_key)
            if entry is not None and entry["versions"] == versions:
                return _response_from(entry)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                headers = [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in {"set-cookie", "vary"}
                ]
                entry = {
                    "versions": versions,
                    "status": response.status_code,
                    "content": response.content,
                    "headers": headers,
                }
                seconds = timeout or settings.PUBLIC_PAGE_CACHE_SECONDS
                try:
                    cache.set(page_key, entry, seconds)
                except Exception:
                    logger.warning("page cache: could not keep %s", request.path, exc_info=True)
            return response

        return wrapped

    return decorator


def deferred(build: Callable[[], dict[str, Any]], *names: str) -> dict[str, Callable[[], Any]]:
    """Context entries the template reads only when it renders them: `build()` runs once,
    at the first one asked for, and not at all when the page's shared fragment comes from
    the cache (`{% shared_fragment %}`: a signed-in visitor's list page then reads neither
    its filters nor its rows). Django templates call a callable they find in the context.

        return render(request, "x.html", {**deferred(listed, "filters", "page"), ...})
    """
    once = functools.cache(build)

    def entry(name: str) -> Callable[[], Any]:
        return lambda: once()[name]

    return {name: entry(name) for name in names}
