"""`eventsum eval score` and `eventsum eval meta`: score summaries, and measure the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from eventsum.commands.console import err, out
from eventsum.output import FORMAT_HELP, Format, emit, grid, pick_format, print_table
from eventsum.user_errors import print_error

app = typer.Typer(help="Score summaries against gold, run suites, compare prompt versions.", no_args_is_help=True)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


@app.command("score")
def score(
    suite: Path = typer.Argument(..., help="The suite the summaries are of."),
    summaries: Path = typer.Argument(..., help='JSON Lines: {"case_id", "system", "summary"} per line.'),
    scorer: str = typer.Option("deterministic", help="deterministic | judge | hybrid"),
    judge_model: str | None = typer.Option(None, help="Model for --scorer judge/hybrid."),
    judge_base_url: str | None = typer.Option(None, help="OpenAI-compatible URL for the judge."),
    judge_repeats: int = typer.Option(1, min=1, help="Ask the judge K times; report agreement."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json: one score card per line, with "
                                                       "every verdict and its evidence."),
    fmt: Format | None = typer.Option(None, "--format", help=FORMAT_HELP),
) -> None:
    """Score summaries written elsewhere: one card per line (a broken line is an error card), then means."""
    from evals.scorer import get_scorer
    from evals.scoring_io import score_file

    score_fn = get_scorer(scorer, judge_model, judge_base_url, judge_repeats)
    result = score_file(suite, summaries, score_fn)
    for e in result.errors:
        print_error(e)
    fmt = pick_format(fmt, json_flag=as_json)
    if fmt is Format.json:  # JSON Lines, as before: one card per line
        for card in result.cards:
            out.file.write(card.model_dump_json() + "\n")
        return
    table = grid(f"{summaries.name} on {suite} ({scorer})", "case", "system", ("coverage", "number"),
                 ("hallucination", "number"), ("conflicts", "number"), ("invented", "number"), ("traps", "number"),
                 ("error", "text"))
    for c in result.cards:
        m = c.metrics
        table.add(c.case_id, c.system, _fmt(m and m.coverage), _fmt(m and m.hallucination), _fmt(m and m.conflict),
                  m.invented_conflicts if m else "-", m.traps if m else "-", c.error or "")
    emit(table, fmt)
    if fmt is Format.table:
        failed = sum(c.error is not None for c in result.cards)
        out.print(f"{len(result.cards)} card(s), {failed} error card(s)", markup=False)
        for system, means in result.means().items():
            out.print(f"mean {system or '(no system)'}: " + ", ".join(f"{k} {_fmt(v)}" for k, v in means.items()),
                      markup=False)


@app.command("meta")
def meta(
    suite: Path = typer.Argument(..., help="The suite the labelled summaries are of."),
    labels: list[Path] = typer.Argument(None, help="Label files or directories (default: SUITE/labels/)."),
    scorer: str = typer.Option("deterministic", help="deterministic | judge | hybrid"),
    judge_model: str | None = typer.Option(None, help="Model for --scorer judge/hybrid."),
    judge_base_url: str | None = typer.Option(None, help="OpenAI-compatible URL for the judge."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable report."),
    show: int = typer.Option(50, help="How many disagreements to list."),
) -> None:
    """Measure a scorer against labelled summaries: precision, recall, balanced accuracy; every disagreement."""
    from evals.meta import label_files, meta_evaluate
    from evals.scorer import get_scorer
    from evals.suite import load_suite

    loaded = load_suite(suite)
    for e in loaded.errors:
        print_error(str(e))
    files = label_files(suite, labels or [])
    score_fn = get_scorer(scorer, judge_model, judge_base_url)
    report = meta_evaluate({c.id: c for c in loaded.cases}, files, score_fn)
    if as_json:
        def with_rates(stats: list) -> list[dict]:
            return [{**s.model_dump(), "precision": s.precision, "recall": s.recall,
                     "balanced_accuracy": s.balanced_accuracy} for s in stats]

        data = report.model_dump()
        data["stats"] = with_rates(report.stats)
        data["by_style"] = {style: with_rates(stats) for style, stats in report.by_style.items()}
        out.print(json.dumps(data, indent=2), markup=False)
        return
    table = Table(title=f"Scorer '{scorer}' against {report.summaries} labelled summaries ({suite})")
    for col in ("metric", "judgements", "precision", "recall", "balanced accuracy"):
        table.add_column(col, justify="right" if col != "metric" else "left")
    for s in report.stats:
        table.add_row(s.metric, str(s.n), _fmt(s.precision), _fmt(s.recall), _fmt(s.balanced_accuracy))
    print_table(table)
    hall = next(s for s in report.stats if s.metric == "hallucination")
    out.print(f"unverified units (left undecided by the rules, counted as not flagged): {hall.unverified} of {hall.n}")
    if len(report.by_style) > 1:
        styles = Table(title="Balanced accuracy by style (P / R: hallucination precision and recall)")
        for col in ("style", "n", "omission", "halluc.", "P / R", "conflicts", "invented", "traps"):
            styles.add_column(col, justify="left" if col == "style" else "right")
        for style, stats in report.by_style.items():
            om, hall, conf, inv, traps = stats
            styles.add_row(style, str(report.style_counts[style]), _fmt(om.balanced_accuracy),
                           _fmt(hall.balanced_accuracy), f"{_fmt(hall.precision)}/{_fmt(hall.recall)}",
                           _fmt(conf.balanced_accuracy), _fmt(inv.balanced_accuracy), _fmt(traps.balanced_accuracy))
        print_table(styles)
    for e in report.errors:
        print_error(str(e))
    out.print(f"{len(report.disagreements)} disagreement(s)")
    for d in report.disagreements[:show]:
        out.print(f"- [{d.metric}] {d.where}: {d.item!r}: expected {d.expected}, got {d.got}" + (f" ({d.why})" if d.why else ""),
                  markup=False)
