"""Transport retries, in one place: exponential backoff with jitter, honouring Retry-After.

Only `TransientBackendError` is retried here. Invalid structured output is a
different failure, re-asked by instructor; the two never overlap because a
backend turns every transport failure (including a response body that is not
JSON) into a `BackendError`, which instructor does not retry.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, Field
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from summarizer.redaction import redact
from summarizer.backends.base import BackendError, TransientBackendError

T = TypeVar("T")
RETRIES_ENV = "EVENTSUM_TRANSPORT_RETRIES"
# Set on Ctrl-C: no new attempt starts and backoff waits end at once.
CANCELLED = threading.Event()


class GaveUpError(BackendError):
    """Every attempt failed; `retries` says how many retries were spent."""

    def __init__(self, message: str, retries: int) -> None:
        super().__init__(message)
        self.retries = retries


class TransportPolicy(BaseModel):
    """How hard to try a flaky backend before giving up."""

    max_retries: int = Field(4, ge=0, description="retries after the first attempt")
    initial_wait_s: float = Field(1.0, ge=0)
    max_wait_s: float = Field(30.0, ge=0, description="cap on one backoff wait")
    max_retry_after_s: float = Field(120.0, ge=0, description="cap on a server's Retry-After")
    deadline_s: float = Field(900.0, gt=0, description="stop retrying after this long in total")

    @classmethod
    def from_env(cls) -> TransportPolicy:
        """Defaults, with `$EVENTSUM_TRANSPORT_RETRIES` as the retry limit when set."""
        raw = os.environ.get(RETRIES_ENV)
        if raw is None:
            return cls()
        try:
            return cls(max_retries=int(raw))
        except ValueError:
            raise BackendError(f"{RETRIES_ENV}={raw!r}: expected a whole number >= 0") from None


class _Backoff:
    """Exponential backoff with jitter, but never sooner than the server's Retry-After."""

    def __init__(self, policy: TransportPolicy) -> None:
        self._policy = policy
        self._exponential = wait_exponential_jitter(multiplier=policy.initial_wait_s, max=policy.max_wait_s,
                                                    jitter=policy.initial_wait_s)

    def __call__(self, state: RetryCallState) -> float:
        wait = self._exponential(state)
        error = state.outcome.exception() if state.outcome else None
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self._policy.max_retry_after_s))
        return wait


def call_with_retries(call: Callable[[], T], *, label: str, policy: TransportPolicy,
                      sleep: Callable[[float], None] | None = None) -> tuple[T, int]:
    """Run `call`, retrying transient failures; return its result and how many retries it took.

    Gives up with a `BackendError` naming `label` and the last status.
    """
    retrying = Retrying(
        stop=stop_after_attempt(policy.max_retries + 1) | stop_after_delay(policy.deadline_s),
        wait=_Backoff(policy),
        retry=retry_if_exception_type(TransientBackendError),
        reraise=True,
        sleep=sleep or _cancellable_sleep,
    )
    attempts = 0
    try:
        for attempt in retrying:
            with attempt:
                if CANCELLED.is_set():
                    raise BackendError(f"{label}: cancelled")
                attempts += 1
                result = call()
    except TransientBackendError as err:
        raise GaveUpError(redact(f"{label}: gave up after {attempts} attempt(s); last status: {err.status}: {err}"),
                          retries=max(attempts - 1, 0)) from err
    return result, attempts - 1


def _cancellable_sleep(seconds: float) -> None:
    CANCELLED.wait(seconds)
