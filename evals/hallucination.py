"""Hallucination: each claim unit is supported, unsupported, or a trap.

Rules, in order (each verdict lists every reason found, with its evidence):
1. trap: the unit matches a gold trap's pattern.
2. unsupported: a citation names an unknown source, or its quote is not in that source.
3. unsupported: a name, number, place, date, compass direction or quotation in the unit
   is not in the news text of the sources it cites (uncited: of any source).
4. unsupported: a role word next to a name ("X, the chairman", "Y's spokesman") is never
   said of that name within a few words in those sources (a swapped name).
rate = non-supported units / units.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from evals.anchors import extract_anchors, word_tokens
from evals.attribution import cited_sources, strip_mentions
from evals.gold import Gold
from evals.matching import match_groups
from evals.source_index import SourceIndex
from evals.units import ClaimUnit

UnitLabel = Literal["supported", "unsupported", "trap"]

ROLE_WORDS = frozenset({
    "chairman", "chairwoman", "spokesman", "spokesperson", "spokeswoman", "president", "commander",
    "commander-in-chief", "judge", "prosecutor", "minister", "mayor", "governor", "ceo", "director",
    "counterpart", "coach", "captain", "founder", "chancellor", "premier", "sheriff", "lawyer", "attorney",
})
_ROLE_REACH_UNIT = 4
_ROLE_REACH_SOURCE = 8


class UnitVerdict(BaseModel):
    """The verdict on one unit, and why."""

    unit: int
    text: str
    label: UnitLabel
    reasons: list[str] = Field(default_factory=list)
    trap: str | None = None
    scope: list[str] = Field(default_factory=list, description="the sources the unit was checked against")


class HallucinationResult(BaseModel):
    rate: float
    units: int
    flagged: int
    verdicts: list[UnitVerdict]


def _role_reasons(unit_text: str, anchors_names: set[str], index: SourceIndex, scope: list[str]) -> list[str]:
    tokens = word_tokens(unit_text)
    reasons = []
    for ri, tok in enumerate(tokens):
        if tok not in ROLE_WORDS:
            continue
        near = [(abs(ni - ri), ni) for ni, t in enumerate(tokens) if t in anchors_names and abs(ni - ri) <= _ROLE_REACH_UNIT]
        if not near:
            continue
        name = tokens[min(near)[1]]
        ok = False
        for sid in scope:
            for sent in index.sentences[sid]:
                pos_name = [i for i, t in enumerate(sent.tokens) if t == name]
                pos_role = [i for i, t in enumerate(sent.tokens) if t == tok]
                if any(abs(a - b) <= _ROLE_REACH_SOURCE for a in pos_name for b in pos_role):
                    ok = True
                    break
            if ok:
                break
        if not ok:
            reasons.append(f"'{tok}' is never said of '{name}' in {_scope_text(scope, index)}")
    return reasons


def _scope_text(scope: list[str], index: SourceIndex) -> str:
    return "any source" if sorted(scope) == sorted(index.source_ids) else "source " + ", ".join(scope)


def judge_unit(unit: ClaimUnit, gold: Gold, index: SourceIndex) -> UnitVerdict:
    """Apply the rules above to one unit."""
    for trap in gold.traps:
        hits = match_groups(trap.match, unit.text)
        if hits:
            return UnitVerdict(unit=unit.index, text=unit.text, label="trap", trap=trap.id,
                               reasons=[f"matches trap {trap.id} ('{' + '.join(h.text for h in hits)}'): {trap.text}"])
    reasons: list[str] = []
    cited = cited_sources(unit, index.source_ids)
    unknown = [s for s in cited if s not in index.originals]
    reasons += [f"cites unknown source '{s}'" for s in unknown]
    for c in unit.citations:
        if c.source in index.originals and not index.quote_in_original(c.source, c.quote):
            reasons.append(f"quote not in source {c.source}: '{c.quote[:80]}'")
    scope = [s for s in cited if s in index.originals] or index.source_ids
    names = set()
    for a in extract_anchors(strip_mentions(unit.text, index.source_ids)):
        if a.kind == "number":
            ok = index.has_number(a.key, scope)
        elif a.kind == "quote":
            ok = index.has_quote(a.key, scope)
        else:
            ok = index.has_token(a.key, scope)
            names.add(a.key)
        if not ok:
            reasons.append(f"{a.kind} '{a.text}' is not in {_scope_text(scope, index)}")
    if not reasons:
        reasons += _role_reasons(unit.text, names, index, scope)
    label: UnitLabel = "unsupported" if reasons else "supported"
    return UnitVerdict(unit=unit.index, text=unit.text, label=label, reasons=reasons, scope=scope)


def score_hallucination(units: list[ClaimUnit], gold: Gold, index: SourceIndex) -> HallucinationResult:
    verdicts = [judge_unit(u, gold, index) for u in units if u.kind != "heading" or u.text.strip()]
    flagged = sum(v.label != "supported" for v in verdicts)
    return HallucinationResult(rate=flagged / len(verdicts) if verdicts else 0.0, units=len(verdicts),
                               flagged=flagged, verdicts=verdicts)
