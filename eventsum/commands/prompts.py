"""`eventsum prompts list | show`: the versioned prompt files and their identities."""

from __future__ import annotations

import typer
from eventsum.commands.console import out
from eventsum.output import FORMAT_HELP, Format, emit, grid

app = typer.Typer(help="Versioned prompt files (prompts/NAME@VERSION.md).", no_args_is_help=True)


@app.command("list")
def list_(fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP)) -> None:
    """Every prompt: reference, task, hash (its identity), model settings, description, file."""
    from summarizer.prompts import list_prompts, prompt_dirs

    prompts = list_prompts()
    table = grid(f"prompts in {' + '.join(str(d) for d in prompt_dirs())}", "prompt", "task", "hash",
                 ("settings", "text"), ("description", "text"), "file")
    for p in prompts:
        s = p.header.settings
        table.add(p.ref, p.header.task, p.hash,
                  f"temp {s.temperature}, seed {s.seed}, max_tokens {s.max_tokens}, re-asks {s.max_retries}",
                  p.header.description, p.path)
    emit(table, fmt, [{"prompt": p.ref, "task": p.header.task, "hash": p.hash, "settings": p.header.settings.model_dump(),
                       "description": p.header.description, "path": p.path} for p in prompts])


@app.command("show")
def show(ref: str = typer.Argument(..., help="NAME@VERSION, e.g. summarize@v2")) -> None:
    """Print a prompt file as it is, after a line with its path and hash."""
    from pathlib import Path

    from summarizer.prompts import load_prompt

    prompt = load_prompt(ref)
    out.print(f"# {prompt.ref}  hash {prompt.hash}  ({prompt.path})", markup=False)
    out.print(Path(prompt.path).read_text(encoding="utf-8"), markup=False, emoji=False, end="")
