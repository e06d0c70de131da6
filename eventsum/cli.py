"""The `eventsum` command: parse arguments, call a function, print. Nothing else lives here.

Each command group lives in its own module under eventsum/commands/ and is
registered below.
"""

from __future__ import annotations

import typer

from eventsum import __version__
from eventsum.commands import brief, console, evals, gold, prompts, run_list, runs, suites  # noqa: F401 - runs registers eval commands
from eventsum.user_errors import EventsumGroup

# EventsumGroup turns every user error into one line and exit code 2 (eventsum/user_errors.py).
app = typer.Typer(cls=EventsumGroup, help="Write and evaluate summaries of news events that several sources report.",
                  no_args_is_help=True, add_completion=False)


def _version(value: bool) -> None:
    if value:
        console.out.print(f"eventsum {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """eventsum: multi-source event summaries, and the evidence that they are faithful."""


app.add_typer(suites.app, name="suites")
app.add_typer(evals.app, name="eval")
# Command groups register here, one line each.
app.command("brief")(brief.brief)
app.add_typer(prompts.app, name="prompts")
app.add_typer(gold.app, name="gold")
app.add_typer(run_list.app, name="runs")


def main() -> None:
    app()
