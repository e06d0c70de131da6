"""Omission: a gold fact is covered when its match pattern matches within one claim unit.

coverage = covered weight / total weight; omission = 1 - coverage.
"""

from __future__ import annotations

from pydantic import BaseModel

from evals.gold import Gold
from evals.matching import match_groups
from evals.units import ClaimUnit


class FactVerdict(BaseModel):
    fact: str
    weight: int
    covered: bool
    unit: int | None = None
    evidence: list[str] = []


class OmissionResult(BaseModel):
    coverage: float
    omission: float
    covered: list[str]
    missed: list[str]
    facts: list[FactVerdict]


def score_omission(units: list[ClaimUnit], gold: Gold) -> OmissionResult:
    verdicts = []
    for fact in gold.facts:
        verdict = FactVerdict(fact=fact.id, weight=fact.weight, covered=False)
        for unit in units:
            hits = match_groups(fact.match, unit.text)
            if hits:
                verdict = FactVerdict(fact=fact.id, weight=fact.weight, covered=True, unit=unit.index,
                                      evidence=[h.text for h in hits])
                break
        verdicts.append(verdict)
    covered_w = sum(v.weight for v in verdicts if v.covered)
    coverage = covered_w / gold.total_weight
    return OmissionResult(coverage=coverage, omission=1 - coverage,
                          covered=[v.fact for v in verdicts if v.covered],
                          missed=[v.fact for v in verdicts if not v.covered], facts=verdicts)
