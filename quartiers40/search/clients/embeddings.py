"""Text embeddings from an OpenAI-compatible API (Albert, the State's LLM API, by default).

`POST {SEARCH_EMBEDDINGS_URL}/embeddings` (the URL ends with the version, e.g.
https://albert.api.etalab.gouv.fr/v1) with `Authorization: Bearer <SEARCH_EMBEDDINGS_KEY>`
and the body `{"model": ..., "input": [texts], "encoding_format": "float"}`; it answers
`{"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [floats]}],
"model": ..., "usage": {"prompt_tokens", "total_tokens"}}`. Sources: the OpenAI API
reference (CreateEmbeddingRequest / CreateEmbeddingResponse; an input must not be an empty
string, at most 2048 inputs per request) and Albert's own schema
(etalab-ia/albert-api, app/schemas/embeddings.py: `encoding_format` "float" only, the
response is OpenAI's `CreateEmbeddingResponse`). Errors come as OpenAI's
`{"error": {"message", "type", "param", "code"}}` or, from Albert (FastAPI),
`{"detail": "..."}` / `{"detail": [{"loc", "msg", "type"}]}`.

Off unless `SEARCH_EMBEDDINGS_URL` is set. Unlike the geocoder, which returns a status,
`embed_texts` raises `EmbeddingsUnavailable` on every failure (disabled, timeout, network,
HTTP error, unreadable or inconsistent answer): a search falls back to its lexical ranking,
an indexing job keeps the texts for later.

Vectors are L2-normalised, so the cosine of two of them is their dot product. They are
stored as little-endian float16 (`vector_pack`: 2 bytes per dimension, 2 KB for 1024
dimensions) with the standard library only; the same bytes read as `numpy.frombuffer(data,
dtype="<f2")` if ranking many vectors at once ever needs numpy.
"""

import logging
import math
import operator
import struct
import time
from array import array
from collections.abc import Sequence
from typing import Any, Literal

import httpx
from django.conf import settings

from quartiers40.core.clients.openai_format import error_message, retry_after_seconds

logger = logging.getLogger(__name__)

Purpose = Literal["query", "document"]

RETRY_STATUSES = {429, 500, 502, 503, 504}
CONNECT_TIMEOUT = 2.0  # seconds; the read timeout depends on the purpose
MAX_BATCH = 2048  # the OpenAI API refuses more inputs per request
USER_AGENT = "Quartiers40/1.0 (+https://quartiers40.fr)"
VECTOR_DTYPE = "<f2"  # numpy's name for what vector_pack writes


class EmbeddingsUnavailable(Exception):
    """No vectors this time; `reason` says why (for logs), `status` is the HTTP status if any."""

    def __init__(self, reason: str, *, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _setting(name: str, default):
    return getattr(settings, name, default)


class EmbeddingsConf:
    """Read at call time, so `override_settings` and the environment both work."""

    @property
    def URL(self) -> str:
        return str(_setting("SEARCH_EMBEDDINGS_URL", "") or "").strip().rstrip("/")

    @property
    def KEY(self) -> str:
        return str(_setting("SEARCH_EMBEDDINGS_KEY", "") or "")

    @property
    def MODEL(self) -> str:
        return str(_setting("SEARCH_EMBEDDINGS_MODEL", "embeddings-small"))

    @property
    def TIMEOUT(self) -> float:
        """Read timeout of a query's request: a person is waiting for the page."""
        return float(_setting("SEARCH_EMBEDDINGS_TIMEOUT", 3.0))

    @property
    def DOCUMENT_TIMEOUT(self) -> float:
        """Read timeout of an indexing request (a batch of documents, in a job)."""
        return float(_setting("SEARCH_EMBEDDINGS_DOCUMENT_TIMEOUT", 30.0))

    @property
    def BATCH(self) -> int:
        return min(MAX_BATCH, max(1, int(_setting("SEARCH_EMBEDDINGS_BATCH", 64))))

    @property
    def MAX_CHARS(self) -> int:
        """Longer texts are cut (about 512 tokens of French: the smallest common model limit)."""
        return max(1, int(_setting("SEARCH_EMBEDDINGS_MAX_CHARS", 2000)))

    @property
    def DIMENSION(self) -> int:
        """The expected vector length; 0 accepts any (but one per call)."""
        return max(0, int(_setting("SEARCH_EMBEDDINGS_DIMENSION", 0)))

    @property
    def RETRY_MAX_WAIT(self) -> float:
        """The longest Retry-After honoured; a longer one fails at once."""
        return float(_setting("SEARCH_EMBEDDINGS_RETRY_MAX_WAIT", 2.0))

    @property
    def RETRY_BACKOFF(self) -> float:
        """The wait before the retry when the answer gives no Retry-After."""
        return float(_setting("SEARCH_EMBEDDINGS_RETRY_BACKOFF", 0.5))

    @property
    def QUERY_PREFIX(self) -> str:
        """Some models (e5) want "query: " before a query; bge-m3 wants nothing."""
        return str(_setting("SEARCH_EMBEDDINGS_QUERY_PREFIX", ""))

    @property
    def DOCUMENT_PREFIX(self) -> str:
        """... and "passage: " before a document."""
        return str(_setting("SEARCH_EMBEDDINGS_DOCUMENT_PREFIX", ""))


conf = EmbeddingsConf()


def embeddings_enabled() -> bool:
    return bool(conf.URL)


def embed_texts(texts: Sequence[str], *, purpose: Purpose) -> list[list[float]]:
    """One L2-normalised vector per text, in the order of `texts`.

    `purpose` chooses the read timeout (`SEARCH_EMBEDDINGS_TIMEOUT` for a query,
    `SEARCH_EMBEDDINGS_DOCUMENT_TIMEOUT` for documents) and the model prefix. The texts go
    `SEARCH_EMBEDDINGS_BATCH` per request; any failure raises `EmbeddingsUnavailable` and
    gives nothing, even for the batches that succeeded. A blank text is a caller's error
    (`ValueError`): the API refuses empty inputs.
    """
    if purpose not in ("query", "document"):
        raise ValueError(f"purpose must be 'query' or 'document', not {purpose!r}")
    if isinstance(texts, str):
        raise TypeError("embed_texts takes a sequence of texts, not one string")
    if not embeddings_enabled():
        raise EmbeddingsUnavailable("disabled")
    prepared = [_prepare(text, purpose) for text in texts]
    if not prepared:
        return []
    read = conf.TIMEOUT if purpose == "query" else conf.DOCUMENT_TIMEOUT
    timeout = httpx.Timeout(read, connect=min(CONNECT_TIMEOUT, read))
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if conf.KEY:
        headers["Authorization"] = f"Bearer {conf.KEY}"
    dimension = conf.DIMENSION
    vectors: list[list[float]] = []
    started = time.monotonic()
    with httpx.Client(timeout=timeout, headers=headers) as client:
        size = conf.BATCH
        for start in range(0, len(prepared), size):
            batch = prepared[start : start + size]
            answer = _post(client, batch, read_timeout=read)
            for vector in _read_vectors(answer, len(batch)):
                if not dimension:
                    dimension = len(vector)
                elif len(vector) != dimension:
                    raise EmbeddingsUnavailable(
                        f"a vector of {len(vector)} dimensions, {dimension} expected"
                    )
                vectors.append(vector)
    logger.debug(
        "Embedded %s texts (%s) in %.0f ms",
        len(vectors),
        purpose,
        (time.monotonic() - started) * 1000,
    )
    return vectors


def _prepare(text: str, purpose: Purpose) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a text must be a str, not {type(text).__name__}")
    text = " ".join(text.split())
    if not text:
        raise ValueError("a blank text cannot be embedded")
    prefix = conf.QUERY_PREFIX if purpose == "query" else conf.DOCUMENT_PREFIX
    room = max(1, conf.MAX_CHARS - len(prefix))
    if len(text) > room:
        cut = text[:room]
        # End on a whole word when there is one to end on.
        text = cut.rsplit(" ", 1)[0] if " " in cut[room // 2 :] else cut
    return prefix + text


def _post(client: httpx.Client, batch: list[str], *, read_timeout: float) -> Any:
    """The decoded JSON answer, after at most one retry on 429 / 5xx."""
    url = f"{conf.URL}/embeddings"
    payload = {"model": conf.MODEL, "input": batch, "encoding_format": "float"}
    for attempt in range(2):
        try:
            response = client.post(url, json=payload)
        except httpx.TimeoutException as exc:
            raise _failure(f"timeout after {read_timeout} s") from exc
        except httpx.HTTPError as exc:
            raise _failure(f"network error: {exc}") from exc
        if response.status_code in RETRY_STATUSES and attempt == 0:
            wait = _retry_wait(response)
            if wait <= conf.RETRY_MAX_WAIT:
                logger.info("Embeddings API HTTP %s: retry in %.1f s", response.status_code, wait)
                time.sleep(wait)
                continue
            raise _failure(
                f"HTTP {response.status_code}, retry after {wait:.0f} s is too long",
                status=response.status_code,
            )
        if response.is_error:
            raise _failure(
                f"HTTP {response.status_code}: {error_message(response)}",
                status=response.status_code,
            )
        try:
            return response.json()
        except ValueError as exc:
            raise _failure("unreadable answer (not JSON)") from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _retry_wait(response: httpx.Response) -> float:
    return retry_after_seconds(response, default=conf.RETRY_BACKOFF)


def _read_vectors(answer: Any, expected: int) -> list[list[float]]:
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        raise _failure("unexpected answer (no data list)")
    data = answer["data"]
    if len(data) != expected:
        raise _failure(f"{len(data)} vectors for {expected} texts")
    slots: list[list[float] | None] = [None] * expected
    for position, item in enumerate(data):
        if not isinstance(item, dict):
            raise _failure("unexpected answer (an item is not an object)")
        index = item.get("index", position)
        if type(index) is not int or not 0 <= index < expected or slots[index] is not None:
            raise _failure(f"unexpected answer (index {index!r})")
        slots[index] = _normalised(item.get("embedding"))
    return [vector for vector in slots if vector is not None]


def _normalised(embedding: Any) -> list[float]:
    if not isinstance(embedding, list) or not embedding:
        raise _failure("unexpected answer (an embedding is not a list of numbers)")
    if not all(type(value) in (float, int) for value in embedding):
        raise _failure("unexpected answer (an embedding is not a list of numbers)")
    norm = math.sqrt(math.fsum(value * value for value in embedding))
    if not math.isfinite(norm) or norm == 0.0:
        raise _failure("unexpected answer (a zero or non-finite vector)")
    return [value / norm for value in embedding]


def _failure(reason: str, *, status: int | None = None) -> EmbeddingsUnavailable:
    logger.warning("Embeddings unavailable: %s", reason)
    return EmbeddingsUnavailable(reason, status=status)


# --- Storing and comparing vectors --------------------------------------------------------


def vector_pack(vector: Sequence[float]) -> bytes:
    """Little-endian float16, 2 bytes per dimension (about 3 significant digits: enough to
    rank by cosine). For normalised vectors: |values| over 65504 raise OverflowError."""
    return struct.pack(f"<{len(vector)}e", *vector)


def vector_unpack(data: bytes) -> array:
    """The vector `vector_pack` wrote, as an `array("f")`."""
    if len(data) % 2:
        raise ValueError("a packed vector has an even number of bytes")
    return array("f", struct.unpack(f"<{len(data) // 2}e", data))


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """The cosine similarity of two vectors of one length; 0.0 if either is zero."""
    if len(a) != len(b):
        raise ValueError(f"vectors of different lengths ({len(a)} and {len(b)})")
    dot = sum(map(operator.mul, a, b))
    norms = math.sqrt(sum(map(operator.mul, a, a)) * sum(map(operator.mul, b, b)))
    return dot / norms if norms else 0.0
