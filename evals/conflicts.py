"""Conflict handling, per gold conflict: surfaced, one_sided or omitted; plus invented conflicts.

- surfaced: two or more sides present and marked as a disagreement: in a structured
  conflict entry (sides in different positions), in one unit that carries a
  disagreement marker, or in adjacent units under a disagreement heading or marker, or
  in separate units that each give their side as someone's account ("the minister puts
  losses at $1.4 billion" ... "the alliance says $2.1 billion").
- one_sided: otherwise, if any side is stated (the summary silently picked).
- omitted: no side stated.
Each surfaced side's attribution is correct when the sources it is credited to
include one of the side's gold sources and none that only the other sides have.
Invented: a structured conflict entry, or a text unit with a strong disagreement
marker, that states no side of any gold conflict; worse when it matches a non_conflict.
conflict score = surfaced / conflicts.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from evals.anchors import extract_anchors, word_tokens
from evals.attribution import clauses, credit_values, mentions
from evals.gold import Gold, GoldConflict
from evals.matching import match_form, match_groups
from evals.units import ClaimUnit
from summarizer.text import normalize

Outcome = Literal["surfaced", "one_sided", "omitted"]

# Markers that report a disagreement by themselves (two sides in one unit need none).
STRONG = re.compile(r"\b(disagree\w*|differ|differs|differed|differing|different (accounts|figures|reports|versions)"
                    r"|conflicting|contradict\w*|disputed|disputes? (?:over|about) (?:the )?(?:figure|number|count|toll|cause|date|time|account)\w*|discrepanc\w*|inconsisten\w*|vary|varies|varying"
                    r"|unclear (whether|where|when|how)|do not agree|don't agree|not agree|do not match|don't match|not match"
                    r"|split on|at odds|contested|mismatch\w*|diverg\w*)\b")
_NEGATED = re.compile(r"\b(no|not any|without) (other )?(disagreement|conflict|discrepanc)\w*|\ball (sources|reports|outlets) agree"
                      r"|\b(do|does|did) not (disagree|differ|conflict)")
_ADJACENT = 2


class SideVerdict(BaseModel):
    side: int
    value: str
    unit: int
    credited_to: list[str] = Field(default_factory=list)
    attribution: Literal["correct", "wrong", "none"] = "none"


class ConflictVerdict(BaseModel):
    conflict: str
    outcome: Outcome
    sides: list[SideVerdict] = Field(default_factory=list)
    evidence: str = ""


class InventedConflict(BaseModel):
    unit: int
    text: str
    non_conflict: str | None = None


class ConflictResult(BaseModel):
    score: float | None = Field(description="surfaced / conflicts; None when the gold has no conflict")
    conflicts: list[ConflictVerdict]
    invented: list[InventedConflict]


def is_marked(unit: ClaimUnit) -> bool:
    text = normalize(unit.text)
    return bool(STRONG.search(text) or STRONG.search(normalize(unit.section))) and not _NEGATED.search(text)


def _side_hits(conflict: GoldConflict, unit: ClaimUnit) -> dict[int, int]:
    """side index -> position of its match in the unit's normalized text."""
    out = {}
    # A structured position is read with its entry's question: "Judge Helen Marsh" under "Who made
    # the 'piggy bank' remark?" states the side; the claim itself must match part of it.
    claim_end = len(match_form(unit.text))
    text = f"{unit.text} \u2014 {unit.section}" if unit.kind == "position" and unit.section else unit.text
    for si, side in enumerate(conflict.sides):
        hits = match_groups(side.match, text)
        if hits and min(h.start for h in hits) < claim_end:
            out[si] = min(h.start for h in hits)
    if out and len(out) < len(conflict.sides):
        out.update(_paired_figures(conflict, match_form(unit.text), out))
    return out


_FIRST_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PAIRING = r"\s*(?:[(\[][^)\]]{0,60}[)\]]\s*)*(?:vs|versus|or|to|against|-|/|,)\s*(?:about\s+)?"


def _paired_figures(conflict: GoldConflict, text: str, hits: dict[int, int]) -> dict[int, int]:
    """Sides written as a bare figure paired with a side that matched: "12 hurt (wire) vs 14
    (Patrol)", "12 or 14 hurt", "toll 38-52". The paired number stands for its side."""
    out: dict[int, int] = {}
    numbers = {si: _FIRST_NUMBER.search(match_form(side.value)) for si, side in enumerate(conflict.sides)}
    for si, num in numbers.items():
        if si in hits or num is None:
            continue
        for other, other_num in numbers.items():
            if other not in hits or other_num is None or other_num.group(0) == num.group(0):
                continue
            a, b = re.escape(other_num.group(0)), re.escape(num.group(0))
            m = (re.search(rf"(?<![\d.]){a}(?:\s+[a-z]+)?{_PAIRING}{b}(?![\d.])", text)
                 or re.search(rf"(?<![\d.]){b}{_PAIRING}{a}(?![\d.])", text))
            if m:
                out[si] = m.start() + m.group(0).rfind(num.group(0)) if m.group(0).startswith(other_num.group(0)) \
                    else m.start()
                break
    return out


def _credit_text(unit: ClaimUnit, hits: dict[int, int], source_ids: list[str]) -> dict[int, list[str]]:
    """Credit source ids named in text to the sides they stand with (see attribution.credit_values)."""
    back = {normalize(s): s for s in source_ids}
    credit = credit_values(match_form(unit.text), list(hits.values()), list(back))
    return {si: [back[x] for x in credit.get(pos, [])] for si, pos in hits.items()}


def _attribution(credited: list[str], side: int, conflict: GoldConflict) -> Literal["correct", "wrong", "none"]:
    if not credited:
        return "none"
    own = set(conflict.sides[side].sources)
    others = set().union(*(set(s.sources) for i, s in enumerate(conflict.sides) if i != side)) - own
    return "correct" if own & set(credited) and not others & set(credited) else "wrong"


def judge_conflict(conflict: GoldConflict, units: list[ClaimUnit], source_ids: list[str]) -> ConflictVerdict:
    per_unit = {u.index: _side_hits(conflict, u) for u in units}
    by_index = {u.index: u for u in units}
    # 1. a structured conflict entry whose positions state two or more sides
    entries: dict[int, dict[int, ClaimUnit]] = {}
    for u in units:
        if u.kind == "position" and u.conflict is not None:
            for si in per_unit[u.index]:
                entries.setdefault(u.conflict, {}).setdefault(si, u)
    for sides in entries.values():
        if len(sides) >= 2:
            verdicts = [SideVerdict(side=si, value=conflict.sides[si].value, unit=u.index, credited_to=list(u.attributed),
                                    attribution=_attribution(list(u.attributed) or [c.source for c in u.citations], si, conflict))
                        for si, u in sorted(sides.items())]
            return ConflictVerdict(conflict=conflict.id, outcome="surfaced", sides=verdicts, evidence="structured conflict entry")
    # 2. one text unit that states two sides: the reader sees both, whatever the wording
    for u in units:
        hits = per_unit[u.index]
        if u.kind != "position" and len(hits) >= 2:
            credit = _credit_text(u, hits, source_ids)
            verdicts = [SideVerdict(side=si, value=conflict.sides[si].value, unit=u.index, credited_to=credit[si],
                                    attribution=_attribution(credit[si], si, conflict)) for si in sorted(hits)]
            return ConflictVerdict(conflict=conflict.id, outcome="surfaced", sides=verdicts, evidence=u.text)
    # 3. adjacent units stating different sides, the first marked as a disagreement
    stating = [u for u in units if per_unit[u.index]]
    for u in stating:
        if not (is_marked(u) or u.kind == "position"):
            continue
        group = [v for v in stating if 0 <= v.index - u.index <= _ADJACENT]
        sides = {si: v for v in group for si in per_unit[v.index]}
        if len(sides) >= 2:
            return _surfaced_across(conflict, sides, per_unit, source_ids)
    # 4. sides in separate units, each given as someone's account ("Doyle told the wire ... $1.4
    # billion"; "the alliance puts losses at $2.1 billion"): competing accounts, each attributed
    reported = {si: u for u in units if u.kind != "position" and _reports(u, source_ids)
                for si in per_unit[u.index] if len(per_unit[u.index]) == 1}
    says_none = any(_NEGATED.search(normalize(u.text)) for u in units)  # "No disagreement was found."
    if len(reported) >= 2 and not says_none and len({_reporter(u, source_ids) for u in reported.values()}) > 1:
        return _surfaced_across(conflict, reported, per_unit, source_ids)
    stated = [(u.index, si) for u in units for si in per_unit[u.index]]
    if stated:
        ui, si = stated[0]
        return ConflictVerdict(conflict=conflict.id, outcome="one_sided",
                               sides=[SideVerdict(side=si, value=conflict.sides[si].value, unit=ui)],
                               evidence=by_index[ui].text)
    return ConflictVerdict(conflict=conflict.id, outcome="omitted")


def _surfaced_across(conflict: GoldConflict, sides: dict[int, ClaimUnit], per_unit: dict[int, dict[int, int]],
                     source_ids: list[str]) -> ConflictVerdict:
    """A conflict surfaced by several units, each stating one side (side index -> its unit)."""
    verdicts = []
    for si, v in sorted(sides.items()):
        credit = list(v.attributed) or _credit_text(v, per_unit[v.index], source_ids).get(si, [])
        verdicts.append(SideVerdict(side=si, value=conflict.sides[si].value, unit=v.index, credited_to=credit,
                                    attribution=_attribution(credit, si, conflict)))
    return ConflictVerdict(conflict=conflict.id, outcome="surfaced", sides=verdicts,
                           evidence=" / ".join(sides[v.side].text for v in verdicts))


_REPORTING = re.compile(r"\b(according to|said|says|say|told|tells|reported|reports|report|puts?|estimated?|estimates"
                        r"|gives?|gave|cites?|cited|citing|claims?|claimed|counts?|counted|quotes?|quoted|per)\b")


_REPORTER = re.compile(r"\baccording to (?:the )?([\w'-]+(?: [\w'-]+)?)|\b(?:the )?([\w'-]+) (?:said|says|told|tells|puts|put"
                       r"|reported|reports|estimates|estimated|gives|gave|counts|counted|claims|claimed)\b"
                       r"|\b(?:said|says|reported) (?:the )?([\w'-]+)")


def _reporter(unit: ClaimUnit, source_ids: list[str]) -> str:
    """Who gives the unit's account: its sources, else the words naming the speaker ("the
    coastguard said" twice is one account, not two), else the unit itself (unknown)."""
    text = normalize(unit.text)
    named = sorted(set(unit.attributed) | {sid for _, sid in mentions(text, source_ids)})
    if named:
        return " ".join(named)
    m = _REPORTER.search(text)
    return next((g for g in m.groups() if g), "") if m else f"unit {unit.index}"


def _reports(unit: ClaimUnit, source_ids: list[str]) -> bool:
    """The unit gives what it states as someone's account, in its own words or by naming a source."""
    text = normalize(unit.text)
    return bool(_REPORTING.search(text) or unit.attributed or mentions(text, source_ids))


def _states_a_side(gold: Gold, unit: ClaimUnit) -> bool:
    return any(match_groups(side.match, unit.text) for c in gold.conflicts for side in c.sides)


_NOT_TOPICAL = {"sour", "repo", "disa", "diff", "conf", "acco", "disp", "wher", "whic", "what", "vary", "vari"}


def _about_a_gold_conflict(gold: Gold, unit: ClaimUnit) -> bool:
    """The unit names the topic of a real disagreement ("the cause is disputed") without stating a side."""
    stems = {t[:4] for t in word_tokens(unit.text) if len(t) > 3 and t not in ENGLISH_STOP_WORDS} - _NOT_TOPICAL
    for c in gold.conflicts:
        topic = " ".join([c.question] + [s.value for s in c.sides])
        if stems & ({t[:4] for t in word_tokens(topic) if len(t) > 3 and t not in ENGLISH_STOP_WORDS} - _NOT_TOPICAL):
            return True
    return False


_SETS_AGAINST = re.compile(r"\b(vs|versus|whereas|while|against)\b")


def find_invented(units: list[ClaimUnit], gold: Gold, source_ids: list[str]) -> list[InventedConflict]:
    invented = []
    seen_entries: set[int] = set()
    for u in units:
        if u.kind == "position" and u.conflict is not None:
            if u.conflict in seen_entries:
                continue
            entry = [v for v in units if v.kind == "position" and v.conflict == u.conflict]
            if not any(_states_a_side(gold, v) for v in entry):
                seen_entries.add(u.conflict)
                nc = _non_conflict(gold, " ".join([u.section] + [v.text for v in entry]))
                invented.append(InventedConflict(unit=u.index, text=u.section or u.text, non_conflict=nc))
            continue
        if u.kind == "heading":
            continue
        text = normalize(u.text)
        strong = STRONG.search(text) and not _NEGATED.search(text)
        # Under a "Where sources disagree" heading, a line setting sources against each other.
        in_section = is_marked(u) and (len(mentions(text, source_ids)) >= 2 or _SETS_AGAINST.search(text))
        if not (strong or in_section) or _states_a_side(gold, u):
            continue
        # A dispute stated with values that match no gold side is invented; one that only names
        # the topic of a real disagreement ("the cause is disputed") is not. Only what follows
        # the marker counts: "Bus overturns on I-81; accounts differ on ..." is about the accounts.
        parts = clauses(u.text)
        first = next((i for i, c in enumerate(parts) if STRONG.search(normalize(c))), 0)
        disputed = " ".join(parts[first:])
        nc = _non_conflict(gold, disputed)
        states_values = any(a.kind != "name" for a in extract_anchors(disputed))
        if nc or states_values or not _about_a_gold_conflict(gold, u):
            invented.append(InventedConflict(unit=u.index, text=u.text, non_conflict=nc))
    return invented


def _non_conflict(gold: Gold, text: str) -> str | None:
    return next((n.id for n in gold.non_conflicts if match_groups(n.match, text)), None)


def score_conflicts(units: list[ClaimUnit], gold: Gold, source_ids: list[str]) -> ConflictResult:
    verdicts = [judge_conflict(c, units, source_ids) for c in gold.conflicts]
    surfaced = sum(v.outcome == "surfaced" for v in verdicts)
    return ConflictResult(score=surfaced / len(verdicts) if verdicts else None, conflicts=verdicts,
                          invented=find_invented(units, gold, source_ids))
