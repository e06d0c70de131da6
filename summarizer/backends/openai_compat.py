"""`openai:MODEL`: the OpenAI API, or any OpenAI-compatible server given a base URL.

With no base URL this is api.openai.com (needs OPENAI_API_KEY) and the
response schema goes out as OpenAI's `json_schema` response format. With
`--base-url` or OPENAI_BASE_URL it is a compatible server (llama.cpp's
`llama_cpp.server`, llama-server, ...); those constrain decoding from
`{"type": "json_object", "schema": ...}`, so that form is sent instead.
The client's own retries are off: transport retries happen once, in
transport.py, and this module only sorts failures into transient or not.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import time
from typing import Any

import threading
import weakref

import httpx2 as httpx
import openai
from openai.types.chat import ChatCompletion

from summarizer.redaction import redact, redact_url
from summarizer.backends.base import (
    BackendError,
    CompletionSettings,
    Message,
    TransientBackendError,
    register_backend,
)

_CHARS_PER_TOKEN = 4
_TOKENS_PER_MESSAGE = 6
# A local server needs no key, but the client insists on one.
_NO_KEY = "not-needed"
# Connections per client: enough for any --concurrency (the run's threads are the real bound).
POOL_SIZE = 256
_clients: "weakref.WeakSet[httpx.Client]" = weakref.WeakSet()
_clients_lock = threading.Lock()


def close_all_clients() -> None:
    """Abort every HTTP call in flight (Ctrl-C): their sockets close and the calls fail at once."""
    with _clients_lock:
        clients = list(_clients)
    for client in clients:
        client.close()


class _DeadlineStream(httpx.SyncByteStream):
    """A response body that raises once the whole request's deadline passes, however the bytes trickle."""

    def __init__(self, stream: Any, deadline: float, request: httpx.Request) -> None:
        self._stream, self._deadline, self._request = stream, deadline, request

    def __iter__(self) -> Any:
        for chunk in self._stream:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("the whole-request deadline passed", request=self._request)
            yield chunk

    def close(self) -> None:
        self._stream.close()


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's timeouts limit each read; this bounds the whole request by `total` seconds."""

    def __init__(self, total: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._total = total

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self._total
        response = super().handle_request(request)
        response.stream = _DeadlineStream(response.stream, deadline, request)
        return response


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait from Retry-After (seconds or an HTTP date) or retry-after-ms."""
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(float(raw_ms) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return max(seconds, 0.0) if math.isfinite(seconds) else None


class OpenAIBackend:
    """Chat completions over HTTP with the openai client."""

    kind = "openai"
    exact_token_counts = False

    def __init__(self, model: str, base_url: str | None, settings: CompletionSettings) -> None:
        if not model:
            raise BackendError("openai: name a model, e.g. --model openai:gpt-4o-mini")
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        api_key = os.environ.get("OPENAI_API_KEY")
        if not api_key and base_url is None:
            raise BackendError("openai: OPENAI_API_KEY is not set (or pass --base-url for a compatible server)")
        self.model = model
        self.base_url = base_url
        self._label = f"openai ({redact_url(base_url) if base_url else 'api.openai.com'}, model {model})"
        self._n_ctx = settings.n_ctx
        self._native_schema = base_url is None
        limits = httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE)
        http = httpx.Client(transport=_DeadlineTransport(settings.timeout_s, limits=limits),
                            timeout=httpx.Timeout(settings.timeout_s, connect=min(settings.timeout_s, 10.0)))
        with _clients_lock:
            _clients.add(http)
        self._client = openai.OpenAI(api_key=api_key or _NO_KEY, base_url=base_url, max_retries=0,
                                     timeout=settings.timeout_s, http_client=http)

    @property
    def context_size(self) -> int | None:
        # Unknown for a remote model unless the user says (--n-ctx); the server then judges.
        return self._n_ctx

    def count_tokens(self, messages: list[Message]) -> int:
        chars = sum(len(str(m.get("content") or "")) for m in messages)
        return math.ceil(chars / _CHARS_PER_TOKEN) + _TOKENS_PER_MESSAGE * len(messages)

    def _response_format(self, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if schema is None:
            return None
        if self._native_schema:
            return {"type": "json_schema", "json_schema": {"name": str(schema.get("title") or "Response"),
                                                           "schema": schema}}
        return {"type": "json_object", "schema": schema}

    def complete(self, messages: list[Message], settings: CompletionSettings,
                 schema: dict[str, Any] | None) -> ChatCompletion:
        optional: dict[str, Any] = {}
        if settings.seed is not None:
            optional["seed"] = settings.seed
        response_format = self._response_format(schema)
        if response_format is not None:
            optional["response_format"] = response_format
        if not self._native_schema and settings.repeat_penalty != 1.0:
            # Not an OpenAI parameter; llama.cpp servers read it from the request body.
            optional["extra_body"] = {"repeat_penalty": settings.repeat_penalty}
        try:
            return self._client.chat.completions.create(
                model=self.model, messages=messages, temperature=settings.temperature,  # type: ignore[arg-type]
                max_tokens=settings.max_tokens, timeout=settings.timeout_s, **optional)
        except openai.APITimeoutError as err:
            raise TransientBackendError(redact(f"{self._label}: no answer within {settings.timeout_s:g}s"),
                                        status="timeout") from err
        except openai.APIConnectionError as err:
            raise TransientBackendError(redact(f"{self._label}: connection failed ({err})"),
                                        status="connection error") from err
        except openai.APIStatusError as err:
            code = err.status_code
            if code == 429 or code >= 500:
                raise TransientBackendError(redact(f"{self._label}: HTTP {code}: {err.message}"), status=f"HTTP {code}",
                                            retry_after=_retry_after(err.response.headers)) from err
            raise BackendError(redact(f"{self._label}: HTTP {code}: {err.message}")) from err
        except json.JSONDecodeError as err:
            # A body that is not JSON at all is a broken transport (a proxy page, a cut stream), not a
            # model answer to re-ask; and instructor would otherwise retry it as a parse error.
            raise TransientBackendError(redact(f"{self._label}: the response body is not JSON ({err})"),
                                        status="invalid JSON body") from err


def _factory(rest: str, base_url: str | None, settings: CompletionSettings) -> OpenAIBackend:
    return OpenAIBackend(rest, base_url, settings)


register_backend("openai", _factory)
