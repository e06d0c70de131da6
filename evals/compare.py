"""`eventsum eval compare RUN_A RUN_B`: what changed between two runs of one suite, with statistics.

Paired by case (each case's metric is its mean over samples). Per metric: the mean
difference B - A, a paired bootstrap 95% interval resampling cases, a sign-flip
permutation p-value, and how many cases got better and worse. Then the details a person
acts on: facts that flipped between covered and missed, conflicts whose outcome changed,
and hallucinated units that are new in B or fixed since A.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from evals.run import RunManifest, iter_records, load_manifest
from evals.stats import PairedDiff, paired_difference
from evals.summary import HIGHER_IS_BETTER, METRICS, case_means
from summarizer.errors import EventsumError


class FactFlip(BaseModel):
    case_id: str
    fact: str
    now: str  # "covered" or "missed"


class ConflictChange(BaseModel):
    case_id: str
    conflict: str
    before: str
    after: str


class UnitChange(BaseModel):
    case_id: str
    text: str
    reasons: list[str] = Field(default_factory=list)


MIN_PAIRED_CASES = 5


class MetricComparison(BaseModel):
    metric: str
    higher_is_better: bool
    stats: PairedDiff
    better_cases: list[str]
    worse_cases: list[str]
    scored_a: int = Field(0, description="cases of run A with a value of this metric")
    scored_b: int = Field(0, description="cases of run B with a value of this metric")
    note: str | None = Field(None, description="why the metric could not be compared (stats.n == 0)")


class Comparison(BaseModel):
    run_a: str
    run_b: str
    system_a: str
    system_b: str
    cases: int
    warnings: list[str]
    metrics: list[MetricComparison]
    facts_lost: list[FactFlip]
    facts_gained: list[FactFlip]
    conflict_changes: list[ConflictChange]
    new_hallucinations: list[UnitChange]
    fixed_hallucinations: list[UnitChange]


def _check_comparable(a: RunManifest, b: RunManifest) -> list[str]:
    if a.suite_hash != b.suite_hash:
        raise EventsumError(f"refusing to compare runs of different suites ({a.suite} {a.suite_hash} vs "
                            f"{b.suite} {b.suite_hash}): a paired comparison needs the same cases and gold")
    warnings = []
    if a.model != b.model:
        warnings.append(f"the models differ ({a.model} vs {b.model}): differences mix model and prompt")
    if (a.scorer, a.scorer_version) != (b.scorer, b.scorer_version):
        warnings.append(f"the scorers differ ({a.scorer} {a.scorer_version} vs {b.scorer} {b.scorer_version}): "
                        "rescore one run (eventsum eval rescore) before trusting the differences")
    if a.samples != b.samples:
        warnings.append(f"sample counts differ ({a.samples} vs {b.samples})")
    return warnings


class CaseDetail(BaseModel):
    """One case's verdicts in a run, from its first scored sample."""

    sample: int
    facts: dict[str, bool]
    conflicts: dict[str, str]
    flagged: dict[str, list[str]]


def case_details(run_dir: Path) -> dict[str, CaseDetail]:
    out: dict[str, CaseDetail] = {}
    for r in iter_records(run_dir):
        card = r.card
        if card.omission is None or card.hallucination is None or card.conflicts is None:
            continue
        if r.case_id in out and out[r.case_id].sample <= r.sample:
            continue
        out[r.case_id] = CaseDetail(
            sample=r.sample,
            facts={f.fact: f.covered for f in card.omission.facts},
            conflicts={c.conflict: c.outcome for c in card.conflicts.conflicts},
            flagged={v.text: v.reasons for v in card.hallucination.verdicts if v.label != "supported"},
        )
    return out


def _why_not(metric: str, a: RunManifest, b: RunManifest, scored_a: int, scored_b: int) -> str:
    """Why a metric has no paired case, in words."""
    if not scored_a and not scored_b:
        return f"neither run has a {metric} score"
    if not scored_a or not scored_b:
        side, manifest = ("A", a) if not scored_a else ("B", b)
        return f"run {side} ({manifest.system}) has no {metric} score"
    return f"no case has a {metric} score in both runs"


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    ma, mb = load_manifest(run_a), load_manifest(run_b)
    warnings = _check_comparable(ma, mb)
    means_a, means_b = case_means(run_a), case_means(run_b)
    shared = sorted(set(means_a) & set(means_b))
    if len(shared) < len(set(means_a) | set(means_b)):
        warnings.append(f"only {len(shared)} case(s) were scored in both runs; the others are left out")
    if len(shared) < MIN_PAIRED_CASES:
        warnings.append(f"only {len(shared)} paired case(s): under {MIN_PAIRED_CASES} the intervals and p-values "
                        "say almost nothing; compare on a larger suite")
    metrics = []
    for m in METRICS:
        cases = [c for c in shared if m in means_a[c] and m in means_b[c]]
        scored_a, scored_b = sum(m in v for v in means_a.values()), sum(m in v for v in means_b.values())
        a_vals, b_vals = [means_a[c][m] for c in cases], [means_b[c][m] for c in cases]
        sign = 1 if HIGHER_IS_BETTER[m] else -1
        better = [c for c, x, y in zip(cases, a_vals, b_vals, strict=True) if sign * (y - x) > 1e-12]
        worse = [c for c, x, y in zip(cases, a_vals, b_vals, strict=True) if sign * (y - x) < -1e-12]
        metrics.append(MetricComparison(metric=m, higher_is_better=HIGHER_IS_BETTER[m],
                                        # the stats count b > a as "better"; for lower-is-better metrics that is worse
                                        stats=paired_difference(a_vals, b_vals).model_copy(
                                            update={"better": len(better), "worse": len(worse)}),
                                        better_cases=better, worse_cases=worse, scored_a=scored_a,
                                        scored_b=scored_b, note=None if cases else _why_not(m, ma, mb, scored_a, scored_b)))
    da, db = case_details(run_a), case_details(run_b)
    lost, gained, changes, new, fixed = [], [], [], [], []
    for case in shared:
        a, b = da.get(case), db.get(case)
        if a is None or b is None:
            continue
        for fact, covered in b.facts.items():
            if fact in a.facts and a.facts[fact] != covered:
                (gained if covered else lost).append(FactFlip(case_id=case, fact=fact, now="covered" if covered else "missed"))
        changes += [ConflictChange(case_id=case, conflict=c, before=a.conflicts[c], after=o)
                    for c, o in b.conflicts.items() if c in a.conflicts and a.conflicts[c] != o]
        new += [UnitChange(case_id=case, text=t, reasons=rs) for t, rs in b.flagged.items() if t not in a.flagged]
        fixed += [UnitChange(case_id=case, text=t, reasons=rs) for t, rs in a.flagged.items() if t not in b.flagged]
    return Comparison(run_a=str(run_a), run_b=str(run_b), system_a=ma.system, system_b=mb.system, cases=len(shared),
                      warnings=warnings, metrics=metrics, facts_lost=lost, facts_gained=gained,
                      conflict_changes=changes, new_hallucinations=new, fixed_hallucinations=fixed)
