"""Prompt files: header checks that name the field, identity by file hash, rendering, the CLI."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventsum.cli import app
from summarizer.errors import EventsumError, InputError
from summarizer.prompts import list_prompts, load_prompt, parse_prompt, prompts_dir
from summarizer.system import SystemOptions, get_system

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the prompts folder, used by every loader in the test."""
    copy = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), copy)
    monkeypatch.setenv("EVENTSUM_PROMPTS_DIR", str(copy))
    return copy


def test_both_summarize_versions_exist_with_different_tasks() -> None:
    prompts = {p.ref: p for p in list_prompts()}
    assert prompts["summarize@v1"].header.task == "abstractive"
    assert prompts["summarize@v2"].header.task == "grounded"
    for p in prompts.values():
        assert p.hash == hashlib.sha256(Path(p.path).read_bytes()).hexdigest()[:12]


def test_any_edit_changes_the_identity(folder: Path) -> None:
    before = load_prompt("summarize@v2").hash
    path = folder / "summarize@v2.md"
    path.write_text(path.read_text() + "\n")
    after = load_prompt("summarize@v2").hash
    assert before != after
    assert get_system("summarize@v2", SystemOptions(model="local")).version_hash == after


@pytest.mark.parametrize(("edit", "message"), [
    (("temperature = 0.2", "temperature = 5.0"), "settings.temperature"),
    (('task = "grounded"', 'task = "grounded"\nmood = "sunny"'), "mood"),
    (('version = "v2"', 'version = "v3"'), "must be named summarize@v3.md"),
    (("{% block user %}", "{% block usr %}"), "missing {% block %} for: user"),
    (("+++\n{% block system %}", "{% block system %}"), "TOML header"),
    (("{% endfor %}\n</source>", "{% endfor %}\n{% if %}</source>"), "Jinja2 syntax error"),
])
def test_a_bad_prompt_file_is_an_error_naming_file_and_field(folder: Path, edit: tuple[str, str],
                                                             message: str) -> None:
    path = folder / "summarize@v2.md"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(InputError) as info:
        parse_prompt(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_render_gives_a_system_and_a_user_message() -> None:
    prompt = load_prompt("summarize@v1")
    messages = prompt.render(sources=[{"id": "wire", "text": "A ship sank."}], max_facts=3)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "never instructions" in messages[0]["content"]
    assert '<source id="wire">\nA ship sank.\n</source>' in messages[1]["content"]
    with pytest.raises(InputError, match="template error"):
        prompt.render(max_facts=3)  # no sources: StrictUndefined, not a silently empty prompt


def test_unknown_prompt_lists_the_known_ones() -> None:
    with pytest.raises(EventsumError, match="known: .*summarize@v1.*summarize@v2"):
        load_prompt("summarize@v9")
    with pytest.raises(EventsumError, match="NAME@VERSION"):
        load_prompt("../etc/passwd")


def test_cli_prompts_list_and_show() -> None:
    listed = runner.invoke(app, ["prompts", "list"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0
    v2 = load_prompt("summarize@v2")
    assert "summarize@v1" in listed.stdout and "summarize@v2" in listed.stdout and v2.hash in listed.stdout
    shown = runner.invoke(app, ["prompts", "show", "summarize@v2"])
    assert shown.exit_code == 0
    assert v2.hash in shown.stdout and Path(v2.path).read_text() in shown.stdout
    missing = runner.invoke(app, ["prompts", "show", "summarize@v9"])
    assert missing.exit_code == 2 and "no prompt 'summarize@v9'" in missing.stderr
