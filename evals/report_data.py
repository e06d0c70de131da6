"""What the HTML report shows, read from run directories: one view model per run, escaped later by Jinja.

Per case and fact the grid counts the samples that covered the fact; conflicts, invented
conflicts and flagged units are listed for every sample. Gold texts (fact wording, conflict
questions, trap claims) are read from the suite a run's manifest names, when it is still
there; without it the report shows ids only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from evals.gold import GOLD_FILE, Gold, gold_errors
from evals.run import RunManifest, iter_records, load_manifest
from evals.scorer import ScoreCard
from evals.summary import RunSummary, summarize_run
from summarizer.errors import EventsumError


class FactCell(BaseModel):
    """One gold fact of one case: in how many samples it was covered, and by which words."""

    id: str
    weight: int
    text: str = ""
    covered: int = 0
    samples: int = 0
    unit: str = ""
    evidence: list[str] = Field(default_factory=list)

    @property
    def state(self) -> str:
        if self.covered == 0:
            return "missed"
        return "covered" if self.covered == self.samples else "partial"


class CaseRow(BaseModel):
    case_id: str
    facts: list[FactCell] = Field(default_factory=list)
    coverage: float | None = None
    errors: list[str] = Field(default_factory=list)


class SideView(BaseModel):
    value: str
    credited_to: list[str] = Field(default_factory=list)
    attribution: str = "none"


class ConflictOutcome(BaseModel):
    """One gold conflict in one sample of one run."""

    sample: int
    outcome: str
    sides: list[SideView] = Field(default_factory=list)
    evidence: str = ""


class InventedView(BaseModel):
    run: str
    case_id: str
    sample: int
    text: str
    non_conflict: str | None = None
    note: str = ""


class FlaggedUnit(BaseModel):
    """A unit judged unsupported or a trap, with every reason."""

    run: str
    system: str
    case_id: str
    sample: int
    unit: int
    text: str
    label: str
    reasons: list[str] = Field(default_factory=list)
    trap: str | None = None
    trap_text: str = ""


class UnitView(BaseModel):
    """One claim unit of a summary as the case section shows it: its verdict inline."""

    index: int
    kind: str
    text: str
    label: str = ""  # supported, unsupported, trap; "" when not judged
    reasons: list[str] = Field(default_factory=list)
    trap: str | None = None
    trap_text: str = ""
    covers: list[str] = Field(default_factory=list)  # the gold facts this unit covered
    cites: list[str] = Field(default_factory=list)


class SummaryView(BaseModel):
    """One run's summary of one case (one sample), unit by unit."""

    run: str
    sample: int
    error: str | None = None
    units: list[UnitView] = Field(default_factory=list)

    @property
    def flagged(self) -> int:
        return sum(u.label in ("unsupported", "trap") for u in self.units)


class RunView(BaseModel):
    key: str  # "A", "B", ...: short enough for a table column
    path: str
    manifest: RunManifest
    summary: RunSummary
    cases: list[CaseRow]
    conflicts: dict[tuple[str, str], list[ConflictOutcome]]
    invented: list[InventedView]
    flagged: list[FlaggedUnit]
    units: int
    summaries: dict[str, list[SummaryView]] = Field(default_factory=dict)

    @property
    def name(self) -> str:
        """The run directory's name: what a person called the run."""
        return Path(self.path).name or self.path

    @property
    def label(self) -> str:
        """Key, system, model and run name: enough to tell two runs of one system apart."""
        return f"{self.key} · {self.manifest.system} · {self.manifest.model or 'no model'} · {self.name}"

    @property
    def conflict_counts(self) -> dict[str, int]:
        """Outcomes and attributions over every gold conflict of every sample."""
        counts = dict.fromkeys(("surfaced", "one_sided", "omitted", "correct", "wrong"), 0)
        for outcomes in self.conflicts.values():
            for o in outcomes:
                counts[o.outcome] += 1
                for side in o.sides:
                    if side.attribution in counts:
                        counts[side.attribution] += 1
        return counts


class ConflictRow(BaseModel):
    """One gold conflict of one case, across every run."""

    case_id: str
    conflict: str
    question: str = ""
    per_run: list[list[ConflictOutcome]]

    @property
    def differs(self) -> bool:
        """The runs' outcomes are not all the same."""
        return len({tuple(o.outcome for o in outcomes) for outcomes in self.per_run}) > 1


@lru_cache(maxsize=256)
def load_case_gold(suite: str, case_id: str) -> Gold | None:
    """The gold of a case if the suite is still where the run found it (source ids not re-checked)."""
    path = Path(suite) / case_id / GOLD_FILE
    if not path.is_file():
        return None
    gold, _ = gold_errors(path, None)
    return gold


def _run_summary(run_dir: Path) -> RunSummary:
    # Recomputed from results.jsonl rather than read from summary.json: a summary written by an
    # older version may lack a metric, and the records are the truth.
    return summarize_run(run_dir)


def load_run_view(run_dir: Path, key: str) -> RunView:
    """Read one run directory into what the report draws (streams results.jsonl once)."""
    manifest = load_manifest(run_dir)
    rows: dict[str, CaseRow] = {}
    cells: dict[str, dict[str, FactCell]] = {}
    coverage: dict[str, list[float]] = {}
    conflicts: dict[tuple[str, str], list[ConflictOutcome]] = {}
    invented: list[InventedView] = []
    flagged: list[FlaggedUnit] = []
    summaries: dict[str, list[SummaryView]] = {}
    units = 0
    for r in iter_records(run_dir):
        gold = load_case_gold(manifest.suite, r.case_id)
        row = rows.setdefault(r.case_id, CaseRow(case_id=r.case_id))
        card = r.card
        if card.error is not None:
            row.errors.append(f"sample {r.sample}: {card.error}")
        if card.omission is not None:
            unit_text = {u.index: u.text for u in card.units}
            facts = cells.setdefault(r.case_id, {})
            for f in card.omission.facts:
                gold_text = next((g.text for g in gold.facts if g.id == f.fact), "") if gold else ""
                cell = facts.setdefault(f.fact, FactCell(id=f.fact, weight=f.weight, text=gold_text))
                cell.samples += 1
                if f.covered:
                    cell.covered += 1
                    if not cell.unit and f.unit is not None:
                        cell.unit, cell.evidence = unit_text.get(f.unit, ""), f.evidence
            coverage.setdefault(r.case_id, []).append(card.omission.coverage)
        if card.conflicts is not None:
            for c in card.conflicts.conflicts:
                sides = [SideView(value=s.value, credited_to=s.credited_to, attribution=s.attribution) for s in c.sides]
                conflicts.setdefault((r.case_id, c.conflict), []).append(
                    ConflictOutcome(sample=r.sample, outcome=c.outcome, sides=sides, evidence=c.evidence))
            notes = {n.id: n.note for n in gold.non_conflicts} if gold else {}
            invented += [InventedView(run=key, case_id=r.case_id, sample=r.sample, text=i.text, non_conflict=i.non_conflict,
                                      note=notes.get(i.non_conflict or "", "")) for i in card.conflicts.invented]
        if card.hallucination is not None:
            units += card.hallucination.units
            traps = {t.id: t.text for t in gold.traps} if gold else {}
            flagged += [FlaggedUnit(run=key, system=manifest.system, case_id=r.case_id, sample=r.sample, unit=v.unit, text=v.text,
                                    label=v.label, reasons=v.reasons, trap=v.trap, trap_text=traps.get(v.trap or "", ""))
                        for v in card.hallucination.verdicts if v.label != "supported"]
        summaries.setdefault(r.case_id, []).append(summary_view(key, r.sample, card, r.error, gold))
    for case_id, row in rows.items():
        row.facts = sorted(cells.get(case_id, {}).values(), key=lambda c: id_order(c.id))
        values = coverage.get(case_id)
        row.coverage = sum(values) / len(values) if values else None
    # Records arrive in completion order; a reader wants case order.
    invented.sort(key=lambda i: (i.case_id, i.sample))
    flagged.sort(key=lambda u: (u.case_id, u.sample, u.unit))
    for views in summaries.values():
        views.sort(key=lambda v: v.sample)
    return RunView(key=key, path=str(run_dir), manifest=manifest, summary=_run_summary(run_dir),
                   cases=[rows[c] for c in sorted(rows)], conflicts=conflicts, invented=invented,
                   flagged=flagged, units=units, summaries=summaries)


def summary_view(run: str, sample: int, card: ScoreCard, error: str | None, gold: Gold | None) -> SummaryView:
    """A summary's units in order, each with its hallucination verdict and the facts it covered."""
    verdicts = {v.unit: v for v in card.hallucination.verdicts} if card.hallucination else {}
    covers: dict[int, list[str]] = {}
    for f in card.omission.facts if card.omission else []:
        if f.covered and f.unit is not None:
            covers.setdefault(f.unit, []).append(f.fact)
    traps = {t.id: t.text for t in gold.traps} if gold else {}
    units = []
    for u in card.units:
        v = verdicts.get(u.index)
        units.append(UnitView(index=u.index, kind=u.kind, text=u.text, label=v.label if v else "",
                              reasons=v.reasons if v else [], trap=v.trap if v else None,
                              trap_text=traps.get(v.trap or "", "") if v else "", covers=covers.get(u.index, []),
                              cites=sorted({c.source for c in u.citations})))
    return SummaryView(run=run, sample=sample, error=card.error or error, units=units)


class GridFact(BaseModel):
    """One gold fact of one case across every run: the coverage grid's tile."""

    id: str
    weight: int
    text: str
    cells: list[FactCell | None]  # one per run; None when the run never scored the case

    @property
    def differs(self) -> bool:
        return len({c.state if c else "none" for c in self.cells}) > 1


class CaseView(BaseModel):
    """One case across every run: its grid row and every run's summaries."""

    case_id: str
    facts: list[GridFact]
    coverage: list[float | None]
    errors: list[list[str]]
    summaries: list[list[SummaryView]]

    @property
    def differs(self) -> bool:
        return any(f.differs for f in self.facts)


def case_views(runs: list[RunView]) -> list[CaseView]:
    """Every case any run scored, in id order, with each run's cells and summaries side by side."""
    rows = [{c.case_id: c for c in run.cases} for run in runs]
    views = []
    for case_id in sorted({c for row in rows for c in row}):
        per_run = [row.get(case_id) for row in rows]
        cells = [{f.id: f for f in (r.facts if r else [])} for r in per_run]
        ids = sorted({fid for c in cells for fid in c}, key=id_order)
        facts = []
        for fid in ids:
            first = next(c[fid] for c in cells if fid in c)
            facts.append(GridFact(id=fid, weight=first.weight, text=first.text, cells=[c.get(fid) for c in cells]))
        views.append(CaseView(case_id=case_id, facts=facts, coverage=[r.coverage if r else None for r in per_run],
                              errors=[r.errors if r else [] for r in per_run],
                              summaries=[run.summaries.get(case_id, []) for run in runs]))
    return views


def id_order(item_id: str) -> tuple[str, int, str]:
    """F2 before F10: the ids' numbers, not their spelling, give the gold's order."""
    digits = "".join(ch for ch in item_id if ch.isdigit())
    return (item_id.rstrip("0123456789"), int(digits) if digits else 0, item_id)


def conflict_rows(runs: list[RunView]) -> list[ConflictRow]:
    """Every (case, gold conflict) any run scored, with each run's outcomes side by side."""
    keys = sorted({k for run in runs for k in run.conflicts}, key=lambda k: (k[0], id_order(k[1])))
    rows = []
    for case_id, conflict in keys:
        question = ""
        for run in runs:
            gold = load_case_gold(run.manifest.suite, case_id)
            question = question or next((c.question for c in (gold.conflicts if gold else []) if c.id == conflict), "")
        rows.append(ConflictRow(case_id=case_id, conflict=conflict, question=question,
                                per_run=[run.conflicts.get((case_id, conflict), []) for run in runs]))
    return rows


def gold_fact_text(run_dir: Path, case_id: str, fact_id: str) -> str:
    """The wording of a gold fact, for the compare page; "" when the suite has moved."""
    try:
        gold = load_case_gold(load_manifest(run_dir).suite, case_id)
    except (EventsumError, ValueError):  # a moved run only costs the fact's wording
        return ""
    return next((f.text for f in gold.facts if f.id == fact_id), "") if gold else ""
