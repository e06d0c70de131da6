"""The response cache: a repeat is free, a torn file is a miss, no secret is ever written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from summarizer.backends.base import CompletionSettings
from summarizer.backends.fake import FakeBackend
from summarizer.backends.structured import StructuredClient
from summarizer.cache import ResponseCache, cache_key, default_cache_dir, public_url
from summarizer.system import SystemOptions, get_system
from tests.test_backends import ScriptedServer, ask, client_for, ok

MESSAGES = [{"role": "user", "content": "Name a river."}]


class River(BaseModel):
    river: str


def _client(backend: FakeBackend, root: Path, **settings: float) -> StructuredClient:
    return StructuredClient(backend, CompletionSettings(**settings), cache=ResponseCache(root))


def _entries(root: Path) -> list[Path]:
    return sorted(root.rglob("*.json"))


def test_a_repeated_call_is_answered_from_the_cache(cache_dir: Path) -> None:
    fake = FakeBackend(['{"river": "Vistula"}'])
    first = _client(fake, cache_dir).generate(MESSAGES, River, context=None, max_retries=0, prompt_id="p")
    second = _client(fake, cache_dir).generate(MESSAGES, River, context=None, max_retries=0, prompt_id="p")
    assert len(fake.calls) == 1  # the fake has nothing left: a second model call would be an error
    assert first.value.model_dump() == second.value.model_dump() and second.error is None
    assert not first.record.cached and second.record.cached
    assert second.record.output_tokens == first.record.output_tokens


def test_different_settings_or_messages_are_different_entries(cache_dir: Path) -> None:
    fake = FakeBackend(['{"river": "Vistula"}', '{"river": "Oder"}', '{"river": "Bug"}'])
    _client(fake, cache_dir).generate(MESSAGES, River, context=None, max_retries=0, prompt_id="p")
    hotter = _client(fake, cache_dir, temperature=0.9).generate(MESSAGES, River, context=None, max_retries=0,
                                                                 prompt_id="p")
    other = _client(fake, cache_dir).generate([{"role": "user", "content": "Another river?"}], River,
                                              context=None, max_retries=0, prompt_id="p")
    assert (hotter.value.river, other.value.river) == ("Oder", "Bug") and len(fake.calls) == 3
    assert len(_entries(cache_dir)) == 3


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_torn_cache_file_is_a_miss_not_an_error(cache_dir: Path, damage: str) -> None:
    fake = FakeBackend(['{"river": "Vistula"}', '{"river": "Vistula"}'])
    _client(fake, cache_dir).generate(MESSAGES, River, context=None, max_retries=0, prompt_id="p")
    [entry] = _entries(cache_dir)
    text = entry.read_text()
    entry.write_text({"truncate": text[: len(text) // 2], "garbage": "\x00\x01 not json", "empty": ""}[damage])
    again = _client(fake, cache_dir).generate(MESSAGES, River, context=None, max_retries=0, prompt_id="p")
    assert again.error is None and again.value.river == "Vistula" and not again.record.cached
    assert len(fake.calls) == 2
    assert json.loads(entry.read_text())["completion"]["choices"][0]["message"]["content"] == '{"river": "Vistula"}'


def test_writes_leave_no_temporary_files(cache_dir: Path) -> None:
    fake = FakeBackend(['{"river": "Vistula"}'])
    _client(fake, cache_dir).generate(MESSAGES, River, context=None, max_retries=0, prompt_id="p")
    assert [p.name.startswith(".tmp-") for p in cache_dir.rglob("*") if p.is_file()] == [False]


def test_no_api_key_reaches_the_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-test-DO-NOT-STORE-4242"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    with ScriptedServer() as server:
        server.replies = [ok()]
        gen = ask(client_for(server, cache=ResponseCache(cache_dir)))
    assert gen.error is None and _entries(cache_dir)
    assert all(secret not in p.read_text() for p in _entries(cache_dir))
    assert public_url("https://user:pw@example.org:8443/v1") == "https://example.org:8443/v1"
    key_with_password = cache_key(backend="openai", model="m", base_url="https://user:pw@host/v1", messages=[],
                                  schema=None, settings={})
    assert key_with_password == cache_key(backend="openai", model="m", base_url="https://host/v1", messages=[],
                                          schema=None, settings={})


def test_no_cache_option_neither_reads_nor_writes(cache_dir: Path, fake_backend: FakeBackend) -> None:
    from summarizer.sources import load_articles
    from tests.conftest import SEED_CASE

    answer = json.dumps({"headline": "h", "who": "", "what": "", "where": "", "when": "", "disagreements": [],
                         "facts": [{"sentences": [1], "text": "a"}, {"sentences": [2], "text": "b"}]})
    fake_backend.outputs = [answer, answer]
    case = load_articles([SEED_CASE])
    for _ in range(2):
        result = get_system("summarize@v2", SystemOptions(model="fake", use_cache=False)).summarize(case)
        assert result.error is None
    assert len(fake_backend.calls) == 2 and _entries(cache_dir) == []


def test_default_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVENTSUM_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("EVENTSUM_CACHE_DIR")
    assert default_cache_dir() == Path.home() / ".cache" / "eventsum" / "responses"
