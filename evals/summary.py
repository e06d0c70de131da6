"""summary.json: suite means with 95% bootstrap intervals, computed from a run's records.

Per case, a metric is the mean over its samples; the suite mean is over cases, and the
interval resamples cases. Streams the records: memory grows with cases, not with verdicts.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from summarizer.errors import EventsumError
from evals.run import SUMMARY, iter_records, load_manifest, write_json_atomic
from evals.stats import Interval, bootstrap_mean

METRICS = ("coverage", "hallucination", "conflict", "invented", "traps", "errors")
# Whether a larger value is better: --fail-under reads "worse than VALUE" accordingly.
HIGHER_IS_BETTER = {"coverage": True, "hallucination": False, "conflict": True, "invented": False, "traps": False,
                    "errors": False}


class RunSummary(BaseModel):
    run: str
    system: str
    model: str
    suite: str
    suite_hash: str
    cases: int
    records: int
    errors: int
    input_tokens: int
    output_tokens: int
    metrics: dict[str, Interval]


def per_case_metrics(run_dir: Path) -> dict[str, dict[str, list[float]]]:
    """case id -> metric -> one value per scored sample."""
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    # A fixed order (case, sample), so the bootstrap does not depend on which case finished first.
    for r in sorted(iter_records(run_dir), key=lambda r: r.key):
        m = r.card.metrics
        # Every record counts for "errors", so a system cannot look better by failing on hard cases.
        values[r.case_id]["errors"].append(0.0 if m is not None else 1.0)
        if m is None:
            continue
        row = values[r.case_id]
        row["coverage"].append(m.coverage)
        row["hallucination"].append(m.hallucination)
        if m.conflict is not None:
            row["conflict"].append(m.conflict)
        row["invented"].append(float(m.invented_conflicts))
        row["traps"].append(float(m.traps))
    return values


def case_means(run_dir: Path) -> dict[str, dict[str, float]]:
    return {case: {k: sum(v) / len(v) for k, v in row.items() if v} for case, row in per_case_metrics(run_dir).items()}


def summarize_run(run_dir: Path) -> RunSummary:
    manifest = load_manifest(run_dir)
    records = errors = tin = tout = 0
    for r in iter_records(run_dir):
        records += 1
        errors += r.card.error is not None
        tin += r.input_tokens
        tout += r.output_tokens
    means = case_means(run_dir)
    rows = [means[case] for case in sorted(means)]
    metrics = {m: bootstrap_mean([row[m] for row in rows if m in row]) for m in METRICS}
    return RunSummary(run=str(run_dir), system=manifest.system, model=manifest.model, suite=manifest.suite,
                      suite_hash=manifest.suite_hash, cases=manifest.cases, records=records, errors=errors,
                      input_tokens=tin, output_tokens=tout, metrics=metrics)


def write_summary(run_dir: Path) -> RunSummary:
    summary = summarize_run(run_dir)
    write_json_atomic(run_dir / SUMMARY, summary.model_dump_json(indent=2))
    return summary


def check_threshold_names(thresholds: dict[str, float]) -> None:
    """Refuse an unknown --fail-under metric before the run starts, not after it."""
    unknown = [n for n in thresholds if n not in HIGHER_IS_BETTER]
    if unknown:
        raise EventsumError(f"--fail-under: unknown metric(s) {', '.join(map(repr, unknown))} "
                            f"(one of {', '.join(METRICS)})")


def failed_thresholds(summary: RunSummary, thresholds: dict[str, float]) -> list[str]:
    """Each threshold the suite mean misses, said in words."""
    failures = []
    for name, limit in thresholds.items():
        if name not in HIGHER_IS_BETTER:
            failures.append(f"unknown metric {name!r} (one of {', '.join(METRICS)})")
            continue
        mean = summary.metrics[name].mean
        worse = mean < limit if HIGHER_IS_BETTER[name] else mean > limit
        if mean != mean or worse:  # NaN (nothing scored) fails too
            bound = "at least" if HIGHER_IS_BETTER[name] else "at most"
            failures.append(f"{name} mean {mean:.3f} misses {bound} {limit}")
    return failures
