"""The README's walkthroughs, run exactly as written: the script under each heading, then its "It prints".

The script is taken from the README itself, so the walkthrough and its test cannot drift apart.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def walkthrough(title: str) -> tuple[str, list[str]]:
    """The first ```sh block after the heading, and the lines of the ```text block after it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### Walkthrough: {title}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    script = re.search(r"```sh\n(.*?)\n```", section, re.S)
    shown = re.search(r"```text\n(.*?)\n```", section, re.S)
    assert script and shown, f"walkthrough {title!r} needs a ```sh and a ```text block"
    return script.group(1) + "\n", [line for line in shown.group(1).splitlines() if line.strip()]


def run_in_copy(script: str, tmp_path: Path) -> str:
    """Run the script with bash -e in a folder holding copies of seeds/ and prompts/; stdout and stderr as one."""
    for folder in ("seeds", "prompts"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(REPO), "COLUMNS": "100", "PYTHONUNBUFFERED": "1"}  # stdout and stderr in order
    env.pop("EVENTSUM_PROMPTS_DIR", None)
    done = subprocess.run(["bash", "-e", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          cwd=tmp_path, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stdout
    return done.stdout


def assert_shown_in_order(shown: list[str], printed: str) -> None:
    lines = [line.strip() for line in printed.splitlines()]
    at = 0
    for expected in shown:
        matches = [i for i in range(at, len(lines)) if lines[i] == expected.strip()]
        assert matches, f"not printed (after line {at}): {expected!r}\n--- printed:\n{printed}"
        at = matches[0] + 1


def test_add_a_case(tmp_path: Path) -> None:
    script, shown = walkthrough("add a case")
    printed = run_in_copy(script, tmp_path)
    assert_shown_in_order(shown, printed)
    assert "No disagreement between the sources was found." in (tmp_path / "ferry.md").read_text()


@pytest.mark.model
def test_add_a_prompt_version(tmp_path: Path) -> None:
    script, shown = walkthrough("add a prompt version")
    printed = run_in_copy(script, tmp_path)
    assert_shown_in_order(shown, printed)
    assert (tmp_path / "runs" / "v3" / "summary.json").is_file()
