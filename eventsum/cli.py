"""The `eventsum` command: parse arguments, call a function, print. Nothing else lives here."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from eventsum import __version__

app = typer.Typer(help="Write and evaluate summaries of news events that several sources report.",
                  no_args_is_help=True, add_completion=False)
suites_app = typer.Typer(help="Check suites of cases against the data contract.", no_args_is_help=True)
app.add_typer(suites_app, name="suites")

out = Console()
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        out.print(f"eventsum {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """eventsum: multi-source event summaries, and the evidence that they are faithful."""


@suites_app.command("validate")
def suites_validate(suite: Path = typer.Argument(..., help="A suite directory: CASE/sources/*.txt + CASE/gold.json.")) -> None:
    """Validate every case of a suite; exits 1 on any error, naming the file and field."""
    from evals.suite import load_suite

    result = load_suite(suite)
    for e in result.errors:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
    n_sources = sum(len(c.sources.sources) for c in result.cases)
    n_facts = sum(len(c.gold.facts) for c in result.cases)
    n_conf = sum(len(c.gold.conflicts) for c in result.cases)
    n_traps = sum(len(c.gold.traps) for c in result.cases)
    status = "OK" if result.ok else f"{len(result.errors)} error(s)"
    out.print(f"{suite}: {len(result.cases)} valid case(s), {n_sources} sources, {n_facts} facts, "
              f"{n_conf} conflicts, {n_traps} traps: {status}", highlight=False)
    if not result.ok:
        raise typer.Exit(1)


def main() -> None:
    app()
