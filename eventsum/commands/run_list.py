"""`eventsum runs list [DIR]`: the runs made so far, with what they ran and their suite means."""

from __future__ import annotations

from pathlib import Path

import typer

from eventsum.output import FORMAT_HELP, Format, emit, grid
from eventsum.user_errors import print_error

app = typer.Typer(help="Past runs: what each ran, its status and its suite means.", no_args_is_help=True)
_SHOWN = ("coverage", "hallucination", "conflict", "errors")


def _mean(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@app.command("list")
def list_(
    root: Path = typer.Argument(Path("runs"), metavar="DIR", help="A folder of run directories (searched "
                                                                   "recursively), or one run directory."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_HELP),
) -> None:
    """Every run under DIR, oldest first: suite, system, model, scorer, status, cases and suite means."""
    from evals.runs.catalog import list_runs

    runs, problems = list_runs(root)
    for problem in problems:
        print_error(problem)
    table = grid(f"{len(runs)} run(s) in {root}", "run", "suite", "system", "model", "scorer", "status",
                 ("cases", "number"), *((m, "number") for m in _SHOWN), "started")
    for r in runs:
        done = "-" if r.summaries is None else str(r.summaries)
        table.add(r.run, r.suite, r.system, r.model, r.scorer, r.status, f"{done}/{r.cases}",
                  *(_mean(r.means.get(m)) for m in _SHOWN), r.started_at)
    emit(table, fmt, runs)
