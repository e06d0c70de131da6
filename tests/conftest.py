"""Shared fixtures. Every test gets its own response-cache folder, never the user's ~/.cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.backends.base import register_backend
from summarizer.backends.fake import FakeBackend

REPO = Path(__file__).resolve().parent.parent
SEED_CASE = REPO / "seeds" / "milley-zaluzhnyi-poland"


def seed_copies(root: Path, n: int) -> Path:
    """A suite of `n` copies of the seed case (without its labels) under ids case-00, case-01, ..."""
    import shutil

    for i in range(n):
        shutil.copytree(SEED_CASE, root / f"case-{i:02d}", ignore=shutil.ignore_patterns("labels"))
    return root


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path_factory.mktemp("response-cache")
    monkeypatch.setenv("EVENTSUM_CACHE_DIR", str(path))
    return path


@pytest.fixture
def cache_dir(_private_cache_dir: Path) -> Path:
    """The (empty, per-test) response cache folder."""
    return _private_cache_dir


@pytest.fixture
def fake_backend() -> FakeBackend:
    """A FakeBackend reachable as `--model fake`; queue its answers in `.outputs`."""
    backend = FakeBackend()
    register_backend("fake", lambda rest, base_url, settings: backend)
    return backend
