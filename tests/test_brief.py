"""`eventsum brief`, run in process with the fake backend: Markdown, --json, --out, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from eventsum.cli import app
from eventsum.commands.brief import DEFAULT_SYSTEM
from summarizer.backends.fake import FakeBackend
from summarizer.models import EventSummary
from tests.test_pipeline import LOCAL, WIRE, v2_answer

runner = CliRunner()
PROMPT = "summarize@v2"
REPO = Path(__file__).resolve().parent.parent


def _articles(tmp_path: Path) -> list[str]:
    paths = []
    for name, text in (("wire", WIRE), ("local", LOCAL)):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


ANSWER = v2_answer([([1], "The generals met on Tuesday."), ([2, 4], "It was a two-hour first meeting.")],
                   [(1, "south-eastern Poland"), (3, "south-western Poland")])


def test_brief_writes_a_markdown_briefing(tmp_path: Path, fake_backend: FakeBackend) -> None:
    fake_backend.outputs = [ANSWER]
    result = runner.invoke(app, ["brief", *_articles(tmp_path), "--model", "fake", "--prompt", PROMPT])
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("# Top generals meet in Poland\n")
    facts = md.split("## Key facts")[1].split("##")[0]
    assert "- The generals met on Tuesday. [wire]" in facts and "- It was a two-hour first meeting. [wire][local]" in facts
    disagreements = md.split("## Where sources disagree")[1].split("##")[0].strip().splitlines()
    assert disagreements == ["- **Where in Poland?** Sources disagree: [wire] says south-eastern Poland; "
                             "while [local] says south-western Poland."]
    assert "- [wire] Gen. Milley met Gen. Zaluzhnyi" in md.split("## Sources")[1]
    # What ran and how long it took go to stderr, never into the briefing.
    assert PROMPT in result.stderr and "fake:fake-model" in result.stderr and " s" in result.stderr
    assert PROMPT not in md


def test_brief_json_and_out(tmp_path: Path, fake_backend: FakeBackend) -> None:
    fake_backend.outputs = [ANSWER]
    target = tmp_path / "brief.json"
    result = runner.invoke(app, ["brief", *_articles(tmp_path), "--model", "fake", "--prompt", PROMPT, "--json",
                                 "--out", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    summary = EventSummary.model_validate(json.loads(target.read_text()))
    assert summary.conflicts[0].positions[1].sources == ["local"]
    assert summary.facts[1].citations[1].quote == "It was their first meeting in person."


def test_brief_options_reach_the_model(tmp_path: Path, fake_backend: FakeBackend) -> None:
    fake_backend.outputs = [ANSWER]
    result = runner.invoke(app, ["brief", *_articles(tmp_path), "--model", "fake", "--prompt", "summarize@v2",
                                 "--temperature", "0.7", "--seed", "99", "--max-tokens", "321", "--no-cache"])
    assert result.exit_code == 0, result.stderr
    settings = fake_backend.calls[0]["settings"]
    assert (settings["temperature"], settings["seed"], settings["max_tokens"]) == (0.7, 99, 321)


def test_brief_errors(tmp_path: Path, fake_backend: FakeBackend) -> None:
    unknown = runner.invoke(app, ["brief", *_articles(tmp_path), "--model", "fake", "--prompt", "summarize@v9"])
    assert unknown.exit_code == 2 and "no prompt 'summarize@v9'" in unknown.stderr
    missing = runner.invoke(app, ["brief", str(tmp_path / "nope.txt"), "--model", "fake", "--prompt", PROMPT])
    assert missing.exit_code == 2 and "no such article file" in missing.stderr
    fake_backend.outputs = ["not json", "still not json"]
    failed = runner.invoke(app, ["brief", *_articles(tmp_path), "--model", "fake", "--prompt", PROMPT, "--no-cache"])
    assert failed.exit_code == 1 and failed.stdout == ""
    assert "no valid answer" in failed.stderr and "still not json" in failed.stderr


def test_brief_defaults_to_the_offline_pipeline_and_says_so() -> None:
    assert DEFAULT_SYSTEM == "crosssource"
    result = runner.invoke(app, ["brief", str(REPO / "seeds" / "milley-zaluzhnyi-poland")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("crosssource [") and "0 call(s)" in result.stderr
    disagreements = result.stdout.split("## Where sources disagree")[1].split("##")[0]
    assert "southeastern Poland" in disagreements and "southwestern Poland" in disagreements
    assert "[002_b537db1d55a357fb]" in disagreements
