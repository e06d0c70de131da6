"""Runs you can trust (issue 10): every failure recorded, one configuration per run directory,
exit codes that mean something. Backend faults are played by a scripted OpenAI-compatible
server on 127.0.0.1, in a thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import seed_copies
from summarizer.redaction import redact, redact_url

REPO = Path(__file__).resolve().parent.parent
EVENTSUM = [sys.executable, "-m", "eventsum"]


def _completion(content: str) -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}],
                       "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}).encode()


class Server:
    """A scripted chat-completions server: `answer(handler)` writes each response."""

    def __init__(self, answer) -> None:  # type: ignore[no-untyped-def]
        outer = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.requests += 1
                answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _send(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    handler.send_response(200)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    return seed_copies(tmp_path / "suite", 3)


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "EVENTSUM_PLUGINS": "tests.fake_systems", "PYTHONPATH": str(REPO),
            "EVENTSUM_TRANSPORT_RETRIES": "0", **extra}


def _eventsum(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EVENTSUM, *args], capture_output=True, text=True, env=_env(**env), cwd=REPO,
                          timeout=300, check=False)


def test_redaction_drops_userinfo_query_and_keys() -> None:
    assert redact_url("http://u:pw@127.0.0.1:8080/v1?key=abc") == "http://127.0.0.1:8080/v1"
    text = redact("failed at https://bob:hunter2@h.example/v1?token=zz with sk-abcdefghijklmnop api_key=s3cret")
    assert "hunter2" not in text and "zz" not in text and "sk-abcdefghijklmnop" not in text and "s3cret" not in text
    assert "https://h.example/v1" in text


def test_a_deeply_nested_answer_is_an_error_record_and_the_run_goes_on(suite: Path, tmp_path: Path) -> None:
    nested = "[" * 5000 + "]" * 5000
    server = Server(lambda h: _send(h, _completion(nested)))
    try:
        out = tmp_path / "run"
        args = ["eval", "run", str(suite), "--prompt", "summarize@v2", "--model", "openai:m",
                "--base-url", server.url, "--out", str(out), "--max-errors", "0"]
        done = _eventsum(*args)
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 3, done.stderr
        rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
        assert rows and all(r["error"] for r in rows)
        assert json.loads((out / "manifest.json").read_text())["status"] != "running"
        assert "failed case-00" in done.stderr
        # the cached bad answer is replayed as an error record again, not as a crash
        again = _eventsum(*args[:-2], "--resume")
        assert again.returncode == 3 and "Traceback" not in again.stderr
        allowed = _eventsum(*args[:-2], "--resume", "--keep-errors", "--max-errors", "10")
        assert allowed.returncode == 0, allowed.stderr
    finally:
        server.close()


def test_resume_refuses_a_changed_configuration_and_names_it(suite: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out)).returncode == 0
    changed = _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out), "--resume",
                        "--temperature", "0.9")
    assert changed.returncode == 2
    assert "settings.temperature" in changed.stderr and "0.9" in changed.stderr
    other = _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out), "--resume",
                      "--model", "openai:x")
    assert other.returncode == 2 and "model" in other.stderr
    assert json.loads((out / "manifest.json").read_text())["model"] == "local"


def test_a_second_run_into_a_locked_directory_is_refused_and_a_stale_lock_taken_over(suite: Path,
                                                                                      tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / "run.lock").write_text(f"{holder.pid}\n")
        twin = _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out))
        assert twin.returncode == 2 and f"pid {holder.pid}" in twin.stderr
    finally:
        holder.kill()
        holder.wait()
    taken = _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out))
    assert taken.returncode == 0, taken.stderr
    assert not (out / "run.lock").exists()


def test_an_unreachable_endpoint_fails_fast(suite: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    done = _eventsum("eval", "run", str(suite), "--prompt", "summarize@v2", "--model", "openai:m",
                     "--base-url", "http://user:pw@127.0.0.1:9/v1", "--out", str(tmp_path / "run"))
    assert done.returncode == 2 and "cannot reach http://127.0.0.1:9/v1" in done.stderr
    assert "pw" not in done.stderr
    assert time.monotonic() - started < 30


def test_unknown_fail_under_metric_is_refused_before_the_run(suite: Path, tmp_path: Path) -> None:
    done = _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(tmp_path / "r"),
                     "--fail-under", "coverge=0.5")
    assert done.returncode == 2 and "coverge" in done.stderr
    assert not (tmp_path / "r" / "results.jsonl").exists()


def test_compare_json_better_and_worse_follow_the_metric_direction(suite: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(a)).returncode == 0
    assert _eventsum("eval", "run", str(suite), "--prompt", "lead@2", "--out", str(b)).returncode == 0
    done = _eventsum("eval", "compare", str(a), str(b), "--json")
    data = json.loads(done.stdout)
    hall = next(m for m in data["metrics"] if m["metric"] == "hallucination")
    assert not hall["higher_is_better"]
    # lead@2 invents a claim: hallucination goes up, which is worse
    assert hall["stats"]["worse"] == len(hall["worse_cases"]) > 0 and hall["stats"]["better"] == 0


def test_a_damaged_line_is_named_and_the_other_lines_are_read(suite: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out)).returncode == 0
    lines = (out / "results.jsonl").read_text().splitlines()
    (out / "results.jsonl").write_text("\n".join([lines[0], '{"case_id": 1}', "[" * 3000, *lines[1:]]) + "\n")
    for args in (["eval", "report", str(out)], ["eval", "compare", str(out), str(out)]):
        done = _eventsum(*args)
        assert "Traceback" not in done.stderr, done.stderr
        assert "results.jsonl: line 2" in done.stderr and "line 3" in done.stderr
    report = _eventsum("eval", "report", str(out))
    assert "3 case(s)" in report.stdout


def test_eval_score_survives_an_array_and_a_deeply_nested_line(tmp_path: Path) -> None:
    summaries = tmp_path / "s.jsonl"
    summaries.write_text("[1, 2]\n" + "[" * 5000 + "]" * 5000 + "\n")
    done = _eventsum("eval", "score", str(REPO / "seeds"), str(summaries))
    assert "Traceback" not in done.stderr, done.stderr


def test_samples_get_distinct_seeds() -> None:
    from evals.runs.execute import _sample_options
    from summarizer.system import SystemOptions, get_system

    seeds = [get_system("summarize@v2", _sample_options(SystemOptions(), k)).settings.seed for k in range(8)]
    assert len(set(seeds)) == 8


def test_same_name_gguf_files_have_different_identities(tmp_path: Path) -> None:
    from summarizer.backends.local import model_identity

    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    one, two = tmp_path / "a" / "m.gguf", tmp_path / "b" / "m.gguf"
    one.write_bytes(b"GGUF" + b"1" * 3_000_000)
    two.write_bytes(b"GGUF" + b"1" * 2_999_999 + b"2")
    assert model_identity(one) != model_identity(two)
    assert model_identity(one) == model_identity(one)


def test_a_server_dripping_bytes_cannot_hold_a_call_past_the_deadline() -> None:
    from summarizer.backends.base import CompletionSettings, TransientBackendError
    from summarizer.backends.openai_compat import OpenAIBackend

    def drip(h: BaseHTTPRequestHandler) -> None:
        body = _completion("{}")
        h.send_response(200)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(body)))
        h.end_headers()
        try:
            for byte in body:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(0.3)
        except OSError:
            pass

    server = Server(drip)
    try:
        backend = OpenAIBackend("m", server.url, CompletionSettings(timeout_s=1.5))
        started = time.monotonic()
        with pytest.raises(TransientBackendError):
            backend.complete([{"role": "user", "content": "hi"}], CompletionSettings(timeout_s=1.5), None)
        assert time.monotonic() - started < 5
    finally:
        server.close()


def test_retries_are_counted_when_every_attempt_fails() -> None:
    from summarizer.backends.base import CompletionSettings
    from summarizer.backends.openai_compat import OpenAIBackend
    from summarizer.backends.structured import StructuredClient
    from summarizer.backends.transport import TransportPolicy
    from summarizer.models import EventSummary

    def fail(h: BaseHTTPRequestHandler) -> None:
        body = b'{"error": {"message": "busy"}}'
        h.send_response(503)
        h.send_header("content-length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server = Server(fail)
    try:
        client = StructuredClient(OpenAIBackend("m", server.url, CompletionSettings()), CompletionSettings(),
                                  cache=None, transport=TransportPolicy(max_retries=2, initial_wait_s=0, max_wait_s=0))
        gen = client.generate([{"role": "user", "content": "hi"}], EventSummary, context=None, max_retries=0,
                              prompt_id="p")
        assert gen.error and server.requests == 3 and gen.record.retries == 2
    finally:
        server.close()


def test_an_unwritable_cache_keeps_the_answer(tmp_path: Path) -> None:
    from summarizer.backends.structured import _put_best_effort
    from summarizer.cache import ResponseCache

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    from openai.types.chat import ChatCompletion

    completion = ChatCompletion.model_validate(json.loads(_completion("{}")))
    _put_best_effort(ResponseCache(blocker / "cache"), "ab" * 32, completion)  # must not raise


def test_ctrl_c_with_calls_in_flight_stops_promptly_and_repeats_the_full_command(suite: Path,
                                                                                  tmp_path: Path) -> None:
    import signal

    def hang(h: BaseHTTPRequestHandler) -> None:
        time.sleep(30)

    server = Server(hang)
    try:
        out = tmp_path / "run"
        proc = subprocess.Popen([*EVENTSUM, "eval", "run", str(suite), "--prompt", "summarize@v2",
                                 "--model", "openai:m", "--base-url", server.url, "--concurrency", "2",
                                 "--out", str(out)], env=_env(), cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while server.requests < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.requests >= 2
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        _, stderr = proc.communicate(timeout=20)
        assert time.monotonic() - started < 10
        assert proc.returncode == 130, stderr
        assert "--model openai:m" in stderr and f"--base-url {server.url}" in stderr and "--resume" in stderr
        assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    finally:
        server.close()


def test_concurrency_is_really_reached(suite: Path, tmp_path: Path) -> None:
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow(h: BaseHTTPRequestHandler) -> None:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(1.5)
        with lock:
            state["now"] -= 1
        _send(h, _completion("not json"))

    server = Server(slow)
    try:
        _eventsum("eval", "run", str(suite), "--prompt", "summarize@v2", "--model", "openai:m",
                  "--base-url", server.url, "--samples", "3", "--concurrency", "9", "--out", str(tmp_path / "r"))
        assert state["max"] == 9
    finally:
        server.close()


def test_a_suite_with_broken_cases_names_them_and_exits_3(suite: Path, tmp_path: Path) -> None:
    (suite / "case-01" / "case.yaml").unlink(missing_ok=True)
    for f in (suite / "case-01").iterdir():
        if f.is_file():
            f.write_text("{{{ broken")
    done = _eventsum("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(tmp_path / "r"))
    assert done.returncode == 3, done.stdout + done.stderr
    assert "failed case-01#0" in done.stderr


def test_no_secret_is_written_when_calls_fail(suite: Path, tmp_path: Path) -> None:
    """A base URL with a password and a token, an API key, and a server that fails every call and
    echoes what it was sent: the results, the manifest, the report and stderr hold none of them."""
    def fail(handler: BaseHTTPRequestHandler) -> None:
        body = json.dumps({"error": {"message": f"bad request to {handler.path} "
                                                f"auth={handler.headers.get('authorization')}"}}).encode()
        handler.send_response(400)
        handler.send_header("content-type", "application/json")
        handler.send_header("content-length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server = Server(fail)
    try:
        secret_url = server.url.replace("http://", "http://alice:hunter2pw@") + "?api_token=tok-98765"
        out = tmp_path / "run"
        done = _eventsum("eval", "run", str(suite), "--prompt", "summarize@v2", "--model", "openai:m",
                         "--base-url", secret_url, "--out", str(out), OPENAI_API_KEY="sk-secretkey12345678")
        assert done.returncode == 3, done.stderr
        report = _eventsum("eval", "report", str(out), "--html", str(tmp_path / "report.html"))
        assert report.returncode == 0, report.stderr
        written = [p.read_text() for p in [*out.iterdir(), tmp_path / "report.html"] if p.is_file()]
        assert any("400" in text or "bad request" in text for text in written)  # the failure is recorded
        for secret in ("hunter2pw", "tok-98765", "sk-secretkey12345678"):
            assert secret not in done.stderr + done.stdout + report.stderr
            assert not any(secret in text for text in written), secret
    finally:
        server.close()
