"""`eventsum gold ...`: help writing gold for a new case."""

from __future__ import annotations

from pathlib import Path

import typer

from eventsum.commands.console import err, out

app = typer.Typer(help="Help write gold.json for a new case.", no_args_is_help=True)


@app.command("draft")
def draft(
    case_dir: Path = typer.Argument(..., help="A case directory with sources/*.txt."),
    out_file: Path | None = typer.Option(None, "--out", help="Write here instead of CASE_DIR/gold.json."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Draft gold.json (facts, conflicts, non-conflicts, traps) for a person to review."""
    from evals.gold import GOLD_FILE
    from evals.gold_draft import write_draft
    from summarizer.errors import EventsumError
    from summarizer.sources import load_case_sources

    target = out_file or case_dir / GOLD_FILE
    try:
        counts = write_draft(load_case_sources(case_dir), target, force=force)
    except EventsumError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(1) from None
    out.print(f"wrote {target}: {counts.facts} facts, {counts.conflicts} conflicts, "
              f"{counts.non_conflicts} non-conflicts, {counts.traps} traps")
    out.print("This is a draft: check every fact, weight, source list and pattern against the articles, add what "
              "is missing, then delete the \"draft\" field; `eventsum suites validate` refuses the file until then.")
