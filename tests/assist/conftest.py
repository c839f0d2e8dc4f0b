"""A real local HTTP server speaking the chat-completions format (OpenAI's, Albert's)."""

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

KEY = "test-key"
MODEL = "albert-large"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    raw: bytes
    body: dict


def openai_error(status: int, message: str, kind: str, code: str | None = None) -> Answer:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return Answer(status, json.dumps(body).encode())


def completion(text: str, *, model: str = MODEL) -> Answer:
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1765000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 42, "completion_tokens": 17, "total_tokens": 59},
    }
    return Answer(body=json.dumps(body).encode())


class FakeChatAPI:
    """`POST /v1/chat/completions`; `then(answer)` scripts the next answers, `reply` the
    default text (a function of the request body, or a string)."""

    def __init__(self):
        self.seen: list[Seen] = []
        self.scripted: deque[Answer] = deque()
        self.reply: str | Callable[[dict], str] = "Un texte proposé par le modèle."
        self.release = threading.Event()
        self.base_url = ""
        self.lock = threading.Lock()

    def then(self, *answers: Answer) -> None:
        self.scripted.extend(answers)

    @property
    def received(self) -> str:
        """Everything the server received, raw and decoded, to look for what must not be."""
        return "\n".join(
            seen.raw.decode("utf-8", "replace") + "\n" + json.dumps(seen.body, ensure_ascii=False)
            for seen in self.seen
        )

    def answer(self, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        with self.lock:
            self.seen.append(Seen(path=path, headers=headers, raw=raw, body=body))
            scripted = self.scripted.popleft() if self.scripted else None
        if scripted is not None:
            return scripted
        if headers.get("authorization") != f"Bearer {KEY}":
            return openai_error(401, "Incorrect API key provided.", "invalid_request_error")
        if not isinstance(body.get("messages"), list) or not body["messages"]:
            detail = [{"loc": ["body", "messages"], "msg": "Field required", "type": "missing"}]
            return Answer(422, json.dumps({"detail": detail}).encode())
        reply = self.reply(body) if callable(self.reply) else self.reply
        return completion(reply, model=body.get("model") or MODEL)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_POST(self):
        api: FakeChatAPI = self.server.api  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        if self.path != "/v1/chat/completions":
            answer = Answer(404, b'{"detail": "Not Found"}')
        else:
            answer = api.answer(self.path, headers, raw)
        if answer.delay:
            api.release.wait(answer.delay)
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except OSError:
            pass  # the client gave up (timeout)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass


@pytest.fixture
def chat_server():
    """The server alone (the browser test points the live server's settings at it)."""
    fake = FakeChatAPI()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = fake  # type: ignore[attr-defined]
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def chat_api(chat_server, settings):
    """The server, and the settings that turn the AI help on and point it there."""
    settings.ASSIST_ENABLED = True
    settings.ASSIST_BASE_URL = chat_server.base_url
    settings.ASSIST_API_KEY = KEY
    settings.ASSIST_MODEL = MODEL
    settings.ASSIST_TIMEOUT_SECONDS = 3
    settings.ASSIST_RETRY_BACKOFF = 0.01
    settings.ASSIST_DAILY_BUDGET_PER_USER = 5
    settings.ASSIST_DAILY_BUDGET_TOTAL = 50
    return chat_server
