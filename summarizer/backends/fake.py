"""A deterministic backend that answers with queued outputs, for tests without a model.

Register it under a prefix to reach it through a model string:
`register_backend("fake", lambda rest, url, settings: fake)`, then `--model fake`.
"""

from __future__ import annotations

import math
import time
from typing import Any

from openai.types.chat import ChatCompletion

from summarizer.backends.base import BackendError, CompletionSettings, Message


class FakeBackend:
    """Pops one queued output per call: a string is the answer's content, a ChatCompletion is returned
    as it is, an exception is raised."""

    kind = "fake"
    base_url = None
    exact_token_counts = True

    def __init__(self, outputs: list[str | ChatCompletion | Exception] | None = None, *,
                 model: str = "fake-model", context_size: int | None = None) -> None:
        self.model = model
        self.outputs: list[str | ChatCompletion | Exception] = list(outputs or [])
        self.calls: list[dict[str, Any]] = []
        self.context_size = context_size  # None: unknown, so never an overflow

    def count_tokens(self, messages: list[Message]) -> int:
        # One token per four characters: simple enough for tests to compute what overflows.
        return sum(math.ceil(len(str(m.get("content") or "")) / 4) for m in messages)

    def complete(self, messages: list[Message], settings: CompletionSettings,
                 schema: dict[str, Any] | None) -> ChatCompletion:
        self.calls.append({"messages": [dict(m) for m in messages], "schema": schema,
                           "settings": settings.model_dump()})
        if not self.outputs:
            raise BackendError(f"fake: no queued output left for call {len(self.calls)}")
        output = self.outputs.pop(0)
        if isinstance(output, Exception):
            raise output
        if isinstance(output, ChatCompletion):
            return output
        return self.completion(output, prompt_tokens=self.count_tokens(messages))

    def completion(self, content: str, *, prompt_tokens: int = 0, finish_reason: str = "stop") -> ChatCompletion:
        """An OpenAI-shaped completion with this content (usage: one token per four characters)."""
        completion_tokens = math.ceil(len(content) / 4)
        return ChatCompletion.model_validate({
            "id": f"fake-{len(self.calls)}", "object": "chat.completion", "created": int(time.time()),
            "model": self.model,
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        })
