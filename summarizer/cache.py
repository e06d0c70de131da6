"""A response cache: one JSON file per model call, keyed by everything that shapes the answer.

A repeated call (same backend, model, rendered messages, response schema and
settings) is answered from disk, so re-running a case costs nothing and gives
the same summary. Files are written to a temporary name and moved into place
with `os.replace`, so a crash mid-write leaves either the old entry or none; a
file that still fails to parse (torn by a full disk, edited by hand) is a miss.
API keys never enter the key or the entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

CACHE_ENV = "EVENTSUM_CACHE_DIR"
# Bump when the entry layout changes: old entries then simply miss.
_LAYOUT = 1


def default_cache_dir() -> Path:
    """`$EVENTSUM_CACHE_DIR`, else ~/.cache/eventsum/responses."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "eventsum" / "responses"


def public_url(url: str | None) -> str | None:
    """A base URL without user:password (which would be a secret in the key)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def cache_key(*, backend: str, model: str, base_url: str | None, messages: list[dict[str, Any]],
              schema: dict[str, Any] | None, settings: dict[str, Any]) -> str:
    """A stable hash of what determines a completion (no secrets: callers pass no keys)."""
    material = {"layout": _LAYOUT, "backend": backend, "model": model, "base_url": public_url(base_url),
                "messages": messages, "schema": schema, "settings": settings}
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """Completions on disk under `root/KEY[:2]/KEY.json`."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> ChatCompletion | None:
        """The stored completion, or None when absent or unreadable (never an error)."""
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return ChatCompletion.model_validate(entry["completion"])
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            return None

    def put(self, key: str, completion: ChatCompletion) -> None:
        """Store atomically: a reader sees the whole entry or nothing."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"layout": _LAYOUT, "completion": completion.model_dump(mode="json")}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
