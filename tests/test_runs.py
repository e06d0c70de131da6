"""Runs: resume after kill -9, compare with known differences, --fail-under exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import seed_copies

REPO = Path(__file__).resolve().parent.parent
EVENTSUM = [sys.executable, "-m", "eventsum"]


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """Twelve copies of the seed case, under different ids."""
    return seed_copies(tmp_path / "suite", 12)


def _env(delay: float = 0.0) -> dict[str, str]:
    return {**os.environ, "EVENTSUM_PLUGINS": "tests.fake_systems", "EVENTSUM_FAKE_DELAY": str(delay),
            "PYTHONPATH": str(REPO)}


def _run(*args: str, delay: float = 0.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EVENTSUM, "eval", "run", *args], capture_output=True, text=True, env=_env(delay),
                          cwd=REPO, timeout=240, check=False)


def _results(run_dir: Path) -> dict[tuple[str, int], dict]:
    rows = {}
    for line in (run_dir / "results.jsonl").read_text().splitlines():
        row = json.loads(line)
        key = (row["case_id"], row["sample"])
        assert key not in rows, f"duplicate record {key}"
        for volatile in ("latency_s",):
            row.pop(volatile)
        rows[key] = row
    return rows


def test_resume_after_kill_9_equals_an_uninterrupted_run(suite: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    assert _run(str(suite), "--prompt", "lead@1", "--samples", "2", "--out", str(whole)).returncode == 0

    killed = tmp_path / "killed"
    proc = subprocess.Popen([*EVENTSUM, "eval", "run", str(suite), "--prompt", "lead@1", "--samples", "2",
                             "--concurrency", "3", "--out", str(killed)],
                            env=_env(delay=0.3), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = killed / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not results.exists() or results.read_text().count("\n") < 5):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    partial = results.read_text().count("\n")
    assert 5 <= partial < 24, "the kill should land half-way through the run"
    with results.open("a") as fh:  # as if killed in the middle of writing a line
        fh.write('{"case_id": "case-99", "sam')

    again = _run(str(suite), "--prompt", "lead@1", "--samples", "2", "--concurrency", "2", "--out", str(killed), "--resume")
    assert again.returncode == 0, again.stderr
    assert _results(killed) == _results(whole)
    manifest = json.loads((killed / "manifest.json").read_text())
    assert manifest["status"] == "finished" and manifest["samples"] == 2


def test_refuses_to_overwrite_a_run_without_resume(suite: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    assert _run(str(suite), "--prompt", "lead@1", "--out", str(out)).returncode == 0
    second = _run(str(suite), "--prompt", "lead@1", "--out", str(out))
    assert second.returncode == 2 and "--resume" in second.stderr


def test_fail_under_exit_codes(suite: Path, tmp_path: Path) -> None:
    ok = _run(str(suite), "--prompt", "lead@2", "--out", str(tmp_path / "a"), "--fail-under", "coverage=0.1")
    assert ok.returncode == 0, ok.stderr
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    hallucination = summary["metrics"]["hallucination"]["mean"]
    assert hallucination > 0  # lead@2 invents a place in every case
    bad = _run(str(suite), "--prompt", "lead@2", "--out", str(tmp_path / "b"),
               "--fail-under", "coverage=0.99", "--fail-under", f"hallucination={hallucination / 2}")
    assert bad.returncode == 1
    assert "coverage mean" in bad.stderr and "hallucination mean" in bad.stderr


def test_manifest_records_what_ran_and_no_secret(suite: Path, tmp_path: Path) -> None:
    out = tmp_path / "m"
    env = {**_env(), "OPENAI_API_KEY": "sk-test-secret-should-never-be-written-0123456789"}
    done = subprocess.run([*EVENTSUM, "eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out),
                           "--base-url", "http://user:pw@127.0.0.1:9/v1?key=abc"],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["suite_hash"] and manifest["system"] == "lead@1" and manifest["scorer_version"]
    assert manifest["settings"]["base_url"] == "http://127.0.0.1:9/v1"
    for f in out.iterdir():
        text = f.read_text()
        assert "sk-test-secret" not in text and "pw@" not in text and "key=abc" not in text


def test_ctrl_c_stops_cleanly_and_the_run_resumes(suite: Path, tmp_path: Path) -> None:
    out = tmp_path / "interrupted"
    proc = subprocess.Popen([*EVENTSUM, "eval", "run", str(suite), "--prompt", "lead@1", "--out", str(out)],
                            env=_env(delay=0.3), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not results.exists() or results.read_text().count("\n") < 3):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "--resume" in stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    lines = results.read_text().splitlines()
    assert 3 <= len(lines) < 12 and all(json.loads(line)["case_id"] for line in lines)
    again = _run(str(suite), "--prompt", "lead@1", "--out", str(out), "--resume")
    assert again.returncode == 0 and len(_results(out)) == 12
