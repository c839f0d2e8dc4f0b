"""The embeddings adapter against a real local HTTP server speaking the OpenAI / Albert format.

The territories `http_server` cannot send extra headers (Retry-After), so this module runs
its own small `http.server` on 127.0.0.1.
"""

import hashlib
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from quartiers40.search.clients.embeddings import (
    EmbeddingsUnavailable,
    cosine,
    embed_texts,
    embeddings_enabled,
    vector_pack,
    vector_unpack,
)

KEY = "secret"
DIMENSION = 8


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)


@dataclass
class Seen:
    headers: dict[str, str]
    body: dict


def raw_vector(text: str) -> list[float]:
    """The server's (unnormalised) vector for a text: stable, different per text."""
    digest = hashlib.sha256(text.encode()).digest()
    return [(byte - 127.5) / 10 for byte in digest[:DIMENSION]]


def unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(value * value for value in vector))
    return [value / norm for value in vector]


def openai_error(status: int, message: str, kind: str, code: str | None) -> Answer:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return Answer(status, json.dumps(body).encode())


class FakeEmbeddingsAPI:
    """`POST /v1/embeddings` as Albert answers it; `then(answer)` scripts the next answers."""

    def __init__(self):
        self.seen: list[Seen] = []
        self.scripted: deque[Answer | Callable[[dict], Answer]] = deque()
        self.release = threading.Event()
        self.base_url = ""

    def then(self, *answers: Answer | Callable[[dict], Answer]) -> None:
        self.scripted.extend(answers)

    def answer(self, headers: dict[str, str], raw: bytes) -> Answer:
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        self.seen.append(Seen(headers=headers, body=body))
        if self.scripted:
            scripted = self.scripted.popleft()
            return scripted(body) if callable(scripted) else scripted
        return self.embeddings(headers, body)

    def embeddings(self, headers: dict[str, str], body: dict) -> Answer:
        if headers.get("authorization") != f"Bearer {KEY}":
            return openai_error(
                401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"
            )
        texts = body.get("input")
        if not isinstance(texts, list) or not texts or not all(texts):
            detail = [{"loc": ["body", "input"], "msg": "input must not be empty", "type": "x"}]
            return Answer(422, json.dumps({"detail": detail}).encode())
        data = [
            {"object": "embedding", "index": i, "embedding": raw_vector(text)}
            for i, text in enumerate(texts)
        ]
        data.reverse()  # the order of `data` is not promised: `index` is
        tokens = sum(len(text.split()) for text in texts)
        answer = {
            "object": "list",
            "data": data,
            "model": body.get("model"),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
        return Answer(body=json.dumps(answer).encode())

    def ok_with(self, transform: Callable[[dict], dict]) -> Callable[[dict], Answer]:
        """An answer built from the normal one, changed by `transform`."""

        def build(body: dict) -> Answer:
            normal = json.loads(self.embeddings({"authorization": f"Bearer {KEY}"}, body).body)
            return Answer(body=json.dumps(transform(normal)).encode())

        return build


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the test output clean
        pass

    def do_POST(self):
        api: FakeEmbeddingsAPI = self.server.api  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        if self.path != "/v1/embeddings":
            answer = Answer(404, b'{"detail": "Not Found"}')
        else:
            answer = api.answer(headers, raw)
        if answer.delay:
            api.release.wait(answer.delay)
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout) is expected in these tests


@pytest.fixture
def api(settings):
    fake = FakeEmbeddingsAPI()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = fake  # type: ignore[attr-defined]
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    settings.SEARCH_EMBEDDINGS_URL = fake.base_url
    settings.SEARCH_EMBEDDINGS_KEY = KEY
    settings.SEARCH_EMBEDDINGS_MODEL = "embeddings-small"
    settings.SEARCH_EMBEDDINGS_RETRY_BACKOFF = 0
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_off_without_a_url(settings):
    settings.SEARCH_EMBEDDINGS_URL = ""
    assert not embeddings_enabled()
    with pytest.raises(EmbeddingsUnavailable) as raised:
        embed_texts(["jardin partagé"], purpose="query")
    assert raised.value.reason == "disabled"


def test_a_disabled_adapter_sends_nothing(api, settings):
    settings.SEARCH_EMBEDDINGS_URL = ""
    with pytest.raises(EmbeddingsUnavailable):
        embed_texts(["jardin partagé"], purpose="document")
    assert api.seen == []


def test_texts_go_in_batches_and_come_back_in_order_normalised(api, settings):
    settings.SEARCH_EMBEDDINGS_BATCH = 2
    texts = ["atelier vélo", "jardin partagé", "aide aux devoirs", "repair café", "fresque"]
    assert embeddings_enabled()
    vectors = embed_texts(texts, purpose="document")
    assert [len(request.body["input"]) for request in api.seen] == [2, 2, 1]
    assert [text for request in api.seen for text in request.body["input"]] == texts
    first = api.seen[0]
    assert first.headers["authorization"] == "Bearer secret"
    assert first.body["model"] == "embeddings-small"
    assert first.body["encoding_format"] == "float"
    assert len(vectors) == len(texts)
    for text, vector in zip(texts, vectors, strict=True):
        assert math.isclose(math.sqrt(sum(v * v for v in vector)), 1.0, rel_tol=1e-9)
        assert vector == pytest.approx(unit(raw_vector(text)))


def test_no_text_no_request_and_a_blank_text_is_refused(api):
    assert embed_texts([], purpose="query") == []
    with pytest.raises(ValueError):
        embed_texts(["ok", "  \n "], purpose="document")
    with pytest.raises(TypeError):
        embed_texts("one string", purpose="query")  # type: ignore[arg-type]
    assert api.seen == []


def test_texts_are_cleaned_cut_and_prefixed(api, settings):
    settings.SEARCH_EMBEDDINGS_MAX_CHARS = 50
    settings.SEARCH_EMBEDDINGS_QUERY_PREFIX = "query: "
    settings.SEARCH_EMBEDDINGS_DOCUMENT_PREFIX = "passage: "
    long_text = "un atelier   de réparation\nde vélos " + "ouvert à tous " * 20
    embed_texts([long_text], purpose="document")
    embed_texts(["vélo"], purpose="query")
    sent = api.seen[0].body["input"][0]
    assert sent.startswith("passage: un atelier de réparation de vélos")
    assert len(sent) <= 50 and not sent.endswith(" ")
    assert api.seen[1].body["input"] == ["query: vélo"]


def test_a_refused_key_is_said_and_not_retried(api, settings):
    settings.SEARCH_EMBEDDINGS_KEY = "wrong"
    with pytest.raises(EmbeddingsUnavailable) as raised:
        embed_texts(["vélo"], purpose="query")
    assert raised.value.status == 401
    assert "Incorrect API key provided." in raised.value.reason
    assert "invalid_api_key" in raised.value.reason
    assert len(api.seen) == 1


def test_rate_limited_then_served_after_retry_after(api):
    limited = openai_error(429, "Rate limit reached", "rate_limit_error", "rate_limit_exceeded")
    limited.headers["Retry-After"] = "1"
    api.then(limited)
    started = time.monotonic()
    vectors = embed_texts(["vélo"], purpose="query")
    elapsed = time.monotonic() - started
    assert vectors == [pytest.approx(unit(raw_vector("vélo")))]
    assert len(api.seen) == 2
    assert 0.95 <= elapsed < 2.5


def test_a_retry_after_beyond_the_cap_fails_at_once(api):
    limited = Answer(429, b'{"detail": "Rate limit exceeded: 50 per 1 minute"}')
    limited.headers["Retry-After"] = "60"
    api.then(limited)
    started = time.monotonic()
    with pytest.raises(EmbeddingsUnavailable) as raised:
        embed_texts(["vélo"], purpose="query")
    assert time.monotonic() - started < 1
    assert raised.value.status == 429 and len(api.seen) == 1


def test_a_server_error_twice_is_unavailable(api):
    boom = Answer(500, b'{"detail": "Model embeddings-small is unavailable"}')
    api.then(boom, boom)
    with pytest.raises(EmbeddingsUnavailable) as raised:
        embed_texts(["vélo"], purpose="document")
    assert raised.value.status == 500
    assert raised.value.reason == "HTTP 500: Model embeddings-small is unavailable"
    assert len(api.seen) == 2  # one try, one retry


def test_a_server_error_once_is_retried(api):
    api.then(Answer(503, b"<html>Service Unavailable</html>"))
    assert len(embed_texts(["vélo", "jardin"], purpose="document")) == 2
    assert len(api.seen) == 2


def test_a_slow_answer_beyond_the_timeout_fails_quickly(api, settings):
    settings.SEARCH_EMBEDDINGS_TIMEOUT = 0.3
    api.then(Answer(body=b'{"data": []}', delay=5))
    started = time.monotonic()
    with pytest.raises(EmbeddingsUnavailable) as raised:
        embed_texts(["vélo"], purpose="query")
    assert time.monotonic() - started < 1.5
    assert raised.value.reason.startswith("timeout")
    assert len(api.seen) == 1  # a timeout is not retried: the person is waiting


def test_documents_have_their_own_longer_timeout(api, settings):
    settings.SEARCH_EMBEDDINGS_TIMEOUT = 0.2
    settings.SEARCH_EMBEDDINGS_DOCUMENT_TIMEOUT = 5
    slow = api.ok_with(lambda answer: answer)

    def slowly(body):
        answer = slow(body)
        answer.delay = 0.5
        return answer

    api.then(slowly, slowly)
    with pytest.raises(EmbeddingsUnavailable):
        embed_texts(["vélo"], purpose="query")
    assert len(embed_texts(["vélo"], purpose="document")) == 1


def test_an_unreachable_server_is_unavailable(settings):
    settings.SEARCH_EMBEDDINGS_URL = "http://127.0.0.1:9/v1"  # discard port: refused
    with pytest.raises(EmbeddingsUnavailable) as raised:
        embed_texts(["vélo"], purpose="query")
    assert raised.value.reason.startswith("network error")


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"object": "list"}', b'{"data": "nope"}'],
    ids=["not-json", "a-list", "no-data", "data-not-a-list"],
)
def test_a_malformed_answer_is_unavailable(api, body):
    api.then(Answer(body=body))
    with pytest.raises(EmbeddingsUnavailable):
        embed_texts(["vélo"], purpose="query")


def drop_last(answer: dict) -> dict:
    answer["data"] = answer["data"][:-1]
    return answer


def same_index(answer: dict) -> dict:
    for item in answer["data"]:
        item["index"] = 0
    return answer


def text_values(answer: dict) -> dict:
    answer["data"][0]["embedding"] = ["0.1"] * DIMENSION
    return answer


def zero_vector(answer: dict) -> dict:
    answer["data"][0]["embedding"] = [0.0] * DIMENSION
    return answer


def ragged(answer: dict) -> dict:
    answer["data"][0]["embedding"] = answer["data"][0]["embedding"][:-1]
    return answer


@pytest.mark.parametrize(
    "transform",
    [drop_last, same_index, text_values, zero_vector, ragged],
    ids=["wrong-count", "duplicate-index", "strings", "zero-vector", "ragged-dimensions"],
)
def test_an_inconsistent_answer_is_unavailable(api, transform):
    api.then(api.ok_with(transform))
    with pytest.raises(EmbeddingsUnavailable):
        embed_texts(["vélo", "jardin"], purpose="document")


def test_the_expected_dimension_is_checked(api, settings):
    settings.SEARCH_EMBEDDINGS_DIMENSION = 1024
    with pytest.raises(EmbeddingsUnavailable) as raised:
        embed_texts(["vélo"], purpose="query")
    assert "1024 expected" in raised.value.reason
    settings.SEARCH_EMBEDDINGS_DIMENSION = DIMENSION
    assert len(embed_texts(["vélo"], purpose="query")[0]) == DIMENSION


# --- Storing and comparing ----------------------------------------------------------------


def test_a_vector_packs_in_two_bytes_per_dimension_and_comes_back_close():
    vector = unit([0.3, -0.2, 0.05, 0.9, -0.01, 0.0, 0.4, -0.7])
    packed = vector_pack(vector)
    assert isinstance(packed, bytes) and len(packed) == 2 * len(vector)
    unpacked = vector_unpack(packed)
    assert list(unpacked) == pytest.approx(vector, abs=1e-3)
    assert cosine(unpacked, vector) == pytest.approx(1.0, abs=1e-4)
    with pytest.raises(ValueError):
        vector_unpack(packed[:-1])


def test_the_packed_bytes_are_numpy_float16_little_endian():
    numpy = pytest.importorskip("numpy")
    vector = unit([1.0, 2.0, -3.0, 0.5])
    as_numpy = numpy.frombuffer(vector_pack(vector), dtype="<f2")
    assert as_numpy.tolist() == list(vector_unpack(vector_pack(vector)))


def test_cosine():
    assert cosine([1.0, 0.0], [2.0, 0.0]) == pytest.approx(1.0)
    assert cosine([1.0, 0.0], [0.0, 3.0]) == pytest.approx(0.0)
    assert cosine([1.0, 1.0], [-1.0, -1.0]) == pytest.approx(-1.0)
    assert cosine([0.0, 0.0], [1.0, 0.0]) == 0.0
    with pytest.raises(ValueError):
        cosine([1.0], [1.0, 0.0])
