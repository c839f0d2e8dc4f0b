"""Shared fixtures of the territories tests: the QPV data files and a real HTTP server."""

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import translation

from quartiers40.territories.layer import qpv_layer_read
from quartiers40.territories.lookup import QPVIndex, qpv_index_invalidate

REPO_ROOT = Path(__file__).resolve().parents[2]
_FALLBACK_DATA_DIR = (REPO_ROOT / ".." / "shared" / "data" / "qpv").resolve()


def _national_file() -> Path:
    """The complete layer: QPV_SOURCE (the Makefile sets it), else ../shared/data/qpv."""
    source = os.environ.get("QPV_SOURCE", "")
    if source and Path(source).is_file():
        return Path(source)
    return _FALLBACK_DATA_DIR / "qpv2024_national_4dp.geojson"


def _data_file(name: str) -> Path:
    beside = _national_file().parent / name
    return beside if beside.is_file() else _FALLBACK_DATA_DIR / name


NATIONAL_FILE = _national_file()
SAMPLE_FILE = _data_file("qpv2024_sample.geojson")
TESTPOINTS_FILE = _data_file("qpv2024_sample_testpoints.geojson")


@pytest.fixture(autouse=True)
def _french():
    """Messages are asserted in French, whatever language a previous test left active."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _index_files_in_a_temporary_directory(settings, tmp_path_factory):
    """The saved lookup index (`QPV_INDEX_CACHE_DIR`) goes to this session's directory."""
    settings.QPV_INDEX_CACHE_DIR = str(tmp_path_factory.getbasetemp() / "qpv-index")


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    """Each test's database starts empty: no index may survive from a previous test."""
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


@pytest.fixture(scope="session")
def national_layer():
    return qpv_layer_read(NATIONAL_FILE)


@pytest.fixture(scope="session")
def national_index(national_layer):
    return QPVIndex(
        national_layer.codes,
        [feature.name for feature in national_layer.features],
        national_layer.geometries,
    )


@pytest.fixture(scope="session")
def sample_layer():
    return qpv_layer_read(SAMPLE_FILE)


@pytest.fixture(scope="session")
def testpoints():
    collection = json.loads(TESTPOINTS_FILE.read_text())
    return [
        (*feature["geometry"]["coordinates"], feature["properties"]["expected_code_qp"])
        for feature in collection["features"]
    ]


CRS84 = "urn:ogc:def:crs:OGC:1.3:CRS84"


def feature_collection(features: list[dict], *, crs: str | None = CRS84) -> dict:
    collection: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    return collection


def qpv_feature(code: str, name: str, coordinates: list, **properties) -> dict:
    """A feature of the national-copy schema; `coordinates` are a Polygon's rings."""
    return {
        "type": "Feature",
        "properties": {"code_qp": code, "lib_qp": name, "insee_com": "75056", **properties},
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }


def square(lon: float, lat: float, size: float) -> list:
    east, north = lon + size, lat + size
    return [[[lon, lat], [east, lat], [east, north], [lon, north], [lon, lat]]]


@pytest.fixture
def write_layer(tmp_path):
    """write_layer(features, name=..., crs=...) -> the path of a GeoJSON file."""

    def write(features: list[dict], *, name: str = "layer.geojson", crs: str | None = CRS84):
        path = tmp_path / name
        path.write_text(json.dumps(feature_collection(features, crs=crs)))
        return path

    return write


# --- A real HTTP server on 127.0.0.1 ---------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0  # seconds to wait before answering (a slow server)


Handler = Callable[[Request], Response]


@dataclass
class LocalServer:
    base_url: str = ""
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def url(self, path: str) -> str:
        return self.base_url + path


class _RequestHandler(BaseHTTPRequestHandler):
    server_state: LocalServer

    def log_message(self, format, *args):  # keep the test output clean
        pass

    def _dispatch(self):
        state = self.server.state  # type: ignore[attr-defined]
        parsed = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=parsed.path,
            query=parse_qs(parsed.query),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        state.requests.append(request)
        handler = state.routes.get((self.command, parsed.path))
        response = handler(request) if handler else Response(404, b'{"message": "not found"}')
        if response.delay:
            state.release.wait(response.delay)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = _dispatch
    do_POST = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout) is expected in these tests


@pytest.fixture
def http_server():
    state = LocalServer()
    server = _Server(("127.0.0.1", 0), _RequestHandler)
    server.state = state  # type: ignore[attr-defined]
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
