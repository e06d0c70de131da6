"""Structured generation: any backend, wrapped once by instructor, with the cache and transport retries.

One `StructuredClient.generate` call is one CallRecord: instructor parses the
answer into a pydantic model, validating it with the given context, and
re-asks with the validation error up to `max_retries` times; each attempt
goes through the response cache, then the backend under transport retries.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

import instructor
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from summarizer.redaction import redact_url
from summarizer.backends.base import Backend, BackendError, CompletionSettings, ContextOverflowError, Message
from summarizer.backends.transport import GaveUpError, TransportPolicy, call_with_retries
from summarizer.cache import ResponseCache, cache_key
from summarizer.errors import EventsumError
from summarizer.system import CallRecord

M = TypeVar("M", bound=BaseModel)
# instructor logs every failed attempt at ERROR level; we report failures ourselves, in the result.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False
log = logging.getLogger("eventsum")
_PLACEHOLDER = "eventsum-message-{}"


@dataclass
class _Trace:
    """What happened during one generate() call, filled in by the backend adapter."""

    contents: dict[str, str]
    completions: list[ChatCompletion] = field(default_factory=list)
    cached: list[bool] = field(default_factory=list)
    transport_retries: int = 0

    def last_output(self) -> str | None:
        if not self.completions or not self.completions[-1].choices:
            return None
        return self.completions[-1].choices[0].message.content


@dataclass
class Generation:
    """A parsed answer, or an error with the raw output kept; and the call's record."""

    value: BaseModel | None
    error: str | None
    raw_output: str | None
    record: CallRecord
    failure: Exception | None = None
    # The answers that failed validation, fewest problems first (ties: earliest), to salvage from.
    rejected_outputs: list[str] = field(default_factory=list)


class StructuredClient:
    """A backend plus settings, a cache and a transport policy, behind instructor's JSON-schema mode."""

    def __init__(self, backend: Backend, settings: CompletionSettings, *, cache: ResponseCache | None,
                 transport: TransportPolicy | None = None) -> None:
        self.backend = backend
        self.settings = settings
        self.cache = cache
        self.transport = transport or TransportPolicy.from_env()
        self._create = instructor.patch(create=self._complete, mode=instructor.Mode.JSON_SCHEMA)

    @property
    def label(self) -> str:
        where = f" at {redact_url(self.backend.base_url)}" if self.backend.base_url else ""
        return f"{self.backend.kind}:{self.backend.model}{where}"

    def overflow(self, messages: list[Message]) -> ContextOverflowError | None:
        """The error these messages would hit for lack of context, or None when they fit (or size unknown)."""
        size = self.backend.context_size
        if size is None:
            return None
        needed = self.backend.count_tokens(messages)
        available = size - self.settings.max_tokens
        if needed <= available:
            return None
        return ContextOverflowError(needed=needed, available=available, context_size=size,
                                    reserved=self.settings.max_tokens,
                                    estimated=not self.backend.exact_token_counts)

    def generate(self, messages: list[Message], response_model: type[M], *, context: dict[str, Any] | None,
                 max_retries: int, prompt_id: str) -> Generation:
        """Ask for `response_model`. A model or transport failure comes back in Generation.error; only
        messages too long for the model's context raise (ContextOverflowError), before any call."""
        overflow = self.overflow(messages)
        if overflow is not None:
            raise overflow
        # instructor renders every message as a Jinja2 template whenever a validation context is
        # given; article text is untrusted and must reach the model byte for byte, so instructor
        # sees opaque placeholders and the adapter below puts the real contents back.
        trace = _Trace(contents={_PLACEHOLDER.format(i): str(m["content"]) for i, m in enumerate(messages)})
        shown = [{"role": m["role"], "content": _PLACEHOLDER.format(i)} for i, m in enumerate(messages)]
        started = time.monotonic()
        rejected: list[str] = []
        value: BaseModel | None = None
        error: str | None = None
        failure: Exception | None = None
        try:
            value = self._create(messages=shown, response_model=response_model, context=context,
                                 max_retries=max_retries, trace=trace)
        except InstructorRetryException as err:
            failure = err.__cause__ if isinstance(err.__cause__, EventsumError) else err
            if isinstance(failure, EventsumError):
                error = str(failure)
            else:
                last = err.failed_attempts[-1].exception if err.failed_attempts else err
                error = (f"{self.label}: no valid answer after {err.n_attempts} attempt(s); last problem: "
                         f"{_validation_summary(last)}")
                rejected = _ranked_outputs(err)
        except IncompleteOutputException as err:
            failure = err
            error = (f"{self.label}: the answer hit max_tokens={self.settings.max_tokens} before it was complete; "
                     "raise --max-tokens")
        except EventsumError as err:
            failure, error = err, str(err)
        record = self._record(trace, prompt_id, time.monotonic() - started, error)
        return Generation(value=value, error=error, raw_output=trace.last_output(), record=record, failure=failure,
                          rejected_outputs=rejected)

    def _complete(self, *, messages: list[Message], trace: _Trace, response_format: dict[str, Any] | None = None,
                  **unexpected: Any) -> ChatCompletion:
        """The function instructor wraps: placeholders -> real messages -> cache -> backend."""
        if unexpected:
            raise BackendError(f"unexpected request fields from instructor: {sorted(unexpected)}")
        real = [{"role": m["role"], "content": trace.contents.get(str(m.get("content")), m.get("content") or "")}
                for m in messages]
        schema = (response_format or {}).get("json_schema", {}).get("schema")
        key = None
        if self.cache is not None:
            key = cache_key(backend=self.backend.kind, model=getattr(self.backend, "identity", self.backend.model), base_url=self.backend.base_url,
                            messages=real, schema=schema, settings=self.settings.key_fields())
            hit = self.cache.get(key)
            if hit is not None:
                trace.completions.append(hit)
                trace.cached.append(True)
                return hit
        try:
            completion, retries = call_with_retries(lambda: self.backend.complete(real, self.settings, schema),
                                                    label=self.label, policy=self.transport)
        except GaveUpError as err:
            trace.transport_retries += err.retries
            raise
        trace.transport_retries += retries
        trace.completions.append(completion)
        trace.cached.append(False)
        if self.cache is not None and key is not None:
            _put_best_effort(self.cache, key, completion)
        return completion

    def _record(self, trace: _Trace, prompt_id: str, latency: float, error: str | None) -> CallRecord:
        usage = [c.usage for c in trace.completions if c.usage is not None]
        return CallRecord(
            backend=self.backend.kind, model=self.backend.model, prompt_id=prompt_id,
            input_tokens=sum(u.prompt_tokens for u in usage), output_tokens=sum(u.completion_tokens for u in usage),
            latency_s=round(latency, 3), retries=max(len(trace.completions) - 1, 0) + trace.transport_retries,
            cached=bool(trace.cached) and all(trace.cached), error=error)


_cache_warned = False


def _put_best_effort(cache: ResponseCache, key: str, completion: ChatCompletion) -> None:
    # The cache only saves time: an answer the server returned must never be lost to a full or read-only disk.
    global _cache_warned
    try:
        cache.put(key, completion)
    except OSError as err:
        if not _cache_warned:
            _cache_warned = True
            log.warning("warning: the response cache at %s cannot be written (%s); going on without it",
                        cache.root, err)


def _ranked_outputs(err: InstructorRetryException) -> list[str]:
    # A re-ask can make a small model worse (it copies the error text into the answer), so the
    # best rejected answer is not necessarily the last one.
    ranked = []
    for attempt in err.failed_attempts or []:
        choices = getattr(attempt.completion, "choices", None)
        content = choices[0].message.content if choices else None
        if content:
            problems = attempt.exception.error_count() if isinstance(attempt.exception, ValidationError) else 10**6
            ranked.append((problems, attempt.attempt_number, content))
    return [content for _, _, content in sorted(ranked, key=lambda r: (r[0], r[1]))]


def _validation_summary(error: BaseException, limit: int = 3) -> str:
    """'field.path: message' for the first few problems of a validation error."""
    if isinstance(error, ValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        more = f" (+{len(problems) - limit} more)" if len(problems) > limit else ""
        return "; ".join(problems[:limit]) + more
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
