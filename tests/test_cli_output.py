"""What the CLI prints, for people and for scripts: uncut piped tables, --format, one card per line,
honest compare output, `runs list`, plain progress, help text, and prompt folders that add."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from eventsum.cli import app
from eventsum.commands.brief import DEFAULT_SYSTEM
from tests.fake_systems import run_system  # also registers lead@1, lead@2 and crash@1

REPO = Path(__file__).resolve().parent.parent
SEED_CASE = REPO / "seeds" / "milley-zaluzhnyi-poland"
NEWSROOM = REPO / "evals" / "suites" / "newsroom"
runner = CliRunner()
LONG_SYSTEM = "careful-editor-with-a-rather-long-system-name"


def piped(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command with stdout and stderr piped, as in CI, at COLUMNS=60."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "EVENTSUM_PLUGINS": "tests.fake_systems", "COLUMNS": "60",
                **(env or {})}
    return subprocess.run([sys.executable, "-m", "eventsum", *args], capture_output=True, text=True, cwd=REPO,
                          env=full_env, timeout=240, check=False)


@pytest.fixture(scope="module")
def summaries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five non-blank lines (one scorable, four broken in different ways) and a blank one."""
    path = tmp_path_factory.mktemp("score") / "summaries.jsonl"
    good = {"case_id": SEED_CASE.name, "system": LONG_SYSTEM,
            "summary": "Milley and Zaluzhnyi met in person for the first time. The talks lasted about two hours."}
    lines = [json.dumps(good), "this is not json", "", "[1, 2]",
             json.dumps({"case_id": "nosuch", "system": "x", "summary": "a"}),
             json.dumps({"case_id": SEED_CASE.name, "system": "no-summary"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_piped_tables_keep_full_names_and_numbers_at_60_columns(summaries: Path) -> None:
    done = piped("eval", "score", "seeds", str(summaries))
    assert done.returncode == 0, done.stderr
    assert f"{SEED_CASE.name} │ {LONG_SYSTEM} │" in done.stdout
    assert "│    0.459 │" in done.stdout or "0." in done.stdout.split(LONG_SYSTEM)[1].split("\n")[0]
    assert "…" not in done.stdout
    listed = piped("prompts", "list")
    for ref in ("judge@v1", "summarize@v1", "summarize@v2"):
        assert f"│ {ref} " in listed.stdout
    assert "…" not in listed.stdout
    stats = piped("suites", "stats", str(NEWSROOM))
    for case in ("30-mining-accident-injection-mixed", "14-highway-bus-crash-direction"):
        assert f"│ {case} " in stats.stdout
    assert "**" not in stats.stdout and "│ 30 cases " in stats.stdout and "…" not in stats.stdout


def test_eval_score_writes_one_card_per_line(summaries: Path) -> None:
    done = runner.invoke(app, ["eval", "score", "seeds", str(summaries), "--format", "json"])
    assert done.exit_code == 0, done.stderr
    cards = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(cards) == 5  # every non-blank line, nothing dropped
    assert cards[0]["error"] is None and cards[0]["system"] == LONG_SYSTEM
    errors = [c["error"] for c in cards[1:]]
    assert errors[0].startswith("line 2: invalid JSON")
    assert errors[1] == "line 4: expected a JSON object, got list"
    assert errors[2] == "line 5: unknown case_id 'nosuch'" and errors[3] == "line 6: no 'summary' field"
    assert runner.invoke(app, ["eval", "score", "seeds", str(summaries), "--json"]).stdout == done.stdout
    table = runner.invoke(app, ["eval", "score", "seeds", str(summaries)])
    assert "5 card(s), 4 error card(s)" in table.stdout and f"mean {LONG_SYSTEM}: coverage" in table.stdout


def test_every_format_of_suites_stats_and_prompts_list() -> None:
    tsv = runner.invoke(app, ["suites", "stats", "seeds", "--format", "tsv"]).stdout.splitlines()
    assert tsv[0].split("\t")[:4] == ["case", "sources", "words", "facts"]
    assert tsv[1].split("\t")[:2] == [SEED_CASE.name, "3"] and tsv[2].startswith("1 case\t3\t")
    md = runner.invoke(app, ["suites", "stats", "seeds", "--markdown"]).stdout
    assert md == runner.invoke(app, ["suites", "stats", "seeds", "--format", "markdown"]).stdout
    assert md.splitlines()[1] == "|---|---|---|---|---|---|---|---|" and "| **1 case** | 3 |" in md
    data = json.loads(runner.invoke(app, ["suites", "stats", "seeds", "--format", "json"]).stdout)
    assert data["cases"][0]["facts"] == 23 and data["total"]["case"] == "1 case"
    prompts = json.loads(runner.invoke(app, ["prompts", "list", "--format", "json"]).stdout)
    assert {p["prompt"] for p in prompts} >= {"summarize@v1", "summarize@v2"} and all(len(p["hash"]) == 12 for p in prompts)
    tsv = runner.invoke(app, ["prompts", "list", "--format", "tsv"]).stdout
    assert tsv.splitlines()[0] == "prompt\ttask\thash\tsettings\tdescription\tfile"


def test_suites_validate_formats(tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["suites", "validate", "seeds", "--format", "json"]).stdout)
    assert data["ok"] and data["facts"] == 23 and data["problems"] == []
    broken = tmp_path / "broken"
    shutil.copytree(SEED_CASE, broken / "case", ignore=shutil.ignore_patterns("labels"))
    (broken / "case" / "gold.json").write_text("{}", encoding="utf-8")
    done = runner.invoke(app, ["suites", "validate", str(broken), "--format", "tsv"])
    assert done.exit_code == 1
    header, *rows = done.stdout.splitlines()
    assert header == "level\tfile\tfield\tmessage" and rows and all(r.startswith("error\t") for r in rows)


@pytest.fixture(scope="module")
def one_case_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("runs")
    suite = root / "suite"
    shutil.copytree(SEED_CASE, suite / "case-0", ignore=shutil.ignore_patterns("labels"))
    runs = root / "runs"
    return (run_system(suite, "lead@1", runs / "a"), run_system(suite, "lead@2", runs / "b"),
            run_system(suite, "crash@1", runs / "crashed"))


def test_compare_warns_under_five_cases_prints_n_and_never_nan(one_case_runs: tuple[Path, Path, Path]) -> None:
    a, b, crashed = one_case_runs
    done = runner.invoke(app, ["eval", "compare", str(a), str(b)])
    assert done.exit_code == 0, done.stderr
    assert "only 1 paired case(s): under 5" in done.stderr
    assert "nan" not in done.stdout.lower()
    header = next(line for line in done.stdout.splitlines() if "metric" in line)
    assert "│ n " in header or "┃ n " in header
    assert re.search(r"│ coverage \(higher is better\) +│ 1 │", done.stdout)
    # The crashed run has no scores at all: each such metric is one sentence, not a row of nan.
    done = runner.invoke(app, ["eval", "compare", str(a), str(crashed)])
    assert done.exit_code == 0, done.stderr
    assert "nan" not in done.stdout.lower()
    assert "coverage: not compared: run B (crash@1) has no coverage score" in done.stdout
    assert re.search(r"│ errors \(lower is better\) +│ 1 │", done.stdout)
    data = json.loads(runner.invoke(app, ["eval", "compare", str(a), str(crashed), "--format", "json"]).stdout)
    by = {m["metric"]: m for m in data["metrics"]}
    assert by["coverage"]["scored_a"] == 1 and by["coverage"]["scored_b"] == 0 and by["coverage"]["note"]
    tsv = runner.invoke(app, ["eval", "compare", str(a), str(crashed), "--format", "tsv"]).stdout.splitlines()
    assert tsv[0].startswith("metric\tn\tA\tB") and len(tsv) == 2  # only "errors" was scored on both sides


def test_runs_list_reads_every_manifest(one_case_runs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    a, _, _ = one_case_runs
    runs = a.parent
    listed = json.loads(runner.invoke(app, ["runs", "list", str(runs), "--format", "json"]).stdout)
    assert [r["system"] for r in listed] == ["lead@1", "lead@2", "crash@1"]
    first = listed[0]
    assert first["suite"].endswith("suite") and first["scorer"] == "deterministic" and first["status"] == "finished"
    assert first["cases"] == 1 and first["summaries"] == 1 and 0 <= first["means"]["coverage"] <= 1
    assert listed[2]["means"]["coverage"] is None and listed[2]["errors"] == 1
    # A run whose process died mid-way is "stopped", not "running".
    killed = tmp_path / "killed"
    shutil.copytree(a, killed)
    manifest = json.loads((killed / "manifest.json").read_text())
    (killed / "manifest.json").write_text(json.dumps({**manifest, "status": "running"}))
    (killed / "run.lock").write_text("999999999\n")
    table = runner.invoke(app, ["runs", "list", str(killed)])
    assert "stopped" in table.stdout and "1/1" in table.stdout
    assert runner.invoke(app, ["runs", "list", str(tmp_path / "none")]).exit_code == 2


def test_eval_run_outside_a_terminal_prints_a_plain_line_every_few_seconds(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    for i in range(3):
        shutil.copytree(SEED_CASE, suite / f"case-{i}", ignore=shutil.ignore_patterns("labels"))
    done = piped("eval", "run", str(suite), "--prompt", "lead@1", "--out", str(tmp_path / "run"), "--format", "json",
                 env={"EVENTSUM_FAKE_DELAY": "0.6", "EVENTSUM_PROGRESS_SECONDS": "0.25"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads((tmp_path / "run" / "summary.json").read_text())  # nothing else
    lines = [line for line in done.stderr.splitlines() if line.startswith("eval run lead@1: ")]
    assert len(lines) >= 4, done.stderr
    assert lines[0].startswith("eval run lead@1: 0 done, 0 error(s)")
    assert lines[-1].startswith("eval run lead@1: 3/3 done, 0 error(s)")
    assert "━" not in done.stderr  # no bar outside a terminal


def _commands(group: typer.core.TyperGroup, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_every_option_has_help_and_no_placeholder_types() -> None:
    root = typer.main.get_command(app)
    commands = list(_commands(root))
    assert len(commands) >= 12
    for path, command in commands:
        for param in command.params:
            assert (param.help or "").strip(), f"eventsum {' '.join(path)}: {param.name} has no help"
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).stdout
        [usage] = [line for line in shown.splitlines() if "Usage:" in line]
        assert "<bool>" not in shown and "{" not in usage, (path, usage)
    usage = runner.invoke(app, ["eval", "run", "--help"], env={"COLUMNS": "200"}).stdout
    assert "eval run [OPTIONS] SUITE" in usage and "<bool>" not in usage


def test_eval_run_defaults_to_the_system_brief_uses() -> None:
    root = typer.main.get_command(app)
    run = root.commands["eval"].commands["run"]
    brief = root.commands["brief"]
    default = {p.name: p.default for p in run.params}["prompt"]
    assert default == {p.name: p.default for p in brief.params}["prompt"] == DEFAULT_SYSTEM == "crosssource"


def test_a_prompts_folder_adds_to_the_built_in_prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import summarizer.prompts as prompts

    mine = tmp_path / "my-prompts"
    mine.mkdir()
    text = (REPO / "prompts" / "summarize@v2.md").read_text(encoding="utf-8")
    (mine / "summarize@v3.md").write_text(text.replace('version = "v2"', 'version = "v3"'), encoding="utf-8")
    (mine / "summarize@v1.md").write_text(text.replace('version = "v2"', 'version = "v1"'), encoding="utf-8")
    monkeypatch.setenv(prompts.PROMPTS_ENV, str(mine))
    monkeypatch.setattr(prompts, "_noted", set())
    done = piped("prompts", "list", "--format", "json", env={prompts.PROMPTS_ENV: str(mine)})
    listed = {p["prompt"]: p for p in json.loads(done.stdout)}
    assert {"judge@v1", "summarize@v1", "summarize@v2", "summarize@v3"} <= set(listed)
    assert listed["summarize@v3"]["path"] == str(mine / "summarize@v3.md")
    assert listed["summarize@v1"]["path"] == str(mine / "summarize@v1.md")  # yours wins
    assert listed["summarize@v2"]["path"] == str(REPO / "prompts" / "summarize@v2.md")
    [note] = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert f"{mine / 'summarize@v1.md'} replaces the built-in summarize@v1" in note
    assert prompts.load_prompt("summarize@v1").path == str(mine / "summarize@v1.md")
