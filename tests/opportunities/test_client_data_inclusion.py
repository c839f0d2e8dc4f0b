"""The data·inclusion API adapter against a real local HTTP server speaking its format."""

import json
import math

import pytest

from quartiers40.opportunities.clients.data_inclusion import (
    ApiStatus,
    services_pages,
    services_search,
)
from tests.opportunities.importers.conftest import DI_SERVICES
from tests.territories.conftest import Response, http_server  # noqa: F401

SERVICES = json.loads(DI_SERVICES.read_text())["items"]


def paged(items, *, token="secret"):  # noqa: S107
    """A handler answering `{"items", "total", "page", "size", "pages"}` like the API."""

    def handler(request):
        if request.headers.get("authorization") != f"Bearer {token}":
            return Response(401, b'{"detail": "Not authenticated"}')
        page = int(request.query.get("page", ["1"])[0])
        size = int(request.query.get("size", ["100"])[0])
        chunk = items[(page - 1) * size : page * size]
        body = {
            "items": [{"service": item, "distance": 120} for item in chunk],
            "total": len(items),
            "page": page,
            "size": size,
            "pages": max(1, math.ceil(len(items) / size)),
        }
        return Response(body=json.dumps(body).encode())

    return handler


@pytest.fixture
def api(http_server, settings):  # noqa: F811
    settings.DATA_INCLUSION_API_ENABLED = True
    settings.DATA_INCLUSION_API_URL = http_server.url("/di")
    settings.DATA_INCLUSION_API_TOKEN = "secret"
    settings.DATA_INCLUSION_API_RETRY_BACKOFF = 0
    settings.DATA_INCLUSION_API_TIMEOUT = 0.5
    return http_server


def test_off_by_default(settings):
    assert not settings.DATA_INCLUSION_API_ENABLED
    assert services_search(code_commune="93066").status == ApiStatus.DISABLED


def test_reads_every_page_with_the_token_and_filters(api):
    api.route("GET", "/di/api/v1/search/services", paged(SERVICES))
    result = services_search(
        code_commune="93066",
        thematiques=["numerique--acquerir-un-equipement"],
        sources=["dora"],
        size=3,
    )
    assert result.ok and result.complete
    assert result.pages_read == 3 and result.total == 7
    assert [r.service["id"] for r in result.records] == [s["id"] for s in SERVICES]
    assert result.records[0].distance == 120
    first = api.requests[0]
    assert first.query["code_commune"] == ["93066"]
    assert first.query["thematiques"] == ["numerique--acquerir-un-equipement"]
    assert first.query["sources"] == ["dora"]
    assert [r.query["page"] for r in api.requests] == [["1"], ["2"], ["3"]]


def test_a_refused_token_is_said_and_not_retried(api, settings):
    api.route("GET", "/di/api/v1/search/services", paged(SERVICES))
    settings.DATA_INCLUSION_API_TOKEN = "wrong"
    result = services_search(code_commune="93066")
    assert result.status == ApiStatus.UNAUTHORIZED and not result.records
    assert len(api.requests) == 1


def test_a_server_error_is_retried_then_unavailable(api):
    api.route("GET", "/di/api/v1/search/services", lambda request: Response(500, b"boom"))
    result = services_search(code_commune="93066")
    assert result.status == ApiStatus.UNAVAILABLE and result.error == "HTTP 500"
    assert len(api.requests) == 3  # one try and two retries


def test_a_failure_on_a_later_page_keeps_what_was_read_but_is_not_complete(api):
    good = paged(SERVICES)

    def handler(request):
        if request.query["page"] == ["2"]:
            return Response(503, b"")
        return good(request)

    api.route("GET", "/di/api/v1/search/services", handler)
    pages = list(services_pages(code_commune="93066", size=3))
    assert [page.status for page in pages] == [ApiStatus.OK, ApiStatus.UNAVAILABLE]
    result = services_search(code_commune="93066", size=3)
    assert result.status == ApiStatus.UNAVAILABLE and len(result.records) == 3


def test_a_slow_answer_beyond_the_timeout(api, settings):
    settings.DATA_INCLUSION_API_RETRIES = 0
    api.route(
        "GET",
        "/di/api/v1/search/services",
        lambda request: Response(body=b'{"items": []}', delay=2),
    )
    result = services_search(code_commune="93066")
    assert result.status == ApiStatus.UNAVAILABLE and "timeout" in result.error


def test_an_unexpected_answer(api):
    api.route("GET", "/di/api/v1/search/services", lambda request: Response(body=b"[1, 2]"))
    assert services_search().status == ApiStatus.UNAVAILABLE
    api.route("GET", "/di/api/v1/search/services", lambda request: Response(body=b"not json"))
    assert services_search().error == "unreadable answer"
