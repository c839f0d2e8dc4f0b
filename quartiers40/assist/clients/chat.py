"""Chat completions from an OpenAI-compatible API (Albert, the State's LLM API, by default).

`POST {ASSIST_BASE_URL}/chat/completions` (the URL ends with the version, e.g.
https://albert.api.etalab.gouv.fr/v1) with `Authorization: Bearer <ASSIST_API_KEY>` and the
body `{"model", "messages": [{"role", "content"}], "temperature", "max_tokens"}`; it answers
`{"id", "object": "chat.completion", "model", "choices": [{"index", "message": {"role",
"content"}, "finish_reason"}], "usage": {"prompt_tokens", "completion_tokens",
"total_tokens"}}`. Errors come as OpenAI's `{"error": {"message", "type", "code"}}` or, from
Albert (FastAPI), `{"detail": ...}` (read as the embeddings adapter reads them).

One call never takes longer than `timeout` seconds in all (ASSIST_TIMEOUT_SECONDS by
default), retries included: a person may be waiting for the page. 429, 500, 502, 503 and 504
are retried, honouring Retry-After (seconds or an HTTP date), else after a capped
exponential backoff, as long as the wait and a new attempt fit in what is left. Every
failure raises a `ChatError` subclass; the callers fall back to "no draft this time".

Texts are sent as given: the callers redact them first (`assist/redaction.py`).
"""

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from quartiers40.core.clients.openai_format import error_message, retry_after_seconds

logger = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
CONNECT_TIMEOUT = 2.0
USER_AGENT = "Quartiers40/1.0 (+https://quartiers40.fr)"
MIN_ATTEMPT_SECONDS = 0.2  # no new attempt with less time than this left


class ChatError(Exception):
    """No answer this time; `reason` says why (for logs), `status` is the HTTP status if any."""

    def __init__(self, reason: str, *, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


class ChatDisabled(ChatError):
    """ASSIST_ENABLED is off or no base URL is set."""


class ChatTimeout(ChatError):
    """The answer did not come within the timeout (retries included)."""


class ChatRefused(ChatError):
    """A 4xx the server will not change its mind about (a wrong key: 401, 403, 422…)."""


class ChatUnavailable(ChatError):
    """429 or 5xx still after the retries, or the network failed."""


class ChatBadAnswer(ChatError):
    """An answer that is not the chat-completions format (not JSON, no choices, no text)."""


@dataclass(frozen=True)
class ChatResult:
    text: str
    model: str  # the model that answered, as the server names it
    prompt_tokens: int = 0
    completion_tokens: int = 0


def _setting(name: str, default):
    return getattr(settings, name, default)


def chat_enabled() -> bool:
    return bool(_setting("ASSIST_ENABLED", False)) and bool(_base_url())


def _base_url() -> str:
    return str(_setting("ASSIST_BASE_URL", "") or "").strip().rstrip("/")


def chat_complete(
    messages: list[dict[str, str]],
    *,
    temperature: float = 0.2,
    max_tokens: int = 600,
    timeout: float | None = None,
) -> ChatResult:
    """The model's answer to `messages` (already redacted), within `timeout` seconds."""
    if not chat_enabled():
        raise ChatDisabled("disabled")
    total = float(timeout if timeout is not None else _setting("ASSIST_TIMEOUT_SECONDS", 8.0))
    deadline = time.monotonic() + total
    model = str(_setting("ASSIST_MODEL", "albert-large"))
    payload = {
        "model": model,
        "messages": messages,
        "temperature": temperature,
        "max_tokens": max_tokens,
    }
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    key = str(_setting("ASSIST_API_KEY", "") or "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    retries = max(0, int(_setting("ASSIST_MAX_RETRIES", 2)))
    backoff = float(_setting("ASSIST_RETRY_BACKOFF", 0.5))
    backoff_cap = float(_setting("ASSIST_RETRY_MAX_WAIT", 4.0))
    url = f"{_base_url()}/chat/completions"
    started = time.monotonic()
    with httpx.Client(headers=headers) as client:
        for attempt in range(retries + 1):
            left = deadline - time.monotonic()
            if left < MIN_ATTEMPT_SECONDS:
                raise _failure(ChatTimeout, f"no time left after {attempt} attempt(s)")
            try:
                response = client.post(
                    url,
                    json=payload,
                    timeout=httpx.Timeout(left, connect=min(CONNECT_TIMEOUT, left)),
                )
            except httpx.TimeoutException as exc:
                raise _failure(ChatTimeout, f"timeout after {total} s") from exc
            except httpx.HTTPError as exc:
                raise _failure(ChatUnavailable, f"network error: {exc}") from exc
            if response.status_code in RETRY_STATUSES:
                wait = retry_after_seconds(
                    response, default=min(backoff_cap, backoff * (2**attempt))
                )
                left = deadline - time.monotonic()
                if attempt < retries and wait <= backoff_cap and wait + MIN_ATTEMPT_SECONDS < left:
                    logger.info("Chat API HTTP %s: retry in %.1f s", response.status_code, wait)
                    time.sleep(wait)
                    continue
                raise _failure(
                    ChatUnavailable,
                    f"HTTP {response.status_code}: {error_message(response)}",
                    status=response.status_code,
                )
            if response.is_error:
                raise _failure(
                    ChatRefused,
                    f"HTTP {response.status_code}: {error_message(response)}",
                    status=response.status_code,
                )
            result = _read(response, default_model=model)
            logger.debug(
                "Chat answer from %s in %.0f ms", result.model, (time.monotonic() - started) * 1000
            )
            return result
    raise AssertionError("unreachable")  # pragma: no cover


def _read(response: httpx.Response, *, default_model: str) -> ChatResult:
    try:
        answer: Any = response.json()
    except ValueError as exc:
        raise _failure(ChatBadAnswer, "unreadable answer (not JSON)") from exc
    if not isinstance(answer, dict) or not isinstance(answer.get("choices"), list):
        raise _failure(ChatBadAnswer, "unexpected answer (no choices list)")
    choices = answer["choices"]
    first = choices[0] if choices else None
    message = first.get("message") if isinstance(first, dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str) or not content.strip():
        raise _failure(ChatBadAnswer, "unexpected answer (no text in choices[0].message)")
    usage: dict[str, Any] = answer["usage"] if isinstance(answer.get("usage"), dict) else {}
    model = answer.get("model")
    return ChatResult(
        text=content.strip(),
        model=model if isinstance(model, str) and model else default_model,
        prompt_tokens=_int(usage.get("prompt_tokens")),
        completion_tokens=_int(usage.get("completion_tokens")),
    )


def _int(value: Any) -> int:
    return value if type(value) is int and value >= 0 else 0


def _failure(kind: type[ChatError], reason: str, *, status: int | None = None) -> ChatError:
    logger.warning("Chat API unavailable: %s", reason)
    return kind(reason, status=status)
