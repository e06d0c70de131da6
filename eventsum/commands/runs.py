"""`eventsum eval run | rescore | compare | report`: the daily loop of running and comparing prompt versions."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from eventsum.commands.brief import DEFAULT_SYSTEM
from eventsum.commands.console import err, out
from eventsum.commands.evals import app
from eventsum.output import FORMAT_HELP, Format, Grid, check_writable, emit, grid, pick_format, print_table
from eventsum.progress import run_progress
from eventsum.user_errors import print_error
from evals.stats import format_p
from summarizer.errors import EventsumError

if TYPE_CHECKING:
    from evals.compare import Comparison
    from evals.stats import Interval
    from evals.summary import RunSummary


def _interval(i: Interval) -> str:
    return "-" if i.mean != i.mean else f"{i.mean:.3f} [{i.low:.3f}, {i.high:.3f}]"


def print_summary(summary: RunSummary, fmt: Format = Format.table) -> None:
    """Suite means with their intervals; JSON is summary.json as written."""
    table = grid(f"{summary.system} on {summary.suite} ({summary.model}): {summary.records} summaries, "
                 f"{summary.errors} error(s), {summary.input_tokens + summary.output_tokens} tokens",
                 "metric", ("mean [95% CI]", "number"), ("n", "number"))
    for name, interval in summary.metrics.items():
        table.add(name, _interval(interval), interval.n)
    emit(table, fmt, summary)


@app.command("run")
def run(
    suite: Path = typer.Argument(..., help="Suite directory."),
    prompt: str = typer.Option(DEFAULT_SYSTEM, "--prompt", help="System: a prompt NAME@VERSION or a pipeline; the "
                                                                "default is brief's."),
    model: str = typer.Option("local", help="local | local:PATH.gguf | openai:MODEL"),
    base_url: str | None = typer.Option(None, help="OpenAI-compatible server URL (or OPENAI_BASE_URL)."),
    scorer: str = typer.Option("deterministic", help="deterministic | judge | hybrid"),
    judge_model: str | None = typer.Option(None, help="Model for --scorer judge/hybrid (e.g. openai:gpt-4o)."),
    judge_base_url: str | None = typer.Option(None, help="OpenAI-compatible URL for the judge."),
    judge_repeats: int = typer.Option(1, min=1, help="Ask the judge K times; report agreement."),
    samples: int = typer.Option(1, min=1, help="Summaries per case, to see generation noise."),
    concurrency: int = typer.Option(1, min=1, help="Cases in flight at once."),
    out_dir: Path | None = typer.Option(None, "--out", help="Run directory (default runs/SYSTEM-TIME)."),
    resume: bool = typer.Option(False, "--resume", help="Continue a run: skip finished (case, sample) pairs."),
    cases: str | None = typer.Option(None, help="Only case ids matching this glob, e.g. '0*'."),
    limit: int | None = typer.Option(None, min=1, help="Only the first N cases (name order)."),
    fail_under: list[str] = typer.Option([], "--fail-under", help="METRIC=VALUE; exit 1 when the suite mean is worse."),
    temperature: float | None = typer.Option(None, help="Override the prompt's temperature."),
    seed: int | None = typer.Option(None, help="Override the prompt's seed (sample k uses seed + k)."),
    max_tokens: int | None = typer.Option(None, help="Override the prompt's answer length limit."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Ignore and do not fill the response cache."),
    timeout: float | None = typer.Option(None, min=0.1, help="Total deadline of one model call, in seconds (default 180)."),
    keep_errors: bool = typer.Option(False, "--keep-errors", help="On --resume, keep error records instead of retrying them."),
    max_errors: int = typer.Option(0, min=0, help="Cases allowed to end in error before the exit code is 3."),
    fail_fast: bool = typer.Option(False, "--fail-fast", help="Stop at the first case that ends in error."),
    fmt: Format = typer.Option(Format.table, "--format", help="How to print the suite means: " + FORMAT_HELP),
) -> None:
    """Summarize and score every case of a suite; writes manifest.json, results.jsonl, summary.json."""
    from evals.run import SuiteRun, execute, finish_run, parse_thresholds, scorer_of, start_run
    from evals.summary import check_threshold_names, failed_thresholds, write_summary
    from summarizer.system import SystemOptions

    options = SystemOptions(model=model, base_url=base_url, temperature=temperature, seed=seed,
                            max_tokens=max_tokens, use_cache=not no_cache, timeout_s=timeout)
    target = out_dir or Path("runs") / f"{prompt.replace('@', '-')}-{time.strftime('%Y%m%d-%H%M%S')}"
    spec = SuiteRun(suite=suite, system=prompt, options=options, scorer=scorer, judge_model=judge_model,
                    judge_base_url=judge_base_url, judge_repeats=judge_repeats, samples=samples,
                    concurrency=concurrency, out=target, resume=resume, cases=cases, limit=limit,
                    keep_errors=keep_errors, fail_fast=fail_fast)
    thresholds = parse_thresholds(fail_under)
    check_threshold_names(thresholds)
    scorer_of(spec)
    start_run(spec)
    with run_progress(f"eval run {prompt}", err) as shown:
        try:
            progress = asyncio.run(execute(spec, shown.update))
        except KeyboardInterrupt:
            finish_run(target, "interrupted")
            err.print(f"stopped; every finished case is saved. Continue with: {resume_command(target)}", markup=False)
            # Threads blocked in a socket read cannot be interrupted, and Python would join them at
            # exit (minutes, with retries); everything finished is already fsynced, so leave now.
            import os
            import sys

            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
    finish_run(target, "finished" if progress.stopped is None else "interrupted")
    summary = write_summary(target)
    print_summary(summary, fmt)
    (out if fmt is Format.table else err).print(f"run directory: {target}", markup=False)
    for failure in progress.failures:
        err.print(f"failed {failure}", markup=False)
    if progress.stopped:
        err.print(f"[red]stopped early[/red] {progress.stopped}")
    failures = failed_thresholds(summary, thresholds)
    for f in failures:
        err.print(f"[red]fail[/red] {f}")
    if progress.stopped or summary.errors > max_errors:
        print_error(f"{summary.errors} case(s) ended in error (allowed: --max-errors {max_errors})")
        raise typer.Exit(3)
    if failures:
        raise typer.Exit(1)


def resume_command(target: Path) -> str:
    """The command line that was run, with --out and --resume, for the user to paste."""
    import shlex
    import sys

    args = list(sys.argv[1:])
    if "--out" not in args and not any(a.startswith("--out=") for a in args):
        args += ["--out", str(target)]
    if "--resume" not in args:
        args.append("--resume")
    return shlex.join(["eventsum", *args])


@app.command("rescore")
def rescore(run_dir: Path = typer.Argument(..., help="A run directory."),
            scorer: str | None = typer.Option(None, help="Scorer (default: the run's).")) -> None:
    """Score a run's stored summaries again with the current scorer (no summarizer call)."""
    from evals.rescore import rescore_run
    from evals.summary import write_summary

    rescore_run(run_dir, scorer)
    print_summary(write_summary(run_dir))


def comparison_grid(result: Comparison) -> Grid:
    """One row per metric that both runs scored, with the n of paired cases it uses."""
    table = grid(f"{result.system_b} vs {result.system_a}: {result.cases} paired cases", "metric",
                 ("n", "number"), ("A", "number"), ("B", "number"), ("B - A [95% CI]", "number"), ("p", "number"),
                 ("better", "number"), ("worse", "number"))
    for m in result.metrics:
        s = m.stats
        if s.n == 0:  # no paired value: said in words below the table, never a row of nan
            continue
        arrow = " (higher is better)" if m.higher_is_better else " (lower is better)"
        table.add(m.metric + arrow, s.n, f"{s.mean_a:.3f}", f"{s.mean_b:.3f}",
                  f"{s.diff:+.3f} [{s.low:+.3f}, {s.high:+.3f}]", format_p(s.p_value), len(m.better_cases),
                  len(m.worse_cases))
    return table


@app.command("compare")
def compare(
    run_a: Path = typer.Argument(..., help="The baseline run."),
    run_b: Path = typer.Argument(..., help="The candidate run."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json: the whole comparison."),
    html: Path | None = typer.Option(None, "--html", help="Also write a self-contained HTML page."),
    show: int = typer.Option(15, help="How many changed items to list per kind."),
    fmt: Format | None = typer.Option(None, "--format", help=FORMAT_HELP),
) -> None:
    """Paired comparison by case: differences with 95% intervals and p-values, and what flipped."""
    from evals.compare import compare_runs
    if html:
        check_writable(html)
    result = compare_runs(run_a, run_b)
    for w in result.warnings:
        err.print(Text.assemble(("warning", "yellow"), " ", w))
    if html:
        from evals.report import write_compare_html

        write_compare_html(result, html)
        err.print(f"wrote {html}", markup=False)
    fmt = pick_format(fmt, json_flag=as_json)
    emit(comparison_grid(result), fmt, result)
    if fmt is not Format.table:
        return
    for m in result.metrics:
        if m.stats.n == 0:
            out.print(f"{m.metric}: not compared: {m.note}", markup=False)
    sections = [("facts now missed", [f"{f.case_id} {f.fact}" for f in result.facts_lost]),
                ("facts now covered", [f"{f.case_id} {f.fact}" for f in result.facts_gained]),
                ("conflict outcomes changed", [f"{c.case_id} {c.conflict}: {c.before} -> {c.after}" for c in result.conflict_changes]),
                ("new hallucinations", [f"{u.case_id}: {u.text[:100]}" for u in result.new_hallucinations]),
                ("fixed hallucinations", [f"{u.case_id}: {u.text[:100]}" for u in result.fixed_hallucinations])]
    for title, items in sections:
        out.print(f"{title}: {len(items)}", markup=False)
        for item in items[:show]:
            out.print(f"  - {item}", markup=False)


@app.command("report")
def report(
    run_dirs: list[Path] = typer.Argument(..., metavar="RUN_DIR", help="One or more run directories, shown side by side."),
    html: Path | None = typer.Option(None, "--html", help="The page to write (default: report.html in the first run directory)."),
) -> None:
    """Write one self-contained HTML page of runs: metric charts, coverage grid, conflicts, hallucinated units."""
    from evals.report import write_report

    target = html or run_dirs[0] / "report.html"
    try:
        stats = write_report(run_dirs, target)
    except EventsumError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(2) from None
    table = Table(title="suite means [95% CI]")
    table.add_column("metric")
    for key, summary in zip(stats.keys, stats.summaries, strict=True):
        table.add_column(f"{key} {summary.system}", justify="right")
    for name in stats.summaries[0].metrics:
        table.add_row(name, *(_interval(s.metrics[name]) for s in stats.summaries))
    table.add_row("failed", *(f"{s.errors} of {s.records}" for s in stats.summaries))
    table.add_row("tokens", *(f"{s.input_tokens + s.output_tokens:,}" for s in stats.summaries))
    print_table(table)
    out.print(f"wrote {target}: {len(stats.summaries)} run(s), {stats.cases} case(s), {stats.flagged} hallucinated unit(s), "
              f"{stats.invented} invented conflict(s)", markup=False)
