"""Meta-evaluation: measure a scorer against hand-labelled summaries.

Labels are complete, so precision is measured as well as recall: every unit
not named as hallucinated must come out supported, every fact not named as
covered must come out missed. Positives: a missed fact (omission), a flagged
unit (hallucination), a trap unit (traps), an invented-conflict unit; conflict
outcomes are three classes, scored by balanced accuracy (mean per-class recall).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from evals.hallucination import is_flagged
from evals.scorer import ScoreCard, ScoreFn
from evals.suite import Case
from summarizer.errors import InputError

LABELS_DIR = "labels"


class Expect(BaseModel):
    covered: list[str] = Field(default_factory=list)
    hallucinated: list[str] = Field(default_factory=list)
    conflicts: dict[str, Literal["surfaced", "one_sided", "omitted"]] = Field(default_factory=dict)
    traps: list[str] = Field(default_factory=list)
    invented: list[str] = Field(default_factory=list)


class Labelled(BaseModel):
    case_id: str
    summary: Any
    expect: Expect
    label: str = ""
    style: str = ""  # how the summary is written: abstractive, flawed, json, telegraphic, ...
    where: str = ""


class Disagreement(BaseModel):
    metric: str
    where: str
    item: str
    expected: str
    got: str
    why: str = ""


class MetricStats(BaseModel):
    metric: str
    n: int
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0
    per_class_recall: dict[str, float] = Field(default_factory=dict)
    unverified: int = 0  # hallucination: units the rules left undecided (counted as not flagged)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def balanced_accuracy(self) -> float | None:
        if self.per_class_recall:
            return sum(self.per_class_recall.values()) / len(self.per_class_recall)
        tpr = self.recall
        tnr = self.tn / (self.tn + self.fp) if self.tn + self.fp else None
        parts = [x for x in (tpr, tnr) if x is not None]
        return sum(parts) / len(parts) if parts else None


class MetaReport(BaseModel):
    summaries: int
    errors: list[str]
    stats: list[MetricStats]
    disagreements: list[Disagreement]
    by_style: dict[str, list[MetricStats]] = Field(default_factory=dict)
    style_counts: dict[str, int] = Field(default_factory=dict)


def label_files(suite: Path, paths: list[Path]) -> list[Path]:
    """The label files to read: the given files/directories, else SUITE/labels/*.jsonl."""
    roots = paths or [suite / LABELS_DIR]
    files: list[Path] = []
    for p in roots:
        if not p.exists():
            raise InputError(p, "no such labels file or directory")
        files += sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
    return files


def read_labels(files: list[Path]) -> Iterator[Labelled | InputError]:
    """Every labelled summary, or an error naming file and line; a bad line does not stop the rest."""
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    item = Labelled.model_validate({**json.loads(line), "where": f"{f.name}:{n}"})
                except (json.JSONDecodeError, ValidationError) as err:
                    yield InputError(f, str(err).splitlines()[0], field=f"line {n}")
                    continue
                yield item


def _binary(stats: MetricStats, expected: bool, got: bool) -> None:
    if expected and got:
        stats.tp += 1
    elif expected:
        stats.fn += 1
    elif got:
        stats.fp += 1
    else:
        stats.tn += 1


def _unit_for(substring: str, card: ScoreCard) -> int | None:
    return next((u.index for u in card.units if substring in u.text), None)


def meta_evaluate(cases: dict[str, Case], files: list[Path], score: ScoreFn) -> MetaReport:
    """Score every labelled summary and compare each verdict with its label, overall and per style."""
    errors: list[str] = []
    scored: list[tuple[Labelled, Case, ScoreCard]] = []
    for item in read_labels(files):
        if isinstance(item, InputError):
            errors.append(str(item))
            continue
        case = cases.get(item.case_id)
        if case is None:
            errors.append(f"{item.where}: unknown case_id {item.case_id!r}")
            continue
        card = score(case, item.summary, item.label)
        if card.error or card.omission is None or card.hallucination is None or card.conflicts is None:
            errors.append(f"{item.where}: scorer error: {card.error}")
            continue
        scored.append((item, case, card))
    stats, disagreements = _tally(scored, errors)
    styles = sorted({item.style for item, _, _ in scored if item.style})
    by_style = {st: _tally([x for x in scored if x[0].style == st], [])[0] for st in styles}
    counts = {st: sum(1 for item, _, _ in scored if item.style == st) for st in styles}
    return MetaReport(summaries=len(scored), errors=errors, stats=stats, disagreements=disagreements,
                      by_style=by_style, style_counts=counts)


def _tally(scored: list[tuple[Labelled, Case, ScoreCard]],
           errors: list[str]) -> tuple[list[MetricStats], list[Disagreement]]:
    """The five metrics' confusion counts over these scored summaries, and every disagreement."""
    names = ("omission", "hallucination", "traps", "invented conflicts")
    stats = {m: MetricStats(metric=m, n=0) for m in names}
    conflict_stats = MetricStats(metric="conflict handling", n=0)
    confusion: dict[str, list[int]] = {}
    disagreements: list[Disagreement] = []
    unverified: list[bool] = []
    for item, case, card in scored:
        assert card.omission is not None and card.hallucination is not None and card.conflicts is not None
        where = f"{item.where} {item.label}".strip()

        def check(metric: str, key: str, expected: bool, got: bool, why: str = "") -> None:
            s = stats[metric]
            s.n += 1
            _binary(s, expected, got)
            if expected != got:
                disagreements.append(Disagreement(metric=metric, where=where, item=key,
                                                  expected=str(expected), got=str(got), why=why))

        for f in card.omission.facts:
            check("omission", f.fact, f.fact not in item.expect.covered, not f.covered, ", ".join(f.evidence))
        flagged_units = {_unit_for(s, card) for s in item.expect.hallucinated}
        for s in item.expect.hallucinated:
            if _unit_for(s, card) is None:
                errors.append(f"{item.where}: hallucinated substring matches no unit: {s[:60]!r}")
        for v in card.hallucination.verdicts:
            check("hallucination", v.text[:70], v.unit in flagged_units, is_flagged(v), "; ".join(v.reasons))
            unverified.append(v.label == "unverified")
        got_traps = {v.trap for v in card.hallucination.verdicts if v.trap}
        for t in case.gold.traps:
            check("traps", t.id, t.id in item.expect.traps, t.id in got_traps)
        invented_units = {_unit_for(s, card) for s in item.expect.invented}
        got_invented = {i.unit for i in card.conflicts.invented}
        for u in card.units:
            if u.kind != "heading":
                check("invented conflicts", u.text[:70], u.index in invented_units, u.index in got_invented)
        for v in card.conflicts.conflicts:
            expected = item.expect.conflicts.get(v.conflict)
            if expected is None:
                errors.append(f"{item.where}: no label for conflict {v.conflict}")
                continue
            conflict_stats.n += 1
            confusion.setdefault(expected, [0, 0])
            confusion[expected][1] += 1
            if expected == v.outcome:
                confusion[expected][0] += 1
            else:
                disagreements.append(Disagreement(metric="conflict handling", where=where, item=v.conflict,
                                                  expected=expected, got=v.outcome, why=v.evidence[:100]))
    conflict_stats.per_class_recall = {k: hit / total for k, (hit, total) in sorted(confusion.items())}
    surfaced_ok = confusion.get("surfaced", [0, 0])
    conflict_stats.tp = surfaced_ok[0]
    conflict_stats.fn = surfaced_ok[1] - surfaced_ok[0]
    conflict_stats.fp = sum(1 for d in disagreements if d.metric == "conflict handling" and d.got == "surfaced")
    stats["hallucination"].unverified = sum(unverified)
    return [stats["omission"], stats["hallucination"], conflict_stats, stats["invented conflicts"],
            stats["traps"]], disagreements
