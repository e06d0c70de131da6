"""`eventsum prompts list | show`: the versioned prompt files and their identities."""

from __future__ import annotations

import typer
from rich.table import Table

from eventsum.commands.console import err, out
from summarizer.errors import EventsumError

app = typer.Typer(help="Versioned prompt files (prompts/NAME@VERSION.md).", no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """Every prompt: reference, task, hash (its identity), model settings, description."""
    from summarizer.prompts import list_prompts, prompts_dir

    try:
        prompts = list_prompts()
    except EventsumError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(2) from None
    table = Table(title=f"prompts in {prompts_dir()}")
    for column in ("prompt", "task", "hash", "settings"):
        table.add_column(column, no_wrap=True)
    table.add_column("description", overflow="fold", min_width=20)
    for p in prompts:
        s = p.header.settings
        settings = f"temp {s.temperature}, seed {s.seed}, max_tokens {s.max_tokens}, re-asks {s.max_retries}"
        table.add_row(p.ref, p.header.task, p.hash, settings, p.header.description)
    out.print(table)


@app.command("show")
def show(ref: str = typer.Argument(..., help="NAME@VERSION, e.g. summarize@v2")) -> None:
    """Print a prompt file as it is, after a line with its path and hash."""
    from pathlib import Path

    from summarizer.prompts import load_prompt

    try:
        prompt = load_prompt(ref)
    except EventsumError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(2) from None
    out.print(f"# {prompt.ref}  hash {prompt.hash}  ({prompt.path})", markup=False)
    out.print(Path(prompt.path).read_text(encoding="utf-8"), markup=False, emoji=False, end="")
