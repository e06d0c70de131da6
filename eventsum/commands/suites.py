"""`eventsum suites ...`: check suites against the data contract."""

from __future__ import annotations

from pathlib import Path

import typer

from eventsum.commands.console import err, out

app = typer.Typer(help="Check suites of cases against the data contract.", no_args_is_help=True)


@app.command("validate")
def validate(
    suite: Path = typer.Argument(..., help="A suite directory: CASE/sources/*.txt + CASE/gold.json."),
    max_sources: int | None = typer.Option(None, help="Sources per case (default 200, or EVENTSUM_MAX_SOURCES)."),
    max_source_bytes: int | None = typer.Option(None, help="Bytes per source (default 524288, or "
                                                           "EVENTSUM_MAX_SOURCE_BYTES)."),
    max_case_bytes: int | None = typer.Option(None, help="Bytes per case (default 1048576, or "
                                                         "EVENTSUM_MAX_CASE_BYTES)."),
) -> None:
    """Validate every case of a suite; exits 1 on any error, naming the file and field."""
    from evals.suite import load_suite
    from summarizer.errors import EventsumError
    from summarizer.sources import SourceLimits, near_limits

    try:
        limits = SourceLimits.from_env(max_sources=max_sources, max_source_bytes=max_source_bytes,
                                       max_case_bytes=max_case_bytes)
    except (EventsumError, ValueError) as e:
        err.print(f"[red]error[/red] {e}", markup=False)
        raise typer.Exit(2) from None
    result = load_suite(suite, limits, warn=True)
    for e in result.errors:
        err.print(f"[red]error[/red] {e}")
    for w in result.warnings:
        err.print(f"warning {w}", markup=False)
    for case in result.cases:
        for warning in near_limits(case.sources, limits):
            err.print(f"warning {case.path}: {warning}", markup=False)
    err.print(f"limits: {limits.describe()}", markup=False)
    n_sources = sum(len(c.sources.sources) for c in result.cases)
    n_facts = sum(len(c.gold.facts) for c in result.cases)
    n_conf = sum(len(c.gold.conflicts) for c in result.cases)
    n_traps = sum(len(c.gold.traps) for c in result.cases)
    status = "OK" if result.ok else f"{len(result.errors)} error(s)"
    out.print(f"{suite}: {len(result.cases)} valid case(s), {n_sources} sources, {n_facts} facts, "
              f"{n_conf} conflicts, {n_traps} traps: {status}")
    if not result.ok:
        raise typer.Exit(1)


@app.command("stats")
def stats(suite: Path = typer.Argument(..., help="A suite directory."),
          markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table (for a README).")) -> None:
    """A table of the suite: per case, sources, facts, conflicts by kind, traps, labelled summaries."""
    from evals.suite_stats import suite_table

    rows, total = suite_table(suite)
    header = ["case", "sources", "words", "facts", "conflicts (kinds)", "non-conflicts", "traps", "labelled"]
    lines = [[r.case, str(r.sources), str(r.words), str(r.facts), r.conflicts, str(r.non_conflicts), str(r.traps),
              str(r.labelled)] for r in [*rows, total]]
    if markdown:
        out.print("| " + " | ".join(header) + " |", markup=False)
        out.print("|" + "---|" * len(header), markup=False)
        for line in lines:
            out.print("| " + " | ".join(line) + " |", markup=False)
        return
    from rich.table import Table

    table = Table(title=str(suite))
    for h in header:
        table.add_column(h)
    for line in lines:
        table.add_row(*line)
    out.print(table)
