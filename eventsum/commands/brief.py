"""`eventsum brief PATH...`: a Markdown briefing of one event from the articles that report it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from eventsum.commands.console import err, out
from eventsum.output import check_writable
from eventsum.user_errors import print_error

if TYPE_CHECKING:
    from summarizer.models import EventSummary, Position
    from summarizer.sources import CaseSources
    from summarizer.system import SummaryResult

# The system `brief` uses unless --prompt says otherwise: the best-measured offline one. On the
# seed and newsroom suites crosssource beats both prompt versions on the embedded model on every
# metric (README, "Offline systems compared").
DEFAULT_SYSTEM = "crosssource"
_TITLE_CHARS = 100


def _markers(source_ids: list[str]) -> str:
    return "".join(f"[{sid}]" for sid in dict.fromkeys(source_ids))


def _side(position: Position) -> str:
    ids = position.sources or [c.source for c in position.citations]
    who = _markers(ids) if ids else "one source"
    return f"{who} says {position.claim.strip().rstrip('.')}"


def _title(text: str) -> str:
    from summarizer.cleaning import clean_text
    from summarizer.sources import Source

    kept = clean_text(Source(id="title", path="", text=text)).kept
    first = kept[0].text.strip() if kept else ""
    return first if len(first) <= _TITLE_CHARS else first[:_TITLE_CHARS].rsplit(" ", 1)[0] + "..."


def render_markdown(summary: EventSummary, sources: CaseSources) -> str:
    """Headline, the 4 Ws, key facts with [source] markers, the disagreements (one bullet each), sources."""
    lines = [f"# {summary.headline}", ""]
    four_w = [(label, value) for label, value in (("Who", summary.who), ("What", summary.what),
                                                  ("Where", summary.where), ("When", summary.when)) if value]
    if four_w:
        lines += [f"- **{label}:** {value}" for label, value in four_w] + [""]
    lines += ["## Key facts", ""]
    lines += [f"- {f.text.strip()} {_markers([c.source for c in f.citations])}".rstrip() for f in summary.facts]
    if not summary.facts:
        lines.append("No facts were extracted.")
    lines += ["", "## Where sources disagree", ""]
    # One bullet per disagreement, every side attributed: a reader (and the scorer) sees the dispute whole.
    for c in summary.conflicts:
        sides = "; while ".join(_side(p) for p in c.positions)
        lines.append(f"- **{c.question.strip()}** Sources disagree: {sides}.")
    if not summary.conflicts:
        lines.append("No disagreement between the sources was found.")
    if summary.briefing:
        lines += ["", "## Briefing", "", summary.briefing.strip()]
    lines += ["", "## Sources", ""]
    lines += [f"- [{s.id}] {_title(s.text)}".rstrip() for s in sources.sources]
    return "\n".join(lines) + "\n"


def _report(result: SummaryResult, seconds: float) -> None:
    """Which system ran, on what, how long it took and what it cost: on stderr."""
    calls = result.calls
    cached = " (from cache)" if calls and all(c.cached for c in calls) else ""
    err.print(f"{result.system} [{result.system_hash}] on {result.model or 'no model'}: {seconds:.1f} s{cached}; "
              f"{len(calls)} call(s), {result.input_tokens} in / {result.output_tokens} out tokens, "
              f"{sum(c.retries for c in calls)} retries, {result.dropped_citations} citation(s) dropped",
              markup=False)
    for note in result.notes:
        err.print(f"note: {note}", markup=False)


def brief(
    paths: list[Path] = typer.Argument(..., help="A case directory (CASE/sources/*.txt) or article files."),
    prompt: str = typer.Option(DEFAULT_SYSTEM, "--prompt", help="System: a prompt NAME@VERSION or a pipeline name."),
    model: str = typer.Option("local", "--model", help="local | local:PATH.gguf | openai:MODEL"),
    base_url: str | None = typer.Option(None, "--base-url", help="OpenAI-compatible server URL (or OPENAI_BASE_URL)."),
    json_out: bool = typer.Option(False, "--json", help="Write the EventSummary as JSON instead of Markdown."),
    out_file: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Ignore and do not fill the response cache."),
    truncate: bool = typer.Option(False, "--truncate", help="Cut sources that do not fit the model's context."),
    temperature: float | None = typer.Option(None, help="Override the prompt's temperature."),
    seed: int | None = typer.Option(None, help="Override the prompt's seed."),
    max_tokens: int | None = typer.Option(None, help="Override the prompt's answer length limit."),
    n_ctx: int | None = typer.Option(None, help="Context size (local model default 8192)."),
    max_retries: int | None = typer.Option(None, help="Re-asks after an invalid answer (prompt default)."),
    max_sources: int | None = typer.Option(None, help="Sources per case (default 200, or EVENTSUM_MAX_SOURCES)."),
    max_source_bytes: int | None = typer.Option(None, help="Bytes per source (default 524288, or "
                                                           "EVENTSUM_MAX_SOURCE_BYTES)."),
    max_case_bytes: int | None = typer.Option(None, help="Bytes per case (default 1048576, or "
                                                         "EVENTSUM_MAX_CASE_BYTES)."),
) -> None:
    """Summarize one event: Markdown briefing on stdout (or --json), progress and runtime on stderr."""
    from summarizer.sources import SourceLimits, load_articles
    from summarizer.system import SystemOptions, get_system

    options = SystemOptions(model=model, base_url=base_url, temperature=temperature, seed=seed,
                            max_tokens=max_tokens, n_ctx=n_ctx, use_cache=not no_cache, truncate=truncate,
                            max_retries=max_retries)
    if out_file is not None:
        check_writable(out_file)  # before the work, not after it
    limits = SourceLimits.from_env(max_sources=max_sources, max_source_bytes=max_source_bytes,
                                   max_case_bytes=max_case_bytes)
    case = load_articles(paths, limits)
    system = get_system(prompt, options)
    started = time.monotonic()
    with err.status(f"Summarizing {len(case.sources)} source(s) with {system.name} on {model}..."):
        result = system.summarize(case)
    _report(result, time.monotonic() - started)
    if result.summary is None:
        print_error(str(result.error))
        if result.raw_output:
            err.print(f"raw model output: {result.raw_output[:2000]}", markup=False)
        raise typer.Exit(1)
    text = (result.summary.model_dump_json(indent=2) + "\n" if json_out
            else render_markdown(result.summary, case))
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_file}", markup=False)
    else:
        out.print(text, markup=False, emoji=False, end="")
