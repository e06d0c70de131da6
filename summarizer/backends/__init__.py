"""Model backends: one small interface (messages + settings -> OpenAI-shaped completion), picked by prefix.

`local` (default, in-process llama.cpp), `local:PATH.gguf`, `openai:MODEL`
(OpenAI, or any compatible server with a base URL). `structured.py` wraps a
backend once with instructor for validated pydantic output.
"""

from summarizer.backends.base import (
    Backend,
    BackendError,
    CompletionSettings,
    ContextOverflowError,
    TransientBackendError,
    get_backend,
    register_backend,
)

__all__ = ["Backend", "BackendError", "CompletionSettings", "ContextOverflowError", "TransientBackendError",
           "get_backend", "register_backend"]
