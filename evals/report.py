"""Self-contained HTML pages for runs (`eventsum eval report`) and comparisons (`eventsum eval compare --html`).

One file each: inline CSS, JS and SVG, no fonts or scripts fetched, so a page opens
offline and can be mailed. Jinja autoescapes every value from the data. Chart geometry
is computed here, in pixels, so the templates only place shapes.
"""

from __future__ import annotations

import math
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

from evals.compare import Comparison, MetricComparison
from evals.report_data import RunView, case_views, conflict_rows, gold_fact_text, load_run_view
from evals.run import load_manifest
from evals.stats import Interval, format_p
from evals.summary import HIGHER_IS_BETTER, METRICS, RunSummary
from summarizer.errors import EventsumError

TEMPLATES = Path(__file__).resolve().parent / "templates"
RATES = ("coverage", "hallucination", "conflict", "errors")
TITLES = {"coverage": "Coverage", "hallucination": "Hallucination rate", "conflict": "Conflicts surfaced",
          "invented": "Invented conflicts", "traps": "Traps triggered", "errors": "Failed summaries"}
NOTES = {"coverage": "gold fact weight covered", "hallucination": "claim units not supported",
         "conflict": "gold conflicts shown with both sides", "invented": "per summary", "traps": "per summary",
         "errors": "share of summaries that could not be scored"}
# Where a lower-is-better metric turns fully red. A linear 0..1 scale would paint a 10%
# hallucination rate green, yet one claim in ten being unsupported is bad.
BAD_AT = {"hallucination": 0.25, "invented": 0.5, "traps": 0.25, "errors": 0.25}
ALPHA = 0.05
# Bar charts: label column, plot area, value text (SVG user units).
LABEL_W, PLOT_W, ROW_H, TOP = 122.0, 132.0, 38.0, 22.0
# Forest plot of differences.
F_LABEL_W, F_PLOT_W, F_ROW_H = 170.0, 300.0, 30.0


def fmt(metric: str, value: float) -> str:
    """A metric value as people read it: rates in percent, counts per summary."""
    if math.isnan(value):
        return "–"
    return f"{value * 100:.1f}%" if metric in RATES else f"{value:.2f}"


def fmt_diff(metric: str, value: float) -> str:
    """A difference B - A: rates in percentage points."""
    if math.isnan(value):
        return "–"
    return f"{value * 100:+.1f} pts" if metric in RATES else f"{value:+.2f}"


def tick(metric: str, value: float, signed: bool = False) -> str:
    """A short axis label: 25%, +2.5, 0."""
    shown = round(value * 100 if metric in RATES else value, 6)
    text = f"{shown:+g}" if signed and shown else f"{shown:g}"
    return text + ("%" if metric in RATES and not signed else "")


def p_text(p: float) -> str:
    """p=0.127 or p<0.001, from the one formatter the terminal uses too."""
    shown = format_p(p)
    return shown if shown.startswith("<") else f"={shown}"


def verdict(m: MetricComparison) -> str:
    """better / worse when the 95% interval of B - A lies on one side of zero and p < ALPHA; else none."""
    # Both: with a few cases that all moved alike the bootstrap interval collapses onto the
    # mean and excludes zero, while the permutation test rightly says that proves little.
    sign = 1 if m.higher_is_better else -1
    ends = (sign * m.stats.low, sign * m.stats.high)  # in "gain" units: positive is better
    if not m.stats.n or m.stats.p_value >= ALPHA:
        return "none"
    return "better" if min(ends) > 0 else "worse" if max(ends) < 0 else "none"


def goodness(metric: str, value: float) -> float:
    """0 (bad) .. 1 (good), whichever way the metric points."""
    if HIGHER_IS_BETTER[metric]:
        return value
    return max(0.0, 1.0 - value / BAD_AT.get(metric, 1.0))


def colour(good: float) -> str:
    """Red through amber to green."""
    return f"hsl({round(max(0.0, min(1.0, good)) * 130)}, 62%, 42%)"


def nice_ceiling(x: float, floor: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least x (and at least floor)."""
    x = max(x, floor)
    power = 10 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= x - 1e-12)


class Bar(BaseModel):
    run: str
    label: str
    title: str = ""
    y: float
    empty: bool
    x_mean: float = 0.0
    x_low: float = 0.0
    x_high: float = 0.0
    fill: str = "#999"
    value: str = "–"
    interval: str = ""
    n: int = 0
    best: bool = False


class MetricChart(BaseModel):
    metric: str
    title: str
    note: str
    higher_is_better: bool
    height: float
    ticks: list[tuple[float, str]]
    bars: list[Bar]


def _x(value: float, top: float) -> float:
    return LABEL_W + PLOT_W * max(0.0, min(value, top)) / top


def metric_charts(runs: list[RunView]) -> list[MetricChart]:
    """One small chart per metric: a bar per run at its mean, whiskers at its 95% interval."""
    charts = []
    for metric in METRICS:
        intervals: list[Interval] = [run.summary.metrics[metric] for run in runs]
        seen = [i for i in intervals if not math.isnan(i.mean)]
        top = 1.0 if metric in RATES else nice_ceiling(max((i.high for i in seen), default=1.0), 1.0)
        best = None
        # "Best" only among equals: a mean over 3 cases is no match for one over 30.
        same_cases = len({run.summary.metrics["errors"].n for run in runs}) == 1
        if same_cases and len(seen) > 1 and len({round(i.mean, 9) for i in seen}) > 1:
            pick = max if HIGHER_IS_BETTER[metric] else min
            best = pick(i.mean for i in seen)
        bars = []
        for row, (run, i) in enumerate(zip(runs, intervals, strict=True)):
            y = TOP + row * ROW_H
            if math.isnan(i.mean):
                bars.append(Bar(run=run.key, label=f"{run.key} · {run.manifest.system}", title=run.label, y=y, empty=True))
                continue
            bars.append(Bar(run=run.key, label=f"{run.key} · {run.manifest.system}", title=run.label, y=y, empty=False, x_mean=_x(i.mean, top), x_low=_x(i.low, top),
                            x_high=_x(i.high, top), fill=colour(goodness(metric, i.mean)), value=fmt(metric, i.mean),
                            interval=f"95% CI {fmt(metric, i.low)} – {fmt(metric, i.high)}", n=i.n,
                            best=best is not None and math.isclose(i.mean, best)))
        ticks = [(_x(top * k / 4, top), tick(metric, top * k / 4)) for k in range(5)]
        charts.append(MetricChart(metric=metric, title=TITLES[metric], note=NOTES[metric],
                                  higher_is_better=HIGHER_IS_BETTER[metric], height=TOP + len(runs) * ROW_H + 6,
                                  ticks=ticks, bars=bars))
    return charts


class ForestRow(BaseModel):
    metric: str
    title: str
    y: float
    x_diff: float
    x_low: float
    x_high: float
    colour: str
    verdict: str
    text: str


class ForestGroup(BaseModel):
    title: str
    y: float
    height: float
    x_zero: float
    span: float
    ticks: list[tuple[float, str]]
    rows: list[ForestRow]


class ForestLayout(BaseModel):
    """Wide: labels left of the plot, values right of it. Stacked (phones): label and value above each line."""

    label_w: float
    plot_w: float
    row_h: float
    width: float
    stacked: bool = False


WIDE = ForestLayout(label_w=F_LABEL_W, plot_w=F_PLOT_W, row_h=F_ROW_H, width=F_LABEL_W + F_PLOT_W + 190)
STACKED = ForestLayout(label_w=14.0, plot_w=312.0, row_h=46.0, width=340.0, stacked=True)


def forest_groups(comparison: Comparison, layout: ForestLayout = WIDE) -> tuple[list[ForestGroup], float]:
    """Differences B - A with their intervals around a zero line; rates and counts on their own axes."""
    groups, y = [], 8.0
    for title, names, floor in (("rates, B − A", RATES, 0.05), ("counts per summary, B − A", ("invented", "traps"), 0.5)):
        items = [m for m in comparison.metrics if m.metric in names and m.stats.n]
        if not items:
            continue
        span = nice_ceiling(max(max(abs(m.stats.low), abs(m.stats.high), abs(m.stats.diff)) for m in items), floor)
        zero = layout.label_w + layout.plot_w / 2

        def x(v: float, span: float = span, zero: float = zero) -> float:
            return zero + (layout.plot_w / 2) * max(-1.0, min(1.0, v / span))
        rows, top = [], y + 22
        # Stacked rows put their text above the line: the line sits low in its row.
        offset = layout.row_h * (0.72 if layout.stacked else 0.5)
        for k, m in enumerate(items):
            s, v = m.stats, verdict(m)
            tint = {"better": colour(1.0), "worse": colour(0.0)}.get(v, "#8a8f98")
            rows.append(ForestRow(metric=m.metric, title=TITLES[m.metric], y=top + k * layout.row_h + offset,
                                  x_diff=x(s.diff), x_low=x(s.low), x_high=x(s.high), colour=tint, verdict=v,
                                  text=f"{fmt_diff(m.metric, s.diff)}  p{p_text(s.p_value)}"))
        height = 22 + len(items) * layout.row_h + 22
        ticks = [(x(span * k / 2), tick(names[0], span * k / 2, signed=True)) for k in range(-2, 3)]
        groups.append(ForestGroup(title=title, y=y, height=height, x_zero=zero, span=span, ticks=ticks, rows=rows))
        y += height + 10
    return groups, y


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = lambda value, metric: fmt(metric, value)
    env.filters["fmt_diff"] = lambda value, metric: fmt_diff(metric, value)
    env.filters["pct"] = lambda v: "–" if v is None else f"{v * 100:.0f}%"
    env.filters["p"] = format_p
    env.globals.update(zip=zip, colour=colour, verdict=verdict, LABEL_W=LABEL_W, PLOT_W=PLOT_W, F_LABEL_W=F_LABEL_W,
                       F_PLOT_W=F_PLOT_W)
    return env


def run_keys(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: short column names for runs."""
    keys = []
    for i in range(count):
        key, n = "", i
        while True:
            key = chr(ord("A") + n % 26) + key
            n = n // 26 - 1
            if n < 0:
                break
        keys.append(key)
    return keys


class ReportStats(BaseModel):
    """What the command says after writing a report."""

    keys: list[str]
    summaries: list[RunSummary]
    cases: int
    flagged: int
    invented: int


def check_same_suite(run_dirs: list[Path]) -> None:
    """Refuse runs of different suites (by content hash), as `eval compare` does: their means do not compare."""
    manifests = [load_manifest(d) for d in run_dirs]
    if len({m.suite_hash for m in manifests}) > 1:
        listed = "; ".join(f"{key} {d}: {m.suite} {m.suite_hash}" for key, d, m in
                           zip(run_keys(len(run_dirs)), run_dirs, manifests, strict=True))
        raise EventsumError(f"refusing to report runs of different suites side by side ({listed}): their cases and gold "
                            "differ, so their means are not comparable; write one report per suite")


def report_warnings(runs: list[RunView]) -> list[str]:
    """What makes the runs' numbers not comparable side by side."""
    warnings = []
    if len({run.summary.metrics["errors"].n for run in runs}) > 1:
        warnings.append("these runs scored different numbers of cases (a partial run?): their means cover different cases")
    if len({(run.manifest.scorer, run.manifest.scorer_version) for run in runs}) > 1:
        warnings.append("these runs were scored by different scorers: rescore them (eventsum eval rescore) before comparing")
    return warnings


def render_report(run_dirs: list[Path]) -> tuple[str, ReportStats]:
    """The report page for one or more run directories, and a few counts to print."""
    check_same_suite(run_dirs)
    runs = [load_run_view(d, key) for d, key in zip(run_dirs, run_keys(len(run_dirs)), strict=True)]
    flagged = [u for run in runs for u in run.flagged]
    invented = [i for run in runs for i in run.invented]
    errors = [(run.key, case.case_id, e) for run in runs for case in run.cases for e in case.errors]
    html = _env().get_template("report.html.j2").render(
        runs=runs, charts=metric_charts(runs), cases=case_views(runs), conflicts=conflict_rows(runs), flagged=flagged,
        invented=invented,
        warnings=report_warnings(runs), errors=errors, label_of={run.key: run.label for run in runs},
        multi={run.key: run.manifest.samples > 1 for run in runs}, top=TOP)
    stats = ReportStats(keys=[run.key for run in runs], summaries=[run.summary for run in runs],
                        cases=len({c.case_id for run in runs for c in run.cases}), flagged=len(flagged),
                        invented=len(invented))
    return html, stats


def write_report(run_dirs: list[Path], path: Path) -> ReportStats:
    """Write the report page; returns what it holds."""
    html, stats = render_report(run_dirs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return stats


def render_compare(comparison: Comparison) -> str:
    """The compare page: differences table, forest plot, and what flipped."""
    forests = [(layout, *forest_groups(comparison, layout)) for layout in (WIDE, STACKED)]
    run_b = Path(comparison.run_b)
    lost = [(f, gold_fact_text(run_b, f.case_id, f.fact)) for f in comparison.facts_lost]
    gained = [(f, gold_fact_text(run_b, f.case_id, f.fact)) for f in comparison.facts_gained]
    return _env().get_template("compare.html.j2").render(c=comparison, forests=forests,
                                                         lost=lost, gained=gained, titles=TITLES)


def write_compare_html(comparison: Comparison, path: Path) -> None:
    """Write the compare page of `eventsum eval compare --html FILE`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_compare(comparison), encoding="utf-8")
