"""The real SmolLM2 model, end to end: in process, and over HTTP through llama_cpp.server on loopback.

Marked `model` (slow, offline); they run in `make test`. A 135M model writes weak summaries,
so these tests check what the system guarantees whatever the model writes: a summary of the
requested shape, every citation verbatim in its source, the call recorded, a repeat cached.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from summarizer.backends.local import default_model_path
from summarizer.sources import CaseSources, Source
from summarizer.system import SummaryResult, SystemOptions, get_system
from summarizer.text import quote_in_text

pytestmark = pytest.mark.model

# Two short reports of one event, so a run takes seconds on 2 cores.
WIRE = ("A passenger ferry ran aground near the port of Split on Sunday morning, the coast guard said.\n"
        "All 120 passengers were taken off the ship within three hours and nobody was hurt.\n"
        "The ferry had left Split for the island of Brac shortly before 9 a.m.")
LOCAL = ("The ferry Marjan struck rocks outside Split harbour on Sunday.\n"
         "Rescuers brought the 118 passengers ashore by noon, the harbour master said.\n"
         "An investigation into the cause has begun.")
CASE = CaseSources(case_id="ferry", path="ferry", sources=[
    Source(id="wire", path="wire.txt", text=WIRE), Source(id="local", path="local.txt", text=LOCAL)])
SERVER_START_S = 90


def assert_grounded(result: SummaryResult, backend: str) -> None:
    assert result.error is None and result.summary is not None, result.error
    assert result.summary.headline.strip()
    texts = {s.id: s.text for s in CASE.sources}
    for fact in result.summary.facts:
        for c in fact.citations:
            assert quote_in_text(c.quote, texts[c.source]), c
    [call] = result.calls
    assert call.backend == backend and call.input_tokens > 100 and call.output_tokens > 10 and call.latency_s > 0


def test_local_model_end_to_end_and_the_repeat_is_cached() -> None:
    # No re-asks: one model call bounds the test's time; what it checks holds for any answer.
    first = get_system("summarize@v2", SystemOptions(model="local", max_retries=0)).summarize(CASE)
    assert_grounded(first, "local")
    assert not first.calls[0].cached and first.model == f"local:{default_model_path().name}"
    again = get_system("summarize@v2", SystemOptions(model="local", max_retries=0)).summarize(CASE)
    assert again.calls[0].cached and again.summary == first.summary and again.latency_s < first.latency_s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    """`python -m llama_cpp.server` serving the local model on a loopback port; killed afterwards."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(default_model_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--n_threads", "1", "--n_threads_batch", str(os.cpu_count() or 1),
         "--verbose", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + SERVER_START_S
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer within {SERVER_START_S} s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_openai_client_over_http_against_a_compatible_server(llama_server: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    options = SystemOptions(model="openai:smollm2", base_url=llama_server, use_cache=False, max_retries=0)
    result = get_system("summarize@v2", options).summarize(CASE)
    assert_grounded(result, "openai")
    assert result.model == f"openai:smollm2 at {llama_server}"
