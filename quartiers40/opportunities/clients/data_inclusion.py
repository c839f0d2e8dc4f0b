"""The data·inclusion API v1: the services of the French inclusion ecosystem.

`GET {DATA_INCLUSION_API_URL}/api/v1/search/services` with a bearer token
(`Authorization: Bearer <DATA_INCLUSION_API_TOKEN>`), filters `code_commune`,
`thematiques`, `sources` (repeated), pagination `page` (from 1) and `size`; it answers
`{"items": [...], "total", "page", "size", "pages"}`. A search item is either the service
itself or `{"service": {...}, "distance": ...}`; a service may carry its structure nested
(`"structure": {...}`).

Off by default (`DATA_INCLUSION_API_ENABLED`). Callers never get an exception: a timeout,
a network error, a refused token or a server error gives a result whose status says so.
"""

import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "Quartiers40/1.0 (+https://quartiers40.fr)"


def _setting(name: str, default):
    return getattr(settings, name, default)


class DataInclusionConf:
    """Read at call time, so `override_settings` and the environment both work."""

    @property
    def ENABLED(self) -> bool:
        return bool(_setting("DATA_INCLUSION_API_ENABLED", False))

    @property
    def URL(self) -> str:
        return str(_setting("DATA_INCLUSION_API_URL", "https://api.data.inclusion.gouv.fr")).rstrip(
            "/"
        )

    @property
    def TOKEN(self) -> str:
        return str(_setting("DATA_INCLUSION_API_TOKEN", ""))

    @property
    def TIMEOUT(self) -> float:
        return float(_setting("DATA_INCLUSION_API_TIMEOUT", 10.0))

    @property
    def PAGE_SIZE(self) -> int:
        return max(1, int(_setting("DATA_INCLUSION_API_PAGE_SIZE", 1000)))

    @property
    def MAX_PAGES(self) -> int:
        """Per query: a ceiling, so one commune never reads forever."""
        return max(1, int(_setting("DATA_INCLUSION_API_MAX_PAGES", 50)))

    @property
    def RETRIES(self) -> int:
        return max(0, int(_setting("DATA_INCLUSION_API_RETRIES", 2)))

    @property
    def RETRY_BACKOFF(self) -> float:
        return float(_setting("DATA_INCLUSION_API_RETRY_BACKOFF", 1.0))

    @property
    def MAX_RESPONSE_BYTES(self) -> int:
        return int(_setting("DATA_INCLUSION_API_MAX_RESPONSE_BYTES", 50 * 1024 * 1024))


conf = DataInclusionConf()


class ApiStatus(StrEnum):
    OK = "ok"
    DISABLED = "disabled"
    UNAUTHORIZED = "unauthorized"  # 401 / 403: the token is missing, wrong or expired
    UNAVAILABLE = "unavailable"  # timeout, network, 5xx after the retries, unreadable answer


@dataclass(frozen=True)
class ServiceRecord:
    """One service of the answer, as the API gives it, and its structure when nested."""

    service: dict[str, Any]
    structure: dict[str, Any] | None = None
    distance: float | None = None


@dataclass
class SearchResult:
    status: ApiStatus
    records: list[ServiceRecord] = field(default_factory=list)
    total: int = 0
    pages_read: int = 0
    complete: bool = False  # every page was read
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == ApiStatus.OK


def _record(item: Any) -> ServiceRecord | None:
    if not isinstance(item, dict):
        return None
    service = item.get("service") if isinstance(item.get("service"), dict) else item
    structure = service.get("structure") if isinstance(service.get("structure"), dict) else None
    distance = item.get("distance") if isinstance(item.get("distance"), int | float) else None
    return ServiceRecord(service=service, structure=structure, distance=distance)


def _get(
    client: httpx.Client, url: str, params: list[tuple[str, str]]
) -> tuple[Any, ApiStatus, str]:
    """(json, OK, "") or (None, status, why), after the retries."""
    error, status = "", ApiStatus.UNAVAILABLE
    for attempt in range(1 + conf.RETRIES):
        if attempt:
            time.sleep(conf.RETRY_BACKOFF * 2 ** (attempt - 1))
        try:
            with client.stream("GET", url, params=params) as response:
                if response.status_code in {401, 403}:
                    return None, ApiStatus.UNAUTHORIZED, f"HTTP {response.status_code}"
                if response.status_code in RETRY_STATUSES:
                    error = f"HTTP {response.status_code}"
                    continue
                if response.is_error:
                    return None, ApiStatus.UNAVAILABLE, f"HTTP {response.status_code}"
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > conf.MAX_RESPONSE_BYTES:
                        return None, ApiStatus.UNAVAILABLE, "answer too large"
        except httpx.TimeoutException:
            error = f"timeout after {conf.TIMEOUT} s"
            continue
        except httpx.HTTPError as exc:
            error = f"network error: {exc}"
            continue
        try:
            return json.loads(bytes(body)), ApiStatus.OK, ""
        except ValueError:
            return None, ApiStatus.UNAVAILABLE, "unreadable answer"
    return None, status, error


def services_pages(
    *,
    code_commune: str = "",
    thematiques: Sequence[str] = (),
    sources: Sequence[str] = (),
    size: int | None = None,
    max_pages: int | None = None,
) -> Iterator[SearchResult]:
    """Each page of `/api/v1/search/services` as a result; stops at the first failure."""
    if not conf.ENABLED:
        yield SearchResult(status=ApiStatus.DISABLED, error="disabled")
        return
    url = f"{conf.URL}/api/v1/search/services"
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if conf.TOKEN:
        headers["Authorization"] = f"Bearer {conf.TOKEN}"
    size = size or conf.PAGE_SIZE
    limit = max_pages or conf.MAX_PAGES
    base: list[tuple[str, str]] = []
    if code_commune:
        base.append(("code_commune", code_commune))
    base += [("thematiques", value) for value in thematiques]
    base += [("sources", value) for value in sources]
    with httpx.Client(timeout=conf.TIMEOUT, headers=headers) as client:
        page = 1
        while page <= limit:
            data, status, error = _get(
                client, url, [*base, ("page", str(page)), ("size", str(size))]
            )
            if status != ApiStatus.OK:
                logger.warning("data·inclusion API %s (page %s): %s", status, page, error)
                yield SearchResult(status=status, error=error, pages_read=page - 1)
                return
            if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                yield SearchResult(
                    status=ApiStatus.UNAVAILABLE, error="unexpected answer", pages_read=page - 1
                )
                return
            records = [record for item in data["items"] if (record := _record(item))]
            pages = int(data.get("pages") or 1)
            yield SearchResult(
                status=ApiStatus.OK,
                records=records,
                total=int(data.get("total") or len(records)),
                pages_read=page,
                complete=page >= pages,
            )
            if page >= pages or not data["items"]:
                return
            page += 1


def services_search(**filters: Any) -> SearchResult:
    """Every page at once (bounded by `DATA_INCLUSION_API_MAX_PAGES`)."""
    result = SearchResult(status=ApiStatus.OK)
    for page in services_pages(**filters):
        if page.status != ApiStatus.OK:
            page.records = result.records + page.records
            return page
        result.records.extend(page.records)
        result.total, result.pages_read, result.complete = (
            page.total,
            page.pages_read,
            page.complete,
        )
    return result
