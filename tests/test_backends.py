"""Backends and transport retries, against a real HTTP server on 127.0.0.1 speaking the OpenAI API.

The server answers from a script (500, 429 with Retry-After, a stall past the client's
timeout, a body that is not JSON, a valid completion), and records every request, so the
tests see exactly how many HTTP requests each failure cost and what was sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import BaseModel, ValidationInfo, field_validator

from summarizer.backends.base import BackendError, CompletionSettings, get_backend
from summarizer.backends.openai_compat import _retry_after
from summarizer.backends.structured import StructuredClient
from summarizer.backends.transport import TransportPolicy
from summarizer.cache import ResponseCache

FAST = TransportPolicy(max_retries=3, initial_wait_s=0.01, max_wait_s=0.05, deadline_s=20)
MESSAGES = [{"role": "system", "content": "Answer in JSON."}, {"role": "user", "content": "Which city?"}]


class City(BaseModel):
    city: str

    @field_validator("city")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        allowed = (info.context or {}).get("cities")
        if allowed is not None and value not in allowed:
            raise ValueError(f"{value!r} is not one of {allowed}")
        return value


def completion(content: str) -> dict[str, Any]:
    return {"id": "c1", "object": "chat.completion", "created": 0, "model": "served-model",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16}}


@dataclass
class Reply:
    status: int = 200
    body: bytes | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def ok(content: str = '{"city": "Rzeszow"}') -> Reply:
    return Reply(body=completion(content))


class ScriptedServer:
    """Answers POST /v1/chat/completions from a queue of replies; records the request bodies."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[dict[str, Any]] = []
        self.stop_stalling = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("content-length") or 0)
                server.requests.append(json.loads(self.rfile.read(length) or b"{}"))
                reply = server.replies.pop(0) if server.replies else Reply(status=500, body=b"script exhausted")
                if reply.delay_s:
                    server.stop_stalling.wait(reply.delay_s)
                body = json.dumps(reply.body).encode() if isinstance(reply.body, dict) else reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(body)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: that is the point of a stall

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_stalling.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as s:
        yield s


def client_for(server: ScriptedServer, *, timeout_s: float = 5.0, policy: TransportPolicy = FAST,
               cache: ResponseCache | None = None) -> StructuredClient:
    settings = CompletionSettings(temperature=0.0, seed=1, max_tokens=50, timeout_s=timeout_s)
    return StructuredClient(get_backend("openai:served-model", server.url, settings), settings,
                            cache=cache, transport=policy)


def ask(client: StructuredClient, max_retries: int = 1) -> Any:
    return client.generate(MESSAGES, City, context={"cities": ["Rzeszow", "Krakow"]}, max_retries=max_retries,
                           prompt_id="test@v1")


def test_http_500_is_retried_then_succeeds(server: ScriptedServer) -> None:
    server.replies = [Reply(status=500, body={"error": {"message": "boom"}}), ok()]
    gen = ask(client_for(server))
    assert gen.error is None and gen.value.city == "Rzeszow"
    assert len(server.requests) == 2
    assert gen.record.retries == 1 and gen.record.input_tokens == 11 and gen.record.backend == "openai"


def test_http_429_waits_at_least_retry_after(server: ScriptedServer) -> None:
    server.replies = [Reply(status=429, body={"error": {"message": "slow down"}}, headers={"retry-after": "0.4"}),
                      ok()]
    started = time.monotonic()
    gen = ask(client_for(server))
    elapsed = time.monotonic() - started
    assert gen.error is None and len(server.requests) == 2
    # The backoff alone is at most 0.05 s here: waiting 0.4 s means Retry-After was honoured.
    assert 0.4 <= elapsed < 5


def test_a_stall_past_the_timeout_is_retried(server: ScriptedServer) -> None:
    server.replies = [Reply(delay_s=3.0, body=completion('{"city": "Krakow"}')), ok()]
    started = time.monotonic()
    gen = ask(client_for(server, timeout_s=0.3))
    assert gen.error is None and gen.value.city == "Rzeszow"
    assert len(server.requests) == 2 and time.monotonic() - started < 3.0


def test_a_body_that_is_not_json_is_a_transport_retry_not_a_reask(server: ScriptedServer) -> None:
    server.replies = [Reply(body=b"{not json at all"), ok()]
    gen = ask(client_for(server))
    assert gen.error is None and len(server.requests) == 2
    # Retried as it was: no assistant answer and correction were appended.
    assert server.requests[1]["messages"] == server.requests[0]["messages"]


def test_invalid_structured_output_is_reasked_with_the_error(server: ScriptedServer) -> None:
    server.replies = [ok('{"city": "Paris"}'), ok()]
    gen = ask(client_for(server))
    assert gen.error is None and gen.value.city == "Rzeszow"
    assert len(server.requests) == 2 and gen.record.retries == 1
    reask = server.requests[1]["messages"]
    assert len(reask) == len(MESSAGES) + 2 and "'Paris' is not one of" in reask[-1]["content"]


def test_gives_up_with_an_error_naming_backend_and_last_status(server: ScriptedServer) -> None:
    server.replies = [Reply(status=503, body={"error": {"message": "overloaded"}}) for _ in range(5)]
    policy = TransportPolicy(max_retries=2, initial_wait_s=0.01, max_wait_s=0.02)
    gen = ask(client_for(server, policy=policy), max_retries=3)
    assert gen.value is None and len(server.requests) == 3  # 1 + 2 retries; no validation re-asks on top
    assert server.url in gen.error and "HTTP 503" in gen.error and "gave up after 3 attempt(s)" in gen.error
    assert gen.record.error == gen.error


def test_a_client_error_is_not_retried(server: ScriptedServer) -> None:
    server.replies = [Reply(status=400, body={"error": {"message": "bad request"}}), ok()]
    gen = ask(client_for(server))
    assert gen.value is None and len(server.requests) == 1 and "HTTP 400" in gen.error


def test_connection_refused_is_retried_then_reported(server: ScriptedServer) -> None:
    dead = ScriptedServer()
    dead.httpd.server_close()  # a port nobody listens on
    policy = TransportPolicy(max_retries=1, initial_wait_s=0.01, max_wait_s=0.02)
    gen = ask(client_for(dead, policy=policy))
    assert gen.value is None and "connection error" in gen.error and "gave up after 2 attempt(s)" in gen.error


def test_a_compatible_server_gets_the_schema_in_llama_cpp_form(server: ScriptedServer) -> None:
    server.replies = [ok()]
    ask(client_for(server))
    sent = server.requests[0]
    assert sent["response_format"]["type"] == "json_object"
    assert sent["response_format"]["schema"]["properties"]["city"]["type"] == "string"
    assert sent["seed"] == 1 and sent["temperature"] == 0.0 and sent["max_tokens"] == 50


def test_retry_after_accepts_seconds_milliseconds_and_http_dates() -> None:
    assert _retry_after({"retry-after": "2"}) == 2.0
    assert _retry_after({"retry-after-ms": "250"}) == 0.25
    assert _retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert _retry_after({"retry-after": "soon"}) is None and _retry_after({}) is None


def test_model_strings_pick_a_backend_by_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = CompletionSettings()
    with pytest.raises(BackendError, match="must be one of .*local.*openai"):
        get_backend("nosuch:model", None, settings)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(BackendError, match="OPENAI_API_KEY"):
        get_backend("openai:gpt-4o-mini", None, settings)
    with pytest.raises(BackendError, match="no GGUF model file"):
        get_backend("local:/nonexistent/model.gguf", None, settings)
    local = get_backend("local", None, CompletionSettings(n_ctx=2048))
    assert local.kind == "local" and local.model.endswith(".gguf") and local.context_size == 2048


def test_transport_retry_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSUM_TRANSPORT_RETRIES", "7")
    assert TransportPolicy.from_env().max_retries == 7
    monkeypatch.setenv("EVENTSUM_TRANSPORT_RETRIES", "many")
    with pytest.raises(BackendError, match="EVENTSUM_TRANSPORT_RETRIES"):
        TransportPolicy.from_env()
