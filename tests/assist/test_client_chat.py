"""The chat adapter against a real local HTTP server speaking the chat-completions format."""

import json
import time

import pytest

from quartiers40.assist.clients.chat import (
    ChatBadAnswer,
    ChatDisabled,
    ChatRefused,
    ChatTimeout,
    ChatUnavailable,
    chat_complete,
    chat_enabled,
)

from .conftest import KEY, MODEL, Answer, completion, openai_error

MESSAGES = [{"role": "user", "content": "Résume : un atelier d'initiation à l'IA."}]


def test_off_by_default(settings):
    settings.ASSIST_ENABLED = False
    assert not chat_enabled()
    with pytest.raises(ChatDisabled):
        chat_complete(MESSAGES)


def test_a_disabled_adapter_sends_nothing(chat_api, settings):
    settings.ASSIST_ENABLED = False
    with pytest.raises(ChatDisabled):
        chat_complete(MESSAGES)
    assert chat_api.seen == []


def test_the_answer_its_model_and_usage(chat_api):
    chat_api.then(completion("Un atelier pour découvrir l'IA.", model="albert-large-2025"))
    result = chat_complete(MESSAGES, temperature=0.1, max_tokens=120)
    assert result.text == "Un atelier pour découvrir l'IA."
    assert result.model == "albert-large-2025"  # the model that answered, not the one asked
    assert (result.prompt_tokens, result.completion_tokens) == (42, 17)
    request = chat_api.seen[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.body == {
        "model": MODEL,
        "messages": MESSAGES,
        "temperature": 0.1,
        "max_tokens": 120,
    }


def test_a_429_is_retried_after_its_retry_after(chat_api):
    chat_api.then(
        Answer(429, b'{"detail": "Rate limit exceeded"}', headers={"Retry-After": "0.3"}),
    )
    started = time.monotonic()
    result = chat_complete(MESSAGES)
    assert time.monotonic() - started >= 0.3
    assert result.text
    assert len(chat_api.seen) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_is_retried_with_backoff(chat_api, status):
    chat_api.then(openai_error(status, "The server had an error.", "server_error"))
    assert chat_complete(MESSAGES).text
    assert len(chat_api.seen) == 2


def test_retries_stop_after_the_limit(chat_api, settings):
    settings.ASSIST_MAX_RETRIES = 2
    chat_api.then(*[openai_error(503, "Overloaded.", "server_error")] * 3)
    with pytest.raises(ChatUnavailable) as raised:
        chat_complete(MESSAGES)
    assert raised.value.status == 503
    assert "Overloaded." in raised.value.reason
    assert len(chat_api.seen) == 3


def test_the_backoff_grows_and_is_capped(chat_api, settings):
    settings.ASSIST_RETRY_BACKOFF = 0.1
    settings.ASSIST_RETRY_MAX_WAIT = 0.15
    chat_api.then(*[Answer(500, b"{}")] * 2)
    started = time.monotonic()
    assert chat_complete(MESSAGES).text
    elapsed = time.monotonic() - started
    assert 0.25 <= elapsed < 1.5  # 0.1 then 0.15 (0.2 capped)
    assert len(chat_api.seen) == 3


def test_a_retry_after_longer_than_the_time_left_fails_at_once(chat_api):
    chat_api.then(Answer(429, b'{"detail": "Rate limit exceeded"}', headers={"Retry-After": "60"}))
    started = time.monotonic()
    with pytest.raises(ChatUnavailable) as raised:
        chat_complete(MESSAGES)
    assert time.monotonic() - started < 1
    assert raised.value.status == 429
    assert len(chat_api.seen) == 1


def test_a_wrong_key_is_refused_without_retry(chat_api, settings):
    settings.ASSIST_API_KEY = "wrong"
    with pytest.raises(ChatRefused) as raised:
        chat_complete(MESSAGES)
    assert raised.value.status == 401
    assert "Incorrect API key provided." in raised.value.reason
    assert len(chat_api.seen) == 1


def test_a_fastapi_validation_error_is_read(chat_api):
    with pytest.raises(ChatRefused) as raised:
        chat_complete([])
    assert raised.value.status == 422
    assert "Field required" in raised.value.reason


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad gateway</html>",
        b'{"choices": []}',
        b'{"choices": [{"message": {"role": "assistant", "content": ""}}]}',
        b'{"choices": [{"message": {"role": "assistant"}}]}',
        b'{"object": "error"}',
        b"[1, 2]",
    ],
)
def test_a_malformed_answer(chat_api, body):
    chat_api.then(Answer(200, body))
    with pytest.raises(ChatBadAnswer):
        chat_complete(MESSAGES)


def test_a_missing_model_in_the_answer_is_the_one_asked(chat_api):
    body = json.loads(completion("Texte.").body)
    del body["model"]
    chat_api.then(Answer(body=json.dumps(body).encode()))
    assert chat_complete(MESSAGES).model == MODEL


def test_a_slow_answer_times_out_within_the_timeout(chat_api, settings):
    settings.ASSIST_TIMEOUT_SECONDS = 0.5
    chat_api.then(Answer(delay=5, body=completion("Trop tard.").body))
    started = time.monotonic()
    with pytest.raises(ChatTimeout):
        chat_complete(MESSAGES)
    assert time.monotonic() - started < 1.2


def test_retries_never_make_a_call_longer_than_the_timeout(chat_api, settings):
    settings.ASSIST_TIMEOUT_SECONDS = 0.8
    settings.ASSIST_RETRY_BACKOFF = 0.3
    chat_api.then(
        Answer(503, b"{}"),
        Answer(delay=5, body=completion("Trop tard.").body),
    )
    started = time.monotonic()
    with pytest.raises((ChatTimeout, ChatUnavailable)):
        chat_complete(MESSAGES)
    assert time.monotonic() - started < 1.4


def test_an_unreachable_server(settings):
    settings.ASSIST_ENABLED = True
    settings.ASSIST_BASE_URL = "http://127.0.0.1:9/v1"
    with pytest.raises(ChatUnavailable):
        chat_complete(MESSAGES, timeout=1)
