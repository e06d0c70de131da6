"""The one backend interface: messages and settings in, an OpenAI-shaped completion out.

A backend knows how to reach one kind of model (in-process llama.cpp, the
OpenAI API, any OpenAI-compatible server, a fake). It does not retry, parse
or cache: transport retries live in `transport.py`, parsing and re-asks in
instructor (`structured.py`), caching in `summarizer/cache.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from openai.types.chat import ChatCompletion
from pydantic import BaseModel, Field

from summarizer.errors import EventsumError

Message = dict[str, Any]


class CompletionSettings(BaseModel):
    """Sampling and size settings: from a prompt file's header, overridable on the command line."""

    temperature: float = Field(0.2, ge=0.0, le=2.0, description="sampling temperature")
    seed: int | None = Field(None, description="sampling seed, for reproducible runs")
    max_tokens: int = Field(700, gt=0, description="longest answer, in tokens")
    repeat_penalty: float = Field(1.0, ge=0.5, le=2.0,
                                  description="llama.cpp's repetition penalty (local model and llama.cpp servers)")
    n_ctx: int | None = Field(None, gt=0, description="context size; None: the backend's default")
    timeout_s: float = Field(180.0, gt=0, description="per-request timeout for HTTP backends")

    def key_fields(self) -> dict[str, Any]:
        """What changes an answer (the timeout does not)."""
        return self.model_dump(exclude={"timeout_s"})


class BackendError(EventsumError):
    """A model call failed for good; the message names the backend."""


class TransientBackendError(BackendError):
    """A failure worth retrying (connection, timeout, HTTP 429/5xx, a garbled body)."""

    def __init__(self, message: str, *, status: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ContextOverflowError(BackendError):
    """The prompt does not fit the model's context."""

    def __init__(self, *, needed: int, available: int, context_size: int, reserved: int, estimated: bool) -> None:
        self.over_by = needed - available
        about = "about " if estimated else ""
        super().__init__(
            f"the sources do not fit the model's context: the prompt needs {about}{needed} tokens, but only "
            f"{available} are available ({context_size} context - {reserved} reserved for the answer): "
            f"over by {about}{self.over_by} tokens. Use --truncate to cut the sources, or a larger --n-ctx.")


class Backend(Protocol):
    """Something that answers chat messages with an OpenAI-shaped completion."""

    kind: str
    model: str
    base_url: str | None

    @property
    def context_size(self) -> int | None:
        """Tokens the model can attend to (prompt + answer); None when unknown."""
        ...

    @property
    def exact_token_counts(self) -> bool:
        """Whether `count_tokens` uses the model's own tokenizer (else an estimate)."""
        ...

    def count_tokens(self, messages: list[Message]) -> int:
        """Prompt tokens these messages take (an estimate unless `exact_token_counts`)."""
        ...

    def complete(self, messages: list[Message], settings: CompletionSettings,
                 schema: dict[str, Any] | None) -> ChatCompletion:
        """One completion; `schema` (a JSON schema) constrains the answer when the backend can."""
        ...


# A factory gets the part of the model string after "PREFIX:" ("" for a bare "local").
BackendFactory = Callable[[str, str | None, CompletionSettings], Backend]
_BACKENDS: dict[str, BackendFactory] = {}


def register_backend(prefix: str, factory: BackendFactory) -> None:
    """Make `PREFIX` or `PREFIX:REST` model strings resolve to this factory."""
    _BACKENDS[prefix] = factory


def split_model_spec(spec: str) -> tuple[str, str]:
    """'openai:gpt-4o-mini' -> ('openai', 'gpt-4o-mini'); 'local' -> ('local', '')."""
    prefix, _, rest = spec.partition(":")
    return prefix.strip(), rest.strip()


def get_backend(spec: str, base_url: str | None, settings: CompletionSettings) -> Backend:
    """The backend a model string names, e.g. 'local', 'local:PATH.gguf', 'openai:MODEL'."""
    _load_builtin_backends()
    prefix, rest = split_model_spec(spec)
    factory = _BACKENDS.get(prefix)
    if factory is None:
        known = ", ".join(sorted(_BACKENDS))
        raise BackendError(f"unknown model {spec!r}: the prefix before ':' must be one of {known}")
    return factory(rest, base_url, settings)


def _load_builtin_backends() -> None:
    # Importing a backend module registers it. Heavy imports (llama_cpp) wait until a model is loaded.
    from summarizer.backends import local, openai_compat  # noqa: F401
