"""What every adapter of an OpenAI-compatible API (Albert's too) reads the same way.

Shared by the search's embeddings adapter and the assist's chat adapter: how long a 429 /
503 asks to wait (Retry-After, in seconds or as an HTTP date), and the message of an error
answer (OpenAI's `{"error": {"message", "type", "code"}}` or FastAPI's `{"detail": ...}`).
"""

import time
from email.utils import parsedate_to_datetime

import httpx


def retry_after_seconds(response: httpx.Response, *, default: float) -> float:
    """Seconds to wait: Retry-After (seconds or an HTTP date), else `default`."""
    value = (response.headers.get("retry-after") or "").strip()
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, moment.timestamp() - time.time())


def error_message(response: httpx.Response) -> str:
    """The message of OpenAI's `{"error": {...}}` or FastAPI's `{"detail": ...}`."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or "no message"
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            parts = [str(error.get("message") or "").strip()]
            parts += [f"{key}={error[key]}" for key in ("type", "code") if error.get(key)]
            return " ".join(part for part in parts if part) or "no message"
        if isinstance(error, str):
            return error
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list):
            messages = [str(item.get("msg", item)) for item in detail if isinstance(item, dict)]
            return "; ".join(messages) or str(detail)[:200]
    return str(body)[:200]
