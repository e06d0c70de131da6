"""Shared fixtures. Every test gets its own response-cache folder, never the user's ~/.cache."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from summarizer.backends.base import register_backend
from summarizer.backends.fake import FakeBackend

if TYPE_CHECKING:
    from evals.suite import Case

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


@pytest.fixture(scope="session")
def newsroom_cases() -> dict[str, Case]:
    """The newsroom suite's cases by id, loaded once."""
    from evals.suite import load_suite

    return {c.id: c for c in load_suite(REPO / "evals/suites/newsroom").cases}


def unit_reasons(case: Case, text: str) -> list[str]:
    """The hallucination reasons for a one-unit summary."""
    from evals.scorer import score_deterministic

    [v] = score_deterministic(case, text).hallucination.verdicts
    return v.reasons
