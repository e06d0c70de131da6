"""`eventsum suites ...`: check suites against the data contract."""

from __future__ import annotations

from pathlib import Path

import typer

from eventsum.commands.console import err, out
from eventsum.output import FORMAT_HELP, Format, emit, grid, pick_format
from eventsum.user_errors import print_error

app = typer.Typer(help="Check suites of cases against the data contract.", no_args_is_help=True)


@app.command("validate")
def validate(
    suite: Path = typer.Argument(..., help="A suite directory: CASE/sources/*.txt + CASE/gold.json."),
    max_sources: int | None = typer.Option(None, help="Sources per case (default 200, or EVENTSUM_MAX_SOURCES)."),
    max_source_bytes: int | None = typer.Option(None, help="Bytes per source (default 524288, or "
                                                           "EVENTSUM_MAX_SOURCE_BYTES)."),
    max_case_bytes: int | None = typer.Option(None, help="Bytes per case (default 1048576, or "
                                                         "EVENTSUM_MAX_CASE_BYTES)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table: the problems, then one line; json, tsv or "
                                                              "markdown: one row per problem."),
) -> None:
    """Validate every case of a suite; exits 1 on any error, naming the file and field."""
    from evals.suite import load_suite
    from summarizer.errors import EventsumError
    from summarizer.sources import SourceLimits, near_limits

    try:
        limits = SourceLimits.from_env(max_sources=max_sources, max_source_bytes=max_source_bytes,
                                       max_case_bytes=max_case_bytes)
    except ValueError as e:
        raise EventsumError(str(e)) from None
    result = load_suite(suite, limits, warn=True)
    warnings = [(str(case.path), w) for case in result.cases for w in near_limits(case.sources, limits)]
    warnings += [("", str(w)) for w in result.warnings]
    n_sources = sum(len(c.sources.sources) for c in result.cases)
    n_facts = sum(len(c.gold.facts) for c in result.cases)
    n_conf = sum(len(c.gold.conflicts) for c in result.cases)
    n_traps = sum(len(c.gold.traps) for c in result.cases)
    status = "OK" if result.ok else f"{len(result.errors)} error(s)"
    line = (f"{suite}: {len(result.cases)} valid case(s), {n_sources} sources, {n_facts} facts, "
            f"{n_conf} conflicts, {n_traps} traps: {status}")
    if fmt is Format.table:
        for e in result.errors:
            print_error(str(e))
        for where, warning in warnings:
            err.print(f"warning {where}: {warning}", markup=False)
        err.print(f"limits: {limits.describe()}", markup=False)
        out.print(line, markup=False)
    else:
        problems = grid(line, "level", "file", "field", ("message", "text"))
        for e in result.errors:
            problems.add("error", e.path, e.field or "", e.message)
        for where, warning in warnings:
            problems.add("warning", where, "", warning)
        emit(problems, fmt, {"suite": str(suite), "ok": result.ok, "cases": len(result.cases), "sources": n_sources,
                             "facts": n_facts, "conflicts": n_conf, "traps": n_traps, "limits": limits.describe(),
                             "problems": problems.records()})
    if not result.ok:
        raise typer.Exit(1)


@app.command("stats")
def stats(suite: Path = typer.Argument(..., help="A suite directory."),
          markdown: bool = typer.Option(False, "--markdown", help="Same as --format markdown."),
          fmt: Format | None = typer.Option(None, "--format", help=FORMAT_HELP)) -> None:
    """A table of the suite: per case, sources, facts, conflicts by kind, traps, labelled summaries."""
    from evals.suite_stats import suite_table

    rows, total = suite_table(suite)
    table = grid(str(suite), "case", ("sources", "number"), ("words", "number"), ("facts", "number"),
                 ("conflicts (kinds)", "text"), ("non-conflicts", "number"), ("traps", "number"),
                 ("labelled", "number"))
    for r in rows:
        table.add(*r.model_dump().values())
    table.total = [str(v) for v in total.model_dump().values()]
    emit(table, pick_format(fmt, markdown_flag=markdown), {"cases": rows, "total": total})
