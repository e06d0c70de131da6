"""User errors at the CLI boundary: the real `eventsum` process prints one line naming the thing, exit code 2.

A bug (an exception that is no user error) prints its traceback and a line asking for a report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_CASE = REPO / "seeds" / "milley-zaluzhnyi-poland"


def eventsum(*args: str, cwd: Path = REPO, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "EVENTSUM_PLUGINS": "tests.fake_systems", "COLUMNS": "60",
           **extra_env}
    return subprocess.run([sys.executable, "-m", "eventsum", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120, check=False)


def assert_one_line_error(done: subprocess.CompletedProcess[str], *names: str) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("error ")]
    assert len(errors) == 1, done.stderr
    for name in names:
        assert name in errors[0], errors[0]
    return errors[0]


@pytest.mark.parametrize("args", [
    ["suites", "validate", "nosuch"],
    ["suites", "stats", "nosuch"],
    ["eval", "meta", "nosuch"],
    ["eval", "score", "nosuch", "f.jsonl"],
    ["eval", "run", "nosuch", "--out", "{tmp}/run"],
    ["eval", "rescore", "nosuch"],
    ["eval", "compare", "nosuch", "nosuch"],
    ["brief", "nosuch"],
])
def test_a_missing_path_is_one_line_naming_it(args: list[str], tmp_path: Path) -> None:
    done = eventsum(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert_one_line_error(done, "nosuch")
    assert done.stderr.strip().splitlines()[-1].startswith("error ")


def test_a_missing_summaries_file_is_one_line(tmp_path: Path) -> None:
    assert_one_line_error(eventsum("eval", "score", "seeds", str(tmp_path / "missing.jsonl")), "missing.jsonl")


def test_a_folder_where_a_file_is_expected_is_one_line(tmp_path: Path) -> None:
    assert_one_line_error(eventsum("eval", "score", "seeds", str(tmp_path)), str(tmp_path))


def test_brief_out_into_a_missing_folder_is_refused_before_the_work(tmp_path: Path) -> None:
    done = eventsum("brief", str(SEED_CASE), "--out", "/no/such/dir/b.md")
    line = assert_one_line_error(done, "/no/such/dir/b.md", "/no/such/dir")
    assert "no folder" in line
    assert "note:" not in done.stderr  # refused before summarizing, not after
    assert_one_line_error(eventsum("brief", str(SEED_CASE), "--out", str(tmp_path)), "it is a folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes every file")
def test_unreadable_and_unwritable_paths_are_one_line(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jsonl"
    secret.write_text("{}\n")
    secret.chmod(0)
    assert_one_line_error(eventsum("eval", "score", "seeds", str(secret)), "secret.jsonl", "Permission denied")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert_one_line_error(eventsum("brief", str(SEED_CASE), "--out", str(locked / "b.md")), "not writable")


def test_a_bad_option_value_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    done = eventsum("eval", "run", "seeds", "--fail-under", "coverge=0.5", "--out", str(tmp_path / "never"))
    assert_one_line_error(done, "coverge")
    assert_one_line_error(eventsum("prompts", "list", "--format", "yaml"), "'yaml' is not one of", "--help")
    assert_one_line_error(eventsum("eval", "run", "seeds", "--limit", "0"), "--limit")
    assert_one_line_error(eventsum("eval", "score", "seeds"), "Missing argument 'SUMMARIES'")


def test_a_missing_prompts_folder_is_one_line(tmp_path: Path) -> None:
    done = eventsum("prompts", "list", EVENTSUM_PROMPTS_DIR=str(tmp_path / "my-promts"))
    assert_one_line_error(done, "my-promts", "EVENTSUM_PROMPTS_DIR")


def test_a_bug_prints_its_traceback_and_asks_for_a_report() -> None:
    done = eventsum("brief", str(SEED_CASE), "--prompt", "crash@1")
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "ZeroDivisionError" in done.stderr
    assert "This is a bug in eventsum" in done.stderr.strip().splitlines()[-1]
